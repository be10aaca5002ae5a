package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// SummaryPreview returns the summary of a session and everything its public
// page shows, whatever the summary's status: the same data as
// PublishedSummaryBySlug, for the admin's preview of a draft. ErrNotFound
// when the session has no summary. Four queries in one read-only snapshot.
func (db *DB) SummaryPreview(ctx context.Context, sessionID int64) (portal.PublicSummary, error) {
	var p portal.PublicSummary
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	err := pgx.BeginTxFunc(ctx, db.pool, opts, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			SELECT `+summaryColumns+`, `+sessionColumns+`
			FROM summaries m JOIN sessions s ON s.id = m.session_id
			LEFT JOIN reporting_cycles c ON c.id = s.cycle_id
			WHERE s.id = $1`, sessionID).
			Scan(append(summaryScanArgs(&p.Summary), sessionScanArgs(&p.Session)...)...)
		if err != nil {
			return translate(err)
		}
		if p.Officials, err = sessionOfficials(ctx, tx, p.Session.ID); err != nil {
			return err
		}
		// The same NGO list as the public page, links to the directory
		// included, so that the preview shows what the public will see.
		rows, err := tx.Query(ctx, `
			SELECT n.name_zh, n.name_en, CASE WHEN`+publicNGO+` THEN n.slug ELSE '' END
			FROM invitations i JOIN ngos n ON n.id = i.ngo_id
			WHERE i.session_id = $1 AND i.withdrawn_at IS NULL AND i.attendance = 'present'
			ORDER BY n.id`, p.Session.ID)
		if err != nil {
			return fmt.Errorf("NGOs present: %w", err)
		}
		if p.Attendees, err = pgx.CollectRows(rows, pgx.RowToStructByPos[portal.PublicNGORef]); err != nil {
			return fmt.Errorf("NGOs present: %w", err)
		}
		p.Requests, err = sessionRequests(ctx, tx, p.Session.ID)
		return err
	})
	if err != nil {
		return portal.PublicSummary{}, fmt.Errorf("summary preview of session %d: %w", sessionID, err)
	}
	return p, nil
}
