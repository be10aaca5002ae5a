package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"ngoportal/internal/portal"
)

// vocabularyTable is where one kind of term lives and how its writes are
// audited. Themes and key projects are kept exactly alike, so one set of
// statements serves both; the table name comes only from this map, never
// from input.
type vocabularyTable struct {
	table, objectType                          string
	created, updated, retired, restored, moved string
}

var vocabularyTables = map[portal.VocabularyKind]vocabularyTable{
	portal.KindTheme: {"themes", portal.AuditObjectTheme,
		portal.AuditThemeCreated, portal.AuditThemeUpdated, portal.AuditThemeRetired, portal.AuditThemeRestored, portal.AuditThemeMoved},
	portal.KindProject: {"key_projects", portal.AuditObjectKeyProject,
		portal.AuditProjectCreated, portal.AuditProjectUpdated, portal.AuditProjectRetired, portal.AuditProjectRestored, portal.AuditProjectMoved},
}

func vocabulary(kind portal.VocabularyKind) (vocabularyTable, error) {
	v, ok := vocabularyTables[kind]
	if !ok {
		return vocabularyTable{}, fmt.Errorf("vocabulary kind %q: %w", kind, portal.ErrNotFound)
	}
	return v, nil
}

const termColumns = `t.id, t.name_zh, t.name_en, t.description_zh, t.description_en, t.position, t.active, t.version`

func termScanArgs(t *portal.Term) []any {
	return []any{&t.ID, &t.NameZH, &t.NameEN, &t.DescriptionZH, &t.DescriptionEN, &t.Position, &t.Active, &t.Version}
}

// ListThemes returns the federation's themes in their order; with
// activeOnly, only those not retired (what a report may be tagged with).
func (db *DB) ListThemes(ctx context.Context, activeOnly bool) ([]portal.Theme, error) {
	return db.ListTerms(ctx, portal.KindTheme, activeOnly)
}

// ListKeyProjects returns the federation's key projects in their order;
// with activeOnly, only those not retired.
func (db *DB) ListKeyProjects(ctx context.Context, activeOnly bool) ([]portal.KeyProject, error) {
	return db.ListTerms(ctx, portal.KindProject, activeOnly)
}

// ListTerms returns the terms of one kind in their order.
func (db *DB) ListTerms(ctx context.Context, kind portal.VocabularyKind, activeOnly bool) ([]portal.Term, error) {
	return listTerms(ctx, db.pool, kind, activeOnly)
}

func listTerms(ctx context.Context, q querier, kind portal.VocabularyKind, activeOnly bool) ([]portal.Term, error) {
	v, err := vocabulary(kind)
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, `
		SELECT `+termColumns+` FROM `+v.table+` t
		WHERE NOT $1 OR t.active
		ORDER BY t.position, t.id`, activeOnly)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", v.table, err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.Term, error) {
		t := portal.Term{Kind: kind}
		err := row.Scan(termScanArgs(&t)...)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", v.table, err)
	}
	return list, nil
}

// TermByID returns one theme or key project; ErrNotFound when none.
func (db *DB) TermByID(ctx context.Context, kind portal.VocabularyKind, id int64) (portal.Term, error) {
	v, err := vocabulary(kind)
	if err != nil {
		return portal.Term{}, err
	}
	return termByID(ctx, db.pool, v, kind, id, false)
}

func termByID(ctx context.Context, q querier, v vocabularyTable, kind portal.VocabularyKind, id int64, forUpdate bool) (portal.Term, error) {
	sql := `SELECT ` + termColumns + ` FROM ` + v.table + ` t WHERE t.id = $1`
	if forUpdate {
		sql += ` FOR UPDATE`
	}
	t := portal.Term{Kind: kind}
	if err := q.QueryRow(ctx, sql, id).Scan(termScanArgs(&t)...); err != nil {
		return portal.Term{}, fmt.Errorf("%s %d: %w", v.table, id, translate(err))
	}
	return t, nil
}

// termWriteError turns the unique Chinese name into a validation error.
func termWriteError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" &&
		(pe.ConstraintName == "themes_name_zh_key" || pe.ConstraintName == "key_projects_name_zh_key") {
		return &portal.ValidationError{Fields: map[string]string{"name_zh": "vocabulary.err.name_zh_taken"}}
	}
	return translate(err)
}

// CreateTerm adds a theme or key project at the end of its list.
func (db *DB) CreateTerm(ctx context.Context, a portal.Actor, t portal.Term) (portal.Term, error) {
	v, err := vocabulary(t.Kind)
	if err != nil {
		return portal.Term{}, err
	}
	var created portal.Term
	err = db.Transact(ctx, func(tx pgx.Tx) error {
		// Two admins adding at once would both take max+1; the lock makes
		// the second wait for the first instead of failing on the position.
		if _, err := tx.Exec(ctx, `LOCK TABLE `+v.table+` IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return fmt.Errorf("lock %s: %w", v.table, err)
		}
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO `+v.table+` (name_zh, name_en, description_zh, description_en, position, active)
			SELECT $1, $2, $3, $4, coalesce(max(position), 0) + 1, true FROM `+v.table+`
			RETURNING id`, t.NameZH, t.NameEN, t.DescriptionZH, t.DescriptionEN).Scan(&id)
		if err != nil {
			return fmt.Errorf("create %s: %w", v.table, termWriteError(err))
		}
		if created, err = termByID(ctx, tx, v, t.Kind, id, false); err != nil {
			return err
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: v.created, ObjectType: v.objectType, ObjectID: id,
			Changes: portal.Diff(map[string]any{}, created.AuditFields()),
		})
	})
	if err != nil {
		return portal.Term{}, err
	}
	return created, nil
}

// UpdateTerm saves the names and descriptions of term id if nobody has
// changed it since version t.Version (otherwise ErrConflict). Whether it is
// active is kept: retiring and restoring are steps of their own.
func (db *DB) UpdateTerm(ctx context.Context, a portal.Actor, id int64, t portal.Term) (portal.Term, error) {
	v, err := vocabulary(t.Kind)
	if err != nil {
		return portal.Term{}, err
	}
	var saved portal.Term
	err = db.Transact(ctx, func(tx pgx.Tx) (err error) {
		saved, err = saveVersioned(ctx, tx, a, versionedUpdate[portal.Term]{
			what: fmt.Sprintf("%s %d", v.table, id), version: t.Version,
			load:      func(lock bool) (portal.Term, error) { return termByID(ctx, tx, v, t.Kind, id, lock) },
			versionOf: func(t portal.Term) int { return t.Version },
			after: func(before portal.Term) map[string]any {
				t.Active = before.Active
				return t.AuditFields()
			},
			write: func() (pgconn.CommandTag, error) {
				tag, err := tx.Exec(ctx, `
					UPDATE `+v.table+` SET name_zh = $2, name_en = $3, description_zh = $4, description_en = $5,
					       version = version + 1, updated_at = now()
					WHERE id = $1`, id, t.NameZH, t.NameEN, t.DescriptionZH, t.DescriptionEN)
				return tag, termWriteError(err)
			},
			event: portal.AuditEvent{Action: v.updated, ObjectType: v.objectType, ObjectID: id},
		})
		return err
	})
	if err != nil {
		return portal.Term{}, err
	}
	return saved, nil
}

// SetTermActive retires (active false) or restores term id, seen at
// version. ErrConflict when it changed since; a step to the state it is
// already in changes nothing.
func (db *DB) SetTermActive(ctx context.Context, a portal.Actor, kind portal.VocabularyKind, id int64, version int, active bool) error {
	v, err := vocabulary(kind)
	if err != nil {
		return err
	}
	return db.Transact(ctx, func(tx pgx.Tx) error {
		before, err := termByID(ctx, tx, v, kind, id, true)
		if err != nil {
			return err
		}
		if before.Version != version {
			return fmt.Errorf("set %s %d active at version %d, now %d: %w", v.table, id, version, before.Version, portal.ErrConflict)
		}
		if before.Active == active {
			return nil
		}
		if _, err := tx.Exec(ctx, `
			UPDATE `+v.table+` SET active = $2, version = version + 1, updated_at = now() WHERE id = $1`,
			id, active); err != nil {
			return fmt.Errorf("set %s %d active: %w", v.table, id, err)
		}
		action := v.retired
		if active {
			action = v.restored
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: action, ObjectType: v.objectType, ObjectID: id,
			Changes: map[string]portal.Change{"active": {Before: before.Active, After: active}},
		})
	})
}

// MoveTerm swaps term id with its neighbour above (up) or below. The first
// term cannot go up nor the last down: that changes nothing. Moving does
// not change a term's version: its edit form does not hold the position,
// so an edit opened before a move may still be saved.
func (db *DB) MoveTerm(ctx context.Context, a portal.Actor, kind portal.VocabularyKind, id int64, up bool) error {
	v, err := vocabulary(kind)
	if err != nil {
		return err
	}
	return db.Transact(ctx, func(tx pgx.Tx) error {
		// One mover at a time, so that two moves cannot interleave.
		if _, err := tx.Exec(ctx, `LOCK TABLE `+v.table+` IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return fmt.Errorf("lock %s: %w", v.table, err)
		}
		t, err := termByID(ctx, tx, v, kind, id, true)
		if err != nil {
			return err
		}
		neighbour := `SELECT id, position FROM ` + v.table + ` WHERE position > $1 ORDER BY position LIMIT 1`
		if up {
			neighbour = `SELECT id, position FROM ` + v.table + ` WHERE position < $1 ORDER BY position DESC LIMIT 1`
		}
		var otherID int64
		var otherPos int
		err = tx.QueryRow(ctx, neighbour, t.Position).Scan(&otherID, &otherPos)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("neighbour of %s %d: %w", v.table, id, err)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE `+v.table+` SET position = CASE id WHEN $1 THEN $3::int ELSE $4::int END, updated_at = now()
			WHERE id IN ($1, $2)`, id, otherID, otherPos, t.Position); err != nil {
			return fmt.Errorf("move %s %d: %w", v.table, id, err)
		}
		if err := writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: v.moved, ObjectType: v.objectType, ObjectID: id,
			Changes: map[string]portal.Change{"position": {Before: t.Position, After: otherPos}},
		}); err != nil {
			return err
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: v.moved, ObjectType: v.objectType, ObjectID: otherID,
			Changes: map[string]portal.Change{"position": {Before: otherPos, After: t.Position}},
		})
	})
}
