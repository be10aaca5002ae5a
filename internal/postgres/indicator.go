package postgres

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"

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

// CycleIndicatorsPage is what a cycle's indicators page shows: the totals
// over every accepted report of cycle cycleID, and the figures of the NGOs
// from offset to offset+limit by name in the reader's language (by English
// name when english), as CycleIndicators computes them. It reads the
// figures kept ready in report_figures and cycle_figures (migration
// 00012) rather than aggregating the reports' rows, so its cost depends on
// the page's size, not on the number of NGOs: four statements (the cycle
// with its figures, the page's NGOs, their figures, the labels) in one
// read-only snapshot (ErrNotFound when there is no such cycle).
func (db *DB) CycleIndicatorsPage(ctx context.Context, cycleID int64, english bool, offset, limit int) (portal.Indicators, error) {
	ind := portal.Indicators{CycleID: cycleID, Total: portal.NewIndicatorSet()}
	err := db.readSnapshot(ctx, func(tx pgx.Tx) error {
		// The cycle and its figures in one statement: one row with a NULL
		// figure when the cycle has none, no row when there is no cycle.
		rows, err := tx.Query(ctx, `
			SELECT c.review_year, c.plan_year, coalesce(f.dimension, ''), coalesce(f.key, ''), coalesce(f.sub, ''),
			       coalesce(f.items, 0), coalesce(f.amount, 0), coalesce(f.women, 0)
			FROM reporting_cycles c LEFT JOIN cycle_figures f ON f.cycle_id = c.id
			WHERE c.id = $1`, cycleID)
		if err != nil {
			return fmt.Errorf("cycle figures: %w", err)
		}
		var f figure
		found := false
		_, err = pgx.ForEachRow(rows, []any{&ind.ReviewYear, &ind.PlanYear, &f.dimension, &f.key, &f.sub, &f.items, &f.amount, &f.women}, func() error {
			found = true
			switch f.dimension {
			case "":
				return nil
			case "report":
				ind.NGOCount = int(f.items)
			}
			return f.addTo(&ind.Total)
		})
		if err != nil {
			return fmt.Errorf("cycle figures: %w", err)
		}
		if !found {
			return translate(pgx.ErrNoRows)
		}
		// Walking the name index (ngos_name_*_id_idx) and probing each NGO's
		// report stops after the page instead of sorting every NGO.
		order := `n.name_zh, n.id`
		if english {
			order = `n.name_en, n.id`
		}
		rows, err = tx.Query(ctx, `
			SELECT r.ngo_id, n.name_zh, n.name_en, r.id
			FROM ngos n JOIN reports r ON r.ngo_id = n.id AND r.cycle_id = $1 AND r.status = 'accepted'
			ORDER BY `+order+` LIMIT $2 OFFSET $3`, cycleID, limit, offset)
		if err != nil {
			return fmt.Errorf("accepted reports: %w", err)
		}
		ind.NGOs, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.NGOIndicators, error) {
			n := portal.NGOIndicators{IndicatorSet: portal.NewIndicatorSet()}
			err := row.Scan(&n.NGOID, &n.NGONameZH, &n.NGONameEN, &n.ReportID)
			return n, err
		})
		if err != nil {
			return fmt.Errorf("accepted reports: %w", err)
		}
		byReport := make(map[int64]*portal.IndicatorSet, len(ind.NGOs))
		ids := make([]int64, len(ind.NGOs))
		for i := range ind.NGOs {
			byReport[ind.NGOs[i].ReportID] = &ind.NGOs[i].IndicatorSet
			ids[i] = ind.NGOs[i].ReportID
		}
		rows, err = tx.Query(ctx, `
			SELECT report_id, dimension, key, sub, items, amount, women FROM report_figures WHERE report_id = ANY ($1)`, ids)
		if err != nil {
			return fmt.Errorf("report figures: %w", err)
		}
		if err := addReportFigures(rows, byReport); err != nil {
			return fmt.Errorf("report figures: %w", err)
		}
		return pageLabels(ctx, tx, cycleID, &ind)
	})
	if err != nil {
		return portal.Indicators{}, fmt.Errorf("indicators of cycle %d: %w", cycleID, err)
	}
	return ind, nil
}

// addReportFigures adds rows of report_id and a figure (dimension, key,
// sub, items, amount, women) to their report's set. It decodes the raw
// values itself, sharing one string per distinct dimension, key and sub:
// a page's 3,600 rows would otherwise allocate three strings each.
func addReportFigures(rows pgx.Rows, byReport map[int64]*portal.IndicatorSet) error {
	defer rows.Close()
	seen := make(map[string]string)
	str := func(b []byte) string {
		if s, ok := seen[string(b)]; ok {
			return s
		}
		s := string(b)
		seen[s] = s
		return s
	}
	var f figure
	for rows.Next() {
		raw, fds := rows.RawValues(), rows.FieldDescriptions()
		if len(raw) != 7 {
			return fmt.Errorf("%d columns, want 7", len(raw))
		}
		var ints [4]int64
		for i, col := range [4]int{0, 4, 5, 6} {
			n, err := rawInt8(raw[col], fds[col].Format)
			if err != nil {
				return fmt.Errorf("column %s: %w", fds[col].Name, err)
			}
			ints[i] = n
		}
		f.dimension, f.key, f.sub = str(raw[1]), str(raw[2]), str(raw[3])
		f.items, f.amount, f.women = ints[1], ints[2], ints[3]
		s := byReport[ints[0]]
		if s == nil {
			return fmt.Errorf("figure of report %d, not on the page", ints[0])
		}
		if err := f.addTo(s); err != nil {
			return err
		}
	}
	return rows.Err()
}

// rawInt8 decodes a bigint column's raw value in either wire format.
func rawInt8(b []byte, format int16) (int64, error) {
	switch {
	case b == nil:
		return 0, errors.New("NULL")
	case format == pgx.BinaryFormatCode && len(b) == 8:
		return int64(binary.BigEndian.Uint64(b)), nil
	case format == pgx.TextFormatCode:
		return strconv.ParseInt(string(b), 10, 64)
	}
	return 0, fmt.Errorf("%d bytes in format %d, want a bigint", len(b), format)
}

// figure is one row of report_figures or cycle_figures (migration 00012
// says what each dimension holds).
type figure struct {
	dimension, key, sub  string
	items, amount, women int64
}

// addTo adds the figure to s, as the aggregates of CycleIndicators would.
func (f figure) addTo(s *portal.IndicatorSet) error {
	id := func() (int64, error) {
		n, err := strconv.ParseInt(f.key, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("figure %s key %q: %w", f.dimension, f.key, err)
		}
		return n, nil
	}
	switch f.dimension {
	case "report":
	case "activity":
		s.Activities += int(f.items)
		s.ActivitiesByKind[portal.ActivityKind(f.key)] += int(f.items)
		s.ActivitiesByMode[portal.ActivityMode(f.sub)] += int(f.items)
		s.PeopleReached += f.amount
		s.WomenReached += f.women
	case "media":
		s.MediaItems += f.items
		s.MediaReads += f.amount
		s.MediaByChannel[portal.MediaChannel(f.key)] = portal.MediaFigures{Items: f.items, Reads: f.amount}
	case "plan":
		s.PlanItems = int(f.items)
	case "project", "theme", "request":
		k, err := id()
		if err != nil {
			return err
		}
		m := s.PlanItemsByProject
		switch f.dimension {
		case "theme":
			m = s.PlanItemsByTheme
		case "request":
			m = s.PlanItemsByRequest
		}
		m[k] = int(f.items)
	default:
		return fmt.Errorf("unknown figure dimension %q", f.dimension)
	}
	return nil
}

// pageLabels reads the names the counts refer to, as indicatorLabels does,
// taking the requests answered from the cycle's figures: the themes, the
// key projects and the requests in one statement, each part in its order.
func pageLabels(ctx context.Context, tx pgx.Tx, cycleID int64, ind *portal.Indicators) error {
	rows, err := tx.Query(ctx, `
		SELECT 1 AS part, position::bigint AS o1, id AS o2, id, 0::bigint, 0, name_zh::text, name_en::text, active FROM themes
		UNION ALL
		SELECT 2, position, id, id, 0, 0, name_zh::text, name_en::text, active FROM key_projects
		UNION ALL
		SELECT 3, q.session_id, q.number, q.id, q.session_id, q.number, q.text_zh, q.text_en, true
		FROM session_requests q
		WHERE q.id IN (SELECT key::bigint FROM cycle_figures WHERE cycle_id = $1 AND dimension = 'request' AND key <> '0')
		ORDER BY part, o1, o2`, cycleID)
	if err != nil {
		return fmt.Errorf("labels: %w", err)
	}
	ind.Themes, ind.Projects, ind.Requests = []portal.IndicatorLabel{}, []portal.IndicatorLabel{}, []portal.IndicatorRequest{}
	var part int
	var o1, o2 int64
	var l portal.IndicatorLabel
	var q portal.IndicatorRequest
	_, err = pgx.ForEachRow(rows, []any{&part, &o1, &o2, &l.ID, &q.SessionID, &q.Number, &l.NameZH, &l.NameEN, &l.Active}, func() error {
		switch part {
		case 1:
			ind.Themes = append(ind.Themes, l)
		case 2:
			ind.Projects = append(ind.Projects, l)
		default:
			q.ID, q.TextZH, q.TextEN = l.ID, l.NameZH, l.NameEN
			ind.Requests = append(ind.Requests, q)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("labels: %w", err)
	}
	return nil
}

// CycleBoardCounts counts the NGOs on cycle cycleID's review board (as
// CycleBoard lists them: active, or with a report in the cycle) and the
// reports whose status is one of statuses, without listing them.
func (db *DB) CycleBoardCounts(ctx context.Context, cycleID int64, statuses []portal.ReportStatus) (onBoard, inStatuses int, err error) {
	st := make([]string, len(statuses))
	for i, s := range statuses {
		st[i] = string(s)
	}
	err = db.pool.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM ngos n
		        WHERE n.active OR EXISTS (SELECT FROM reports r WHERE r.cycle_id = $1 AND r.ngo_id = n.id)),
		       (SELECT count(*) FROM reports r WHERE r.cycle_id = $1 AND r.status = ANY ($2))`, cycleID, st).Scan(&onBoard, &inStatuses)
	if err != nil {
		return 0, 0, fmt.Errorf("board counts of cycle %d: %w", cycleID, err)
	}
	return onBoard, inStatuses, nil
}
