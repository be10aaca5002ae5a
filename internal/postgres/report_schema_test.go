package postgres_test

import (
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"ngoportal/internal/pgtest"
)

// The database itself holds one cover page per report, whatever the code
// above it does.
func TestOneCoverPerReport(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db := pgtest.New(t)
	if err := db.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	var reportID int64
	if err := db.Pool().QueryRow(ctx, `
		INSERT INTO reports (cycle_id, ngo_id)
		SELECT c.id, n.id FROM reporting_cycles c, ngos n
		WHERE c.review_year = 2026 AND n.slug = 'women-lawyers'
		RETURNING id`).Scan(&reportID); err != nil {
		t.Fatal(err)
	}
	insert := func(kind string) error {
		_, err := db.Pool().Exec(ctx, `
			INSERT INTO report_attachments (report_id, kind, filename, content_type, size_bytes, sha256, data)
			VALUES ($1, $2, 'cover.pdf', 'application/pdf', 5, sha256('%PDF-'), '%PDF-')`, reportID, kind)
		return err
	}
	for _, kind := range []string{"cover", "supporting", "supporting"} {
		if err := insert(kind); err != nil {
			t.Fatalf("insert %s: %v", kind, err)
		}
	}
	var pgErr *pgconn.PgError
	if err := insert("cover"); !errors.As(err, &pgErr) || pgErr.Code != "23505" {
		t.Errorf("a second cover: err = %v, want a unique violation", err)
	}
}
