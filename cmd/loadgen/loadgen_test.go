package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		out := make([]time.Duration, len(ns))
		for i, n := range ns {
			out[i] = time.Duration(n) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"Empty", nil, 50, 0},
		{"OneValue", ms(7), 99, 7 * time.Millisecond},
		{"MedianOfThree", ms(1, 2, 3), 50, 2 * time.Millisecond},
		{"P50OfHundred", ms(hundred...), 50, 50 * time.Millisecond},
		{"P90OfHundred", ms(hundred...), 90, 90 * time.Millisecond},
		{"P99OfHundred", ms(hundred...), 99, 99 * time.Millisecond},
		{"P100IsMax", ms(hundred...), 100, 100 * time.Millisecond},
		{"RankRoundsUp", ms(1, 2, 3, 4), 60, 3 * time.Millisecond},
		{"TinyPIsFirst", ms(1, 2, 3, 4), 0.1, 1 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("percentile(%v, %v) = %v, want %v", tt.sorted, tt.p, got, tt.want)
			}
		})
	}
}

func TestParseStatCPU(t *testing.T) {
	// A command name with spaces and parentheses; utime 250 and stime 50
	// ticks are fields 14 and 15.
	const line = "4242 (portal (x) y) S 1 4242 4242 0 -1 4194560 9000 0 0 0 250 50 0 0 20 0 12 0 100 1000000 2000 18446744073709551615\n"
	got, err := parseStatCPU(line)
	if err != nil {
		t.Fatal(err)
	}
	if want := 3 * time.Second; got != want {
		t.Errorf("parseStatCPU = %v, want %v", got, want)
	}
	for _, bad := range []string{"", "4242 portal S 1", "4242 (portal) S 1 2 3", "4242 (p) S 1 4242 4242 0 -1 4194560 9000 0 0 0 x 50 0"} {
		if _, err := parseStatCPU(bad); err == nil {
			t.Errorf("parseStatCPU(%q): no error", bad)
		}
	}
}

// fakeServer answers every fourth request 404 with a short body and the
// others 200 with a 1000-byte page; it counts the connections opened.
type fakeServer struct {
	*httptest.Server
	conns atomic.Int64
	seen  atomic.Int64 // every request
	hits  atomic.Int64 // requests with the expected headers
}

const fakePageSize = 1000

func newFakeServer(t *testing.T) *fakeServer {
	t.Helper()
	f := &fakeServer{}
	page := bytes.Repeat([]byte("x"), fakePageSize)
	f.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.seen.Add(1)
		if r.Header.Get("Accept-Language") != "en" || r.Host != "portal.example.test" {
			http.Error(w, "headers missing", http.StatusBadRequest)
			return
		}
		if f.hits.Add(1)%4 == 0 {
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, "not found!") // 10 bytes
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	f.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			f.conns.Add(1)
		}
	}
	f.Start()
	t.Cleanup(f.Close)
	return f
}

func fakeHeader() http.Header {
	return http.Header{"Accept-Language": {"en"}, "Host": {"portal.example.test"}}
}

func TestMeasure(t *testing.T) {
	t.Run("CountsEveryRequest", func(t *testing.T) {
		f := newFakeServer(t)
		const n, workers = 200, 4
		res, err := Measure(t.Context(), "fake", f.URL+"/", Options{Concurrency: workers, Requests: n, Timeout: 10 * time.Second, Header: fakeHeader()})
		if err != nil {
			t.Fatal(err)
		}
		if res.Requests != n || res.Errors != 0 {
			t.Fatalf("requests %d, errors %d (%v); want %d, 0", res.Requests, res.Errors, res.ErrorSamples, n)
		}
		if got := f.hits.Load(); got != n {
			t.Errorf("server saw %d requests, want %d", got, n)
		}
		if res.Status[http.StatusOK] != 150 || res.Status[http.StatusNotFound] != 50 || len(res.Status) != 2 {
			t.Errorf("status counts %v, want 200:150 404:50", res.Status)
		}
		if want := int64(150*fakePageSize + 50*10); res.Bytes != want {
			t.Errorf("bytes %d, want %d", res.Bytes, want)
		}
		if len(res.latencies) != n {
			t.Errorf("%d latencies, want %d", len(res.latencies), n)
		}
		p50, p90, p99, mx := res.Percentile(50), res.Percentile(90), res.Percentile(99), res.Max()
		if p50 <= 0 || p50 > p90 || p90 > p99 || p99 > mx {
			t.Errorf("percentiles out of order: p50 %v p90 %v p99 %v max %v", p50, p90, p99, mx)
		}
		if res.RPS() <= 0 {
			t.Errorf("req/s %v", res.RPS())
		}
		// Keep-alive: one connection per worker at most, however many requests.
		if c := f.conns.Load(); c < 1 || c > workers {
			t.Errorf("%d connections opened for %d workers", c, workers)
		}
	})

	t.Run("WarmupIsNotCounted", func(t *testing.T) {
		f := newFakeServer(t)
		res, err := Measure(t.Context(), "fake", f.URL+"/", Options{Concurrency: 2, Requests: 40, Warmup: 20 * time.Millisecond, Timeout: 10 * time.Second, Header: fakeHeader()})
		if err != nil {
			t.Fatal(err)
		}
		if res.Requests != 40 {
			t.Errorf("requests %d, want 40", res.Requests)
		}
		if got := f.hits.Load(); got <= 40 {
			t.Errorf("server saw %d requests; the warm-up sent none", got)
		}
	})

	t.Run("DurationMode", func(t *testing.T) {
		f := newFakeServer(t)
		res, err := Measure(t.Context(), "fake", f.URL+"/", Options{Concurrency: 2, Duration: 30 * time.Millisecond, Timeout: 10 * time.Second, Header: fakeHeader()})
		if err != nil {
			t.Fatal(err)
		}
		if res.Requests == 0 || res.Errors != 0 || int64(res.Requests) != f.hits.Load() {
			t.Errorf("requests %d, errors %d, server saw %d", res.Requests, res.Errors, f.hits.Load())
		}
	})

	t.Run("ErrorsWithoutAnswer", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close() // no answer at all
			}
		}))
		t.Cleanup(srv.Close)
		res, err := Measure(t.Context(), "broken", srv.URL+"/", Options{Concurrency: 3, Requests: 30, Timeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if res.Errors != 30 || res.Requests != 0 || len(res.Status) != 0 {
			t.Errorf("errors %d, requests %d, status %v; want 30, 0, none", res.Errors, res.Requests, res.Status)
		}
		if len(res.ErrorSamples) == 0 || len(res.ErrorSamples) > maxErrorSamples {
			t.Errorf("error samples %q", res.ErrorSamples)
		}
		if res.Percentile(50) != 0 || res.Max() != 0 {
			t.Errorf("latencies of failed requests were counted")
		}
	})

	t.Run("ErrBadOptions", func(t *testing.T) {
		if _, err := Measure(t.Context(), "x", "http://127.0.0.1:1/", Options{Concurrency: 0, Requests: 1}); err == nil {
			t.Error("no error for zero workers")
		}
		if _, err := Measure(t.Context(), "x", "http://127.0.0.1:1/", Options{Concurrency: 1}); err == nil {
			t.Error("no error without duration or count")
		}
	})
}

func TestBaseline(t *testing.T) {
	t.Run("SamePage", func(t *testing.T) {
		f := newFakeServer(t)
		p, err := Probe(t.Context(), f.URL+"/", fakeHeader(), 10*time.Second)
		if err != nil || p.Status != http.StatusOK {
			t.Fatalf("probe: %d %v", p.Status, err)
		}
		b, err := StartBaseline(p)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		if !strings.HasPrefix(b.URL, "http://127.0.0.1:") {
			t.Errorf("baseline at %s, want loopback", b.URL)
		}
		p2, err := Probe(t.Context(), b.URL, nil, 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		ctype := p.Header.Get("Content-Type")
		if p2.Status != http.StatusOK || p2.Header.Get("Content-Type") != ctype || !bytes.Equal(p2.Body, p.Body) {
			t.Errorf("baseline answered %d %q with %d bytes; want 200 %q with the probed %d bytes",
				p2.Status, p2.Header.Get("Content-Type"), len(p2.Body), ctype, len(p.Body))
		}
		if ce := p2.Header.Get("Content-Encoding"); ce != "" {
			t.Errorf("baseline answered Content-Encoding %q for an uncompressed page", ce)
		}
	})

	t.Run("RepeatsContentEncoding", func(t *testing.T) {
		g := newGzipServer(t)
		p, err := Probe(t.Context(), g.URL+"/", http.Header{"Accept-Encoding": {defaultAcceptEncoding}}, 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if p.Header.Get("Content-Encoding") != "gzip" || !bytes.Equal(p.Body, g.gz) {
			t.Fatalf("probe got %q, %d bytes; want the gzip bytes as sent (%d)", p.Header.Get("Content-Encoding"), len(p.Body), len(g.gz))
		}
		b, err := StartBaseline(p)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		p2, err := Probe(t.Context(), b.URL, nil, 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if p2.Header.Get("Content-Encoding") != "gzip" || p2.Header.Get("Content-Type") != "text/html; charset=utf-8" || !bytes.Equal(p2.Body, g.gz) {
			t.Errorf("baseline answered %q %q with %d bytes; want gzip text/html with the %d compressed bytes",
				p2.Header.Get("Content-Encoding"), p2.Header.Get("Content-Type"), len(p2.Body), len(g.gz))
		}
	})
}

// gzipServer answers with a gzip-compressed page when the request accepts
// gzip, the plain page otherwise; it keeps the Accept-Encoding it saw last.
type gzipServer struct {
	*httptest.Server
	plain, gz    []byte
	lastAccepted atomic.Value // string
}

func newGzipServer(t *testing.T) *gzipServer {
	t.Helper()
	g := &gzipServer{plain: bytes.Repeat([]byte("<p>page</p>"), 500)}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(g.plain)
	zw.Close()
	g.gz = buf.Bytes()
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ae := r.Header.Get("Accept-Encoding")
		g.lastAccepted.Store(ae)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Vary", "Accept-Encoding")
		if strings.Contains(ae, "gzip") {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(g.gz)
			return
		}
		w.Write(g.plain)
	}))
	t.Cleanup(g.Close)
	return g
}

// etagServer answers /tagged with a page and an ETag that depends on
// Accept-Encoding, and 304 to a matching If-None-Match; /untagged has no
// ETag. It counts the 304s it sent.
type etagServer struct {
	*httptest.Server
	notModified atomic.Int64
}

func newETagServer(t *testing.T) *etagServer {
	t.Helper()
	e := &etagServer{}
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/untagged" {
			io.WriteString(w, "no tag")
			return
		}
		etag := `"v1-` + r.Header.Get("Accept-Encoding") + `"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			e.notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		io.WriteString(w, "tagged page")
	}))
	t.Cleanup(e.Close)
	return e
}

func TestParseStatusMemory(t *testing.T) {
	const status = "Name:\tportal\nUmask:\t0022\nState:\tS (sleeping)\nPid:\t4242\n" +
		"VmPeak:\t 1300000 kB\nVmSize:\t 1290000 kB\nVmLck:\t       0 kB\n" +
		"VmHWM:\t   61440 kB\nVmRSS:\t   40960 kB\nRssAnon:\t   30000 kB\nThreads:\t12\n"
	m, err := parseStatusMemory(status)
	if err != nil {
		t.Fatal(err)
	}
	if m.RSS != 40<<20 || m.Peak != 60<<20 {
		t.Errorf("rss %d, peak %d; want %d, %d", m.RSS, m.Peak, 40<<20, 60<<20)
	}
	for name, bad := range map[string]string{
		"Empty":        "",
		"KernelThread": "Name:\tkthreadd\nState:\tS (sleeping)\nThreads:\t1\n",
		"NoPeak":       "VmRSS:\t 40960 kB\n",
		"NotANumber":   "VmHWM:\t x kB\nVmRSS:\t 40960 kB\n",
		"OtherUnit":    "VmHWM:\t 60 MB\nVmRSS:\t 40960 kB\n",
	} {
		if _, err := parseStatusMemory(bad); err == nil {
			t.Errorf("%s: no error for %q", name, bad)
		}
	}
}

func TestRatio(t *testing.T) {
	bare := Result{Requests: 1000, Elapsed: time.Second}
	for _, tt := range []struct {
		name string
		r    Result
		want string
	}{
		{"Slower", Result{Requests: 620, Elapsed: time.Second}, "0.62×"},
		{"Faster", Result{Requests: 2500, Elapsed: 2 * time.Second}, "1.25×"},
		{"NothingAnswered", Result{}, "0.00×"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := ratio(tt.r, bare); got != tt.want {
				t.Errorf("ratio = %q, want %q", got, tt.want)
			}
		})
	}
	if got := ratio(bare, Result{}); got != "n/a" {
		t.Errorf("ratio to an empty baseline = %q, want n/a", got)
	}
}

func TestRun(t *testing.T) {
	t.Run("OKWithBaseline", func(t *testing.T) {
		f := newFakeServer(t)
		var out, errOut bytes.Buffer
		args := []string{"-c", "2", "-n", "20", "-warmup", "0", "-baseline",
			"-H", "Accept-Language: en", "-H", "Host: portal.example.test", f.URL + "/a", f.URL + "/b"}
		if err := run(t.Context(), args, &out, &errOut); err != nil {
			t.Fatalf("run: %v\n%s", err, errOut.String())
		}
		got := out.String()
		for _, want := range []string{
			"20 requests per URL, 2 workers",
			"target", "req/s", "p50", "p90", "p99", "max", "status",
			f.URL + "/a", f.URL + "/b", "bare net/http (baseline)",
			"(1000 bytes, Content-Encoding: none)", // the baseline page has the first URL's size
			"vs bare", "× the bare server",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("output lacks %q:\n%s", want, got)
			}
		}
		for _, name := range []string{f.URL + "/a", f.URL + "/b"} {
			if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `\s+\d+\.\d\d× the bare server\s+\(p50 `).MatchString(got) {
				t.Errorf("no ratio line for %s:\n%s", name, got)
			}
		}
		// Two targets and the baseline's 20 measured requests each; the
		// probe is one more request to the fake server.
		if h := f.hits.Load(); h != 41 {
			t.Errorf("fake server saw %d requests, want 41", h)
		}
	})

	t.Run("Conditional", func(t *testing.T) {
		e := newETagServer(t)
		var out bytes.Buffer
		args := []string{"-c", "2", "-n", "20", "-warmup", "0", "-conditional", e.URL + "/tagged", e.URL + "/untagged"}
		if err := run(t.Context(), args, &out, io.Discard); err != nil {
			t.Fatalf("run: %v\n%s", err, out.String())
		}
		got := out.String()
		row := rowOf(got, e.URL+"/tagged (If-None-Match)")
		if row == "" || !strings.HasSuffix(row, " 304:20") {
			t.Errorf("conditional row %q, want 304:20 as its status:\n%s", row, got)
		}
		if n := e.notModified.Load(); n != 20 {
			t.Errorf("server sent %d 304s, want 20", n)
		}
		if rowOf(got, e.URL+"/untagged (If-None-Match)") != "" {
			t.Errorf("a URL without an ETag got a conditional run:\n%s", got)
		}
		if !strings.Contains(got, "note: "+e.URL+"/untagged answered 200 without an ETag: no If-None-Match run") {
			t.Errorf("no note about the missing ETag:\n%s", got)
		}
		if strings.Contains(got, "were not 304") {
			t.Errorf("a note says some answers were not 304:\n%s", got)
		}
	})

	t.Run("ConditionalNot304", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("ETag", `"x"`) // but never 304
			io.WriteString(w, "page")
		}))
		t.Cleanup(srv.Close)
		var out bytes.Buffer
		if err := run(t.Context(), []string{"-n", "5", "-warmup", "0", "-conditional", srv.URL + "/"}, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), `(If-None-Match): 5 of 5 answers to If-None-Match: "x" were not 304`) {
			t.Errorf("no note about the 200s:\n%s", out.String())
		}
	})

	t.Run("AcceptEncoding", func(t *testing.T) {
		for _, tt := range []struct {
			name     string
			flags    []string
			accepted string
			gzipped  bool
		}{
			{"BrowserByDefault", nil, defaultAcceptEncoding, true},
			{"Identity", []string{"-H", "Accept-Encoding: identity"}, "identity", false},
		} {
			t.Run(tt.name, func(t *testing.T) {
				g := newGzipServer(t)
				var out bytes.Buffer
				args := append(append([]string{"-c", "1", "-n", "4", "-warmup", "0", "-baseline"}, tt.flags...), g.URL+"/")
				if err := run(t.Context(), args, &out, io.Discard); err != nil {
					t.Fatal(err)
				}
				if got := g.lastAccepted.Load(); got != tt.accepted {
					t.Errorf("server saw Accept-Encoding %q, want %q", got, tt.accepted)
				}
				if !strings.Contains(out.String(), "headers: Accept-Encoding: "+tt.accepted) {
					t.Errorf("the headers line does not say %q:\n%s", tt.accepted, out.String())
				}
				// Bodies are counted as received: the portal's row and the
				// baseline's have the same size, compressed or not.
				size, enc := len(g.plain), "none"
				if tt.gzipped {
					size, enc = len(g.gz), "gzip"
				}
				for _, name := range []string{g.URL + "/", bareName} {
					f := strings.Fields(rowOf(out.String(), name))
					if len(f) < 9 || f[len(f)-3] != strconv.Itoa(size) {
						t.Errorf("row %q: want %d bytes/req", rowOf(out.String(), name), size)
					}
				}
				if !strings.Contains(out.String(), fmt.Sprintf("(%d bytes, Content-Encoding: %s)", size, enc)) {
					t.Errorf("baseline line does not say %d bytes, %s:\n%s", size, enc, out.String())
				}
			})
		}
	})

	t.Run("ServerCPUColumn", func(t *testing.T) {
		if _, err := procCPU(os.Getpid()); err != nil {
			t.Skipf("no /proc here: %v", err)
		}
		f := newFakeServer(t) // in this process: its CPU is this test's
		var out bytes.Buffer
		args := []string{"-c", "2", "-n", "20", "-warmup", "0", "-baseline", "-pid", strconv.Itoa(os.Getpid()),
			"-H", "Accept-Language: en", "-H", "Host: portal.example.test", f.URL + "/"}
		if err := run(t.Context(), args, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(out.String(), "\n")
		var header, baseRow string
		for _, l := range lines {
			if strings.HasPrefix(l, "target") {
				header = l
			}
			if strings.HasPrefix(l, "bare net/http") {
				baseRow = l
			}
		}
		if !strings.Contains(header, "server cpu/req") || !strings.Contains(header, "server rss") {
			t.Errorf("no CPU or memory column:\n%s", out.String())
		}
		if !regexp.MustCompile(`\d+\.\d MiB`).MatchString(rowOf(out.String(), f.URL+"/")) {
			t.Errorf("no memory figure in the URL's row:\n%s", out.String())
		}
		// The baseline shares the load generator's process: no CPU or memory figure.
		if !strings.Contains(baseRow, " -  ") || strings.Contains(baseRow, "MiB") {
			t.Errorf("baseline row has a CPU or memory figure: %q", baseRow)
		}
		if !regexp.MustCompile(`(?m)^server peak rss \(VmHWM of pid \d+, since it started\): \d+\.\d MiB; rss now \d+\.\d MiB$`).MatchString(out.String()) {
			t.Errorf("no peak memory line:\n%s", out.String())
		}
	})

	t.Run("InterruptedPrintsWhatItHas", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		var n atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) == 2 { // the baseline's probe, then Ctrl-C during the first URL
				cancel()
			}
			io.WriteString(w, "ok")
		}))
		t.Cleanup(srv.Close)
		var out bytes.Buffer
		err := run(ctx, []string{"-c", "2", "-n", "1000", "-warmup", "0", "-baseline", srv.URL + "/first", srv.URL + "/second"}, &out, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "interrupted") {
			t.Errorf("err = %v", err)
		}
		got := out.String()
		if !strings.Contains(got, srv.URL+"/first") {
			t.Errorf("the first URL's row is missing:\n%s", got)
		}
		for _, absent := range []string{srv.URL + "/second", "bare net/http", "bare/portal", "error ("} {
			if strings.Contains(got, absent) {
				t.Errorf("output has %q after the interruption:\n%s", absent, got)
			}
		}
	})

	t.Run("ErrNoAnswer", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close() // nothing listens there now
		var out bytes.Buffer
		err = run(t.Context(), []string{"-n", "3", "-warmup", "0", "http://" + addr + "/"}, &out, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "no request was answered") {
			t.Errorf("err = %v", err)
		}
		if !strings.Contains(out.String(), "error (http://"+addr+"/)") {
			t.Errorf("output does not show the error:\n%s", out.String())
		}
	})

	t.Run("ErrExpectedStatus", func(t *testing.T) {
		f := newFakeServer(t)
		// Without the headers the fake server answers 400.
		err := run(t.Context(), []string{"-n", "3", "-warmup", "0", "-expect", "200", f.URL + "/"}, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "answered 400, want 200") {
			t.Errorf("err = %v", err)
		}
		if h := f.seen.Load(); h != 1 {
			t.Errorf("fake server saw %d requests; want only the check", h)
		}
	})

	t.Run("WaitForAServerThatIsUp", func(t *testing.T) {
		f := newFakeServer(t)
		args := []string{"-n", "3", "-warmup", "0", "-wait", "1m", "-expect", "200",
			"-H", "Accept-Language: en", "-H", "Host: portal.example.test", f.URL + "/"}
		if err := run(t.Context(), args, io.Discard, io.Discard); err != nil {
			t.Errorf("run: %v", err)
		}
	})

	t.Run("ErrWaitForNothing", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		err = run(t.Context(), []string{"-n", "3", "-wait", "300ms", "http://" + addr + "/"}, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "did not answer within 300ms") {
			t.Errorf("err = %v", err)
		}
	})

	t.Run("ErrFlags", func(t *testing.T) {
		for _, args := range [][]string{
			{},
			{"-c", "0", "http://127.0.0.1/"},
			{"-n", "-1", "http://127.0.0.1/"},
			{"-d", "0", "http://127.0.0.1/"},
			{"-H", "no colon", "http://127.0.0.1/"},
			{"-wait", "-1s", "http://127.0.0.1/"},
			{"-pid", "-3", "http://127.0.0.1/"},
			{"127.0.0.1/"},
		} {
			if err := run(t.Context(), args, io.Discard, io.Discard); err == nil {
				t.Errorf("run(%q): no error", args)
			}
		}
	})

	t.Run("HelpListsFlags", func(t *testing.T) {
		var errOut bytes.Buffer
		_ = run(t.Context(), []string{"-h"}, io.Discard, &errOut)
		for _, f := range []string{"-c", "-d", "-n", "-warmup", "-timeout", "-H", "-baseline", "-conditional", "-wait", "-expect", "-pid"} {
			if !strings.Contains(errOut.String(), "  "+f+" ") && !strings.Contains(errOut.String(), "  "+f+"\n") {
				t.Errorf("help lacks %s:\n%s", f, errOut.String())
			}
		}
	})
}

// rowOf is the table row of target name in out (the name, then the
// number of requests), "" when there is none.
func rowOf(out, name string) string {
	for l := range strings.Lines(out) {
		rest, ok := strings.CutPrefix(l, name+" ")
		if f := strings.Fields(rest); ok && len(f) > 0 {
			if _, err := strconv.Atoi(f[0]); err == nil {
				return strings.TrimRight(l, "\n")
			}
		}
	}
	return ""
}
