package server

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"ngoportal/internal/config"
	"ngoportal/internal/i18n"
	"ngoportal/internal/pgtest"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
	"ngoportal/web/ui"
)

// syncBuffer collects log output from concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type harness struct {
	srv  *Server
	db   *postgres.DB
	logs *syncBuffer
}

// newHarness builds a server over a fresh, migrated database seeded with the
// demo data.
func newHarness(t *testing.T, env map[string]string) *harness {
	t.Helper()
	db, ready := seededDB(t)
	return newHarnessWith(t, env, db, ready)
}

// seededDB is a fresh, migrated database with the demo data, and the
// readiness check over it.
func seededDB(tb testing.TB) (*postgres.DB, Readiness) {
	tb.Helper()
	db := pgtest.NewDemo(tb)
	m, err := db.NewMigrator()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { m.Close() })
	return db, NewReadiness(db, m)
}

func newHarnessWith(t *testing.T, env map[string]string, store *postgres.DB, ready Readiness) *harness {
	t.Helper()
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cat, err := i18n.Load(log)
	if err != nil {
		t.Fatal(err)
	}
	assets, err := ui.LoadAssets()
	if err != nil {
		t.Fatal(err)
	}
	s := New(Deps{Config: cfg, Log: log, DB: store, Readiness: ready, Catalogue: cat, Assets: assets})
	return &harness{srv: s, db: store, logs: logs}
}

// unreachableHarness is a server over a database nothing answers for:
// nothing listens on port 1, and the pool connects lazily, so the server
// starts and only what needs the database notices.
func unreachableHarness(t *testing.T) *harness {
	t.Helper()
	pool, err := pgxpoolNewLazy(t, "postgres://nobody@127.0.0.1:1/none?connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	db := postgres.New(pool)
	m, err := db.NewMigrator()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return newHarnessWith(t, nil, db, NewReadiness(db, m))
}

type response struct {
	status int
	header http.Header
	body   string
}

func (h *harness) do(t *testing.T, r *http.Request) response {
	t.Helper()
	w := httptest.NewRecorder()
	h.srv.ServeHTTP(w, r)
	b, _ := io.ReadAll(w.Result().Body)
	return response{status: w.Code, header: w.Result().Header, body: string(b)}
}

func get(path string, headers ...string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	return r
}

func postForm(path string, form url.Values, headers ...string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	return r
}

func wantContains(t *testing.T, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			t.Errorf("body lacks %q", s)
		}
	}
}

func wantAbsent(t *testing.T, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(body, s) {
			t.Errorf("body contains %q", s)
		}
	}
}

func TestHome(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)

	t.Run("DefaultChinese", func(t *testing.T) {
		res := h.do(t, get("/"))
		if res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, res.body, `<html lang="zh-CN">`, "上海市妇女联合会", "女性社会组织工作平台",
			"2021年1月19日", "主席 徐枫", "副主席 翁文磊", "副主席 王剑璋", "市级", "跳到主要内容")
		if got := res.header.Get("Content-Language"); got != "zh-CN" {
			t.Errorf("Content-Language = %q", got)
		}
	})
	t.Run("EnglishFromHeader", func(t *testing.T) {
		res := h.do(t, get("/", "Accept-Language", "en-GB,en;q=0.8"))
		wantContains(t, res.body, `<html lang="en">`, "Shanghai Women&#39;s Federation", "19 January 2021",
			"Chairperson Xu Feng", "Vice Chairperson Weng Wenlei", "Municipal", "Skip to main content")
		wantAbsent(t, res.body, "2021年1月19日")
	})
	t.Run("CookieBeatsHeader", func(t *testing.T) {
		r := get("/", "Accept-Language", "en")
		r.AddCookie(&http.Cookie{Name: localeCookie, Value: "zh-CN"})
		wantContains(t, h.do(t, r).body, `<html lang="zh-CN">`)
		r = get("/", "Accept-Language", "zh-CN")
		r.AddCookie(&http.Cookie{Name: localeCookie, Value: "en"})
		wantContains(t, h.do(t, r).body, `<html lang="en">`)
	})
	t.Run("BadCookieFallsBackToHeader", func(t *testing.T) {
		r := get("/", "Accept-Language", "en")
		r.AddCookie(&http.Cookie{Name: localeCookie, Value: "klingon"})
		wantContains(t, h.do(t, r).body, `<html lang="en">`)
	})
	t.Run("AccessLogNamesRoute", func(t *testing.T) {
		res := h.do(t, get("/"))
		line := "request_id=" + res.header.Get("X-Request-Id") + " method=GET route=/ status=200"
		if !strings.Contains(h.logs.String(), line) {
			t.Errorf("access log lacks %q", line)
		}
	})
	t.Run("PublicNavigationOnly", func(t *testing.T) {
		res := h.do(t, get("/"))
		wantAbsent(t, res.body, `href="/admin"`, `href="/ngo"`, `action="/logout"`)
	})
}

func TestLocaleUpdate(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	cases := []struct {
		name, locale, next, wantLocation string
		wantStatus                       int
	}{
		{"OK", "en", "/", "/", http.StatusSeeOther},
		{"OKKeepsPathAndQuery", "zh-CN", "/sessions?page=2", "/sessions?page=2", http.StatusSeeOther},
		{"ErrOffsiteNext", "en", "https://evil.example/", "/", http.StatusSeeOther},
		{"ErrSchemeRelativeNext", "en", "//evil.example/", "/", http.StatusSeeOther},
		{"ErrBackslashNext", "en", "/\\evil.example", "/", http.StatusSeeOther},
		{"ErrUnknownLocale", "fr", "/", "", http.StatusBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := h.do(t, postForm("/locale", url.Values{"locale": {tc.locale}, "next": {tc.next}}))
			if res.status != tc.wantStatus {
				t.Fatalf("status %d, want %d", res.status, tc.wantStatus)
			}
			if tc.wantStatus != http.StatusSeeOther {
				if res.header.Get("Set-Cookie") != "" {
					t.Error("a refused choice still set a cookie")
				}
				return
			}
			if got := res.header.Get("Location"); got != tc.wantLocation {
				t.Errorf("Location = %q, want %q", got, tc.wantLocation)
			}
			c := res.header.Get("Set-Cookie")
			for _, want := range []string{"locale=" + tc.locale, "HttpOnly", "SameSite=Lax", "Path=/"} {
				if !strings.Contains(c, want) {
					t.Errorf("Set-Cookie %q lacks %q", c, want)
				}
			}
		})
	}
	t.Run("ErrCrossOrigin", func(t *testing.T) {
		res := h.do(t, postForm("/locale", url.Values{"locale": {"en"}, "next": {"/"}}, "Sec-Fetch-Site", "cross-site"))
		if res.status != http.StatusForbidden {
			t.Fatalf("status %d, want 403", res.status)
		}
		if res.header.Get("Set-Cookie") != "" {
			t.Error("a cross-origin POST set a cookie")
		}
		wantContains(t, res.body, "请求被拒绝")
	})
	t.Run("OKSameOrigin", func(t *testing.T) {
		res := h.do(t, postForm("/locale", url.Values{"locale": {"en"}, "next": {"/"}}, "Sec-Fetch-Site", "same-origin"))
		if res.status != http.StatusSeeOther {
			t.Fatalf("status %d, want 303", res.status)
		}
	})
}

func TestErrorPages(t *testing.T) {
	t.Parallel()
	h := newHarness(t, map[string]string{"PORTAL_MAX_BODY_BYTES": "2048"})
	secret := "pq: relation \"secret_table\" does not exist"
	h.srv.router.Get("/test/error", h.srv.handle(func(w http.ResponseWriter, r *http.Request) error {
		return errors.New(secret)
	}))
	h.srv.router.Get("/test/panic", func(w http.ResponseWriter, r *http.Request) { panic(secret) })
	h.srv.router.Post("/test/form", h.srv.handle(func(w http.ResponseWriter, r *http.Request) error {
		if err := r.ParseForm(); err != nil {
			return err
		}
		return nil
	}))

	t.Run("NotFound", func(t *testing.T) {
		for _, path := range []string{"/no/such/page", "/static/app.css", "/static/app.0000000000.css"} {
			res := h.do(t, get(path, "Accept-Language", "en"))
			if res.status != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", path, res.status)
			}
			wantContains(t, res.body, "<h1>Page not found</h1>", `<html lang="en">`, "Skip to main content", "request ID")
		}
		res := h.do(t, get("/no/such/page"))
		wantContains(t, res.body, "<h1>页面不存在</h1>", "返回首页")
	})
	t.Run("NotFoundSignedIn", func(t *testing.T) {
		// The 404 page knows who is signed in: its header offers sign-out.
		admin := createUser(t, h, portal.RoleAdmin, 0, "lost@example.org", "Lost Admin")
		res := h.as(t, h.sessionCookie(t, admin), get("/no/such/page"))
		if res.status != http.StatusNotFound {
			t.Fatalf("status %d, want 404", res.status)
		}
		wantContains(t, res.body, "Lost Admin", `action="/logout"`)
	})
	t.Run("MethodNotAllowed", func(t *testing.T) {
		res := h.do(t, postForm("/", url.Values{}))
		if res.status != http.StatusMethodNotAllowed {
			t.Fatalf("status %d, want 405", res.status)
		}
		wantContains(t, res.body, "不支持该操作")
	})
	for _, path := range []string{"/test/error", "/test/panic"} {
		t.Run("InternalError"+path, func(t *testing.T) {
			res := h.do(t, get(path, "Accept-Language", "en"))
			if res.status != http.StatusInternalServerError {
				t.Fatalf("status %d, want 500", res.status)
			}
			wantContains(t, res.body, "<h1>Something went wrong</h1>", "Skip to main content")
			wantAbsent(t, res.body, "secret_table", "goroutine", ".go:")
			id := res.header.Get("X-Request-Id")
			if id == "" || !strings.Contains(res.body, id) {
				t.Errorf("page does not show the request ID %q", id)
			}
			logs := h.logs.String()
			if !strings.Contains(logs, "secret_table") || !strings.Contains(logs, "request_id="+id) {
				t.Errorf("log lacks the error with its request ID")
			}
		})
	}
	t.Run("BodyTooLarge", func(t *testing.T) {
		big := url.Values{"x": {strings.Repeat("a", 4096)}}
		res := h.do(t, postForm("/test/form", big))
		if res.status != http.StatusRequestEntityTooLarge {
			t.Errorf("announced size: status %d, want 413", res.status)
		}
		r := postForm("/test/form", big)
		r.ContentLength = -1 // discovered only while reading
		res = h.do(t, r)
		if res.status != http.StatusRequestEntityTooLarge {
			t.Errorf("streamed body: status %d, want 413", res.status)
		}
		wantContains(t, res.body, "提交的内容过大")
	})
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	res := h.do(t, get("/"))
	csp := res.header.Get("Content-Security-Policy")
	if csp == "" || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
	for k, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "strict-origin-when-cross-origin",
		"X-Frame-Options":        "DENY",
	} {
		if got := res.header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if res.header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent over plain http")
	}
	if len(res.header.Get("X-Request-Id")) != 16 {
		t.Errorf("X-Request-Id = %q", res.header.Get("X-Request-Id"))
	}

	hs := newHarnessWith(t, map[string]string{"PORTAL_BASE_URL": "https://portal.example.org"}, h.db, h.srv.ready)
	if got := hs.do(t, get("/")).header.Get("Strict-Transport-Security"); got == "" {
		t.Error("no HSTS with an https base URL")
	}
	loc := hs.do(t, postForm("/locale", url.Values{"locale": {"en"}}))
	if !strings.Contains(loc.header.Get("Set-Cookie"), "Secure") {
		t.Error("locale cookie not Secure with an https base URL")
	}
}

func TestStatic(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	home := h.do(t, get("/"))
	cssURL := h.srv.assets.URL("app.css")
	if !strings.Contains(home.body, `href="`+cssURL+`"`) {
		t.Fatalf("home page does not link %s", cssURL)
	}
	res := h.do(t, get(cssURL))
	if res.status != http.StatusOK {
		t.Fatalf("status %d", res.status)
	}
	if got := res.header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
		t.Errorf("Cache-Control = %q", got)
	}
	if !strings.HasPrefix(res.header.Get("Content-Type"), "text/css") {
		t.Errorf("Content-Type = %q", res.header.Get("Content-Type"))
	}
	if !strings.Contains(res.body, ":focus-visible") {
		t.Error("served stylesheet is not app.css")
	}
}

func TestHealth(t *testing.T) {
	t.Parallel()

	t.Run("Ready", func(t *testing.T) {
		h := newHarness(t, nil)
		if res := h.do(t, get("/healthz")); res.status != 200 || res.body != "ok\n" {
			t.Errorf("healthz: %d %q", res.status, res.body)
		}
		if res := h.do(t, get("/readyz")); res.status != 200 || res.body != "ready\n" {
			t.Errorf("readyz: %d %q", res.status, res.body)
		}
	})

	t.Run("MigrationsPending", func(t *testing.T) {
		db, err := postgres.Open(t.Context(), pgtest.URL(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(db.Close)
		m, err := db.NewMigrator()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { m.Close() })
		h := newHarnessWith(t, nil, db, NewReadiness(db, m))
		if res := h.do(t, get("/readyz")); res.status != 503 || res.body != "migrations pending\n" {
			t.Errorf("readyz: %d %q", res.status, res.body)
		}
		if res := h.do(t, get("/healthz")); res.status != 200 {
			t.Errorf("healthz: %d", res.status)
		}
	})

	t.Run("DatabaseUnreachable", func(t *testing.T) {
		h := unreachableHarness(t)
		if res := h.do(t, get("/readyz")); res.status != 503 || res.body != "database unreachable\n" {
			t.Errorf("readyz: %d %q", res.status, res.body)
		}
		if res := h.do(t, get("/healthz")); res.status != 200 || res.body != "ok\n" {
			t.Errorf("healthz: %d %q", res.status, res.body)
		}
		res := h.do(t, get("/"))
		if res.status != http.StatusServiceUnavailable || res.header.Get("Retry-After") == "" {
			t.Errorf("home with no database: status %d, Retry-After %q, want the 503 page", res.status, res.header.Get("Retry-After"))
		}
		wantAbsent(t, res.body, "127.0.0.1", "dial", "connect")
	})
}
