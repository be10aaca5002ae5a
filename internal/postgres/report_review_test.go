package postgres_test

import (
	"errors"
	"reflect"
	"testing"

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
