package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// From requests to results. Every statement starts from the same common
// table expressions, so that the figures of the three pages and the CSV
// files agree; $1 is always the session. Each page sends a fixed number of
// statements whatever the number of NGOs, requests or items: the figures
// are GROUP BY aggregates and the lists are paged in SQL.

// resultsScope is the session's cycle (N) and the next one (N+1), whose
// accepted reports give the outcomes, and the plan items as every page
// reads them. ngoCond, when not "", is a condition on the column NGO that
// keeps only some NGOs' items, applied where the items are read so that a
// page about one NGO (or one page of NGOs) does not read them all.
// PostgreSQL evaluates only the expressions a statement refers to.
func resultsScope(ngoCond string) string {
	cond := func(col string) string {
		if ngoCond == "" {
			return ""
		}
		return " AND " + strings.ReplaceAll(ngoCond, "NGO", col)
	}
	return `
	scope AS (
		SELECT se.cycle_id,
		       (SELECT nc.id FROM reporting_cycles nc WHERE nc.review_year = c.review_year + 1) AS next_cycle_id
		FROM sessions se LEFT JOIN reporting_cycles c ON c.id = se.cycle_id
		WHERE se.id = $1
	),
	-- The plan items that may be shown: every item of the NGOs' reports of
	-- cycle N (counted only once the report is accepted) and of their plan
	-- addenda to the session.
	shown AS (
		SELECT p.id, p.position, p.title, p.key_project_id, r.ngo_id, 'report' AS source, r.status AS report_status
		FROM scope
		JOIN reports r ON r.cycle_id = scope.cycle_id
		JOIN report_plan_items p ON p.report_id = r.id
		WHERE true` + cond("r.ngo_id") + `
		UNION ALL
		SELECT p.id, p.position, p.title, p.key_project_id, a.ngo_id, 'addendum', ''
		FROM plan_addenda a
		JOIN report_plan_items p ON p.addendum_id = a.id
		WHERE a.session_id = $1` + cond("a.ngo_id") + `
	),
	-- The outcome each accepted report of cycle N+1 gives an item of its
	-- NGO's (the first row, should two name the same item).
	outcomes AS (
		SELECT DISTINCT ON (rp.previous_plan_item_id, r.ngo_id)
		       rp.previous_plan_item_id AS item_id, r.ngo_id, rp.status, rp.note
		FROM scope
		JOIN reports r ON r.cycle_id = scope.next_cycle_id AND r.status = 'accepted'
		JOIN report_progress rp ON rp.report_id = r.id AND rp.status <> ''
		WHERE true` + cond("r.ngo_id") + `
		ORDER BY rp.previous_plan_item_id, r.ngo_id, rp.position
	),
	items AS (
		SELECT s.id, s.position, s.title, s.key_project_id, s.ngo_id, s.source, s.report_status,
		       s.report_status IN ('accepted', '') AS counted,
		       coalesce(o.status, 'not_reported') AS outcome, coalesce(o.note, '') AS note
		FROM shown s
		LEFT JOIN outcomes o ON o.item_id = s.id AND o.ngo_id = s.ngo_id
	),
	-- The links of plan items to the session's requests.
	links AS (
		SELECT l.request_id, l.plan_item_id, q.number
		FROM session_requests q
		JOIN report_plan_item_requests l ON l.request_id = q.id
		WHERE q.session_id = $1
	),
	-- The items linked to the session's requests, reached from the links
	-- (far fewer than the items): report items of cycle N and addendum
	-- items, with their outcomes. Each outcome is looked up by the item
	-- (report_progress_previous_idx), as outcomes gives it: the first row
	-- of its NGO's accepted report of cycle N+1 (there is one report per
	-- NGO and cycle), so that the requests' figures do not read every
	-- outcome of the year.
	linked AS (
		SELECT l.request_id, p.id, o.ngo_id,
		       coalesce(r.status, 'accepted') = 'accepted' AS counted,
		       coalesce((SELECT rp.status
		                 FROM report_progress rp
		                 JOIN reports nr ON nr.id = rp.report_id
		                 WHERE rp.previous_plan_item_id = p.id AND rp.status <> ''
		                   AND nr.cycle_id = (SELECT next_cycle_id FROM scope) AND nr.status = 'accepted'
		                   AND nr.ngo_id = o.ngo_id
		                 ORDER BY rp.position LIMIT 1), 'not_reported') AS outcome
		FROM links l
		JOIN report_plan_items p ON p.id = l.plan_item_id
		LEFT JOIN reports r ON r.id = p.report_id AND r.cycle_id = (SELECT cycle_id FROM scope)
		LEFT JOIN plan_addenda a ON a.id = p.addendum_id AND a.session_id = $1
		CROSS JOIN LATERAL (SELECT coalesce(r.ngo_id, a.ngo_id) AS ngo_id) o
		WHERE r.id IS NOT NULL OR a.id IS NOT NULL
	)`
}

// outcomeCounts are the four outcome counts of the rows grouped, in
// scanOutcomes' order.
const outcomeCounts = `
	count(*) FILTER (WHERE outcome = 'done') AS done, count(*) FILTER (WHERE outcome = 'partly') AS partly,
	count(*) FILTER (WHERE outcome = 'not_done') AS not_done, count(*) FILTER (WHERE outcome = 'not_reported') AS not_reported`

func outcomeArgs(c *portal.OutcomeCounts) []any {
	return []any{&c.Done, &c.Partly, &c.NotDone, &c.NotReported}
}

// ResultsRequests returns the figures of the session's requests, by
// number: all of them when requestID is 0, else that one, ErrNotFound when
// the session has no such request.
func (db *DB) ResultsRequests(ctx context.Context, sessionID, requestID int64) ([]portal.RequestResult, error) {
	rows, err := db.pool.Query(ctx, `
		WITH `+resultsScope("")+`,
		planners AS (SELECT DISTINCT request_id, ngo_id FROM linked),
		answered AS (
			SELECT ad.request_id, count(*) AS addressed, count(pl.ngo_id) AS planned,
			       count(*) FILTER (WHERE pl.ngo_id IS NULL AND rr.nothing_planned) AS nothing
			FROM request_addressees ad
			LEFT JOIN planners pl ON pl.request_id = ad.request_id AND pl.ngo_id = ad.ngo_id
			LEFT JOIN request_responses rr ON rr.request_id = ad.request_id AND rr.ngo_id = ad.ngo_id
			WHERE ad.session_id = $1
			GROUP BY ad.request_id
		),
		figures AS (
			SELECT request_id, count(*) AS items, count(DISTINCT ngo_id) AS ngos,
			       count(*) FILTER (WHERE NOT counted) AS pending, `+outcomeCounts+`
			FROM linked
			GROUP BY request_id
		)
		SELECT q.id, q.number, q.text_zh, q.text_en, q.addressed_to_all,
		       coalesce(a.addressed, 0), coalesce(a.planned, 0), coalesce(a.nothing, 0),
		       coalesce(f.items, 0), coalesce(f.ngos, 0), coalesce(f.pending, 0),
		       coalesce(f.done, 0), coalesce(f.partly, 0), coalesce(f.not_done, 0), coalesce(f.not_reported, 0)
		FROM session_requests q
		LEFT JOIN answered a ON a.request_id = q.id
		LEFT JOIN figures f ON f.request_id = q.id
		WHERE q.session_id = $1 AND ($2::bigint = 0 OR q.id = $2::bigint)
		ORDER BY q.number`, sessionID, requestID)
	if err != nil {
		return nil, fmt.Errorf("results of the requests of session %d: %w", sessionID, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.RequestResult, error) {
		var q portal.RequestResult
		err := row.Scan(append([]any{&q.ID, &q.Number, &q.TextZH, &q.TextEN, &q.AddressedToAll,
			&q.Addressed, &q.Planned, &q.Nothing, &q.Items, &q.ItemNGOs, &q.Pending}, outcomeArgs(&q.Outcomes)...)...)
		return q, err
	})
	if err != nil {
		return nil, fmt.Errorf("results of the requests of session %d: %w", sessionID, err)
	}
	if requestID != 0 && len(out) == 0 {
		return nil, fmt.Errorf("request %d of session %d: %w", requestID, sessionID, portal.ErrNotFound)
	}
	return out, nil
}

// ResultsTotals returns the plan items of the session's plan year by theme
// and by key project (each in the federation's order, items with none
// last), and all of them, in one statement.
func (db *DB) ResultsTotals(ctx context.Context, sessionID int64) (portal.ResultsTotals, error) {
	rows, err := db.pool.Query(ctx, `
		WITH `+resultsScope("")+`,
		counted AS MATERIALIZED (SELECT id, key_project_id, outcome FROM items WHERE counted)
		SELECT 1 AS kind, coalesce(t.id, 0), coalesce(t.name_zh, ''), coalesce(t.name_en, ''), coalesce(t.position, 2147483647) AS pos, `+outcomeCounts+`
		FROM counted c
		LEFT JOIN report_plan_item_themes pt ON pt.plan_item_id = c.id
		LEFT JOIN themes t ON t.id = pt.theme_id
		GROUP BY t.id, t.name_zh, t.name_en, t.position
		UNION ALL
		SELECT 2, coalesce(k.id, 0), coalesce(k.name_zh, ''), coalesce(k.name_en, ''), coalesce(k.position, 2147483647), `+outcomeCounts+`
		FROM counted c
		LEFT JOIN key_projects k ON k.id = c.key_project_id
		GROUP BY k.id, k.name_zh, k.name_en, k.position
		UNION ALL
		SELECT 3, 0, '', '', 0, `+outcomeCounts+`
		FROM counted
		ORDER BY kind, pos`, sessionID)
	if err != nil {
		return portal.ResultsTotals{}, fmt.Errorf("results totals of session %d: %w", sessionID, err)
	}
	var out portal.ResultsTotals
	var kind, pos int
	var g portal.ResultsGroup
	_, err = pgx.ForEachRow(rows, append([]any{&kind, &g.ID, &g.NameZH, &g.NameEN, &pos}, outcomeArgs(&g.Outcomes)...), func() error {
		switch kind {
		case 1:
			out.Themes = append(out.Themes, g)
		case 2:
			out.Projects = append(out.Projects, g)
		default:
			out.Total = g.Outcomes
		}
		return nil
	})
	if err != nil {
		return portal.ResultsTotals{}, fmt.Errorf("results totals of session %d: %w", sessionID, err)
	}
	return out, nil
}

// ResultsNGOFilter chooses the NGOs of ResultsNGOs.
type ResultsNGOFilter struct {
	SessionID int64
	NGOID     int64 // only this NGO, when not 0
	Sort      portal.ResultsSort
	English   bool // by English name (else by Chinese name, in pinyin order)
	Limit     int  // 0: all
	Offset    int
}

// ResultsNGOs returns the NGOs of the session (invited, addressed by a
// request, with plan items for its plan year or with items answering its
// requests) with their plan items'
// outcomes, one page of them as f says, and how many there are in all.
func (db *DB) ResultsNGOs(ctx context.Context, f ResultsNGOFilter) ([]portal.NGOResult, int, error) {
	var limit any
	if f.Limit > 0 {
		limit = f.Limit
	}
	const ngoOnly = ` AND ($2::bigint = 0 OR ngo_id = $2::bigint)`
	rows, err := db.pool.Query(ctx, `
		WITH `+resultsScope("($2::bigint = 0 OR NGO = $2::bigint)")+`,
		agg AS (
			SELECT ngo_id, count(*) AS items, `+outcomeCounts+`
			FROM items WHERE counted
			GROUP BY ngo_id
		),
		members AS (
			SELECT ngo_id FROM invitations WHERE session_id = $1 AND withdrawn_at IS NULL`+ngoOnly+`
			UNION SELECT ngo_id FROM request_addressees WHERE session_id = $1`+ngoOnly+`
			UNION SELECT ngo_id FROM agg
			-- and those whose items answer a request, even when not
			-- accepted yet: the request's page links to them
			UNION SELECT ngo_id FROM linked WHERE true`+ngoOnly+`
		)
		SELECT n.id, n.name_zh, n.name_en, coalesce(r.status, ''),
		       coalesce(a.done, 0), coalesce(a.partly, 0), coalesce(a.not_done, 0), coalesce(a.not_reported, 0),
		       count(*) OVER ()
		FROM members m
		JOIN ngos n ON n.id = m.ngo_id
		LEFT JOIN agg a ON a.ngo_id = n.id
		LEFT JOIN reports r ON r.ngo_id = n.id AND r.cycle_id = (SELECT cycle_id FROM scope)
		WHERE ($2::bigint = 0 OR n.id = $2::bigint)
		ORDER BY CASE WHEN $3::boolean THEN a.done::float8 / a.items END DESC NULLS LAST,
		         CASE WHEN $4::boolean THEN n.name_en END, n.name_zh, n.id
		LIMIT $5 OFFSET $6`,
		f.SessionID, f.NGOID, f.Sort == portal.ResultsByRate, f.English, limit, f.Offset)
	if err != nil {
		return nil, 0, fmt.Errorf("results of the NGOs of session %d: %w", f.SessionID, err)
	}
	total := 0
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.NGOResult, error) {
		var n portal.NGOResult
		err := row.Scan(append(append([]any{&n.NGOID, &n.NameZH, &n.NameEN, &n.ReportStatus}, outcomeArgs(&n.Outcomes)...), &total)...)
		return n, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("results of the NGOs of session %d: %w", f.SessionID, err)
	}
	if f.NGOID != 0 && len(out) == 0 {
		return nil, 0, fmt.Errorf("results of NGO %d in session %d: %w", f.NGOID, f.SessionID, portal.ErrNotFound)
	}
	return out, total, nil
}

// ResultsItemFilter chooses the plan items of ResultsItems.
type ResultsItemFilter struct {
	SessionID int64
	NGOID     int64   // only this NGO's items, when not 0
	RequestID int64   // only the items answering this request, when not 0
	NGOIDs    []int64 // only these NGOs' items, when not nil
	English   bool    // NGOs by English name (else by Chinese name, in pinyin order)
}

// ResultsItems returns the plan items of the session's plan year and the
// items of reports not accepted yet that answer one of its requests, with
// their requests, themes, key project and outcome; by NGO name, report
// items before addendum items, by position.
func (db *DB) ResultsItems(ctx context.Context, f ResultsItemFilter) ([]portal.ResultsItem, error) {
	rows, err := db.pool.Query(ctx, `
		WITH `+resultsScope("($2::bigint = 0 OR NGO = $2::bigint) AND ($4::bigint[] IS NULL OR NGO = ANY ($4::bigint[]))")+`,
		numbers AS (
			SELECT plan_item_id, array_agg(number ORDER BY number) AS numbers
			FROM links WHERE plan_item_id IN (SELECT id FROM shown)
			GROUP BY plan_item_id
		)
		SELECT i.id, i.ngo_id, n.name_zh, n.name_en, i.position, i.title, i.source, i.report_status, i.counted,
		       coalesce(nb.numbers, '{}'),
		       coalesce((SELECT array_agg(t.name_zh ORDER BY t.position) FROM report_plan_item_themes pt
		                 JOIN themes t ON t.id = pt.theme_id WHERE pt.plan_item_id = i.id), '{}'),
		       coalesce((SELECT array_agg(t.name_en ORDER BY t.position) FROM report_plan_item_themes pt
		                 JOIN themes t ON t.id = pt.theme_id WHERE pt.plan_item_id = i.id), '{}'),
		       coalesce(k.name_zh, ''), coalesce(k.name_en, ''), i.outcome, i.note
		FROM items i
		JOIN ngos n ON n.id = i.ngo_id
		LEFT JOIN numbers nb ON nb.plan_item_id = i.id
		LEFT JOIN key_projects k ON k.id = i.key_project_id
		WHERE (i.counted OR nb.plan_item_id IS NOT NULL)
		  AND ($2::bigint = 0 OR i.ngo_id = $2::bigint)
		  AND ($3::bigint = 0 OR i.id IN (SELECT plan_item_id FROM links WHERE request_id = $3::bigint))
		  AND ($4::bigint[] IS NULL OR i.ngo_id = ANY ($4::bigint[]))
		ORDER BY CASE WHEN $5::boolean THEN n.name_en END, n.name_zh, n.id, i.source DESC, i.position`,
		f.SessionID, f.NGOID, f.RequestID, f.NGOIDs, f.English)
	if err != nil {
		return nil, fmt.Errorf("plan items of session %d: %w", f.SessionID, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.ResultsItem, error) {
		var it portal.ResultsItem
		err := row.Scan(&it.ID, &it.NGOID, &it.NGONameZH, &it.NGONameEN, &it.Position, &it.Title, &it.Source,
			&it.ReportStatus, &it.Counted, &it.Requests, &it.ThemesZH, &it.ThemesEN, &it.ProjectZH, &it.ProjectEN,
			&it.Outcome, &it.Note)
		return it, err
	})
	if err != nil {
		return nil, fmt.Errorf("plan items of session %d: %w", f.SessionID, err)
	}
	return out, nil
}

// ResultsRequestNGOs returns one page of the NGOs a request of the session
// is addressed to, and of the NGOs whose items answer it: those with items
// first, then those that plan nothing, then those that have not answered,
// each by name; with how many there are in all. Their items are read with
// ResultsItems.
func (db *DB) ResultsRequestNGOs(ctx context.Context, sessionID, requestID int64, english bool, limit, offset int) ([]portal.RequestNGO, int, error) {
	rows, err := db.pool.Query(ctx, `
		WITH `+resultsScope("")+`,
		planners AS (SELECT DISTINCT ngo_id FROM linked WHERE request_id = $2),
		members AS (
			SELECT ngo_id FROM request_addressees WHERE request_id = $2
			UNION SELECT ngo_id FROM planners
		),
		answers AS (
			SELECT n.id, n.name_zh, n.name_en,
			       CASE WHEN pl.ngo_id IS NOT NULL THEN 'planned'
			            WHEN rr.nothing_planned THEN 'nothing' ELSE 'none' END AS status,
			       CASE WHEN pl.ngo_id IS NULL AND rr.nothing_planned THEN rr.reason ELSE '' END AS reason
			FROM members m
			JOIN ngos n ON n.id = m.ngo_id
			LEFT JOIN planners pl ON pl.ngo_id = n.id
			LEFT JOIN request_responses rr ON rr.request_id = $2 AND rr.ngo_id = n.id
		)
		SELECT id, name_zh, name_en, status, reason, count(*) OVER ()
		FROM answers
		ORDER BY CASE status WHEN 'planned' THEN 1 WHEN 'nothing' THEN 2 ELSE 3 END,
		         CASE WHEN $3::boolean THEN name_en END, name_zh, id
		LIMIT $4 OFFSET $5`, sessionID, requestID, english, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("NGOs of request %d: %w", requestID, err)
	}
	total := 0
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.RequestNGO, error) {
		var n portal.RequestNGO
		err := row.Scan(&n.NGOID, &n.NameZH, &n.NameEN, &n.Status, &n.Reason, &total)
		return n, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("NGOs of request %d: %w", requestID, err)
	}
	return out, total, nil
}

// ResultsResponses returns the NGO's answer to each request of the session
// addressed to it, by number.
func (db *DB) ResultsResponses(ctx context.Context, sessionID, ngoID int64) ([]portal.RequestResponse, error) {
	rows, err := db.pool.Query(ctx, `
		WITH `+resultsScope("NGO = $2")+`,
		planned AS (
			SELECT DISTINCT l.request_id
			FROM links l JOIN shown s ON s.id = l.plan_item_id
			WHERE s.ngo_id = $2
		)
		SELECT q.id, q.number, q.text_zh, q.text_en,
		       CASE WHEN p.request_id IS NOT NULL THEN 'planned'
		            WHEN rr.nothing_planned THEN 'nothing' ELSE 'none' END,
		       CASE WHEN p.request_id IS NULL AND rr.nothing_planned THEN rr.reason ELSE '' END
		FROM request_addressees ad
		JOIN session_requests q ON q.id = ad.request_id
		LEFT JOIN planned p ON p.request_id = q.id
		LEFT JOIN request_responses rr ON rr.request_id = q.id AND rr.ngo_id = ad.ngo_id
		WHERE ad.session_id = $1 AND ad.ngo_id = $2
		ORDER BY q.number`, sessionID, ngoID)
	if err != nil {
		return nil, fmt.Errorf("answers of NGO %d in session %d: %w", ngoID, sessionID, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.RequestResponse, error) {
		var q portal.RequestResponse
		err := row.Scan(&q.RequestID, &q.Number, &q.TextZH, &q.TextEN, &q.Status, &q.Reason)
		return q, err
	})
	if err != nil {
		return nil, fmt.Errorf("answers of NGO %d in session %d: %w", ngoID, sessionID, err)
	}
	return out, nil
}
