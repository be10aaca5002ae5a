package server

import (
	"fmt"
	"maps"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
)

func init() {
	for k, v := range map[string]access{
		"GET /ngo/reports":              staff,
		"POST /ngo/cycles/{id}/report":  staff,
		"GET /ngo/reports/{id}":         staffOfA,
		"POST /ngo/reports/{id}":        staffOfA,
		"GET /ngo/reports/{id}/remove":  staffOfA,
		"POST /ngo/reports/{id}/remove": staffOfA,
	} {
		routeRules[k] = v
	}
	matrixFixtures = append(matrixFixtures, func(t *testing.T, h *harness, ngoA int64, ids, objectIDs map[string]string) {
		cycle := cyQueryID(t, h, `SELECT id FROM reporting_cycles WHERE review_year = 2026`)
		ids["/ngo/cycles/{id}"] = fmt.Sprint(cycle)
		if _, ok := ids["/ngo/reports/{id}"]; ok {
			return // another feature's fixture named NGO A's report already
		}
		var reportID int64
		err := h.db.Pool().QueryRow(t.Context(), `SELECT coalesce(max(id), 0) FROM reports WHERE ngo_id = $1 AND cycle_id = $2`,
			ngoA, cycle).Scan(&reportID)
		if err != nil {
			t.Fatal(err)
		}
		if reportID == 0 {
			srKeepOpen(t, h, cycle)
			r, err := h.db.StartReport(t.Context(), portal.Actor{}, cycle, ngoA)
			if err != nil {
				t.Fatal(err)
			}
			reportID = r.ID
		}
		ids["/ngo/reports/{id}"] = fmt.Sprint(reportID)
	})
}

// srFixture is a harness with two staff members of one NGO that has not
// started its report in the open 2026 cycle, one of another NGO, and the
// vocabulary the forms offer.
type srFixture struct {
	h                     *harness
	ngo, other            int64
	staff, colleague, out *http.Cookie
	staffID               int64
	cycle                 int64 // the open 2026 cycle, its deadline well ahead whatever today's date
	theme, project        int64
}

func newSRFixture(t *testing.T) srFixture {
	t.Helper()
	h := newHarness(t, nil)
	f := srFixture{h: h, ngo: ngoIDBySlug(t, h, "women-professors"), other: ngoIDBySlug(t, h, "women-lawyers")}
	f.staffID = createUser(t, h, portal.RoleStaff, f.ngo, "sr-staff@example.org", "张敏")
	f.staff = h.sessionCookie(t, f.staffID)
	f.colleague = h.sessionCookie(t, createUser(t, h, portal.RoleStaff, f.ngo, "sr-colleague@example.org", "李红"))
	f.out = h.sessionCookie(t, createUser(t, h, portal.RoleStaff, f.other, "sr-other@example.org", "王芳"))
	f.cycle = cyQueryID(t, h, `SELECT id FROM reporting_cycles WHERE review_year = 2026`)
	srKeepOpen(t, h, f.cycle)
	f.theme = cyQueryID(t, h, `SELECT min(id) FROM themes`)
	f.project = cyQueryID(t, h, `SELECT min(id) FROM key_projects`)
	return f
}

// srKeepOpen moves a cycle's deadline 60 days ahead of today, so that no
// test depends on the date it runs.
func srKeepOpen(t *testing.T, h *harness, cycle int64) {
	t.Helper()
	srExec(t, h, `UPDATE reporting_cycles SET deadline = greatest(deadline, current_date + 60) WHERE id = $1`, cycle)
}

func srExec(t *testing.T, h *harness, sql string, args ...any) {
	t.Helper()
	if _, err := h.db.Pool().Exec(t.Context(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// start starts the NGO's 2026 report through the page and returns its id.
func (f srFixture) start(t *testing.T) int64 {
	t.Helper()
	res := f.h.as(t, f.staff, postForm(staffCycleReportPath(f.cycle), url.Values{}))
	if res.status != http.StatusSeeOther {
		t.Fatalf("start: status %d", res.status)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(res.header.Get("Location"), staffReportsPath+"/"), 10, 64)
	if err != nil {
		t.Fatalf("start went to %q", res.header.Get("Location"))
	}
	return id
}

// addPrevious gives the NGO what a 2026 report carries over: an accepted
// 2025 report with one plan item, and a request the session tied to the
// 2025 cycle addressed to it.
func (f srFixture) addPrevious(t *testing.T) {
	t.Helper()
	srExec(t, f.h, `
		WITH c AS (
			INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status)
			VALUES (2025, 2026, '2025-11-01', '2026-01-08', 'closed') RETURNING id
		), s AS (
			INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, cycle_id)
			SELECT 'sr-2026-session', '2026年测试会议', '2026 test session', 'municipal', '2026-01-19', 'held', id FROM c
			RETURNING id
		), i AS (
			INSERT INTO invitations (session_id, ngo_id) SELECT id, $1 FROM s
		), q AS (
			INSERT INTO session_requests (session_id, number, text_zh, text_en)
			SELECT id, 1, '搭建职业女性交流平台', 'Build platforms for career women' FROM s
		), r AS (
			INSERT INTO reports (cycle_id, ngo_id, status, submitted_at, accepted_at)
			SELECT id, $1, 'accepted', now(), now() FROM c RETURNING id
		)
		INSERT INTO report_plan_items (report_id, position, title) SELECT id, 1, '导师结对计划' FROM r`, f.ngo)
}

// stored reads what the database holds of report id.
func (f srFixture) stored(t *testing.T, id int64) portal.Report {
	t.Helper()
	r, err := f.h.db.ReportForNGO(t.Context(), f.ngo, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (f srFixture) post(t *testing.T, c *http.Cookie, id int64, form url.Values) response {
	t.Helper()
	return f.h.as(t, c, postForm(staffReportPath(id), form))
}

func (f srFixture) zh(key string, kv ...any) string { return cyText(f.h, i18n.ZhCN, key, kv...) }
func (f srFixture) en(key string, kv ...any) string { return cyText(f.h, i18n.En, key, kv...) }

// srForm is a report form post: version, op and field pairs.
func srForm(version int, op string, kv ...string) url.Values {
	v := url.Values{"version": {strconv.Itoa(version)}, "op": {op}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// srActivity is one complete activity row i as form fields.
func srActivity(i int, title string, theme int64) []string {
	p := func(f string) string { return portal.RowField("activities", i, f) }
	return []string{p("title"), title, p("kind"), "lecture", p("mode"), "offline", p("starts_on"), "2026-03-08",
		p("ends_on"), "2026-03-08", p("people_reached"), "120", p("women_reached"), "100", p("partners"), "社区",
		p("themes"), fmt.Sprint(theme)}
}

// srFollow is where a redirect sends the browser, without the fragment
// (which a browser keeps to itself).
func srFollow(res response) string {
	loc, _, _ := strings.Cut(res.header.Get("Location"), "#")
	return loc
}

func wantStatusCode(t *testing.T, res response, want int) {
	t.Helper()
	if res.status != want {
		t.Fatalf("status %d, want %d; Location %q", res.status, want, res.header.Get("Location"))
	}
}

func TestStaffReportStart(t *testing.T) {
	t.Parallel()
	f := newSRFixture(t)
	srExec(t, f.h, `INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status) VALUES
		(2030, 2031, '2030-11-01', '2031-01-08', 'draft'),
		(2017, 2018, '2017-11-01', '2018-01-08', 'closed'),
		(2018, 2019, '2018-11-01', '2019-01-08', 'open')`)
	cycleOf := func(year int) int64 {
		return cyQueryID(t, f.h, `SELECT id FROM reporting_cycles WHERE review_year = $1`, year)
	}

	res := f.h.as(t, f.staff, get(staffReportsPath))
	wantStatusCode(t, res, http.StatusOK)
	wantContains(t, res.body, f.zh("reportform.list.title"), f.zh("reportform.cycle_name", "Year", 2026, "PlanYear", 2027),
		`action="`+staffCycleReportPath(f.cycle)+`"`, f.zh("reportform.list.start", "Year", 2026),
		f.zh("reportform.cycle_name", "Year", 2020, "PlanYear", 2021))
	wantAbsent(t, res.body, "2030", `action="`+staffCycleReportPath(cycleOf(2017))+`"`,
		`action="`+staffCycleReportPath(cycleOf(2018))+`"`)
	res = f.h.as(t, f.staff, inEnglish(get(staffReportsPath)))
	wantContains(t, res.body, "Work of 2026, plans for 2027", "Start the 2026 report")

	var id int64
	t.Run("OK", func(t *testing.T) {
		id = f.start(t)
		res := f.h.as(t, f.staff, get(staffReportPath(id)))
		wantStatusCode(t, res, http.StatusOK)
		wantContains(t, res.body, f.zh("reportform.flash.started"), f.zh("reportform.title", "Year", 2026), `<form class="stack report-form"`)
		if r := f.stored(t, id); r.Status != portal.ReportDraft || r.CycleID != f.cycle {
			t.Errorf("started report: %s in cycle %d", r.Status, r.CycleID)
		}
	})
	t.Run("OKAgainGoesToTheSameReport", func(t *testing.T) {
		if again := f.start(t); again != id {
			t.Errorf("second start made report %d, want %d", again, id)
		}
		if n := sessionTestCount(t, f.h, `SELECT count(*) FROM reports WHERE ngo_id = $1 AND cycle_id = $2`, f.ngo, f.cycle); n != 1 {
			t.Errorf("%d reports", n)
		}
		res := f.h.as(t, f.staff, get(staffReportsPath))
		wantContains(t, res.body, `href="`+staffReportPath(id)+`"`, f.zh("report.status.draft"))
	})
	t.Run("ErrNotFoundDraftCycle", func(t *testing.T) {
		res := f.h.as(t, f.staff, postForm(staffCycleReportPath(cycleOf(2030)), url.Values{}))
		wantStatusCode(t, res, http.StatusNotFound)
	})
	t.Run("ErrClosedCycle", func(t *testing.T) {
		res := f.h.as(t, f.staff, postForm(staffCycleReportPath(cycleOf(2017)), url.Values{}))
		wantStatusCode(t, res, http.StatusConflict)
		wantContains(t, res.body, f.zh("reportform.problem.start_closed"))
	})
	t.Run("ErrDeadlinePassed", func(t *testing.T) {
		res := f.h.as(t, f.staff, postForm(staffCycleReportPath(cycleOf(2018)), url.Values{}))
		wantStatusCode(t, res, http.StatusConflict)
		wantContains(t, res.body, f.zh("reportform.problem.start_deadline"))
	})
	if n := sessionTestCount(t, f.h, `SELECT count(*) FROM reports WHERE ngo_id = $1 AND cycle_id IN ($2, $3, $4)`,
		f.ngo, cycleOf(2030), cycleOf(2017), cycleOf(2018)); n != 0 {
		t.Errorf("refused starts made %d reports", n)
	}
}

func TestStaffReportSaveDraft(t *testing.T) {
	t.Parallel()
	f := newSRFixture(t)
	id := f.start(t)

	res := f.h.as(t, f.staff, get(staffReportPath(id)))
	wantStatusCode(t, res, http.StatusOK)
	for _, s := range portal.ReportSections {
		wantContains(t, res.body, `id="section-`+s+`"`)
	}
	wantContains(t, res.body, `name="version" value="1"`, `name="narrative"`, `id="f-narrative"`,
		`name="legal_representative"`, `name="declaration"`, `href="`+staffReportFilesPath(id)+`"`)
	// Enter in a text field presses the first submit button: it must save.
	form := res.body[strings.Index(res.body, `<form class="stack report-form"`):]
	if first := strings.Index(form, `type="submit"`); first < 0 || !strings.HasPrefix(form[first:], `type="submit" name="op" value="save"`) {
		t.Errorf("the form's first submit button is not save")
	}

	res = f.post(t, f.staff, id, srForm(1, "save", "narrative", "  本年度开展系列讲座。\r\n第二段。 ", "activities.count", "0"))
	wantStatusCode(t, res, http.StatusSeeOther)
	if loc := res.header.Get("Location"); loc != staffReportPath(id) {
		t.Errorf("saved, went to %q", loc)
	}
	r := f.stored(t, id)
	if r.Narrative != "本年度开展系列讲座。\n第二段。" || r.Version != 2 || r.Status != portal.ReportDraft {
		t.Errorf("saved %q at version %d, %s", r.Narrative, r.Version, r.Status)
	}
	if n := sessionTestCount(t, f.h, `SELECT count(*) FROM audit_log WHERE action = $1 AND object_id = $2`,
		string(portal.AuditReportSaved), id); n != 1 {
		t.Errorf("%d audit rows for the save", n)
	}
	res = f.h.as(t, f.staff, get(staffReportPath(id)))
	wantContains(t, res.body, f.zh("reportform.flash.saved"), "本年度开展系列讲座。", `name="version" value="2"`)
}

func TestStaffReportRowsByPostBack(t *testing.T) {
	t.Parallel()
	f := newSRFixture(t)
	id := f.start(t)

	// A row added after typing keeps the typing: the button saves the
	// draft, then the page shows the new row with the focus on it.
	res := f.post(t, f.staff, id, srForm(1, "add:activities", "narrative", "先写的文字", "activities.count", "0"))
	wantStatusCode(t, res, http.StatusSeeOther)
	if loc := res.header.Get("Location"); loc != staffReportPath(id)+"?add=activities#f-activities-0-title" {
		t.Errorf("added, went to %q", loc)
	}
	if r := f.stored(t, id); r.Narrative != "先写的文字" || r.Version != 2 {
		t.Fatalf("add did not save first: %q at version %d", r.Narrative, r.Version)
	}
	res = f.h.as(t, f.staff, get(srFollow(res)))
	wantStatusCode(t, res, http.StatusOK)
	wantContains(t, res.body, `name="activities.0.title" value="" autofocus`, "先写的文字", `name="version" value="2"`,
		`<legend>`+f.zh("reportform.row.activities", "N", 1)+`</legend>`, `name="activities.count" value="1"`)

	// Fill it in and add a second: the first is saved.
	form := srForm(2, "add:activities", append(srActivity(0, "第一场讲座", f.theme), "activities.count", "1")...)
	res = f.post(t, f.staff, id, form)
	wantStatusCode(t, res, http.StatusSeeOther)
	res = f.h.as(t, f.staff, get(srFollow(res)))
	wantContains(t, res.body, `name="activities.0.title" value="第一场讲座"`, `name="activities.1.title" value="" autofocus`,
		`name="activities.count" value="2"`, `value="remove:activities.1"`, f.zh("reportform.remove.activities", "N", 2))
	wantAbsent(t, res.body, `name="activities.0.title" value="第一场讲座" autofocus`)

	// Removing asks first: the button saves everything typed, then a page
	// names the row and what goes with it.
	form = srForm(3, "remove:activities.0", append(append(srActivity(0, "第一场讲座", f.theme),
		srActivity(1, "第二场讲座", f.theme)...), "activities.count", "2")...)
	res = f.post(t, f.staff, id, form)
	wantStatusCode(t, res, http.StatusSeeOther)
	ask := staffReportRemovePath(id, "activities", 0)
	if loc := res.header.Get("Location"); loc != ask {
		t.Fatalf("remove went to %q, want %q", loc, ask)
	}
	if r := f.stored(t, id); len(r.Activities) != 2 || r.Version != 4 {
		t.Fatalf("before confirming: %d activities at version %d", len(r.Activities), r.Version)
	}
	row1 := f.zh("reportform.row.activities", "N", 1)
	res = f.h.as(t, f.staff, get(ask))
	wantStatusCode(t, res, http.StatusOK)
	wantContains(t, res.body, "<h1>"+f.zh("reportform.remove.title", "Row", row1)+"</h1>", "第一场讲座", "社区",
		`name="version" value="4"`, `name="row" value="activities.0"`, f.zh("reportform.remove.confirm", "Row", row1),
		`href="`+staffReportPath(id)+`#f-activities-0-title"`)
	wantAbsent(t, res.body, "第二场讲座")

	confirm := url.Values{"version": {"4"}, "row": {"activities.0"}}
	res = f.h.as(t, f.staff, postForm(staffReportPath(id)+"/remove", confirm))
	wantStatusCode(t, res, http.StatusSeeOther)
	r := f.stored(t, id)
	if len(r.Activities) != 1 || r.Activities[0].Title != "第二场讲座" || r.Version != 5 {
		t.Fatalf("after confirming: %+v at version %d", r.Activities, r.Version)
	}
	// Confirming again at the old version removes nothing: the page asks
	// about the row now in that place.
	res = f.h.as(t, f.staff, postForm(staffReportPath(id)+"/remove", confirm))
	wantStatusCode(t, res, http.StatusConflict)
	wantContains(t, res.body, f.zh("reportform.remove.conflict"), "第二场讲座", `name="version" value="5"`)
	if r := f.stored(t, id); len(r.Activities) != 1 {
		t.Fatalf("a stale confirmation removed a row")
	}

	// An added row left empty is dropped on saving; removing one asks nothing.
	form = srForm(5, "save", append(srActivity(0, "第二场讲座", f.theme), "activities.count", "2",
		"media.count", "1", "plan_items.count", "1", "plan_items.0.quarter", "0")...)
	res = f.post(t, f.staff, id, form)
	wantStatusCode(t, res, http.StatusSeeOther)
	r = f.stored(t, id)
	if len(r.Activities) != 1 || r.Activities[0].Title != "第二场讲座" || len(r.Activities[0].ThemeIDs) != 1 ||
		len(r.Media) != 0 || len(r.PlanItems) != 0 {
		t.Errorf("saved %+v, media %d, plan %d", r.Activities, len(r.Media), len(r.PlanItems))
	}
	res = f.post(t, f.staff, id, srForm(r.Version, "remove:activities.1", append(srActivity(0, "第二场讲座", f.theme), "activities.count", "2")...))
	wantStatusCode(t, res, http.StatusSeeOther)
	if loc := res.header.Get("Location"); loc != staffReportPath(id) {
		t.Errorf("removing an empty row went to %q", loc)
	}

	t.Run("ErrBadOp", func(t *testing.T) {
		for _, op := range []string{"remove:progress.0", "add:answers", "delete", "remove:activities.x"} {
			res := f.post(t, f.staff, id, srForm(2, op, "activities.count", "1"))
			if res.status != http.StatusBadRequest {
				t.Errorf("op %q: status %d", op, res.status)
			}
		}
		for _, row := range []string{"", "progress.0", "activities.-1"} {
			res := f.h.as(t, f.staff, get(staffReportPath(id)+"/remove?row="+row))
			if res.status != http.StatusBadRequest {
				t.Errorf("ask to remove %q: status %d", row, res.status)
			}
		}
	})
	t.Run("RowCountBounded", func(t *testing.T) {
		r := f.stored(t, id)
		kv := []string{"media.count", "100000"}
		for i := range portal.MaxReportRows {
			kv = append(kv, portal.RowField("media", i, "channel"), "wechat")
		}
		res := f.post(t, f.staff, id, srForm(r.Version, "add:media", kv...))
		wantStatusCode(t, res, http.StatusUnprocessableEntity)
		if n := strings.Count(res.body, `<legend>`+f.zh("reportform.row.media", "N", 1)+`</legend>`); n != 1 {
			t.Errorf("row 1 shown %d times", n)
		}
		wantContains(t, res.body, `name="media.count" value="200"`, f.zh("report.err.too_many_rows"))
		if r := f.stored(t, id); len(r.Media) != portal.MaxReportRows {
			t.Errorf("%d media rows saved", len(r.Media))
		}
	})
}

// A draft with an incomplete row is saved and reloaded intact; values that
// cannot be stored are left out of the save and come back as typed.
func TestStaffReportBadInput(t *testing.T) {
	t.Parallel()
	f := newSRFixture(t)
	id := f.start(t)
	form := srForm(1, "save",
		"narrative", "保留的叙述", "activities.count", "2",
		// Row 1 is fine; row 2 has every kind of mistake.
		"activities.0.title", "好的一行", "activities.0.kind", "lecture", "activities.0.mode", "online",
		"activities.0.starts_on", "2026-02-01", "activities.0.ends_on", "2026-02-01",
		"activities.1.title", "", "activities.1.kind", "lecture", "activities.1.mode", "offline",
		"activities.1.starts_on", "2026-13-01", "activities.1.ends_on", "2025-05-01",
		"activities.1.people_reached", "abc", "activities.1.women_reached", "-3", "activities.1.partners", "妇联",
		"media.count", "1", "media.0.channel", "wechat", "media.0.items", "12", "media.0.reads", "1.5",
		"highlight", strings.Repeat("长", portal.MaxHighlight+1),
	)
	for i, c := range []struct {
		name string
		req  func(*http.Request) *http.Request
		text func(key string, kv ...any) string
	}{
		{"Chinese", func(r *http.Request) *http.Request { return r }, f.zh},
		{"English", inEnglish, f.en},
	} {
		t.Run(c.name, func(t *testing.T) {
			form.Set("version", strconv.Itoa(1+i))
			res := f.h.as(t, f.staff, c.req(postForm(staffReportPath(id), form)))
			wantStatusCode(t, res, http.StatusUnprocessableEntity)
			row2 := c.text("reportform.row.activities", "N", 2) + c.text("reportform.label_sep")
			wantContains(t, res.body, `class="error-summary"`, c.text("reportform.saved_except"),
				// Every value comes back as typed, at the saved version.
				`name="version" value="2"`,
				`>保留的叙述</textarea>`, `name="activities.0.title" value="好的一行"`, `name="activities.1.starts_on" value="2026-13-01"`,
				`name="activities.1.ends_on" value="2025-05-01"`, `name="activities.1.people_reached" value="abc"`,
				`name="activities.1.women_reached" value="-3"`, `name="media.0.reads" value="1.5"`,
				// The summary names the row and links to the control.
				`href="#f-activities-1-people_reached"`, `href="#f-media-0-reads"`,
				row2+c.text("report.field.people_reached")+c.text("reportform.label_sep")+c.text("report.err.number_whole"),
				// Each message stands by its control: what was not stored...
				`id="f-activities-1-starts_on-error">`+c.text("report.err.date_invalid"),
				`id="f-activities-1-people_reached-error">`+c.text("report.err.number_whole"),
				`id="f-activities-1-women_reached-error">`+c.text("report.err.number_negative"),
				`id="f-media-0-reads-error">`+c.text("report.err.number_whole"),
				`id="f-highlight-error">`+c.text("report.err.too_long"),
				// ...and, as notes, what the saved row still lacks.
				`id="f-activities-1-title-note">`+c.text("report.err.title_required"),
				`id="f-activities-1-ends_on-note">`+c.text("report.err.date_outside_year"),
			)
			wantAbsent(t, res.body, `id="f-activities-0-title-error"`, `id="f-activities-0-title-note"`,
				`id="f-activities-1-title-error"`, c.text("report.err.women_above_people"))
			// The same post again changes nothing, so writes nothing.
			if r := f.stored(t, id); r.Version != 2 {
				t.Errorf("version %d after save %d", r.Version, i+1)
			}
		})
	}
	// Everything else is saved, the incomplete row too, and reads back.
	r := f.stored(t, id)
	if r.Narrative != "保留的叙述" || r.Highlight != "" || len(r.Activities) != 2 || len(r.Media) != 1 {
		t.Fatalf("saved %q %q, %d activities, %d media", r.Narrative, r.Highlight, len(r.Activities), len(r.Media))
	}
	a := r.Activities[1]
	if a.Title != "" || a.Kind != portal.KindLecture || !a.StartsOn.IsZero() || a.EndsOn.Year() != 2025 ||
		a.PeopleReached != 0 || a.WomenReached != 0 || a.Partners != "妇联" || r.Media[0].Items != 12 || r.Media[0].Reads != 0 {
		t.Errorf("incomplete row saved as %+v, media %+v", a, r.Media[0])
	}
	res := f.h.as(t, f.staff, get(staffReportPath(id)))
	wantStatusCode(t, res, http.StatusOK)
	wantContains(t, res.body, `name="activities.1.partners"`, ">妇联</textarea>", `name="activities.1.ends_on" value="2025-05-01"`,
		f.zh("reportform.notes.title"), `href="#f-activities-1-title"`,
		`id="f-activities-1-title-note">`+f.zh("report.err.title_required"),
		`id="f-activities-1-starts_on-note">`+f.zh("report.err.date_required"))

	t.Run("ErrUnknownTheme", func(t *testing.T) {
		v := f.stored(t, id).Version
		form := srForm(v, "save", append(srActivity(0, "主题不存在", 999999), "activities.count", "1")...)
		res := f.post(t, f.staff, id, form)
		wantStatusCode(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, `name="activities.0.title" value="主题不存在"`,
			`id="f-activities-0-themes-error">`+f.zh("report.err.theme_invalid"))
		if r := f.stored(t, id); r.Version != v {
			t.Errorf("refused input was saved: version %d", r.Version)
		}
	})
}

func TestStaffReportSubmitIncomplete(t *testing.T) {
	t.Parallel()
	f := newSRFixture(t)
	f.addPrevious(t)
	id := f.start(t)
	r := f.stored(t, id)
	if len(r.Progress) != 1 || len(r.Answers) != 1 {
		t.Fatalf("carried over %d progress rows, %d answers", len(r.Progress), len(r.Answers))
	}
	res := f.h.as(t, f.staff, get(staffReportPath(id)))
	wantContains(t, res.body, "导师结对计划", "搭建职业女性交流平台", `name="progress.0.status"`, `name="answers.0.answer"`)

	res = f.post(t, f.staff, id, srForm(1, "submit", "narrative", "只写了叙述", "progress.0.note", "进行中"))
	wantStatusCode(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, f.zh("reportform.missing.title"), "只写了叙述", `name="version" value="2"`,
		`<a href="#f-highlight">`+f.zh("report.missing.highlight"),
		`<a href="#section-activities">`+f.zh("report.missing.activities"),
		`<a href="#section-plan">`+f.zh("report.missing.plan_items"),
		`<a href="#f-progress-0-status">`+f.zh("reportform.row.progress_titled", "N", 1, "Title", "导师结对计划"),
		`<a href="#f-answers-0-answer">`+f.zh("reportform.row.answers", "N", 1),
		`<a href="#f-legal_representative">`+f.zh("report.missing.legal_representative"),
		`<a href="#f-declaration">`+f.zh("report.missing.declaration"),
		`<a href="`+staffReportFilesPath(id)+`">`+f.zh("report.missing.cover"),
		// The targets exist.
		`id="f-highlight"`, `id="section-activities"`, `id="section-plan"`, `id="f-progress-0-status"`,
		`id="f-answers-0-answer"`, `id="f-legal_representative"`, `id="f-declaration"`)
	wantAbsent(t, res.body, `href="#f-narrative"`)
	// Section by section, in page order.
	order := []string{"#f-highlight", "#section-activities", "#section-plan", "#f-progress-0-status", "#f-answers-0-answer", "#f-legal_representative"}
	for i := 1; i < len(order); i++ {
		if strings.Index(res.body, order[i-1]) > strings.Index(res.body, order[i]) {
			t.Errorf("%s listed after %s", order[i-1], order[i])
		}
	}
	r = f.stored(t, id)
	if r.Status != portal.ReportDraft || r.Narrative != "只写了叙述" || r.Progress[0].Note != "进行中" {
		t.Errorf("after the refused submission: %s, %q, %q", r.Status, r.Narrative, r.Progress[0].Note)
	}
}

// srComplete is a complete report form (but for the cover page) of a
// report started with addPrevious; extra pairs replace its values.
func (f srFixture) srComplete(version int, op string, extra ...string) url.Values {
	kv := append(srActivity(0, "职业女性沙龙", f.theme), "activities.count", "1",
		"narrative", "本年度围绕女性职业发展开展系列活动。", "highlight", "服务女性三千余人次。",
		"media.count", "1", "media.0.channel", "wechat", "media.0.items", "40", "media.0.reads", "52000",
		"plan_items.count", "1", "plan_items.0.title", "导师计划", "plan_items.0.quarter", "2",
		"plan_items.0.key_project", fmt.Sprint(f.project), "plan_items.0.themes", fmt.Sprint(f.theme),
		"progress.0.status", "done", "progress.0.note", "已完成",
		"answers.0.answer", "举办了三场交流会。",
		"legal_representative", "李静", "declaration", "on")
	v := srForm(version, op, kv...)
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return v
}

func (f srFixture) addCover(t *testing.T, id int64) {
	t.Helper()
	a := portal.Actor{UserID: f.staffID, ClientAddr: netip.MustParseAddr("192.0.2.1"), RequestID: "test"}
	if _, err := f.h.db.AddAttachment(t.Context(), a, f.ngo, id, portal.AttachmentCover, "封面.pdf", portal.TypePDF,
		[]byte("%PDF-1.4\n%test cover\n"), attRoomy); err != nil {
		t.Fatal(err)
	}
}

func TestStaffReportSubmitComplete(t *testing.T) {
	t.Parallel()
	f := newSRFixture(t)
	f.addPrevious(t)
	id := f.start(t)
	f.addCover(t, id)
	res := f.h.as(t, f.staff, get(staffReportPath(id)))
	wantContains(t, res.body, "封面.pdf")

	res = f.post(t, f.staff, id, f.srComplete(1, "submit"))
	wantStatusCode(t, res, http.StatusSeeOther)
	r := f.stored(t, id)
	if r.Status != portal.ReportSubmitted || r.DeclaredBy != f.staffID || len(r.PlanItems) != 1 || r.PlanItems[0].KeyProjectID != f.project {
		t.Fatalf("after submitting: %s declared by %d, plan %+v", r.Status, r.DeclaredBy, r.PlanItems)
	}

	res = f.h.as(t, f.staff, get(staffReportPath(id)))
	wantStatusCode(t, res, http.StatusOK)
	wantContains(t, res.body, f.zh("reportform.flash.submitted"), f.zh("reportform.readonly.submitted"),
		`id="section-narrative"`, "本年度围绕女性职业发展开展系列活动。", "职业女性沙龙", "封面.pdf",
		f.zh("report.event.submitted"), f.zh("reportform.history"))
	wantAbsent(t, res.body, `<form class="stack report-form"`, `name="narrative"`)

	t.Run("ErrReadOnly", func(t *testing.T) {
		res := f.post(t, f.staff, id, f.srComplete(r.Version, "save", "narrative", "提交后的修改"))
		wantStatusCode(t, res, http.StatusConflict)
		wantContains(t, res.body, f.zh("reportform.problem.read_only"))
		res = f.post(t, f.staff, id, srForm(r.Version, "add:activities", "activities.count", "1"))
		wantStatusCode(t, res, http.StatusConflict)
		after := f.stored(t, id)
		if after.Version != r.Version || after.Narrative != r.Narrative || after.Status != portal.ReportSubmitted {
			t.Errorf("a refused post changed the report: version %d, %q", after.Version, after.Narrative)
		}
	})
}

func TestStaffReportReturned(t *testing.T) {
	t.Parallel()
	f := newSRFixture(t)
	f.addPrevious(t)
	id := f.start(t)
	f.addCover(t, id)
	wantStatusCode(t, f.post(t, f.staff, id, f.srComplete(1, "submit")), http.StatusSeeOther)
	r := f.stored(t, id)
	admin := createUser(t, f.h, portal.RoleAdmin, 0, "sr-admin@example.org", "审核人")
	if err := f.h.db.ReturnReport(t.Context(), portal.Actor{UserID: admin}, id, r.Version, "请补充数据来源。",
		map[string]string{portal.SectionMedia: "阅读量请注明统计口径。"}); err != nil {
		t.Fatal(err)
	}

	res := f.h.as(t, f.staff, get(staffReportPath(id)))
	wantStatusCode(t, res, http.StatusOK)
	wantContains(t, res.body, `<form class="stack report-form"`, f.zh("reportform.return.title"), "请补充数据来源。",
		f.zh("reportform.return.nothing_changed"))
	media := res.body[strings.Index(res.body, `<section id="section-media"`):]
	media = media[:strings.Index(media, "</section>")]
	wantContains(t, media, "阅读量请注明统计口径。")

	r = f.stored(t, id)
	res = f.post(t, f.staff, id, f.srComplete(r.Version, "save", "media.0.reads", "48000"))
	wantStatusCode(t, res, http.StatusSeeOther)
	res = f.h.as(t, f.staff, get(staffReportPath(id)))
	changed := res.body[strings.Index(res.body, f.zh("reportform.return.changed")):]
	changed = changed[:strings.Index(changed, "</ul>")]
	wantContains(t, changed, `href="#section-media"`)
	wantAbsent(t, changed, `href="#section-narrative"`)
}

func TestStaffReportConflict(t *testing.T) {
	t.Parallel()
	f := newSRFixture(t)
	id := f.start(t)
	wantStatusCode(t, f.post(t, f.staff, id, srForm(1, "save", "narrative", "甲先保存的版本")), http.StatusSeeOther)

	res := f.post(t, f.colleague, id, srForm(1, "save", "narrative", "乙后保存的版本", "highlight", "乙的亮点"))
	wantStatusCode(t, res, http.StatusConflict)
	wantContains(t, res.body, f.zh("reportform.conflict"), f.zh("reportform.conflict_reload"), `href="`+staffReportPath(id)+`"`,
		"乙后保存的版本", "乙的亮点", `name="version" value="2"`)
	if r := f.stored(t, id); r.Narrative != "甲先保存的版本" || r.Highlight != "" || r.Version != 2 {
		t.Errorf("the database holds %q, %q at version %d", r.Narrative, r.Highlight, r.Version)
	}
}

func TestStaffReportOtherNGO(t *testing.T) {
	t.Parallel()
	f := newSRFixture(t)
	id := f.start(t)
	res := f.h.as(t, f.out, get(staffReportPath(id)))
	wantStatusCode(t, res, http.StatusNotFound)
	res = f.post(t, f.out, id, srForm(1, "save", "narrative", "别人的修改"))
	wantStatusCode(t, res, http.StatusNotFound)
	res = f.post(t, f.out, id, srForm(1, "submit"))
	wantStatusCode(t, res, http.StatusNotFound)
	if r := f.stored(t, id); r.Version != 1 || r.Narrative != "" {
		t.Errorf("another NGO changed the report: version %d, %q", r.Version, r.Narrative)
	}
}

func TestStaffReportDeadline(t *testing.T) {
	t.Parallel()
	f := newSRFixture(t)
	id := f.start(t)
	srExec(t, f.h, `UPDATE reporting_cycles SET opens_on = current_date - 30, deadline = current_date - 2 WHERE id = $1`, f.cycle)

	res := f.h.as(t, f.staff, get(staffReportPath(id)))
	wantStatusCode(t, res, http.StatusOK)
	wantContains(t, res.body, f.zh("reportform.readonly.deadline"), `id="section-narrative"`)
	wantAbsent(t, res.body, `<form class="stack report-form"`)
	res = f.post(t, f.staff, id, srForm(1, "save", "narrative", "截止后的修改"))
	wantStatusCode(t, res, http.StatusConflict)
	wantContains(t, res.body, f.zh("reportform.problem.deadline"))
	if r := f.stored(t, id); r.Version != 1 || r.Narrative != "" {
		t.Fatalf("saved after the deadline: version %d", r.Version)
	}
	res = f.h.as(t, f.staff, get(staffReportsPath))
	wantContains(t, res.body, f.zh("reportform.list.passed"))

	// An extension opens it again.
	srExec(t, f.h, `INSERT INTO cycle_extensions (cycle_id, ngo_id, deadline, reason) VALUES ($1, $2, current_date + 10, '换届')`,
		f.cycle, f.ngo)
	res = f.h.as(t, f.staff, get(staffReportPath(id)))
	wantContains(t, res.body, `<form class="stack report-form"`)
	wantAbsent(t, res.body, f.zh("reportform.readonly.deadline"))
	res = f.post(t, f.staff, id, srForm(1, "save", "narrative", "延期后的修改"))
	wantStatusCode(t, res, http.StatusSeeOther)
	if r := f.stored(t, id); r.Narrative != "延期后的修改" {
		t.Errorf("not saved within the extension: %q", r.Narrative)
	}
	res = f.h.as(t, f.staff, get(staffReportsPath))
	wantContains(t, res.body, f.zh("reportform.list.extended"))
}

// srIndex reads the section index of a report page: section → status.
var srIndexEntry = regexp.MustCompile(`<a href="#section-([a-z]+)"><span class="report-index-name">[^<]*</span>\s*<span class="badge [a-z]+">([^<]*)</span></a>`)

func srIndex(t *testing.T, body string) (sections []string, status map[string]string) {
	t.Helper()
	start := strings.Index(body, `<nav id="report-index"`)
	end := strings.Index(body[max(start, 0):], `</nav>`)
	if start < 0 || end < 0 {
		t.Fatal("the report form has no section index")
	}
	status = map[string]string{}
	for _, m := range srIndexEntry.FindAllStringSubmatch(body[start:start+end], -1) {
		sections = append(sections, m[1])
		status[m[1]] = m[2]
	}
	return sections, status
}

// The section index heads the form: every section in page order, each
// with what the saved draft still lacks in words, each link reaching its
// section, and a way back to the index after each section.
func TestStaffReportSectionIndex(t *testing.T) {
	t.Parallel()
	f := newSRFixture(t)
	f.addPrevious(t)
	id := f.start(t)

	res := f.h.as(t, f.staff, get(staffReportPath(id)))
	wantStatusCode(t, res, http.StatusOK)
	sections, status := srIndex(t, res.body)
	if !slices.Equal(sections, portal.ReportSections) {
		t.Errorf("index lists %v, want %v", sections, portal.ReportSections)
	}
	want := map[string]string{
		portal.SectionNarrative:   f.zh("reportform.index.missing_many", "N", 2), // narrative, highlight
		portal.SectionActivities:  f.zh("reportform.index.missing_one"),
		portal.SectionMedia:       f.zh("reportform.index.complete"),
		portal.SectionPlan:        f.zh("reportform.index.missing_one"),
		portal.SectionProgress:    f.zh("reportform.index.missing_one"),
		portal.SectionAnswers:     f.zh("reportform.index.missing_one"),
		portal.SectionAttestation: f.zh("reportform.index.missing_many", "N", 3), // representative, declaration, cover
	}
	if !maps.Equal(status, want) {
		t.Errorf("new report's statuses %v, want %v", status, want)
	}
	if want := "缺 3 项"; status[portal.SectionAttestation] != want {
		t.Errorf("attestation says %q, want %q", status[portal.SectionAttestation], want)
	}
	// The answers to the requests sit in the progress section, grouped
	// with the outcomes of the items answering them: #section-answers is
	// inside it, and the two share one link back.
	for _, s := range portal.ReportSections {
		if s == portal.SectionAnswers {
			wantContains(t, res.body, `<div id="section-answers"`)
		} else {
			wantContains(t, res.body, `<section id="section-`+s+`"`)
		}
	}
	if n := strings.Count(res.body, `<p class="report-index-back"><a href="#report-index">`); n != len(portal.ReportSections)-1 {
		t.Errorf("%d links back to the index, want one per section but the answers", n)
	}

	// A saved draft with an incomplete activity row: the row's notes count.
	res = f.post(t, f.staff, id, f.srComplete(1, "save", "activities.0.kind", ""))
	wantStatusCode(t, res, http.StatusSeeOther)
	res = f.h.as(t, f.staff, get(staffReportPath(id)))
	_, status = srIndex(t, res.body)
	want = map[string]string{
		portal.SectionNarrative: f.zh("reportform.index.complete"), portal.SectionActivities: f.zh("reportform.index.missing_one"),
		portal.SectionMedia: f.zh("reportform.index.complete"), portal.SectionPlan: f.zh("reportform.index.complete"),
		portal.SectionProgress: f.zh("reportform.index.complete"), portal.SectionAnswers: f.zh("reportform.index.complete"),
		portal.SectionAttestation: f.zh("reportform.index.missing_one"), // the cover page
	}
	if !maps.Equal(status, want) {
		t.Errorf("saved draft's statuses %v, want %v", status, want)
	}

	// The cover attached and the row completed: complete throughout, in English too.
	f.addCover(t, id)
	res = f.post(t, f.staff, id, f.srComplete(2, "save"))
	wantStatusCode(t, res, http.StatusSeeOther)
	res = f.h.as(t, f.staff, get(staffReportPath(id), "Accept-Language", "en"))
	wantContains(t, res.body, "Report sections")
	_, status = srIndex(t, res.body)
	for _, s := range portal.ReportSections {
		if status[s] != "Complete" {
			t.Errorf("complete draft: %s says %q", s, status[s])
		}
	}
}
