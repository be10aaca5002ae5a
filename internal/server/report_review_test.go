package server

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
)

func init() {
	for k, v := range map[string]access{
		"GET /admin/cycles/{id}/reports":   officials,
		"GET /admin/reports/{id}":          officials,
		"POST /admin/reports/{id}/accept":  officials,
		"GET /admin/reports/{id}/return":   officials,
		"POST /admin/reports/{id}/return":  officials,
		"GET /admin/reports/{id}/versions": officials,
		"GET /ngo/reports/{id}/versions":   staffOfA,
	} {
		routeRules[k] = v
	}
	matrixFixtures = append(matrixFixtures, func(t *testing.T, h *harness, ngoA int64, ids, objectIDs map[string]string) {
		if _, ok := ids["/admin/reports/{id}"]; ok {
			return
		}
		// Admins may open any report: the demo's first, or else a draft
		// NGO A starts in the open 2026 cycle.
		id := cyQueryID(t, h, `SELECT coalesce(min(id), 0) FROM reports`)
		if id == 0 {
			staff := createUser(t, h, portal.RoleStaff, ngoA, "matrix-review@example.org", "审阅矩阵")
			cycle := cyQueryID(t, h, `SELECT id FROM reporting_cycles WHERE review_year = 2026`)
			r, err := h.db.StartReport(t.Context(), portal.Actor{UserID: staff, Email: "matrix-review@example.org"}, cycle, ngoA)
			if err != nil {
				t.Fatal(err)
			}
			id = r.ID
		}
		ids["/admin/reports/{id}"] = fmt.Sprint(id)
	})
}

// rvFixture is a reporting cycle of the review tests' own (work of 2030),
// tied to a session with one request, and a theme to tag rows with.
type rvFixture struct {
	h        *harness
	admin    *http.Cookie
	adminAct portal.Actor
	cycle    int64
	session  int64
	request  int64
	themeZH  string
	themeEN  string
	theme    int64
}

func newRVFixture(t *testing.T) rvFixture {
	t.Helper()
	h := newHarness(t, nil)
	f := rvFixture{h: h}
	email := "review-admin-" + strings.ToLower(newToken()[:10]) + "@example.org"
	id := createUser(t, h, portal.RoleAdmin, 0, email, "审阅管理员")
	f.admin, f.adminAct = h.sessionCookie(t, id), portal.Actor{UserID: id, Email: email}
	f.cycle = cyQueryID(t, h, `INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status)
		VALUES (2030, 2031, '2026-01-01', '2099-12-31', 'open') RETURNING id`)
	f.session = cyQueryID(t, h, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on, cycle_id)
		VALUES ('review-test-2031', '2031年测试会议', '2031 test session', 'municipal', '2031-01-18', $1) RETURNING id`, f.cycle)
	f.request = cyQueryID(t, h, `INSERT INTO session_requests (session_id, number, text_zh, text_en, addressed_to_all)
		VALUES ($1, 7, '讲好上海女性故事', 'Tell the story of Shanghai women well', false) RETURNING id`, f.session)
	if err := h.db.Pool().QueryRow(t.Context(), `SELECT id, name_zh, name_en FROM themes ORDER BY position, id LIMIT 1`).
		Scan(&f.theme, &f.themeZH, &f.themeEN); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f rvFixture) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if _, err := f.h.db.Pool().Exec(t.Context(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// rvNGO is one demo NGO taking part in the fixture's cycle, with a staff
// member of its own.
type rvNGO struct {
	id     int64
	nameZH string
	nameEN string
	staff  portal.Actor
}

func (f rvFixture) ngo(t *testing.T, slug string) rvNGO {
	t.Helper()
	n := rvNGO{}
	if err := f.h.db.Pool().QueryRow(t.Context(), `SELECT id, name_zh, name_en FROM ngos WHERE slug = $1`, slug).
		Scan(&n.id, &n.nameZH, &n.nameEN); err != nil {
		t.Fatal(err)
	}
	email := "review-" + slug + "@example.org"
	n.staff = portal.Actor{UserID: createUser(t, f.h, portal.RoleStaff, n.id, email, "填报人"), Email: email}
	f.exec(t, `INSERT INTO request_recipients (request_id, ngo_id) VALUES ($1, $2)`, f.request, n.id)
	return n
}

// start starts n's report in the fixture's cycle.
func (f rvFixture) start(t *testing.T, n rvNGO) portal.Report {
	t.Helper()
	r, err := f.h.db.StartReport(t.Context(), n.staff, f.cycle, n.id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// submit fills n's report with complete content, attaches a cover page
// and submits it at the given moment.
func (f rvFixture) submit(t *testing.T, n rvNGO, at time.Time) portal.Report {
	t.Helper()
	ctx := t.Context()
	r := f.start(t, n)
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	r.Narrative = "全年围绕女律师执业发展开展工作。"
	r.Highlight = "为女性提供法律咨询一千二百人次。"
	r.LegalRepresentative = "王敏"
	r.Declaration = true
	r.Activities = []portal.Activity{
		{Title: "婚姻家庭法律讲座", Kind: portal.KindLecture, Mode: portal.ModeOffline, StartsOn: day("2030-03-08"),
			EndsOn: day("2030-03-08"), PeopleReached: 12345, WomenReached: 11000, Partners: "社区", ThemeIDs: []int64{f.theme}},
		{Title: "线上普法直播", Kind: portal.KindCampaign, Mode: portal.ModeOnline, StartsOn: day("2030-05-01"),
			EndsOn: day("2030-06-30"), PeopleReached: 3000, WomenReached: 2500},
	}
	r.Media = []portal.MediaWork{{Channel: portal.ChannelWeChat, Items: 40, Reads: 52000}}
	r.PlanItems = []portal.PlanItem{{Title: "女性创业法律服务团", Description: "每季度一次", Quarter: 2,
		ThemeIDs: []int64{f.theme}, RequestIDs: []int64{f.request}}}
	saved, err := f.h.db.SaveDraft(ctx, n.staff, n.id, r, r.Version)
	if err != nil {
		t.Fatalf("save: %v", err)
	}
	f.exec(t, `INSERT INTO report_attachments (report_id, kind, filename, content_type, size_bytes, sha256, data)
		VALUES ($1, 'cover', 'cover.pdf', 'application/pdf', 4, sha256('%PDF'::bytea), '%PDF'::bytea)`, r.ID)
	sub, err := f.h.db.SubmitReport(ctx, n.staff, n.id, saved, saved.Version, at)
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	return sub
}

// rvIndex is where s first occurs in body; it fails when s is absent.
func rvIndex(t *testing.T, body, s string) int {
	t.Helper()
	i := strings.Index(body, s)
	if i < 0 {
		t.Fatalf("body lacks %q", s)
	}
	return i
}

// rvTableBody is the board table's body, where the rows are.
func rvTableBody(t *testing.T, body string) string {
	t.Helper()
	start := rvIndex(t, body, "<tbody>")
	return body[start : start+rvIndex(t, body[start:], "</tbody>")]
}

func TestReviewBoard(t *testing.T) {
	t.Parallel()
	f := newRVFixture(t)
	h := f.h
	lawyers, professors := f.ngo(t, "women-lawyers"), f.ngo(t, "women-professors")
	volunteers, journalists := f.ngo(t, "women-volunteers"), f.ngo(t, "women-journalists")
	submitted := f.submit(t, lawyers, time.Now())
	f.start(t, professors)
	done := f.submit(t, journalists, time.Now().Add(-2*time.Hour))
	if err := h.db.AcceptReport(t.Context(), f.adminAct, done.ID, done.Version); err != nil {
		t.Fatal(err)
	}
	// The cycle's deadline has passed; the volunteers have an extension.
	f.exec(t, `UPDATE reporting_cycles SET deadline = '2026-01-10' WHERE id = $1`, f.cycle)
	f.exec(t, `INSERT INTO cycle_extensions (cycle_id, ngo_id, deadline, reason) VALUES ($1, $2, '2099-06-30', '负责人出国')`,
		f.cycle, volunteers.id)
	var active int
	if err := h.db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM ngos WHERE active`).Scan(&active); err != nil {
		t.Fatal(err)
	}
	board := reviewBoardPath(f.cycle)

	// rowOf is the table row of NGO name.
	rowOf := func(t *testing.T, body, name string) string {
		t.Helper()
		tb := rvTableBody(t, body)
		i := rvIndex(t, tb, html.EscapeString(name))
		start := strings.LastIndex(tb[:i], "<tr>")
		return tb[start : i+strings.Index(tb[i:], "</tr>")]
	}

	t.Run("AllNGOsWithStatuses", func(t *testing.T) {
		for _, l := range []i18n.Locale{i18n.ZhCN, i18n.En} {
			r := get(board)
			if l == i18n.En {
				r = inEnglish(r)
			}
			res := h.as(t, f.admin, r)
			wantStatus(t, res, http.StatusOK)
			if n := strings.Count(rvTableBody(t, res.body), "<tr>"); n != active {
				t.Errorf("%s: %d rows, want one per active NGO (%d)", l, n, active)
			}
			name := func(n rvNGO) string { return map[i18n.Locale]string{i18n.ZhCN: n.nameZH, i18n.En: n.nameEN}[l] }
			status := func(s portal.ReportStatus) string { return cyText(h, l, "report.status."+string(s)) }
			wantContains(t, rowOf(t, res.body, name(lawyers)), status(portal.ReportSubmitted), `href="`+reviewReportPath(submitted.ID)+`"`,
				rvTime(h, l, submitted.SubmittedAt))
			wantAbsent(t, rowOf(t, res.body, name(lawyers)), cyText(h, l, "review.board.overdue_mark"))
			wantContains(t, rowOf(t, res.body, name(professors)), status(portal.ReportDraft), cyText(h, l, "review.board.overdue_mark"), rvDay(h, l, 2026, time.January, 10))
			wantContains(t, rowOf(t, res.body, name(journalists)), status(portal.ReportAccepted))
			vol := rowOf(t, res.body, name(volunteers))
			wantContains(t, vol, status(portal.ReportNotStarted), cyText(h, l, "review.board.extended"), rvDay(h, l, 2099, time.June, 30))
			wantAbsent(t, vol, cyText(h, l, "review.board.overdue_mark"), "href=")
			wantContains(t, res.body, cyText(h, l, "review.board.title", "ReviewYear", 2030, "PlanYear", 2031),
				`href="`+reviewIndicatorsPath(f.cycle)+`"`, `href="`+adminCyclePath(f.cycle)+`"`,
				`<th scope="col" aria-sort="ascending">`)
			// Counts at the top: one accepted, one submitted, one draft.
			wantContains(t, res.body, `<li><a href="`+html.EscapeString(board+"?status=accepted")+`">`+status(portal.ReportAccepted)+`</a> <strong>1</strong></li>`)
			// The caption says how the rows are sorted, which holds on a
			// phone too, where the sortable headings are hidden.
			wantContains(t, res.body, "<caption>"+cyText(h, l, "review.board.caption", "Sort", cyText(h, l, "review.sort.name"),
				"Dir", cyText(h, l, "review.dir.asc"))+"</caption>")
		}
	})

	// Names sort in the reader's language: Chinese by pinyin (教授 jiàoshòu,
	// 律师 lǜshī, 医师 yīshī; code-point order is the reverse), English
	// alphabetically, accents and case aside: "Shanghai Élite…" comes before
	// "Shanghai Women…", where code-point order, lower-cased or not, puts
	// it last.
	t.Run("NameOrderInReaderLanguage", func(t *testing.T) {
		f.exec(t, `UPDATE ngos SET name_en = 'Shanghai Élite Women Physicians Association' WHERE slug = 'women-physicians'`)
		physicians := f.ngo(t, "women-physicians")
		for _, tc := range []struct {
			locale i18n.Locale
			want   []string
		}{
			{i18n.ZhCN, []string{professors.nameZH, lawyers.nameZH, physicians.nameZH}},
			{i18n.En, []string{physicians.nameEN, lawyers.nameEN, professors.nameEN}},
		} {
			r := get(board)
			if tc.locale == i18n.En {
				r = inEnglish(r)
			}
			res := h.as(t, f.admin, r)
			wantStatus(t, res, http.StatusOK)
			tb := rvTableBody(t, res.body)
			for i := 1; i < len(tc.want); i++ {
				if rvIndex(t, tb, html.EscapeString(tc.want[i-1])) > rvIndex(t, tb, html.EscapeString(tc.want[i])) {
					t.Errorf("%s: %s comes after %s, want the order %q", tc.locale, tc.want[i-1], tc.want[i], tc.want)
				}
			}
		}
	})

	t.Run("FilterByStatus", func(t *testing.T) {
		res := h.as(t, f.admin, get(board+"?status=draft"))
		wantStatus(t, res, http.StatusOK)
		tb := rvTableBody(t, res.body)
		if n := strings.Count(tb, "<tr>"); n != 1 {
			t.Errorf("%d rows, want the one draft", n)
		}
		wantContains(t, tb, html.EscapeString(professors.nameZH))
		wantContains(t, res.body, `<option value="draft" selected>`)
	})

	t.Run("FilterOverdue", func(t *testing.T) {
		res := h.as(t, f.admin, get(board+"?overdue=on"))
		wantStatus(t, res, http.StatusOK)
		tb := rvTableBody(t, res.body)
		// Every NGO but the two submitted ones and the extended one.
		if n := strings.Count(tb, "<tr>"); n != active-3 {
			t.Errorf("%d rows, want %d overdue", n, active-3)
		}
		wantAbsent(t, tb, html.EscapeString(lawyers.nameZH), html.EscapeString(volunteers.nameZH), html.EscapeString(journalists.nameZH))
		wantContains(t, res.body, `name="overdue" value="on" checked`)
	})

	t.Run("SortByStatusDescending", func(t *testing.T) {
		res := h.as(t, f.admin, get(board+"?sort=status&dir=desc"))
		wantStatus(t, res, http.StatusOK)
		tb := rvTableBody(t, res.body)
		a, s, d := rvIndex(t, tb, html.EscapeString(journalists.nameZH)), rvIndex(t, tb, html.EscapeString(lawyers.nameZH)),
			rvIndex(t, tb, html.EscapeString(professors.nameZH))
		if !(a < s && s < d) || rvIndex(t, tb, html.EscapeString(volunteers.nameZH)) < d {
			t.Errorf("rows not sorted accepted, submitted, draft, not started: %d %d %d", a, s, d)
		}
		wantContains(t, res.body, `<th scope="col" aria-sort="descending"><a href="`+html.EscapeString(board+"?sort=status")+`">`)
		if strings.Count(res.body, "aria-sort=") != 1 {
			t.Error("aria-sort on more than the sorted column")
		}
		// The filter form offers the sort too (the phone's way to sort) and
		// shows the current one.
		form := res.body[rvIndex(t, res.body, `<form class="filters"`):]
		form = form[:rvIndex(t, form, "</form>")]
		wantContains(t, form, `<select id="f-sort" name="sort"`, `<option value="status" selected>`,
			`<select id="f-dir" name="dir"`, `<option value="desc" selected>`, `<label for="f-sort">`)
	})

	t.Run("SortBySubmitted", func(t *testing.T) {
		res := h.as(t, f.admin, get(board+"?sort=submitted&dir=desc"))
		wantStatus(t, res, http.StatusOK)
		tb := rvTableBody(t, res.body)
		if l, j := rvIndex(t, tb, html.EscapeString(lawyers.nameZH)), rvIndex(t, tb, html.EscapeString(journalists.nameZH)); l > j {
			t.Error("the latest submission is not first")
		}
		res = h.as(t, f.admin, get(board+"?sort=submitted"))
		tb = rvTableBody(t, res.body)
		if l, j := rvIndex(t, tb, html.EscapeString(lawyers.nameZH)), rvIndex(t, tb, html.EscapeString(journalists.nameZH)); l < j {
			t.Error("ascending: the latest submission comes before an earlier one")
		}
	})

	t.Run("BadParamsFallBack", func(t *testing.T) {
		res := h.as(t, f.admin, get(board+"?status=bogus&sort=%3Cx%3E&dir=sideways&overdue=yes&page=-1"))
		wantStatus(t, res, http.StatusOK)
		if n := strings.Count(rvTableBody(t, res.body), "<tr>"); n != active {
			t.Errorf("%d rows, want all %d", n, active)
		}
		wantContains(t, res.body, `<th scope="col" aria-sort="ascending">`)
		wantAbsent(t, res.body, "&lt;x&gt;")
	})

	t.Run("UnknownCycle", func(t *testing.T) {
		wantStatus(t, h.as(t, f.admin, get(reviewBoardPath(999999))), http.StatusNotFound)
	})

	t.Run("LinkOnCyclePage", func(t *testing.T) {
		res := h.as(t, f.admin, get(adminCyclePath(f.cycle)))
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res.body, `href="`+board+`"`)
	})
}

// rvTime is a moment as the review pages show it: the day in the reader's
// language, then the time of day, in the federation's zone.
func rvTime(h *harness, l i18n.Locale, at time.Time) string {
	local := at.In(portal.FederationZone)
	return h.srv.cat.Translator(l).Date(local) + " " + local.Format("15:04")
}

// rvDay is a calendar day as the review pages show it.
func rvDay(h *harness, l i18n.Locale, y int, m time.Month, d int) string {
	return h.srv.cat.Translator(l).Date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

func TestReviewReportPage(t *testing.T) {
	t.Parallel()
	f := newRVFixture(t)
	h := f.h
	lawyers := f.ngo(t, "women-lawyers")
	r := f.submit(t, lawyers, time.Now())

	for _, l := range []i18n.Locale{i18n.ZhCN, i18n.En} {
		t.Run(string(l), func(t *testing.T) {
			req := get(reviewReportPath(r.ID))
			if l == i18n.En {
				req = inEnglish(req)
			}
			res := h.as(t, f.admin, req)
			wantStatus(t, res, http.StatusOK)
			ngoName := map[i18n.Locale]string{i18n.ZhCN: lawyers.nameZH, i18n.En: lawyers.nameEN}[l]
			theme := map[i18n.Locale]string{i18n.ZhCN: f.themeZH, i18n.En: f.themeEN}[l]
			wantContains(t, res.body,
				"<h1>"+cyText(h, l, "review.report.title", "NGO", ngoName, "Year", 2030)+"</h1>",
				cyText(h, l, "report.status.submitted"),
				"婚姻家庭法律讲座", html.EscapeString(theme), "12,345", "52,000",
				cyText(h, l, "review.view.request_number", "Number", 7),
				`id="section-narrative"`, `id="section-attestation"`,
				cyText(h, l, "report.kind.lecture"), cyText(h, l, "report.quarter.2"), rvDay(h, l, 2030, time.March, 8),
				"cover.pdf", `href="`+reviewAttachmentsPath(r.ID)+"/",
				cyText(h, l, "report.event.submitted"), html.EscapeString(lawyers.staff.Email),
				`formaction="`+reviewAcceptPath(r.ID)+`"`, `action="`+reviewReturnPath(r.ID)+`"`,
				`name="version" value="`+fmt.Sprint(r.Version)+`"`)
			// The comment on each section sits at the end of that section,
			// before the next one; the overall comment and both actions
			// close the same form.
			// The answers share the progress section (grouped by request),
			// whose end holds the comments on both.
			for i, sec := range portal.ReportSections {
				start := rvIndex(t, res.body, `id="section-`+sec+`"`)
				end := len(res.body)
				next := i + 1
				if sec == portal.SectionProgress {
					next++
				}
				if next < len(portal.ReportSections) {
					end = rvIndex(t, res.body, `id="section-`+portal.ReportSections[next]+`"`)
				} else {
					end = rvIndex(t, res.body, `id="review-decision"`)
				}
				wantContains(t, res.body[start:end], `<label for="f-section_`+sec+`">`, cyText(h, l, "review.form.section."+sec),
					`<textarea id="f-section_`+sec+`" name="section_`+sec+`"`)
			}
			form := res.body[rvIndex(t, res.body, `<form id="review-form"`):]
			form = form[:rvIndex(t, form, "</form>")]
			wantContains(t, form, `<textarea id="f-comment" name="comment"`, `name="version" value="`+fmt.Sprint(r.Version)+`"`,
				cyText(h, l, "review.report.return")+"</button>", `formaction="`+reviewAcceptPath(r.ID)+`"`)
			if strings.Count(res.body, "<form") != strings.Count(res.body, "</form>") || strings.Count(form, "<form") != 1 {
				t.Error("forms are nested or unbalanced")
			}
			// Submitted once: nothing to compare yet.
			wantAbsent(t, res.body, cyText(h, l, "review.changes.title"))
			if n := strings.Count(res.body, "<h1"); n != 1 {
				t.Errorf("%d h1 elements", n)
			}
			ids := regexp.MustCompile(`id="([^"]+)"`).FindAllStringSubmatch(res.body, -1)
			seen := map[string]bool{}
			for _, m := range ids {
				if seen[m[1]] {
					t.Errorf("duplicate id %q", m[1])
				}
				seen[m[1]] = true
			}
		})
	}

	t.Run("UnknownReport", func(t *testing.T) {
		wantStatus(t, h.as(t, f.admin, get(reviewReportPath(999999))), http.StatusNotFound)
		wantStatus(t, h.as(t, f.admin, get(reviewReturnPath(999999))), http.StatusNotFound)
	})

	t.Run("OldReturnPageRedirects", func(t *testing.T) {
		res := h.as(t, f.admin, get(reviewReturnPath(r.ID)))
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.header.Get("Location"); loc != reviewReportPath(r.ID)+"#review-decision" {
			t.Errorf("Location %q", loc)
		}
	})
}

// rvReturnForm is a return with an overall comment and comments per section.
func rvReturnForm(version int, comment string, sections map[string]string) url.Values {
	v := url.Values{"version": {fmt.Sprint(version)}, "comment": {comment}}
	for s, c := range sections {
		v.Set("section_"+s, c)
	}
	return v
}

// The whole review: return with comments, the NGO revises and resubmits,
// the page shows what changed, accept; refusals along the way.
func TestReviewJourney(t *testing.T) {
	t.Parallel()
	f := newRVFixture(t)
	h := f.h
	ctx := t.Context()
	lawyers := f.ngo(t, "women-lawyers")
	r := f.submit(t, lawyers, time.Now())
	returnPath := reviewReturnPath(r.ID)

	t.Run("ErrAllCommentsEmpty", func(t *testing.T) {
		res := h.as(t, f.admin, postForm(returnPath, rvReturnForm(r.Version, "  ", nil)))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, cyText(h, i18n.ZhCN, "report.err.comment_required"), cyText(h, i18n.ZhCN, "form.error_summary"),
			`href="#f-comment"`)
	})

	t.Run("ErrTooLongKeepsValues", func(t *testing.T) {
		long := strings.Repeat("长", portal.MaxReturnSectionComment+1)
		sections := map[string]string{}
		for _, sec := range portal.ReportSections {
			sections[sec] = "意见保留：" + sec
		}
		sections[portal.SectionMedia] = long
		res := h.as(t, f.admin, postForm(returnPath, rvReturnForm(r.Version, "总体意见保留", sections)))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, cyText(h, i18n.ZhCN, "report.err.too_long"), `href="#f-section_media"`,
			">总体意见保留</textarea>", ">"+long+"</textarea>", `name="version" value="`+fmt.Sprint(r.Version)+`"`,
			`id="section-narrative"`, "婚姻家庭法律讲座")
		for sec, c := range sections {
			// Each comment comes back in its own section's field.
			wantContains(t, res.body, `name="section_`+sec+`" rows="3" maxlength="2000"`)
			field := res.body[rvIndex(t, res.body, `name="section_`+sec+`"`):]
			if !strings.HasPrefix(field[strings.Index(field, ">")+1:], c+"</textarea>") {
				t.Errorf("section %s lost its comment", sec)
			}
		}
		if got, _ := h.db.ReportByID(ctx, r.ID); got.Status != portal.ReportSubmitted {
			t.Errorf("status %s after a refused return", got.Status)
		}
	})

	t.Run("ErrStaleVersionKeepsComments", func(t *testing.T) {
		res := h.as(t, f.admin, postForm(returnPath, rvReturnForm(r.Version-1, "过期的意见",
			map[string]string{portal.SectionActivities: "活动意见"})))
		wantStatus(t, res, http.StatusConflict)
		wantContains(t, res.body, cyText(h, i18n.ZhCN, "review.err.changed"), ">过期的意见</textarea>", ">活动意见</textarea>",
			`name="version" value="`+fmt.Sprint(r.Version)+`"`)
		res = h.as(t, f.admin, postForm(reviewAcceptPath(r.ID), url.Values{"version": {fmt.Sprint(r.Version - 1)}}))
		wantStatus(t, res, http.StatusConflict)
		wantContains(t, res.body, cyText(h, i18n.ZhCN, "review.err.changed"))
	})

	t.Run("Return", func(t *testing.T) {
		res := h.as(t, f.admin, postForm(returnPath, rvReturnForm(r.Version, "请补充活动成效。",
			map[string]string{portal.SectionNarrative: "请写明服务人次的统计方法。"})))
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.header.Get("Location"); loc != reviewReportPath(r.ID) {
			t.Fatalf("Location %q", loc)
		}
		got, err := h.db.ReportFor(ctx, f.cycle, lawyers.id)
		if err != nil || got.Status != portal.ReportReturned {
			t.Fatalf("the NGO's report: %s, %v; want returned", got.Status, err)
		}
		history, err := h.db.ReportHistory(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		last := history[len(history)-1]
		if last.Action != portal.EventReturned || last.Comment != "请补充活动成效。" || last.ActorEmail != f.adminAct.Email ||
			last.SectionComments[portal.SectionNarrative] != "请写明服务人次的统计方法。" || len(last.SectionComments) != 1 {
			t.Errorf("return event %+v", last)
		}
		page := h.as(t, f.admin, get(reviewReportPath(r.ID)))
		wantContains(t, page.body, "请补充活动成效。", "请写明服务人次的统计方法。", cyText(h, i18n.ZhCN, "report.status.returned"),
			cyText(h, i18n.ZhCN, "review.changes.title"), cyText(h, i18n.ZhCN, "review.changes.none"))
		wantAbsent(t, page.body, `action="`+reviewAcceptPath(r.ID)+`"`, `<form id="review-form"`)
		// A returned report cannot be returned or accepted again.
		wantStatus(t, h.as(t, f.admin, postForm(returnPath, rvReturnForm(got.Version, "再退一次", nil))), http.StatusConflict)
		wantStatus(t, h.as(t, f.admin, postForm(reviewAcceptPath(r.ID), url.Values{"version": {fmt.Sprint(got.Version)}})), http.StatusConflict)
	})

	var resubmitted portal.Report
	t.Run("ResubmitShowsChanges", func(t *testing.T) {
		cur, err := h.db.ReportFor(ctx, f.cycle, lawyers.id)
		if err != nil {
			t.Fatal(err)
		}
		cur.Highlight = "为女性提供法律咨询一千五百人次。"
		cur.Declaration = true
		saved, err := h.db.SaveDraft(ctx, lawyers.staff, lawyers.id, cur, cur.Version)
		if err != nil {
			t.Fatal(err)
		}
		if resubmitted, err = h.db.SubmitReport(ctx, lawyers.staff, lawyers.id, saved, saved.Version, time.Now()); err != nil {
			t.Fatal(err)
		}
		for _, l := range []i18n.Locale{i18n.ZhCN, i18n.En} {
			req := get(reviewReportPath(r.ID))
			if l == i18n.En {
				req = inEnglish(req)
			}
			res := h.as(t, f.admin, req)
			wantStatus(t, res, http.StatusOK)
			wantContains(t, res.body, cyText(h, l, "review.changes.title"), `href="#section-narrative"`,
				cyText(h, l, "review.changes.before"), cyText(h, l, "report.event.resubmitted"))
			// Chinese is compared character by character: only 二 → 五
			// is marked, each mark named for screen readers.
			changes := res.body[rvIndex(t, res.body, `id="review-changes-title"`):rvIndex(t, res.body, `id="section-narrative"`)]
			hidden := func(key string) string {
				return `<span class="visually-hidden">` + cyText(h, l, key) + `</span>`
			}
			wantContains(t, changes,
				"为女性提供法律咨询一千<del>"+hidden("review.diff.deleted_start")+"二"+hidden("review.diff.deleted_end")+"</del>百人次。",
				"为女性提供法律咨询一千<ins>"+hidden("review.diff.inserted_start")+"五"+hidden("review.diff.inserted_end")+"</ins>百人次。")
			for _, s := range portal.ReportSections[1:] {
				wantAbsent(t, res.body, `href="#section-`+s+`"`)
			}
		}
	})

	t.Run("RowChanges", func(t *testing.T) {
		// Return again; the NGO replaces an activity: the page lists the
		// activities only, with the row removed and the row added.
		if err := h.db.ReturnReport(ctx, f.adminAct, r.ID, resubmitted.Version, "再改一次", nil); err != nil {
			t.Fatal(err)
		}
		cur, err := h.db.ReportFor(ctx, f.cycle, lawyers.id)
		if err != nil {
			t.Fatal(err)
		}
		cur.Activities[1].Title = "线上普法直播（第二季）"
		if _, err := h.db.SaveDraft(ctx, lawyers.staff, lawyers.id, cur, cur.Version); err != nil {
			t.Fatal(err)
		}
		res := h.as(t, f.admin, get(reviewReportPath(r.ID)))
		wantStatus(t, res, http.StatusOK)
		changes := res.body[rvIndex(t, res.body, `id="review-changes-title"`):rvIndex(t, res.body, `id="section-narrative"`)]
		wantContains(t, changes, `href="#section-activities"`, cyText(h, i18n.ZhCN, "review.changes.row_changed"),
			// The changed title is the one changed cell; the words added to it are marked.
			`<td class="diff-cell-changed"><span class="visually-hidden">`+cyText(h, i18n.ZhCN, "review.diff.cell_changed")+`</span>线上普法直播<ins>`)
		wantAbsent(t, changes, `href="#section-narrative"`, "婚姻家庭法律讲座", "<del>", cyText(h, i18n.ZhCN, "review.changes.row_removed"))
		if n := strings.Count(changes, `class="diff-cell-changed"`); n != 1 {
			t.Errorf("%d changed cells, want 1 (the title)", n)
		}
		// Resubmit for the accept below.
		cur, _ = h.db.ReportFor(ctx, f.cycle, lawyers.id)
		cur.Declaration = true
		saved, err := h.db.SaveDraft(ctx, lawyers.staff, lawyers.id, cur, cur.Version)
		if err != nil {
			t.Fatal(err)
		}
		if resubmitted, err = h.db.SubmitReport(ctx, lawyers.staff, lawyers.id, saved, saved.Version, time.Now()); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("Accept", func(t *testing.T) {
		res := h.as(t, f.admin, postForm(reviewAcceptPath(r.ID), url.Values{"version": {fmt.Sprint(resubmitted.Version)}}))
		wantStatus(t, res, http.StatusSeeOther)
		got, err := h.db.ReportFor(ctx, f.cycle, lawyers.id)
		if err != nil || got.Status != portal.ReportAccepted || got.AcceptedAt.IsZero() {
			t.Fatalf("after accept: %s, %v", got.Status, err)
		}
		history, err := h.db.ReportHistory(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range history {
			actions = append(actions, string(e.Action))
			if e.At.IsZero() || e.ActorEmail == "" {
				t.Errorf("event %s lacks when or who: %+v", e.Action, e)
			}
		}
		want := "created submitted returned resubmitted returned resubmitted accepted"
		if strings.Join(actions, " ") != want {
			t.Errorf("history %v, want %s", actions, want)
		}
		if last := history[len(history)-1]; last.ActorEmail != f.adminAct.Email {
			t.Errorf("accepted by %q", last.ActorEmail)
		}
		page := h.as(t, f.admin, get(reviewReportPath(r.ID)))
		wantContains(t, page.body, cyText(h, i18n.ZhCN, "review.flash.accepted"), cyText(h, i18n.ZhCN, "report.event.accepted"),
			html.EscapeString(f.adminAct.Email), "请补充活动成效。", "再改一次", cyText(h, i18n.ZhCN, "review.report.accepted_at"))
		wantAbsent(t, page.body, `action="`+reviewAcceptPath(r.ID)+`"`, `action="`+returnPath+`"`)
	})
}

func TestReviewClosedCycle(t *testing.T) {
	t.Parallel()
	f := newRVFixture(t)
	h := f.h
	lawyers := f.ngo(t, "women-lawyers")
	r := f.submit(t, lawyers, time.Now())
	f.exec(t, `UPDATE reporting_cycles SET status = 'closed' WHERE id = $1`, f.cycle)

	page := h.as(t, f.admin, get(reviewReportPath(r.ID)))
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.body, cyText(h, i18n.ZhCN, "review.report.closed_hint"), `formaction="`+reviewAcceptPath(r.ID)+`"`)
	wantAbsent(t, page.body, cyText(h, i18n.ZhCN, "review.report.return")+"</button>", `name="section_narrative"`)

	res := h.as(t, f.admin, postForm(reviewReturnPath(r.ID), rvReturnForm(r.Version, "来不及了",
		map[string]string{portal.SectionPlan: "计划意见"})))
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, res.body, cyText(h, i18n.ZhCN, "review.err.cycle_closed"), ">来不及了</textarea>", ">计划意见</textarea>")
	wantAbsent(t, res.body, cyText(h, i18n.ZhCN, "review.report.return")+"</button>")

	res = h.as(t, f.admin, postForm(reviewAcceptPath(r.ID), url.Values{"version": {fmt.Sprint(r.Version)}}))
	wantStatus(t, res, http.StatusSeeOther)
	if got, err := h.db.ReportByID(t.Context(), r.ID); err != nil || got.Status != portal.ReportAccepted {
		t.Errorf("after accept in a closed cycle: %s, %v", got.Status, err)
	}
}

// Each submission keeps a read-only copy: the NGO (its own reports only)
// and admins list them, open any, and compare any two with the changed
// words marked.
func TestReviewVersions(t *testing.T) {
	t.Parallel()
	f := newRVFixture(t)
	h := f.h
	ctx := t.Context()
	lawyers := f.ngo(t, "women-lawyers")
	professors := f.ngo(t, "women-professors")
	r := f.submit(t, lawyers, time.Now())
	if err := h.db.ReturnReport(ctx, f.adminAct, r.ID, r.Version, "请核对人次", nil); err != nil {
		t.Fatal(err)
	}
	cur, err := h.db.ReportFor(ctx, f.cycle, lawyers.id)
	if err != nil {
		t.Fatal(err)
	}
	cur.Highlight = "为女性提供法律咨询一千五百人次。"
	cur.Declaration = true
	saved, err := h.db.SaveDraft(ctx, lawyers.staff, lawyers.id, cur, cur.Version)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.db.SubmitReport(ctx, lawyers.staff, lawyers.id, saved, saved.Version, time.Now()); err != nil {
		t.Fatal(err)
	}
	history, err := h.db.ReportHistory(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	var snaps []string
	for _, e := range history {
		if e.Snapshot != nil {
			snaps = append(snaps, fmt.Sprint(e.ID))
		}
	}
	if len(snaps) != 2 {
		t.Fatalf("%d submissions, want 2", len(snaps))
	}
	staff := h.sessionCookie(t, lawyers.staff.UserID)
	other := h.sessionCookie(t, professors.staff.UserID)
	staffPath := staffVersionsPath(r.ID)

	for _, tc := range []struct {
		name   string
		cookie *http.Cookie
		path   string
	}{{"Staff", staff, staffPath}, {"Admin", f.admin, reviewVersionsPath(r.ID)}} {
		t.Run(tc.name, func(t *testing.T) {
			res := h.as(t, tc.cookie, get(tc.path))
			wantStatus(t, res, http.StatusOK)
			wantContains(t, res.body, cyText(h, i18n.ZhCN, "review.versions.label", "N", 1), cyText(h, i18n.ZhCN, "review.versions.label", "N", 2),
				`href="`+tc.path+`?v=`+snaps[0]+`"`, `href="`+tc.path+`?v=`+snaps[1]+`"`, html.EscapeString(lawyers.staff.Email),
				`<form class="filters" method="get" action="`+tc.path+`"`, `<select id="f-from" name="from">`, `<select id="f-to" name="to">`)

			// The first submission, read-only: the highlight as it was then.
			res = h.as(t, tc.cookie, get(tc.path+"?v="+snaps[0]))
			wantStatus(t, res, http.StatusOK)
			shown := res.body[rvIndex(t, res.body, `id="report-version-title"`):]
			wantContains(t, shown, "为女性提供法律咨询一千二百人次。", "婚姻家庭法律讲座", `id="section-attestation"`)
			wantAbsent(t, shown, "一千五百", "<textarea", "<input")
			wantContains(t, res.body, `aria-current="page">`+cyText(h, i18n.ZhCN, "review.versions.label", "N", 1)+"</a>")

			// Compared: only the changed character is marked, in Chinese.
			res = h.as(t, tc.cookie, get(tc.path+"?from="+snaps[0]+"&to="+snaps[1]))
			wantStatus(t, res, http.StatusOK)
			hidden := func(key string) string {
				return `<span class="visually-hidden">` + cyText(h, i18n.ZhCN, key) + `</span>`
			}
			wantContains(t, res.body, `id="change-narrative"`,
				"一千<del>"+hidden("review.diff.deleted_start")+"二"+hidden("review.diff.deleted_end")+"</del>百人次。",
				"一千<ins>"+hidden("review.diff.inserted_start")+"五"+hidden("review.diff.inserted_end")+"</ins>百人次。",
				`<option value="`+snaps[0]+`" selected>`)
			wantAbsent(t, res.body, `id="change-activities"`)

			wantStatus(t, h.as(t, tc.cookie, get(tc.path+"?v=999999")), http.StatusNotFound)
			wantStatus(t, h.as(t, tc.cookie, get(tc.path+"?from="+snaps[0]+"&to=x")), http.StatusNotFound)
		})
	}

	t.Run("LinkedFromTheReport", func(t *testing.T) {
		wantContains(t, h.as(t, staff, get(staffReportPath(r.ID))).body, `href="`+staffPath+`"`)
		wantContains(t, h.as(t, f.admin, get(reviewReportPath(r.ID))).body, `href="`+reviewVersionsPath(r.ID)+`"`)
	})

	t.Run("AnotherNGOsReportIsNotFound", func(t *testing.T) {
		wantStatus(t, h.as(t, other, get(staffPath)), http.StatusNotFound)
		wantStatus(t, h.as(t, other, get(staffPath+"?v="+snaps[0])), http.StatusNotFound)
		// Nor can an event of another report be opened through one's own.
		own := f.submit(t, professors, time.Now())
		wantStatus(t, h.as(t, other, get(staffVersionsPath(own.ID)+"?v="+snaps[0])), http.StatusNotFound)
		wantStatus(t, h.as(t, other, get(staffVersionsPath(own.ID))), http.StatusOK)
	})
}
