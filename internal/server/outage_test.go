package server

import (
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"html"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/i18n"
	"ngoportal/internal/pgtest"
)

// terminateBackends ends every connection of the pool to the test's
// database, as a database restart or an operator's pg_terminate_backend
// would, and waits until they are gone. It runs as the server's superuser
// (pgtest.ServerURL): the test database's role may not end the
// connections a superuser holds there.
func terminateBackends(t *testing.T, h *harness) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), pgtest.ServerURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	cc := h.db.Pool().Config().ConnConfig
	// pg_terminate_backend in the select list, never in WHERE: there the
	// planner may call it before the other conditions have filtered the
	// rows, on every backend of the server.
	rows, err := conn.Query(t.Context(), `
		SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = $1 AND usename = $2 AND pid <> pg_backend_pid()`,
		cc.Database, cc.User)
	var pids []int32
	if err == nil {
		pids, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (int32, error) {
			var pid int32
			var ok bool
			return pid, row.Scan(&pid, &ok)
		})
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(pids) == 0 {
		t.Fatal("no connection of the pool to terminate")
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		var left int
		if err := conn.QueryRow(t.Context(), `SELECT count(*) FROM pg_stat_activity WHERE pid = ANY($1)`, pids).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d terminated backends still there", left)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestOutageTerminatedBackends: connections the database ended under the
// pool cost the reader nothing: the read runs again on a fresh connection,
// the public's and a signed-in user's (whose login-session lookup is the
// first statement to meet a dead connection).
func TestOutageTerminatedBackends(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := asAdmin(t, h)
	pages := []struct {
		name   string
		cookie *http.Cookie
		path   string
		route  string
		want   string
	}{
		{"Public", nil, "/ngos", "/ngos", "<h1>"},
		{"SignedIn", admin, "/admin/users", "/admin/users", `action="/logout"`},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			for round := range 3 {
				if res := h.as(t, p.cookie, get(p.path)); res.status != http.StatusOK {
					t.Fatalf("round %d, before: status %d", round, res.status)
				}
				terminateBackends(t, h)
				res := h.as(t, p.cookie, get(p.path))
				if res.status != http.StatusOK {
					t.Fatalf("round %d, after the backends were terminated: status %d\n%s", round, res.status, h.logs.String())
				}
				wantContains(t, res.body, p.want)
				// One access-log line, naming the route once, though the
				// request was routed twice.
				access := "msg=request request_id=" + res.header.Get("X-Request-Id") + " method=GET route="
				line := access + p.route + " status=200"
				if n := strings.Count(h.logs.String(), access); n != 1 || !strings.Contains(h.logs.String(), line) {
					t.Errorf("round %d: %d access-log lines, want one with %q", round, n, line)
				}
				if head := h.as(t, p.cookie, httptest.NewRequest(http.MethodHead, p.path, nil)); head.status != http.StatusOK {
					t.Errorf("round %d: HEAD status %d", round, head.status)
				}
			}
		})
	}
	t.Run("UnderLoad", func(t *testing.T) {
		// Readers keep asking while the backends are terminated under
		// them: none of them sees an error.
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var mu sync.Mutex
		var served int
		failed := map[int]int{}
		for i := range 4 {
			wg.Go(func() {
				p := pages[i%len(pages)]
				for {
					select {
					case <-stop:
						return
					default:
					}
					res := h.as(t, p.cookie, get(p.path))
					mu.Lock()
					served++
					if res.status != http.StatusOK {
						failed[res.status]++
					}
					mu.Unlock()
				}
			})
		}
		time.Sleep(300 * time.Millisecond)
		terminateBackends(t, h)
		time.Sleep(300 * time.Millisecond)
		close(stop)
		wg.Wait()
		if len(failed) > 0 {
			t.Errorf("of %d requests, failed by status: %v", served, failed)
		}
	})
	if !strings.Contains(h.logs.String(), "database connection lost; running the request again") {
		t.Error("no read was retried: the test did not meet a dead connection")
	}
	if strings.Contains(h.logs.String(), "level=ERROR") {
		t.Errorf("errors logged:\n%s", h.logs.String())
	}
}

// breakDatabase makes the test's database refuse connections and ends the
// pool's, as a stopped database server would look to the portal; undone
// when the test ends.
func breakDatabase(t *testing.T, h *harness) {
	t.Helper()
	admin, err := pgx.Connect(t.Context(), pgtest.ServerURL(t))
	if err != nil {
		t.Fatal(err)
	}
	name := h.db.Pool().Config().ConnConfig.Database
	ident := pgx.Identifier{name}.Sanitize()
	t.Cleanup(func() {
		ctx := context.Background()
		if _, err := admin.Exec(ctx, `ALTER DATABASE `+ident+` ALLOW_CONNECTIONS true`); err != nil {
			t.Errorf("reopen %s: %v", name, err)
		}
		admin.Close(ctx)
	})
	if _, err := admin.Exec(t.Context(), `ALTER DATABASE `+ident+` ALLOW_CONNECTIONS false`); err != nil {
		t.Fatal(err)
	}
	terminateBackends(t, h)
}

// wantUnavailable checks the 503 page: Retry-After, the message in the
// reader's language, no internal detail.
func wantUnavailable(t *testing.T, h *harness, res response, lang string) {
	t.Helper()
	if res.status != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503\n%s", res.status, res.body)
	}
	if n, err := strconv.Atoi(res.header.Get("Retry-After")); err != nil || n < 1 || n > 30 {
		t.Errorf("Retry-After %q, want a few seconds", res.header.Get("Retry-After"))
	}
	if got := res.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q", got)
	}
	tr := h.srv.cat.Translator(i18n.Locale(lang))
	wantContains(t, html.UnescapeString(res.body), `<html lang="`+lang+`">`, tr.T("error.503.title"), tr.T("error.503.message"))
	wantAbsent(t, res.body, "SQLSTATE", "127.0.0.1", "connect", "pgx", h.db.Pool().Config().ConnConfig.Database)
}

// TestUnavailable: while the database cannot be reached, every page says
// 503 with Retry-After and a message that the portal will be back, the
// signed-in too (not 500, not signed out), and a form comes back with
// what was typed in it, to send again. /healthz stays 200, /readyz 503.
func TestUnavailable(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := asAdmin(t, h)
	if res := h.as(t, admin, get("/admin/users")); res.status != http.StatusOK {
		t.Fatalf("signed in before the outage: status %d", res.status)
	}
	breakDatabase(t, h)

	t.Run("PublicPage", func(t *testing.T) {
		res := h.do(t, get("/ngos?page=1"))
		wantUnavailable(t, h, res, "zh-CN")
		wantContains(t, res.body, `href="/ngos?page=1"`, "重试")
		res = h.do(t, get("/ngos", "Accept-Language", "en"))
		wantUnavailable(t, h, res, "en")
		wantContains(t, res.body, "Try again")
	})
	t.Run("SignedInPage", func(t *testing.T) {
		res := h.as(t, admin, get("/admin/users"))
		wantUnavailable(t, h, res, "zh-CN")
		if c := res.header.Get("Set-Cookie"); strings.Contains(c, sessionCookie) {
			t.Errorf("the outage signed the user out: Set-Cookie %q", c)
		}
	})
	t.Run("LoginFormKept", func(t *testing.T) {
		res := h.do(t, postForm(loginPath, url.Values{"email": {"typed@example.org"}, "password": {testPassword}, "next": {"/admin"}}))
		wantUnavailable(t, h, res, "zh-CN")
		wantContains(t, res.body, `action="/login"`, `name="email" value="typed@example.org"`,
			`name="next" value="/admin"`, ">typed@example.org</textarea>")
		wantAbsent(t, res.body, testPassword, `name="password"`, `enctype=`)
		checkMarkup(t, res.body)
	})
	t.Run("SignedInFormKept", func(t *testing.T) {
		// The login-session lookup fails before the handler reads the
		// form: the 503 page reads it.
		form := url.Values{"name_zh": {"新的社会组织"}, "profile_zh": {"第一行\n第二行 <b>粗</b>"}}
		res := h.as(t, admin, postForm("/admin/ngos?from=list", form))
		wantUnavailable(t, h, res, "zh-CN")
		wantContains(t, res.body, `action="/admin/ngos?from=list"`, `name="name_zh" value="新的社会组织"`,
			"第一行\n第二行 &lt;b&gt;粗&lt;/b&gt;</textarea>", "重试")
		checkMarkup(t, res.body)
	})
	t.Run("MultipartFormKept", func(t *testing.T) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		_ = mw.WriteField("cover_alt_zh", "会场照片")
		fw, _ := mw.CreateFormFile("cover", "cover.png")
		_, _ = fw.Write([]byte("not looked at"))
		_ = mw.Close()
		r := httptest.NewRequest(http.MethodPost, "/admin/sessions/1/summary/cover", &b)
		r.Header.Set("Content-Type", mw.FormDataContentType())
		res := h.as(t, admin, r)
		wantUnavailable(t, h, res, "zh-CN")
		wantContains(t, res.body, `enctype="multipart/form-data"`, `name="cover_alt_zh" value="会场照片"`)
		wantAbsent(t, res.body, "not looked at", "cover.png")
	})
	t.Run("HealthAndReadiness", func(t *testing.T) {
		if res := h.do(t, get("/healthz")); res.status != http.StatusOK || res.body != "ok\n" {
			t.Errorf("healthz: %d %q", res.status, res.body)
		}
		if res := h.do(t, get("/readyz")); res.status != http.StatusServiceUnavailable || res.body != "database unreachable\n" {
			t.Errorf("readyz: %d %q", res.status, res.body)
		}
	})
	t.Run("LoggedAsWarnings", func(t *testing.T) {
		logs := h.logs.String()
		if !strings.Contains(logs, "level=WARN msg=\"request failed\"") || !strings.Contains(logs, "status=503") {
			t.Errorf("no warning for the 503s:\n%s", logs)
		}
		if strings.Contains(logs, "level=ERROR") {
			t.Errorf("an outage logged as our error:\n%s", logs)
		}
	})
}

// TestSecretFieldsCoverPasswordInputs keeps secretField complete: every
// password input the server builds (ui.Field with Type "password") has a
// name the 503 page leaves out.
func TestSecretFieldsCoverPasswordInputs(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			fields := map[string]string{}
			for _, e := range lit.Elts {
				kv, ok := e.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				key, ok1 := kv.Key.(*ast.Ident)
				val, ok2 := kv.Value.(*ast.BasicLit)
				if ok1 && ok2 && val.Kind == token.STRING {
					fields[key.Name], _ = strconv.Unquote(val.Value)
				}
			}
			if fields["Type"] == "password" || fields["Autocomplete"] == "one-time-code" {
				found++
				if !secretField(fields["Name"]) {
					t.Errorf("%s: password or code input %q would be repeated on the 503 page", fset.Position(lit.Pos()), fields["Name"])
				}
			}
			return true
		})
	}
	if found < 3 {
		t.Fatalf("found %d password inputs; is the search still right?", found)
	}
}
