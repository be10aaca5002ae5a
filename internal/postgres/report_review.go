package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// ReportByID returns report id with every section, whichever NGO it
// belongs to; ErrNotFound when there is none. For the federation's review
// pages only: staff pages read through ReportFor with their own NGO.
func (db *DB) ReportByID(ctx context.Context, id int64) (portal.Report, error) {
	r, err := loadReport(ctx, db.pool, false, `r.id = $1`, id)
	if err != nil {
		return portal.Report{}, fmt.Errorf("report %d: %w", id, err)
	}
	return r, nil
}

// ReturnReport sends submitted report reportID, seen at version, back to
// its NGO with the reviewer's comment and comments per section (keys from
// portal.ReportSections); at least one of them is required (a
// *ValidationError otherwise). The declaration is cleared: the revised
// report must be declared again. Refused unless the report is submitted
// (ErrReportIllegalStep) and in a closed cycle (ErrCycleClosed: the NGO
// could not resubmit). For admins: not scoped to an NGO.
func (db *DB) ReturnReport(ctx context.Context, a portal.Actor, reportID int64, version int, comment string, sectionComments map[string]string) error {
	comment, sections, err := portal.ValidateReturn(comment, sectionComments)
	if err != nil {
		return err
	}
	return db.Transact(ctx, func(tx pgx.Tx) error {
		r, err := reportHeader(ctx, tx, true, `r.id = $1`, reportID)
		if err != nil {
			return fmt.Errorf("return report %d: %w", reportID, err)
		}
		if err := checkReview(r, version, portal.ReportReturned); err != nil {
			return err
		}
		if r.CycleStatus == portal.CycleClosed {
			return fmt.Errorf("return report %d: %w", reportID, portal.ErrCycleClosed)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE reports SET status = 'returned', declaration = false, declared_by = NULL,
			       version = version + 1, updated_at = now()
			WHERE id = $1`, r.ID); err != nil {
			return fmt.Errorf("return report %d: %w", r.ID, err)
		}
		if err := addReportEvent(ctx, tx, portal.ReportEvent{ReportID: r.ID, ActorID: a.UserID,
			Action: portal.EventReturned, Comment: comment, SectionComments: sections}); err != nil {
			return err
		}
		// A report may be returned more than once: each return is a notice
		// of its own, told apart by the version it made.
		if err := notifyReport(ctx, tx, r, portal.NotifyReportReturned, portal.VersionOccasion(r.Version+1)); err != nil {
			return err
		}
		changes := map[string]portal.Change{
			"status":      {Before: string(r.Status), After: string(portal.ReportReturned)},
			"declaration": {Before: r.Declaration, After: false},
			"comment":     {After: comment},
		}
		for s, c := range sections {
			changes["comment."+s] = portal.Change{After: c}
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditReportReturned, ObjectType: portal.AuditObjectReport, ObjectID: r.ID, NGOID: r.NGOID,
			Changes: changes,
		})
	})
}

// checkReview refuses a review step to status to of report r, seen at
// version: an illegal step, then a stale version.
func checkReview(r portal.Report, version int, to portal.ReportStatus) error {
	if !portal.CanReportStep(r.Status, to) {
		return fmt.Errorf("report %d from %s to %s: %w", r.ID, r.Status, to, portal.ErrReportIllegalStep)
	}
	if r.Version != version {
		return fmt.Errorf("report %d at version %d, now %d: %w", r.ID, version, r.Version, portal.ErrConflict)
	}
	return nil
}

// AcceptReport accepts submitted report reportID, seen at version: final.
// Refused unless the report is submitted (ErrReportIllegalStep); allowed in
// a closed cycle (review goes on after submissions close). For admins: not
// scoped to an NGO.
func (db *DB) AcceptReport(ctx context.Context, a portal.Actor, reportID int64, version int) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		r, err := reportHeader(ctx, tx, true, `r.id = $1`, reportID)
		if err != nil {
			return fmt.Errorf("accept report %d: %w", reportID, err)
		}
		if err := checkReview(r, version, portal.ReportAccepted); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE reports SET status = 'accepted', accepted_at = now(), version = version + 1, updated_at = now()
			WHERE id = $1`, r.ID); err != nil {
			return fmt.Errorf("accept report %d: %w", r.ID, err)
		}
		if err := addReportEvent(ctx, tx, portal.ReportEvent{ReportID: r.ID, ActorID: a.UserID,
			Action: portal.EventAccepted}); err != nil {
			return err
		}
		if err := notifyReport(ctx, tx, r, portal.NotifyReportAccepted, ""); err != nil {
			return err
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditReportAccepted, ObjectType: portal.AuditObjectReport, ObjectID: r.ID, NGOID: r.NGOID,
			Changes: map[string]portal.Change{"status": {Before: string(r.Status), After: string(portal.ReportAccepted)}},
		})
	})
}

// CycleBoard returns one row per NGO for cycle cycleID's review board:
// every active NGO, and any inactive one that has a report in the cycle,
// by Chinese name; ErrNotFound when the cycle does not exist.
func (db *DB) CycleBoard(ctx context.Context, cycleID int64) ([]portal.ReportBoardRow, error) {
	if _, err := cycleByID(ctx, db.pool, cycleID, false); err != nil {
		return nil, err
	}
	rows, err := db.pool.Query(ctx, `
		SELECT n.id, n.name_zh, n.name_en, coalesce(r.id, 0), coalesce(r.status, $2), r.submitted_at,
		       c.deadline, e.deadline
		FROM reporting_cycles c
		CROSS JOIN ngos n
		LEFT JOIN reports r ON r.cycle_id = c.id AND r.ngo_id = n.id
		LEFT JOIN cycle_extensions e ON e.cycle_id = c.id AND e.ngo_id = n.id
		WHERE c.id = $1 AND (n.active OR r.id IS NOT NULL)
		ORDER BY n.name_zh, n.id`, cycleID, string(portal.ReportNotStarted))
	if err != nil {
		return nil, fmt.Errorf("board of cycle %d: %w", cycleID, err)
	}
	now := time.Now()
	board, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.ReportBoardRow, error) {
		var b portal.ReportBoardRow
		var submitted, extension *time.Time
		var deadline time.Time
		if err := row.Scan(&b.NGOID, &b.NGONameZH, &b.NGONameEN, &b.ReportID, &b.Status, &submitted,
			&deadline, &extension); err != nil {
			return b, err
		}
		if submitted != nil {
			b.SubmittedAt = *submitted
		}
		b.Deadline = portal.EffectiveDeadline(deadline, extension)
		b.Extended = extension != nil
		waiting := b.Status == portal.ReportSubmitted || b.Status == portal.ReportAccepted
		b.Overdue = !waiting && portal.DeadlinePassed(b.Deadline, now)
		return b, nil
	})
	if err != nil {
		return nil, fmt.Errorf("board of cycle %d: %w", cycleID, err)
	}
	return board, nil
}
