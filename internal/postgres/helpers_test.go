package postgres_test

import (
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/pgtest"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

func errorsIs(err, target error) bool { return errors.Is(err, target) }

// testDB is a test's own database and the small helpers every fixture
// uses; the fixtures embed it.
type testDB struct {
	db *postgres.DB
}

// newDemoDB returns a migrated database of the test's own with the demo
// federation loaded.
func newDemoDB(t *testing.T) testDB {
	t.Helper()
	return testDB{db: pgtest.NewDemo(t)}
}

// id runs sql, which returns one number, and fails the test on an error.
func (d testDB) id(t *testing.T, sql string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := d.db.Pool().QueryRow(t.Context(), sql, args...).Scan(&id); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return id
}

// ids runs sql, which returns one number a row, and fails the test on an
// error.
func (d testDB) ids(t *testing.T, sql string, args ...any) []int64 {
	t.Helper()
	rows, err := d.db.Pool().Query(t.Context(), sql, args...)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return ids
}

// exec runs sql and fails the test on an error.
func (d testDB) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if _, err := d.db.Pool().Exec(t.Context(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// actor is the account with email as the audit log records who acted.
func (d testDB) actor(t *testing.T, email string) portal.Actor {
	t.Helper()
	return portal.Actor{Email: email, UserID: d.id(t, `SELECT id FROM users WHERE email = $1`, email)}
}

// auditRow is one row of the audit log as the tests check it.
type auditRow struct {
	Action     string
	ObjectType string
	ObjectID   int64
	NGOID      int64
	ActorID    int64
	Changes    map[string]portal.Change
}

// audits reads the audit rows matching cond (a condition on audit_log,
// with args), oldest first.
func (d testDB) audits(t *testing.T, cond string, args ...any) []auditRow {
	t.Helper()
	rows, err := d.db.Pool().Query(t.Context(), `
		SELECT action, object_type, coalesce(object_id, 0), coalesce(ngo_id, 0), coalesce(actor_id, 0), changes
		FROM audit_log WHERE `+cond+` ORDER BY id`, args...)
	if err != nil {
		t.Fatal(err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[auditRow])
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// objectAudit reads the audit rows about one object of a type, oldest
// first.
func objectAudit(t *testing.T, db *postgres.DB, objectType string, id int64) []auditRow {
	t.Helper()
	return testDB{db}.audits(t, `object_type = $1 AND object_id = $2`, objectType, id)
}

// isoDate is the date written yyyy-mm-dd.
func isoDate(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}
