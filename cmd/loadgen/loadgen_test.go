package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
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
	f := newFakeServer(t)
	status, ctype, body, err := Probe(t.Context(), f.URL+"/", fakeHeader(), 10*time.Second)
	if err != nil || status != http.StatusOK {
		t.Fatalf("probe: %d %v", status, err)
	}
	b, err := StartBaseline(body, ctype)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if !strings.HasPrefix(b.URL, "http://127.0.0.1:") {
		t.Errorf("baseline at %s, want loopback", b.URL)
	}
	s2, c2, b2, err := Probe(t.Context(), b.URL, nil, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if s2 != http.StatusOK || c2 != ctype || !bytes.Equal(b2, body) {
		t.Errorf("baseline answered %d %q with %d bytes; want 200 %q with the probed %d bytes", s2, c2, len(b2), ctype, len(body))
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
			"(1000 bytes)", // the baseline page has the first URL's size
			"bare/portal throughput:", "x for " + f.URL + "/a", "x for " + f.URL + "/b",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("output lacks %q:\n%s", want, got)
			}
		}
		// Two targets and the baseline's 20 measured requests each; the
		// probe is one more request to the fake server.
		if h := f.hits.Load(); h != 41 {
			t.Errorf("fake server saw %d requests, want 41", h)
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
		if !strings.Contains(header, "server cpu/req") {
			t.Errorf("no CPU column:\n%s", out.String())
		}
		// The baseline shares the load generator's process: no CPU figure.
		if !strings.Contains(baseRow, " - ") {
			t.Errorf("baseline row has a CPU figure: %q", baseRow)
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
		for _, f := range []string{"-c", "-d", "-n", "-warmup", "-timeout", "-H", "-baseline", "-wait", "-expect", "-pid"} {
			if !strings.Contains(errOut.String(), "  "+f+" ") && !strings.Contains(errOut.String(), "  "+f+"\n") {
				t.Errorf("help lacks %s:\n%s", f, errOut.String())
			}
		}
	})
}
