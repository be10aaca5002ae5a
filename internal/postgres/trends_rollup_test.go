package postgres_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// trendsFromBaseTables is what the trends page computed from the reports,
// events, invitations, plan items and progress rows themselves before
// migration 00015: the reference the rollup (cycle_trends) is held to.
// Keyed by cycle id: accepted reports, attendance, on time, plan outcomes.
func trendsFromBaseTables(t *testing.T, d testDB, now time.Time) map[int64]portal.CycleTrend {
	t.Helper()
	ctx := t.Context()
	pool := d.db.Pool()
	got := map[int64]portal.CycleTrend{}
	at := func(id int64) portal.CycleTrend {
		if c, ok := got[id]; ok {
			return c
		}
		return portal.CycleTrend{CycleID: id}
	}
	each := func(sql string, scan []any, fn func(), args ...any) {
		t.Helper()
		rows, err := pool.Query(ctx, sql, args...)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		if _, err := pgx.ForEachRow(rows, scan, func() error { fn(); return nil }); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	var id int64
	var a, b int
	each(`SELECT c.id, count(r.id) FROM reporting_cycles c
		LEFT JOIN reports r ON r.cycle_id = c.id AND r.status = 'accepted'
		WHERE c.status <> 'draft' GROUP BY c.id`, []any{&id, &a}, func() {
		c := at(id)
		c.Accepted = a
		got[id] = c
	})
	each(`SELECT s.cycle_id, count(i.id) FILTER (WHERE i.attendance = 'present'), count(i.id)
		FROM sessions s
		LEFT JOIN invitations i ON i.session_id = s.id AND i.withdrawn_at IS NULL
		WHERE s.cycle_id IS NOT NULL AND s.status IN ('held', 'closed')
		GROUP BY s.cycle_id`, []any{&id, &a, &b}, func() {
		c := at(id)
		c.Attendance = portal.Rate{Num: a, Den: b, Known: true}
		got[id] = c
	})
	_, offset := now.In(portal.FederationZone).Zone()
	each(`WITH expected AS (
			SELECT r.cycle_id, r.ngo_id FROM reports r
			UNION
			SELECT s.cycle_id, i.ngo_id
			FROM sessions s JOIN invitations i ON i.session_id = s.id AND i.withdrawn_at IS NULL
			WHERE s.cycle_id IS NOT NULL AND s.status <> 'cancelled'
		), firsts AS (
			SELECT r.cycle_id, r.ngo_id, min(e.at) AS first_at
			FROM reports r JOIN report_events e ON e.report_id = r.id AND e.action = 'submitted'
			GROUP BY r.cycle_id, r.ngo_id
		), judged AS (
			SELECT x.cycle_id, f.first_at,
			       ((coalesce(ext.deadline, c.deadline) + 1)::timestamp - make_interval(secs => $2)) AT TIME ZONE 'UTC' AS due_end
			FROM expected x
			JOIN reporting_cycles c ON c.id = x.cycle_id AND c.status <> 'draft'
			LEFT JOIN cycle_extensions ext ON ext.cycle_id = x.cycle_id AND ext.ngo_id = x.ngo_id
			LEFT JOIN firsts f ON f.cycle_id = x.cycle_id AND f.ngo_id = x.ngo_id
		)
		SELECT cycle_id,
		       count(*) FILTER (WHERE first_at < due_end),
		       count(*) FILTER (WHERE first_at IS NOT NULL OR due_end <= $1)
		FROM judged
		GROUP BY cycle_id`, []any{&id, &a, &b}, func() {
		c := at(id)
		c.OnTime = portal.Rate{Num: a, Den: b, Known: true}
		got[id] = c
	}, now, offset)
	var outcome string
	each(`WITH items AS (
			SELECT r.cycle_id, r.ngo_id, p.id
			FROM report_plan_items p JOIN reports r ON r.id = p.report_id AND r.status = 'accepted'
			UNION ALL
			SELECT s.cycle_id, a.ngo_id, p.id
			FROM report_plan_items p
			JOIN plan_addenda a ON a.id = p.addendum_id
			JOIN sessions s ON s.id = a.session_id AND s.cycle_id IS NOT NULL
		), nexts AS (
			SELECT c.id AS cycle_id, n.id AS next_id
			FROM reporting_cycles c JOIN reporting_cycles n ON n.review_year = c.review_year + 1
			WHERE EXISTS (SELECT 1 FROM reports r WHERE r.cycle_id = n.id AND r.status = 'accepted')
		)
		SELECT nx.cycle_id, coalesce(nullif(pr.status, ''), 'not_reported'), count(x.id)
		FROM nexts nx
		LEFT JOIN items x ON x.cycle_id = nx.cycle_id
		LEFT JOIN reports nr ON nr.cycle_id = nx.next_id AND nr.ngo_id = x.ngo_id AND nr.status = 'accepted'
		LEFT JOIN report_progress pr ON pr.report_id = nr.id AND pr.previous_plan_item_id = x.id
		GROUP BY 1, 2`, []any{&id, &outcome, &a}, func() {
		c := at(id)
		c.PlanKnown = true
		switch portal.Outcome(outcome) {
		case portal.OutcomeDone:
			c.Plan.Done += a
		case portal.OutcomePartly:
			c.Plan.Partly += a
		case portal.OutcomeNotDone:
			c.Plan.NotDone += a
		default:
			c.Plan.NotReported += a
		}
		got[id] = c
	})
	return got
}

// TestTrendsRollupFollowsWrites: after each write that moves a figure
// (a report accepted, returned and accepted again, a progress outcome
// changed in an accepted report, attendance, a withdrawal, a first
// submission, an extension, a deadline, a session held, an addendum item
// removed, a report deleted), the page's figures, read from cycle_trends,
// equal those computed from the base tables.
func TestTrendsRollupFollowsWrites(t *testing.T) {
	t.Parallel()
	d := newTrendsDB(t)
	check := func(step string) {
		t.Helper()
		for _, now := range []time.Time{trendsNow, time.Date(2024, 1, 1, 0, 0, 0, 0, portal.FederationZone)} {
			want := trendsFromBaseTables(t, d, now)
			got, err := d.db.Trends(t.Context(), now)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Cycles) != len(want) {
				t.Fatalf("%s: %d cycles, want %d", step, len(got.Cycles), len(want))
			}
			for _, c := range got.Cycles {
				w := want[c.CycleID]
				if c.Accepted != w.Accepted || c.Attendance != w.Attendance || c.OnTime != w.OnTime ||
					c.Plan != w.Plan || c.PlanKnown != w.PlanKnown {
					t.Errorf("%s, at %s: cycle %d:\n got accepted %d attendance %+v on time %+v plan %+v %v\nwant accepted %d attendance %+v on time %+v plan %+v %v",
						step, now.Format(time.DateOnly), c.ReviewYear,
						c.Accepted, c.Attendance, c.OnTime, c.Plan, c.PlanKnown,
						w.Accepted, w.Attendance, w.OnTime, w.Plan, w.PlanKnown)
				}
			}
		}
	}
	const (
		cyc = `(SELECT id FROM reporting_cycles WHERE review_year = %d)`
		ngo = `(SELECT id FROM ngos WHERE slug = '%s')`
	)
	rep := func(slug string, year int) string {
		return `(SELECT r.id FROM reports r JOIN ngos n ON n.id = r.ngo_id JOIN reporting_cycles c ON c.id = r.cycle_id
			WHERE n.slug = '` + slug + `' AND c.review_year = ` + itoa(year) + `)`
	}
	check("fixture")

	// A report accepted: C's 2022 report makes 2021's plan outcomes known.
	d.exec(t, `UPDATE reports SET status = 'accepted', accepted_at = '2023-01-05 10:00+08' WHERE id = `+rep("ngo-c", 2022))
	check("C's 2022 report accepted")

	// Returned and accepted again: A's 2021 report (whose progress rows give
	// 2020's outcomes and whose item q1 is planned for 2022).
	d.exec(t, `UPDATE reports SET status = 'returned', accepted_at = NULL WHERE id = `+rep("ngo-a", 2021))
	check("A's 2021 report returned")
	d.exec(t, `INSERT INTO report_events (report_id, at, action, comment, snapshot) VALUES (`+rep("ngo-a", 2021)+`, '2022-02-01 09:00+08', 'resubmitted', '', '{}')`)
	d.exec(t, `UPDATE reports SET status = 'accepted', accepted_at = '2022-02-02 10:00+08' WHERE id = `+rep("ngo-a", 2021))
	check("A's 2021 report accepted again")

	// A progress outcome changed, and one added, in an accepted report.
	d.exec(t, `UPDATE report_progress SET status = 'not_done' WHERE title = 'p3'`)
	check("p3 not done")
	d.exec(t, `INSERT INTO report_progress (report_id, position, previous_plan_item_id, title, status)
		SELECT `+rep("ngo-c", 2022)+`, 1, id, 'q1', 'partly' FROM report_plan_items WHERE title = 'q1'`)
	check("a progress row on another NGO's item")

	// Attendance and a withdrawal.
	d.exec(t, `UPDATE invitations SET attendance = 'present' WHERE ngo_id = `+sprintf(ngo, "ngo-b")+` AND session_id = (SELECT id FROM sessions WHERE slug = 'trends-2021')`)
	check("B present")
	d.exec(t, `UPDATE invitations SET withdrawn_at = now() WHERE ngo_id = `+sprintf(ngo, "ngo-d")+` AND session_id = (SELECT id FROM sessions WHERE slug = 'trends-2021')`)
	check("D's invitation withdrawn")
	d.exec(t, `UPDATE invitations SET withdrawn_at = NULL, attendance = 'absent' WHERE ngo_id = `+sprintf(ngo, "ngo-e"))
	check("E's invitation restored")

	// The 2022 session held; a late first submission; an extension; a deadline moved.
	d.exec(t, `UPDATE sessions SET status = 'held' WHERE slug = 'trends-2023'`)
	d.exec(t, `UPDATE invitations SET attendance = 'present' WHERE ngo_id = `+sprintf(ngo, "ngo-a")+` AND session_id = (SELECT id FROM sessions WHERE slug = 'trends-2023')`)
	check("2022's session held")
	d.exec(t, `UPDATE reports SET status = 'submitted', submitted_at = '2023-01-20 09:00+08' WHERE id = `+rep("ngo-a", 2022))
	d.exec(t, `INSERT INTO report_events (report_id, at, action, comment, snapshot) VALUES (`+rep("ngo-a", 2022)+`, '2023-01-20 09:00+08', 'submitted', '', '{}')`)
	check("A's 2022 report submitted late")
	d.exec(t, `INSERT INTO cycle_extensions (cycle_id, ngo_id, deadline, reason) VALUES (`+sprintf(cyc, 2022)+`, `+sprintf(ngo, "ngo-a")+`, '2023-01-31', '延期')`)
	check("A's extension")
	d.exec(t, `UPDATE cycle_extensions SET deadline = '2023-05-31' WHERE ngo_id = `+sprintf(ngo, "ngo-b")+` AND cycle_id = `+sprintf(cyc, 2022))
	check("B's extension shortened")
	d.exec(t, `UPDATE reporting_cycles SET deadline = '2022-01-20' WHERE review_year = 2021`)
	check("2021's deadline moved")
	d.exec(t, `DELETE FROM cycle_extensions WHERE cycle_id = `+sprintf(cyc, 2020))
	check("2020's extension removed")

	// An addendum item removed, an addendum removed, a session cancelled, a report deleted.
	d.exec(t, `INSERT INTO report_plan_items (addendum_id, position, title) SELECT id, 2, 'p6' FROM plan_addenda`)
	check("p6 added to C's addendum")
	d.exec(t, `DELETE FROM report_plan_items WHERE title = 'p6'`)
	check("p6 removed")
	d.exec(t, `DELETE FROM report_progress WHERE title = 'p5'`)
	check("p5's outcome removed")
	d.exec(t, `DELETE FROM plan_addenda`)
	check("addenda removed")
	d.exec(t, `UPDATE sessions SET status = 'cancelled' WHERE slug = 'trends-2023'`)
	check("2022's session cancelled")
	d.exec(t, `DELETE FROM reports WHERE id = `+rep("ngo-a", 2022))
	check("A's 2022 report deleted")
	d.exec(t, `UPDATE reporting_cycles SET status = 'open' WHERE review_year = 2023`)
	check("2023 opened")
}

func itoa(n int) string { return strconv.Itoa(n) }

func sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }
