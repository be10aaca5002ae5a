package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// A report of cycle N+1 gives the outcome (report_progress) of each plan
// item NGO n made for plan year N+1: the items of n's accepted report of
// cycle N, then the items of n's plan addendum for the session tied to
// cycle N, each in its own position order. The rows are listed when the
// report is started (carryOver) and again on every save (syncProgress),
// because an addendum item may be added after the report was started.

// previousPlanItems selects the plan items NGO $2 made for the plan year
// of cycle $3 (the previous cycle) and session $4 (the session tied to it):
// id, title and an order key, report items first, then addendum items.
const previousPlanItems = `
	SELECT p.id, p.title, 0 AS source, p.position
	FROM report_plan_items p JOIN reports pr ON pr.id = p.report_id
	WHERE pr.cycle_id = $3 AND pr.ngo_id = $2 AND pr.status = 'accepted'
	UNION ALL
	SELECT p.id, p.title, 1, p.position
	FROM report_plan_items p JOIN plan_addenda a ON a.id = p.addendum_id
	WHERE a.session_id = $4 AND a.ngo_id = $2`

// addMissingProgress lists on report $1 of NGO ngoID, in one statement,
// every plan item of the previous plan year (previousPlanItems of cycle
// prevCycleID and session prevSessionID, 0 for none) that has no progress
// row yet, after the rows it has. It never removes or changes a row, so it
// may run on every save; the caller holds the report row's lock (the saves
// take it FOR UPDATE), so two saves cannot both add the same item. It
// returns how many rows it added.
//
// The items it lists are locked FOR KEY SHARE as they are read. An item
// that a concurrent removal (releaseProgressRows, then DELETE) is deleting
// is waited for and then left out, rather than listed and refused by the
// foreign key check after the removal commits; and an item listed here
// cannot be deleted until the save commits.
func addMissingProgress(ctx context.Context, q querier, reportID, ngoID, prevCycleID, prevSessionID int64) (int64, error) {
	tag, err := q.Exec(ctx, `
		WITH items AS (
			SELECT p.id, p.title, (p.addendum_id IS NOT NULL)::int AS source, p.position
			FROM report_plan_items p
			WHERE p.id IN (SELECT i.id FROM (`+previousPlanItems+`) i)
			  AND NOT EXISTS (SELECT 1 FROM report_progress x
			                  WHERE x.report_id = $1 AND x.previous_plan_item_id = p.id)
			FOR KEY SHARE OF p
		)
		INSERT INTO report_progress (report_id, position, previous_plan_item_id, title)
		SELECT $1, (SELECT coalesce(max(x.position), 0) FROM report_progress x WHERE x.report_id = $1)
		           + row_number() OVER (ORDER BY i.source, i.position), i.id, i.title
		FROM items i`,
		reportID, ngoID, prevCycleID, prevSessionID)
	if err != nil {
		return 0, fmt.Errorf("list plan items on report %d: %w", reportID, err)
	}
	return tag.RowsAffected(), nil
}

// previousCycle returns the cycle before the one of review year year (the
// latest earlier one: years may be skipped) and the session tied to it;
// 0 for either when there is none.
func previousCycle(ctx context.Context, q querier, year int) (cycleID, sessionID int64, err error) {
	err = q.QueryRow(ctx, `
		SELECT c.id, coalesce(s.id, 0)
		FROM reporting_cycles c LEFT JOIN sessions s ON s.cycle_id = c.id
		WHERE c.review_year < $1
		ORDER BY c.review_year DESC
		LIMIT 1`, year).Scan(&cycleID, &sessionID)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("cycle before %d: %w", year, err)
	}
	return cycleID, sessionID, nil
}

// syncProgress adds to editable report r, whose row the caller has locked,
// the progress rows of plan items that appeared since it was started (an
// addendum item added, a report accepted late) and audits the addition
// as a save. It returns how many it added; r is not changed.
func syncProgress(ctx context.Context, tx pgx.Tx, a portal.Actor, r portal.Report) (int64, error) {
	prevCycleID, prevSessionID, err := previousCycle(ctx, tx, r.ReviewYear)
	if err != nil || prevCycleID == 0 {
		return 0, err
	}
	added, err := addMissingProgress(ctx, tx, r.ID, r.NGOID, prevCycleID, prevSessionID)
	if err != nil || added == 0 {
		return 0, err
	}
	err = writeAudit(ctx, tx, a, portal.AuditEvent{
		Action: portal.AuditReportSaved, ObjectType: portal.AuditObjectReport, ObjectID: r.ID, NGOID: r.NGOID,
		Changes: map[string]portal.Change{
			"progress_items": {Before: int64(len(r.Progress)), After: int64(len(r.Progress)) + added},
		},
	})
	if err != nil {
		return 0, err
	}
	return added, nil
}

// releaseProgressRows clears the way for deleting the plan items planItemIDs
// (addendum items; report_progress.previous_plan_item_id has no ON DELETE
// action): the blank progress rows that next year's draft or returned
// reports hold for them are deleted, so the NGO is no longer asked about an
// item it withdrew, and each report so changed is audited as saved by a.
// When a progress row for one of them has an answer (a status or a note)
// or belongs to a submitted or accepted report, the outcome is on record:
// nothing is deleted and the result is ErrOutcomeOnRecord (an ErrConflict). Call it in the
// transaction that deletes the items, before deleting them.
//
// The items are locked first, so a save adding a progress row for one of
// them (addMissingProgress) either committed before and is seen here, or
// waits and then fails its foreign key check rather than refer to a
// deleted item.
func releaseProgressRows(ctx context.Context, tx pgx.Tx, a portal.Actor, planItemIDs []int64) error {
	if len(planItemIDs) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `
		SELECT id FROM report_plan_items WHERE id = ANY($1) ORDER BY id FOR UPDATE`, planItemIDs); err != nil {
		return fmt.Errorf("lock plan items %v: %w", planItemIDs, err)
	}
	var kept int64
	err := tx.QueryRow(ctx, `
		SELECT count(*) FROM report_progress x JOIN reports r ON r.id = x.report_id
		WHERE x.previous_plan_item_id = ANY($1)
		  AND (x.status <> '' OR x.note <> '' OR r.status NOT IN ('draft', 'returned'))`, planItemIDs).Scan(&kept)
	if err != nil {
		return fmt.Errorf("outcomes of plan items %v: %w", planItemIDs, err)
	}
	if kept > 0 {
		return fmt.Errorf("plan items %v have %d outcomes on record: %w", planItemIDs, kept, portal.ErrOutcomeOnRecord)
	}
	rows, err := tx.Query(ctx, `
		WITH gone AS (
			DELETE FROM report_progress WHERE previous_plan_item_id = ANY($1) RETURNING report_id
		)
		SELECT g.report_id, r.ngo_id, count(*),
		       (SELECT count(*) FROM report_progress x WHERE x.report_id = g.report_id)
		FROM gone g JOIN reports r ON r.id = g.report_id
		GROUP BY g.report_id, r.ngo_id
		ORDER BY g.report_id`, planItemIDs)
	if err != nil {
		return fmt.Errorf("release progress rows of plan items %v: %w", planItemIDs, err)
	}
	type released struct{ reportID, ngoID, removed, before int64 }
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (released, error) {
		var x released
		err := row.Scan(&x.reportID, &x.ngoID, &x.removed, &x.before)
		return x, err
	})
	if err != nil {
		return fmt.Errorf("release progress rows of plan items %v: %w", planItemIDs, err)
	}
	for _, x := range list {
		// The data-modifying CTE's rows are still visible to the outer
		// query's count, which is therefore the count before the delete.
		err := writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditReportSaved, ObjectType: portal.AuditObjectReport, ObjectID: x.reportID, NGOID: x.ngoID,
			Changes: map[string]portal.Change{"progress_items": {Before: x.before, After: x.before - x.removed}},
		})
		if err != nil {
			return err
		}
	}
	return nil
}
