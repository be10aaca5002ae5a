package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

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
	s.Officials, err = sessionOfficials(ctx, db.pool, s.ID)
	if err != nil {
		return portal.SessionOverview{}, err
	}
	return s, nil
}

// sessionColumns is the column list every session read uses, in
// sessionScanArgs' order. The years come from the cycle, never the date.
const sessionColumns = `s.id, s.slug, s.title_zh, s.title_en, s.level, s.held_on,
	coalesce(to_char(s.starts_at, 'HH24:MI'), ''), s.venue_zh, s.venue_en, s.status,
	coalesce(s.cycle_id, 0), coalesce(c.review_year, 0), coalesce(c.plan_year, 0),
	s.reply_deadline, coalesce(s.copied_from, 0), s.cancel_reason, s.version`

const sessionFrom = ` FROM sessions s LEFT JOIN reporting_cycles c ON c.id = s.cycle_id`

func sessionScanArgs(s *portal.Session) []any {
	return []any{&s.ID, &s.Slug, &s.TitleZH, &s.TitleEN, &s.Level, &s.HeldOn,
		&s.StartsAt, &s.VenueZH, &s.VenueEN, &s.Status,
		&s.CycleID, &s.ReviewYear, &s.PlanYear,
		&s.ReplyDeadline, &s.CopiedFrom, &s.CancelReason, &s.Version}
}

// SessionByID returns one session with the years of the cycle it closes;
// ErrNotFound when there is none.
func (db *DB) SessionByID(ctx context.Context, id int64) (portal.Session, error) {
	return sessionByID(ctx, db.pool, id, false)
}

func sessionByID(ctx context.Context, q querier, id int64, forUpdate bool) (portal.Session, error) {
	sql := `SELECT ` + sessionColumns + sessionFrom + ` WHERE s.id = $1`
	if forUpdate {
		sql += ` FOR UPDATE OF s`
	}
	var s portal.Session
	if err := q.QueryRow(ctx, sql, id).Scan(sessionScanArgs(&s)...); err != nil {
		return portal.Session{}, fmt.Errorf("session %d: %w", id, translate(err))
	}
	return s, nil
}

// SessionDetail returns a session with its agenda, the officials present
// and its invitation counts.
func (db *DB) SessionDetail(ctx context.Context, id int64) (portal.SessionDetail, error) {
	var d portal.SessionDetail
	var err error
	if d.Session, err = db.SessionByID(ctx, id); err != nil {
		return d, err
	}
	if d.Agenda, err = sessionAgenda(ctx, db.pool, id); err != nil {
		return d, err
	}
	if d.Officials, err = sessionOfficials(ctx, db.pool, id); err != nil {
		return d, err
	}
	err = db.pool.QueryRow(ctx, `
		SELECT count(*), count(*) FILTER (WHERE reply = 'confirmed')
		FROM invitations WHERE session_id = $1 AND withdrawn_at IS NULL`, id).
		Scan(&d.InvitedCount, &d.ConfirmedCount)
	if err != nil {
		return d, fmt.Errorf("invitation counts of session %d: %w", id, err)
	}
	return d, nil
}

// ListSessions returns every session, newest first, with invitation counts.
func (db *DB) ListSessions(ctx context.Context) ([]portal.SessionListItem, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT `+sessionColumns+`,
		       (SELECT count(*) FROM invitations i WHERE i.session_id = s.id AND i.withdrawn_at IS NULL),
		       (SELECT count(*) FROM invitations i WHERE i.session_id = s.id AND i.withdrawn_at IS NULL
		                                             AND i.reply = 'confirmed')
		`+sessionFrom+`
		ORDER BY s.held_on DESC, s.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.SessionListItem, error) {
		var it portal.SessionListItem
		err := row.Scan(append(sessionScanArgs(&it.Session), &it.InvitedCount, &it.ConfirmedCount)...)
		return it, err
	})
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	return list, nil
}

// SessionAgenda returns a session's agenda in order.
func (db *DB) SessionAgenda(ctx context.Context, id int64) ([]portal.AgendaItem, error) {
	return sessionAgenda(ctx, db.pool, id)
}

func sessionAgenda(ctx context.Context, q querier, id int64) ([]portal.AgendaItem, error) {
	rows, err := q.Query(ctx, `
		SELECT a.id, a.position, a.title_zh, a.title_en, coalesce(a.ngo_id, 0),
		       coalesce(n.name_zh, ''), coalesce(n.name_en, ''), coalesce(a.duration_minutes, 0)
		FROM agenda_items a
		LEFT JOIN ngos n ON n.id = a.ngo_id
		WHERE a.session_id = $1
		ORDER BY a.position`, id)
	if err != nil {
		return nil, fmt.Errorf("agenda of session %d: %w", id, err)
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.AgendaItem, error) {
		var a portal.AgendaItem
		err := row.Scan(&a.ID, &a.Position, &a.TitleZH, &a.TitleEN, &a.NGOID,
			&a.NGONameZH, &a.NGONameEN, &a.DurationMinutes)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("agenda of session %d: %w", id, err)
	}
	return items, nil
}

// SessionOfficials returns the officials present at a session, in order of
// precedence.
func (db *DB) SessionOfficials(ctx context.Context, id int64) ([]portal.Official, error) {
	return sessionOfficials(ctx, db.pool, id)
}

func sessionOfficials(ctx context.Context, q querier, id int64) ([]portal.Official, error) {
	rows, err := q.Query(ctx, `
		SELECT `+officialColumns+`
		FROM session_officials so
		JOIN officials o ON o.id = so.official_id
		WHERE so.session_id = $1
		ORDER BY `+officialPrecedence+`, o.id`, id)
	if err != nil {
		return nil, fmt.Errorf("officials of session %d: %w", id, err)
	}
	list, err := pgx.CollectRows(rows, rowTo(officialScanArgs))
	if err != nil {
		return nil, fmt.Errorf("officials of session %d: %w", id, err)
	}
	return list, nil
}

// AvailableCycles lists the reporting cycles session id may close: those
// not linked to another session, newest first. Pass 0 for a new session.
func (db *DB) AvailableCycles(ctx context.Context, sessionID int64) ([]portal.CycleOption, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT c.id, c.review_year, c.plan_year
		FROM reporting_cycles c
		WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.cycle_id = c.id AND s.id <> $1)
		ORDER BY c.review_year DESC`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("available cycles: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.CycleOption, error) {
		var c portal.CycleOption
		err := row.Scan(&c.ID, &c.ReviewYear, &c.PlanYear)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("available cycles: %w", err)
	}
	return list, nil
}

// SessionHasInvitations reports whether any invitation was ever sent for
// the session (withdrawn ones count: their rows stay).
func (db *DB) SessionHasInvitations(ctx context.Context, id int64) (bool, error) {
	var has bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM invitations WHERE session_id = $1)`, id).Scan(&has)
	if err != nil {
		return false, fmt.Errorf("invitations of session %d: %w", id, err)
	}
	return has, nil
}

// sessionAuditFields is what the audit log records of a session's plan.
// The agenda and the officials are recorded as lists of strings so that a
// change of either shows as one before/after pair.
func sessionAuditFields(s portal.Session, agenda []portal.AgendaItem, officialIDs []int64) map[string]any {
	deadline := ""
	if s.ReplyDeadline != nil {
		deadline = s.ReplyDeadline.UTC().Format(time.RFC3339)
	}
	items := make([]string, 0, len(agenda))
	for _, a := range agenda {
		items = append(items, fmt.Sprintf("%s | %s | ngo %d | %d min", a.TitleZH, a.TitleEN, a.NGOID, a.DurationMinutes))
	}
	ids := make([]string, 0, len(officialIDs))
	for _, id := range officialIDs {
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	return map[string]any{
		"title_zh": s.TitleZH, "title_en": s.TitleEN, "level": string(s.Level),
		"held_on": s.HeldOn.Format(time.DateOnly), "starts_at": s.StartsAt,
		"venue_zh": s.VenueZH, "venue_en": s.VenueEN, "cycle_id": s.CycleID,
		"reply_deadline": deadline, "agenda": items, "officials": ids,
	}
}

func officialIDs(list []portal.Official) []int64 {
	ids := make([]int64, 0, len(list))
	for _, o := range list {
		ids = append(ids, o.ID)
	}
	return ids
}

// sessionWriteError turns a cycle already linked to another session into a
// validation error on the cycle field.
func sessionWriteError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" && strings.Contains(pe.ConstraintName, "cycle") {
		return &portal.ValidationError{Fields: map[string]string{"cycle": "session.err.cycle_taken"}}
	}
	return translate(err)
}

// insertSession inserts a session under the first free slug
// <year>-<level>-leadership-session, -2, -3 … and returns its id. As for
// NGOs, ON CONFLICT (slug) DO NOTHING lets the unique index decide, without
// a check-then-insert race.
func insertSession(ctx context.Context, tx pgx.Tx, s portal.Session) (int64, error) {
	base := fmt.Sprintf("%d-%s-leadership-session", s.HeldOn.Year(), s.Level)
	for i := 1; i <= 1000; i++ {
		slug := base
		if i > 1 {
			slug = fmt.Sprintf("%s-%d", base, i)
		}
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO sessions (slug, title_zh, title_en, level, held_on, starts_at, venue_zh, venue_en,
			                      cycle_id, reply_deadline, copied_from)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (slug) DO NOTHING
			RETURNING id`,
			slug, s.TitleZH, s.TitleEN, string(s.Level), s.HeldOn, nullIfZero(s.StartsAt), s.VenueZH, s.VenueEN,
			nullIfZero(s.CycleID), s.ReplyDeadline, nullIfZero(s.CopiedFrom)).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("create session: %w", sessionWriteError(err))
		}
		return id, nil
	}
	return 0, fmt.Errorf("create session: no free slug for %q", base)
}

// replacePlan replaces a session's agenda and officials present. Officials
// must be active, unless they were already present (a retired official
// stays on a session they attended).
func replacePlan(ctx context.Context, tx pgx.Tx, id int64, agenda []portal.AgendaItem, officials, keep []int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM agenda_items WHERE session_id = $1`, id); err != nil {
		return fmt.Errorf("replace agenda of session %d: %w", id, err)
	}
	for i, a := range agenda {
		_, err := tx.Exec(ctx, `
			INSERT INTO agenda_items (session_id, position, title_zh, title_en, ngo_id, duration_minutes)
			VALUES ($1, $2, $3, $4, $5, $6)`,
			id, i+1, a.TitleZH, a.TitleEN, nullIfZero(a.NGOID), nullIfZero(int64(a.DurationMinutes)))
		if err != nil {
			return fmt.Errorf("agenda item %d of session %d: %w", i+1, id, err)
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM session_officials WHERE session_id = $1`, id); err != nil {
		return fmt.Errorf("replace officials of session %d: %w", id, err)
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO session_officials (session_id, official_id)
		SELECT $1, o.id FROM officials o WHERE o.id = ANY($2) AND (o.active OR o.id = ANY($3))`,
		id, officials, keep)
	if err != nil {
		return fmt.Errorf("officials of session %d: %w", id, err)
	}
	return nil
}

// CreateSession adds a draft session with its agenda and officials present,
// in one transaction with its audit row, and returns its id.
func (db *DB) CreateSession(ctx context.Context, a portal.Actor, p portal.SessionPlan) (int64, error) {
	var id int64
	err := db.Transact(ctx, func(tx pgx.Tx) error {
		var err error
		p.CopiedFrom = 0
		if id, err = insertSession(ctx, tx, p.Session); err != nil {
			return err
		}
		if err := replacePlan(ctx, tx, id, p.Agenda, p.OfficialIDs, nil); err != nil {
			return err
		}
		after, err := planFields(ctx, tx, id)
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditSessionCreated, ObjectType: portal.AuditObjectSession, ObjectID: id,
			Changes: portal.Diff(map[string]any{}, after),
		})
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// planFields reads a session's plan as the audit records it.
func planFields(ctx context.Context, q querier, id int64) (map[string]any, error) {
	s, err := sessionByID(ctx, q, id, false)
	if err != nil {
		return nil, err
	}
	agenda, err := sessionAgenda(ctx, q, id)
	if err != nil {
		return nil, err
	}
	officials, err := sessionOfficials(ctx, q, id)
	if err != nil {
		return nil, err
	}
	return sessionAuditFields(s, agenda, officialIDs(officials)), nil
}

// UpdateSession saves the plan of session id, if it is still editable
// (draft or scheduled: otherwise ErrSessionReadOnly) and nobody has changed
// it since the form was loaded at p.Version (otherwise ErrConflict). The
// slug stays. The agenda and officials are replaced as a whole.
func (db *DB) UpdateSession(ctx context.Context, a portal.Actor, id int64, p portal.SessionPlan) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		before, err := sessionByID(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if !before.Editable() {
			return fmt.Errorf("update session %d (%s): %w", id, before.Status, portal.ErrSessionReadOnly)
		}
		if before.Version != p.Version {
			return fmt.Errorf("update session %d at version %d, now %d: %w", id, p.Version, before.Version, portal.ErrConflict)
		}
		beforeFields, err := planFields(ctx, tx, id)
		if err != nil {
			return err
		}
		oldOfficials, err := sessionOfficials(ctx, tx, id)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			UPDATE sessions SET title_zh = $3, title_en = $4, level = $5, held_on = $6, starts_at = $7,
			       venue_zh = $8, venue_en = $9, cycle_id = $10, reply_deadline = $11,
			       version = version + 1, updated_at = now()
			WHERE id = $1 AND version = $2`,
			id, p.Version, p.TitleZH, p.TitleEN, string(p.Level), p.HeldOn, nullIfZero(p.StartsAt),
			p.VenueZH, p.VenueEN, nullIfZero(p.CycleID), p.ReplyDeadline)
		if err != nil {
			return fmt.Errorf("update session %d: %w", id, sessionWriteError(err))
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("update session %d: %w", id, portal.ErrConflict)
		}
		if err := replacePlan(ctx, tx, id, p.Agenda, p.OfficialIDs, officialIDs(oldOfficials)); err != nil {
			return err
		}
		after, err := planFields(ctx, tx, id)
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditSessionUpdated, ObjectType: portal.AuditObjectSession, ObjectID: id,
			Changes: portal.Diff(beforeFields, after),
		})
	})
}

// SetSessionStatus moves session id to status to, if portal.CanStep allows
// it (otherwise ErrIllegalStep). Scheduling needs a reply deadline
// (ErrScheduleIncomplete); cancelling records reason.
func (db *DB) SetSessionStatus(ctx context.Context, a portal.Actor, id int64, to portal.SessionStatus, reason string) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		s, err := sessionByID(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if !portal.CanStep(s.Status, to) {
			return fmt.Errorf("session %d from %s to %s: %w", id, s.Status, to, portal.ErrIllegalStep)
		}
		if to == portal.SessionScheduled && (s.HeldOn.IsZero() || s.ReplyDeadline == nil) {
			return fmt.Errorf("schedule session %d: %w", id, portal.ErrScheduleIncomplete)
		}
		changes := map[string]portal.Change{"status": {Before: string(s.Status), After: string(to)}}
		newReason := s.CancelReason
		if to == portal.SessionCancelled {
			newReason = reason
			changes["cancel_reason"] = portal.Change{Before: s.CancelReason, After: reason}
		}
		_, err = tx.Exec(ctx, `
			UPDATE sessions SET status = $2, cancel_reason = $3, version = version + 1, updated_at = now()
			WHERE id = $1`, id, string(to), newReason)
		if err != nil {
			return fmt.Errorf("session %d to %s: %w", id, to, err)
		}
		if to == portal.SessionScheduled {
			// Its invitations are sent now: the NGOs can see them.
			if err := notifyInvited(ctx, tx, `i.session_id = $2`, id); err != nil {
				return err
			}
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditSessionStatus, ObjectType: portal.AuditObjectSession, ObjectID: id,
			Changes: changes,
		})
	})
}

// DeleteSession removes a draft session that has never had an invitation
// (otherwise ErrSessionHasInvitations; not a draft: ErrIllegalStep).
func (db *DB) DeleteSession(ctx context.Context, a portal.Actor, id int64) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		s, err := sessionByID(ctx, tx, id, true)
		if err != nil {
			return err
		}
		var has bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM invitations WHERE session_id = $1)`, id).Scan(&has); err != nil {
			return fmt.Errorf("invitations of session %d: %w", id, err)
		}
		if has {
			return fmt.Errorf("delete session %d: %w", id, portal.ErrSessionHasInvitations)
		}
		if s.Status != portal.SessionDraft {
			return fmt.Errorf("delete session %d (%s): %w", id, s.Status, portal.ErrIllegalStep)
		}
		before, err := planFields(ctx, tx, id)
		if err != nil {
			return err
		}
		before["slug"], before["status"] = s.Slug, string(s.Status)
		// A copy made from this session keeps existing; it just loses the link.
		if _, err := tx.Exec(ctx, `UPDATE sessions SET copied_from = NULL WHERE copied_from = $1`, id); err != nil {
			return fmt.Errorf("unlink copies of session %d: %w", id, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete session %d: %w", id, err)
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditSessionDeleted, ObjectType: portal.AuditObjectSession, ObjectID: id,
			Changes: portal.Diff(before, map[string]any{}),
		})
	})
}

// CopySession makes next year's draft from session id: the titles with
// their years advanced (portal.NextYearTitle), the level, venue and start
// time, the same day a year later (portal.NextYearDay), the agenda, the
// officials present who are still active, and invitations without replies
// to the invited NGOs that are still active. No cycle and no reply
// deadline: those belong to the new year. It says what it copied.
func (db *DB) CopySession(ctx context.Context, a portal.Actor, id int64) (portal.SessionCopy, error) {
	var out portal.SessionCopy
	err := db.Transact(ctx, func(tx pgx.Tx) error {
		src, err := sessionByID(ctx, tx, id, false)
		if err != nil {
			return err
		}
		agenda, err := sessionAgenda(ctx, tx, id)
		if err != nil {
			return err
		}
		officials, err := sessionOfficials(ctx, tx, id)
		if err != nil {
			return err
		}
		active := []int64{}
		for _, o := range officials {
			if o.Active {
				active = append(active, o.ID)
			}
		}
		cp := portal.Session{
			TitleZH: portal.NextYearTitle(src.TitleZH), TitleEN: portal.NextYearTitle(src.TitleEN),
			Level: src.Level, HeldOn: portal.NextYearDay(src.HeldOn), StartsAt: src.StartsAt,
			VenueZH: src.VenueZH, VenueEN: src.VenueEN, CopiedFrom: src.ID,
		}
		if out.ID, err = insertSession(ctx, tx, cp); err != nil {
			return err
		}
		if err := replacePlan(ctx, tx, out.ID, agenda, active, nil); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO invitations (session_id, ngo_id)
			SELECT $1, i.ngo_id
			FROM invitations i JOIN ngos n ON n.id = i.ngo_id
			WHERE i.session_id = $2 AND i.withdrawn_at IS NULL AND n.active
			ORDER BY i.ngo_id`, out.ID, id)
		if err != nil {
			return fmt.Errorf("copy invitations of session %d: %w", id, err)
		}
		if err := tx.QueryRow(ctx, `
			SELECT count(*) FROM invitations i JOIN ngos n ON n.id = i.ngo_id
			WHERE i.session_id = $1 AND i.withdrawn_at IS NULL AND NOT n.active`, id).Scan(&out.NGOsLeftOut); err != nil {
			return fmt.Errorf("closed NGOs invited to session %d: %w", id, err)
		}
		out.Agenda, out.Officials, out.Invitations = len(agenda), len(active), int(tag.RowsAffected())
		out.OfficialsLeftOut = len(officials) - len(active)
		out.TitlesChanged = cp.TitleZH != src.TitleZH || cp.TitleEN != src.TitleEN
		out.HeldOn = cp.HeldOn
		after, err := planFields(ctx, tx, out.ID)
		if err != nil {
			return err
		}
		after["copied_from"], after["invitations"] = id, tag.RowsAffected()
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditSessionCopied, ObjectType: portal.AuditObjectSession, ObjectID: out.ID,
			Changes: portal.Diff(map[string]any{}, after),
		})
	})
	if err != nil {
		return portal.SessionCopy{}, err
	}
	return out, nil
}

// SpeakingSlotNGOs lists the active NGOs an agenda item may give the floor
// to, by Chinese name (pinyin).
func (db *DB) SpeakingSlotNGOs(ctx context.Context) ([]portal.NGO, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+ngoNameColumns+` FROM ngos n WHERE n.active ORDER BY n.name_zh, n.id`)
	if err != nil {
		return nil, fmt.Errorf("active NGOs: %w", err)
	}
	list, err := pgx.CollectRows(rows, rowTo(ngoNameScanArgs))
	if err != nil {
		return nil, fmt.Errorf("active NGOs: %w", err)
	}
	return list, nil
}
