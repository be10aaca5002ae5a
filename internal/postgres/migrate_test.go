package postgres_test

import (
	"io/fs"
	"log/slog"
	"testing"

	"ngoportal/internal/pgtest"
	"ngoportal/internal/postgres"
	"ngoportal/migrations"
)

func TestMigrate(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db, err := postgres.Open(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m, err := db.NewMigrator()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	log := slog.New(slog.DiscardHandler)

	pending, err := m.Pending(ctx)
	if err != nil || !pending {
		t.Fatalf("empty database: Pending = %v, %v; want true", pending, err)
	}

	// From zero.
	if err := m.Up(ctx, log); err != nil {
		t.Fatalf("first Up: %v", err)
	}
	current, latest, err := m.Version(ctx)
	if err != nil || current != latest || latest < 1 {
		t.Fatalf("after Up: version %d of %d, %v", current, latest, err)
	}
	var tables int
	if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM information_schema.tables
		WHERE table_schema = 'public' AND table_name IN ('ngos', 'officials', 'sessions', 'reporting_cycles', 'session_officials')`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 5 {
		t.Errorf("found %d of the 5 foundation tables", tables)
	}

	// Twice: nothing left to do, nothing applied again.
	if err := m.Up(ctx, log); err != nil {
		t.Fatalf("second Up: %v", err)
	}
	var applied int
	if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM goose_db_version WHERE version_id > 0`).Scan(&applied); err != nil {
		t.Fatal(err)
	}
	// One row per migration file: numbers may leave gaps (a branch that
	// took a later number), so count the files rather than trust latest.
	files, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if applied != len(files) {
		t.Errorf("goose_db_version has %d applied rows after two runs, want %d", applied, len(files))
	}
	if pending, err := m.Pending(ctx); err != nil || pending {
		t.Errorf("after Up: Pending = %v, %v", pending, err)
	}
}
