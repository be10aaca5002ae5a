package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// CycleIndicators computes the figures of cycle cycleID over its accepted
// reports, NGO by NGO and in total (ErrNotFound when there is no such
// cycle). A fixed number of aggregate queries, grouped by NGO, whatever the
// number of NGOs; they run in one read-only repeatable-read transaction so
// that a report accepted meanwhile is either wholly in the figures or
// wholly out.
func (db *DB) CycleIndicators(ctx context.Context, cycleID int64) (portal.Indicators, error) {
	ind := portal.Indicators{CycleID: cycleID, Total: portal.NewIndicatorSet()}
	err := db.readSnapshot(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT review_year, plan_year FROM reporting_cycles WHERE id = $1`, cycleID).
			Scan(&ind.ReviewYear, &ind.PlanYear); err != nil {
			return translate(err)
		}
		byNGO, err := indicatorNGOs(ctx, tx, cycleID, &ind)
		if err != nil {
			return err
		}
		if err := indicatorActivities(ctx, tx, cycleID, byNGO); err != nil {
			return err
		}
		if err := indicatorMedia(ctx, tx, cycleID, byNGO); err != nil {
			return err
		}
		if err := indicatorPlanItems(ctx, tx, cycleID, byNGO); err != nil {
			return err
		}
		return indicatorLabels(ctx, tx, cycleID, &ind)
	})
	if err != nil {
		return portal.Indicators{}, fmt.Errorf("indicators of cycle %d: %w", cycleID, err)
	}
	for _, n := range ind.NGOs {
		ind.Total.Add(n.IndicatorSet)
	}
	ind.NGOCount = len(ind.NGOs)
	return ind, nil
}

// accepted is the join condition every indicator query counts over: the
// accepted reports of cycle $1.
const accepted = ` r.cycle_id = $1 AND r.status = 'accepted'`

// indicatorNGOs lists the NGOs with an accepted report and returns each
// one's set by NGO id (pointing into ind.NGOs, which is not grown after).
func indicatorNGOs(ctx context.Context, tx pgx.Tx, cycleID int64, ind *portal.Indicators) (map[int64]*portal.IndicatorSet, error) {
	rows, err := tx.Query(ctx, `
		SELECT r.ngo_id, n.name_zh, n.name_en, r.id
		FROM reports r JOIN ngos n ON n.id = r.ngo_id
		WHERE r.cycle_id = $1 AND r.status = 'accepted'
		ORDER BY n.name_zh, n.id`, cycleID)
	if err != nil {
		return nil, fmt.Errorf("accepted reports: %w", err)
	}
	ind.NGOs, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.NGOIndicators, error) {
		n := portal.NGOIndicators{IndicatorSet: portal.NewIndicatorSet()}
		err := row.Scan(&n.NGOID, &n.NGONameZH, &n.NGONameEN, &n.ReportID)
		return n, err
	})
	if err != nil {
		return nil, fmt.Errorf("accepted reports: %w", err)
	}
	byNGO := make(map[int64]*portal.IndicatorSet, len(ind.NGOs))
	for i := range ind.NGOs {
		byNGO[ind.NGOs[i].NGOID] = &ind.NGOs[i].IndicatorSet
	}
	return byNGO, nil
}

// indicatorActivities counts activities by kind and mode (one group per
// NGO, kind and mode gives both) and sums the people reached.
func indicatorActivities(ctx context.Context, tx pgx.Tx, cycleID int64, byNGO map[int64]*portal.IndicatorSet) error {
	rows, err := tx.Query(ctx, `
		SELECT r.ngo_id, a.kind, a.mode, count(*), coalesce(sum(a.people_reached), 0), coalesce(sum(a.women_reached), 0)
		FROM report_activities a JOIN reports r ON r.id = a.report_id AND`+accepted+`
		GROUP BY r.ngo_id, a.kind, a.mode`, cycleID)
	if err != nil {
		return fmt.Errorf("activity figures: %w", err)
	}
	var ngoID, people, women int64
	var kind portal.ActivityKind
	var mode portal.ActivityMode
	var n int
	_, err = pgx.ForEachRow(rows, []any{&ngoID, &kind, &mode, &n, &people, &women}, func() error {
		s := byNGO[ngoID]
		s.Activities += n
		s.ActivitiesByKind[kind] += n
		s.ActivitiesByMode[mode] += n
		s.PeopleReached += people
		s.WomenReached += women
		return nil
	})
	if err != nil {
		return fmt.Errorf("activity figures: %w", err)
	}
	return nil
}

// indicatorMedia sums new-media items and reads by channel.
func indicatorMedia(ctx context.Context, tx pgx.Tx, cycleID int64, byNGO map[int64]*portal.IndicatorSet) error {
	rows, err := tx.Query(ctx, `
		SELECT r.ngo_id, m.channel, coalesce(sum(m.items), 0)::bigint, coalesce(sum(m.reads), 0)::bigint
		FROM report_media m JOIN reports r ON r.id = m.report_id AND`+accepted+`
		GROUP BY r.ngo_id, m.channel`, cycleID)
	if err != nil {
		return fmt.Errorf("media figures: %w", err)
	}
	var ngoID int64
	var channel portal.MediaChannel
	var f portal.MediaFigures
	_, err = pgx.ForEachRow(rows, []any{&ngoID, &channel, &f.Items, &f.Reads}, func() error {
		s := byNGO[ngoID]
		s.MediaItems += f.Items
		s.MediaReads += f.Reads
		s.MediaByChannel[channel] = f
		return nil
	})
	if err != nil {
		return fmt.Errorf("media figures: %w", err)
	}
	return nil
}

// indicatorPlanItems counts plan items in all, by theme, by key project and
// by request; dimension names which map a row adds to, and key 0 stands
// for "none". One query: the four groupings are a UNION ALL over the same
// accepted reports.
func indicatorPlanItems(ctx context.Context, tx pgx.Tx, cycleID int64, byNGO map[int64]*portal.IndicatorSet) error {
	rows, err := tx.Query(ctx, `
		WITH p AS (
			SELECT r.ngo_id, p.id, p.key_project_id
			FROM report_plan_items p JOIN reports r ON r.id = p.report_id AND`+accepted+`)
		SELECT 'all', p.ngo_id, 0::bigint, count(*) FROM p GROUP BY p.ngo_id
		UNION ALL
		SELECT 'project', p.ngo_id, coalesce(p.key_project_id, 0), count(*) FROM p
		GROUP BY p.ngo_id, coalesce(p.key_project_id, 0)
		UNION ALL
		SELECT 'theme', p.ngo_id, coalesce(t.theme_id, 0), count(*) FROM p
		LEFT JOIN report_plan_item_themes t ON t.plan_item_id = p.id
		GROUP BY p.ngo_id, coalesce(t.theme_id, 0)
		UNION ALL
		SELECT 'request', p.ngo_id, coalesce(q.request_id, 0), count(*) FROM p
		LEFT JOIN report_plan_item_requests q ON q.plan_item_id = p.id
		GROUP BY p.ngo_id, coalesce(q.request_id, 0)`, cycleID)
	if err != nil {
		return fmt.Errorf("plan item figures: %w", err)
	}
	var dim string
	var ngoID, key int64
	var n int
	_, err = pgx.ForEachRow(rows, []any{&dim, &ngoID, &key, &n}, func() error {
		s := byNGO[ngoID]
		switch dim {
		case "all":
			s.PlanItems = n
		case "project":
			s.PlanItemsByProject[key] = n
		case "theme":
			s.PlanItemsByTheme[key] = n
		case "request":
			s.PlanItemsByRequest[key] = n
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("plan item figures: %w", err)
	}
	return nil
}

// indicatorLabels reads the names the counts refer to.
func indicatorLabels(ctx context.Context, tx pgx.Tx, cycleID int64, ind *portal.Indicators) error {
	label := func(row pgx.CollectableRow) (portal.IndicatorLabel, error) {
		var l portal.IndicatorLabel
		err := row.Scan(&l.ID, &l.NameZH, &l.NameEN, &l.Active)
		return l, err
	}
	rows, err := tx.Query(ctx, `SELECT id, name_zh, name_en, active FROM themes ORDER BY position, id`)
	if err != nil {
		return fmt.Errorf("theme labels: %w", err)
	}
	if ind.Themes, err = pgx.CollectRows(rows, label); err != nil {
		return fmt.Errorf("theme labels: %w", err)
	}
	rows, err = tx.Query(ctx, `SELECT id, name_zh, name_en, active FROM key_projects ORDER BY position, id`)
	if err != nil {
		return fmt.Errorf("key project labels: %w", err)
	}
	if ind.Projects, err = pgx.CollectRows(rows, label); err != nil {
		return fmt.Errorf("key project labels: %w", err)
	}
	ind.Requests, err = answeredRequests(ctx, tx, accepted, cycleID)
	return err
}

// answeredRequests lists the requests that the plan items of the reports
// matching where (on reports r, with args) answer, by session and number:
// what the indicators and the exports name them by.
func answeredRequests(ctx context.Context, q querier, where string, args ...any) ([]portal.IndicatorRequest, error) {
	rows, err := q.Query(ctx, `
		SELECT q.id, q.session_id, q.number, q.text_zh, q.text_en
		FROM session_requests q
		WHERE q.id IN (
			SELECT pr.request_id
			FROM report_plan_item_requests pr
			JOIN report_plan_items p ON p.id = pr.plan_item_id
			JOIN reports r ON r.id = p.report_id
			WHERE `+where+`)
		ORDER BY q.session_id, q.number`, args...)
	if err != nil {
		return nil, fmt.Errorf("requests answered: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[portal.IndicatorRequest])
	if err != nil {
		return nil, fmt.Errorf("requests answered: %w", err)
	}
	return list, nil
}
