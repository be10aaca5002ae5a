package demo_test

import (
	"testing"
	"time"

	"ngoportal/internal/portal"
)

// TestSeedYears checks the demo's consecutive cycles around the real
// session: the reports of each year, the sessions either side of it, the
// NGOs' answers to the 2021 requests and the outcomes of the 2021 plans.
func TestSeedYears(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db, first := seeded(t)
	q := db.Pool()

	t.Run("ReportsPerYear", func(t *testing.T) {
		for _, want := range []struct {
			year                    int
			reports, accepted, late int
		}{
			{2019, 16, 16, 1},
			{2020, 18, 18, 0},
			{2021, 18, 18, 1},
			{2026, 3, 0, 0},
		} {
			var reports, accepted, late int
			if err := q.QueryRow(ctx, `
				SELECT count(r.id), count(r.id) FILTER (WHERE r.status = 'accepted'),
				       count(r.id) FILTER (WHERE r.submitted_at >= c.deadline + 1)
				FROM reporting_cycles c LEFT JOIN reports r ON r.cycle_id = c.id
				WHERE c.review_year = $1`, want.year).Scan(&reports, &accepted, &late); err != nil {
				t.Fatal(err)
			}
			if reports != want.reports || accepted != want.accepted || late != want.late {
				t.Errorf("%d: %d reports, %d accepted, %d late; want %d, %d, %d", want.year,
					reports, accepted, late, want.reports, want.accepted, want.late)
			}
		}
		// One 2021 report was returned once before it was accepted.
		var returned int
		if err := q.QueryRow(ctx, `
			SELECT count(DISTINCT e.report_id) FROM report_events e
			JOIN reports r ON r.id = e.report_id JOIN reporting_cycles c ON c.id = r.cycle_id
			WHERE c.review_year = 2021 AND e.action = 'returned'`).Scan(&returned); err != nil || returned != 1 {
			t.Errorf("%d 2021 reports returned once (%v), want 1", returned, err)
		}
	})

	t.Run("Trends", func(t *testing.T) {
		share := map[int]float64{}
		for _, year := range []int{2019, 2020, 2021} {
			var s float64
			if err := q.QueryRow(ctx, `
				SELECT avg(CASE WHEN a.mode = 'online' THEN 1.0 ELSE 0 END)::float8
				FROM report_activities a JOIN reports r ON r.id = a.report_id
				JOIN reporting_cycles c ON c.id = r.cycle_id WHERE c.review_year = $1`, year).Scan(&s); err != nil {
				t.Fatal(err)
			}
			share[year] = s
		}
		if !(share[2019] < share[2020] && share[2021] < share[2020]) {
			t.Errorf("online share of activities %v: want a peak in 2020", share)
		}
		// Activities, plan items and new-media reads grow year on year.
		type figures struct{ activities, planItems, reads int64 }
		var prev figures
		for _, year := range []int{2019, 2020, 2021} {
			var f figures
			if err := q.QueryRow(ctx, `
				SELECT (SELECT count(*) FROM report_activities a JOIN reports r ON r.id = a.report_id WHERE r.cycle_id = c.id),
				       (SELECT count(*) FROM report_plan_items p JOIN reports r ON r.id = p.report_id WHERE r.cycle_id = c.id),
				       (SELECT coalesce(sum(m.reads), 0) FROM report_media m JOIN reports r ON r.id = m.report_id WHERE r.cycle_id = c.id)
				FROM reporting_cycles c WHERE c.review_year = $1`, year).Scan(&f.activities, &f.planItems, &f.reads); err != nil {
				t.Fatal(err)
			}
			if f.activities <= prev.activities || f.planItems <= prev.planItems || f.reads <= prev.reads {
				t.Errorf("%d: %+v, not above the year before (%+v)", year, f, prev)
			}
			prev = f
		}
	})

	t.Run("PastSessions", func(t *testing.T) {
		for _, want := range []struct {
			slug                                 string
			review, invited, present, absent     int
			excused, requests, toAll, recipients int
		}{
			{"2020-municipal-leadership-session", 2019, 16, 14, 1, 1, 2, 1, 4},
			{"2022-municipal-leadership-session", 2021, 18, 16, 1, 1, 2, 2, 0},
		} {
			var status string
			var review, invited, present, absent, excused, requests, toAll, recipients int
			if err := q.QueryRow(ctx, `
				SELECT s.status, c.review_year,
				       (SELECT count(*) FROM invitations i WHERE i.session_id = s.id),
				       (SELECT count(*) FROM invitations i WHERE i.session_id = s.id AND i.attendance = 'present'),
				       (SELECT count(*) FROM invitations i WHERE i.session_id = s.id AND i.attendance = 'absent'),
				       (SELECT count(*) FROM invitations i WHERE i.session_id = s.id AND i.attendance = 'excused'),
				       (SELECT count(*) FROM session_requests r WHERE r.session_id = s.id),
				       (SELECT count(*) FROM session_requests r WHERE r.session_id = s.id AND r.addressed_to_all),
				       (SELECT count(*) FROM request_recipients rr JOIN session_requests r ON r.id = rr.request_id
				        WHERE r.session_id = s.id)
				FROM sessions s JOIN reporting_cycles c ON c.id = s.cycle_id WHERE s.slug = $1`, want.slug).
				Scan(&status, &review, &invited, &present, &absent, &excused, &requests, &toAll, &recipients); err != nil {
				t.Fatalf("%s: %v", want.slug, err)
			}
			if status != "closed" || review != want.review || invited != want.invited || present != want.present ||
				absent != want.absent || excused != want.excused || requests != want.requests ||
				toAll != want.toAll || recipients != want.recipients {
				t.Errorf("%s: %s, cycle %d, invited %d, present %d, absent %d, excused %d, %d requests (%d to all, %d recipients); want %+v",
					want.slug, status, review, invited, present, absent, excused, requests, toAll, recipients, want)
			}
		}
		// Neither invented session has a summary: only the real one is
		// published.
		var summaries int
		if err := q.QueryRow(ctx, `SELECT count(*) FROM summaries`).Scan(&summaries); err != nil || summaries != 1 {
			t.Errorf("%d summaries (%v), want the real session's only", summaries, err)
		}
	})

	// answers reads, per NGO and request of a session, the answer by the
	// rule every page uses: planned when an item of the NGO is linked to
	// the request, else nothing when it says so, else none.
	answers := func(t *testing.T, slug string) map[string]int {
		t.Helper()
		rows, err := q.Query(ctx, `
			SELECT CASE
			         WHEN EXISTS (SELECT 1 FROM report_plan_item_requests l
			                      JOIN plan_item_owners o ON o.plan_item_id = l.plan_item_id
			                      WHERE l.request_id = a.request_id AND o.ngo_id = a.ngo_id) THEN 'planned'
			         WHEN EXISTS (SELECT 1 FROM request_responses rr
			                      WHERE rr.request_id = a.request_id AND rr.ngo_id = a.ngo_id AND rr.nothing_planned) THEN 'nothing'
			         ELSE 'none' END,
			       count(*)
			FROM request_addressees a JOIN sessions s ON s.id = a.session_id
			WHERE s.slug = $1 GROUP BY 1`, slug)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]int{}
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				t.Fatal(err)
			}
			out[k] = n
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}

	t.Run("Answers2021", func(t *testing.T) {
		var due string
		if err := q.QueryRow(ctx, `SELECT responses_due_on::text FROM sessions WHERE slug = '2021-municipal-leadership-session'`).Scan(&due); err != nil || due != "2021-02-28" {
			t.Errorf("answers due %s (%v), want 2021-02-28", due, err)
		}
		// Every NGO answered both requests.
		got := answers(t, "2021-municipal-leadership-session")
		if got["planned"] != 34 || got["nothing"] != 2 || got["none"] != 0 {
			t.Errorf("answers to the 2021 requests %v, want 34 planned, 2 nothing, none missing", got)
		}
		// Each answer is recorded, by the NGO's staff, with the items or
		// the reason it agrees with.
		var responses, mismatched, byOthers int
		if err := q.QueryRow(ctx, `
			SELECT count(*),
			       count(*) FILTER (WHERE rr.nothing_planned = EXISTS (
			           SELECT 1 FROM report_plan_item_requests l JOIN plan_item_owners o ON o.plan_item_id = l.plan_item_id
			           WHERE l.request_id = rr.request_id AND o.ngo_id = rr.ngo_id)),
			       count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = rr.responded_by AND u.ngo_id = rr.ngo_id))
			FROM request_responses rr JOIN session_requests q ON q.id = rr.request_id
			JOIN sessions s ON s.id = q.session_id WHERE s.slug = '2021-municipal-leadership-session'`).
			Scan(&responses, &mismatched, &byOthers); err != nil {
			t.Fatal(err)
		}
		if responses != 36 || mismatched != 0 || byOthers != 0 {
			t.Errorf("%d responses, %d disagreeing with the links, %d not by the NGO's staff; want 36, 0, 0",
				responses, mismatched, byOthers)
		}
		// Eight NGOs added an addendum in February or March 2021, each
		// item answering a request.
		var addenda, items, unlinked int
		if err := q.QueryRow(ctx, `
			SELECT count(DISTINCT a.id), count(p.id),
			       count(p.id) FILTER (WHERE NOT EXISTS (SELECT 1 FROM report_plan_item_requests l WHERE l.plan_item_id = p.id))
			FROM plan_addenda a JOIN sessions s ON s.id = a.session_id
			JOIN report_plan_items p ON p.addendum_id = a.id
			WHERE s.slug = '2021-municipal-leadership-session'
			  AND a.created_at >= '2021-02-01' AND a.created_at < '2021-03-15'`).Scan(&addenda, &items, &unlinked); err != nil {
			t.Fatal(err)
		}
		if addenda != 8 || items != 8 || unlinked != 0 {
			t.Errorf("%d addenda with %d items (%d answering no request), want 8 with 8, all answering", addenda, items, unlinked)
		}
		// One NGO answered late: reminded after the date, given an
		// extension, answered before it ran out.
		var late int
		if err := q.QueryRow(ctx, `
			SELECT count(DISTINCT rr.ngo_id)
			FROM request_responses rr JOIN session_requests q ON q.id = rr.request_id
			JOIN sessions s ON s.id = q.session_id
			JOIN response_extensions e ON e.session_id = s.id AND e.ngo_id = rr.ngo_id
			JOIN response_reminders m ON m.session_id = s.id AND m.ngo_id = rr.ngo_id
			WHERE s.slug = '2021-municipal-leadership-session'
			  AND rr.responded_at > s.responses_due_on + 1 AND rr.responded_at < e.due_on + 1
			  AND m.sent_at > s.responses_due_on AND m.sent_at < rr.responded_at`).Scan(&late); err != nil || late != 1 {
			t.Errorf("%d NGOs answered late after a reminder and within an extension (%v), want 1", late, err)
		}
	})

	t.Run("Outcomes2021", func(t *testing.T) {
		// Every plan item of 2021 (the 2020 reports' and the addenda's)
		// has one outcome in its NGO's accepted 2021 report.
		var items, withOutcome, addendumItems int
		if err := q.QueryRow(ctx, `
			WITH items AS (
			    SELECT o.plan_item_id, o.ngo_id, o.addendum_id
			    FROM plan_item_owners o
			    LEFT JOIN reports r ON r.id = o.report_id
			    LEFT JOIN plan_addenda a ON a.id = o.addendum_id
			    WHERE r.cycle_id = (SELECT id FROM reporting_cycles WHERE review_year = 2020)
			       OR a.session_id = (SELECT s.id FROM sessions s JOIN reporting_cycles c ON c.id = s.cycle_id
			                          WHERE c.review_year = 2020))
			SELECT count(*),
			       count(*) FILTER (WHERE (
			           SELECT count(*) FROM report_progress g JOIN reports r ON r.id = g.report_id
			           WHERE g.previous_plan_item_id = i.plan_item_id AND r.ngo_id = i.ngo_id AND r.status = 'accepted'
			             AND g.status IN ('done', 'partly', 'not_done') AND btrim(g.note) <> ''
			             AND r.cycle_id = (SELECT id FROM reporting_cycles WHERE review_year = 2021)) = 1),
			       count(*) FILTER (WHERE i.addendum_id IS NOT NULL)
			FROM items i`).Scan(&items, &withOutcome, &addendumItems); err != nil {
			t.Fatal(err)
		}
		if items != 54 || addendumItems != 8 || withOutcome != items {
			t.Errorf("%d plan items of 2021 (%d of addenda), %d with an outcome; want 54, 8, all", items, addendumItems, withOutcome)
		}
		// Mostly done, some partly, a few not.
		counts := map[string]int{}
		rows, err := q.Query(ctx, `
			SELECT g.status, count(*) FROM report_progress g JOIN reports r ON r.id = g.report_id
			JOIN reporting_cycles c ON c.id = r.cycle_id WHERE c.review_year = 2021 GROUP BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			var n int
			if err := rows.Scan(&s, &n); err != nil {
				t.Fatal(err)
			}
			counts[s] = n
		}
		if counts["done"] <= counts["partly"] || counts["partly"] <= counts["not_done"] || counts["not_done"] == 0 || counts[""] != 0 {
			t.Errorf("2021 outcomes %v: want mostly done, some partly, a few not done", counts)
		}
		// The 2021 reports answer both 2021 requests.
		var blank, answers int
		if err := q.QueryRow(ctx, `
			SELECT count(*) FILTER (WHERE btrim(a.answer) = ''), count(*)
			FROM report_request_answers a JOIN reports r ON r.id = a.report_id
			JOIN reporting_cycles c ON c.id = r.cycle_id WHERE c.review_year = 2021`).Scan(&blank, &answers); err != nil || blank != 0 || answers != 36 {
			t.Errorf("2021 reports: %d answers, %d blank (%v); want 36, none blank", answers, blank, err)
		}
	})

	t.Run("Answers2020And2022", func(t *testing.T) {
		if got := answers(t, "2020-municipal-leadership-session"); got["planned"] != 19 || got["nothing"] != 1 || got["none"] != 0 {
			t.Errorf("answers to the January 2020 requests %v, want 19 planned, 1 nothing", got)
		}
		// In 2022 a few have not answered yet.
		if got := answers(t, "2022-municipal-leadership-session"); got["planned"] != 27 || got["nothing"] != 2 || got["none"] != 7 {
			t.Errorf("answers to the January 2022 requests %v, want 27 planned, 2 nothing, 7 none", got)
		}
	})

	t.Run("RealSessionUnchanged", func(t *testing.T) {
		var held time.Time
		var status string
		var invited, present, requests, byXuFeng int
		if err := q.QueryRow(ctx, `
			SELECT s.held_on, s.status,
			       (SELECT count(*) FROM invitations i WHERE i.session_id = s.id),
			       (SELECT count(*) FROM invitations i WHERE i.session_id = s.id AND i.attendance = 'present'),
			       (SELECT count(*) FROM session_requests r WHERE r.session_id = s.id AND r.addressed_to_all),
			       (SELECT count(*) FROM session_requests r JOIN officials o ON o.id = r.made_by
			        WHERE r.session_id = s.id AND o.name_en = 'Xu Feng')
			FROM sessions s WHERE s.slug = '2021-municipal-leadership-session'`).
			Scan(&held, &status, &invited, &present, &requests, &byXuFeng); err != nil {
			t.Fatal(err)
		}
		if held.Format(time.DateOnly) != "2021-01-19" || status != string(portal.SessionHeld) ||
			invited != 18 || present != 18 || requests != 2 || byXuFeng != 2 {
			t.Errorf("the real session: %s %s, %d invited, %d present, %d requests to all (%d by Xu Feng)",
				held.Format(time.DateOnly), status, invited, present, requests, byXuFeng)
		}
	})

	wantReseedSame(t, db, first)
}
