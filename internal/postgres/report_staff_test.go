package postgres_test

import (
	"errors"
	"testing"

	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

func TestReportForNGO(t *testing.T) {
	f := newWRFixture(t)
	ctx := t.Context()
	staff, ngo := f.staff(t, 5)
	_, other := f.staff(t, 4)
	r, err := f.db.StartReport(ctx, staff, f.cycle, ngo)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		got, err := f.db.ReportForNGO(ctx, ngo, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != r.ID || got.NGOID != ngo || got.ReviewYear != 2026 || got.Status != portal.ReportDraft {
			t.Errorf("got report %d of NGO %d, year %d, %s", got.ID, got.NGOID, got.ReviewYear, got.Status)
		}
	})
	t.Run("ErrNotFoundOtherNGO", func(t *testing.T) {
		if _, err := f.db.ReportForNGO(ctx, other, r.ID); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("another NGO's report: %v, want ErrNotFound", err)
		}
	})
	t.Run("ErrNotFoundNoNGO", func(t *testing.T) {
		if _, err := f.db.ReportForNGO(ctx, 0, r.ID); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("no NGO: %v, want ErrNotFound", err)
		}
	})
	t.Run("ErrNotFoundNoReport", func(t *testing.T) {
		if _, err := f.db.ReportForNGO(ctx, ngo, r.ID+1000); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("unknown report: %v, want ErrNotFound", err)
		}
	})
}

func TestStaffReportCycles(t *testing.T) {
	f := newWRFixture(t)
	ctx := t.Context()
	staff, ngo := f.staff(t, 5)
	_, extended := f.staff(t, 6) // has an extension to 2027-01-15 in the 2026 cycle
	f.exec(t, `INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status)
		VALUES (2030, 2031, '2030-11-01', '2031-01-08', 'draft')`)

	row := func(t *testing.T, list []postgres.StaffReportCycle, year int) postgres.StaffReportCycle {
		t.Helper()
		for _, x := range list {
			if x.Cycle.ReviewYear == year {
				return x
			}
		}
		t.Fatalf("no row for review year %d", year)
		return postgres.StaffReportCycle{}
	}

	list, err := f.db.StaffReportCycles(ctx, ngo)
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range list {
		if x.Cycle.Status == portal.CycleDraft {
			t.Errorf("draft cycle %d listed", x.Cycle.ReviewYear)
		}
		if i > 0 && list[i-1].Cycle.ReviewYear <= x.Cycle.ReviewYear {
			t.Errorf("not newest first: %d before %d", list[i-1].Cycle.ReviewYear, x.Cycle.ReviewYear)
		}
	}
	if x := row(t, list, 2020); x.Cycle.Status != portal.CycleClosed {
		t.Errorf("2020 cycle: %s", x.Cycle.Status)
	}
	if x := row(t, list, 2026); x.ReportID != 0 || x.Status != portal.ReportNotStarted || x.Extended ||
		!x.Deadline.Equal(wrDay("2027-01-08")) || x.Cycle.SessionID == 0 {
		t.Errorf("2026 before starting: %+v", x)
	}

	r, err := f.db.StartReport(ctx, staff, f.cycle, ngo)
	if err != nil {
		t.Fatal(err)
	}
	list, err = f.db.StaffReportCycles(ctx, ngo)
	if err != nil {
		t.Fatal(err)
	}
	if x := row(t, list, 2026); x.ReportID != r.ID || x.Status != portal.ReportDraft || !x.SubmittedAt.IsZero() {
		t.Errorf("2026 after starting: %+v", x)
	}

	list, err = f.db.StaffReportCycles(ctx, extended)
	if err != nil {
		t.Fatal(err)
	}
	if x := row(t, list, 2026); !x.Extended || !x.Deadline.Equal(wrDay("2027-01-15")) || x.ReportID == r.ID {
		t.Errorf("2026 of the NGO with an extension: %+v", x)
	}
}
