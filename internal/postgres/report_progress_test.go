package postgres_test

import (
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"ngoportal/internal/portal"
)

// outcomeFixture is a 2025 cycle tied to a session that made two requests
// of NGO 1, NGO 1's accepted 2025 report with two plan items (the first
// answering request 1) and its plan addendum for the session.
type outcomeFixture struct {
	wrFixture
	staff                portal.Actor
	ngo                  int64
	session, addendum    int64
	req1, req2           int64
	prevItems            []int64 // the accepted report's items
	addendumA, addendumB int64   // A answers requests 1 and 2, B none
}

func newOutcomeFixture(t *testing.T) outcomeFixture {
	t.Helper()
	f := outcomeFixture{wrFixture: newWRFixture(t)}
	ctx := t.Context()
	f.staff, f.ngo = f.wrFixture.staff(t, 1)
	prev := f.id(t, `INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status)
		VALUES (2025, 2026, '2025-11-01', '2026-12-31', 'open') RETURNING id`)
	f.session = f.id(t, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on, cycle_id, status)
		VALUES ('2026-outcome-session', '2026年会议', '2026 session', 'municipal', '2026-01-20', $1, 'held') RETURNING id`, prev)
	f.exec(t, `INSERT INTO invitations (session_id, ngo_id) VALUES ($1, $2)`, f.session, f.ngo)
	f.req1 = f.id(t, `INSERT INTO session_requests (session_id, number, text_zh, text_en) VALUES ($1, 1, '搭建平台', 'Build platforms') RETURNING id`, f.session)
	f.req2 = f.id(t, `INSERT INTO session_requests (session_id, number, text_zh) VALUES ($1, 2, '讲好故事') RETURNING id`, f.session)

	r, err := f.db.StartReport(ctx, f.staff, prev, f.ngo)
	if err != nil {
		t.Fatal(err)
	}
	r = f.content(r, 2025)
	r.PlanItems[0].RequestIDs = []int64{f.req1}
	r.Declaration = true
	if r, err = f.db.SaveDraft(ctx, f.staff, f.ngo, r, r.Version); err != nil {
		t.Fatal(err)
	}
	f.addCover(t, r.ID)
	if r, err = f.db.SubmitReport(ctx, f.staff, f.ngo, r, r.Version, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := f.db.AcceptReport(ctx, f.admin, r.ID, r.Version); err != nil {
		t.Fatal(err)
	}
	f.prevItems = []int64{r.PlanItems[0].ID, r.PlanItems[1].ID}

	f.addendum = f.id(t, `INSERT INTO plan_addenda (session_id, ngo_id) VALUES ($1, $2) RETURNING id`, f.session, f.ngo)
	f.addendumA = f.addItem(t, 1, "海外交流周", f.req2, f.req1)
	f.addendumB = f.addItem(t, 2, "社区讲堂")
	return f
}

// addItem adds an item at position to the addendum, answering requests.
func (f outcomeFixture) addItem(t *testing.T, position int, title string, requests ...int64) int64 {
	t.Helper()
	id := f.id(t, `INSERT INTO report_plan_items (addendum_id, position, title) VALUES ($1, $2, $3) RETURNING id`,
		f.addendum, position, title)
	for _, q := range requests {
		f.exec(t, `INSERT INTO report_plan_item_requests (plan_item_id, request_id) VALUES ($1, $2)`, id, q)
	}
	return id
}

// progressOf counts report reportID's progress rows for plan item item.
func (f outcomeFixture) progressOf(t *testing.T, reportID, item int64) int64 {
	t.Helper()
	return f.id(t, `SELECT count(*) FROM report_progress WHERE report_id = $1 AND previous_plan_item_id = $2`, reportID, item)
}

// TestReportOutcomes: next year's report asks for the outcome of the
// accepted report's items, then of the addendum's, each with the requests
// it answers; an item added to the addendum later is asked for from the
// next save on, once, however many saves run at the same time.
func TestReportOutcomes(t *testing.T) {
	f := newOutcomeFixture(t)
	ctx := t.Context()

	r, err := f.db.StartReport(ctx, f.staff, f.cycle, f.ngo)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Item     int64
		Requests []int64
		Addendum bool
	}
	rows := func(ps []portal.Progress) []row {
		var out []row
		for _, p := range ps {
			out = append(out, row{p.PreviousPlanItemID, p.RequestIDs, p.FromAddendum})
		}
		return out
	}
	want := []row{
		{f.prevItems[0], []int64{f.req1}, false},
		{f.prevItems[1], []int64{}, false},
		{f.addendumA, []int64{f.req1, f.req2}, true},
		{f.addendumB, []int64{}, true},
	}
	if got := rows(r.Progress); !reflect.DeepEqual(got, want) {
		t.Errorf("carried over %+v\nwant %+v", got, want)
	}
	if len(r.Answers) != 2 || r.Answers[0].RequestID != f.req1 || r.Answers[1].RequestID != f.req2 {
		t.Errorf("answers %+v", r.Answers)
	}

	t.Run("LateItemAskedOnSave", func(t *testing.T) {
		late := f.addItem(t, 3, "巾帼创业营", f.req2)
		edit := r
		edit.Narrative = "草稿"
		edit.Progress = append([]portal.Progress(nil), r.Progress...)
		edit.Progress[0].Status = portal.ProgressDone
		saved, err := f.db.SaveDraft(ctx, f.staff, f.ngo, edit, r.Version)
		if err != nil {
			t.Fatal(err)
		}
		if len(saved.Progress) != 5 || saved.Progress[4].PreviousPlanItemID != late ||
			!saved.Progress[4].FromAddendum || saved.Progress[4].Status != portal.ProgressUnanswered {
			t.Fatalf("after the save: %+v", saved.Progress)
		}
		if saved.Progress[0].Status != portal.ProgressDone {
			t.Errorf("the editor's answer was lost: %+v", saved.Progress[0])
		}
		audits := f.audits(t, `object_type = 'report' AND object_id = $1 AND changes ? 'progress_items'`, r.ID)
		if len(audits) != 2 { // the start, and this save
			t.Errorf("audits of the listed items: %+v", audits)
		}

		// Saving again, with or without a change, adds nothing more.
		again := saved
		again.Narrative = "草稿二"
		if again, err = f.db.SaveDraft(ctx, f.staff, f.ngo, again, saved.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.SaveDraft(ctx, f.staff, f.ngo, again, again.Version); err != nil {
			t.Fatal(err)
		}
		if n := f.progressOf(t, r.ID, late); n != 1 {
			t.Errorf("%d rows for the late item after three saves", n)
		}
		r = again
	})

	t.Run("ParallelSavesNoDuplicates", func(t *testing.T) {
		late := f.addItem(t, 4, "家庭教育讲座")
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Go(func() {
				edit := r
				edit.Narrative = "并行保存"
				_, errs[i] = f.db.SaveDraft(ctx, f.staff, f.ngo, edit, r.Version)
			})
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, portal.ErrConflict):
				t.Errorf("parallel save: %v", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d saves succeeded, want 1: %v", ok, errs)
		}
		if n := f.progressOf(t, r.ID, late); n != 1 {
			t.Errorf("%d rows for the item after parallel saves, want 1", n)
		}
		if r, err = f.db.ReportFor(ctx, f.cycle, f.ngo); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("SaveWhileItemDeleted", func(t *testing.T) {
		// An item is being deleted when a save lists it: the save waits
		// for the deletion, then goes through without the item.
		gone := f.addItem(t, 6, "正在撤回的计划")
		del, err := f.db.Pool().Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer del.Rollback(ctx)
		if _, err := del.Exec(ctx, `DELETE FROM report_plan_items WHERE id = $1`, gone); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			edit := r
			edit.Narrative = "删除时保存"
			_, err := f.db.SaveDraft(ctx, f.staff, f.ngo, edit, r.Version)
			done <- err
		}()
		// The save is waiting on the deletion's row lock.
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			if f.id(t, `SELECT count(*) FROM pg_stat_activity
				WHERE datname = current_database() AND wait_event_type = 'Lock'`) > 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the save never waited for the deletion")
			}
		}
		if err := del.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatalf("save while the item was deleted: %v", err)
		}
		if n := f.progressOf(t, r.ID, gone); n != 0 {
			t.Errorf("%d rows for the deleted item", n)
		}
		if r, err = f.db.ReportFor(ctx, f.cycle, f.ngo); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("DeleteBlankDraftRow", func(t *testing.T) {
		gone := f.addItem(t, 5, "撤回的计划")
		edit := r
		edit.Narrative = "再保存"
		saved, err := f.db.SaveDraft(ctx, f.staff, f.ngo, edit, r.Version)
		if err != nil {
			t.Fatal(err)
		}
		before := len(saved.Progress)
		if err := f.db.DeletePlanItems(ctx, f.staff, []int64{gone}); err != nil {
			t.Fatal(err)
		}
		if r, err = f.db.ReportFor(ctx, f.cycle, f.ngo); err != nil {
			t.Fatal(err)
		}
		if len(r.Progress) != before-1 || f.progressOf(t, r.ID, gone) != 0 {
			t.Errorf("after deleting the item: %d rows (was %d)", len(r.Progress), before)
		}
		if n := f.id(t, `SELECT count(*) FROM report_plan_items WHERE id = $1`, gone); n != 0 {
			t.Errorf("the item is still there")
		}
	})

	t.Run("ErrConflictAnswered", func(t *testing.T) {
		// A's row gets an answer in the draft: A's outcome is on record.
		edit := r
		edit.Progress = append([]portal.Progress(nil), r.Progress...)
		for i, p := range edit.Progress {
			if p.PreviousPlanItemID == f.addendumA {
				edit.Progress[i].Note = "已开展两期"
			}
		}
		saved, err := f.db.SaveDraft(ctx, f.staff, f.ngo, edit, r.Version)
		if err != nil {
			t.Fatal(err)
		}
		r = saved
		if err := f.db.DeletePlanItems(ctx, f.staff, []int64{f.addendumA, f.addendumB}); !errors.Is(err, portal.ErrConflict) {
			t.Fatalf("deleting an answered item: %v, want ErrConflict", err)
		}
		if f.progressOf(t, r.ID, f.addendumA) != 1 || f.progressOf(t, r.ID, f.addendumB) != 1 {
			t.Error("a refused deletion removed progress rows")
		}
	})

	t.Run("ErrConflictSubmitted", func(t *testing.T) {
		// B's row is blank, but the report is with the federation.
		f.exec(t, `UPDATE reports SET status = 'submitted', submitted_at = now() WHERE id = $1`, r.ID)
		if err := f.db.DeletePlanItems(ctx, f.staff, []int64{f.addendumB}); !errors.Is(err, portal.ErrConflict) {
			t.Fatalf("deleting an item of a submitted report: %v, want ErrConflict", err)
		}
		if n := f.id(t, `SELECT count(*) FROM report_plan_items WHERE id = $1`, f.addendumB); n != 1 {
			t.Error("the item was deleted")
		}
	})
}
