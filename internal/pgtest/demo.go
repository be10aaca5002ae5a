package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/peterldowns/pgtestdb"

	"ngoportal/internal/demo"
	"ngoportal/internal/postgres"
)

// NewDemo returns a migrated database of the test's own with the demo
// federation loaded (demo.Seed), closed and dropped when the test ends (kept
// for inspection when it fails). It is what pgtest.New followed by
// demo.Seed gives, at the cost of a copy: the first call of a test binary
// seeds a template database, and every call clones it.
//
// The template lives as long as the test binary: the demo data comes from
// Go code, which no hash of the migrations describes, so no run reuses
// another's. A template whose binary has ended is dropped by the next one
// that builds its own.
func NewDemo(t testing.TB) *postgres.DB {
	t.Helper()
	conf := serverConfig(t)
	tpl, err := demoTemplate(t, conf)
	if err != nil {
		t.Fatalf("pgtest: demo template: %v", err)
	}
	inst := conf
	role := pgtestdb.DefaultRole()
	inst.User, inst.Password = role.Username, role.Password
	inst.Database = tpl + "_inst_" + randomHex(4)
	if err := adminExec(conf, `CREATE DATABASE `+ident(inst.Database)+` TEMPLATE `+ident(tpl)+` OWNER `+ident(role.Username)); err != nil {
		t.Fatalf("pgtest: clone %s: %v", tpl, err)
	}
	db, err := postgres.Open(t.Context(), inst.URL())
	if err != nil {
		t.Fatalf("pgtest: open test database: %v", err)
	}
	t.Cleanup(func() {
		db.Close()
		if t.Failed() {
			t.Logf("pgtest: kept %s", inst.URL())
			return
		}
		if err := adminExec(conf, `DROP DATABASE IF EXISTS `+ident(inst.Database)); err != nil {
			t.Errorf("pgtest: drop %s: %v", inst.Database, err)
		}
	})
	return db
}

// demoTemplates is this binary's demo template per server: built once, its
// name held under a session advisory lock by keeper for as long as the
// binary runs, which tells the other binaries it is in use.
var demoTemplates = struct {
	sync.Mutex
	m map[string]*demoTpl
}{m: map[string]*demoTpl{}}

type demoTpl struct {
	name   string
	err    error
	keeper *pgx.Conn
}

// demoLockClass is the first key of the advisory locks that mark the demo
// templates in use; the second is hashtext of the template's name.
const demoLockClass = `hashtext('ngoportal pgtest demo template')`

// demoTemplate returns the name of this binary's demo template on the
// server, building it on the first call.
func demoTemplate(t testing.TB, conf pgtestdb.Config) (string, error) {
	t.Helper()
	demoTemplates.Lock()
	defer demoTemplates.Unlock()
	key := conf.URL()
	if d, ok := demoTemplates.m[key]; ok {
		return d.name, d.err
	}
	d := &demoTpl{name: "testdb_demo_" + randomHex(8)}
	d.err = buildDemoTemplate(t, conf, d)
	demoTemplates.m[key] = d
	return d.name, d.err
}

// buildDemoTemplate locks d's name, drops the templates of binaries that
// have ended, then copies a migrated database (pgtestdb's template, through
// an instance of the calling test) and seeds the demo data into the copy.
func buildDemoTemplate(t testing.TB, conf pgtestdb.Config, d *demoTpl) error {
	ctx := context.Background()
	keeper, err := pgx.Connect(ctx, conf.URL())
	if err != nil {
		return err
	}
	// Never closed: the lock goes when the binary ends and its connection
	// with it.
	d.keeper = keeper
	if _, err := keeper.Exec(ctx, `SELECT pg_advisory_lock(`+demoLockClass+`, hashtext($1))`, d.name); err != nil {
		return err
	}
	if err := dropEndedDemoTemplates(ctx, keeper, d.name); err != nil {
		return err
	}
	migrated := pgtestdb.Custom(t, conf, migrator{})
	role := pgtestdb.DefaultRole()
	if _, err := keeper.Exec(ctx, `CREATE DATABASE `+ident(d.name)+` TEMPLATE `+ident(migrated.Database)+` OWNER `+ident(role.Username)); err != nil {
		return err
	}
	tpl := *migrated
	tpl.Database = d.name
	db, err := postgres.Open(ctx, tpl.URL())
	if err != nil {
		return err
	}
	defer db.Close()
	if err := demo.Seed(ctx, db); err != nil {
		return fmt.Errorf("seed %s: %w", d.name, err)
	}
	return nil
}

// dropEndedDemoTemplates drops every demo template but own whose lock is
// free: the binary that built it has ended.
func dropEndedDemoTemplates(ctx context.Context, c *pgx.Conn, own string) error {
	rows, err := c.Query(ctx, `SELECT datname FROM pg_database WHERE datname ~ '^testdb_demo_[0-9a-f]{16}$' AND datname <> $1`, own)
	if err != nil {
		return err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, name := range names {
		var free bool
		if err := c.QueryRow(ctx, `SELECT pg_try_advisory_lock(`+demoLockClass+`, hashtext($1))`, name).Scan(&free); err != nil {
			return err
		}
		if !free {
			continue
		}
		_, err := c.Exec(ctx, `DROP DATABASE IF EXISTS `+ident(name)+` WITH (FORCE)`)
		if _, uerr := c.Exec(ctx, `SELECT pg_advisory_unlock(`+demoLockClass+`, hashtext($1))`, name); uerr != nil && err == nil {
			err = uerr
		}
		if err != nil {
			return fmt.Errorf("drop ended demo template %s: %w", name, err)
		}
	}
	return nil
}

// adminExec runs one statement on the server's maintenance database.
func adminExec(conf pgtestdb.Config, sql string) error {
	ctx := context.Background()
	c, err := pgx.Connect(ctx, conf.URL())
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	_, err = c.Exec(ctx, sql)
	return err
}

func ident(name string) string { return pgx.Identifier{name}.Sanitize() }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
