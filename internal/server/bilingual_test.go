package server

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"ngoportal/internal/portal"
)

// The public summary lists the chair's requests once, in its own section:
// a body composed before the composer stopped writing them loses its
// request section on the page; in English, a request with no English text
// is shown in Chinese, marked, with a notice.
func TestPublicSummaryListsRequestsOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	const slug = "requests-once"
	sessionID := pubSession(t, h, slug, "2026-01-20", "women-lawyers")
	pubExec(t, h, `INSERT INTO session_requests (session_id, number, text_zh, text_en, made_by)
		SELECT $1, 2, '讲好上海女性故事' || $2, '', id
		FROM officials WHERE position = 'chairperson' ORDER BY id LIMIT 1`, sessionID, slug)
	reqZH1, reqEN1, reqZH2 := "拓宽女性发展平台"+slug, "Broaden the platforms for women "+slug, "讲好上海女性故事"+slug

	// What the composer used to write at the end of the bodies.
	zh, en := pubText(slug, "zh"), pubText(slug, "en")
	zh.Body += "\n\n## 工作要求\n\n会上，主席对女性社会组织2026年的工作提出两点要求：\n\n1. " + reqZH1 + "\n2. " + reqZH2 + "\n"
	en.Body += "\n\n## Requests for 2026\n\nChairperson made two requests of the NGOs for 2026:\n\n1. " + reqEN1 + "\n2. " + reqZH2 + "\n"
	s := pubSave(t, h, sessionID, portal.SummaryInput{ZH: zh, EN: en}, 0)
	pubPublish(t, h, sessionID, s.Version)

	page := h.do(t, get("/sessions/"+slug))
	if page.status != 200 {
		t.Fatalf("status %d", page.status)
	}
	for _, text := range []string{reqZH1, reqZH2} {
		if n := strings.Count(page.body, text); n != 1 {
			t.Errorf("Chinese page shows %q %d times, want once", text, n)
		}
	}
	wantAbsent(t, page.body, "两点要求", "仅有中文")
	wantContains(t, page.body, "正文：各组织开展了线上线下的讲座。", `id="summary-requests"`)

	page = h.do(t, get("/sessions/"+slug+"?lang=en"))
	for _, text := range []string{reqEN1, reqZH2} {
		if n := strings.Count(page.body, text); n != 1 {
			t.Errorf("English page shows %q %d times, want once", text, n)
		}
	}
	wantAbsent(t, page.body, "two requests")
	wantContains(t, page.body, `<span lang="zh-CN">`+reqZH2+`</span> <span class="untranslated">(in Chinese only)</span>`)
}

// The registry form takes the focus areas and the address in English: they
// are saved and audited, shown on the NGO's page, and a refused form keeps
// them, with a message beside the field.
func TestNGOFormEnglishFields(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := asAdmin(t, h)
	f := ngoFormValues()
	f.Set("focus_areas_en", "Women's entrepreneurship\r\nCharity training; Family education")
	f.Set("address_en", "100 East Yan'an Road, Huangpu District, Shanghai")

	t.Run("ErrFocusAreasENCount", func(t *testing.T) {
		bad := url.Values{}
		for k, v := range f {
			bad[k] = v
		}
		bad.Set("focus_areas_en", "Women's entrepreneurship; Family education")
		res := h.as(t, admin, postForm(adminNGOsPath, bad, "Accept-Language", "en"))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, "Give one English focus area for each Chinese one",
			`aria-invalid="true">Women&#39;s entrepreneurship; Family education</textarea>`,
			`value="100 East Yan&#39;an Road, Huangpu District, Shanghai"`, `aria-invalid="true"`)
	})
	t.Run("ErrAddressENTooLong", func(t *testing.T) {
		bad := url.Values{}
		for k, v := range f {
			bad[k] = v
		}
		bad.Set("address_en", strings.Repeat("a", 201))
		res := h.as(t, admin, postForm(adminNGOsPath, bad))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, "英文地址不能超过200个字符", "Charity training; Family education</textarea>")
	})
	t.Run("OK", func(t *testing.T) {
		res := h.as(t, admin, postForm(adminNGOsPath, f))
		wantStatus(t, res, http.StatusSeeOther)
		id := locationID(t, res)
		got, err := h.db.NGOByID(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"Women's entrepreneurship", "Charity training", "Family education"}; !slices.Equal(got.FocusAreasEN, want) ||
			got.AddressEN != "100 East Yan'an Road, Huangpu District, Shanghai" {
			t.Errorf("saved %q, %q", got.FocusAreasEN, got.AddressEN)
		}
		rows := ngoAuditRows(t, h, id)
		if len(rows) != 1 || rows[0].changes["address_en"].After != got.AddressEN || rows[0].changes["focus_areas_en"].After == nil {
			t.Errorf("audit: %+v", rows)
		}
		page := h.as(t, admin, get(adminNGOPath(id)+"?lang=en", "Accept-Language", "en"))
		wantContains(t, page.body, "Address (English)", `<dd lang="en">100 East Yan&#39;an Road`, `<li>Charity training</li>`)

		// Clearing the English address is a change like any other.
		f.Set("address_en", "")
		f.Set("version", "1")
		res = h.as(t, admin, postForm(adminNGOPath(id), f))
		wantStatus(t, res, http.StatusSeeOther)
		rows = ngoAuditRows(t, h, id)
		if len(rows) != 2 || rows[1].changes["address_en"].Before != "100 East Yan'an Road, Huangpu District, Shanghai" {
			t.Errorf("audit of the edit: %+v", rows)
		}
	})
}

// The English directory and NGO pages show the focus areas in English; an
// NGO whose focus areas are not translated shows the Chinese ones marked
// with their language and a notice.
func TestPublicNGOFocusAreasEnglish(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	pubExec(t, h, `UPDATE ngos SET focus_areas_en = '{}' WHERE slug = 'women-lawyers'`)

	dir := h.do(t, get("/ngos?lang=en"))
	wantContains(t, dir.body, `<span lang="en">Women&#39;s entrepreneurship, Training for founders`,
		`<span lang="zh-CN">法律援助, 婚姻家庭, 妇女权益保障</span> <span class="untranslated">(in Chinese only)</span>`)
	wantAbsent(t, dir.body, "创业培训")

	page := h.do(t, get("/ngos/women-entrepreneurship?lang=en"))
	wantContains(t, page.body, `<ul class="ngo-tags" lang="en"><li>Women&#39;s entrepreneurship</li>`)
	wantAbsent(t, page.body, "创业培训", "in Chinese only")
	page = h.do(t, get("/ngos/women-lawyers?lang=en"))
	wantContains(t, page.body, `<ul class="ngo-tags" lang="zh-CN"><li>法律援助</li>`, "(in Chinese only)")

	zh := h.do(t, get("/ngos"))
	wantContains(t, zh.body, `<span lang="zh-CN">女性创业、创业培训`)
	wantAbsent(t, zh.body, "Women&#39;s entrepreneurship", "仅有")
}

// Before publishing, the summary's page warns the admin about the chair's
// requests that have no English text, with a link to each one's form; the
// warning goes once they are translated.
func TestSummaryShowWarnsUntranslatedRequests(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := asAdmin(t, h)
	sessionID := pubSession(t, h, "untranslated-warning", "2026-01-21")
	var reqID int64
	if err := h.db.Pool().QueryRow(t.Context(), `
		INSERT INTO session_requests (session_id, number, text_zh, text_en)
		VALUES ($1, 2, '讲好上海女性故事', '') RETURNING id`, sessionID).Scan(&reqID); err != nil {
		t.Fatal(err)
	}

	page := h.as(t, admin, get(adminSummaryPath(sessionID), "Accept-Language", "en"))
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.body, `id="untranslated-requests"`,
		"The English summary page will show 1 of the chair&#39;s requests in Chinese",
		`<a href="`+adminRequestEditPath(sessionID, reqID)+`">Request 2</a>: <span lang="zh-CN">讲好上海女性故事</span>`)
	wantAbsent(t, page.body, "Request 1<")

	pubExec(t, h, `UPDATE session_requests SET text_en = 'Tell the story of Shanghai women well' WHERE id = $1`, reqID)
	page = h.as(t, admin, get(adminSummaryPath(sessionID)))
	wantAbsent(t, page.body, `id="untranslated-requests"`)
}

// An account has an optional English name: the invitation and edit forms
// take it (kept on a refused form, audited when saved), and English pages
// show it, or the Chinese name marked with its language when there is none.
func TestUserEnglishName(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	adminID := createUser(t, h, portal.RoleAdmin, 0, "names-admin@example.org", "林管理")
	admin := h.sessionCookie(t, adminID)

	t.Run("ErrNameENTooLong", func(t *testing.T) {
		f := url.Values{"email": {"zhang.min@example.org"}, "name": {"张敏"}, "name_en": {strings.Repeat("a", 101)}, "role": {"admin"}}
		res := h.as(t, admin, postForm(adminUsersPath, f, "Accept-Language", "en"))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, "The English name can be at most 100 characters long.", `value="`+strings.Repeat("a", 101)+`"`,
			`value="张敏"`, `value="zhang.min@example.org"`)
	})

	var id int64
	t.Run("OKInvite", func(t *testing.T) {
		f := url.Values{"email": {"zhang.min@example.org"}, "name": {"张敏"}, "name_en": {"Zhang Min"}, "role": {"admin"}}
		res := h.as(t, admin, postForm(adminUsersPath, f))
		wantStatus(t, res, http.StatusSeeOther)
		if err := h.db.Pool().QueryRow(t.Context(), `SELECT id FROM users WHERE email = 'zhang.min@example.org'`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		u, err := h.db.UserByID(t.Context(), id)
		if err != nil || u.NameEN != "Zhang Min" {
			t.Fatalf("saved %+v, %v", u.User, err)
		}
		page := h.as(t, admin, get(adminUserPath(id)+"?lang=en", "Accept-Language", "en"))
		wantContains(t, page.body, "<h1>Zhang Min</h1>", `name="name_en" value="Zhang Min"`)
	})
	t.Run("OKEditAudited", func(t *testing.T) {
		f := url.Values{"name": {"张敏"}, "name_en": {"Min Zhang"}, "role": {"admin"}, "version": {"1"}}
		res := h.as(t, admin, postForm(adminUserPath(id), f))
		wantStatus(t, res, http.StatusSeeOther)
		var changes string
		if err := h.db.Pool().QueryRow(t.Context(), `
			SELECT changes::text FROM audit_log WHERE object_type = 'user' AND object_id = $1 AND action = $2`,
			id, portal.AuditUserUpdated).Scan(&changes); err != nil {
			t.Fatal(err)
		}
		wantContains(t, changes, `"name_en"`, "Zhang Min", "Min Zhang")
	})
	t.Run("OKHeader", func(t *testing.T) {
		// The admin has no English name: the English header shows the
		// Chinese one, marked.
		page := h.as(t, admin, get("/admin", "Accept-Language", "en"))
		wantContains(t, page.body, `<span class="who"><span lang="zh-CN">林管理</span> <span class="untranslated">(in Chinese only)</span></span>`)
		page = h.as(t, admin, get("/admin"))
		wantContains(t, page.body, `<span class="who">林管理</span>`)
		pubExec(t, h, `UPDATE users SET name_en = 'Lin Guan' WHERE id = $1`, adminID)
		page = h.as(t, admin, get("/admin", "Accept-Language", "en"))
		wantContains(t, page.body, `<span class="who">Lin Guan</span>`)
	})
}
