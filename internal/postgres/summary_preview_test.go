package postgres_test

import (
	"errors"
	"reflect"
	"testing"

	"ngoportal/internal/portal"
)

func TestSummaryPreview(t *testing.T) {
	t.Parallel()
	f := newSmFixture(t)
	ctx := t.Context()
	// Whatever the demo data holds for the session, start from no summary.
	f.exec(t, `DELETE FROM summaries WHERE session_id = $1`, f.session)

	t.Run("ErrNotFoundWithoutSummary", func(t *testing.T) {
		if _, err := f.db.SummaryPreview(ctx, f.session); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("preview without a summary: %v, want ErrNotFound", err)
		}
		if _, err := f.db.SummaryPreview(ctx, 1<<40); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("preview of no session: %v, want ErrNotFound", err)
		}
	})

	s, err := f.db.ComposeSummary(ctx, f.admin, f.session, smFed, false)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("DraftShown", func(t *testing.T) {
		p, err := f.db.SummaryPreview(ctx, f.session)
		if err != nil {
			t.Fatal(err)
		}
		if p.Summary.ID != s.ID || p.Summary.Status != portal.SummaryDraft || p.Summary.ZH != s.ZH || p.Summary.EN != s.EN {
			t.Errorf("summary = %+v", p.Summary)
		}
		if p.Session.ID != f.session || p.Session.Slug != smSlug2021 || p.Session.ReviewYear != 2020 {
			t.Errorf("session = %+v", p.Session)
		}
		if len(p.Officials) != 3 || p.Officials[0].NameEN != "Xu Feng" {
			t.Errorf("officials = %+v", p.Officials)
		}
		if p.AttendanceCount() != 18 || len(p.Requests) != 2 {
			t.Errorf("%d NGOs present, %d requests; want 18 and 2", p.AttendanceCount(), len(p.Requests))
		}
		// The public still sees nothing.
		if _, err := f.db.PublishedSummaryBySlug(ctx, smSlug2021); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("public read of a draft: %v, want ErrNotFound", err)
		}
	})

	t.Run("SameAsPublicOncePublished", func(t *testing.T) {
		if _, err := f.db.PublishSummary(ctx, f.admin, f.session, s.Version); err != nil {
			t.Fatal(err)
		}
		pub, err := f.db.PublishedSummaryBySlug(ctx, smSlug2021)
		if err != nil {
			t.Fatal(err)
		}
		pre, err := f.db.SummaryPreview(ctx, f.session)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(pub, pre) {
			t.Errorf("preview differs from the public page:\npublic  %+v\npreview %+v", pub, pre)
		}
	})
}
