package postgres_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"ngoportal/internal/portal"
)

func TestReportByID(t *testing.T) {
	f := newWRFixture(t)
	ctx := t.Context()
	staff, ngo := f.staff(t, 4)
	r, err := f.db.StartReport(ctx, staff, f.cycle, ngo)
	if err != nil {
		t.Fatal(err)
	}
	r = f.content(r, 2026)
	saved, err := f.db.SaveDraft(ctx, staff, ngo, r, r.Version)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		got, err := f.db.ReportByID(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, saved) {
			t.Errorf("ReportByID = %+v\nwant %+v", got, saved)
		}
		if len(got.Activities) != 2 || got.ReviewYear != 2026 || got.NGOID != ngo {
			t.Errorf("read %+v", got)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := f.db.ReportByID(ctx, r.ID+100000); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("missing report: %v, want ErrNotFound", err)
		}
	})
}

func TestCycleBoard(t *testing.T) {
	f := newWRFixture(t)
	ctx := t.Context()
	staff1, ngo1 := f.staff(t, 1)
	staff2, ngo2 := f.staff(t, 2)
	staff6, ngo6 := f.staff(t, 6)
	_, ngo3 := f.staff(t, 3)
	for _, s := range []struct {
		a   portal.Actor
		ngo int64
	}{{staff1, ngo1}, {staff6, ngo6}} {
		if _, err := f.db.StartReport(ctx, s.a, f.cycle, s.ngo); err != nil {
			t.Fatal(err)
		}
	}
	r2, err := f.db.StartReport(ctx, staff2, f.cycle, ngo2)
	if err != nil {
		t.Fatal(err)
	}
	r2 = f.content(r2, 2026)
	r2.Declaration = true
	if r2, err = f.db.SaveDraft(ctx, staff2, ngo2, r2, r2.Version); err != nil {
		t.Fatal(err)
	}
	f.addCover(t, r2.ID)
	if _, err := f.db.SubmitReport(ctx, staff2, ngo2, r2, r2.Version, time.Now()); err != nil {
		t.Fatal(err)
	}

	board, err := f.db.CycleBoard(ctx, f.cycle)
	if err != nil {
		t.Fatal(err)
	}
	if len(board) != 18 {
		t.Fatalf("board has %d rows, want 18", len(board))
	}
	byNGO := map[int64]portal.ReportBoardRow{}
	for _, b := range board {
		byNGO[b.NGOID] = b
		if b.Overdue {
			t.Errorf("NGO %d overdue before the deadline", b.NGOID)
		}
	}
	check := func(ngo int64, status portal.ReportStatus, extended, overdue bool) {
		t.Helper()
		b := byNGO[ngo]
		if b.Status != status || b.Extended != extended || b.Overdue != overdue || (b.ReportID == 0) != (status == portal.ReportNotStarted) {
			t.Errorf("NGO %d: %+v; want %s, extended %v, overdue %v", ngo, b, status, extended, overdue)
		}
	}
	check(ngo1, portal.ReportDraft, false, false)
	check(ngo2, portal.ReportSubmitted, false, false)
	check(ngo3, portal.ReportNotStarted, false, false)
	check(ngo6, portal.ReportDraft, true, false)
	if byNGO[ngo2].SubmittedAt.IsZero() || !byNGO[ngo6].Deadline.Equal(isoDate("2027-01-15")) {
		t.Errorf("submitted_at / deadline: %+v, %+v", byNGO[ngo2], byNGO[ngo6])
	}

	// After the cycle's deadline: drafts and the not started are overdue,
	// the submitted one is not, and the extension still runs.
	f.exec(t, `UPDATE reporting_cycles SET deadline = '2026-11-10' WHERE id = $1`, f.cycle)
	if board, err = f.db.CycleBoard(ctx, f.cycle); err != nil {
		t.Fatal(err)
	}
	for _, b := range board {
		byNGO[b.NGOID] = b
	}
	check(ngo1, portal.ReportDraft, false, true)
	check(ngo2, portal.ReportSubmitted, false, false)
	check(ngo3, portal.ReportNotStarted, false, true)
	check(ngo6, portal.ReportDraft, true, false)

	if _, err := f.db.CycleBoard(ctx, 999999); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("board of a missing cycle: %v, want ErrNotFound", err)
	}
}
