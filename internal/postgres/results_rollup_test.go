package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/pgtest"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// checkResultFigures holds result_figures (kept by triggers) to what
// result_figures_of computes from the base tables for every pair of a
// session and an NGO, and the figures the pages read from it to the plan
// items the item lists judge one by one (ResultsItems, which computes each
// outcome from the reports themselves).
func checkResultFigures(t *testing.T, db *postgres.DB, step string) {
	t.Helper()
	ctx := t.Context()
	var stale int
	err := db.Pool().QueryRow(ctx, `
		WITH fresh AS (
			SELECT * FROM result_figures_of(
				(SELECT array_agg(s.id) FROM sessions s CROSS JOIN ngos n),
				(SELECT array_agg(n.id) FROM sessions s CROSS JOIN ngos n))
		)
		SELECT count(*) FROM (
			(TABLE result_figures EXCEPT ALL TABLE fresh)
			UNION ALL
			(TABLE fresh EXCEPT ALL TABLE result_figures)
		) d`).Scan(&stale)
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	if stale != 0 {
		t.Errorf("%s: %d rows of result_figures differ from result_figures_of", step, stale)
	}
	// The log of the totals sums to the NGOs' figures.
	err = db.Pool().QueryRow(ctx, `
		WITH logged AS (
			SELECT session_id, dimension, key, sum(done) AS done, sum(partly) AS partly,
			       sum(not_done) AS not_done, sum(not_reported) AS not_reported
			FROM result_totals GROUP BY 1, 2, 3
			HAVING sum(done) <> 0 OR sum(partly) <> 0 OR sum(not_done) <> 0 OR sum(not_reported) <> 0
		), summed AS (
			SELECT session_id, dimension, key, sum(done) AS done, sum(partly) AS partly,
			       sum(not_done) AS not_done, sum(not_reported) AS not_reported
			FROM result_figures WHERE dimension <> 'request' GROUP BY 1, 2, 3
		)
		SELECT count(*) FROM ((TABLE logged EXCEPT TABLE summed) UNION ALL (TABLE summed EXCEPT TABLE logged)) d`).Scan(&stale)
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	if stale != 0 {
		t.Errorf("%s: %d totals of result_totals differ from the sums of result_figures", step, stale)
	}
	if drift := resultMembersDrift(t, db); len(drift) > 0 {
		t.Errorf("%s: the results' kept rows differ:\n%s", step, strings.Join(drift, "\n"))
	}

	var sessions []int64
	rows, err := db.Pool().Query(ctx, `SELECT id FROM sessions ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		sessions = append(sessions, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, s := range sessions {
		items, err := db.ResultsItems(ctx, postgres.ResultsItemFilter{SessionID: s})
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		count := func(c *portal.OutcomeCounts, outcome portal.Outcome) {
			switch outcome {
			case portal.OutcomeDone:
				c.Done++
			case portal.OutcomePartly:
				c.Partly++
			case portal.OutcomeNotDone:
				c.NotDone++
			default:
				c.NotReported++
			}
		}
		byNGO := map[int64]portal.OutcomeCounts{}
		var total portal.OutcomeCounts
		byNumber := map[int]portal.OutcomeCounts{}
		pending := map[int]int{}
		for _, it := range items {
			if it.Counted {
				c := byNGO[it.NGOID]
				count(&c, it.Outcome)
				byNGO[it.NGOID] = c
				count(&total, it.Outcome)
			}
			for _, n := range it.Requests {
				c := byNumber[n]
				count(&c, it.Outcome)
				byNumber[n] = c
				if !it.Counted {
					pending[n]++
				}
			}
		}
		ngos, _, err := db.ResultsNGOs(ctx, postgres.ResultsNGOFilter{SessionID: s})
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		for _, n := range ngos {
			if n.Outcomes != byNGO[n.NGOID] {
				t.Errorf("%s: session %d, NGO %s: figures %+v, items %+v", step, s, n.NameEN, n.Outcomes, byNGO[n.NGOID])
			}
		}
		totals, err := db.ResultsTotals(ctx, s)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if totals.Total != total {
			t.Errorf("%s: session %d: total %+v, items %+v", step, s, totals.Total, total)
		}
		reqs, err := db.ResultsRequests(ctx, s, 0)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		for _, q := range reqs {
			if q.Outcomes != byNumber[q.Number] || q.Pending != pending[q.Number] {
				t.Errorf("%s: session %d, request %d: figures %+v pending %d, items %+v pending %d",
					step, s, q.Number, q.Outcomes, q.Pending, byNumber[q.Number], pending[q.Number])
			}
		}
	}
}

// Every kind of write the figures depend on leaves result_figures as a
// fresh computation would, and the pages' figures agree with the items.
func TestResultFiguresFollowWrites(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	f := pgtest.NewResultsFixture(t, db)
	d := testDB{db: db}
	check := func(step string) {
		t.Helper()
		checkResultFigures(t, db, step)
		// The readiness board's rows and answer counts (migration 00022)
		// follow the same writes.
		if drift := readinessCountsDrift(t, d); len(drift) > 0 {
			t.Errorf("%s: the readiness board's kept rows differ:\n%s", step, strings.Join(drift, "\n"))
		}
	}
	report := func(cycle, ngo int64) string {
		return fmt.Sprintf(`(SELECT id FROM reports WHERE cycle_id = %d AND ngo_id = %d)`, cycle, ngo)
	}
	check("fixture")
	// Fold the log of totals after a few changes, so that the steps below
	// fold it often.
	d.exec(t, `CREATE OR REPLACE FUNCTION result_totals_max() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 3'`)

	d.exec(t, `UPDATE reports SET status = 'accepted', accepted_at = now() WHERE id = `+report(f.NextCycle, f.A))
	check("A's next report accepted: A1 and A2 get their outcomes")
	d.exec(t, `UPDATE reports SET status = 'returned', accepted_at = NULL WHERE id = `+report(f.Cycle, f.B))
	check("B's report returned: its items no longer count")
	d.exec(t, `UPDATE reports SET status = 'accepted', accepted_at = now() WHERE id = `+report(f.Cycle, f.D))
	check("D's report accepted")

	d.exec(t, `UPDATE report_progress SET status = 'not_done' WHERE previous_plan_item_id = $1`, f.B3)
	check("an outcome changed")
	d.exec(t, `INSERT INTO report_progress (report_id, position, previous_plan_item_id, title, status)
		VALUES (`+report(f.NextCycle, f.B)+`, 9, $1, 'x', 'done')`, f.B1)
	check("a second progress row for an item (the first still counts)")
	d.exec(t, `DELETE FROM report_progress WHERE previous_plan_item_id = $1 AND position = 1`, f.B1)
	check("the first progress row removed: the second counts")

	d.exec(t, `INSERT INTO report_plan_item_themes (plan_item_id, theme_id) VALUES ($1, $2)`, f.D1, f.Theme2)
	check("a theme added")
	d.exec(t, `UPDATE report_plan_items SET key_project_id = $2 WHERE id = $1`, f.D1, f.Project2)
	check("a key project set")
	d.exec(t, `DELETE FROM report_plan_item_themes WHERE theme_id = $1`, f.Theme1)
	check("a theme taken off every item")
	d.exec(t, `UPDATE report_plan_items SET key_project_id = NULL WHERE key_project_id = $1`, f.Project2)
	check("a key project taken off every item")

	d.exec(t, `INSERT INTO report_plan_item_requests (plan_item_id, request_id) VALUES ($1, $2)`, f.B1, f.Q2)
	check("an item linked to a second request")
	d.exec(t, `DELETE FROM report_plan_item_requests WHERE plan_item_id = $1 AND request_id = $2`, f.A1, f.Q1)
	check("a link removed")

	d.exec(t, `INSERT INTO plan_addenda (session_id, ngo_id) VALUES ($1, $2)`, f.Session, f.C)
	d.exec(t, `INSERT INTO report_plan_items (addendum_id, position, title)
		SELECT id, 1, '补充计划' FROM plan_addenda WHERE ngo_id = $1`, f.C)
	d.exec(t, `INSERT INTO report_plan_item_requests (plan_item_id, request_id)
		SELECT p.id, $2 FROM report_plan_items p JOIN plan_addenda a ON a.id = p.addendum_id WHERE a.ngo_id = $1`, f.C, f.Q1)
	check("C adds an addendum item for Q1")
	d.exec(t, `DELETE FROM report_progress WHERE previous_plan_item_id = $1`, f.B3)
	check("an addendum item's outcome removed")
	d.exec(t, `DELETE FROM report_plan_items WHERE id = $1`, f.B3)
	check("an addendum item removed")
	d.exec(t, `DELETE FROM plan_addenda WHERE ngo_id = $1`, f.C)
	check("an addendum removed")

	d.exec(t, `UPDATE request_responses SET nothing_planned = false WHERE request_id = $1 AND ngo_id = $2`, f.Q1, f.C)
	check("an answer of nothing planned taken back")
	d.exec(t, `UPDATE request_responses SET nothing_planned = true WHERE request_id = $1 AND ngo_id = $2`, f.Q1, f.C)
	check("and given again")
	d.exec(t, `UPDATE session_requests SET addressed_to_all = NOT addressed_to_all WHERE id = $1`, f.Q1)
	check("a request addressed otherwise")
	d.exec(t, `UPDATE session_requests SET addressed_to_all = NOT addressed_to_all WHERE id = $1`, f.Q1)
	check("and back")
	d.exec(t, `INSERT INTO request_recipients (request_id, ngo_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, f.Q2, f.D)
	check("a recipient added")
	d.exec(t, `UPDATE invitations SET withdrawn_at = now() WHERE session_id = $1 AND ngo_id = $2`, f.Session, f.D)
	check("an invitation withdrawn")
	d.exec(t, `UPDATE invitations SET withdrawn_at = NULL, reply = 'declined', decline_reason = '另有安排' WHERE session_id = $1 AND ngo_id = $2`, f.Session, f.D)
	check("invited again, and declined")
	d.exec(t, `INSERT INTO session_requests (session_id, number, text_zh, text_en, addressed_to_all) VALUES ($1, 9, '新要求', 'A new request', true)`, f.Session)
	check("a request to all added")

	d.exec(t, `DELETE FROM report_plan_item_requests WHERE request_id = $1`, f.Q2)
	d.exec(t, `DELETE FROM session_requests WHERE id = $1`, f.Q2)
	check("a request deleted")

	d.exec(t, `UPDATE reporting_cycles SET review_year = 2043, plan_year = 2044 WHERE id = $1`, f.NextCycle)
	check("the next cycle's year changed: no outcomes")
	d.exec(t, `UPDATE reporting_cycles SET review_year = 2041, plan_year = 2042 WHERE id = $1`, f.NextCycle)
	check("and back")
	d.exec(t, `UPDATE sessions SET cycle_id = $2 WHERE id = $1`, f.Session, f.NextCycle)
	check("the session moved to the next cycle")
	d.exec(t, `UPDATE sessions SET cycle_id = $2 WHERE id = $1`, f.Session, f.Cycle)
	check("and back")

	d.exec(t, `DELETE FROM reports WHERE id = `+report(f.NextCycle, f.B))
	check("B's next report deleted")
	d.exec(t, `DELETE FROM reports WHERE id = `+report(f.NextCycle, f.A))
	d.exec(t, `DELETE FROM reports WHERE id = `+report(f.Cycle, f.A))
	check("A's report deleted")
	pgtest.AddResultsNGOs(t, db, f, 5, 3, "more")
	check("five NGOs added in one statement")
	var rows int
	if err := db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM result_totals`).Scan(&rows); err != nil || rows > 3+12 {
		t.Errorf("result_totals has %d rows (%v): not folded", rows, err)
	}
}

// Writers that change the figures of the same NGO at once, each in its
// own transaction, all succeed (the first figures of a pair are inserted
// once), and the figures are those of all their writes.
func TestResultFiguresConcurrentWrites(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	f := pgtest.NewResultsFixture(t, db)
	ctx := t.Context()
	d := testDB{db: db}
	// E has no figures yet: its first ones are written by all at once.
	d.exec(t, `INSERT INTO plan_addenda (session_id, ngo_id) VALUES ($1, $2)`, f.Session, f.E)
	// Writers also fold the log of totals at once.
	d.exec(t, `CREATE OR REPLACE FUNCTION result_totals_max() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 2'`)
	const writers = 8
	var wg sync.WaitGroup
	errs := make(chan error, 2*writers)
	start := make(chan struct{})
	write := func(ngo int64, pos int) error {
		tx, err := db.Pool().Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(context.WithoutCancel(ctx))
		var item int64
		if err := tx.QueryRow(ctx, `INSERT INTO report_plan_items (addendum_id, position, title)
			SELECT id, $2, '并发计划' FROM plan_addenda WHERE session_id = $3 AND ngo_id = $1 RETURNING id`,
			ngo, pos, f.Session).Scan(&item); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT pg_sleep(0.02)`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO report_plan_item_requests (plan_item_id, request_id) VALUES ($1, $2)`, item, f.Q1); err != nil {
			return err
		}
		return tx.Commit(ctx)
	}
	for i := range writers {
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-start
			errs <- write(f.E, i+1)
		}()
		// B's addendum, at the same time: another NGO of the session.
		go func() {
			defer wg.Done()
			<-start
			errs <- write(f.B, i+10)
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	checkResultFigures(t, db, "after concurrent writes")
	var done, items int
	if err := db.Pool().QueryRow(ctx, `SELECT done + partly + not_done + not_reported, pending FROM result_figures
		WHERE session_id = $1 AND dimension = 'request' AND key = $2 AND ngo_id = $3`, f.Session, f.Q1, f.E).Scan(&items, &done); err != nil {
		t.Fatal(err)
	}
	if items != writers {
		t.Errorf("E's items for Q1: %d, want %d", items, writers)
	}
}

// resultMembersDrift lists, one line each, the rows of request_result_rows
// and result_others (migration 00030) that differ from their definitions,
// request_result_rows_of and result_others_of, over every pair of a
// session and an NGO; and the requests' figures and the NGOs not invited
// that differ from what the results page computed from the base tables
// and result_figures before the tables were kept. Empty when they all
// agree.
func resultMembersDrift(t *testing.T, db *postgres.DB) []string {
	t.Helper()
	rows, err := db.Pool().Query(t.Context(), `
		WITH pairs AS (
			SELECT array_agg(s.id) AS s, array_agg(n.id) AS n FROM sessions s CROSS JOIN ngos n
		),
		-- the requests' figures as the page computed them
		addressed AS (
			SELECT q.id AS request_id, i.ngo_id
			FROM session_requests q JOIN invitations i ON i.session_id = q.session_id AND i.withdrawn_at IS NULL
			WHERE q.addressed_to_all
			UNION ALL
			SELECT q.id, rc.ngo_id
			FROM session_requests q JOIN request_recipients rc ON rc.request_id = q.id
			WHERE NOT q.addressed_to_all
		),
		answered AS (
			SELECT ad.request_id, count(*) AS addressed, count(f.ngo_id) AS planned,
			       count(*) FILTER (WHERE f.ngo_id IS NULL AND rr.ngo_id IS NOT NULL) AS nothing
			FROM addressed ad
			JOIN session_requests q ON q.id = ad.request_id
			LEFT JOIN result_figures f ON f.session_id = q.session_id AND f.dimension = 'request' AND f.key = ad.request_id AND f.ngo_id = ad.ngo_id
			LEFT JOIN request_responses rr ON rr.request_id = ad.request_id AND rr.ngo_id = ad.ngo_id AND rr.nothing_planned
			GROUP BY ad.request_id
		),
		figures AS (
			SELECT f.key AS request_id, count(*) AS ngos, sum(f.pending) AS pending,
			       sum(f.done) AS done, sum(f.partly) AS partly, sum(f.not_done) AS not_done, sum(f.not_reported) AS not_reported
			FROM result_figures f JOIN session_requests q ON q.id = f.key AND q.session_id = f.session_id
			WHERE f.dimension = 'request'
			GROUP BY f.key
		),
		computed AS (
			SELECT q.id, coalesce(a.addressed, 0) AS addressed, coalesce(a.planned, 0) AS planned, coalesce(a.nothing, 0) AS nothing,
			       coalesce(f.ngos, 0) AS ngos, coalesce(f.pending, 0) AS pending, coalesce(f.done, 0) AS done,
			       coalesce(f.partly, 0) AS partly, coalesce(f.not_done, 0) AS not_done, coalesce(f.not_reported, 0) AS not_reported
			FROM session_requests q
			LEFT JOIN answered a ON a.request_id = q.id
			LEFT JOIN figures f ON f.request_id = q.id
		),
		kept AS (
			SELECT q.id, count(t.ngo_id) FILTER (WHERE t.addressed) AS addressed,
			       count(t.ngo_id) FILTER (WHERE t.addressed AND t.planned) AS planned,
			       count(t.ngo_id) FILTER (WHERE t.nothing) AS nothing,
			       count(t.ngo_id) FILTER (WHERE t.planned) AS ngos, coalesce(sum(t.pending), 0) AS pending,
			       coalesce(sum(t.done), 0) AS done, coalesce(sum(t.partly), 0) AS partly,
			       coalesce(sum(t.not_done), 0) AS not_done, coalesce(sum(t.not_reported), 0) AS not_reported
			FROM session_requests q
			LEFT JOIN request_result_rows t ON t.session_id = q.session_id AND t.request_id = q.id
			GROUP BY q.id
		),
		-- the NGOs not invited as the page computed them
		others AS (
			SELECT q.session_id, rc.ngo_id FROM session_requests q JOIN request_recipients rc ON rc.request_id = q.id
			WHERE NOT q.addressed_to_all
			UNION
			SELECT session_id, ngo_id FROM result_figures WHERE dimension IN ('all', 'request')
			EXCEPT
			SELECT session_id, ngo_id FROM invitations WHERE withdrawn_at IS NULL
		)
		SELECT 'request result row of session ' || coalesce(k.session_id, c.session_id) || ', request '
		       || coalesce(k.request_id, c.request_id) || ', NGO ' || coalesce(k.ngo_id, c.ngo_id)
		       || ': kept ' || coalesce(k::text, 'none') || ', computed ' || coalesce(c::text, 'none')
		FROM request_result_rows k
		FULL JOIN (SELECT f.* FROM pairs, request_result_rows_of(pairs.s, pairs.n) f) c
		  ON c.session_id = k.session_id AND c.request_id = k.request_id AND c.ngo_id = k.ngo_id
		WHERE k::text IS DISTINCT FROM c::text
		UNION ALL
		SELECT 'request ' || c.id || ': kept sums ' || k::text || ', computed ' || c::text
		FROM computed c JOIN kept k ON k.id = c.id
		WHERE k::text IS DISTINCT FROM c::text
		UNION ALL
		SELECT 'result other of session ' || coalesce(k.session_id, c.session_id) || ', NGO ' || coalesce(k.ngo_id, c.ngo_id)
		       || ': kept ' || (k.ngo_id IS NOT NULL) || ', computed ' || (c.ngo_id IS NOT NULL)
		FROM result_others k
		FULL JOIN (SELECT f.* FROM pairs, result_others_of(pairs.s, pairs.n) f) c
		  ON c.session_id = k.session_id AND c.ngo_id = k.ngo_id
		WHERE k.ngo_id IS NULL OR c.ngo_id IS NULL
		UNION ALL
		SELECT 'NGO not invited ' || coalesce(k.ngo_id, c.ngo_id) || ' of session ' || coalesce(k.session_id, c.session_id)
		       || ': kept ' || (k.ngo_id IS NOT NULL) || ', computed ' || (c.ngo_id IS NOT NULL)
		FROM result_others k
		FULL JOIN others c ON c.session_id = k.session_id AND c.ngo_id = k.ngo_id
		WHERE k.ngo_id IS NULL OR c.ngo_id IS NULL`)
	if err != nil {
		t.Fatal(err)
	}
	drift, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return drift
}
