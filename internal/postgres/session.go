package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// LatestHeldSession returns the most recent session that has taken place,
// with the officials present in order of precedence. ErrNotFound when none
// has been held yet.
func (db *DB) LatestHeldSession(ctx context.Context) (portal.SessionOverview, error) {
	var s portal.SessionOverview
	err := db.pool.QueryRow(ctx, `
		SELECT s.id, s.slug, s.title_zh, s.title_en, s.level, s.held_on,
		       s.venue_zh, s.venue_en, s.status,
		       coalesce(c.review_year, 0), coalesce(c.plan_year, 0)
		FROM sessions s
		LEFT JOIN reporting_cycles c ON c.id = s.cycle_id
		WHERE s.status IN ('held', 'closed')
		ORDER BY s.held_on DESC, s.id DESC
		LIMIT 1`).Scan(&s.ID, &s.Slug, &s.TitleZH, &s.TitleEN, &s.Level, &s.HeldOn,
		&s.VenueZH, &s.VenueEN, &s.Status, &s.ReviewYear, &s.PlanYear)
	if err != nil {
		return portal.SessionOverview{}, fmt.Errorf("latest held session: %w", translate(err))
	}
	rows, err := db.pool.Query(ctx, `
		SELECT o.id, o.name_zh, o.name_en, o.position, o.term_start, o.term_end
		FROM session_officials so
		JOIN officials o ON o.id = so.official_id
		WHERE so.session_id = $1
		ORDER BY array_position(ARRAY['chairperson', 'vice_chairperson', 'secretary_general', 'other'], o.position), o.id`, s.ID)
	if err != nil {
		return portal.SessionOverview{}, fmt.Errorf("officials of session %d: %w", s.ID, err)
	}
	s.Officials, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.Official, error) {
		var o portal.Official
		err := row.Scan(&o.ID, &o.NameZH, &o.NameEN, &o.Position, &o.TermStart, &o.TermEnd)
		return o, err
	})
	if err != nil {
		return portal.SessionOverview{}, fmt.Errorf("officials of session %d: %w", s.ID, err)
	}
	return s, nil
}
