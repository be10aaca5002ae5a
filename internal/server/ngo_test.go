package server

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
)

// asAdmin returns the cookie of a freshly signed-in federation admin.
func asAdmin(t *testing.T, h *harness) *http.Cookie {
	t.Helper()
	id := createUser(t, h, portal.RoleAdmin, 0, "registry-admin-"+strings.ToLower(newToken()[:12])+"@example.org", "登记管理员")
	return h.sessionCookie(t, id)
}

// ngoFormValues is a registry form that passes validation.
func ngoFormValues() url.Values {
	return url.Values{
		"name_zh":           {"上海市女性公益发展中心"},
		"name_en":           {"Shanghai Women Public Welfare Centre"},
		"short_name":        {"女性公益中心"},
		"credit_code":       {"31310000md0123456h"}, // lower case is accepted and stored upper case
		"focus_areas":       {"女性创业，公益培训\r\n家庭教育"},
		"founded_year":      {"2012"},
		"contact_person":    {"林晓"},
		"phone":             {"021-6321 0000"},
		"email":             {"contact@welfare.example.org"},
		"website":           {"https://welfare.example.org"},
		"address":           {"上海市黄浦区延安东路100号"},
		"profile_zh":        {"为女性提供公益培训。"},
		"profile_en":        {"Offers free training to women."},
		"show_in_directory": {"on"},
	}
}

// locationID is the NGO id at the end of a redirect to its page.
func locationID(t *testing.T, res response) int64 {
	t.Helper()
	loc := res.header.Get("Location")
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, adminNGOsPath+"/"), 10, 64)
	if err != nil {
		t.Fatalf("Location %q is not an NGO's page", loc)
	}
	return id
}

type ngoAuditRow struct {
	action  string
	ngoID   int64
	changes map[string]portal.Change
}

func ngoAuditRows(t *testing.T, h *harness, id int64) []ngoAuditRow {
	t.Helper()
	rows, err := h.db.Pool().Query(t.Context(), `
		SELECT action, coalesce(ngo_id, 0), changes FROM audit_log
		WHERE object_type = 'ngo' AND object_id = $1 ORDER BY id`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []ngoAuditRow
	for rows.Next() {
		var r ngoAuditRow
		var raw []byte
		if err := rows.Scan(&r.action, &r.ngoID, &raw); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &r.changes); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func wantStatus(t *testing.T, res response, want int) {
	t.Helper()
	if res.status != want {
		t.Fatalf("status %d, want %d; body:\n%.2000s", res.status, want, res.body)
	}
}

// The registry's whole life: create, edit, a conflicting edit, deactivate
// (the NGO's staff lose access at once), reactivate; each step audited.
func TestNGOLifecycle(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := asAdmin(t, h)
	ctx := t.Context()

	res := h.as(t, admin, get(adminNGONewPath))
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, "<h1>登记社会组织</h1>", `action="/admin/ngos"`, `name="credit_code"`,
		`name="show_in_directory" value="on" checked`)
	wantAbsent(t, res.body, `name="version"`)

	// Create.
	res = h.as(t, admin, postForm(adminNGOsPath, ngoFormValues()))
	wantStatus(t, res, http.StatusSeeOther)
	id := locationID(t, res)
	res = h.as(t, admin, get(adminNGOPath(id)))
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, "社会组织已登记。", "<h1>上海市女性公益发展中心</h1>", "31310000MD0123456H",
		"<li>女性创业</li>", "<li>公益培训</li>", "<li>家庭教育</li>", "2012", "林晓", "021-6321 0000",
		`href="mailto:contact@welfare.example.org"`, `href="https://welfare.example.org"`, "正常",
		"停用该组织（员工将无法登录）", `action="`+adminNGODeactivatePath(id)+`"`, "该组织还没有员工账号。")
	n, err := h.db.NGOByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if n.Slug != "shanghai-women-public-welfare-centre" || n.CreditCode != "31310000MD0123456H" || !n.Active {
		t.Errorf("created %+v", n)
	}

	// Edit: two admins load the form at version 1.
	res = h.as(t, admin, get(adminNGOEditPath(id)))
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, `<input type="hidden" name="version" value="1">`, `value="上海市女性公益发展中心"`,
		">女性创业\n公益培训\n家庭教育</textarea>", `action="`+adminNGOPath(id)+`"`)
	first, second := ngoFormValues(), ngoFormValues()
	first.Set("version", "1")
	first.Set("name_en", "Shanghai Women Welfare Centre")
	second.Set("version", "1")
	second.Set("phone", "021-5555 0000")
	second.Set("address", "上海市静安区")

	res = h.as(t, admin, postForm(adminNGOPath(id), first))
	wantStatus(t, res, http.StatusSeeOther)
	wantContains(t, h.as(t, admin, get(adminNGOPath(id))).body, "登记信息已保存。", "Shanghai Women Welfare Centre")

	t.Run("ErrConflict", func(t *testing.T) {
		res := h.as(t, admin, postForm(adminNGOPath(id), second, "Accept-Language", "en"))
		wantStatus(t, res, http.StatusConflict)
		wantContains(t, res.body, "Someone else changed this record while you were editing it",
			`value="021-5555 0000"`, `value="上海市静安区"`, // the second admin's values kept
			"This is what was saved in the meantime:", "Shanghai Women Welfare Centre", // what the first saved
			`<input type="hidden" name="version" value="2">`)
		got, _ := h.db.NGOByID(ctx, id)
		if got.Phone != "021-6321 0000" || got.Address != "上海市黄浦区延安东路100号" || got.NameEN != "Shanghai Women Welfare Centre" || got.Version != 2 {
			t.Errorf("the stale save overwrote something: %+v", got)
		}
	})
	t.Run("OKSaveAgainAfterConflict", func(t *testing.T) {
		second.Set("version", "2")
		res := h.as(t, admin, postForm(adminNGOPath(id), second))
		wantStatus(t, res, http.StatusSeeOther)
		got, _ := h.db.NGOByID(ctx, id)
		if got.Phone != "021-5555 0000" || got.Version != 3 {
			t.Errorf("after saving again: %+v", got)
		}
	})
	t.Run("OKNothingChanged", func(t *testing.T) {
		same := ngoFormValues()
		same.Set("version", "3")
		same.Set("phone", "021-5555 0000")
		same.Set("address", "上海市静安区")
		same.Set("name_en", "Shanghai Women Public Welfare Centre")
		res := h.as(t, admin, postForm(adminNGOPath(id), same))
		wantStatus(t, res, http.StatusSeeOther)
		wantContains(t, h.as(t, admin, get(adminNGOPath(id))).body, "没有修改任何内容。")
		if got, _ := h.db.NGOByID(ctx, id); got.Version != 3 {
			t.Errorf("version %d after a save without changes, want 3", got.Version)
		}
	})
	t.Run("ErrMissingVersion", func(t *testing.T) {
		res := h.as(t, admin, postForm(adminNGOPath(id), ngoFormValues()))
		wantStatus(t, res, http.StatusBadRequest)
		bad := ngoFormValues()
		bad.Set("version", "three")
		wantStatus(t, h.as(t, admin, postForm(adminNGOPath(id), bad)), http.StatusBadRequest)
	})

	// A staff member of the NGO, signed in.
	staffID := createUser(t, h, portal.RoleStaff, id, "staff@welfare.example.org", "林晓")
	staff := h.sessionCookie(t, staffID)
	res = h.as(t, staff, get(ngoHomePath))
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, "<h1>上海市女性公益发展中心</h1>")

	// Deactivate: the staff member's next request is signed out.
	res = h.as(t, admin, postForm(adminNGODeactivatePath(id), url.Values{}))
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.header.Get("Location"); loc != adminNGOPath(id) {
		t.Errorf("Location %q", loc)
	}
	res = h.as(t, staff, get(ngoHomePath))
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), loginPath) {
		t.Errorf("staff of a deactivated NGO: status %d, Location %q; want a redirect to sign in", res.status, res.header.Get("Location"))
	}
	fresh := h.sessionCookie(t, staffID) // even a brand-new login session is refused
	if res := h.as(t, fresh, get(ngoHomePath)); res.status != http.StatusSeeOther {
		t.Errorf("new login session for staff of a deactivated NGO: status %d", res.status)
	}
	res = h.as(t, admin, get(adminNGOPath(id)))
	wantContains(t, res.body, "该组织已停用，其员工已退出登录。", `<span class="badge off">已停用</span>`,
		"恢复该组织", `action="`+adminNGOReactivatePath(id)+`"`, "林晓", "staff@welfare.example.org")
	wantAbsent(t, res.body, "停用该组织（员工将无法登录）")
	if got, _ := h.db.NGOByID(ctx, id); got.Active || got.NameZH != "上海市女性公益发展中心" {
		t.Errorf("after deactivation: %+v", got)
	}

	// Reactivate: staff may sign in again.
	res = h.as(t, admin, postForm(adminNGOReactivatePath(id), url.Values{}))
	wantStatus(t, res, http.StatusSeeOther)
	wantContains(t, h.as(t, admin, get(adminNGOPath(id))).body, "该组织已恢复，其员工可以重新登录。", `<span class="badge ok">正常</span>`)
	if res := h.as(t, h.sessionCookie(t, staffID), get(ngoHomePath)); res.status != http.StatusOK {
		t.Errorf("staff after reactivation: status %d", res.status)
	}

	// Every step is in the audit log, with what changed.
	audit := ngoAuditRows(t, h, id)
	var actions []string
	for _, a := range audit {
		actions = append(actions, a.action)
		if a.ngoID != id {
			t.Errorf("%s audited with NGO %d, want %d", a.action, a.ngoID, id)
		}
	}
	wantActions := []string{portal.AuditNGOCreated, portal.AuditNGOUpdated, portal.AuditNGOUpdated, portal.AuditNGODeactivated, portal.AuditNGOReactivated}
	if strings.Join(actions, " ") != strings.Join(wantActions, " ") {
		t.Fatalf("audit actions %v, want %v", actions, wantActions)
	}
	if c := audit[0].changes["credit_code"]; c.Before != nil || c.After != "31310000MD0123456H" {
		t.Errorf("creation audit credit_code = %+v", c)
	}
	if c := audit[1].changes; len(c) != 1 || c["name_en"] != (portal.Change{Before: "Shanghai Women Public Welfare Centre", After: "Shanghai Women Welfare Centre"}) {
		t.Errorf("first edit audited %+v", c)
	}
	// Saving again after the conflict is a deliberate overwrite: the
	// second form still held the old English name.
	if c := audit[2].changes; len(c) != 3 || c["phone"] != (portal.Change{Before: "021-6321 0000", After: "021-5555 0000"}) ||
		c["address"] != (portal.Change{Before: "上海市黄浦区延安东路100号", After: "上海市静安区"}) ||
		c["name_en"] != (portal.Change{Before: "Shanghai Women Welfare Centre", After: "Shanghai Women Public Welfare Centre"}) {
		t.Errorf("second edit audited %+v", c)
	}
	if c := audit[3].changes; c["active"] != (portal.Change{Before: true, After: false}) || c["login_sessions"].Before != float64(1) {
		t.Errorf("deactivation audited %+v", c)
	}
	if c := audit[4].changes; c["active"] != (portal.Change{Before: false, After: true}) {
		t.Errorf("reactivation audited %+v", c)
	}
}

// Each refused field comes back with 422, its message beside it and in
// the summary, in either language, and every value as it was sent.
func TestNGOCreateValidation(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := asAdmin(t, h)
	cases := []struct {
		name, field, value, wantKey string
	}{
		{"ErrNameZHRequired", "name_zh", "", "ngo.error.name_zh_required"},
		{"ErrNameZHTooLong", "name_zh", strings.Repeat("名", 101), "ngo.error.name_zh_too_long"},
		{"ErrNameENRequired", "name_en", "   ", "ngo.error.name_en_required"},
		{"ErrNameENTooLong", "name_en", strings.Repeat("n", 101), "ngo.error.name_en_too_long"},
		{"ErrShortNameTooLong", "short_name", strings.Repeat("简", 31), "ngo.error.short_name_too_long"},
		{"ErrCreditCodeLength", "credit_code", "3131000", "ngo.error.credit_code_length"},
		{"ErrCreditCodeChars", "credit_code", "31310000MD0123456O", "ngo.error.credit_code_chars"},
		{"ErrCreditCodeRegion", "credit_code", "3131000XMD0123456H", "ngo.error.credit_code_region"},
		{"ErrCreditCodeCheck", "credit_code", "31310000MD0123456J", "ngo.error.credit_code_check"},
		{"ErrFocusAreasTooMany", "focus_areas", "一,二,三,四,五,六,七,八,九,十,十一", "ngo.error.focus_areas_too_many"},
		{"ErrFocusAreaTooLong", "focus_areas", strings.Repeat("领", 31), "ngo.error.focus_area_too_long"},
		{"ErrFoundedYearNumber", "founded_year", "20l2", "ngo.error.founded_year_number"},
		{"ErrFoundedYearRange", "founded_year", "1899", "ngo.error.founded_year_range"},
		{"ErrContactPersonTooLong", "contact_person", strings.Repeat("人", 51), "ngo.error.contact_person_too_long"},
		{"ErrPhone", "phone", "call 021", "ngo.error.phone_invalid"},
		{"ErrEmail", "email", "contact@", "ngo.error.email_invalid"},
		{"ErrWebsiteJavaScript", "website", "javascript:alert(document.cookie)", "ngo.error.website_invalid"},
		{"ErrAddressTooLong", "address", strings.Repeat("址", 201), "ngo.error.address_too_long"},
		{"ErrProfileZHTooLong", "profile_zh", strings.Repeat("简", 4001), "ngo.error.profile_zh_too_long"},
		{"ErrProfileENTooLong", "profile_en", strings.Repeat("p", 4001), "ngo.error.profile_en_too_long"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, locale := range i18n.Locales {
				form := ngoFormValues()
				form.Set(tc.field, tc.value)
				form.Del("show_in_directory")
				res := h.as(t, admin, postForm(adminNGOsPath, form, "Accept-Language", string(locale)))
				wantStatus(t, res, http.StatusUnprocessableEntity)
				tr := h.srv.cat.Translator(locale)
				msg := tr.T(tc.wantKey)
				if msg == tc.wantKey {
					t.Fatalf("%s: %s has no translation", locale, tc.wantKey)
				}
				wantContains(t, res.body,
					`<p class="field-error" id="f-`+tc.field+`-error">`+html.EscapeString(msg)+`</p>`,
					`href="#f-`+tc.field+`"`, `class="error-summary"`, `aria-invalid="true"`)
				// Every other value comes back as typed; the unticked box stays unticked.
				for k, v := range form {
					if k == tc.field || k == "focus_areas" || k == "credit_code" {
						continue
					}
					if !strings.Contains(res.body, html.EscapeString(strings.TrimSpace(v[0]))) {
						t.Errorf("%s: value of %s not kept", locale, k)
					}
				}
				if tc.field != "credit_code" {
					wantContains(t, res.body, `value="31310000MD0123456H"`) // kept in its stored form
				}
				wantAbsent(t, res.body, `value="on" checked`)
			}
		})
	}
	var count int
	if err := h.db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM ngos`).Scan(&count); err != nil || count != 18 {
		t.Errorf("%d NGOs after refused forms (%v), want the 18 demo NGOs", count, err)
	}
}

// A credit code or Chinese name already registered is refused by the
// database's unique constraint, shown as a field message with 422.
func TestNGODuplicates(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := asAdmin(t, h)
	lawyers := ngoIDBySlug(t, h, "women-lawyers")
	cases := []struct {
		name, path, field, value, wantMsg string
	}{
		{"ErrCreateCreditCodeTaken", adminNGOsPath, "credit_code", "51310000501830272k", "已有社会组织登记了这个统一社会信用代码"},
		{"ErrCreateNameTaken", adminNGOsPath, "name_zh", "上海市女律师联谊会", "已有社会组织使用这个中文名称"},
		{"ErrUpdateCreditCodeTaken", adminNGOPath(lawyers), "credit_code", "51310000501830272K", "已有社会组织登记了这个统一社会信用代码"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			form := ngoFormValues()
			form.Set(tc.field, tc.value)
			if tc.path != adminNGOsPath {
				form.Set("version", "1")
			}
			res := h.as(t, admin, postForm(tc.path, form))
			wantStatus(t, res, http.StatusUnprocessableEntity)
			wantContains(t, res.body, `id="f-`+tc.field+`-error">`+tc.wantMsg, `class="error-summary"`,
				`value="`+strings.ToUpper(tc.value)+`"`, `value="Shanghai Women Public Welfare Centre"`)
		})
	}
	if n, _ := h.db.NGOByID(t.Context(), lawyers); n.CreditCode != "513100005039051867" || n.Version != 1 {
		t.Errorf("a refused update changed the NGO: %+v", n)
	}
}

func TestNGONotFound(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := asAdmin(t, h)
	for _, id := range []string{"999999", "abc", "0", "-1", "01", "+5", "1.0", "99999999999999999999"} {
		base := adminNGOsPath + "/" + url.PathEscape(id)
		for _, r := range []*http.Request{
			get(base), get(base + "/edit"),
			postForm(base, url.Values{"version": {"1"}, "name_zh": {"甲"}, "name_en": {"A"}}),
			postForm(base+"/deactivate", nil), postForm(base+"/reactivate", nil),
		} {
			if res := h.as(t, admin, r); res.status != http.StatusNotFound {
				t.Errorf("%s %s: status %d, want 404", r.Method, r.URL.Path, res.status)
			}
		}
	}
}

func TestNGOAdminOnly(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	lawyers := ngoIDBySlug(t, h, "women-lawyers")
	staff := h.sessionCookie(t, createUser(t, h, portal.RoleStaff, lawyers, "lawyer-staff@example.org", "律师员工"))
	reqs := func() []*http.Request {
		return []*http.Request{
			get(adminNGOsPath), get(adminNGONewPath), get(adminNGOPath(lawyers)), get(adminNGOEditPath(lawyers)),
			postForm(adminNGOsPath, ngoFormValues()), postForm(adminNGODeactivatePath(lawyers), nil),
		}
	}
	for _, r := range reqs() {
		if res := h.as(t, staff, r); res.status != http.StatusNotFound {
			t.Errorf("staff %s %s: status %d, want 404", r.Method, r.URL.Path, res.status)
		}
	}
	for _, r := range reqs() {
		if res := h.as(t, nil, r); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), loginPath) {
			t.Errorf("public %s %s: status %d, want a redirect to sign in", r.Method, r.URL.Path, res.status)
		}
	}
	if n, _ := h.db.NGOByID(t.Context(), lawyers); !n.Active {
		t.Error("staff deactivated an NGO")
	}
}

var ngoRowLink = regexp.MustCompile(`<a href="/admin/ngos/(\d+)" lang="zh-CN">`)

func TestNGOList(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := asAdmin(t, h)
	ctx := t.Context()
	actor := portal.Actor{RequestID: "test"}
	for i := range 25 {
		n := portal.NGO{NameZH: fmt.Sprintf("测试组织%02d", i), NameEN: fmt.Sprintf("Test Group %02d", i)}
		if _, err := h.db.CreateNGO(ctx, actor, n); err != nil {
			t.Fatal(err)
		}
	}
	dormant, err := h.db.CreateNGO(ctx, actor, portal.NGO{NameZH: "休眠组织", NameEN: "Dormant Group", ShortName: "休眠"})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.db.DeactivateNGO(ctx, actor, dormant.ID); err != nil {
		t.Fatal(err)
	}
	// By Chinese name (pinyin): the 测试组织 (cèshì) before every 上海市
	// (shànghǎi) NGO, the women's entrepreneurship association (女性创业
	// nǚxìng) on page 2, the physicians (女医师 nǚyīshī) on page 3.
	cases := []struct {
		name, query string
		wantRows    int
		wantHas     []string
		wantLacks   []string
	}{
		{"OKFirstPage", "", 20, []string{"测试组织00", "测试组织19", "第 1 页，共 3 页（43 条）", `href="/admin/ngos?page=2" rel="next"`,
			`href="/admin/ngos/new"`, "<caption>已登记的社会组织</caption>", `<th scope="col">`},
			[]string{"休眠组织", `rel="prev"`, "测试组织20", "上海市女性创业促进会"}},
		{"OKSecondPage", "?page=2", 20, []string{"测试组织20", "上海市女性创业促进会", "Shanghai Association for Women&#39;s Entrepreneurship", "女创会",
			"51310000501830272K", `<td data-label="员工账号">1</td>`}, []string{"测试组织19", "上海市女医师协会"}},
		{"OKLastPage", "?page=3", 3, []string{"上海市女医师协会", `href="/admin/ngos?page=2" rel="prev"`}, []string{`rel="next"`}},
		{"OKPagePastTheEnd", "?page=9", 3, []string{"上海市女医师协会"}, nil},
		{"OKBadPageIsFirst", "?page=x", 20, []string{"测试组织00"}, nil},
		{"OKInactive", "?status=inactive", 1, []string{"休眠组织", "Dormant Group", "已停用", "共 1 条"}, []string{"上海市女性创业促进会"}},
		{"OKAllSecondPageKeepsFilter", "?status=all&page=2", 20, []string{`href="/admin/ngos?status=all" rel="prev"`, `href="/admin/ngos?page=3&amp;status=all" rel="next"`}, nil},
		{"OKSearch", "?q=" + url.QueryEscape("律师"), 1, []string{"上海市女律师联谊会", `value="律师"`, `href="/admin/ngos">清除筛选`}, []string{"女创会"}},
		{"OKSearchEnglishCaseless", "?q=test+group+1&status=all", 10, []string{"测试组织10", "测试组织19"}, []string{"测试组织20"}},
		{"OKSearchInactiveByShortName", "?q=" + url.QueryEscape("休眠") + "&status=all", 1, []string{"休眠组织"}, nil},
		{"OKNoMatch", "?q=nothing-like-this", 0, []string{"没有符合条件的社会组织。"}, []string{"<table"}},
		// In English, by English name: the 18 "Shanghai …" NGOs before the
		// "Test Group" ones, so page 1 ends at Test Group 01.
		{"OKEnglishByEnglishName", "?lang=en", 20, []string{"Shanghai Association for Women&#39;s Development in the Yangtze River Delta", "Test Group 00", "Test Group 01"},
			[]string{"Test Group 02"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := h.as(t, admin, get(adminNGOsPath+tc.query))
			wantStatus(t, res, http.StatusOK)
			if got := len(ngoRowLink.FindAllString(res.body, -1)); got != tc.wantRows {
				t.Errorf("%d rows, want %d", got, tc.wantRows)
			}
			wantContains(t, res.body, tc.wantHas...)
			wantAbsent(t, res.body, tc.wantLacks...)
		})
	}
	t.Run("OKStatusFilterSelected", func(t *testing.T) {
		res := h.as(t, admin, get(adminNGOsPath+"?status=inactive", "Accept-Language", "en"))
		wantContains(t, res.body, `<option value="inactive" selected>Deactivated</option>`, "<h1>NGO registry</h1>", "Register an NGO")
	})
}

// Staff see their own NGO only: its name and details, its staff, and
// nothing of any other NGO.
func TestStaffHome(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	lawyers := ngoIDBySlug(t, h, "women-lawyers")
	physicians := ngoIDBySlug(t, h, "women-physicians")
	me := createUser(t, h, portal.RoleStaff, lawyers, "me@lawyers.example.org", "陈律师")
	createUser(t, h, portal.RoleStaff, physicians, "other@physicians.example.org", "王医生")
	gone := createUser(t, h, portal.RoleStaff, lawyers, "gone@lawyers.example.org", "离职同事")
	if _, err := h.db.Pool().Exec(t.Context(), `UPDATE users SET status = 'disabled' WHERE id = $1`, gone); err != nil {
		t.Fatal(err)
	}
	cookie := h.sessionCookie(t, me)

	t.Run("OKChinese", func(t *testing.T) {
		res := h.as(t, cookie, get(ngoHomePath))
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res.body, "<h1>上海市女律师联谊会</h1>", `<p class="ngo-subtitle" lang="en">Shanghai Women Lawyers Fellowship</p>`,
			"513100005039051867", "<li>法律援助</li>", "刘洋", "contact@women-lawyers.example.org",
			"陈律师", "me@lawyers.example.org", "ngo04@example.org", // colleagues: the demo staff member too
			`href="/account/password"`, "修改我的密码", "陈律师，您好！")
		wantAbsent(t, res.body, "上海市女医师协会", "王医生", "other@physicians.example.org", "离职同事",
			`action="/admin`, "停用该组织")
	})
	t.Run("OKEnglish", func(t *testing.T) {
		res := h.as(t, cookie, get(ngoHomePath, "Accept-Language", "en"))
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res.body, "<h1>Shanghai Women Lawyers Fellowship</h1>", `<p class="ngo-subtitle" lang="zh-CN">上海市女律师联谊会</p>`,
			"Your NGO&#39;s registry details", "Offers free legal advice and aid to women", "Change my password")
	})
	t.Run("ErrAdminHasNoNGOHome", func(t *testing.T) {
		if res := h.as(t, asAdmin(t, h), get(ngoHomePath)); res.status != http.StatusNotFound {
			t.Errorf("admin on /ngo: status %d, want 404", res.status)
		}
	})
	t.Run("ErrPublic", func(t *testing.T) {
		if res := h.as(t, nil, get(ngoHomePath)); res.status != http.StatusSeeOther {
			t.Errorf("public on /ngo: status %d, want a redirect to sign in", res.status)
		}
	})
}

// Every registry page renders in both languages without a missing
// translation, and every message a form can come back with exists in both.
func TestNGOPagesTranslated(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := asAdmin(t, h)
	lawyers := ngoIDBySlug(t, h, "women-lawyers")
	staff := h.sessionCookie(t, createUser(t, h, portal.RoleStaff, lawyers, "t@lawyers.example.org", "译者"))
	if err := h.db.DeactivateNGO(t.Context(), portal.Actor{}, ngoIDBySlug(t, h, "women-artists")); err != nil {
		t.Fatal(err)
	}
	artists := ngoIDBySlug(t, h, "women-artists")
	for _, locale := range i18n.Locales {
		tr := h.srv.cat.Translator(locale)
		for _, k := range portal.NGOValidationKeys {
			if got := tr.T(k); got == k || got == "" {
				t.Errorf("%s: %s is not translated", locale, k)
			}
		}
		bad := url.Values{"name_zh": {""}, "name_en": {""}, "credit_code": {"x"}, "founded_year": {"x"}, "focus_areas": {strings.Repeat("x,", 11)},
			"phone": {"x"}, "email": {"x"}, "website": {"x"}, "short_name": {strings.Repeat("x", 31)}, "contact_person": {strings.Repeat("x", 51)},
			"address": {strings.Repeat("x", 201)}, "profile_zh": {strings.Repeat("x", 4001)}, "profile_en": {strings.Repeat("x", 4001)}}
		pages := []struct {
			c *http.Cookie
			r *http.Request
		}{
			{admin, get(adminNGOsPath)}, {admin, get(adminNGOsPath + "?status=all")}, {admin, get(adminNGONewPath)},
			{admin, get(adminNGOPath(lawyers))}, {admin, get(adminNGOPath(artists))}, {admin, get(adminNGOEditPath(lawyers))},
			{admin, postForm(adminNGOsPath, bad)}, {staff, get(ngoHomePath)},
		}
		for _, p := range pages {
			p.r.Header.Set("Accept-Language", string(locale))
			res := h.as(t, p.c, p.r)
			if res.status != http.StatusOK && res.status != http.StatusUnprocessableEntity {
				t.Errorf("%s %s: status %d", locale, p.r.URL, res.status)
			}
			if strings.Count(res.body, "<h1") != 1 {
				t.Errorf("%s %s: want exactly one h1", locale, p.r.URL)
			}
			if strings.Contains(res.body, ">ngo.") || strings.Contains(res.body, `"ngo.`) {
				t.Errorf("%s %s: a message key shows on the page", locale, p.r.URL)
			}
		}
	}
	if logs := h.logs.String(); strings.Contains(logs, "missing translation") {
		i := strings.Index(logs, "missing translation")
		t.Errorf("missing translations logged: %.300s", logs[i:])
	}
}
