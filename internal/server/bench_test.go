package server

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"ngoportal/internal/config"
	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
	"ngoportal/web/public"
	"ngoportal/web/ui"
)

// Benchmarks of the public pages through the real router, middleware and
// database (make bench; docs/benchmarks.md). Requests are anonymous and in
// the default language, as most readers' are; the response goes to a writer
// that keeps only the status and the size, so what is measured is the
// portal's work and not the recorder's buffer.
//
//	go test -run '^$' -bench . -benchmem ./internal/server/

// benchSlug is the demo's 2021 leadership session, held, whose summary the
// benchmarks publish.
const benchSlug = "2021-municipal-leadership-session"

// newBenchHarness is newHarness for a benchmark: a server over a fresh
// database with the demo data, logging as `portal serve` does at its default
// level (one line per request, formatted, then thrown away).
func newBenchHarness(b *testing.B) *harness {
	b.Helper()
	db, ready := seededDB(quietTB{b})
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	cat, err := i18n.Load(log)
	if err != nil {
		b.Fatal(err)
	}
	assets, err := ui.LoadAssets()
	if err != nil {
		b.Fatal(err)
	}
	s := New(Deps{Config: cfg, Log: log, DB: db, Readiness: ready, Catalogue: cat, Assets: assets})
	return &harness{srv: s, db: db}
}

// quietTB drops pgtestdb's line naming the test database, which would
// otherwise follow every benchmark's result line.
type quietTB struct{ testing.TB }

func (t quietTB) Logf(format string, args ...any) {
	if strings.HasPrefix(format, "testdbconf:") {
		return
	}
	t.TB.Helper()
	t.TB.Logf(format, args...)
}

// publishBenchSummary replaces whatever summary the demo session has with
// one composed from the session's facts and published, and returns the
// public page's path.
func publishBenchSummary(b *testing.B, h *harness) string {
	b.Helper()
	ctx := b.Context()
	var sessionID int64
	if err := h.db.Pool().QueryRow(ctx, `SELECT id FROM sessions WHERE slug = $1`, benchSlug).Scan(&sessionID); err != nil {
		b.Fatal(err)
	}
	if _, err := h.db.Pool().Exec(ctx, `DELETE FROM summaries WHERE session_id = $1`, sessionID); err != nil {
		b.Fatal(err)
	}
	a := portal.Actor{RequestID: "bench"}
	sum, err := h.db.ComposeSummary(ctx, a, sessionID, h.srv.federation(), false)
	if err != nil {
		b.Fatalf("compose: %v", err)
	}
	if _, err := h.db.PublishSummary(ctx, a, sessionID, sum.Version); err != nil {
		b.Fatalf("publish: %v", err)
	}
	return public.PublicSessionsPath + "/" + benchSlug
}

// benchWriter is a ResponseWriter that keeps the status and counts the
// bytes; its header map is emptied between requests.
type benchWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *benchWriter) Header() http.Header { return w.h }

func (w *benchWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *benchWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.n += len(p)
	return len(p), nil
}

func (w *benchWriter) reset() {
	clear(w.h)
	w.status, w.n = 0, 0
}

// serve sends r to h until the benchmark has run long enough, failing it on
// any answer but want. It reports the answer's size.
func benchServe(b *testing.B, h http.Handler, r *http.Request, want int) {
	b.Helper()
	w := &benchWriter{h: http.Header{}}
	h.ServeHTTP(w, r)
	if w.status != want {
		b.Fatalf("GET %s: status %d, want %d", r.URL.Path, w.status, want)
	}
	size := w.n
	b.ReportAllocs()
	for b.Loop() {
		w.reset()
		h.ServeHTTP(w, r)
		if w.status != want {
			b.Fatalf("GET %s: status %d, want %d", r.URL.Path, w.status, want)
		}
	}
	b.ReportMetric(float64(size), "page-bytes")
}

// pageBody renders path through the router as an anonymous reader and
// returns the response.
func pageBody(b *testing.B, h *harness, path string) *httptest.ResponseRecorder {
	b.Helper()
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, get(path))
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s: status %d", path, rec.Code)
	}
	return rec
}

// BenchmarkSummaryPage is the public summary of a session:
// GET /sessions/{slug}, rendered in full.
func BenchmarkSummaryPage(b *testing.B) {
	h := newBenchHarness(b)
	path := publishBenchSummary(b, h)
	benchServe(b, h.srv, get(path), http.StatusOK)
}

// BenchmarkSummaryPageNotModified is the same page asked for again with
// the ETag a cache holds: the portal still reads and renders the page (the
// ETag is a hash of the body) but sends 304 without it.
func BenchmarkSummaryPageNotModified(b *testing.B) {
	h := newBenchHarness(b)
	path := publishBenchSummary(b, h)
	etag := pageBody(b, h, path).Header().Get("ETag")
	if etag == "" {
		b.Fatal("the summary page has no ETag")
	}
	benchServe(b, h.srv, get(path, "If-None-Match", etag), http.StatusNotModified)
}

// BenchmarkHomePage is the public home page, GET /, with the latest
// published summary's figures.
func BenchmarkHomePage(b *testing.B) {
	h := newBenchHarness(b)
	publishBenchSummary(b, h)
	benchServe(b, h.srv, get("/"), http.StatusOK)
}

// BenchmarkBareHandler is the floor to compare with: a bare net/http
// handler answering with the summary page's bytes, through the same
// writer, without router, middleware, database or templates.
func BenchmarkBareHandler(b *testing.B) {
	h := newBenchHarness(b)
	page := pageBody(b, h, publishBenchSummary(b, h)).Body.Bytes()
	bare := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		w.Write(page)
	})
	if len(bytes.TrimSpace(page)) == 0 {
		b.Fatal("empty summary page")
	}
	benchServe(b, bare, get("/"), http.StatusOK)
}

// BenchmarkCompressed is the summary page, the home page and the
// stylesheet asked for plain, with brotli and with gzip (compress);
// page-bytes is what goes on the wire.
//
//	go test -run '^$' -bench Compressed -benchmem ./internal/server/
func BenchmarkCompressed(b *testing.B) {
	h := newBenchHarness(b)
	pages := []struct{ name, path string }{
		{"summary", publishBenchSummary(b, h)}, {"home", "/"}, {"css", h.srv.assets.URL("app.css")},
	}
	for _, p := range pages {
		for _, enc := range []string{"identity", "br", "gzip"} {
			b.Run(p.name+"/"+enc, func(b *testing.B) {
				benchServe(b, h.srv, get(p.path, "Accept-Encoding", enc), http.StatusOK)
			})
		}
	}
}

// BenchmarkCachedPages are the public pages served from the page cache
// (page_cache.go), as a browser asks for them (brotli accepted), and the
// 304 a browser that holds the page gets: no query, no rendering.
func BenchmarkCachedPages(b *testing.B) {
	h := newBenchHarness(b)
	listen(b, h)
	pages := []struct{ name, path string }{
		{"summary", publishBenchSummary(b, h)}, {"home", "/"}, {"sessions", "/sessions"}, {"ngos", "/ngos"},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			benchServe(b, h.srv, get(p.path, "Accept-Encoding", "gzip, deflate, br"), http.StatusOK)
		})
		// The first request after a change: render, compress twice, keep.
		b.Run(p.name+"/miss", func(b *testing.B) {
			l := pageCacheListener{c: h.srv.pages, s: h.srv}
			r := get(p.path, "Accept-Encoding", "gzip, deflate, br")
			w := &benchWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				l.Changed("bench")
				w.reset()
				h.srv.ServeHTTP(w, r)
				if w.status != http.StatusOK {
					b.Fatalf("status %d", w.status)
				}
			}
		})
		b.Run(p.name+"/304", func(b *testing.B) {
			etag := pageBody(b, h, p.path).Header().Get("ETag")
			benchServe(b, h.srv, get(p.path, "Accept-Encoding", "gzip, deflate, br", "If-None-Match", etag), http.StatusNotModified)
		})
	}
}
