package postgres_test

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"ngoportal/internal/demo"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// rsFixture is a held session of its own (tied to a 2040 cycle) with two
// invited NGOs, A and B, a request to all (q1) and one to A alone (q2); A
// has a returned report of the cycle with two plan items, and answers are
// due on rsDue.
type rsFixture struct {
	testDB
	admin, staffA, staffB portal.Actor
	a, b, c               int64 // c is not invited
	cycle, session        int64
	q1, q2                int64
	report                int64
	item1, item2          int64
	theme                 int64
}

// rsDue is the fixture's date for answers; rsBefore a moment when answers
// are open, rsAfter one when they are closed.
var (
	rsDue    = isoDate("2041-03-31")
	rsBefore = time.Date(2041, 3, 31, 23, 0, 0, 0, portal.FederationZone)
	rsAfter  = time.Date(2041, 4, 1, 0, 0, 0, 0, portal.FederationZone)
)

func newRSFixture(t *testing.T) rsFixture {
	t.Helper()
	f := rsFixture{testDB: newDemoDB(t)}
	f.admin = f.actor(t, demo.AdminEmail)
	f.a = f.id(t, `SELECT id FROM ngos WHERE slug = 'women-physicians'`)
	f.b = f.id(t, `SELECT id FROM ngos WHERE slug = 'women-lawyers'`)
	f.c = f.id(t, `SELECT id FROM ngos WHERE slug = 'women-artists'`)
	f.staffA = portal.Actor{UserID: f.id(t, `INSERT INTO users (email, name, role, ngo_id, status) VALUES ('rs-a@example.org', '甲', 'staff', $1, 'invited') RETURNING id`, f.a), Email: "rs-a@example.org"}
	f.staffB = portal.Actor{UserID: f.id(t, `INSERT INTO users (email, name, role, ngo_id, status) VALUES ('rs-b@example.org', '乙', 'staff', $1, 'invited') RETURNING id`, f.b), Email: "rs-b@example.org"}
	f.cycle = f.id(t, `INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status)
		VALUES (2040, 2041, '2040-11-01', '2041-01-08', 'open') RETURNING id`)
	f.session = f.id(t, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, cycle_id)
		VALUES ('rs-2041', '2041年测试会议', '2041 test session', 'municipal', '2041-01-19', 'held', $1) RETURNING id`, f.cycle)
	f.exec(t, `INSERT INTO invitations (session_id, ngo_id) VALUES ($1, $2), ($1, $3)`, f.session, f.a, f.b)
	f.q1 = f.id(t, `INSERT INTO session_requests (session_id, number, text_zh, text_en) VALUES ($1, 1, '搭建职业女性交流平台', 'Build platforms for career women') RETURNING id`, f.session)
	f.q2 = f.id(t, `INSERT INTO session_requests (session_id, number, text_zh, addressed_to_all) VALUES ($1, 2, '讲好上海女性故事', false) RETURNING id`, f.session)
	f.exec(t, `INSERT INTO request_recipients (request_id, ngo_id) VALUES ($1, $2)`, f.q2, f.a)
	f.report = f.id(t, `INSERT INTO reports (cycle_id, ngo_id, status, submitted_at) VALUES ($1, $2, 'returned', now()) RETURNING id`, f.cycle, f.a)
	f.item1 = f.id(t, `INSERT INTO report_plan_items (report_id, position, title) VALUES ($1, 1, '导师结对计划') RETURNING id`, f.report)
	f.item2 = f.id(t, `INSERT INTO report_plan_items (report_id, position, title) VALUES ($1, 2, '海外讲述活动') RETURNING id`, f.report)
	f.theme = f.id(t, `SELECT min(id) FROM themes`)
	if err := f.db.SetResponsesDue(t.Context(), f.admin, f.session, rsDue, nil); err != nil {
		t.Fatal(err)
	}
	return f
}

// answer is NGO ngo's answer to request q as its page reads it.
func (f rsFixture) answer(t *testing.T, ngo, q int64) portal.StaffAnswer {
	t.Helper()
	d, err := f.db.StaffResponsesFor(t.Context(), f.session, ngo)
	if err != nil {
		t.Fatal(err)
	}
	return d.Answers[q]
}

func TestResponseDue(t *testing.T) {
	t.Parallel()
	f := newRSFixture(t)
	ctx := t.Context()
	if a := f.audits(t, `action = $1 AND object_id = $2`, portal.AuditResponsesDueSet, f.session); len(a) != 1 ||
		a[0].Changes["responses_due_on"].After != "2041-03-31" {
		t.Errorf("audit of the date: %+v", a)
	}
	t.Run("ErrConflict", func(t *testing.T) {
		stale := isoDate("2041-02-01")
		if err := f.db.SetResponsesDue(ctx, f.admin, f.session, isoDate("2041-04-30"), &stale); !errors.Is(err, portal.ErrConflict) {
			t.Errorf("stale: %v, want a conflict", err)
		}
		if err := f.db.SetResponsesDue(ctx, f.admin, f.session, isoDate("2041-04-30"), nil); !errors.Is(err, portal.ErrConflict) {
			t.Errorf("as if none: %v, want a conflict", err)
		}
	})
	t.Run("Changed", func(t *testing.T) {
		was := rsDue
		if err := f.db.SetResponsesDue(ctx, f.admin, f.session, isoDate("2041-04-30"), &was); err != nil {
			t.Fatal(err)
		}
		due, n, err := f.db.ResponsesDue(ctx, f.session)
		if err != nil || due == nil || due.Format(time.DateOnly) != "2041-04-30" || n != 2 {
			t.Errorf("after the change: %v %d %v", due, n, err)
		}
		back := isoDate("2041-04-30")
		if err := f.db.SetResponsesDue(ctx, f.admin, f.session, rsDue, &back); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrNotSettable", func(t *testing.T) {
		scheduled := f.id(t, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status) VALUES ('rs-sched', '未举行', 'Not held', 'district', '2041-06-01', 'scheduled') RETURNING id`)
		f.exec(t, `INSERT INTO session_requests (session_id, number, text_zh) VALUES ($1, 1, '要求')`, scheduled)
		if err := f.db.SetResponsesDue(ctx, f.admin, scheduled, rsDue, nil); !errors.Is(err, portal.ErrResponsesDueNotSettable) {
			t.Errorf("scheduled session: %v", err)
		}
		empty := f.id(t, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status) VALUES ('rs-empty', '无要求', 'No requests', 'district', '2041-01-02', 'held') RETURNING id`)
		if err := f.db.SetResponsesDue(ctx, f.admin, empty, rsDue, nil); !errors.Is(err, portal.ErrResponsesDueNotSettable) {
			t.Errorf("session without requests: %v", err)
		}
	})
}

func TestResponseLinking(t *testing.T) {
	t.Parallel()
	f := newRSFixture(t)
	ctx := t.Context()
	reportVersion := func() int64 { return f.id(t, `SELECT version FROM reports WHERE id = $1`, f.report) }
	v0 := reportVersion()

	if err := f.db.SaveResponseItems(ctx, f.staffA, f.session, f.a, f.q1, []int64{f.item1}, 0, rsBefore); err != nil {
		t.Fatal(err)
	}
	a := f.answer(t, f.a, f.q1)
	if a.Status != portal.ResponsePlanned || !slices.Equal(a.ItemIDs, []int64{f.item1}) || a.Version != 1 {
		t.Fatalf("after linking: %+v", a)
	}
	if reportVersion() != v0+1 {
		t.Errorf("the returned report's version was not moved on: a form of it loaded before would drop the link")
	}
	if got := f.answer(t, f.a, f.q2).Status; got != portal.ResponseNone {
		t.Errorf("q2 is %s, want none", got)
	}

	t.Run("NothingUnlinks", func(t *testing.T) {
		err := f.db.SaveNothingPlanned(ctx, f.staffA, f.session, f.a, f.q1, portal.NothingPlanned{Reason: "本年度资源已全部投入其他项目"}, 1, rsBefore)
		if err != nil {
			t.Fatal(err)
		}
		a := f.answer(t, f.a, f.q1)
		if a.Status != portal.ResponseNothing || len(a.ItemIDs) != 0 || a.Reason == "" {
			t.Fatalf("after nothing: %+v", a)
		}
	})
	t.Run("LinkingClearsNothing", func(t *testing.T) {
		if err := f.db.SaveResponseItems(ctx, f.staffA, f.session, f.a, f.q1, []int64{f.item2}, 2, rsBefore); err != nil {
			t.Fatal(err)
		}
		var nothing bool
		var reason string
		if err := f.db.Pool().QueryRow(ctx, `SELECT nothing_planned, reason FROM request_responses WHERE request_id = $1 AND ngo_id = $2`,
			f.q1, f.a).Scan(&nothing, &reason); err != nil {
			t.Fatal(err)
		}
		if nothing || reason != "" {
			t.Errorf("nothing_planned %v %q after linking an item", nothing, reason)
		}
		if a := f.answer(t, f.a, f.q1); a.Status != portal.ResponsePlanned || !slices.Equal(a.ItemIDs, []int64{f.item2}) {
			t.Errorf("after linking again: %+v", a)
		}
		audits := f.audits(t, `action = $1 AND object_id = $2 AND ngo_id = $3`, portal.AuditResponseSaved, f.q1, f.a)
		if len(audits) != 3 || audits[2].Changes["nothing_planned"].Before != true || audits[2].ActorID != f.staffA.UserID {
			t.Errorf("audits: %+v", audits)
		}
	})
	t.Run("NoneTicked", func(t *testing.T) {
		if err := f.db.SaveResponseItems(ctx, f.staffA, f.session, f.a, f.q2, []int64{f.item1}, 0, rsBefore); err != nil {
			t.Fatal(err)
		}
		if err := f.db.SaveResponseItems(ctx, f.staffA, f.session, f.a, f.q2, nil, 1, rsBefore); err != nil {
			t.Fatal(err)
		}
		if a := f.answer(t, f.a, f.q2); a.Status != portal.ResponseNone || len(a.ItemIDs) != 0 {
			t.Errorf("after unticking every item: %+v", a)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		err := f.db.SaveResponseItems(ctx, f.staffA, f.session, f.a, f.q1, []int64{f.item1}, 2, rsBefore)
		if !errors.Is(err, portal.ErrConflict) {
			t.Errorf("stale version: %v", err)
		}
	})
	t.Run("ErrItemNotTheNGOs", func(t *testing.T) {
		other := f.id(t, `SELECT min(p.id) FROM report_plan_items p JOIN reports r ON r.id = p.report_id WHERE r.ngo_id <> $1`, f.a)
		var ve *portal.ValidationError
		err := f.db.SaveResponseItems(ctx, f.staffA, f.session, f.a, f.q2, []int64{other}, f.answer(t, f.a, f.q2).Version, rsBefore)
		if !errors.As(err, &ve) || ve.Fields["items"] == "" {
			t.Errorf("another NGO's item: %v", err)
		}
	})
	t.Run("ErrNotAddressed", func(t *testing.T) {
		err := f.db.SaveNothingPlanned(ctx, f.staffB, f.session, f.b, f.q2, portal.NothingPlanned{Reason: "x"}, 0, rsBefore)
		if !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("a request not addressed to B: %v", err)
		}
		err = f.db.SaveNothingPlanned(ctx, f.admin, f.session, f.c, f.q1, portal.NothingPlanned{Reason: "x"}, 0, rsBefore)
		if !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("an NGO not invited: %v", err)
		}
		if _, err := f.db.StaffResponsesFor(ctx, f.session, f.c); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("page of an NGO not addressed: %v", err)
		}
	})
	t.Run("ErrReasonRequired", func(t *testing.T) {
		var ve *portal.ValidationError
		err := f.db.SaveNothingPlanned(ctx, f.staffB, f.session, f.b, f.q1, portal.NothingPlanned{Reason: "  "}, 0, rsBefore)
		if !errors.As(err, &ve) || ve.Fields["reason"] != "response.error.reason_required" {
			t.Errorf("blank reason: %v", err)
		}
	})
}

func TestResponseDeadline(t *testing.T) {
	t.Parallel()
	f := newRSFixture(t)
	ctx := t.Context()
	err := f.db.SaveNothingPlanned(ctx, f.staffB, f.session, f.b, f.q1, portal.NothingPlanned{Reason: "无"}, 0, rsAfter)
	if !errors.Is(err, portal.ErrResponsesClosed) {
		t.Fatalf("after the date: %v", err)
	}
	if _, err := f.db.AddAddendumItem(ctx, f.staffB, f.session, f.b, portal.PlanItem{Title: "迟到的计划", RequestIDs: []int64{f.q1}}, 0, rsAfter); !errors.Is(err, portal.ErrResponsesClosed) {
		t.Errorf("addendum after the date: %v", err)
	}
	if _, err := f.db.StaffResponsesFor(ctx, f.session, f.b); err != nil {
		t.Errorf("reading after the date: %v", err)
	}

	t.Run("ErrNotLater", func(t *testing.T) {
		var ve *portal.ValidationError
		err := f.db.ExtendResponses(ctx, f.admin, f.session, f.b, portal.ResponseExtension{DueOn: rsDue}, nil)
		if !errors.As(err, &ve) || ve.Fields["due_on"] == "" {
			t.Errorf("an extension on the same day: %v", err)
		}
	})
	t.Run("Extended", func(t *testing.T) {
		ext := portal.ResponseExtension{DueOn: isoDate("2041-04-15"), Reason: "换届"}
		if err := f.db.ExtendResponses(ctx, f.admin, f.session, f.b, ext, nil); err != nil {
			t.Fatal(err)
		}
		if err := f.db.SaveNothingPlanned(ctx, f.staffB, f.session, f.b, f.q1, portal.NothingPlanned{Reason: "无"}, 0, rsAfter); err != nil {
			t.Errorf("within the extension: %v", err)
		}
		// A is not extended.
		if err := f.db.SaveResponseItems(ctx, f.staffA, f.session, f.a, f.q1, []int64{f.item1}, 0, rsAfter); !errors.Is(err, portal.ErrResponsesClosed) {
			t.Errorf("A after its date: %v", err)
		}
		d, err := f.db.StaffResponsesFor(ctx, f.session, f.b)
		if err != nil || !d.Extended || d.DueOn.Format(time.DateOnly) != "2041-04-15" || d.ExtensionReason != "换届" {
			t.Errorf("B's page: %+v %v", d, err)
		}
		if a := f.audits(t, `action = $1 AND ngo_id = $2`, portal.AuditResponseExtended, f.b); len(a) != 1 {
			t.Errorf("audits: %+v", a)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		ext := portal.ResponseExtension{DueOn: isoDate("2041-05-15")}
		if err := f.db.ExtendResponses(ctx, f.admin, f.session, f.b, ext, nil); !errors.Is(err, portal.ErrConflict) {
			t.Errorf("a second first extension: %v", err)
		}
		was := isoDate("2041-04-15")
		if err := f.db.ExtendResponses(ctx, f.admin, f.session, f.b, ext, &was); err != nil {
			t.Errorf("changing it: %v", err)
		}
		if err := f.db.ExtendResponses(ctx, f.admin, f.session, f.b, ext, &was); !errors.Is(err, portal.ErrConflict) {
			t.Errorf("changing it from a stale form: %v", err)
		}
	})
}

func TestResponseAddendum(t *testing.T) {
	t.Parallel()
	f := newRSFixture(t)
	ctx := t.Context()
	t.Run("ErrTitleRequired", func(t *testing.T) {
		var ve *portal.ValidationError
		_, err := f.db.AddAddendumItem(ctx, f.staffA, f.session, f.a, portal.PlanItem{Quarter: 5, RequestIDs: []int64{f.q1}}, 0, rsBefore)
		if !errors.As(err, &ve) || ve.Fields["title"] == "" || ve.Fields["quarter"] == "" {
			t.Errorf("no title, quarter 5: %v", err)
		}
		_, err = f.db.AddAddendumItem(ctx, f.staffB, f.session, f.b, portal.PlanItem{Title: "x", RequestIDs: []int64{f.q2}}, 0, rsBefore)
		if !errors.As(err, &ve) || ve.Fields["requests"] == "" {
			t.Errorf("a request not addressed to B: %v", err)
		}
	})

	item := portal.PlanItem{Title: "长三角女性创业沙龙", Description: "每季度一次", Quarter: 2, ThemeIDs: []int64{f.theme}, RequestIDs: []int64{f.q1, f.q2}}
	id, err := f.db.AddAddendumItem(ctx, f.staffA, f.session, f.a, item, 0, rsBefore)
	if err != nil {
		t.Fatal(err)
	}
	d, err := f.db.StaffResponsesFor(ctx, f.session, f.a)
	if err != nil {
		t.Fatal(err)
	}
	if d.AddendumVersion != 1 || len(d.AddendumItems) != 1 || d.AddendumItems[0].ID != id || d.AddendumItems[0].Quarter != 2 {
		t.Fatalf("addendum: v%d %+v", d.AddendumVersion, d.AddendumItems)
	}
	if d.Answers[f.q1].Status != portal.ResponsePlanned || d.Answers[f.q2].Status != portal.ResponsePlanned {
		t.Errorf("answers after the item: %+v", d.Answers)
	}
	if n := f.id(t, `SELECT count(*) FROM plan_item_owners WHERE plan_item_id = $1 AND ngo_id = $2 AND report_id IS NULL`, id, f.a); n != 1 {
		t.Errorf("the item is not A's through its addendum")
	}

	t.Run("ErrConflict", func(t *testing.T) {
		if _, err := f.db.AddAddendumItem(ctx, f.staffA, f.session, f.a, portal.PlanItem{Title: "二", RequestIDs: []int64{f.q1}}, 0, rsBefore); !errors.Is(err, portal.ErrConflict) {
			t.Errorf("a second first add: %v", err)
		}
	})
	t.Run("Updated", func(t *testing.T) {
		item.ID, item.RequestIDs = id, []int64{f.q2}
		if err := f.db.UpdateAddendumItem(ctx, f.staffA, f.session, f.a, item, 1, rsBefore); err != nil {
			t.Fatal(err)
		}
		if got := f.answer(t, f.a, f.q1).Status; got != portal.ResponseNone {
			t.Errorf("q1 after unlinking: %s", got)
		}
		a := f.audits(t, `action = $1 AND ngo_id = $2`, portal.AuditAddendumItemUpdated, f.a)
		if len(a) != 1 || a[0].ObjectType != portal.AuditObjectPlanAddendum || a[0].Changes["request_ids"].Before == nil {
			t.Errorf("audit: %+v", a)
		}
	})
	t.Run("ErrOtherNGO", func(t *testing.T) {
		if err := f.db.DeleteAddendumItem(ctx, f.staffB, f.session, f.b, id, 2, rsBefore); !errors.Is(err, portal.ErrNotFound) && !errors.Is(err, portal.ErrConflict) {
			t.Errorf("B removing A's item: %v", err)
		}
		if _, err := f.db.AddendumItem(ctx, f.session, f.b, id); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("B reading A's item: %v", err)
		}
	})
	t.Run("Deleted", func(t *testing.T) {
		if err := f.db.DeleteAddendumItem(ctx, f.staffA, f.session, f.a, id, 1, rsBefore); !errors.Is(err, portal.ErrConflict) {
			t.Errorf("stale delete: %v", err)
		}
		if err := f.db.DeleteAddendumItem(ctx, f.staffA, f.session, f.a, id, 2, rsBefore); err != nil {
			t.Fatal(err)
		}
		if got := f.answer(t, f.a, f.q2).Status; got != portal.ResponseNone {
			t.Errorf("q2 after removing its only item: %s", got)
		}
		if a := f.audits(t, `action = $1 AND ngo_id = $2`, portal.AuditAddendumItemRemoved, f.a); len(a) != 1 {
			t.Errorf("audit: %+v", a)
		}
	})
}

// Parallel first answers and first addenda: a check-then-write would let
// two through.
func TestResponseParallelWrites(t *testing.T) {
	t.Parallel()
	f := newRSFixture(t)
	ctx := t.Context()
	run := func(n int, write func(i int) error) (ok, conflicts int) {
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				err := write(i)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case errors.Is(err, portal.ErrConflict):
					conflicts++
				default:
					t.Errorf("write %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		return ok, conflicts
	}
	ok, conflicts := run(6, func(i int) error {
		if i%2 == 0 {
			return f.db.SaveNothingPlanned(ctx, f.staffA, f.session, f.a, f.q1, portal.NothingPlanned{Reason: "并发"}, 0, rsBefore)
		}
		return f.db.SaveResponseItems(ctx, f.staffA, f.session, f.a, f.q1, []int64{f.item1}, 0, rsBefore)
	})
	if ok != 1 || conflicts != 5 {
		t.Errorf("first answers at version 0: %d saved, %d conflicts; want 1 and 5", ok, conflicts)
	}
	ok, conflicts = run(6, func(i int) error {
		_, err := f.db.AddAddendumItem(ctx, f.staffA, f.session, f.a, portal.PlanItem{Title: "并发增补", RequestIDs: []int64{f.q2}}, 0, rsBefore)
		return err
	})
	if ok != 1 || conflicts != 5 {
		t.Errorf("first addendum items: %d saved, %d conflicts; want 1 and 5", ok, conflicts)
	}
	if n := f.id(t, `SELECT count(*) FROM report_plan_items p JOIN plan_addenda d ON d.id = p.addendum_id WHERE d.ngo_id = $1`, f.a); n != 1 {
		t.Errorf("%d addendum items, want 1", n)
	}
}

func TestResponseOverviewAndRemind(t *testing.T) {
	t.Parallel()
	f := newRSFixture(t)
	ctx := t.Context()
	if err := f.db.SaveResponseItems(ctx, f.staffA, f.session, f.a, f.q1, []int64{f.item1}, 0, rsBefore); err != nil {
		t.Fatal(err)
	}
	if err := f.db.SaveNothingPlanned(ctx, f.staffA, f.session, f.a, f.q2, portal.NothingPlanned{Reason: "不在本组织业务范围"}, 0, rsBefore); err != nil {
		t.Fatal(err)
	}
	counts, err := f.db.ResponseCounts(ctx, f.session)
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 2 || counts[0].Addressed != 2 || counts[0].Planned != 1 || counts[0].None != 1 ||
		counts[1].Addressed != 1 || counts[1].Nothing != 1 {
		t.Errorf("counts: %+v", counts)
	}

	page, err := f.db.SessionResponses(ctx, f.session, portal.ResponseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 2 || len(page.Rows) != 2 {
		t.Fatalf("page: %+v", page)
	}
	for _, r := range page.Rows {
		if r.NGOID == f.a {
			if r.Answered() != 2 || r.Cells[0].Items[0].Title != "导师结对计划" || r.Cells[0].Items[0].Addendum || r.Cells[1].Reason == "" {
				t.Errorf("A's row: %+v", r)
			}
		}
	}
	for name, c := range map[string]struct {
		f    portal.ResponseFilter
		want []int64
	}{
		"NGO":           {portal.ResponseFilter{NGOID: f.b}, []int64{f.b}},
		"StatusNone":    {portal.ResponseFilter{Status: portal.ResponseNone}, []int64{f.b}},
		"RequestStatus": {portal.ResponseFilter{RequestID: f.q2, Status: portal.ResponseNothing}, []int64{f.a}},
		"Request":       {portal.ResponseFilter{RequestID: f.q2}, []int64{f.a}},
	} {
		t.Run(name, func(t *testing.T) {
			p, err := f.db.SessionResponses(ctx, f.session, c.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, r := range p.Rows {
				got = append(got, r.NGOID)
			}
			if !slices.Equal(got, c.want) || p.Total != len(c.want) {
				t.Errorf("NGOs %v (total %d), want %v", got, p.Total, c.want)
			}
		})
	}

	t.Run("Remind", func(t *testing.T) {
		n, err := f.db.RemindUnanswered(ctx, f.admin, f.session)
		if err != nil || n != 1 {
			t.Fatalf("reminded %d (%v), want B alone", n, err)
		}
		if got := f.ids(t, `SELECT ngo_id FROM response_reminders WHERE session_id = $1`, f.session); !slices.Equal(got, []int64{f.b}) {
			t.Errorf("reminders to %v", got)
		}
		if err := f.db.RemindNGO(ctx, f.admin, f.session, f.a); err != nil {
			t.Error(err)
		}
		if err := f.db.RemindNGO(ctx, f.admin, f.session, f.c); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("reminding an NGO not addressed: %v", err)
		}
		if a := f.audits(t, `action = $1`, portal.AuditResponseReminded); len(a) != 2 {
			t.Errorf("audits: %+v", a)
		}
		// The demo's earlier sessions are tasks too; the fixture's is the latest.
		tasks, err := f.db.ResponseTasks(ctx, f.b)
		if err == nil && len(tasks) > 0 && tasks[0].SessionID == f.session {
			tasks = tasks[:1]
		}
		if err != nil || len(tasks) != 1 || tasks[0].Addressed != 1 || tasks[0].Answered != 0 || tasks[0].LastReminder.IsZero() ||
			!tasks[0].Overdue(rsAfter) || tasks[0].Overdue(rsBefore) {
			t.Errorf("B's tasks: %+v %v", tasks, err)
		}
		tasks, err = f.db.ResponseTasks(ctx, f.a)
		if err == nil && len(tasks) > 0 && tasks[0].SessionID == f.session {
			tasks = tasks[:1]
		}
		if err != nil || len(tasks) != 1 || !tasks[0].Done() {
			t.Errorf("A's tasks: %+v %v", tasks, err)
		}
	})
}

func TestResponseRequestUse(t *testing.T) {
	t.Parallel()
	f := newRSFixture(t)
	ctx := t.Context()
	f.exec(t, `UPDATE sessions SET status = 'held' WHERE id = $1`, f.session)
	if err := f.db.SaveNothingPlanned(ctx, f.staffA, f.session, f.a, f.q2, portal.NothingPlanned{Reason: "无"}, 0, rsBefore); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.AddAddendumItem(ctx, f.staffB, f.session, f.b, portal.PlanItem{Title: "x", RequestIDs: []int64{f.q1}}, 0, rsBefore); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		q                   int64
		responses, addendum int
	}{{f.q2, 1, 0}, {f.q1, 1, 1}} {
		use, err := f.db.RequestUse(ctx, f.session, c.q)
		if err != nil {
			t.Fatal(err)
		}
		if !use.InUse() || use.Responses != c.responses || use.AddendumItems != c.addendum {
			t.Errorf("use of %d: %+v", c.q, use)
		}
		version := int(f.id(t, `SELECT version FROM session_requests WHERE id = $1`, c.q))
		if err := f.db.DeleteRequest(ctx, f.admin, f.session, c.q, version); !errors.Is(err, postgres.ErrRequestInUse) {
			t.Errorf("delete %d: %v", c.q, err)
		}
	}
}

// An addendum item whose outcome next year's report gives stays; one that
// next year's draft only lists (blank) goes, and its row with it.
func TestResponseAddendumItemWithOutcome(t *testing.T) {
	t.Parallel()
	f := newRSFixture(t)
	ctx := t.Context()
	add := func(title string) int64 {
		t.Helper()
		d, err := f.db.StaffResponsesFor(ctx, f.session, f.a)
		if err != nil {
			t.Fatal(err)
		}
		id, err := f.db.AddAddendumItem(ctx, f.staffA, f.session, f.a, portal.PlanItem{Title: title, RequestIDs: []int64{f.q1}}, d.AddendumVersion, rsBefore)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	answered, blank := add("女性职业发展讲座"), add("职业女性沙龙")
	next := f.id(t, `INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status)
		VALUES (2041, 2042, '2041-11-01', '2042-01-08', 'open') RETURNING id`)
	report := f.id(t, `INSERT INTO reports (cycle_id, ngo_id) VALUES ($1, $2) RETURNING id`, next, f.a)
	f.exec(t, `INSERT INTO report_progress (report_id, position, previous_plan_item_id, title, status)
		VALUES ($1, 1, $2, '女性职业发展讲座', 'done'), ($1, 2, $3, '职业女性沙龙', '')`, report, answered, blank)

	version := func() int {
		d, err := f.db.StaffResponsesFor(ctx, f.session, f.a)
		if err != nil {
			t.Fatal(err)
		}
		return d.AddendumVersion
	}
	if err := f.db.DeleteAddendumItem(ctx, f.staffA, f.session, f.a, answered, version(), rsBefore); !errors.Is(err, portal.ErrOutcomeOnRecord) {
		t.Errorf("removing an item whose outcome is given: %v, want ErrOutcomeOnRecord", err)
	}
	if n := f.id(t, `SELECT count(*) FROM report_plan_items WHERE id = $1`, answered); n != 1 {
		t.Errorf("the item with an outcome was removed")
	}
	if err := f.db.DeleteAddendumItem(ctx, f.staffA, f.session, f.a, blank, version(), rsBefore); err != nil {
		t.Fatalf("removing an item next year's draft lists blank: %v", err)
	}
	if n := f.id(t, `SELECT count(*) FROM report_progress WHERE report_id = $1`, report); n != 1 {
		t.Errorf("progress rows left = %d, want the answered one", n)
	}
}
