package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"ngoportal/internal/portal"
)

// writeAudit appends one row to the audit log. It takes a querier so that
// the row is written in the same transaction as the change it records.
func writeAudit(ctx context.Context, q querier, a portal.Actor, e portal.AuditEvent) error {
	changes := e.Changes
	if changes == nil {
		changes = map[string]portal.Change{}
	}
	raw, err := json.Marshal(changes)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	_, err = q.Exec(ctx, `
		INSERT INTO audit_log (actor_id, actor_email, action, object_type, object_id, ngo_id, client_addr, request_id, changes)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		nullIfZero(a.UserID), a.Email, e.Action, e.ObjectType, nullIfZero(e.ObjectID), nullIfZero(e.NGOID), addrOrNil(a.ClientAddr), a.RequestID, raw)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// versionedUpdate is one save of a registry row (an NGO, an official, a
// vocabulary term) from an edit form loaded at version.
type versionedUpdate[T interface{ AuditFields() map[string]any }] struct {
	what      string                            // the row in errors: "NGO 3"
	version   int                               // the version the form was loaded at
	load      func(lock bool) (T, error)        // reads the row, FOR UPDATE when lock
	versionOf func(T) int                       // the version of a row read
	after     func(before T) map[string]any     // the audited fields as they will be saved
	write     func() (pgconn.CommandTag, error) // the UPDATE; its error is wrapped as is
	event     portal.AuditEvent                 // the audit row; Changes is filled in
}

// saveVersioned runs u in tx: it loads the row locked, refuses a row
// changed since u.version with ErrConflict, writes nothing when no audited
// field changes, and otherwise writes, reads the row back and audits the
// fields that changed. It returns the row as saved.
func saveVersioned[T interface{ AuditFields() map[string]any }](ctx context.Context, tx pgx.Tx, a portal.Actor, u versionedUpdate[T]) (T, error) {
	var zero T
	before, err := u.load(true)
	if err != nil {
		return zero, err
	}
	if now := u.versionOf(before); now != u.version {
		return zero, fmt.Errorf("update %s at version %d, now %d: %w", u.what, u.version, now, portal.ErrConflict)
	}
	changes := portal.Diff(before.AuditFields(), u.after(before))
	if len(changes) == 0 {
		return before, nil
	}
	tag, err := u.write()
	if err != nil {
		return zero, fmt.Errorf("update %s: %w", u.what, err)
	}
	if tag.RowsAffected() != 1 {
		// The row is locked above, so this cannot happen; never report
		// success for a save that did not land.
		return zero, fmt.Errorf("update %s: %w", u.what, portal.ErrConflict)
	}
	saved, err := u.load(false)
	if err != nil {
		return zero, err
	}
	u.event.Changes = changes
	return saved, writeAudit(ctx, tx, a, u.event)
}

// AuditFilter selects audit entries; zero values select all.
type AuditFilter struct {
	Actor  string    // part of the actor's email, any case
	NGOID  int64     // entries about this NGO
	Action string    // one of portal.AuditActions
	From   time.Time // entries at or after this instant
	Until  time.Time // entries before this instant
	UserID int64     // entries about this user, or done by them
	Limit  int
	Offset int
}

// ListAudit returns one page of the audit entries that match f, newest
// first, and how many match in all. Every filter value is a query
// parameter; the SQL text never changes.
func (db *DB) ListAudit(ctx context.Context, f AuditFilter) ([]portal.AuditEntry, int, error) {
	args := pgx.NamedArgs{
		"actor":  likePattern(f.Actor),
		"ngo":    f.NGOID,
		"action": f.Action,
		"from":   optionalTime(f.From),
		"until":  optionalTime(f.Until),
		"user":   f.UserID,
		"limit":  f.Limit,
		"offset": f.Offset,
	}
	const where = `
		WHERE (@actor::text = '' OR a.actor_email ILIKE @actor::text ESCAPE '\')
		  AND (@ngo::bigint = 0 OR a.ngo_id = @ngo::bigint)
		  AND (@action::text = '' OR a.action = @action::text)
		  AND (@from::timestamptz IS NULL OR a.at >= @from::timestamptz)
		  AND (@until::timestamptz IS NULL OR a.at < @until::timestamptz)
		  AND (@user::bigint = 0 OR a.actor_id = @user::bigint
		       OR (a.object_type = 'user' AND a.object_id = @user::bigint))`
	var total int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log a`+where, args).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count audit entries: %w", err)
	}
	rows, err := db.pool.Query(ctx, `
		SELECT a.id, a.at, coalesce(a.actor_id, 0), a.actor_email, a.action, a.object_type, coalesce(a.object_id, 0),
		       coalesce(a.ngo_id, 0), coalesce(n.name_zh, ''), coalesce(n.name_en, ''),
		       coalesce(host(a.client_addr), ''), a.request_id, a.changes
		FROM audit_log a LEFT JOIN ngos n ON n.id = a.ngo_id`+where+`
		ORDER BY a.at DESC, a.id DESC
		LIMIT @limit::int OFFSET @offset::int`, args)
	if err != nil {
		return nil, 0, fmt.Errorf("list audit entries: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.AuditEntry, error) {
		var e portal.AuditEntry
		err := row.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorEmail, &e.Action, &e.ObjectType, &e.ObjectID,
			&e.NGOID, &e.NGOName, &e.NGONameEN, &e.ClientAddr, &e.RequestID, &e.Changes)
		return e, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list audit entries: %w", err)
	}
	return out, total, nil
}
