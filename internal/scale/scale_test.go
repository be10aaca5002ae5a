package scale_test

import (
	"errors"
	"testing"

	"ngoportal/internal/pgtest"
	"ngoportal/internal/scale"
)

// TestSeed fills a database with 5 NGOs over 3 years and checks the counts
// the options imply and the invariants the pages rely on.
func TestSeed(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := t.Context()
	res, err := scale.Seed(ctx, db, scale.Options{NGOs: 5, Years: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows() == 0 || len(res.Steps) == 0 {
		t.Fatalf("result %+v", res)
	}
	count := func(sql string) int {
		t.Helper()
		var n int
		if err := db.Pool().QueryRow(ctx, sql).Scan(&n); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n
	}

	t.Run("OKCounts", func(t *testing.T) {
		for _, c := range []struct {
			sql  string
			want int
		}{
			{`SELECT count(*) FROM ngos`, 5},
			{`SELECT count(*) FROM users WHERE role = 'admin' AND status = 'active'`, 1},
			{`SELECT count(*) FROM users u JOIN user_second_factors f ON f.user_id = u.id WHERE u.email = '` + scale.AdminEmail + `'`, 1},
			{`SELECT count(*) FROM reporting_cycles WHERE status = 'closed'`, 3},
			{`SELECT count(*) FROM sessions WHERE status = 'held' AND responses_due_on IS NOT NULL`, 3},
			{`SELECT count(*) FROM invitations`, 15},
			{`SELECT count(*) FROM session_requests`, 6},
			{`SELECT count(*) FROM session_requests WHERE addressed_to_all`, 3},
			{`SELECT count(*) FROM reports WHERE status = 'accepted'`, 15},
			{`SELECT count(*) FROM report_activities`, 15 * 20},
			{`SELECT count(*) FROM report_plan_items WHERE report_id IS NOT NULL`, 15 * 10},
			{`SELECT count(*) FROM report_events`, 15 * 3},
			// The first year's reports have no earlier plan to report on.
			{`SELECT count(*) FROM report_progress WHERE previous_plan_item_id IN (
				SELECT p.id FROM report_plan_items p JOIN reports r ON r.id = p.report_id)`, 10 * 10},
		} {
			if got := count(c.sql); got != c.want {
				t.Errorf("%s: %d, want %d", c.sql, got, c.want)
			}
		}
		for _, sql := range []string{
			`SELECT count(*) FROM request_recipients`,
			`SELECT count(*) FROM request_responses WHERE nothing_planned`,
			`SELECT count(*) FROM request_responses WHERE NOT nothing_planned`,
			`SELECT count(*) FROM plan_addenda`,
			`SELECT count(*) FROM report_media`,
			`SELECT count(*) FROM report_request_answers`,
			`SELECT count(*) FROM invitations WHERE reply = 'declined'`,
			`SELECT count(*) FROM reports r JOIN reporting_cycles c ON c.id = r.cycle_id WHERE r.submitted_at::date > c.deadline`,
		} {
			if count(sql) == 0 {
				t.Errorf("%s: none", sql)
			}
		}
	})
	t.Run("OKEveryAcceptedReportHasItsHistory", func(t *testing.T) {
		if n := count(`
			SELECT count(*) FROM reports r
			WHERE r.status = 'accepted' AND (
			      (SELECT array_agg(e.action ORDER BY e.at, e.id) FROM report_events e WHERE e.report_id = r.id)
			      IS DISTINCT FROM ARRAY['created', 'submitted', 'accepted']
			   OR NOT EXISTS (SELECT 1 FROM report_events e WHERE e.report_id = r.id AND e.action = 'accepted' AND e.at = r.accepted_at)
			   OR NOT EXISTS (SELECT 1 FROM report_events e WHERE e.report_id = r.id AND e.action = 'submitted' AND e.at = r.submitted_at))`); n != 0 {
			t.Errorf("%d accepted reports without a created, submitted, accepted history matching their dates", n)
		}
	})
	t.Run("OKProgressOnThePreviousYearsItemsOfTheSameNGO", func(t *testing.T) {
		if n := count(`
			SELECT count(*) FROM report_progress g
			JOIN reports r ON r.id = g.report_id JOIN reporting_cycles c ON c.id = r.cycle_id
			LEFT JOIN plan_item_owners o ON o.plan_item_id = g.previous_plan_item_id
			LEFT JOIN reports pr ON pr.id = o.report_id
			LEFT JOIN reporting_cycles pc ON pc.id = pr.cycle_id
			LEFT JOIN plan_addenda d ON d.id = o.addendum_id
			LEFT JOIN sessions ds ON ds.id = d.session_id
			LEFT JOIN reporting_cycles dc ON dc.id = ds.cycle_id
			WHERE o.ngo_id IS DISTINCT FROM r.ngo_id
			   OR coalesce(pc.review_year, dc.review_year) IS DISTINCT FROM c.review_year - 1`); n != 0 {
			t.Errorf("%d progress rows not on an item of the same NGO's previous year", n)
		}
		// Every item of a year that has a next report gets an outcome.
		if n := count(`
			SELECT count(*) FROM plan_item_owners o
			LEFT JOIN reports r ON r.id = o.report_id LEFT JOIN reporting_cycles c ON c.id = r.cycle_id
			WHERE c.review_year IS DISTINCT FROM (SELECT max(review_year) FROM reporting_cycles)
			  AND NOT EXISTS (SELECT 1 FROM report_progress g WHERE g.previous_plan_item_id = o.plan_item_id)`); n != 0 {
			t.Errorf("%d plan items without an outcome next year", n)
		}
	})
	t.Run("OKResponsesOnlyByAddressedNGOs", func(t *testing.T) {
		if n := count(`
			SELECT count(*) FROM request_responses x
			WHERE NOT EXISTS (SELECT 1 FROM request_addressees a WHERE a.request_id = x.request_id AND a.ngo_id = x.ngo_id)`); n != 0 {
			t.Errorf("%d responses by NGOs the request is not addressed to", n)
		}
		if n := count(`
			SELECT count(*) FROM report_plan_item_requests l
			JOIN plan_item_owners o ON o.plan_item_id = l.plan_item_id
			WHERE NOT EXISTS (SELECT 1 FROM request_addressees a WHERE a.request_id = l.request_id AND a.ngo_id = o.ngo_id)
			   OR EXISTS (SELECT 1 FROM request_responses x WHERE x.request_id = l.request_id AND x.ngo_id = o.ngo_id AND x.nothing_planned)`); n != 0 {
			t.Errorf("%d plan items linked to a request not addressed to their NGO, or that it said it planned nothing for", n)
		}
		if n := count(`
			SELECT count(*) FROM report_request_answers x JOIN reports r ON r.id = x.report_id
			WHERE NOT EXISTS (SELECT 1 FROM request_addressees a WHERE a.request_id = x.request_id AND a.ngo_id = r.ngo_id)`); n != 0 {
			t.Errorf("%d request answers by NGOs the request is not addressed to", n)
		}
	})
	t.Run("ErrNotEmpty", func(t *testing.T) {
		if _, err := scale.Seed(ctx, db, scale.Options{NGOs: 5, Years: 3}); !errors.Is(err, scale.ErrNotEmpty) {
			t.Errorf("second seed: %v, want ErrNotEmpty", err)
		}
	})
}
