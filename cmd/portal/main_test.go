package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"ngoportal/internal/pgtest"
	"ngoportal/internal/postgres"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func TestRunRefusals(t *testing.T) {
	t.Parallel()
	prod := map[string]string{
		"PORTAL_ENV":         "production",
		"DATABASE_URL":       "postgres://nobody@127.0.0.1:1/none",
		"PORTAL_SESSION_KEY": strings.Repeat("s", 40),
		"PORTAL_BASE_URL":    "https://portal.example.org",
	}
	cases := []struct {
		name    string
		args    []string
		env     map[string]string
		mention string
	}{
		{"ErrNoCommand", nil, nil, "no command"},
		{"ErrUnknownCommand", []string{"frobnicate"}, nil, "unknown command"},
		{"ErrSeedWithoutDemo", []string{"seed"}, map[string]string{"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}, "seed --demo"},
		{"ErrSeedDemoInProduction", []string{"seed", "--demo"}, prod, "refused with PORTAL_ENV=production"},
		{"ErrSeedScaleInProduction", []string{"seed", "--scale", "--ngos", "5"}, prod, "refused with PORTAL_ENV=production"},
		{"ErrSeedScaleWithDemo", []string{"seed", "--scale", "--demo"}, nil, "cannot be combined"},
		{"ErrSeedScaleWithoutDatabaseURL", []string{"seed", "--scale"}, nil, "make db-url"},
		{"ErrProductionWithoutSecrets", []string{"serve"}, map[string]string{"PORTAL_ENV": "production"}, "PORTAL_SESSION_KEY"},
		// The binary never starts a database: without DATABASE_URL it says
		// where one comes from.
		{"ErrServeWithoutDatabaseURL", []string{"serve"}, nil, "make db-url"},
		{"ErrMigrateWithoutDatabaseURL", []string{"migrate"}, nil, "make db-url"},
		{"ErrSeedWithoutDatabaseURL", []string{"seed", "--demo"}, nil, "make db-url"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(t.Context(), tc.args, envOf(tc.env), &out, &errOut)
			if err == nil || !strings.Contains(err.Error(), tc.mention) {
				t.Errorf("run(%v) = %v, want an error mentioning %q", tc.args, err, tc.mention)
			}
		})
	}
}

// TestRunMigrateSeedServe walks the path `make run` takes: migrate, seed
// (twice), serve until a signal, then a clean exit.
func TestRunMigrateSeedServe(t *testing.T) {
	t.Parallel()
	port := freePort(t)
	env := envOf(map[string]string{
		"DATABASE_URL":     pgtest.URL(t),
		"PORT":             strconv.Itoa(port),
		"PORTAL_HOST":      "127.0.0.1",
		"PORTAL_LOG_LEVEL": "warn",
	})
	var seedOut bytes.Buffer
	for _, args := range [][]string{{"migrate"}, {"migrate"}, {"seed", "--demo"}, {"seed", "--demo"}} {
		if err := run(t.Context(), args, env, &seedOut, io.Discard); err != nil {
			t.Fatalf("run %v: %v", args, err)
		}
	}
	for _, want := range []string{"admin@example.org", "ngo01@example.org … ngo18@example.org", "demo-portal-2021"} {
		if !strings.Contains(seedOut.String(), want) {
			t.Errorf("seed --demo does not print %q", want)
		}
	}

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, env, &out, io.Discard) }()

	base := "http://127.0.0.1:" + strconv.Itoa(port)
	waitReady(t, base)
	req, _ := http.NewRequest(http.MethodGet, base+"/", nil)
	req.Header.Set("Accept-Language", "en")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "Chairperson Xu Feng") {
		t.Errorf("home: %d, demo session missing", res.StatusCode)
	}

	// serve runs the mail worker: without SMTP configured, the demo's
	// queued emails are rendered and kept as logged.
	db, err := postgres.Open(t.Context(), env("DATABASE_URL"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// serve runs the reminder schedule at start-up. On the demo it reminds
	// of nothing from the closed cycles and past sessions of 2019–2022.
	var ran bool
	for deadline := time.Now().Add(15 * time.Second); !ran && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if err := db.Pool().QueryRow(t.Context(), `
			SELECT EXISTS (SELECT 1 FROM schedule_leases WHERE schedule = 'reminders' AND last_run_at IS NOT NULL)`).Scan(&ran); err != nil {
			t.Fatal(err)
		}
	}
	var stale int
	if err := db.Pool().QueryRow(t.Context(), `
		SELECT count(*) FROM notifications n
		WHERE (n.kind IN ('cycle_opened', 'report_due', 'report_overdue')
		       AND n.object_id NOT IN (SELECT id FROM reporting_cycles WHERE status = 'open'))
		   OR (n.kind = 'reply_due'
		       AND n.object_id NOT IN (SELECT i.id FROM invitations i JOIN sessions s ON s.id = i.session_id WHERE s.status = 'scheduled'))`).Scan(&stale); err != nil {
		t.Fatal(err)
	}
	if !ran || stale != 0 {
		t.Errorf("schedule ran: %v; %d reminders of closed cycles or past sessions, want none", ran, stale)
	}
	var queued, logged int
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if err := db.Pool().QueryRow(t.Context(), `
			SELECT count(*), count(*) FILTER (WHERE status = 'logged' AND subject <> '') FROM email_deliveries`).Scan(&queued, &logged); err != nil {
			t.Fatal(err)
		}
		if queued > 0 && logged == queued {
			break
		}
	}
	if queued == 0 || logged != queued {
		t.Errorf("the mail worker logged %d of %d queued emails", logged, queued)
	}

	cancel() // as SIGINT would
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after a signal: %v, want a clean exit", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop after the signal")
	}
	if !strings.Contains(out.String(), "serving at http://localhost:"+strconv.Itoa(port)) {
		t.Errorf("serve did not print its URL; printed %q", out.String())
	}
}

// TestInstancesAgreeOnETags runs two processes of one bin/portal on one
// database, as behind a load balancer: a public page has the same ETag on
// both, and either answers 304 to the other's.
func TestInstancesAgreeOnETags(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "portal")
	if out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dbURL := pgtest.URL(t)
	env := map[string]string{"DATABASE_URL": dbURL, "PORTAL_LOG_LEVEL": "warn"}
	for _, args := range [][]string{{"migrate"}, {"seed", "--demo"}} {
		if err := run(t.Context(), args, envOf(env), io.Discard, io.Discard); err != nil {
			t.Fatalf("run %v: %v", args, err)
		}
	}
	const page = "/sessions/2021-municipal-leadership-session"
	var bases []string
	for range 2 {
		port := freePort(t)
		cmd := exec.Command(bin, "serve")
		cmd.Env = append(cmd.Environ(), "DATABASE_URL="+dbURL, "PORT="+strconv.Itoa(port), "PORTAL_HOST=127.0.0.1",
			"PORTAL_MIGRATE_ON_START=false", "PORTAL_LOG_LEVEL=warn", "PORTAL_BASE_URL=http://portal.example.test")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		base := "http://127.0.0.1:" + strconv.Itoa(port)
		waitReady(t, base)
		bases = append(bases, base)
	}
	get := func(base, etag string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, base+page, nil)
		req.Header.Set("Accept-Language", "en")
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	a, b := get(bases[0], ""), get(bases[1], "")
	if a.StatusCode != http.StatusOK || b.StatusCode != http.StatusOK {
		t.Fatalf("status %d and %d, want 200", a.StatusCode, b.StatusCode)
	}
	etag := a.Header.Get("ETag")
	if etag == "" || b.Header.Get("ETag") != etag {
		t.Fatalf("ETags %q and %q, want one and the same", etag, b.Header.Get("ETag"))
	}
	if res := get(bases[1], etag); res.StatusCode != http.StatusNotModified {
		t.Errorf("the second instance answers the first's ETag with %d, want 304", res.StatusCode)
	}
}

// waitReady waits until the portal at base answers /readyz with 200.
func waitReady(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("portal at %s not ready after 20 s (last error %v)", base, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestNoDevDB keeps the server binary free of internal/devdb, which runs
// useradd and apt-get to set up a development cluster: the development
// database's URL comes from cmd/devdb, never from the portal.
func TestNoDevDB(t *testing.T) {
	t.Parallel()
	out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "list", "-deps", "ngoportal/cmd/portal").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "ngoportal/internal/postgres") {
		t.Fatalf("go list -deps ngoportal/cmd/portal lists no ngoportal/internal/postgres: %q", out)
	}
	if slices.Contains(deps, "ngoportal/internal/devdb") {
		t.Error("cmd/portal imports ngoportal/internal/devdb (directly or through another package); " +
			"the development cluster belongs to cmd/devdb")
	}
}

// `portal migrate` (which `portal serve` runs at start-up) renders the HTML
// of the summaries written before it was stored, so that no public page
// renders Markdown.
func TestMigrateRendersSummaryHTML(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDemo(t)
	pending := func() int {
		t.Helper()
		var n int
		if err := db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM summaries WHERE body_html_zh IS NULL`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if _, err := db.Pool().Exec(t.Context(), `
		UPDATE summaries SET body_html_zh = NULL, body_html_en = NULL, body_html_requests = NULL`); err != nil {
		t.Fatal(err)
	}
	if n := pending(); n == 0 {
		t.Fatal("the demo has no summary: the test would prove nothing")
	}
	env := envOf(map[string]string{"DATABASE_URL": db.Pool().Config().ConnString(), "PORTAL_LOG_LEVEL": "warn"})
	if err := run(t.Context(), []string{"migrate"}, env, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if n := pending(); n != 0 {
		t.Errorf("after migrate, %d summaries without HTML", n)
	}
}
