package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/pgtest"
	"ngoportal/internal/postgres"
	"ngoportal/internal/scale"
)

// BenchmarkScalePages measures each page of scalePages over the scale data
// (make bench-scale; docs/benchmarks.md), signed in as the admin, through
// the real router and middleware. It reports the median time of a request
// (ms/median; ns/op is the mean, which a busy machine's outliers pull up)
// and the statements a request sends.
//
// It runs only when BENCH_SCALE is set, so that `make bench` keeps its
// duration. BENCH_NGOS and BENCH_YEARS size the data (default 2000 × 10).
// The seeded data is kept on the server as a template database named from
// the size and a hash of the migrations and of the seeding, so a second run
// clones it in seconds instead of seeding again.
//
//	BENCH_SCALE=1 go test -run '^$' -bench ScalePages ./internal/server/
func BenchmarkScalePages(b *testing.B) {
	if os.Getenv("BENCH_SCALE") == "" {
		b.Skip("set BENCH_SCALE=1 (make bench-scale) to seed and measure the pages at scale")
	}
	o := scale.Options{NGOs: envInt(b, "BENCH_NGOS", scale.DefaultNGOs), Years: envInt(b, "BENCH_YEARS", scale.DefaultYears)}
	ss := newScaleServer(b, scaleClone(b, o))
	for _, p := range scalePages {
		b.Run(p.name, func(b *testing.B) {
			path := p.path(ss.ids)
			status, sql := ss.statements(path)
			if status != http.StatusOK {
				b.Fatalf("GET %s: status %d", path, status)
			}
			r := ss.request(path)
			w := &benchWriter{h: http.Header{}}
			var times []time.Duration
			b.ReportAllocs()
			for b.Loop() {
				w.reset()
				t := time.Now()
				ss.h.srv.ServeHTTP(w, r)
				times = append(times, time.Since(t))
				if w.status != http.StatusOK {
					b.Fatalf("GET %s: status %d", path, w.status)
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms/median")
			b.ReportMetric(float64(len(sql)), "statements")
			b.ReportMetric(float64(w.n), "page-bytes")
		})
	}
}

func envInt(tb testing.TB, name string, def int) int {
	tb.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		tb.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}

// scaleClone returns the URL of a fresh copy of the scale data of size o,
// dropped when the benchmark ends. The data itself is seeded once into a
// template database scale_tpl_<ngos>x<years>_<hash> on the test server
// (TEST_DATABASE_URL, else the private cluster), kept across runs; an
// advisory lock keeps two runs from building it at once, and templates of
// the same size left by older migrations or seedings are dropped.
func scaleClone(tb testing.TB, o scale.Options) string {
	tb.Helper()
	ctx := context.Background() // the template outlives the benchmark
	server := pgtest.ServerURL(tb)
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		tb.Fatalf("scale: connect to the test server: %v", err)
	}
	defer admin.Close(ctx)
	migrations, err := pgtest.MigrationsHash()
	if err != nil {
		tb.Fatal(err)
	}
	prefix := fmt.Sprintf("scale_tpl_%dx%d_", o.NGOs, o.Years)
	tpl := prefix + shortHash(migrations+scale.Fingerprint())

	if _, err := admin.Exec(ctx, `SELECT pg_advisory_lock(hashtext('ngoportal scale templates'))`); err != nil {
		tb.Fatal(err)
	}
	var exists bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, tpl).Scan(&exists); err != nil {
		tb.Fatal(err)
	}
	if !exists {
		buildScaleTemplate(tb, admin, server, tpl, prefix, o)
	}
	clone := fmt.Sprintf("scale_run_%d_%d", os.Getpid(), time.Now().UnixNano())
	t := time.Now()
	_, err = admin.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{clone}.Sanitize()+` TEMPLATE `+pgx.Identifier{tpl}.Sanitize())
	if _, uerr := admin.Exec(ctx, `SELECT pg_advisory_unlock(hashtext('ngoportal scale templates'))`); uerr != nil && err == nil {
		err = uerr
	}
	if err != nil {
		tb.Fatalf("scale: clone %s: %v", tpl, err)
	}
	tb.Logf("scale: %s cloned from %s in %.1fs", clone, tpl, time.Since(t).Seconds())
	tb.Cleanup(func() {
		c, err := pgx.Connect(ctx, server)
		if err != nil {
			tb.Errorf("scale: drop %s: %v", clone, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, `DROP DATABASE IF EXISTS `+pgx.Identifier{clone}.Sanitize()+` WITH (FORCE)`); err != nil {
			tb.Errorf("scale: drop %s: %v", clone, err)
		}
	})
	return withDatabase(tb, server, clone)
}

// buildScaleTemplate migrates and seeds a new database under a temporary
// name, then renames it tpl and marks it a template, so a run interrupted
// half-way never leaves a template that looks complete.
func buildScaleTemplate(tb testing.TB, admin *pgx.Conn, server, tpl, prefix string, o scale.Options) {
	tb.Helper()
	ctx := context.Background()
	rows, err := admin.Query(ctx, `SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, prefix)
	if err != nil {
		tb.Fatal(err)
	}
	stale, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		tb.Fatal(err)
	}
	building := tpl + "_building"
	for _, name := range append(stale, building) {
		id := pgx.Identifier{name}.Sanitize()
		if _, err := admin.Exec(ctx, `ALTER DATABASE `+id+` IS_TEMPLATE false`); err != nil && name != building {
			tb.Fatal(err)
		}
		if _, err := admin.Exec(ctx, `DROP DATABASE IF EXISTS `+id+` WITH (FORCE)`); err != nil {
			tb.Fatal(err)
		}
	}
	if _, err := admin.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{building}.Sanitize()); err != nil {
		tb.Fatal(err)
	}
	start := time.Now()
	db, err := postgres.Open(ctx, withDatabase(tb, server, building))
	if err != nil {
		tb.Fatal(err)
	}
	m, err := db.NewMigrator()
	if err != nil {
		tb.Fatal(err)
	}
	if err := m.Up(ctx, slog.New(slog.DiscardHandler)); err != nil {
		tb.Fatalf("scale: migrate %s: %v", building, err)
	}
	m.Close()
	res, err := scale.Seed(ctx, db, o)
	db.Close()
	if err != nil {
		tb.Fatalf("scale: seed %s: %v", building, err)
	}
	if _, err := admin.Exec(ctx, `ALTER DATABASE `+pgx.Identifier{building}.Sanitize()+` RENAME TO `+pgx.Identifier{tpl}.Sanitize()); err != nil {
		tb.Fatal(err)
	}
	if _, err := admin.Exec(ctx, `ALTER DATABASE `+pgx.Identifier{tpl}.Sanitize()+` IS_TEMPLATE true`); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("scale: %s built: %d NGOs × %d years, %d rows, seeded in %.1fs (%.1fs with the migrations)",
		tpl, o.NGOs, o.Years, res.Rows(), res.Duration.Seconds(), time.Since(start).Seconds())
}

// withDatabase is the server URL naming another database.
func withDatabase(tb testing.TB, server, name string) string {
	tb.Helper()
	u, err := url.Parse(server)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func shortHash(s string) string {
	var h uint64 = 14695981039346656037 // FNV-1a, enough to tell versions apart
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511627211
	}
	return fmt.Sprintf("%012x", h&0xffffffffffff)
}
