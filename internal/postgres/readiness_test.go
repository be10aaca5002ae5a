package postgres_test

import (
	"slices"
	"testing"
	"time"

	"ngoportal/internal/pgtest"
	"ngoportal/internal/portal"
)

// rdFixture is a session being prepared (work of 2060, held early in 2061)
// with four invited NGOs in every state the board tells apart, a
// withdrawn invitation, and the previous session held in 2060 whose two
// requests (one to every invited NGO, one to A and B only) they answer
// or not.
//
//	NGO  name (pinyin order)  report          plan  reps  reply       previous requests
//	A    建筑女性测试会        accepted        2     2     confirmed   2 of 2 (an item; nothing planned)
//	B    律政女性测试会        submitted       0     0     declined    1 of 2 (an addendum item)
//	D    企业女性测试会        none            0     0     none, late  none asked (not invited then)
//	C    医护女性测试会        draft           1     1     confirmed   0 of 1 (a stored answer that is not "nothing";
//	                                                                  its item answers a request not addressed to it)
//	E    (withdrawn from the session: not on the board)
type rdFixture struct {
	testDB
	session, prev, cycle int64
	a, b, c, d, e        int64
}

func newRDFixture(t *testing.T) rdFixture {
	t.Helper()
	f := rdFixture{testDB: testDB{db: pgtest.New(t)}}
	ngo := func(slug, zh, en string) int64 {
		return f.id(t, `INSERT INTO ngos (slug, name_zh, name_en) VALUES ($1, $2, $3) RETURNING id`, slug, zh, en)
	}
	f.a = ngo("rd-a", "建筑女性测试会", "Test Architects")
	f.b = ngo("rd-b", "律政女性测试会", "Test Lawyers")
	f.c = ngo("rd-c", "医护女性测试会", "Test Physicians")
	f.d = ngo("rd-d", "企业女性测试会", "Test Entrepreneurs")
	f.e = ngo("rd-e", "艺术女性测试会", "Test Artists")
	f.cycle = f.id(t, `INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline)
		VALUES (2060, 2061, '2060-10-01', '2060-12-31') RETURNING id`)
	session := func(slug, heldOn, status string, cycle any) int64 {
		return f.id(t, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, cycle_id)
			VALUES ($1, $1, $1, 'municipal', $2, $3, $4) RETURNING id`, slug, heldOn, status, cycle)
	}
	f.session = session("rd-2061", "2061-01-20", "scheduled", f.cycle)
	f.prev = session("rd-2060", "2060-01-18", "held", nil)
	// Not the previous session: earlier than the latest held, cancelled,
	// or held after this one.
	session("rd-2059", "2059-01-18", "closed", nil)
	session("rd-2060-cancelled", "2060-06-01", "cancelled", nil)
	session("rd-2062", "2062-01-18", "held", nil)

	invite := func(session, ngo int64, reply, reason string, late bool) int64 {
		return f.id(t, `INSERT INTO invitations (session_id, ngo_id, reply, decline_reason, late)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, session, ngo, reply, reason, late)
	}
	rep := func(inv int64, n int) {
		for i := 1; i <= n; i++ {
			f.exec(t, `INSERT INTO representatives (invitation_id, position, name, mobile) VALUES ($1, $2, '代表', '13800000000')`, inv, i)
		}
	}
	rep(invite(f.session, f.a, "confirmed", "", false), 2)
	invite(f.session, f.b, "declined", "出差", false)
	invC := invite(f.session, f.c, "confirmed", "", false)
	rep(invC, 1)
	// A walk-in is not a named representative.
	f.exec(t, `INSERT INTO representatives (invitation_id, position, name, mobile, walk_in) VALUES ($1, 4, '临时', '', true)`, invC)
	invite(f.session, f.d, "none", "", true)
	f.exec(t, `UPDATE invitations SET withdrawn_at = now() WHERE id = $1`, invite(f.session, f.e, "confirmed", "", false))
	for _, n := range []int64{f.a, f.b, f.c} {
		invite(f.prev, n, "confirmed", "", false)
	}
	f.exec(t, `UPDATE invitations SET withdrawn_at = now() WHERE id = $1`, invite(f.prev, f.e, "none", "", false))

	report := func(ngo int64, status string, items int) int64 {
		id := f.id(t, `INSERT INTO reports (cycle_id, ngo_id, status, submitted_at, accepted_at)
			VALUES ($1, $2, $3,
			        CASE WHEN $3 <> 'draft' THEN timestamptz '2060-12-20 10:00+08' END,
			        CASE WHEN $3 = 'accepted' THEN timestamptz '2060-12-28 15:30+08' END) RETURNING id`, f.cycle, ngo, status)
		for i := 1; i <= items; i++ {
			f.exec(t, `INSERT INTO report_plan_items (report_id, position, title) VALUES ($1, $2, '计划')`, id, i)
		}
		return id
	}
	repA := report(f.a, "accepted", 2)
	report(f.b, "submitted", 0)
	repC := report(f.c, "draft", 1)

	q1 := f.id(t, `INSERT INTO session_requests (session_id, number, text_zh) VALUES ($1, 1, '拓宽平台') RETURNING id`, f.prev)
	q2 := f.id(t, `INSERT INTO session_requests (session_id, number, text_zh, addressed_to_all) VALUES ($1, 2, '讲好故事', false) RETURNING id`, f.prev)
	f.exec(t, `INSERT INTO request_recipients (request_id, ngo_id) VALUES ($1, $2), ($1, $3)`, q2, f.a, f.b)
	link := func(item, request int64) {
		f.exec(t, `INSERT INTO report_plan_item_requests (plan_item_id, request_id) VALUES ($1, $2)`, item, request)
	}
	link(f.id(t, `SELECT min(id) FROM report_plan_items WHERE report_id = $1`, repA), q1)
	f.exec(t, `INSERT INTO request_responses (request_id, ngo_id, nothing_planned, reason) VALUES ($1, $2, true, '已有安排')`, q2, f.a)
	addendum := f.id(t, `INSERT INTO plan_addenda (session_id, ngo_id) VALUES ($1, $2) RETURNING id`, f.prev, f.b)
	link(f.id(t, `INSERT INTO report_plan_items (addendum_id, position, title) VALUES ($1, 1, '补充计划') RETURNING id`, addendum), q2)
	f.exec(t, `INSERT INTO request_responses (request_id, ngo_id, nothing_planned) VALUES ($1, $2, false)`, q1, f.c)
	link(f.id(t, `SELECT min(id) FROM report_plan_items WHERE report_id = $1`, repC), q2)
	return f
}

func (f rdFixture) board(t *testing.T, filter portal.ReadinessFilter) (portal.ReadinessBoard, int) {
	t.Helper()
	b, offset, err := f.db.ReadinessBoard(t.Context(), f.session, filter)
	if err != nil {
		t.Fatal(err)
	}
	return b, offset
}

func rdIDs(rows []portal.ReadinessRow) []int64 {
	var out []int64
	for _, r := range rows {
		out = append(out, r.NGOID)
	}
	return out
}

func TestReadinessBoard(t *testing.T) {
	t.Parallel()
	f := newRDFixture(t)

	t.Run("OK", func(t *testing.T) {
		b, _ := f.board(t, portal.ReadinessFilter{})
		if b.Previous == nil || b.Previous.ID != f.prev {
			t.Fatalf("previous session %+v, want %d", b.Previous, f.prev)
		}
		if got, want := rdIDs(b.Rows), []int64{f.a, f.b, f.d, f.c}; !slices.Equal(got, want) {
			t.Errorf("rows %v, want %v (pinyin order, E withdrawn)", got, want)
		}
		type figures struct {
			Status                      portal.ReportStatus
			Plan, Reps, Requests, Answd int
			Reply                       portal.Reply
			Late                        bool
			Gaps                        []portal.ReadinessGap
		}
		want := map[int64]figures{
			f.a: {portal.ReportAccepted, 2, 2, 2, 2, portal.ReplyConfirmed, false, nil},
			f.b: {portal.ReportSubmitted, 0, 0, 2, 1, portal.ReplyDeclined, false,
				[]portal.ReadinessGap{portal.GapPlan, portal.GapReps, portal.GapReply, portal.GapAnswers}},
			f.c: {portal.ReportDraft, 1, 1, 1, 0, portal.ReplyConfirmed, false,
				[]portal.ReadinessGap{portal.GapReport, portal.GapAnswers}},
			f.d: {portal.ReportNotStarted, 0, 0, 0, 0, portal.ReplyNone, true,
				[]portal.ReadinessGap{portal.GapReport, portal.GapPlan, portal.GapReps, portal.GapReply}},
		}
		for _, r := range b.Rows {
			got := figures{r.ReportStatus, r.PlanItems, r.Representatives, r.Requests, r.Answered, r.Reply, r.Late, r.Gaps(true)}
			w := want[r.NGOID]
			if got.Status != w.Status || got.Plan != w.Plan || got.Reps != w.Reps || got.Requests != w.Requests ||
				got.Answd != w.Answd || got.Reply != w.Reply || got.Late != w.Late || !slices.Equal(got.Gaps, w.Gaps) {
				t.Errorf("%s: %+v, want %+v", r.NGONameZH, got, w)
			}
		}
		a := b.Rows[0]
		if a.ReportID == 0 || !a.ReportDate().Equal(time.Date(2060, 12, 28, 7, 30, 0, 0, time.UTC)) {
			t.Errorf("A's report %d dated %v, want the acceptance", a.ReportID, a.ReportDate())
		}
		if br := b.Rows[1]; br.DeclineReason != "出差" || !br.ReportDate().Equal(time.Date(2060, 12, 20, 2, 0, 0, 0, time.UTC)) {
			t.Errorf("B: reason %q, report dated %v", br.DeclineReason, br.ReportDate())
		}
		s := b.Summary
		wantGaps := map[portal.ReadinessGap]int{portal.GapReport: 2, portal.GapPlan: 2, portal.GapReps: 2, portal.GapReply: 2, portal.GapAnswers: 2}
		if s.Invited != 4 || s.Ready != 1 || b.Matching != 4 {
			t.Errorf("summary %+v, matching %d; want 4 invited, 1 ready, 4 matching", s, b.Matching)
		}
		for g, n := range wantGaps {
			if s.Gaps[g] != n {
				t.Errorf("summary %s = %d, want %d", g, s.Gaps[g], n)
			}
		}
	})

	t.Run("Sort", func(t *testing.T) {
		a, b, c, d := f.a, f.b, f.c, f.d
		for _, tc := range []struct {
			sort    portal.ReadinessSort
			desc    bool
			english bool
			want    []int64
		}{
			{portal.SortReadinessNGO, false, false, []int64{a, b, d, c}},
			{portal.SortReadinessNGO, true, false, []int64{c, d, b, a}},
			{portal.SortReadinessNGO, false, true, []int64{a, d, b, c}},
			{portal.SortReadinessNGO, true, true, []int64{c, b, d, a}},
			{portal.SortReadinessReport, false, false, []int64{d, c, b, a}},
			{portal.SortReadinessReport, true, false, []int64{a, b, c, d}},
			{portal.SortReadinessPlan, false, false, []int64{b, d, c, a}},
			{portal.SortReadinessPlan, true, false, []int64{a, c, b, d}},
			{portal.SortReadinessPlan, false, true, []int64{d, b, c, a}}, // ties by English name
			{portal.SortReadinessReps, false, false, []int64{b, d, c, a}},
			{portal.SortReadinessReps, true, false, []int64{a, c, b, d}},
			{portal.SortReadinessReply, false, false, []int64{d, b, a, c}},
			{portal.SortReadinessReply, true, false, []int64{a, c, b, d}},
			{portal.SortReadinessAnswers, false, false, []int64{c, b, a, d}},
			{portal.SortReadinessAnswers, true, false, []int64{a, d, b, c}},
		} {
			bd, _ := f.board(t, portal.ReadinessFilter{Sort: tc.sort, Desc: tc.desc, English: tc.english})
			if got := rdIDs(bd.Rows); !slices.Equal(got, tc.want) {
				t.Errorf("sort %s desc=%v english=%v: %v, want %v", tc.sort, tc.desc, tc.english, got, tc.want)
			}
		}
	})

	t.Run("Filter", func(t *testing.T) {
		a, b, c, d := f.a, f.b, f.c, f.d
		for _, tc := range []struct {
			show  portal.ReadinessShow
			query string
			want  []int64
		}{
			{portal.ShowAll, "", []int64{a, b, d, c}},
			{portal.ShowNotReady, "", []int64{b, d, c}},
			{portal.ShowReady, "", []int64{a}},
			{portal.ReadinessShow(portal.GapReport), "", []int64{d, c}},
			{portal.ReadinessShow(portal.GapPlan), "", []int64{b, d}},
			{portal.ReadinessShow(portal.GapReps), "", []int64{b, d}},
			{portal.ReadinessShow(portal.GapReply), "", []int64{b, d}},
			{portal.ReadinessShow(portal.GapAnswers), "", []int64{b, c}},
			{portal.ShowAll, "律政", []int64{b}},
			{portal.ShowAll, "physic", []int64{c}},
			{portal.ShowNotReady, "建筑", nil},
			{portal.ReadinessShow(portal.GapPlan), "律政", []int64{b}},
			{portal.ReadinessShow(portal.GapPlan), "PHYSIC", nil},
			{portal.ShowNotReady, "PHYSIC", []int64{c}},
			{portal.ShowAll, "%", nil},
		} {
			bd, _ := f.board(t, portal.ReadinessFilter{Show: tc.show, Query: tc.query})
			if got := rdIDs(bd.Rows); !slices.Equal(got, tc.want) || bd.Matching != len(tc.want) {
				t.Errorf("show %s q %q: %v (matching %d), want %v", tc.show, tc.query, got, bd.Matching, tc.want)
			}
			// The filter in SQL and the rule in Go agree.
			for _, r := range bd.Rows {
				gaps := r.Gaps(true)
				switch tc.show {
				case portal.ShowAll:
				case portal.ShowReady:
					if len(gaps) != 0 {
						t.Errorf("show ready lists %s with gaps %v", r.NGONameZH, gaps)
					}
				case portal.ShowNotReady:
					if len(gaps) == 0 {
						t.Errorf("show not_ready lists %s with no gap", r.NGONameZH)
					}
				default:
					if !slices.Contains(gaps, portal.ReadinessGap(tc.show)) {
						t.Errorf("show %s lists %s with gaps %v", tc.show, r.NGONameZH, gaps)
					}
				}
			}
			if bd.Summary.Invited != 4 {
				t.Errorf("show %s: the summary counts %d invited, want all 4", tc.show, bd.Summary.Invited)
			}
		}
	})

	t.Run("Paging", func(t *testing.T) {
		bd, offset := f.board(t, portal.ReadinessFilter{Limit: 3, Offset: 3})
		if got := rdIDs(bd.Rows); offset != 3 || !slices.Equal(got, []int64{f.c}) || bd.Matching != 4 {
			t.Errorf("second page: %v at %d (matching %d)", got, offset, bd.Matching)
		}
		bd, offset = f.board(t, portal.ReadinessFilter{Limit: 3, Offset: 30})
		if got := rdIDs(bd.Rows); offset != 3 || !slices.Equal(got, []int64{f.c}) {
			t.Errorf("past the end: %v at %d, want the last page", got, offset)
		}
		bd, offset = f.board(t, portal.ReadinessFilter{Limit: 3, Offset: 3, Query: "nobody"})
		if offset != 0 || len(bd.Rows) != 0 {
			t.Errorf("nothing matches: %v at %d", rdIDs(bd.Rows), offset)
		}
	})

	t.Run("NoCycle", func(t *testing.T) {
		// A session with no reporting cycle: the report columns do not
		// count, and an NGO with everything else is ready.
		s := f.id(t, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on)
			VALUES ('rd-district', '区级会议', 'District', 'district', '2061-03-01') RETURNING id`)
		inv := f.id(t, `INSERT INTO invitations (session_id, ngo_id, reply) VALUES ($1, $2, 'confirmed') RETURNING id`, s, f.a)
		f.exec(t, `INSERT INTO representatives (invitation_id, position, name, mobile) VALUES ($1, 1, '代表', '13800000000')`, inv)
		bd, _, err := f.db.ReadinessBoard(t.Context(), s, portal.ReadinessFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if bd.WithReport() || len(bd.Rows) != 1 || bd.Rows[0].ReportStatus != portal.ReportNotStarted ||
			len(bd.Rows[0].Gaps(false)) != 0 || bd.Summary.Ready != 1 || bd.Summary.Gaps[portal.GapReport] != 0 {
			t.Errorf("no cycle: %+v", bd)
		}
		if bd.Previous == nil || bd.Previous.ID != f.prev || bd.Rows[0].Requests != 2 {
			t.Errorf("no cycle: previous %+v, requests %d", bd.Previous, bd.Rows[0].Requests)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		if _, _, err := f.db.ReadinessBoard(t.Context(), f.session+1000, portal.ReadinessFilter{}); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("unknown session: %v", err)
		}
	})
}
