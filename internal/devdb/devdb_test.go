package devdb

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestSortBinDirs(t *testing.T) {
	got := sortBinDirs([]string{
		"/usr/lib/postgresql/9.6/bin",
		"/usr/lib/postgresql/15/bin",
		"/usr/lib/postgresql/notaversion/bin",
		"/usr/lib/postgresql/16/bin/",
		"/usr/lib/postgresql/10/bin",
		"/usr/lib/postgresql/9.10/bin",
	})
	want := []string{
		"/usr/lib/postgresql/16/bin/",
		"/usr/lib/postgresql/15/bin",
		"/usr/lib/postgresql/10/bin",
		"/usr/lib/postgresql/9.10/bin",
		"/usr/lib/postgresql/9.6/bin",
	}
	if !slices.Equal(got, want) {
		t.Errorf("sortBinDirs = %q, want %q", got, want)
	}
}

func TestClusterURL(t *testing.T) {
	c := Cluster{Host: "127.0.0.1", Port: 54329, User: "ngoportal", Password: "p@ss:/w?rd#%"}
	tests := []struct{ name, db string }{
		{"Plain", "ngoportal"},
		{"Reserved", "a b/c?d#e%f&g"},
		{"Chinese", "数据库"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := c.URL(tt.db)
			if !strings.HasSuffix(u, "?sslmode=disable") {
				t.Errorf("URL %q does not end in ?sslmode=disable", u)
			}
			cfg, err := pgconn.ParseConfig(u)
			if err != nil {
				t.Fatalf("pgconn.ParseConfig(%q): %v", u, err)
			}
			if cfg.Host != c.Host || int(cfg.Port) != c.Port || cfg.User != c.User ||
				cfg.Password != c.Password || cfg.Database != tt.db || cfg.TLSConfig != nil {
				t.Errorf("URL %q parses to host=%q port=%d user=%q password=%q db=%q tls=%v",
					u, cfg.Host, cfg.Port, cfg.User, cfg.Password, cfg.Database, cfg.TLSConfig != nil)
			}
		})
	}
	if got, want := c.URL("ngoportal"), "postgres://ngoportal:p%40ss%3A%2Fw%3Frd%23%25@127.0.0.1:54329/ngoportal?sslmode=disable"; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
}

func TestIsPortalGoMod(t *testing.T) {
	tests := []struct {
		name, gomod string
		want        bool
	}{
		{"OK", "module ngoportal\n\ngo 1.26\n", true},
		{"CommentFirst", "// the portal\nmodule ngoportal\n", true},
		{"OtherModule", "module ngoportal/tools\n", false},
		{"Empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isPortalGoMod([]byte(tt.gomod)); got != tt.want {
				t.Errorf("isPortalGoMod(%q) = %v, want %v", tt.gomod, got, tt.want)
			}
		})
	}
}

// TestEnsure runs a real cluster: concurrent creation, connection, database
// creation, reuse without a second initdb or restart, stop and restart.
func TestEnsure(t *testing.T) {
	dir := filepath.Join(traversableTempDir(t), ".data")
	port := freePort(t)
	t.Setenv(portEnv, strconv.Itoa(port))
	opts := Options{Dir: dir, Log: testLog{t}}
	stopOnCleanup(t, opts)
	ctx := t.Context()

	// Several callers at once, as several test binaries would.
	var (
		wg       sync.WaitGroup
		clusters [4]Cluster
		errs     [4]error
	)
	for i := range clusters {
		wg.Go(func() { clusters[i], errs[i] = Ensure(ctx, opts) })
	}
	wg.Wait()
	for i := range clusters {
		if errs[i] != nil {
			t.Fatalf("Ensure #%d: %v", i, errs[i])
		}
		if clusters[i] != clusters[0] {
			t.Fatalf("Ensure #%d = %+v, want %+v", i, clusters[i], clusters[0])
		}
	}
	c := clusters[0]
	if c.Port < port || c.Host != "127.0.0.1" || c.User != "ngoportal" || len(c.Password) != 48 {
		t.Fatalf("Ensure = %+v; want 127.0.0.1, port >= %d, user ngoportal, 48-hex password", c, port)
	}
	pgdata := filepath.Join(dir, "pg", "data")
	if fi, err := os.Stat(filepath.Join(dir, "pg", "password")); err != nil {
		t.Error(err)
	} else if fi.Mode().Perm() != 0o600 {
		t.Errorf("password file mode %v, want 0600", fi.Mode().Perm())
	}

	querySelect1(t, c.URL("postgres"))
	for range 2 {
		if err := CreateDatabase(ctx, c, "devdb test"); err != nil {
			t.Fatalf("CreateDatabase: %v", err)
		}
	}
	querySelect1(t, c.URL("devdb test"))
	wantNameCollations(t, c.URL("devdb test"))

	versionTime := mtime(t, filepath.Join(pgdata, "PG_VERSION"))
	pid, err := os.ReadFile(filepath.Join(pgdata, "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := Ensure(ctx, opts)
	if err != nil {
		t.Fatalf("second Ensure: %v", err)
	}
	if again != c {
		t.Errorf("second Ensure = %+v, want %+v", again, c)
	}
	if got := mtime(t, filepath.Join(pgdata, "PG_VERSION")); !got.Equal(versionTime) {
		t.Errorf("PG_VERSION mtime changed from %v to %v: initdb ran twice", versionTime, got)
	}
	if pid2, _ := os.ReadFile(filepath.Join(pgdata, "postmaster.pid")); string(pid2) != string(pid) {
		t.Errorf("postmaster.pid changed: the server was restarted instead of reused")
	}

	running, dataDir, err := Status(ctx, opts)
	if err != nil || !running || dataDir != pgdata {
		t.Errorf("Status = %v, %q, %v; want true, %q, nil", running, dataDir, err, pgdata)
	}
	if err := Stop(ctx, opts); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if running, _, err := Status(ctx, opts); err != nil || running {
		t.Errorf("Status after Stop = %v, %v; want false, nil", running, err)
	}

	restarted, err := Ensure(ctx, opts)
	if err != nil {
		t.Fatalf("Ensure after Stop: %v", err)
	}
	if restarted != c {
		t.Errorf("Ensure after Stop = %+v, want %+v", restarted, c)
	}
	querySelect1(t, c.URL("devdb test"))
	if got := mtime(t, filepath.Join(pgdata, "PG_VERSION")); !got.Equal(versionTime) {
		t.Errorf("PG_VERSION mtime changed on restart: initdb ran again")
	}

	// Another program takes the port while the cluster is down: the
	// cluster moves instead of failing, and keeps its data.
	if err := Stop(ctx, opts); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	squatter, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(c.Port)))
	if err != nil {
		t.Fatal(err)
	}
	defer squatter.Close()
	moved, err := Ensure(ctx, opts)
	if err != nil {
		t.Fatalf("Ensure with the port taken: %v", err)
	}
	if moved.Port == c.Port {
		t.Fatalf("Ensure with port %d taken kept it", c.Port)
	}
	querySelect1(t, moved.URL("devdb test"))
	if p, err := readPort(filepath.Join(dir, "pg", "port")); err != nil || p != moved.Port {
		t.Errorf("port file = %d, %v; want %d", p, err, moved.Port)
	}
}

func TestLock(t *testing.T) {
	s, err := newSetup(Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	unlock, err := s.lock(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	if _, err := s.lock(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("lock while held = %v, want context.DeadlineExceeded", err)
	}
	unlock()
	// The abandoned waiter takes the lock when it is freed and must give
	// it back, or this blocks until the test times out.
	ctx, cancel = context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	unlock, err = s.lock(ctx)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	unlock()
}

func TestLayoutSocketPath(t *testing.T) {
	short := layoutAt("/work/main/.data/pg")
	if short.sock != "/work/main/.data/pg/sock" {
		t.Errorf("short base: sock = %q", short.sock)
	}
	deep := "/" + strings.Repeat("d/", 50) + ".data/pg"
	l := layoutAt(deep)
	if strings.HasPrefix(l.sock, deep) || len(l.sock)+len("/.s.PGSQL.65535") > maxSocketPath {
		t.Errorf("deep base: sock = %q, want a short directory outside it", l.sock)
	}
	if l.data != deep+"/data" {
		t.Errorf("deep base: data = %q", l.data)
	}
}

// TestEnsureFallback checks that root, whose .data the server account cannot
// reach, gets a cluster under the temporary directory, recorded in
// pg-location.
func TestEnsureFallback(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the fallback is only used when running as root")
	}
	// t.TempDir's parent is 0700 and owned by root: closed to postgres.
	dir := filepath.Join(t.TempDir(), ".data")
	t.Setenv(portEnv, strconv.Itoa(freePort(t)))
	opts := Options{Dir: dir, Log: testLog{t}}
	s, err := newSetup(opts)
	if err != nil {
		t.Fatal(err)
	}
	fallback := s.fallbackBase()
	t.Cleanup(func() { os.RemoveAll(fallback) })
	stopOnCleanup(t, opts)

	c, err := Ensure(t.Context(), opts)
	if err != nil {
		t.Fatalf("Ensure: %v", err)
	}
	loc, err := os.ReadFile(filepath.Join(dir, "pg-location"))
	if err != nil || strings.TrimSpace(string(loc)) != fallback {
		t.Fatalf("pg-location = %q, %v; want %q", loc, err, fallback)
	}
	if !exists(filepath.Join(fallback, "data", "PG_VERSION")) {
		t.Errorf("no cluster in %s", fallback)
	}
	querySelect1(t, c.URL("postgres"))
	if _, dataDir, err := Status(t.Context(), opts); err != nil || dataDir != filepath.Join(fallback, "data") {
		t.Errorf("Status data dir = %q, %v; want %q", dataDir, err, filepath.Join(fallback, "data"))
	}
}

// traversableTempDir returns a t.TempDir whose parent is opened to other
// users, so that the postgres account can reach it when the test runs as
// root (t.TempDir makes its parent 0700).
func traversableTempDir(t *testing.T) string {
	t.Helper()
	d := t.TempDir()
	for _, p := range []string{filepath.Dir(d), d} {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// stopOnCleanup stops the cluster of opts when the test ends, even if it
// failed half-way.
func stopOnCleanup(t *testing.T, opts Options) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := Stop(ctx, opts); err != nil {
			t.Errorf("Stop in cleanup: %v", err)
		}
	})
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func querySelect1(t *testing.T, url string) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatalf("connect %s: %v", url, err)
	}
	defer conn.Close(context.Background())
	var one int
	if err := conn.QueryRow(t.Context(), "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("SELECT 1 = %d, %v", one, err)
	}
}

// wantNameCollations fails the test unless the database has the ICU
// collations the migrations give the name columns (00008_name_collation):
// initdb imports them when PostgreSQL is built with ICU, whatever the
// cluster's own locale (C.UTF-8 here).
func wantNameCollations(t *testing.T, url string) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatalf("connect %s: %v", url, err)
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(t.Context(), `
		SELECT collname FROM pg_collation WHERE collname IN ('zh-Hans-x-icu', 'en-x-icu') ORDER BY collname`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"en-x-icu", "zh-Hans-x-icu"}; !slices.Equal(got, want) {
		t.Errorf("collations %q, want %q: the migrations need PostgreSQL built with ICU", got, want)
	}
}

func mtime(t *testing.T, path string) time.Time {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.ModTime()
}

// testLog sends progress messages to the test log.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
