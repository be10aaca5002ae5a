package server

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// dateFormatWords are ways a page could name a date format: a browser's
// date control shows the day in the reader's own format, so a page that
// shows one must not name another.
var dateFormatWords = regexp.MustCompile(`(?i)yyyy|mm[-/]dd|dd[-/]mm|年-月-日`)

// Every form page with a date control leaves the format to the control:
// no hint, label or message on it names a format, in either language.
func TestDateFieldsNameNoFormat(t *testing.T) {
	t.Parallel()
	f := newSRFixture(t)
	h := f.h
	admin := asAdmin(t, h)
	report := f.start(t)
	sessionID := createTestSession(t, h, admin)
	official := cyQueryID(t, h, `SELECT min(id) FROM officials`)
	pages := []struct {
		who  *http.Cookie
		path string
	}{
		{admin, adminSessionNewPath},
		{admin, adminSessionEditPath(sessionID)},
		{admin, adminCycleNewPath},
		{admin, adminCycleEditPath(f.cycle)},
		{admin, adminCyclePath(f.cycle)}, // the extension form
		{admin, adminOfficialNewPath},
		{admin, adminOfficialEditPath(official)},
		{admin, "/admin/audit"},
		{f.staff, staffReportPath(report) + "?add=activities"},
	}
	for _, p := range pages {
		for _, lang := range []string{"zh-CN", "en"} {
			res := h.as(t, p.who, get(p.path, "Accept-Language", lang))
			if res.status != http.StatusOK {
				t.Errorf("%s (%s): status %d", p.path, lang, res.status)
				continue
			}
			if !strings.Contains(res.body, `type="date"`) {
				t.Errorf("%s (%s) has no date control", p.path, lang)
			}
			if m := dateFormatWords.FindString(res.body); m != "" {
				t.Errorf("%s (%s) names a date format: %q", p.path, lang, m)
			}
		}
	}

	// A refused date says what to type, still without naming a format.
	form := f.srComplete(1, "save", "activities.0.starts_on", "8/3/2026")
	res := f.post(t, f.staff, report, form)
	wantStatusCode(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, `id="f-activities-0-starts_on-error">`+f.zh("report.err.date_invalid"))
	if m := dateFormatWords.FindString(res.body); m != "" {
		t.Errorf("the refused date's page names a format: %q", m)
	}
}

// Where a browser shows a text box for a date, a day typed year first as
// people write it is read: 2026/3/8, 2026年3月8日.
func TestDateFieldsReadTypedDays(t *testing.T) {
	t.Parallel()
	f := newSRFixture(t)
	report := f.start(t)
	res := f.post(t, f.staff, report, f.srComplete(1, "save",
		"activities.0.starts_on", "2026/3/8", "activities.0.ends_on", "2026年3月9日"))
	wantStatusCode(t, res, http.StatusSeeOther)
	a := f.stored(t, report).Activities[0]
	if a.StartsOn.Format(time.DateOnly) != "2026-03-08" || a.EndsOn.Format(time.DateOnly) != "2026-03-09" {
		t.Errorf("typed days stored as %s and %s", a.StartsOn, a.EndsOn)
	}

	admin := asAdmin(t, f.h)
	form := sessionFormValues("save")
	form.Set("held_on", "2030年1月18日")
	form.Set("deadline_date", "2030/1/10")
	res = f.h.as(t, admin, postForm(adminSessionsPath, form))
	wantStatusCode(t, res, http.StatusSeeOther)
	var held, deadline string
	if err := f.h.db.Pool().QueryRow(t.Context(), `
		SELECT held_on::text, to_char(reply_deadline AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')
		FROM sessions WHERE title_zh = $1`, form.Get("title_zh")).Scan(&held, &deadline); err != nil {
		t.Fatal(err)
	}
	if held != "2030-01-18" || deadline != "2030-01-10 17:00" {
		t.Errorf("typed session days stored as %s, deadline %s", held, deadline)
	}
}
