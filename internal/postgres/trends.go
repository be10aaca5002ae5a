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
// closed), the NGOs present among those with an unwithdrawn invitation,
// as cycle_trends keeps them (migration 00015).
func trendAttendance(ctx context.Context, tx pgx.Tx, byCycle map[int64]*portal.CycleTrend) error {
	rows, err := tx.Query(ctx, `
		SELECT s.cycle_id, coalesce(sum(t.present), 0), coalesce(sum(t.invited), 0)
		FROM sessions s
		LEFT JOIN cycle_trends t ON t.cycle_id = s.cycle_id
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
// portal.CycleTrend.OnTime's), from cycle_trends' groups by effective
// deadline (migration 00015, which judges on time at UTC+8, the fixed
// offset of portal.FederationZone). Only the standing of an NGO that has not
// submitted depends on now: it is settled once the end of its deadline day,
// midnight after it in the federation's time zone (a fixed offset passed as
// $2 seconds), has passed.
func trendOnTime(ctx context.Context, tx pgx.Tx, now time.Time, byCycle map[int64]*portal.CycleTrend) error {
	_, offset := now.In(portal.FederationZone).Zone()
	rows, err := tx.Query(ctx, `
		SELECT cycle_id, sum(on_time),
		       coalesce(sum(ngos) FILTER (WHERE submitted
		           OR ((due + 1)::timestamp - make_interval(secs => $2)) AT TIME ZONE 'UTC' <= $1), 0)
		FROM cycle_trends
		WHERE expected
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
// cycle and no items still gets a row (counts 0), so that it is known. The
// tallies are cycle_trends' (migration 00015); whether the next cycle has
// an accepted report, cycle_figures' 'report' row (00012).
func trendPlans(ctx context.Context, tx pgx.Tx, byCycle map[int64]*portal.CycleTrend) error {
	rows, err := tx.Query(ctx, `
		SELECT c.id, coalesce(sum(t.plan_done), 0), coalesce(sum(t.plan_partly), 0),
		       coalesce(sum(t.plan_not_done), 0), coalesce(sum(t.plan_not_reported), 0)
		FROM reporting_cycles c
		JOIN reporting_cycles n ON n.review_year = c.review_year + 1
		JOIN cycle_figures f ON f.cycle_id = n.id AND f.dimension = 'report' AND f.key = '' AND f.sub = ''
		LEFT JOIN cycle_trends t ON t.cycle_id = c.id
		GROUP BY c.id`)
	if err != nil {
		return fmt.Errorf("plan trends: %w", err)
	}
	var cycleID int64
	var done, partly, notDone, notReported int
	_, err = pgx.ForEachRow(rows, []any{&cycleID, &done, &partly, &notDone, &notReported}, func() error {
		c, ok := byCycle[cycleID]
		if !ok {
			return nil
		}
		c.PlanKnown = true
		c.Plan.Done += done
		c.Plan.Partly += partly
		c.Plan.NotDone += notDone
		c.Plan.NotReported += notReported
		return nil
	})
	if err != nil {
		return fmt.Errorf("plan trends: %w", err)
	}
	return nil
}
