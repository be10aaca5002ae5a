package server

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"ngoportal/internal/i18n"
)

// cyText is the text of a message key in a locale, as it appears in a page.
func cyText(h *harness, l i18n.Locale, key string, kv ...any) string {
	return html.EscapeString(h.srv.cat.Translator(l).T(key, kv...))
}

// inEnglish makes r ask for English pages.
func inEnglish(r *http.Request) *http.Request {
	r.AddCookie(&http.Cookie{Name: localeCookie, Value: "en"})
	return r
}

func cyQueryID(t *testing.T, h *harness, sql string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := h.db.Pool().QueryRow(t.Context(), sql, args...).Scan(&id); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return id
}

// cyFreeSession adds a draft session tied to no cycle.
func cyFreeSession(t *testing.T, h *harness, slug string) int64 {
	t.Helper()
	return cyQueryID(t, h, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on) VALUES ($1, '2028年测试会议', '2028 test session', 'municipal', '2028-01-18') RETURNING id`, slug)
}

func cyCycleID(t *testing.T, res response) int64 {
	t.Helper()
	loc := res.header.Get("Location")
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, adminCyclesPath+"/"), 10, 64)
	if err != nil {
		t.Fatalf("Location %q is not a cycle's page", loc)
	}
	return id
}

func cyValidForm(sessionID int64) url.Values {
	return url.Values{"review_year": {"2027"}, "opens_on": {"2027-11-01"}, "deadline": {"2028-01-07"},
		"session": {fmt.Sprint(sessionID)}, "status": {"open"}}
}

func TestCycleCreate(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := asAdmin(t, h)
	free := cyFreeSession(t, h, "cycle-create-session")
	tied := cyQueryID(t, h, `SELECT id FROM sessions WHERE slug = '2021-municipal-leadership-session'`)

	t.Run("NewFormOffersFreeSessionsOnly", func(t *testing.T) {
		res := h.as(t, admin, get(adminCycleNewPath))
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res.body, cyText(h, i18n.ZhCN, "cycle.form.new_title"), `value="`+fmt.Sprint(free)+`"`, `name="review_year"`,
			`<option value="draft" selected>`)
		wantAbsent(t, res.body, `value="`+fmt.Sprint(tied)+`"`)
	})

	tests := []struct {
		name   string
		change func(url.Values)
		field  string
		key    string
	}{
		{"ErrReviewYearRequired", func(v url.Values) { v.Set("review_year", "") }, "review_year", "cycle.err.review_year_required"},
		{"ErrReviewYearInvalid", func(v url.Values) { v.Set("review_year", "20x7") }, "review_year", "cycle.err.review_year_invalid"},
		{"ErrReviewYearRange", func(v url.Values) { v.Set("review_year", "3000") }, "review_year", "cycle.err.review_year_range"},
		{"ErrDuplicateYear", func(v url.Values) { v.Set("review_year", "2026") }, "review_year", "cycle.err.review_year_taken"},
		{"ErrOpensOnRequired", func(v url.Values) { v.Set("opens_on", "") }, "opens_on", "cycle.err.opens_on_required"},
		{"ErrDeadlineBeforeOpening", func(v url.Values) { v.Set("deadline", "2027-10-01") }, "deadline", "cycle.err.deadline_before_opening"},
		{"ErrDateInvalid", func(v url.Values) { v.Set("deadline", "2028-13-01") }, "deadline", "cycle.err.date_invalid"},
		{"ErrSessionAlreadyTied", func(v url.Values) { v.Set("session", fmt.Sprint(tied)) }, "session", "cycle.err.session_invalid"},
		{"ErrStatusClosed", func(v url.Values) { v.Set("status", "closed") }, "status", "cycle.err.status_invalid"},
	}
	for _, l := range []i18n.Locale{i18n.ZhCN, i18n.En} {
		for _, tt := range tests {
			t.Run(string(l)+"/"+tt.name, func(t *testing.T) {
				form := cyValidForm(free)
				tt.change(form)
				r := postForm(adminCyclesPath, form)
				if l == i18n.En {
					r = inEnglish(r)
				}
				res := h.as(t, admin, r)
				wantStatus(t, res, http.StatusUnprocessableEntity)
				wantContains(t, res.body, cyText(h, l, tt.key), cyText(h, l, "form.error_summary"), `href="#f-`+tt.field+`"`,
					`aria-invalid="true"`)
				for _, k := range []string{"review_year", "opens_on", "deadline"} {
					if v := form.Get(k); v != "" {
						wantContains(t, res.body, `value="`+html.EscapeString(v)+`"`) // typed values come back
					}
				}
			})
		}
	}
	var cycles int
	if err := h.db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM reporting_cycles`).Scan(&cycles); err != nil || cycles != 4 {
		t.Fatalf("%d cycles (%v) after refused forms, want the demo's 4", cycles, err)
	}

	var id int64
	t.Run("OK", func(t *testing.T) {
		res := h.as(t, admin, postForm(adminCyclesPath, cyValidForm(free)))
		wantStatus(t, res, http.StatusSeeOther)
		id = cyCycleID(t, res)
		var cycleOfSession int64
		if err := h.db.Pool().QueryRow(t.Context(), `SELECT coalesce(cycle_id, 0) FROM sessions WHERE id = $1`, free).Scan(&cycleOfSession); err != nil || cycleOfSession != id {
			t.Errorf("the session's cycle is %d (%v), want %d", cycleOfSession, err, id)
		}
		page := h.as(t, admin, get(res.header.Get("Location")))
		wantStatus(t, page, http.StatusOK)
		wantContains(t, page.body, cyText(h, i18n.ZhCN, "cycle.flash.created"), cyText(h, i18n.ZhCN, "cycle.years", "ReviewYear", 2027, "PlanYear", 2028),
			"2028年测试会议", "2027年11月1日", "2028年1月7日", `href="/admin/sessions/`+fmt.Sprint(free)+`"`)
	})
	t.Run("ListNewestFirst", func(t *testing.T) {
		res := h.as(t, admin, get(adminCyclesPath))
		wantStatus(t, res, http.StatusOK)
		i27 := strings.Index(res.body, cyText(h, i18n.ZhCN, "cycle.years", "ReviewYear", 2027, "PlanYear", 2028))
		i26 := strings.Index(res.body, cyText(h, i18n.ZhCN, "cycle.years", "ReviewYear", 2026, "PlanYear", 2027))
		i20 := strings.Index(res.body, cyText(h, i18n.ZhCN, "cycle.years", "ReviewYear", 2020, "PlanYear", 2021))
		if i27 < 0 || i26 < i27 || i20 < i26 {
			t.Errorf("cycles not newest first: 2027 at %d, 2026 at %d, 2020 at %d", i27, i26, i20)
		}
		wantContains(t, res.body, "2027年上海市女性社会组织负责人年度会议", cyText(h, i18n.ZhCN, "cycle.status.closed"),
			cyText(h, i18n.ZhCN, "cycle.status.open"), `data-label="`+cyText(h, i18n.ZhCN, "cycle.field.extensions")+`">1<`)
		en := h.as(t, admin, inEnglish(get(adminCyclesPath)))
		wantContains(t, en.body, "Work of 2020, plans for 2021", "Reporting cycles", "Closed")
	})
	t.Run("ErrSessionTakenMeanwhile", func(t *testing.T) {
		// The session is tied to the 2027 cycle now: a second cycle cannot
		// have it, and hears so beside the field.
		form := cyValidForm(free)
		form.Set("review_year", "2029")
		res := h.as(t, admin, postForm(adminCyclesPath, form))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, cyText(h, i18n.ZhCN, "cycle.err.session_invalid"))
	})
	t.Run("AuditRows", func(t *testing.T) {
		var created, tiedAudit int
		if err := h.db.Pool().QueryRow(t.Context(), `
			SELECT count(*) FILTER (WHERE action = 'cycle.created' AND object_id = $1 AND changes->'review_year'->>'after' = '2027'),
			       count(*) FILTER (WHERE action = 'session.updated' AND object_id = $2 AND (changes->'cycle_id'->>'after')::bigint = $1)
			FROM audit_log`, id, free).Scan(&created, &tiedAudit); err != nil {
			t.Fatal(err)
		}
		if created != 1 || tiedAudit != 1 {
			t.Errorf("audit: %d cycle.created, %d session ties; want 1 each", created, tiedAudit)
		}
	})
}

func TestCycleEditAndClose(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := asAdmin(t, h)
	id := cyQueryID(t, h, `SELECT id FROM reporting_cycles WHERE review_year = 2026`)
	sessionID := cyQueryID(t, h, `SELECT id FROM sessions WHERE cycle_id = $1`, id)
	edit := adminCycleEditPath(id)

	res := h.as(t, admin, get(edit))
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, `name="version" value="1"`, `value="2026"`, `value="2027-01-08"`,
		`<option value="`+fmt.Sprint(sessionID)+`" selected>`, `<option value="open" selected>`)

	form := url.Values{"version": {"1"}, "review_year": {"2026"}, "opens_on": {"2026-11-02"}, "deadline": {"2027-01-10"},
		"session": {fmt.Sprint(sessionID)}, "status": {"open"}}
	t.Run("OK", func(t *testing.T) {
		res := h.as(t, admin, postForm(adminCyclePath(id), form))
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.header.Get("Location"); loc != adminCyclePath(id) {
			t.Errorf("redirect to %q", loc)
		}
		var deadline string
		var version int
		if err := h.db.Pool().QueryRow(t.Context(), `SELECT deadline::text, version FROM reporting_cycles WHERE id = $1`, id).Scan(&deadline, &version); err != nil || deadline != "2027-01-10" || version != 2 {
			t.Errorf("saved deadline %s version %d (%v)", deadline, version, err)
		}
	})
	t.Run("ErrStaleVersion", func(t *testing.T) {
		stale := url.Values{}
		for k, v := range form {
			stale[k] = v
		}
		stale.Set("deadline", "2027-01-12")
		res := h.as(t, admin, postForm(adminCyclePath(id), stale))
		wantStatus(t, res, http.StatusConflict)
		wantContains(t, res.body, cyText(h, i18n.ZhCN, "form.conflict"), `value="2027-01-12"`, `name="version" value="2"`)
	})
	t.Run("ErrBadVersion", func(t *testing.T) {
		bad := url.Values{"version": {"x"}, "review_year": {"2026"}}
		wantStatus(t, h.as(t, admin, postForm(adminCyclePath(id), bad)), http.StatusBadRequest)
	})
	t.Run("ErrUnlinkedAndValidation", func(t *testing.T) {
		bad := url.Values{"version": {"2"}, "review_year": {"2026"}, "opens_on": {"2026-11-02"}, "deadline": {""}, "session": {""}, "status": {"open"}}
		res := h.as(t, admin, inEnglish(postForm(adminCyclePath(id), bad)))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, "Enter the deadline", "Please correct the following")
	})
	t.Run("UnlinkSession", func(t *testing.T) {
		f := url.Values{"version": {"2"}, "review_year": {"2026"}, "opens_on": {"2026-11-02"}, "deadline": {"2027-01-10"}, "session": {""}, "status": {"open"}}
		wantStatus(t, h.as(t, admin, postForm(adminCyclePath(id), f)), http.StatusSeeOther)
		var tied int
		if err := h.db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM sessions WHERE cycle_id = $1`, id).Scan(&tied); err != nil || tied != 0 {
			t.Errorf("%d sessions still tied (%v)", tied, err)
		}
		f.Set("version", "3")
		f.Set("session", fmt.Sprint(sessionID))
		wantStatus(t, h.as(t, admin, postForm(adminCyclePath(id), f)), http.StatusSeeOther)
		if got := cyQueryID(t, h, `SELECT id FROM sessions WHERE cycle_id = $1`, id); got != sessionID {
			t.Errorf("tied again to %d, want %d", got, sessionID)
		}
	})

	t.Run("ErrCloseStale", func(t *testing.T) {
		res := h.as(t, admin, postForm(adminCycleClosePath(id), url.Values{"version": {"1"}}))
		wantStatus(t, res, http.StatusConflict)
		wantContains(t, res.body, cyText(h, i18n.ZhCN, "cycle.err.changed"))
	})
	t.Run("Close", func(t *testing.T) {
		res := h.as(t, admin, postForm(adminCycleClosePath(id), url.Values{"version": {"4"}}))
		wantStatus(t, res, http.StatusSeeOther)
		page := h.as(t, admin, get(adminCyclePath(id)))
		wantContains(t, page.body, cyText(h, i18n.ZhCN, "cycle.flash.closed"), cyText(h, i18n.ZhCN, "cycle.show.closed"))
		wantAbsent(t, page.body, `action="`+adminCycleClosePath(id)+`"`, `action="`+adminCycleExtensionsPath(id)+`"`, `href="`+edit+`"`)
		var audits int
		if err := h.db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE action = 'cycle.closed' AND object_id = $1`, id).Scan(&audits); err != nil || audits != 1 {
			t.Errorf("%d close audits (%v)", audits, err)
		}
	})
	t.Run("ErrEditClosed", func(t *testing.T) {
		res := h.as(t, admin, get(edit))
		wantStatus(t, res, http.StatusConflict)
		wantContains(t, res.body, cyText(h, i18n.ZhCN, "cycle.err.closed"))
		form.Set("version", "5")
		res = h.as(t, admin, postForm(adminCyclePath(id), form))
		wantStatus(t, res, http.StatusConflict)
		wantContains(t, res.body, cyText(h, i18n.ZhCN, "cycle.err.closed"))
	})
	t.Run("ErrExtendClosed", func(t *testing.T) {
		ngoID := ngoIDBySlug(t, h, "women-lawyers")
		res := h.as(t, admin, postForm(adminCycleExtensionsPath(id), url.Values{"ngo": {fmt.Sprint(ngoID)}, "deadline": {"2027-02-01"}, "reason": {"x"}}))
		wantStatus(t, res, http.StatusConflict)
		wantContains(t, res.body, cyText(h, i18n.ZhCN, "cycle.err.closed"))
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		for _, p := range []string{adminCyclePath(999999), adminCycleEditPath(999999), "/admin/cycles/0", "/admin/cycles/01"} {
			wantStatus(t, h.as(t, admin, get(p)), http.StatusNotFound)
		}
	})
}

func TestCycleExtensions(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := asAdmin(t, h)
	id := cyQueryID(t, h, `SELECT id FROM reporting_cycles WHERE review_year = 2026`)
	lawyers := ngoIDBySlug(t, h, "women-lawyers")
	family := ngoIDBySlug(t, h, "family-education")
	path := adminCycleExtensionsPath(id)

	t.Run("PageShowsDemoExtension", func(t *testing.T) {
		res := h.as(t, admin, get(adminCyclePath(id)))
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res.body, "上海市家庭教育研究会", "2027年1月15日", "年度理事会换届", `action="`+adminCycleExtensionDeletePath(id, family)+`"`,
			`<option value="`+fmt.Sprint(lawyers)+`">`)
		// The extended NGO is not offered a second extension.
		wantAbsent(t, res.body, `<option value="`+fmt.Sprint(family)+`">`)
	})
	valid := func() url.Values {
		return url.Values{"ngo": {fmt.Sprint(lawyers)}, "deadline": {"2027-01-20"}, "reason": {"负责人出国交流，需延期"}}
	}
	tests := []struct {
		name   string
		change func(url.Values)
		key    string
	}{
		{"ErrNGORequired", func(v url.Values) { v.Set("ngo", "") }, "cycle.err.ngo_required"},
		{"ErrNGOAlreadyExtended", func(v url.Values) { v.Set("ngo", fmt.Sprint(family)) }, "cycle.err.ngo_invalid"},
		{"ErrNotLater", func(v url.Values) { v.Set("deadline", "2027-01-08") }, "cycle.err.extension_not_later"},
		{"ErrDeadlineRequired", func(v url.Values) { v.Set("deadline", "") }, "cycle.err.deadline_required"},
		{"ErrReasonRequired", func(v url.Values) { v.Set("reason", " ") }, "cycle.err.reason_required"},
		{"ErrReasonTooLong", func(v url.Values) { v.Set("reason", strings.Repeat("因", 501)) }, "cycle.err.reason_too_long"},
	}
	for _, l := range []i18n.Locale{i18n.ZhCN, i18n.En} {
		for _, tt := range tests {
			t.Run(string(l)+"/"+tt.name, func(t *testing.T) {
				form := valid()
				tt.change(form)
				r := postForm(path, form)
				if l == i18n.En {
					r = inEnglish(r)
				}
				res := h.as(t, admin, r)
				wantStatus(t, res, http.StatusUnprocessableEntity)
				wantContains(t, res.body, cyText(h, l, tt.key), cyText(h, l, "form.error_summary"))
				if v := form.Get("reason"); strings.TrimSpace(v) != "" && len(v) < 100 {
					wantContains(t, res.body, html.EscapeString(v))
				}
			})
		}
	}

	t.Run("OK", func(t *testing.T) {
		res := h.as(t, admin, postForm(path, valid()))
		wantStatus(t, res, http.StatusSeeOther)
		d, err := h.db.NGODeadline(t.Context(), id, lawyers)
		if err != nil || d.Format("2006-01-02") != "2027-01-20" {
			t.Errorf("NGODeadline = %s (%v), want 2027-01-20", d, err)
		}
		page := h.as(t, admin, get(adminCyclePath(id)))
		wantContains(t, page.body, cyText(h, i18n.ZhCN, "cycle.flash.extension_granted"), "上海市女律师联谊会", "2027年1月20日", "负责人出国交流，需延期")
		var audits int
		if err := h.db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE action = 'cycle.extension_granted' AND object_id = $1 AND ngo_id = $2`, id, lawyers).Scan(&audits); err != nil || audits != 1 {
			t.Errorf("%d grant audits (%v)", audits, err)
		}
	})
	t.Run("Remove", func(t *testing.T) {
		res := h.as(t, admin, postForm(adminCycleExtensionDeletePath(id, lawyers), url.Values{}))
		wantStatus(t, res, http.StatusSeeOther)
		d, err := h.db.NGODeadline(t.Context(), id, lawyers)
		if err != nil || d.Format("2006-01-02") != "2027-01-08" {
			t.Errorf("NGODeadline after removal = %s (%v), want the cycle's", d, err)
		}
		wantStatus(t, h.as(t, admin, postForm(adminCycleExtensionDeletePath(id, lawyers), url.Values{})), http.StatusNotFound)
		wantStatus(t, h.as(t, admin, postForm(adminCycleExtensionsPath(id)+"/abc/delete", url.Values{})), http.StatusNotFound)
	})
	t.Run("StaffGet404", func(t *testing.T) {
		staff := h.sessionCookie(t, createUser(t, h, "staff", family, "cycle-staff@example.org", "职员"))
		wantStatus(t, h.as(t, staff, get(adminCyclePath(id))), http.StatusNotFound)
		wantStatus(t, h.as(t, staff, postForm(adminCycleExtensionDeletePath(id, family), url.Values{})), http.StatusNotFound)
		if d, _ := h.db.NGODeadline(t.Context(), id, family); d.Format("2006-01-02") != "2027-01-15" {
			t.Errorf("staff removed their own extension: %s", d)
		}
	})
}
