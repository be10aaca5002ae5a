package postgres_test

import (
	"slices"
	"testing"
	"time"

	"ngoportal/internal/pgtest"
	"ngoportal/internal/portal"
)

// tdNow is the moment the to-do fixture is read at: 10 January 2061, in
// the morning in Shanghai.
var tdNow = time.Date(2061, 1, 10, 10, 0, 0, 0, portal.FederationZone)

// tdFixture is a federation on 10 January 2061, every count known by hand:
//
//	cycle 2060 (open, deadline 5 January 2061), cycle 2059 (closed), cycle 2061 (draft)
//	NGO  report of 2060                              invited to the next session  answers to the 2060 session
//	A    submitted 3 January 09:00, 1 plan item       confirmed, 1 representative  2 of 2 (nothing planned)
//	B    returned 4 January 09:00 (deadline passed)   no reply                     1 of 1
//	C    draft, extension to 20 January               no reply                     0 of 1
//	D    none (deadline passed)                       declined                     not asked
//	E    submitted 6 January 09:00                    withdrawn, no reply          not asked
//	X    inactive, none                               -                            -
//	B also has a report of 2059 submitted on 2 January 2060, still waiting.
//
// Sessions: "next" scheduled 20 January 2061 (replies by 15 January 18:00);
// "later" scheduled 1 March 2061 (no reply deadline; B invited, no reply);
// "stale" scheduled 2 January 2061, its reply deadline past (B invited, no
// reply); "prev" held 18 January 2060 (answers due 31 March 2060; request
// 1 to A, B, C; request 2 to A only); "old" held 10 January 2059 (answers
// due, D invited and not answered: superseded by "prev").
type tdFixture struct {
	testDB
	cycle, oldCycle                 int64
	a, b, c, d, e, x                int64
	next, later, prev, old          int64
	repA, repB, repC, repE, repOldB int64
}

func newTDFixture(t *testing.T) tdFixture {
	t.Helper()
	f := tdFixture{testDB: testDB{db: pgtest.New(t)}}
	ngo := func(slug, zh string) int64 {
		return f.id(t, `INSERT INTO ngos (slug, name_zh, name_en) VALUES ($1, $2, $1) RETURNING id`, slug, zh)
	}
	f.a, f.b, f.c = ngo("td-a", "甲会"), ngo("td-b", "乙会"), ngo("td-c", "丙会")
	f.d, f.e, f.x = ngo("td-d", "丁会"), ngo("td-e", "戊会"), ngo("td-x", "己会")
	f.exec(t, `UPDATE ngos SET active = false WHERE id = $1`, f.x)

	cycle := func(year int, deadline, status string) int64 {
		return f.id(t, `INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status)
			VALUES ($1, $1 + 1, $2::date - 60, $2, $3) RETURNING id`, year, deadline, status)
	}
	f.cycle = cycle(2060, "2061-01-05", "open")
	f.oldCycle = cycle(2059, "2060-01-05", "closed")
	cycle(2061, "2062-01-05", "draft")
	f.exec(t, `INSERT INTO cycle_extensions (cycle_id, ngo_id, deadline, reason) VALUES ($1, $2, '2061-01-20', '换届')`, f.cycle, f.c)

	report := func(cycle, ngo int64, status, submitted string) int64 {
		return f.id(t, `INSERT INTO reports (cycle_id, ngo_id, status, submitted_at)
			VALUES ($1, $2, $3, nullif($4, '')::timestamptz) RETURNING id`, cycle, ngo, status, submitted)
	}
	f.repA = report(f.cycle, f.a, "submitted", "2061-01-03 09:00+08")
	f.exec(t, `INSERT INTO report_plan_items (report_id, position, title) VALUES ($1, 1, '计划')`, f.repA)
	f.repB = report(f.cycle, f.b, "returned", "2061-01-02 09:00+08")
	f.exec(t, `INSERT INTO report_events (report_id, at, action, comment) VALUES ($1, '2061-01-03 09:00+08', 'returned', '第一次'),
		($1, '2061-01-04 09:00+08', 'returned', '请补充活动')`, f.repB)
	f.repC = report(f.cycle, f.c, "draft", "")
	f.exec(t, `UPDATE reports SET narrative = '一年的工作', highlight = '亮点' WHERE id = $1`, f.repC)
	f.repE = report(f.cycle, f.e, "submitted", "2061-01-06 09:00+08")
	f.repOldB = report(f.oldCycle, f.b, "submitted", "2060-01-02 09:00+08")

	session := func(slug, heldOn, status string, cycle any, replyBy any) int64 {
		return f.id(t, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, cycle_id, reply_deadline)
			VALUES ($1, $1 || '会议', $1, 'municipal', $2, $3, $4, $5::timestamptz) RETURNING id`, slug, heldOn, status, cycle, replyBy)
	}
	f.next = session("next", "2061-01-20", "scheduled", f.cycle, "2061-01-15 18:00+08")
	f.later = session("later", "2061-03-01", "scheduled", nil, nil)
	stale := session("stale", "2061-01-02", "scheduled", nil, "2061-01-01 18:00+08")
	f.prev = session("prev", "2060-01-18", "held", f.oldCycle, nil)
	f.old = session("old", "2059-01-10", "closed", nil, nil)
	f.exec(t, `UPDATE sessions SET responses_due_on = '2060-03-31' WHERE id = $1`, f.prev)
	f.exec(t, `UPDATE sessions SET responses_due_on = '2059-03-31' WHERE id = $1`, f.old)

	invite := func(session, ngo int64, reply, reason string) int64 {
		return f.id(t, `INSERT INTO invitations (session_id, ngo_id, reply, decline_reason) VALUES ($1, $2, $3, $4) RETURNING id`,
			session, ngo, reply, reason)
	}
	invA := invite(f.next, f.a, "confirmed", "")
	f.exec(t, `INSERT INTO representatives (invitation_id, position, name, mobile) VALUES ($1, 1, '代表', '13800000000')`, invA)
	invite(f.next, f.b, "none", "")
	invite(f.next, f.c, "none", "")
	invite(f.next, f.d, "declined", "出差")
	f.exec(t, `UPDATE invitations SET withdrawn_at = now() WHERE id = $1`, invite(f.next, f.e, "none", ""))
	invite(f.later, f.b, "none", "")
	invite(stale, f.b, "none", "")
	for _, n := range []int64{f.a, f.b, f.c} {
		invite(f.prev, n, "confirmed", "")
	}
	invite(f.old, f.d, "confirmed", "")

	q1 := f.id(t, `INSERT INTO session_requests (session_id, number, text_zh) VALUES ($1, 1, '拓宽平台') RETURNING id`, f.prev)
	q2 := f.id(t, `INSERT INTO session_requests (session_id, number, text_zh, addressed_to_all) VALUES ($1, 2, '讲好故事', false) RETURNING id`, f.prev)
	f.exec(t, `INSERT INTO request_recipients (request_id, ngo_id) VALUES ($1, $2)`, q2, f.a)
	f.exec(t, `INSERT INTO request_responses (request_id, ngo_id, nothing_planned, reason) VALUES ($1, $3, true, '已有安排'),
		($2, $3, true, '已有安排'), ($1, $4, true, '人手不足')`, q1, q2, f.a, f.b)
	f.exec(t, `INSERT INTO session_requests (session_id, number, text_zh) VALUES ($1, 1, '旧要求')`, f.old)
	return f
}

func TestAdminTodos(t *testing.T) {
	t.Parallel()
	f := newTDFixture(t)
	got, err := f.db.AdminTodos(t.Context(), tdNow)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OKWaiting", func(t *testing.T) {
		// The 2059 report has waited longest; 2060 has A and E waiting.
		want := []portal.CycleTodo{
			{CycleID: f.oldCycle, ReviewYear: 2059, PlanYear: 2060, Count: 1, Oldest: time.Date(2060, 1, 2, 9, 0, 0, 0, portal.FederationZone)},
			{CycleID: f.cycle, ReviewYear: 2060, PlanYear: 2061, Count: 2, Oldest: time.Date(2061, 1, 3, 9, 0, 0, 0, portal.FederationZone)},
		}
		if len(got.Waiting) != len(want) {
			t.Fatalf("waiting %+v, want %+v", got.Waiting, want)
		}
		for i, w := range want {
			g := got.Waiting[i]
			if g.CycleID != w.CycleID || g.Count != w.Count || g.ReviewYear != w.ReviewYear || !g.Oldest.Equal(w.Oldest) {
				t.Errorf("waiting[%d] = %+v, want %+v", i, g, w)
			}
		}
	})
	t.Run("OKOverdue", func(t *testing.T) {
		// B (returned) and D (none): C has its extension, A and E have
		// submitted, X is inactive without a report; closed and draft
		// cycles are not counted.
		if len(got.Overdue) != 1 || got.Overdue[0].CycleID != f.cycle || got.Overdue[0].Count != 2 {
			t.Errorf("overdue %+v, want 2 in cycle %d", got.Overdue, f.cycle)
		}
	})
	t.Run("OKNextSession", func(t *testing.T) {
		if got.Next == nil || got.Next.Session.ID != f.next {
			t.Fatalf("next session %+v, want %d", got.Next, f.next)
		}
		if got.Next.NoReply != 2 {
			t.Errorf("%d without reply, want 2 (B and C; E is withdrawn)", got.Next.NoReply)
		}
		b, _, err := f.db.ReadinessBoard(t.Context(), f.next, portal.ReadinessFilter{})
		if err != nil {
			t.Fatal(err)
		}
		r := got.Next.Readiness
		if r.Invited != 4 || r.Ready != 1 || r.Invited != b.Summary.Invited || r.Ready != b.Summary.Ready {
			t.Errorf("readiness %+v, want 4 invited, 1 ready (A), as the board's %+v", r, b.Summary)
		}
	})
	t.Run("OKResponses", func(t *testing.T) {
		// The latest held session only: C has not answered request 1.
		want := portal.ResponsesTodo{SessionID: f.prev, TitleZH: "prev会议", TitleEN: "prev",
			DueOn: time.Date(2060, 3, 31, 0, 0, 0, 0, time.UTC), Addressed: 3, Unanswered: 1}
		if len(got.Responses) != 1 || got.Responses[0] != want {
			t.Errorf("responses %+v, want %+v", got.Responses, want)
		}
	})
	t.Run("OKDone", func(t *testing.T) {
		f.exec(t, `UPDATE reports SET status = 'accepted', accepted_at = now() WHERE status = 'submitted'`)
		f.exec(t, `UPDATE invitations SET reply = 'declined', decline_reason = '无' WHERE reply = 'none'`)
		f.exec(t, `INSERT INTO reports (cycle_id, ngo_id, status, submitted_at) VALUES ($1, $2, 'submitted', now())`, f.cycle, f.d)
		f.exec(t, `UPDATE reports SET status = 'submitted' WHERE id = $1`, f.repB)
		f.exec(t, `INSERT INTO request_responses (request_id, ngo_id, nothing_planned, reason)
			SELECT q.id, $1, true, '无' FROM session_requests q WHERE q.session_id = $2 AND q.number = 1`, f.c, f.prev)
		got, err := f.db.AdminTodos(t.Context(), tdNow)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Overdue) != 0 || len(got.Responses) != 0 || got.Next.NoReply != 0 {
			t.Errorf("after everything is done: overdue %+v, responses %+v, no reply %d", got.Overdue, got.Responses, got.Next.NoReply)
		}
		if len(got.Waiting) != 1 || got.Waiting[0].Count != 2 {
			t.Errorf("waiting %+v, want B's and D's reports of 2060", got.Waiting)
		}
	})
}

func TestStaffTodos(t *testing.T) {
	t.Parallel()
	f := newTDFixture(t)
	todos := func(t *testing.T, ngo int64) portal.StaffTodos {
		t.Helper()
		got, err := f.db.StaffTodos(t.Context(), ngo, tdNow)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	missingFields := func(items []portal.MissingItem) []string {
		var out []string
		for _, m := range items {
			out = append(out, m.Field)
		}
		return out
	}
	t.Run("OKReturned", func(t *testing.T) {
		got := todos(t, f.b)
		if len(got.Reports) != 1 {
			t.Fatalf("reports %+v, want the returned one", got.Reports)
		}
		r := got.Reports[0]
		if r.ReportID != f.repB || r.Status != portal.ReportReturned || r.Extended ||
			!r.ReturnedAt.Equal(time.Date(2061, 1, 4, 9, 0, 0, 0, portal.FederationZone)) ||
			r.Deadline.Format(time.DateOnly) != "2061-01-05" {
			t.Errorf("report %+v", r)
		}
		// An empty report: the submission's rule finds seven things.
		want := []string{"narrative", "highlight", portal.SectionActivities, "plan_items", "legal_representative", "declaration", "cover"}
		if got := missingFields(r.Missing); !slices.Equal(got, want) {
			t.Errorf("missing %v, want %v", got, want)
		}
		// The next and the later session; the stale one's replies are closed.
		if len(got.Invitations) != 2 || got.Invitations[0].SessionID != f.next || got.Invitations[1].SessionID != f.later {
			t.Errorf("invitations %+v, want next and later", got.Invitations)
		}
		if d := got.Invitations[0].ReplyDeadline; d == nil || !d.Equal(time.Date(2061, 1, 15, 18, 0, 0, 0, portal.FederationZone)) {
			t.Errorf("reply deadline %v", d)
		}
		if got.Invitations[1].ReplyDeadline != nil {
			t.Errorf("later session's reply deadline %v, want none", got.Invitations[1].ReplyDeadline)
		}
		if len(got.Responses) != 0 {
			t.Errorf("responses %+v, want none (B answered)", got.Responses)
		}
	})
	t.Run("OKDraftExtended", func(t *testing.T) {
		got := todos(t, f.c)
		if len(got.Reports) != 1 || got.Reports[0].Status != portal.ReportDraft || !got.Reports[0].Extended ||
			got.Reports[0].Deadline.Format(time.DateOnly) != "2061-01-20" {
			t.Fatalf("reports %+v", got.Reports)
		}
		want := []string{portal.SectionActivities, "plan_items", "legal_representative", "declaration", "cover"}
		if got := missingFields(got.Reports[0].Missing); !slices.Equal(got, want) {
			t.Errorf("missing %v, want %v", got, want)
		}
		if len(got.Invitations) != 1 || len(got.Responses) != 1 || got.Responses[0].SessionID != f.prev ||
			got.Responses[0].Addressed != 1 || got.Responses[0].Answered != 0 {
			t.Errorf("invitations %+v, responses %+v", got.Invitations, got.Responses)
		}
	})
	t.Run("OKNotStarted", func(t *testing.T) {
		got := todos(t, f.d)
		if len(got.Reports) != 1 || got.Reports[0].ReportID != 0 || got.Reports[0].Status != portal.ReportNotStarted ||
			got.Reports[0].Missing != nil {
			t.Errorf("reports %+v, want one not started", got.Reports)
		}
		// Declined: nothing to answer; the old session's request is its.
		if len(got.Invitations) != 0 || len(got.Responses) != 1 || got.Responses[0].SessionID != f.old {
			t.Errorf("invitations %+v, responses %+v", got.Invitations, got.Responses)
		}
	})
	t.Run("OKNothing", func(t *testing.T) {
		if got := todos(t, f.a); !got.Empty() {
			t.Errorf("A has %+v, want nothing to do", got)
		}
	})
	t.Run("ErrNoNGO", func(t *testing.T) {
		if _, err := f.db.StaffTodos(t.Context(), 0, tdNow); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("err %v, want not found", err)
		}
	})
}
