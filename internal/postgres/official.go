package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"ngoportal/internal/portal"
)

// officialColumns is the column list every official read uses, in
// officialScanArgs' order.
const officialColumns = `o.id, o.name_zh, o.name_en, o.position, o.term_start, o.term_end, o.active, o.version`

// officialPrecedence orders officials by post, chairperson first.
const officialPrecedence = `array_position(ARRAY['chairperson', 'vice_chairperson', 'secretary_general', 'other'], o.position)`

func officialScanArgs(o *portal.Official) []any {
	return []any{&o.ID, &o.NameZH, &o.NameEN, &o.Position, &o.TermStart, &o.TermEnd, &o.Active, &o.Version}
}

// ListOfficials returns the roster in order of precedence, then by name;
// with activeOnly, only the officials who have not retired.
func (db *DB) ListOfficials(ctx context.Context, activeOnly bool) ([]portal.Official, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT `+officialColumns+`
		FROM officials o
		WHERE NOT $1 OR o.active
		ORDER BY `+officialPrecedence+`, o.name_zh, o.id`, activeOnly)
	if err != nil {
		return nil, fmt.Errorf("list officials: %w", err)
	}
	list, err := pgx.CollectRows(rows, rowTo(officialScanArgs))
	if err != nil {
		return nil, fmt.Errorf("list officials: %w", err)
	}
	return list, nil
}

// OfficialByID returns one official of the roster; ErrNotFound when none.
func (db *DB) OfficialByID(ctx context.Context, id int64) (portal.Official, error) {
	return officialByID(ctx, db.pool, id, false)
}

func officialByID(ctx context.Context, q querier, id int64, forUpdate bool) (portal.Official, error) {
	sql := `SELECT ` + officialColumns + ` FROM officials o WHERE o.id = $1`
	if forUpdate {
		sql += ` FOR UPDATE`
	}
	var o portal.Official
	if err := q.QueryRow(ctx, sql, id).Scan(officialScanArgs(&o)...); err != nil {
		return portal.Official{}, fmt.Errorf("official %d: %w", id, translate(err))
	}
	return o, nil
}

// officialWriteError turns the roster's unique rule (the same name, post and
// term start twice) into a validation error on the Chinese name.
func officialWriteError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return &portal.ValidationError{Fields: map[string]string{"name_zh": "official.err.duplicate"}}
	}
	return translate(err)
}

// CreateOfficial adds an official to the roster and audits it.
func (db *DB) CreateOfficial(ctx context.Context, a portal.Actor, o portal.Official) (portal.Official, error) {
	var created portal.Official
	err := db.Transact(ctx, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO officials (name_zh, name_en, position, term_start, term_end, active)
			VALUES ($1, $2, $3, $4, $5, $6)
			RETURNING id`,
			o.NameZH, o.NameEN, string(o.Position), o.TermStart, o.TermEnd, o.Active).Scan(&id)
		if err != nil {
			return fmt.Errorf("create official: %w", officialWriteError(err))
		}
		if created, err = officialByID(ctx, tx, id, false); err != nil {
			return err
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditOfficialCreated, ObjectType: portal.AuditObjectOfficial, ObjectID: id,
			Changes: portal.Diff(map[string]any{}, created.AuditFields()),
		})
	})
	if err != nil {
		return portal.Official{}, err
	}
	return created, nil
}

// UpdateOfficial saves official id if nobody has changed it since the form
// was loaded at o.Version (otherwise ErrConflict), auditing the changed
// fields. A save that changes nothing writes nothing.
func (db *DB) UpdateOfficial(ctx context.Context, a portal.Actor, id int64, o portal.Official) (portal.Official, error) {
	var saved portal.Official
	err := db.Transact(ctx, func(tx pgx.Tx) (err error) {
		saved, err = saveVersioned(ctx, tx, a, versionedUpdate[portal.Official]{
			what: fmt.Sprintf("official %d", id), version: o.Version,
			load:      func(lock bool) (portal.Official, error) { return officialByID(ctx, tx, id, lock) },
			versionOf: func(o portal.Official) int { return o.Version },
			after:     func(portal.Official) map[string]any { return o.AuditFields() },
			write: func() (pgconn.CommandTag, error) {
				tag, err := tx.Exec(ctx, `
					UPDATE officials SET name_zh = $3, name_en = $4, position = $5, term_start = $6,
					       term_end = $7, active = $8, version = version + 1, updated_at = now()
					WHERE id = $1 AND version = $2`,
					id, o.Version, o.NameZH, o.NameEN, string(o.Position), o.TermStart, o.TermEnd, o.Active)
				return tag, officialWriteError(err)
			},
			event: portal.AuditEvent{Action: portal.AuditOfficialUpdated, ObjectType: portal.AuditObjectOfficial, ObjectID: id},
		})
		return err
	})
	if err != nil {
		return portal.Official{}, err
	}
	return saved, nil
}
