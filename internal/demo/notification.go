package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// EnglishStaffEmail is the demo account that prefers English: its email
// (kept in the mail log while no SMTP server is configured) is written in
// English.
var EnglishStaffEmail = StaffEmail(3)

// seedNotifications gives the demo's accounts the notices the open 2026
// cycle's steps would have made, dated as those steps: the admin's of
// ngo02's and ngo03's submissions, ngo03's staff's of the return. A notice
// someone has since acted on (a submission that was reviewed) is read; the
// others are unread. Each notice queues an email, which the mail worker
// renders when the portal runs.
func seedNotifications(ctx context.Context, tx postgres.Tx) error {
	if _, err := tx.Exec(ctx, `UPDATE users SET locale = 'en' WHERE email = $1 AND locale <> 'en'`, EnglishStaffEmail); err != nil {
		return fmt.Errorf("seed notifications: language: %w", err)
	}
	rows, err := tx.Query(ctx, `
		SELECT r.id, r.ngo_id, c.review_year, r.version, e.action, e.at,
		       (SELECT min(l.at) FROM report_events l WHERE l.report_id = e.report_id AND l.at > e.at)
		FROM report_events e
		JOIN reports r ON r.id = e.report_id
		JOIN reporting_cycles c ON c.id = r.cycle_id
		WHERE c.review_year = 2026 AND e.action IN ('submitted', 'resubmitted', 'returned', 'accepted')
		ORDER BY e.at, e.id`)
	if err != nil {
		return fmt.Errorf("seed notifications: %w", err)
	}
	type step struct {
		r      portal.Report
		action portal.ReportEventAction
		at     time.Time
		next   *time.Time
	}
	steps, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (step, error) {
		var s step
		err := row.Scan(&s.r.ID, &s.r.NGOID, &s.r.ReviewYear, &s.r.Version, &s.action, &s.at, &s.next)
		return s, err
	})
	if err != nil {
		return fmt.Errorf("seed notifications: %w", err)
	}
	for _, s := range steps {
		var kind portal.NotificationKind
		occasion := ""
		switch s.action {
		case portal.EventSubmitted:
			kind = portal.NotifyReportSubmitted
		case portal.EventResubmitted:
			kind, occasion = portal.NotifyReportResubmitted, portal.VersionOccasion(s.r.Version)
		case portal.EventReturned:
			kind, occasion = portal.NotifyReportReturned, portal.VersionOccasion(s.r.Version)
		case portal.EventAccepted:
			kind = portal.NotifyReportAccepted
		}
		if err := tx.NotifyReport(ctx, s.r, kind, occasion); err != nil {
			return err
		}
		// Dated as the step; changed once only, so that a second run (or a
		// notice read since) changes nothing.
		if _, err := tx.Exec(ctx, `
			WITH n AS (
				UPDATE notifications SET created_at = $4, read_at = $5
				WHERE kind = $1 AND object_id = $2 AND occasion = $3 AND created_at <> $4
				RETURNING id)
			UPDATE email_deliveries d SET created_at = $4, updated_at = $4, next_attempt_at = $4
			FROM n WHERE d.notification_id = n.id AND d.status = 'pending'`,
			string(kind), s.r.ID, occasion, s.at, s.next); err != nil {
			return fmt.Errorf("seed notifications: date %s of report %d: %w", kind, s.r.ID, err)
		}
	}
	return nil
}
