package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// From requests to results; $1 is always the session. The figures (per
// request, per NGO, totals by theme and key project) are sums of the rows
// of result_figures, which triggers keep per session and NGO (migration
// 00016); the lists of plan items judge each item with resultsScope, by
// the same rule as result_figures_of, so that the figures and the items
// they count agree. The requests' figures and answers are sums of the
// rows of request_result_rows, and the NGOs of the session that are not
// invited are the rows of result_others, both kept per session and NGO
// from result_figures and the invitations and answers (migration 00030).
// Each page sends a fixed number of statements whatever
// the number of NGOs, requests or items: the figures are GROUP BY
// aggregates and the lists are paged in SQL.

// resultsScope is the session's cycle (N) and the next one (N+1), whose
// accepted reports give the outcomes, and the plan items as every page
// reads them. ngoCond, when not "", is a condition on the column NGO that
// keeps only some NGOs' items, applied where the items are read so that a
// page about one NGO (or one page of NGOs) does not read them all.
// itemCond, when not "", is a condition on the column ITEM that keeps
// only some plan items (those answering one request), applied where the
// items are read. PostgreSQL evaluates only the expressions a statement refers to.
func resultsScope(ngoCond, itemCond string) string {
	cond := func(col string) string { return andCond(ngoCond, col) }
	items := func(col string) string {
		if itemCond == "" {
			return ""
		}
		return " AND " + strings.ReplaceAll(itemCond, "ITEM", col)
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
		WHERE true` + cond("r.ngo_id") + items("p.id") + `
		UNION ALL
		SELECT p.id, p.position, p.title, p.key_project_id, a.ngo_id, 'addendum', ''
		FROM plan_addenda a
		JOIN report_plan_items p ON p.addendum_id = a.id
		WHERE a.session_id = $1` + cond("a.ngo_id") + items("p.id") + `
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
	)`
}

// andCond is " AND " and cond with its column NGO named col, or "" when
// cond is "".
func andCond(cond, col string) string {
	if cond == "" {
		return ""
	}
	return " AND " + strings.ReplaceAll(cond, "NGO", col)
}

// outcomeArgs scans the four outcome counts, in this order.
func outcomeArgs(c *portal.OutcomeCounts) []any {
	return []any{&c.Done, &c.Partly, &c.NotDone, &c.NotReported}
}

// ResultsRequests returns the figures of the session's requests, by
// number: all of them when requestID is 0, else that one, ErrNotFound when
// the session has no such request.
func (db *DB) ResultsRequests(ctx context.Context, sessionID, requestID int64) ([]portal.RequestResult, error) {
	rows, err := db.pool.Query(ctx, `
		WITH a AS (
			SELECT t.request_id, count(*) FILTER (WHERE t.addressed) AS addressed,
			       count(*) FILTER (WHERE t.addressed AND t.planned) AS planned,
			       count(*) FILTER (WHERE t.nothing) AS nothing,
			       count(*) FILTER (WHERE t.planned) AS ngos, sum(t.pending) AS pending,
			       sum(t.done) AS done, sum(t.partly) AS partly, sum(t.not_done) AS not_done, sum(t.not_reported) AS not_reported
			FROM request_result_rows t
			WHERE t.session_id = $1 AND ($2::bigint = 0 OR t.request_id = $2::bigint)
			GROUP BY t.request_id
		)
		SELECT q.id, q.number, q.text_zh, q.text_en, q.addressed_to_all,
		       coalesce(a.addressed, 0), coalesce(a.planned, 0), coalesce(a.nothing, 0),
		       coalesce(a.done + a.partly + a.not_done + a.not_reported, 0), coalesce(a.ngos, 0), coalesce(a.pending, 0),
		       coalesce(a.done, 0), coalesce(a.partly, 0), coalesce(a.not_done, 0), coalesce(a.not_reported, 0)
		FROM session_requests q
		LEFT JOIN a ON a.request_id = q.id
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
		WITH sums AS (
			SELECT t.dimension, t.key,
			       sum(t.done) AS done, sum(t.partly) AS partly, sum(t.not_done) AS not_done, sum(t.not_reported) AS not_reported
			FROM result_totals t
			WHERE t.session_id = $1
			GROUP BY t.dimension, t.key
			HAVING sum(t.done) + sum(t.partly) + sum(t.not_done) + sum(t.not_reported) > 0
		)
		SELECT CASE s.dimension WHEN 'theme' THEN 1 WHEN 'project' THEN 2 ELSE 3 END AS kind,
		       coalesce(t.id, k.id, 0), coalesce(t.name_zh, k.name_zh, ''), coalesce(t.name_en, k.name_en, ''),
		       CASE WHEN s.dimension = 'all' THEN 0 ELSE coalesce(t.position, k.position, 2147483647) END AS pos,
		       s.done, s.partly, s.not_done, s.not_reported
		FROM sums s
		LEFT JOIN themes t ON s.dimension = 'theme' AND t.id = s.key
		LEFT JOIN key_projects k ON s.dimension = 'project' AND k.id = s.key
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
	if f.Sort != portal.ResultsByRate {
		return db.resultsNGOsByName(ctx, f, limit)
	}
	// The page's rows are cut first and get their report's status after,
	// so that only those few reports are read.
	rows, err := db.pool.Query(ctx, `
		WITH members AS (
			SELECT ngo_id FROM readiness_rows WHERE session_id = $1`+ngoOnly+`
			UNION ALL
			SELECT ngo_id FROM result_others WHERE session_id = $1`+ngoOnly+`
		),
		page AS (
			SELECT n.id, n.name_zh, n.name_en,
			       coalesce(a.done, 0) AS done, coalesce(a.partly, 0) AS partly,
			       coalesce(a.not_done, 0) AS not_done, coalesce(a.not_reported, 0) AS not_reported,
			       count(*) OVER () AS total
			FROM members m
			JOIN ngos n ON n.id = m.ngo_id
			LEFT JOIN result_figures a ON a.session_id = $1 AND a.dimension = 'all' AND a.key = 0 AND a.ngo_id = m.ngo_id
			ORDER BY CASE WHEN $3::boolean THEN a.done::float8 / (a.done + a.partly + a.not_done + a.not_reported) END DESC NULLS LAST,
			         CASE WHEN $4::boolean THEN n.name_en END, n.name_zh, n.id
			LIMIT $5 OFFSET $6
		)
		SELECT p.id, p.name_zh, p.name_en,
		       coalesce((SELECT r.status FROM sessions se JOIN reports r ON r.cycle_id = se.cycle_id
		                 WHERE se.id = $1 AND r.ngo_id = p.id), ''),
		       p.done, p.partly, p.not_done, p.not_reported, p.total
		FROM page p
		ORDER BY CASE WHEN $3::boolean THEN p.done::float8 / nullif(p.done + p.partly + p.not_done + p.not_reported, 0) END DESC NULLS LAST,
		         CASE WHEN $4::boolean THEN p.name_en END, p.name_zh, p.id`,
		f.SessionID, f.NGOID, f.Sort == portal.ResultsByRate, f.English, limit, f.Offset)
	return collectResultsNGOs(rows, err, f)
}

// resultsNGOsByName is ResultsNGOs in name order. The invited NGOs are
// the session's rows of readiness_rows (migrations 00022 and 00029), whose
// name indexes give a page in order without sorting every NGO with ICU
// comparisons; the few others (addressed by a request or with items, not
// invited: result_others, migration 00030) are sorted apart, and the two
// are merged.
func (db *DB) resultsNGOsByName(ctx context.Context, f ResultsNGOFilter, limit any) ([]portal.NGOResult, int, error) {
	order := func(zh, en, id string) string {
		if f.English {
			return en + ", " + zh + ", " + id
		}
		return zh + ", " + id
	}
	rows, err := db.pool.Query(ctx, `
		WITH others AS (
			SELECT ngo_id FROM result_others WHERE session_id = $1 AND ($2::bigint = 0 OR ngo_id = $2::bigint)
		),
		page AS (
			SELECT m.id, m.name_zh, m.name_en
			FROM (
				(SELECT b.ngo_id AS id, b.name_zh, b.name_en FROM readiness_rows b
				 WHERE b.session_id = $1 AND ($2::bigint = 0 OR b.ngo_id = $2::bigint)
				 ORDER BY `+order("b.name_zh", "b.name_en", "b.ngo_id")+`
				 LIMIT $3::bigint + $4::bigint)
				UNION ALL
				(SELECT n.id, n.name_zh, n.name_en FROM others o JOIN ngos n ON n.id = o.ngo_id
				 ORDER BY `+order("n.name_zh", "n.name_en", "n.id")+`
				 LIMIT $3::bigint + $4::bigint)
			) m
			ORDER BY `+order("m.name_zh", "m.name_en", "m.id")+`
			LIMIT $3::bigint OFFSET $4::bigint
		)
		SELECT p.id, p.name_zh, p.name_en,
		       coalesce((SELECT r.status FROM sessions se JOIN reports r ON r.cycle_id = se.cycle_id
		                 WHERE se.id = $1 AND r.ngo_id = p.id), ''),
		       coalesce(a.done, 0), coalesce(a.partly, 0), coalesce(a.not_done, 0), coalesce(a.not_reported, 0),
		       (SELECT count(*) FROM readiness_rows WHERE session_id = $1 AND ($2::bigint = 0 OR ngo_id = $2::bigint))
		       + (SELECT count(*) FROM others)
		FROM page p
		-- one look-up per NGO of the page (LIMIT 1 keeps the planner, which
		-- expects fewer rows per dimension, from reading all the session's)
		LEFT JOIN LATERAL (
			SELECT a.done, a.partly, a.not_done, a.not_reported FROM result_figures a
			WHERE a.session_id = $1 AND a.dimension = 'all' AND a.key = 0 AND a.ngo_id = p.id
			LIMIT 1
		) a ON true
		ORDER BY `+order("p.name_zh", "p.name_en", "p.id"),
		f.SessionID, f.NGOID, limit, f.Offset)
	return collectResultsNGOs(rows, err, f)
}

// collectResultsNGOs reads the rows of ResultsNGOs' statements.
func collectResultsNGOs(rows pgx.Rows, err error, f ResultsNGOFilter) ([]portal.NGOResult, int, error) {
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
//
// The statement holds a condition only for the filters that are set, each
// where the items are read: the NGOs', and for one request's items
// (f.RequestID not 0) the request's links, so that it reads those links
// rather than every item of the NGOs shown. Conditions such as
// "$3 = 0 OR ...", which a prepared statement's generic plan can't drop,
// made a request's page read every item of its NGOs and compare each
// NGO with the page's 100 (15 ms against 3 ms at 2,000 NGOs).
func (db *DB) ResultsItems(ctx context.Context, f ResultsItemFilter) ([]portal.ResultsItem, error) {
	args := []any{f.SessionID}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	var ngoConds []string
	if f.NGOID != 0 {
		ngoConds = append(ngoConds, "NGO = "+arg(f.NGOID)+"::bigint")
	}
	if f.NGOIDs != nil {
		ngoConds = append(ngoConds, "NGO = ANY ("+arg(f.NGOIDs)+"::bigint[])")
	}
	ngoCond := strings.Join(ngoConds, " AND ")
	itemCond := ""
	if f.RequestID != 0 {
		// An array, not IN (...), so that the items are looked up by key.
		itemCond = `ITEM = ANY (ARRAY(
			SELECT l.plan_item_id
			FROM session_requests q JOIN report_plan_item_requests l ON l.request_id = q.id
			WHERE q.session_id = $1 AND q.id = ` + arg(f.RequestID) + `::bigint` + andCond(ngoCond, "l.ngo_id") + `))`
	}
	order := `n.name_zh, n.id`
	if f.English {
		order = `n.name_en, n.name_zh, n.id`
	}
	rows, err := db.pool.Query(ctx, `
		WITH `+resultsScope(ngoCond, itemCond)+`,
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
		WHERE (i.counted OR nb.plan_item_id IS NOT NULL)`+andCond(ngoCond, "i.ngo_id")+`
		ORDER BY `+order+`, i.source DESC, i.position`, args...)
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
// ResultsItems. The NGOs and their answers are the request's rows of
// request_result_rows (migration 00030).
func (db *DB) ResultsRequestNGOs(ctx context.Context, sessionID, requestID int64, english bool, limit, offset int) ([]portal.RequestNGO, int, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT n.id, n.name_zh, n.name_en,
		       CASE WHEN x.planned THEN 'planned' WHEN x.nothing THEN 'nothing' ELSE 'none' END,
		       CASE WHEN x.nothing
		            THEN coalesce((SELECT rr.reason FROM request_responses rr
		                           WHERE rr.request_id = x.request_id AND rr.ngo_id = x.ngo_id), '')
		            ELSE '' END,
		       count(*) OVER ()
		FROM request_result_rows x
		JOIN ngos n ON n.id = x.ngo_id
		WHERE x.session_id = $1 AND x.request_id = $2
		ORDER BY CASE WHEN x.planned THEN 1 WHEN x.nothing THEN 2 ELSE 3 END,
		         CASE WHEN $3::boolean THEN n.name_en END, n.name_zh, n.id
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
		WITH planned AS (
			SELECT key AS request_id FROM result_figures WHERE session_id = $1 AND dimension = 'request' AND ngo_id = $2
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
