package postgres_test

import "testing"

// The previous cycle is the latest earlier one, even when years were
// skipped: the demo's 2026 cycle follows the 2020 one, and a report started
// there carries over the NGO's 2020 plan items and answers the requests of
// the 2021 session.
func TestStartReportCarriesOverAcrossSkippedYears(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	f := newCyFixture(t)
	ngo := f.id(t, `SELECT id FROM ngos WHERE slug = 'women-lawyers'`)
	cycle := f.id(t, `SELECT id FROM reporting_cycles WHERE review_year = 2026`)
	if _, err := f.db.Pool().Exec(ctx, `DELETE FROM reports WHERE cycle_id = $1 AND ngo_id = $2`, cycle, ngo); err != nil {
		t.Fatal(err)
	}
	wantItems := f.id(t, `
		SELECT count(*) FROM report_plan_items p JOIN reports r ON r.id = p.report_id
		JOIN reporting_cycles c ON c.id = r.cycle_id
		WHERE c.review_year = 2020 AND r.ngo_id = $1 AND r.status = 'accepted'`, ngo)
	wantRequests := f.id(t, `
		SELECT count(*) FROM session_requests q JOIN sessions s ON s.id = q.session_id
		JOIN reporting_cycles c ON c.id = s.cycle_id
		WHERE c.review_year = 2020`)
	if wantItems == 0 || wantRequests == 0 {
		t.Fatalf("demo: %d plan items, %d requests; the test needs both", wantItems, wantRequests)
	}

	r, err := f.db.StartReport(ctx, f.actor, cycle, ngo)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(r.Progress)) != wantItems {
		t.Errorf("progress rows = %d, want the %d plan items of the 2020 report", len(r.Progress), wantItems)
	}
	if int64(len(r.Answers)) != wantRequests {
		t.Errorf("answers = %d, want the %d requests of the 2021 session", len(r.Answers), wantRequests)
	}
}
