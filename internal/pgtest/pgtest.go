// Package pgtest gives each test its own PostgreSQL database, cloned from a
// template that has every migration applied. The server is TEST_DATABASE_URL
// when set, else the project's private cluster under .data/ (never the
// database `make run` uses: each test gets a database of its own).
package pgtest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver pgtestdb opens
	"github.com/peterldowns/pgtestdb"

	"ngoportal/internal/devdb"
	"ngoportal/internal/postgres"
	"ngoportal/migrations"
)

// New returns a migrated database of the test's own, closed and dropped when
// the test ends (kept for inspection when it fails).
func New(t testing.TB) *postgres.DB {
	t.Helper()
	conf := pgtestdb.Custom(t, serverConfig(t), migrator{})
	db, err := postgres.Open(t.Context(), conf.URL())
	if err != nil {
		t.Fatalf("pgtest: open test database: %v", err)
	}
	t.Cleanup(db.Close)
	return db
}

// Traced returns a second handle on db's database whose connections report
// every statement they send to tracer, closed when the test ends: for
// tests that count or read a page's statements.
func Traced(t testing.TB, db *postgres.DB, tracer pgx.QueryTracer) *postgres.DB {
	t.Helper()
	cfg := db.Pool().Config()
	cfg.ConnConfig.Tracer = tracer
	pool, err := pgxpool.NewWithConfig(t.Context(), cfg)
	if err != nil {
		t.Fatalf("pgtest: traced pool: %v", err)
	}
	t.Cleanup(pool.Close)
	return postgres.New(pool)
}

// URL returns the connection URL of a fresh, empty (unmigrated) database of
// the test's own, for tests of the migrations themselves.
func URL(t testing.TB) string {
	t.Helper()
	return pgtestdb.Custom(t, serverConfig(t), pgtestdb.NoopMigrator{}).URL()
}

// serverConfig describes the server the test databases are made on.
func serverConfig(t testing.TB) pgtestdb.Config {
	t.Helper()
	raw := os.Getenv("TEST_DATABASE_URL")
	if raw == "" {
		dir, err := devdb.FindRepoData()
		if err != nil {
			t.Fatalf("pgtest: TEST_DATABASE_URL is not set and the project checkout was not found: %v", err)
		}
		c, err := devdb.Ensure(context.Background(), devdb.Options{Dir: dir, Log: io.Discard})
		if err != nil {
			t.Fatalf("pgtest: private PostgreSQL cluster: %v", err)
		}
		raw = c.URL("postgres")
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("pgtest: TEST_DATABASE_URL: %v", err)
	}
	pw, _ := u.User.Password()
	conf := pgtestdb.Config{
		DriverName: "pgx",
		Host:       u.Hostname(),
		Port:       u.Port(),
		User:       u.User.Username(),
		Password:   pw,
		Database:   strings.TrimPrefix(u.Path, "/"),
		Options:    u.RawQuery,
	}
	if conf.Port == "" {
		conf.Port = "5432"
	}
	if conf.Database == "" {
		conf.Database = "postgres"
	}
	return conf
}

// migrator applies the embedded migrations to the template database.
type migrator struct{}

// Hash changes whenever a migration file does, so a changed migration gets a
// new template.
func (migrator) Hash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, p)
		if err != nil {
			return err
		}
		h.Write([]byte(p))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil)), err
}

// Migrate applies every migration.
func (migrator) Migrate(ctx context.Context, db *sql.DB, _ pgtestdb.Config) error {
	m, err := postgres.NewMigrator(db, migrations.FS)
	if err != nil {
		return err
	}
	return m.Up(ctx, slog.New(slog.DiscardHandler))
}

// ServerURL returns the URL of the server's maintenance database, as a role
// that may create databases: for harnesses that keep databases of their own
// across runs (the scale benchmarks' templates).
func ServerURL(t testing.TB) string {
	t.Helper()
	return serverConfig(t).URL()
}

// MigrationsHash changes whenever a migration file does: part of the name of
// a template that holds migrated data.
func MigrationsHash() (string, error) { return migrator{}.Hash() }
