package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// Trends computes the figures of every reporting cycle that is not a draft,
// in review-year order; now is the moment on-time standing is judged at.
// Five aggregate queries grouped by cycle (one per figure group, each a
// method of its own so that it can be swapped for a rollup), whatever the
// number of cycles and NGOs, in one read-only repeatable-read transaction
// so that the figures agree with each other.
func (db *DB) Trends(ctx context.Context, now time.Time) (portal.Trends, error) {
	var tr portal.Trends
	err := db.readSnapshot(ctx, func(tx pgx.Tx) error {
		byCycle, err := trendCycles(ctx, tx, &tr)
		if err != nil || len(byCycle) == 0 {
			return err
		}
		if err := trendActivities(ctx, tx, byCycle); err != nil {
			return err
		}
		if err := trendAttendance(ctx, tx, byCycle); err != nil {
			return err
		}
		if err := trendOnTime(ctx, tx, now, byCycle); err != nil {
			return err
		}
		return trendPlans(ctx, tx, byCycle)
	})
	if err != nil {
		return portal.Trends{}, fmt.Errorf("trends: %w", err)
	}
	return tr, nil
}

// trendCycles lists the cycles that are not drafts with their number of
// accepted reports (cycle_figures' 'report' row, kept by 00012's triggers),
// and returns each one's figures by cycle id (pointing
// into tr.Cycles, which is not grown after).
func trendCycles(ctx context.Context, tx pgx.Tx, tr *portal.Trends) (map[int64]*portal.CycleTrend, error) {
	rows, err := tx.Query(ctx, `
		SELECT c.id, c.review_year, c.plan_year, c.status, coalesce(f.items, 0)
		FROM reporting_cycles c
		LEFT JOIN cycle_figures f ON f.cycle_id = c.id AND f.dimension = 'report' AND f.key = '' AND f.sub = ''
		WHERE c.status <> 'draft'
		ORDER BY c.review_year`)
	if err != nil {
		return nil, fmt.Errorf("cycles: %w", err)
	}
	tr.Cycles, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.CycleTrend, error) {
		c := portal.NewCycleTrend()
		err := row.Scan(&c.CycleID, &c.ReviewYear, &c.PlanYear, &c.Status, &c.Accepted)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("cycles: %w", err)
	}
	byCycle := make(map[int64]*portal.CycleTrend, len(tr.Cycles))
	for i := range tr.Cycles {
		byCycle[tr.Cycles[i].CycleID] = &tr.Cycles[i]
	}
	return byCycle, nil
}

// trendActivities counts the accepted reports' activities by kind and mode
// (one group per cycle, kind and mode gives both) and sums people reached,
// as cycle_figures' 'activity' rows keep them: a few dozen rows, not every
// activity of every accepted report.
func trendActivities(ctx context.Context, tx pgx.Tx, byCycle map[int64]*portal.CycleTrend) error {
	rows, err := tx.Query(ctx, `
		SELECT cycle_id, key, sub, items, amount, women
		FROM cycle_figures
		WHERE dimension = 'activity'`)
	if err != nil {
		return fmt.Errorf("activity trends: %w", err)
	}
	var cycleID, people, women int64
	var kind portal.ActivityKind
	var mode portal.ActivityMode
	var n int
	_, err = pgx.ForEachRow(rows, []any{&cycleID, &kind, &mode, &n, &people, &women}, func() error {
		c, ok := byCycle[cycleID]
		if !ok {
			return nil // a draft cycle's
		}
		c.Activities += n
		c.ActivitiesByKind[kind] += n
		c.ActivitiesByMode[mode] += n
		c.PeopleReached += people
		c.WomenReached += women
		return nil
	})
	if err != nil {
		return fmt.Errorf("activity trends: %w", err)
	}
	return nil
}

// trendAttendance counts, for each cycle whose session is held (or held and
// closed), the NGOs present among those with an unwithdrawn invitation.
func trendAttendance(ctx context.Context, tx pgx.Tx, byCycle map[int64]*portal.CycleTrend) error {
	rows, err := tx.Query(ctx, `
		SELECT s.cycle_id, count(i.id) FILTER (WHERE i.attendance = 'present'), count(i.id)
		FROM sessions s
		LEFT JOIN invitations i ON i.session_id = s.id AND i.withdrawn_at IS NULL
		WHERE s.cycle_id IS NOT NULL AND s.status IN ('held', 'closed')
		GROUP BY s.cycle_id`)
	if err != nil {
		return fmt.Errorf("attendance trends: %w", err)
	}
	var cycleID int64
	var present, invited int
	_, err = pgx.ForEachRow(rows, []any{&cycleID, &present, &invited}, func() error {
		if c, ok := byCycle[cycleID]; ok {
			c.Attendance = portal.Rate{Num: present, Den: invited, Known: true}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("attendance trends: %w", err)
	}
	return nil
}

// trendOnTime counts, for each cycle, the NGOs expected to report whose
// standing is settled and those of them that reported on time (the rule is
// portal.CycleTrend.OnTime's). The end of a deadline day is midnight after
// it in the federation's time zone, a fixed offset passed as $2 seconds.
func trendOnTime(ctx context.Context, tx pgx.Tx, now time.Time, byCycle map[int64]*portal.CycleTrend) error {
	_, offset := now.In(portal.FederationZone).Zone()
	rows, err := tx.Query(ctx, `
		WITH expected AS (
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
		GROUP BY cycle_id`, now, offset)
	if err != nil {
		return fmt.Errorf("on-time trends: %w", err)
	}
	var cycleID int64
	var onTime, settled int
	_, err = pgx.ForEachRow(rows, []any{&cycleID, &onTime, &settled}, func() error {
		if c, ok := byCycle[cycleID]; ok {
			c.OnTime = portal.Rate{Num: onTime, Den: settled, Known: true}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("on-time trends: %w", err)
	}
	return nil
}

// trendPlans tallies by outcome the plan items for each cycle's plan year
// (its accepted reports' items and its session's addenda's items) whose
// next cycle (review year + 1) has an accepted report: the outcome of an
// item is the status its NGO's accepted report of the next cycle gives it,
// not reported when there is none or it is blank. A cycle with such a next
// cycle and no items still gets a row (count 0), so that it is known.
func trendPlans(ctx context.Context, tx pgx.Tx, byCycle map[int64]*portal.CycleTrend) error {
	rows, err := tx.Query(ctx, `
		WITH items AS (
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
		GROUP BY 1, 2`)
	if err != nil {
		return fmt.Errorf("plan trends: %w", err)
	}
	var cycleID int64
	var outcome portal.Outcome
	var n int
	_, err = pgx.ForEachRow(rows, []any{&cycleID, &outcome, &n}, func() error {
		c, ok := byCycle[cycleID]
		if !ok {
			return nil
		}
		c.PlanKnown = true
		switch outcome {
		case portal.OutcomeDone:
			c.Plan.Done += n
		case portal.OutcomePartly:
			c.Plan.Partly += n
		case portal.OutcomeNotDone:
			c.Plan.NotDone += n
		default:
			c.Plan.NotReported += n
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("plan trends: %w", err)
	}
	return nil
}
