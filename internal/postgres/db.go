// Package postgres holds the portal's SQL: the pool, the transaction
// helper, migrations and the repositories. (The demo seed, internal/demo,
// writes its rows through a Tx.)
package postgres

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"ngoportal/internal/portal"
)

// querier is what both a pool and a transaction offer; helpers that may run
// inside a larger transaction take one.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// DB is the portal's database: one pool, made at start-up and passed
// explicitly.
type DB struct {
	pool *pgxpool.Pool
}

// Open connects a pool to url and checks that the server answers.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database URL: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("reach database %s: %w", cfg.ConnConfig.Host, err)
	}
	return &DB{pool: pool}, nil
}

// New wraps an existing pool.
func New(pool *pgxpool.Pool) *DB { return &DB{pool: pool} }

// Pool returns the underlying pool.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Close closes the pool.
func (db *DB) Close() { db.pool.Close() }

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.pool.Ping(ctx) }

// Tx is one transaction of the portal's database, for a loader that writes
// many rows with its own SQL (the demo seed) and must leave them as the
// repositories would: it runs any statement (it embeds pgx.Tx) and offers
// the repository steps such rows need (Report, CarryOver,
// ReplaceReportRows, AddReportEvent, RequestsForNGO). The portal's own
// writes go through DB's methods, never through a Tx.
type Tx struct {
	pgx.Tx
}

// Load runs fn in one transaction, as Transact does, for a loader.
func (db *DB) Load(ctx context.Context, fn func(tx Tx) error) error {
	return db.Transact(ctx, func(tx pgx.Tx) error { return fn(Tx{tx}) })
}

// Transact runs fn in one transaction: committed when fn returns nil, rolled
// back on an error or a panic.
func (db *DB) Transact(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db.pool, fn)
}

// readSnapshot runs fn in one read-only repeatable-read transaction, so
// that every query of a read made of several sees the same state.
func (db *DB) readSnapshot(ctx context.Context, fn func(tx pgx.Tx) error) error {
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	return pgx.BeginTxFunc(ctx, db.pool, opts, fn)
}

// rowTo makes a pgx.RowToFunc of a scan-args function (the destinations of
// a column list, in its order), for pgx.CollectRows.
func rowTo[T any](scanArgs func(*T) []any) pgx.RowToFunc[T] {
	return func(row pgx.CollectableRow) (T, error) {
		var v T
		err := row.Scan(scanArgs(&v)...)
		return v, err
	}
}

// translate maps driver errors onto the portal's error vocabulary at the
// repository boundary.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: %w", portal.ErrNotFound, err)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return fmt.Errorf("%w: %w", portal.ErrConflict, err)
	}
	return err
}

// nullIfZero maps the zero value (0, "", an empty id) to SQL NULL.
func nullIfZero[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
}

// optionalTime maps the zero time to SQL NULL: no bound, or "now" where a
// statement supplies it.
func optionalTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// addrOrNil is a client address for an inet column; NULL when unknown.
func addrOrNil(a netip.Addr) any {
	if !a.IsValid() {
		return nil
	}
	return a.String()
}

// likePattern turns what a reader typed into an ILIKE pattern that matches
// it anywhere, with LIKE's wildcards (and its escape character, the
// backslash) taken literally; "" for no filter.
func likePattern(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	return "%" + likeEscaper.Replace(s) + "%"
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
