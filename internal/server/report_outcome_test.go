package server

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"ngoportal/internal/portal"
)

// srSegment is the part of body from the first from to the first to after
// it (the end of body when to is "" or not found).
func srSegment(t *testing.T, body, from, to string) string {
	t.Helper()
	i := strings.Index(body, from)
	if i < 0 {
		t.Fatalf("body lacks %q", from)
	}
	seg := body[i:]
	if to != "" {
		if j := strings.Index(seg[len(from):], to); j >= 0 {
			seg = seg[:len(from)+j]
		}
	}
	return seg
}

// TestReportOutcomeGroups: the report form, the staff's read-only report
// and the review page group last year's plan items by the request each
// answers: each request's answer with the outcomes of its items, an item
// answering two requests asked once (under the lower number) and named
// under the other, the addendum's items marked, items answering none last.
// The form posts what the save reads, and an item added to the addendum
// after the report was started is asked for from the next save on.
func TestReportOutcomeGroups(t *testing.T) {
	t.Parallel()
	f := newSRFixture(t)
	f.addPrevious(t)
	session := cyQueryID(t, f.h, `SELECT id FROM sessions WHERE slug = 'sr-2026-session'`)
	req1 := cyQueryID(t, f.h, `SELECT id FROM session_requests WHERE session_id = $1 AND number = 1`, session)
	req2 := cyQueryID(t, f.h, `INSERT INTO session_requests (session_id, number, text_zh, text_en)
		VALUES ($1, 2, '讲好上海女性故事', '') RETURNING id`, session)
	mentoring := cyQueryID(t, f.h, `SELECT id FROM report_plan_items WHERE title = '导师结对计划'`)
	srExec(t, f.h, `INSERT INTO report_plan_item_requests (plan_item_id, request_id) VALUES ($1, $2)`, mentoring, req2)
	addendum := cyQueryID(t, f.h, `INSERT INTO plan_addenda (session_id, ngo_id) VALUES ($1, $2) RETURNING id`, session, f.ngo)
	exchange := cyQueryID(t, f.h, `INSERT INTO report_plan_items (addendum_id, position, title)
		VALUES ($1, 1, '海外交流周') RETURNING id`, addendum)
	srExec(t, f.h, `INSERT INTO report_plan_item_requests (plan_item_id, request_id) VALUES ($1, $2), ($1, $3)`,
		exchange, req1, req2)
	srExec(t, f.h, `INSERT INTO report_plan_items (addendum_id, position, title) VALUES ($1, 2, '社区讲堂')`, addendum)

	id := f.start(t)
	// Progress rows: 0 导师结对计划 (request 2), 1 海外交流周 (requests 1
	// and 2, addendum), 2 社区讲堂 (none, addendum). Answers: 0 request 1,
	// 1 request 2.
	res := f.h.as(t, f.staff, get(staffReportPath(id)))
	wantStatusCode(t, res, http.StatusOK)
	body := res.body
	head1 := f.zh("outcome.request", "Number", 1)
	head2 := f.zh("outcome.request", "Number", 2)
	other := f.zh("outcome.other")
	wantContains(t, body, f.zh("outcome.section"), head1+"搭建职业女性交流平台", head2+"讲好上海女性故事")

	g1 := srSegment(t, body, head1, head2)
	wantContains(t, g1, `name="answers.0.answer"`, `name="progress.1.status"`, `name="progress.1.note"`, "海外交流周",
		f.zh("outcome.addendum"), f.zh("outcome.also", "Numbers", "2"))
	wantAbsent(t, g1, `name="answers.1.answer"`, `name="progress.0.status"`, "导师结对计划")

	g2 := srSegment(t, body, head2, other)
	wantContains(t, g2, `name="answers.1.answer"`, `name="progress.0.status"`, "导师结对计划",
		f.zh("outcome.listed"), "海外交流周", f.zh("outcome.asked_under", "Number", 1))
	wantAbsent(t, g2, `name="progress.1.status"`, `name="progress.1.note"`)

	g3 := srSegment(t, body, other, `class="report-index-back"`)
	wantContains(t, g3, `name="progress.2.status"`, "社区讲堂", f.zh("outcome.addendum"))
	// Each item is asked once in the whole form.
	for _, name := range []string{`name="progress.0.note"`, `name="progress.1.note"`, `name="progress.2.note"`,
		`name="answers.0.answer"`, `name="answers.1.answer"`} {
		if n := strings.Count(body, name); n != 1 {
			t.Errorf("%s appears %d times, want once", name, n)
		}
	}
	// A request without an English text shows the Chinese, marked.
	en := f.h.as(t, f.staff, get(staffReportPath(id), "Accept-Language", "en")).body
	wantContains(t, en, f.en("outcome.request", "Number", 2), `<span lang="zh-CN">讲好上海女性故事</span>`,
		f.en("outcome.addendum"), f.en("outcome.other"))

	// A plan item added to the addendum after the report was started is
	// not asked for until the next save, then in its group.
	srExec(t, f.h, `INSERT INTO report_plan_items (addendum_id, position, title) VALUES ($1, 3, '巾帼创业营')`, addendum)
	wantAbsent(t, f.h.as(t, f.staff, get(staffReportPath(id))).body, "巾帼创业营")

	// Saving without JavaScript: the grouped controls post what the save reads.
	res = f.post(t, f.staff, id, srForm(1, "save", "activities.count", "0", "media.count", "0", "plan_items.count", "0",
		"progress.0.status", "done", "progress.1.status", "partly", "progress.1.note", "办了一期",
		"progress.2.status", "not_done", "answers.0.answer", "搭建了平台", "answers.1.answer", "开展了交流"))
	wantStatusCode(t, res, http.StatusSeeOther)
	r := f.stored(t, id)
	if len(r.Progress) != 4 || r.Progress[3].Title != "巾帼创业营" || !r.Progress[3].FromAddendum {
		t.Fatalf("after the save: %+v", r.Progress)
	}
	if r.Progress[0].Status != portal.ProgressDone || r.Progress[1].Status != portal.ProgressPartly ||
		r.Progress[1].Note != "办了一期" || r.Progress[2].Status != portal.ProgressNotDone ||
		r.Answers[0].Answer != "搭建了平台" || r.Answers[1].Answer != "开展了交流" {
		t.Errorf("saved %+v / %+v", r.Progress, r.Answers)
	}
	body = f.h.as(t, f.staff, get(staffReportPath(id))).body
	wantContains(t, srSegment(t, body, other, `class="report-index-back"`), `name="progress.3.status"`, "巾帼创业营")

	// Read-only, on the staff's page and the review page, grouped the same way.
	srExec(t, f.h, `UPDATE reports SET status = 'submitted', submitted_at = now() WHERE id = $1`, id)
	admin := f.h.sessionCookie(t, createUser(t, f.h, portal.RoleAdmin, 0, "outcome-admin@example.org", "管理员"))
	// A submission snapshot from before snapshots kept each item's requests
	// groups by the report's current links.
	old := r.ReportContent
	old.Progress = slices.Clone(old.Progress)
	for i := range old.Progress {
		old.Progress[i].RequestIDs, old.Progress[i].FromAddendum = nil, false
	}
	snapshot, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	event := cyQueryID(t, f.h, `INSERT INTO report_events (report_id, action, snapshot) VALUES ($1, 'submitted', $2)
		RETURNING id`, id, snapshot)
	for _, page := range []struct {
		name string
		body string
	}{
		{"staff", f.h.as(t, f.staff, get(staffReportPath(id))).body},
		{"review", f.h.as(t, admin, get(reviewReportPath(id))).body},
		{"version", f.h.as(t, admin, get(reviewVersionsPath(id)+"?v="+strconv.FormatInt(event, 10))).body},
	} {
		t.Run(page.name, func(t *testing.T) {
			wantAbsent(t, page.body, `name="progress.0.status"`)
			g1 := srSegment(t, page.body, head1, head2)
			wantContains(t, g1, "搭建了平台", "海外交流周", "办了一期", f.zh("report.progress.partly"), f.zh("outcome.addendum"))
			wantAbsent(t, g1, "导师结对计划")
			g2 := srSegment(t, page.body, head2, other)
			wantContains(t, g2, "开展了交流", "导师结对计划", f.zh("outcome.asked_under", "Number", 1))
			wantContains(t, srSegment(t, page.body, other, `id="section-attestation"`), "社区讲堂", "巾帼创业营")
		})
	}
}
