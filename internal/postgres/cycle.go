package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"ngoportal/internal/portal"
)

// cycleColumns is the column list every cycle read uses, in cycleScanArgs'
// order: the cycle, the session tied to it and its number of extensions.
const cycleColumns = `c.id, c.review_year, c.plan_year, c.opens_on, c.deadline, c.status, c.version,
	coalesce(s.id, 0), coalesce(s.title_zh, ''), coalesce(s.title_en, ''),
	(SELECT count(*) FROM cycle_extensions e WHERE e.cycle_id = c.id)::int`

const cycleFrom = ` FROM reporting_cycles c LEFT JOIN sessions s ON s.cycle_id = c.id`

func cycleScanArgs(c *portal.Cycle) []any {
	return []any{&c.ID, &c.ReviewYear, &c.PlanYear, &c.OpensOn, &c.Deadline, &c.Status, &c.Version,
		&c.SessionID, &c.SessionTitleZH, &c.SessionTitleEN, &c.ExtensionCount}
}

// ListCycles returns every reporting cycle, the newest review year first.
func (db *DB) ListCycles(ctx context.Context) ([]portal.Cycle, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+cycleColumns+cycleFrom+` ORDER BY c.review_year DESC`)
	if err != nil {
		return nil, fmt.Errorf("list cycles: %w", err)
	}
	list, err := pgx.CollectRows(rows, rowTo(cycleScanArgs))
	if err != nil {
		return nil, fmt.Errorf("list cycles: %w", err)
	}
	return list, nil
}

// CycleByID returns one reporting cycle; ErrNotFound when none.
func (db *DB) CycleByID(ctx context.Context, id int64) (portal.Cycle, error) {
	return cycleByID(ctx, db.pool, id, false)
}

func cycleByID(ctx context.Context, q querier, id int64, forUpdate bool) (portal.Cycle, error) {
	sql := `SELECT ` + cycleColumns + cycleFrom + ` WHERE c.id = $1`
	if forUpdate {
		sql += ` FOR UPDATE OF c`
	}
	var c portal.Cycle
	if err := q.QueryRow(ctx, sql, id).Scan(cycleScanArgs(&c)...); err != nil {
		return portal.Cycle{}, fmt.Errorf("cycle %d: %w", id, translate(err))
	}
	return c, nil
}

// CycleSessionOptions lists the sessions cycle id may be tied to: those tied
// to no cycle, or to this one, and not cancelled; the latest first. Pass 0
// for a new cycle.
func (db *DB) CycleSessionOptions(ctx context.Context, cycleID int64) ([]portal.CycleSessionOption, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT s.id, s.title_zh, s.title_en, s.held_on
		FROM sessions s
		WHERE (s.cycle_id IS NULL OR s.cycle_id = $1) AND s.status <> 'cancelled'
		ORDER BY s.held_on DESC, s.id DESC`, cycleID)
	if err != nil {
		return nil, fmt.Errorf("cycle session options: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.CycleSessionOption, error) {
		var o portal.CycleSessionOption
		err := row.Scan(&o.ID, &o.TitleZH, &o.TitleEN, &o.HeldOn)
		return o, err
	})
	if err != nil {
		return nil, fmt.Errorf("cycle session options: %w", err)
	}
	return list, nil
}

// cycleWriteError turns the unique review year into a validation error on
// the year field, and a session already tied to another cycle into one on
// the session field.
func cycleWriteError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		if pe.TableName == "sessions" {
			return &portal.ValidationError{Fields: map[string]string{"session": "cycle.err.session_taken"}}
		}
		return &portal.ValidationError{Fields: map[string]string{"review_year": "cycle.err.review_year_taken"}}
	}
	return translate(err)
}

// CreateCycle opens a reporting cycle and, when c.SessionID is set, ties
// that session to it, in one audited transaction.
func (db *DB) CreateCycle(ctx context.Context, a portal.Actor, c portal.Cycle) (portal.Cycle, error) {
	var created portal.Cycle
	err := db.Transact(ctx, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status)
			VALUES ($1, $1 + 1, $2, $3, $4)
			RETURNING id`, c.ReviewYear, c.OpensOn, c.Deadline, string(c.Status)).Scan(&id)
		if err != nil {
			return fmt.Errorf("create cycle: %w", cycleWriteError(err))
		}
		if err := linkCycleSession(ctx, tx, a, id, 0, c.SessionID); err != nil {
			return err
		}
		if created, err = cycleByID(ctx, tx, id, false); err != nil {
			return err
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditCycleCreated, ObjectType: portal.AuditObjectCycle, ObjectID: id,
			Changes: portal.Diff(map[string]any{}, created.AuditFields()),
		})
	})
	if err != nil {
		return portal.Cycle{}, err
	}
	return created, nil
}

// linkCycleSession moves cycle id from session from to session to (either
// may be 0), bumping each session's version so that a session form opened
// before the change cannot silently undo it, and auditing it on both.
func linkCycleSession(ctx context.Context, tx pgx.Tx, a portal.Actor, cycleID, from, to int64) error {
	if from == to {
		return nil
	}
	if from != 0 {
		if _, err := tx.Exec(ctx, `
			UPDATE sessions SET cycle_id = NULL, version = version + 1, updated_at = now()
			WHERE id = $1 AND cycle_id = $2`, from, cycleID); err != nil {
			return fmt.Errorf("untie session %d from cycle %d: %w", from, cycleID, err)
		}
		if err := writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditSessionUpdated, ObjectType: portal.AuditObjectSession, ObjectID: from,
			Changes: map[string]portal.Change{"cycle_id": {Before: cycleID, After: int64(0)}},
		}); err != nil {
			return err
		}
	}
	if to == 0 {
		return nil
	}
	tag, err := tx.Exec(ctx, `
		UPDATE sessions SET cycle_id = $2, version = version + 1, updated_at = now()
		WHERE id = $1 AND cycle_id IS NULL AND status <> 'cancelled'`, to, cycleID)
	if err != nil {
		return fmt.Errorf("tie session %d to cycle %d: %w", to, cycleID, cycleWriteError(err))
	}
	if tag.RowsAffected() != 1 {
		// Gone, cancelled or tied to another cycle since the form was shown.
		return &portal.ValidationError{Fields: map[string]string{"session": "cycle.err.session_taken"}}
	}
	return writeAudit(ctx, tx, a, portal.AuditEvent{
		Action: portal.AuditSessionUpdated, ObjectType: portal.AuditObjectSession, ObjectID: to,
		Changes: map[string]portal.Change{"cycle_id": {Before: int64(0), After: cycleID}},
	})
}

// UpdateCycle saves cycle id if nobody has changed it since the form was
// loaded at c.Version (otherwise ErrConflict); a closed cycle is refused
// with ErrCycleClosed. A save that changes nothing writes nothing.
func (db *DB) UpdateCycle(ctx context.Context, a portal.Actor, id int64, c portal.Cycle) (portal.Cycle, error) {
	var saved portal.Cycle
	err := db.Transact(ctx, func(tx pgx.Tx) error {
		before, err := cycleByID(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if before.Closed() {
			return fmt.Errorf("update cycle %d: %w", id, portal.ErrCycleClosed)
		}
		if before.Version != c.Version {
			return fmt.Errorf("update cycle %d at version %d, now %d: %w", id, c.Version, before.Version, portal.ErrConflict)
		}
		changes := portal.Diff(before.AuditFields(), c.AuditFields())
		if len(changes) == 0 {
			saved = before
			return nil
		}
		tag, err := tx.Exec(ctx, `
			UPDATE reporting_cycles SET review_year = $3, plan_year = $3 + 1, opens_on = $4, deadline = $5,
			       status = $6, version = version + 1, updated_at = now()
			WHERE id = $1 AND version = $2`,
			id, c.Version, c.ReviewYear, c.OpensOn, c.Deadline, string(c.Status))
		if err != nil {
			return fmt.Errorf("update cycle %d: %w", id, cycleWriteError(err))
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("update cycle %d: %w", id, portal.ErrConflict)
		}
		if err := linkCycleSession(ctx, tx, a, id, before.SessionID, c.SessionID); err != nil {
			return err
		}
		if saved, err = cycleByID(ctx, tx, id, false); err != nil {
			return err
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditCycleUpdated, ObjectType: portal.AuditObjectCycle, ObjectID: id,
			Changes: changes,
		})
	})
	if err != nil {
		return portal.Cycle{}, err
	}
	return saved, nil
}

// CloseCycle closes cycle id, seen at version: no further submissions.
// ErrConflict when it changed since; ErrCycleClosed when already closed.
func (db *DB) CloseCycle(ctx context.Context, a portal.Actor, id int64, version int) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		before, err := cycleByID(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if before.Closed() {
			return fmt.Errorf("close cycle %d: %w", id, portal.ErrCycleClosed)
		}
		if before.Version != version {
			return fmt.Errorf("close cycle %d at version %d, now %d: %w", id, version, before.Version, portal.ErrConflict)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE reporting_cycles SET status = 'closed', version = version + 1, updated_at = now()
			WHERE id = $1`, id); err != nil {
			return fmt.Errorf("close cycle %d: %w", id, err)
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditCycleClosed, ObjectType: portal.AuditObjectCycle, ObjectID: id,
			Changes: map[string]portal.Change{"status": {Before: string(before.Status), After: string(portal.CycleClosed)}},
		})
	})
}

// ListExtensions returns the deadline extensions of cycle id, by NGO name.
func (db *DB) ListExtensions(ctx context.Context, cycleID int64) ([]portal.Extension, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT e.cycle_id, e.ngo_id, n.name_zh, n.name_en, e.deadline, e.reason,
		       coalesce(u.email::text, ''), e.created_at
		FROM cycle_extensions e
		JOIN ngos n ON n.id = e.ngo_id
		LEFT JOIN users u ON u.id = e.created_by
		WHERE e.cycle_id = $1
		ORDER BY n.name_zh, n.id`, cycleID)
	if err != nil {
		return nil, fmt.Errorf("extensions of cycle %d: %w", cycleID, err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.Extension, error) {
		var e portal.Extension
		err := row.Scan(&e.CycleID, &e.NGOID, &e.NGONameZH, &e.NGONameEN, &e.Deadline, &e.Reason, &e.CreatedByEmail, &e.CreatedAt)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("extensions of cycle %d: %w", cycleID, err)
	}
	return list, nil
}

// ExtensionCandidates lists the active NGOs that have no extension in cycle
// id yet, by Chinese name: the choices of the extension form.
func (db *DB) ExtensionCandidates(ctx context.Context, cycleID int64) ([]portal.NGO, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT `+ngoNameColumns+`
		FROM ngos n
		WHERE n.active
		  AND NOT EXISTS (SELECT 1 FROM cycle_extensions e WHERE e.cycle_id = $1 AND e.ngo_id = n.id)
		ORDER BY n.name_zh, n.id`, cycleID)
	if err != nil {
		return nil, fmt.Errorf("extension candidates of cycle %d: %w", cycleID, err)
	}
	list, err := pgx.CollectRows(rows, rowTo(ngoNameScanArgs))
	if err != nil {
		return nil, fmt.Errorf("extension candidates of cycle %d: %w", cycleID, err)
	}
	return list, nil
}

// GrantExtension gives one NGO a later deadline in cycle e.CycleID. The
// deadline must fall after the cycle's own (checked here, against the
// locked cycle row, as well as by the form); a second extension for the
// same NGO is a validation error on the NGO; a closed cycle is refused.
func (db *DB) GrantExtension(ctx context.Context, a portal.Actor, e portal.Extension) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		c, err := cycleByID(ctx, tx, e.CycleID, true)
		if err != nil {
			return err
		}
		if c.Closed() {
			return fmt.Errorf("extend cycle %d: %w", e.CycleID, portal.ErrCycleClosed)
		}
		if !e.Deadline.After(c.Deadline) {
			return &portal.ValidationError{Fields: map[string]string{"deadline": "cycle.err.extension_not_later"}}
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO cycle_extensions (cycle_id, ngo_id, deadline, reason, created_by)
			VALUES ($1, $2, $3, $4, $5)`, e.CycleID, e.NGOID, e.Deadline, e.Reason, nullIfZero(a.UserID))
		var pe *pgconn.PgError
		switch {
		case errors.As(err, &pe) && pe.Code == "23505":
			return &portal.ValidationError{Fields: map[string]string{"ngo": "cycle.err.extension_exists"}}
		case errors.As(err, &pe) && pe.Code == "23503":
			return &portal.ValidationError{Fields: map[string]string{"ngo": "cycle.err.ngo_invalid"}}
		case err != nil:
			return fmt.Errorf("extend cycle %d for NGO %d: %w", e.CycleID, e.NGOID, err)
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditCycleExtensionGranted, ObjectType: portal.AuditObjectCycle, ObjectID: e.CycleID,
			NGOID: e.NGOID, Changes: portal.Diff(map[string]any{}, e.AuditFields()),
		})
	})
}

// RemoveExtension takes an NGO's extension in cycle id away; ErrNotFound
// when it has none, ErrCycleClosed when the cycle is closed.
func (db *DB) RemoveExtension(ctx context.Context, a portal.Actor, cycleID, ngoID int64) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		c, err := cycleByID(ctx, tx, cycleID, true)
		if err != nil {
			return err
		}
		if c.Closed() {
			return fmt.Errorf("remove extension of cycle %d: %w", cycleID, portal.ErrCycleClosed)
		}
		var e portal.Extension
		err = tx.QueryRow(ctx, `
			DELETE FROM cycle_extensions WHERE cycle_id = $1 AND ngo_id = $2
			RETURNING ngo_id, deadline, reason`, cycleID, ngoID).Scan(&e.NGOID, &e.Deadline, &e.Reason)
		if err != nil {
			return fmt.Errorf("remove extension of NGO %d in cycle %d: %w", ngoID, cycleID, translate(err))
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditCycleExtensionRemoved, ObjectType: portal.AuditObjectCycle, ObjectID: cycleID,
			NGOID: ngoID, Changes: portal.Diff(e.AuditFields(), map[string]any{}),
		})
	})
}

// NGODeadline is the last day NGO ngoID may submit its report in cycle
// cycleID: the cycle's deadline, or the NGO's extension. ErrNotFound when
// the cycle does not exist.
func (db *DB) NGODeadline(ctx context.Context, cycleID, ngoID int64) (time.Time, error) {
	var deadline time.Time
	var extension *time.Time
	err := db.pool.QueryRow(ctx, `
		SELECT c.deadline, e.deadline
		FROM reporting_cycles c
		LEFT JOIN cycle_extensions e ON e.cycle_id = c.id AND e.ngo_id = $2
		WHERE c.id = $1`, cycleID, ngoID).Scan(&deadline, &extension)
	if err != nil {
		return time.Time{}, fmt.Errorf("deadline of NGO %d in cycle %d: %w", ngoID, cycleID, translate(err))
	}
	return portal.EffectiveDeadline(deadline, extension), nil
}
