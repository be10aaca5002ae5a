package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"ngoportal/internal/pgtest"
	"ngoportal/internal/postgres"
)

// TestOutageErrors classifies the errors the driver gives for a broken
// connection, an unreachable server and refused characters, as the
// database itself produces them.
func TestOutageErrors(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := t.Context()

	var pid int32
	conn, err := db.Pool().Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	other, err := pgx.Connect(ctx, db.Pool().Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(context.Background())
	if _, err := other.Exec(ctx, `SELECT pg_terminate_backend($1, 5000)`, pid); err != nil {
		t.Fatal(err)
	}
	_, lost := conn.Exec(ctx, `SELECT 1`)
	_, closedErr := conn.Exec(ctx, `SELECT 1`) // the same connection, now closed by the driver
	conn.Release()

	unreachable, err := postgres.Open(ctx, "postgres://nobody@127.0.0.1:1/none?connect_timeout=1")
	if err == nil {
		unreachable.Close()
	}
	refused := err

	_, nul := db.Pool().Exec(ctx, `SELECT $1::text`, "a\x00b")
	_, syntax := db.Pool().Exec(ctx, `SELEC 1`)

	cases := []struct {
		name                         string
		err                          error
		lost, unavailable, badString bool
	}{
		{"Terminated", lost, true, true, false},
		{"ClosedConn", closedErr, true, true, false},
		{"Wrapped", fmt.Errorf("load page: %w", lost), true, true, false},
		{"ConnectionRefused", refused, false, true, false},
		{"StartingUp", &pgconn.PgError{Code: "57P03"}, false, true, false},
		{"NUL", nul, false, false, true},
		{"Untranslatable", &pgconn.PgError{Code: "22P05"}, false, false, true},
		{"SyntaxError", syntax, false, false, false},
		{"Timeout", context.DeadlineExceeded, false, false, false},
		{"Nil", nil, false, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err == nil && tc.name != "Nil" {
				t.Fatal("no error to classify")
			}
			if got := postgres.ConnectionLost(tc.err); got != tc.lost {
				t.Errorf("ConnectionLost(%v) = %v", tc.err, got)
			}
			if got := postgres.Unavailable(tc.err); got != tc.unavailable {
				t.Errorf("Unavailable(%v) = %v", tc.err, got)
			}
			if got := postgres.InvalidText(tc.err); got != tc.badString {
				t.Errorf("InvalidText(%v) = %v", tc.err, got)
			}
		})
	}

	// After a Reset the pool answers again on fresh connections.
	db.Reset()
	if err := db.Ping(ctx); err != nil {
		t.Errorf("ping after Reset: %v", err)
	}
}
