package postgres_test

import (
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// The audit log is append-only for the connection the portal uses: the
// migration's triggers refuse every UPDATE, DELETE and TRUNCATE.
func TestAuditLogAppendOnly(t *testing.T) {
	t.Parallel()
	f := newUserFixture(t)
	ctx := t.Context()
	f.invite(t, "witness@example.org", portal.RoleStaff, f.ngo)
	var before int
	if err := f.db.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_log`).Scan(&before); err != nil || before == 0 {
		t.Fatalf("audit rows before: %d, %v", before, err)
	}
	for _, stmt := range []struct{ name, sql string }{
		{"ErrUpdate", `UPDATE audit_log SET actor_email = 'forged@example.org'`},
		{"ErrDelete", `DELETE FROM audit_log`},
		{"ErrTruncate", `TRUNCATE audit_log`},
	} {
		t.Run(stmt.name, func(t *testing.T) {
			_, err := f.db.Pool().Exec(ctx, stmt.sql)
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
				t.Fatalf("err = %v, want insufficient_privilege from the append-only trigger", err)
			}
		})
	}
	var after int
	var forged int
	if err := f.db.Pool().QueryRow(ctx, `
		SELECT count(*), count(*) FILTER (WHERE actor_email = 'forged@example.org') FROM audit_log`).Scan(&after, &forged); err != nil {
		t.Fatal(err)
	}
	if after != before || forged != 0 {
		t.Errorf("audit rows after: %d (forged %d), want %d untouched", after, forged, before)
	}
	// Appending still works.
	if _, err := f.db.Pool().Exec(ctx, `INSERT INTO audit_log (action) VALUES ('test.append')`); err != nil {
		t.Errorf("append: %v", err)
	}
}

func TestListAudit(t *testing.T) {
	t.Parallel()
	f := newUserFixture(t) // the seed writes no audit rows
	ctx := t.Context()
	pool := f.db.Pool()
	other := f.ngo + 1
	// 60 rows at known instants: 2021-01-18 23:30 (Shanghai) onwards, one
	// every 10 minutes; even rows by the admin about f.ngo, odd ones by a
	// staff member about the other NGO; every third a failed sign-in.
	start := time.Date(2021, 1, 18, 23, 30, 0, 0, portal.FederationZone)
	for i := range 60 {
		actor, ngo, action := "admin@example.org", f.ngo, portal.AuditUserUpdated
		if i%2 == 1 {
			actor, ngo = "ngo02@example.org", other
		}
		if i%3 == 0 {
			action = portal.AuditSignInFailed
		}
		if _, err := pool.Exec(ctx, `
			INSERT INTO audit_log (at, actor_email, action, object_type, object_id, ngo_id, client_addr, changes)
			VALUES ($1, $2, $3, 'user', $4, $5, '203.0.113.9', '{"name": {"before": "a", "after": "b"}}')`,
			start.Add(time.Duration(i)*10*time.Minute), actor, action, 1000+i, ngo); err != nil {
			t.Fatal(err)
		}
	}
	day := func(d int) time.Time { return time.Date(2021, 1, d, 0, 0, 0, 0, portal.FederationZone) }
	cases := []struct {
		name   string
		filter postgres.AuditFilter
		total  int
	}{
		{"ActorSubstringAnyCase", postgres.AuditFilter{Actor: "NGO02@"}, 30},
		{"NGO", postgres.AuditFilter{NGOID: f.ngo}, 30},
		{"Action", postgres.AuditFilter{Action: portal.AuditSignInFailed}, 20},
		// Rows 0..2 fall on 18 January (23:30, 23:40, 23:50), the rest on the 19th.
		{"FromDay", postgres.AuditFilter{From: day(19), Until: day(20)}, 57},
		{"UntilDay", postgres.AuditFilter{From: day(18), Until: day(19)}, 3},
		{"Combined", postgres.AuditFilter{Actor: "admin@", Action: portal.AuditSignInFailed, From: day(19)}, 9},
		{"AboutUser", postgres.AuditFilter{UserID: 1005}, 1},
		{"NoMatch", postgres.AuditFilter{Actor: "' OR 1=1 --"}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.filter.Limit = 50
			es, total, err := f.db.ListAudit(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if total != tc.total || len(es) != min(50, tc.total) {
				t.Errorf("total %d, page %d; want %d", total, len(es), tc.total)
			}
		})
	}
	t.Run("OKNewestFirstAndPaged", func(t *testing.T) {
		first, total, err := f.db.ListAudit(ctx, postgres.AuditFilter{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		second, _, err := f.db.ListAudit(ctx, postgres.AuditFilter{Limit: 50, Offset: 50})
		if err != nil {
			t.Fatal(err)
		}
		if total != 60 || len(first) != 50 || len(second) != 10 {
			t.Fatalf("pages of %d and %d, total %d", len(first), len(second), total)
		}
		if !first[0].At.Equal(start.Add(590*time.Minute)) || !second[9].At.Equal(start) {
			t.Errorf("order: first %v, last %v", first[0].At, second[9].At)
		}
		e := first[0]
		if e.ClientAddr != "203.0.113.9" || e.NGOName == "" || e.NGONameEN == "" || e.Changes["name"].Before != "a" || e.Changes["name"].After != "b" {
			t.Errorf("entry = %+v", e)
		}
	})
}
