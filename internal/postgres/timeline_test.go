package postgres_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"ngoportal/internal/pgtest"
	"ngoportal/internal/portal"
)

// tlFixture is a federation of the timeline tests' own, on an empty
// database: NGO A with three years of history and NGO B beside it, whose
// rows must never reach A's timeline.
//
//   - 2040: A's report accepted after a return (activities online 100/80,
//     offline 50/50 and 20/5; media WeChat 12 items 3,400 reads, Weibo 5
//     items 1,200 reads); plan items for 2041 P1 (answering requests 1 and
//     2), P2, P3 and, in its addendum, PA (answering request 2). The 2040
//     session: A confirmed and present (one of its two representatives
//     came); requests 1 and 2 to all, 3 to B only, 4 to A and B, which A
//     answers with nothing planned.
//   - 2041: A's report accepted, one online activity 10/10, no media;
//     progress: P1 done, P2 partly, P3 left blank, PA not done; plan item
//     P4 for 2042. The 2041 session: A declined; request 5 to all, not
//     answered.
//   - 2042: the cycle is open and A has no report; the 2042 session is
//     scheduled and A is not invited.
type tlFixture struct {
	testDB
	ngoA, ngoB int64
	reports    map[int]int64 // A's, by year
}

func newTLFixture(t *testing.T) tlFixture {
	t.Helper()
	f := tlFixture{testDB: testDB{db: pgtest.New(t)}, reports: map[int]int64{}}
	f.ngoA = f.id(t, `INSERT INTO ngos (slug, name_zh, name_en) VALUES ('tl-a', '时间线甲会', 'Timeline A') RETURNING id`)
	f.ngoB = f.id(t, `INSERT INTO ngos (slug, name_zh, name_en) VALUES ('tl-b', '时间线乙会', 'Timeline B') RETURNING id`)
	staff := f.id(t, `INSERT INTO users (email, name, name_en, role, ngo_id) VALUES ('tl-staff@example.org', '张三', 'Zhang San', 'staff', $1) RETURNING id`, f.ngoA)
	admin := f.id(t, `INSERT INTO users (email, name, role) VALUES ('tl-admin@example.org', '审阅人', 'admin') RETURNING id`)

	cycle := map[int]int64{}
	session := map[int]int64{}
	for _, y := range []int{2040, 2041, 2042} {
		status := map[int]string{2040: "closed", 2041: "closed", 2042: "open"}[y]
		cycle[y] = f.id(t, `INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status)
			VALUES ($1::int, $1::int + 1, make_date($1::int, 11, 1), make_date($1::int, 12, 31), $2) RETURNING id`, y, status)
		sstatus := map[int]string{2040: "closed", 2041: "held", 2042: "scheduled"}[y]
		session[y] = f.id(t, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, cycle_id)
			VALUES ('tl-' || $1::int, $1::int || '年度会议', 'Session ' || $1::int, 'municipal', make_date($1::int + 1, 1, 19), $2, $3) RETURNING id`,
			y, sstatus, cycle[y])
	}
	// Invitations and attendance.
	invA40 := f.id(t, `INSERT INTO invitations (session_id, ngo_id, reply, attendance) VALUES ($1, $2, 'confirmed', 'present') RETURNING id`, session[2040], f.ngoA)
	f.exec(t, `INSERT INTO representatives (invitation_id, position, name, mobile, attended) VALUES ($1, 1, '李红', '13800000001', true), ($1, 2, '王芳', '13800000002', false)`, invA40)
	f.exec(t, `INSERT INTO invitations (session_id, ngo_id, reply, decline_reason, attendance) VALUES ($1, $2, 'declined', '时间冲突', 'absent')`, session[2041], f.ngoA)
	for _, y := range []int{2040, 2041, 2042} {
		f.exec(t, `INSERT INTO invitations (session_id, ngo_id, reply, attendance) VALUES ($1, $2, 'confirmed', 'present')`, session[y], f.ngoB)
	}
	// Requests.
	q := map[int]int64{}
	for n, to := range map[int]string{1: "all", 2: "all", 3: "b", 4: "ab"} {
		q[n] = f.id(t, `INSERT INTO session_requests (session_id, number, text_zh, text_en, addressed_to_all)
			VALUES ($1, $2::int, '要求' || $2::int, 'Request ' || $2::int, $3) RETURNING id`, session[2040], n, to == "all")
		if strings.Contains(to, "a") && to != "all" {
			f.exec(t, `INSERT INTO request_recipients (request_id, ngo_id) VALUES ($1, $2)`, q[n], f.ngoA)
		}
		if strings.Contains(to, "b") {
			f.exec(t, `INSERT INTO request_recipients (request_id, ngo_id) VALUES ($1, $2)`, q[n], f.ngoB)
		}
	}
	q[5] = f.id(t, `INSERT INTO session_requests (session_id, number, text_zh) VALUES ($1, 1, '要求五') RETURNING id`, session[2041])
	f.exec(t, `INSERT INTO request_responses (request_id, ngo_id, nothing_planned, reason) VALUES ($1, $2, true, '本年度无相关资源')`, q[4], f.ngoA)

	// A's 2040 report, returned once, then accepted.
	f.reports[2040] = f.id(t, `INSERT INTO reports (cycle_id, ngo_id, status, submitted_at, accepted_at)
		VALUES ($1, $2, 'accepted', '2040-12-20 10:00+08', '2040-12-28 10:00+08') RETURNING id`, cycle[2040], f.ngoA)
	f.exec(t, `INSERT INTO report_events (report_id, at, actor_id, action, comment, snapshot) VALUES
		($1, '2040-12-01 09:00+08', $2, 'created', '', NULL),
		($1, '2040-12-10 09:00+08', $2, 'submitted', '', '{}'),
		($1, '2040-12-12 09:00+08', $3, 'returned', '请补充活动', NULL),
		($1, '2040-12-20 10:00+08', $2, 'resubmitted', '', '{}'),
		($1, '2040-12-28 10:00+08', $3, 'accepted', '', NULL)`, f.reports[2040], staff, admin)
	f.exec(t, `INSERT INTO report_activities (report_id, position, title, kind, mode, starts_on, ends_on, people_reached, women_reached) VALUES
		($1, 1, '线上讲座', 'lecture', 'online', '2040-03-01', '2040-03-01', 100, 80),
		($1, 2, '读书会', 'themed_activity', 'offline', '2040-04-01', '2040-04-01', 50, 50),
		($1, 3, '义诊', 'service', 'offline', '2040-05-01', '2040-05-02', 20, 5)`, f.reports[2040])
	f.exec(t, `INSERT INTO report_media (report_id, position, channel, items, reads) VALUES ($1, 1, 'wechat', 12, 3400), ($1, 2, 'weibo', 5, 1200)`, f.reports[2040])
	p := map[string]int64{}
	for i, title := range []string{"P1", "P2", "P3"} {
		p[title] = f.id(t, `INSERT INTO report_plan_items (report_id, position, title) VALUES ($1, $2, $3) RETURNING id`, f.reports[2040], i+1, title)
	}
	addendum := f.id(t, `INSERT INTO plan_addenda (session_id, ngo_id) VALUES ($1, $2) RETURNING id`, session[2040], f.ngoA)
	p["PA"] = f.id(t, `INSERT INTO report_plan_items (addendum_id, position, title) VALUES ($1, 1, 'PA') RETURNING id`, addendum)
	f.exec(t, `INSERT INTO report_plan_item_requests (plan_item_id, request_id) VALUES ($1, $3), ($1, $4), ($2, $4)`, p["P1"], p["PA"], q[1], q[2])

	// A's 2041 report, accepted first time, with the outcomes.
	f.reports[2041] = f.id(t, `INSERT INTO reports (cycle_id, ngo_id, status, submitted_at, accepted_at)
		VALUES ($1, $2, 'accepted', '2041-12-20 10:00+08', '2041-12-22 10:00+08') RETURNING id`, cycle[2041], f.ngoA)
	f.exec(t, `INSERT INTO report_events (report_id, at, actor_id, action, snapshot) VALUES
		($1, '2041-12-01 09:00+08', $2, 'created', NULL), ($1, '2041-12-20 10:00+08', $2, 'submitted', '{}'),
		($1, '2041-12-22 10:00+08', $3, 'accepted', NULL)`, f.reports[2041], staff, admin)
	f.exec(t, `INSERT INTO report_activities (report_id, position, title, kind, mode, starts_on, ends_on, people_reached, women_reached)
		VALUES ($1, 1, '网课', 'training', 'online', '2041-03-01', '2041-03-01', 10, 10)`, f.reports[2041])
	f.exec(t, `INSERT INTO report_progress (report_id, position, previous_plan_item_id, title, status, note) VALUES
		($1, 1, $2, 'P1', 'done', '已举办4场'), ($1, 2, $3, 'P2', 'partly', '完成一半'),
		($1, 3, $4, 'P3', '', '尚未填写'), ($1, 4, $5, 'PA', 'not_done', '经费不足')`,
		f.reports[2041], p["P1"], p["P2"], p["P3"], p["PA"])
	f.exec(t, `INSERT INTO report_plan_items (report_id, position, title) VALUES ($1, 1, 'P4')`, f.reports[2041])

	// B: an accepted 2040 report whose figures and items are B's alone.
	rb := f.id(t, `INSERT INTO reports (cycle_id, ngo_id, status, submitted_at, accepted_at)
		VALUES ($1, $2, 'accepted', now(), now()) RETURNING id`, cycle[2040], f.ngoB)
	f.exec(t, `INSERT INTO report_activities (report_id, position, title, kind, mode, starts_on, ends_on, people_reached, women_reached)
		VALUES ($1, 1, '乙活动', 'lecture', 'hybrid', '2040-03-01', '2040-03-01', 999, 999)`, rb)
	f.exec(t, `INSERT INTO report_media (report_id, position, channel, items, reads) VALUES ($1, 1, 'douyin', 9, 99999)`, rb)
	pb := f.id(t, `INSERT INTO report_plan_items (report_id, position, title) VALUES ($1, 1, '乙计划') RETURNING id`, rb)
	f.exec(t, `INSERT INTO report_plan_item_requests (plan_item_id, request_id) VALUES ($1, $2), ($1, $3)`, pb, q[1], q[3])
	return f
}

// describeTimeline writes a timeline as lines of text, so that a test
// compares it whole with what was worked out by hand.
func describeTimeline(tl portal.Timeline) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s / %s\n", tl.NameZH, tl.NameEN)
	for _, y := range tl.Years {
		fmt.Fprintf(&b, "%d cycle=%t\n", y.Year, y.CycleID != 0)
		if y.Report == nil {
			b.WriteString("  report: none\n")
		} else {
			fmt.Fprintf(&b, "  report: %s\n", y.Report.Status)
			for _, e := range y.Report.Events {
				fmt.Fprintf(&b, "    %s %s %s/%s %q\n", e.At.In(portal.FederationZone).Format("2006-01-02 15:04"), e.Action, e.ActorName, e.ActorNameEN, e.Comment)
			}
		}
		if y.Counted {
			f := y.Figures
			fmt.Fprintf(&b, "  figures: activities %d (online %d, offline %d, hybrid %d), people %d, women %d, media %d items %d reads\n",
				f.Activities, f.ActivitiesByMode[portal.ModeOnline], f.ActivitiesByMode[portal.ModeOffline], f.ActivitiesByMode[portal.ModeHybrid],
				f.PeopleReached, f.WomenReached, f.MediaItems, f.MediaReads)
		}
		for _, s := range y.Sessions {
			fmt.Fprintf(&b, "  session %s %s: invited=%t reply=%s %q attendance=%s present=%v\n",
				s.TitleEN, s.HeldOn.Format("2006-01-02"), s.Invited, s.Reply, s.DeclineReason, s.Attendance, s.Present)
		}
		for _, q := range y.Requests {
			fmt.Fprintf(&b, "  request %d %s: %s %q %v\n", q.Number, q.TextZH, q.Status, q.Reason, q.Items)
		}
		for _, p := range y.PlanItems {
			fmt.Fprintf(&b, "  plan item %s addendum=%t requests=%v: %s %q\n", p.Title, p.Addendum, p.Requests, p.Outcome, p.Note)
		}
		if rate, ok := y.Outcomes.CompletionRate(); ok {
			fmt.Fprintf(&b, "  outcomes %+v rate %.2f\n", y.Outcomes, rate)
		}
	}
	return b.String()
}

func TestTimeline(t *testing.T) {
	t.Parallel()
	f := newTLFixture(t)

	t.Run("OK", func(t *testing.T) {
		tl, err := f.db.NGOTimeline(t.Context(), f.ngoA)
		if err != nil {
			t.Fatal(err)
		}
		want := `时间线甲会 / Timeline A
2042 cycle=true
  report: none
  session Session 2042 2043-01-19: invited=false reply=none "" attendance=unknown present=[]
2041 cycle=true
  report: accepted
    2041-12-01 09:00 created 张三/Zhang San ""
    2041-12-20 10:00 submitted 张三/Zhang San ""
    2041-12-22 10:00 accepted 审阅人/ ""
  figures: activities 1 (online 1, offline 0, hybrid 0), people 10, women 10, media 0 items 0 reads
  session Session 2041 2042-01-19: invited=true reply=declined "时间冲突" attendance=absent present=[]
  request 1 要求五: none "" []
  plan item P4 addendum=false requests=[]: not_reported ""
  outcomes {Done:0 Partly:0 NotDone:0 NotReported:1} rate 0.00
2040 cycle=true
  report: accepted
    2040-12-01 09:00 created 张三/Zhang San ""
    2040-12-10 09:00 submitted 张三/Zhang San ""
    2040-12-12 09:00 returned 审阅人/ "请补充活动"
    2040-12-20 10:00 resubmitted 张三/Zhang San ""
    2040-12-28 10:00 accepted 审阅人/ ""
  figures: activities 3 (online 1, offline 2, hybrid 0), people 170, women 135, media 17 items 4600 reads
  session Session 2040 2041-01-19: invited=true reply=confirmed "" attendance=present present=[李红]
  request 1 要求1: planned "" [P1]
  request 2 要求2: planned "" [P1 PA]
  request 4 要求4: nothing "本年度无相关资源" []
  plan item P1 addendum=false requests=[1 2]: done "已举办4场"
  plan item P2 addendum=false requests=[]: partly "完成一半"
  plan item P3 addendum=false requests=[]: not_reported ""
  plan item PA addendum=true requests=[2]: not_done "经费不足"
  outcomes {Done:1 Partly:1 NotDone:1 NotReported:1} rate 0.25
`
		if got := describeTimeline(tl); got != want {
			t.Errorf("timeline:\n%s\nwant:\n%s", got, want)
		}
	})

	// Until the next year's report is accepted, its outcomes do not count,
	// and a report not accepted has no figures.
	t.Run("OKOnlyAcceptedReportsCount", func(t *testing.T) {
		f := newTLFixture(t)
		f.exec(t, `UPDATE reports SET status = 'submitted', accepted_at = NULL WHERE id = $1`, f.reports[2041])
		tl, err := f.db.NGOTimeline(t.Context(), f.ngoA)
		if err != nil {
			t.Fatal(err)
		}
		y2041, y2040 := tl.Years[1], tl.Years[2]
		if y2041.Counted || y2041.Figures.Activities != 0 || len(y2041.PlanItems) != 0 {
			t.Errorf("2041 submitted: counted=%t activities=%d items=%d, want nothing counted", y2041.Counted, y2041.Figures.Activities, len(y2041.PlanItems))
		}
		if y2040.Outcomes != (portal.OutcomeCounts{NotReported: 4}) {
			t.Errorf("2040 outcomes with 2041 not accepted: %+v, want all 4 not reported", y2040.Outcomes)
		}
	})

	t.Run("OKNGOWithNothingYet", func(t *testing.T) {
		id := f.id(t, `INSERT INTO ngos (slug, name_zh, name_en) VALUES ('tl-new', '新会', 'New') RETURNING id`)
		tl, err := f.db.NGOTimeline(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if len(tl.Years) != 1 || tl.Years[0].Year != 2042 || tl.Years[0].Report != nil {
			t.Errorf("a new NGO's timeline: %s", describeTimeline(tl))
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := f.db.NGOTimeline(t.Context(), 1<<40); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("unknown NGO: %v, want ErrNotFound", err)
		}
	})
}
