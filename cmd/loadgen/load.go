package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options shape one measurement of one URL.
type Options struct {
	// Concurrency is the number of workers, each with a keep-alive
	// connection of its own, sending one request after another.
	Concurrency int
	// Duration is how long requests are started for; ignored when Requests
	// is set.
	Duration time.Duration
	// Requests, when positive, is the total number of requests to send.
	Requests int
	// Warmup is how long requests are sent, and forgotten, before measuring.
	Warmup time.Duration
	// Timeout bounds each request.
	Timeout time.Duration
	// Header is added to every request.
	Header http.Header
	// PID, when positive, is the server's process on this machine: the CPU
	// time it uses while measured is reported (Linux only).
	PID int
}

// maxErrorSamples is how many distinct error messages a Result keeps.
const maxErrorSamples = 5

// Result is what one measurement saw. Latencies are of the requests that
// got an HTTP answer (whatever its status); failed requests count in Errors
// only.
type Result struct {
	Name         string
	Requests     int         // answered requests
	Errors       int         // requests without an answer (or whose body failed)
	ErrorSamples []string    // the first few distinct error messages
	Status       map[int]int // answers per status code
	Bytes        int64       // body bytes read
	Elapsed      time.Duration
	ServerCPU    time.Duration   // CPU time of Options.PID while measured; 0 when not asked
	ServerRSS    int64           // resident bytes (VmRSS) of Options.PID right after the run; 0 when not asked
	latencies    []time.Duration // sorted, ascending
}

// RPS is the number of answered requests per second of the run.
func (r Result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// CPUPerRequest is the server's CPU time per answered request, when it was
// measured.
func (r Result) CPUPerRequest() time.Duration {
	if r.Requests == 0 {
		return 0
	}
	return r.ServerCPU / time.Duration(r.Requests)
}

// BytesPerRequest is the mean body size of the answers.
func (r Result) BytesPerRequest() int64 {
	if r.Requests == 0 {
		return 0
	}
	return r.Bytes / int64(r.Requests)
}

// Percentile is the nearest-rank p-th percentile (0 < p <= 100) of the
// latencies: the smallest latency that at least p per cent of the answered
// requests did not exceed. It is zero when nothing was answered.
func (r Result) Percentile(p float64) time.Duration {
	return percentile(r.latencies, p)
}

// Max is the longest latency seen.
func (r Result) Max() time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[len(r.latencies)-1]
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := int(p / 100 * float64(n))
	if float64(rank) < p/100*float64(n) {
		rank++ // ceil without floating-point surprises for exact ranks
	}
	rank = max(1, min(rank, n))
	return sorted[rank-1]
}

// sample is what one worker collects; merged into a Result at the end so
// that the workers share nothing while they run.
type sample struct {
	latencies []time.Duration
	status    map[int]int
	errors    int
	errMsgs   []string
	bytes     int64
}

func (s *sample) fail(err error) {
	s.errors++
	msg := err.Error()
	if len(s.errMsgs) < maxErrorSamples && !slices.Contains(s.errMsgs, msg) {
		s.errMsgs = append(s.errMsgs, msg)
	}
}

// newClient returns an HTTP/1.1 client that keeps one connection per worker
// alive. Transparent decompression is off: the Accept-Encoding a request
// carries is the one the caller set (see defaultAcceptEncoding), and bodies
// are read, and counted, as they came over the wire.
func newClient(o Options) *http.Client {
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        o.Concurrency,
		MaxIdleConnsPerHost: o.Concurrency,
		MaxConnsPerHost:     o.Concurrency,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	return &http.Client{
		Transport: tr,
		Timeout:   o.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // measure the redirect, do not follow it
		},
	}
}

// Measure sends GET requests to url as o says and returns what it saw.
// It stops early, with what it has, when ctx is done.
func Measure(ctx context.Context, name, url string, o Options) (Result, error) {
	if o.Concurrency < 1 {
		return Result{}, errors.New("concurrency must be at least 1")
	}
	if o.Requests <= 0 && o.Duration <= 0 {
		return Result{}, errors.New("give a duration or a number of requests")
	}
	req, err := newRequest(ctx, url, o.Header)
	if err != nil {
		return Result{}, err
	}
	client := newClient(o)
	defer client.CloseIdleConnections()

	if o.Warmup > 0 {
		wo := o
		wo.Requests = 0
		wo.Duration = o.Warmup
		drive(ctx, client, req, wo)
	}
	var cpu0 time.Duration
	if o.PID > 0 {
		if cpu0, err = procCPU(o.PID); err != nil {
			return Result{}, err
		}
	}
	samples, elapsed := drive(ctx, client, req, o)

	res := Result{Name: name, Status: map[int]int{}, Elapsed: elapsed}
	if o.PID > 0 {
		cpu1, err := procCPU(o.PID)
		if err != nil {
			return Result{}, err
		}
		res.ServerCPU = cpu1 - cpu0
		mem, err := procMemory(o.PID)
		if err != nil {
			return Result{}, err
		}
		res.ServerRSS = mem.RSS
	}
	for _, s := range samples {
		res.latencies = append(res.latencies, s.latencies...)
		for code, n := range s.status {
			res.Status[code] += n
			res.Requests += n
		}
		res.Errors += s.errors
		res.Bytes += s.bytes
		for _, m := range s.errMsgs {
			if len(res.ErrorSamples) < maxErrorSamples && !slices.Contains(res.ErrorSamples, m) {
				res.ErrorSamples = append(res.ErrorSamples, m)
			}
		}
	}
	slices.Sort(res.latencies)
	return res, nil
}

// drive starts o.Concurrency workers that send req until o.Requests were
// started, or o.Duration has passed, or ctx is done; a request already
// started when the time is up is waited for and counted. It returns each
// worker's sample and the time from the first start to the last answer.
func drive(ctx context.Context, client *http.Client, req *http.Request, o Options) ([]*sample, time.Duration) {
	var issued atomic.Int64
	start := time.Now()
	deadline := start.Add(o.Duration)
	more := func() bool {
		if ctx.Err() != nil {
			return false
		}
		if o.Requests > 0 {
			return issued.Add(1) <= int64(o.Requests)
		}
		return time.Now().Before(deadline)
	}

	samples := make([]*sample, o.Concurrency)
	var wg sync.WaitGroup
	for i := range samples {
		s := &sample{status: map[int]int{}}
		if o.Requests > 0 {
			s.latencies = make([]time.Duration, 0, o.Requests/o.Concurrency+1)
		} else {
			s.latencies = make([]time.Duration, 0, 4096)
		}
		samples[i] = s
		// A request of its own per worker: one request is never in two
		// transports' hands at once.
		wreq := req.Clone(ctx)
		wg.Go(func() {
			buf := make([]byte, 32<<10)
			for more() {
				one(client, wreq, s, buf)
			}
		})
	}
	wg.Wait()
	return samples, time.Since(start)
}

// one sends req once and records the answer in s. The body is read to the
// end so that the connection goes back to the pool for the next request.
func one(client *http.Client, req *http.Request, s *sample, buf []byte) {
	t0 := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		if req.Context().Err() == nil { // an interrupted run is not a failure of the server
			s.fail(err)
		}
		return
	}
	n, err := io.CopyBuffer(io.Discard, onlyReader{resp.Body}, buf)
	resp.Body.Close()
	if err != nil {
		if req.Context().Err() == nil {
			s.fail(err)
		}
		return
	}
	s.latencies = append(s.latencies, time.Since(t0))
	s.status[resp.StatusCode]++
	s.bytes += n
}

// onlyReader hides io.WriterTo so that io.CopyBuffer uses the worker's
// buffer instead of allocating one per request.
type onlyReader struct{ io.Reader }

// newRequest is a GET of url carrying header; a "Host" entry sets the
// request's host.
func newRequest(ctx context.Context, url string, header http.Header) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("target %s: %w", url, err)
	}
	for k, vs := range header {
		for _, v := range vs {
			if http.CanonicalHeaderKey(k) == "Host" {
				req.Host = v
				continue
			}
			req.Header.Add(k, v)
		}
	}
	return req, nil
}

// Page is one answer as it came over the wire: the body is not decoded.
type Page struct {
	Status int
	Header http.Header
	Body   []byte
}

// Probe fetches url once with the given headers and returns the answer: what
// the bare baseline server imitates, and where a conditional run finds its
// ETag.
func Probe(ctx context.Context, url string, header http.Header, timeout time.Duration) (Page, error) {
	req, err := newRequest(ctx, url, header)
	if err != nil {
		return Page{}, err
	}
	client := newClient(Options{Concurrency: 1, Timeout: timeout})
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	if err != nil {
		return Page{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return Page{}, err
	}
	return Page{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// baselineHeaders are the headers of the probed page that the baseline
// repeats: with them it sends the same bytes, meaning the same thing.
var baselineHeaders = []string{"Content-Type", "Content-Encoding"}

// Baseline is a bare net/http server on a loopback port answering every
// request with the same fixed page: the least a Go web server can do, to
// put the portal's numbers next to.
type Baseline struct {
	URL string
	srv *http.Server
}

// StartBaseline serves p's body, with its Content-Type and Content-Encoding,
// on 127.0.0.1 at a free port, always with status 200. The body is sent as
// it is: a compressed page stays compressed, so that the baseline moves the
// bytes the portal moved.
func StartBaseline(p Page) (*Baseline, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	header := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	for _, k := range baselineHeaders {
		if v := p.Header.Get(k); v != "" {
			header.Set(k, v)
		}
	}
	header.Set("Content-Length", strconv.Itoa(len(p.Body)))
	body := p.Body
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			h := w.Header()
			for k, v := range header {
				h[k] = v
			}
			w.WriteHeader(http.StatusOK)
			w.Write(body) //nolint:errcheck // a client that went away is not the baseline's concern
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go srv.Serve(ln) //nolint:errcheck // ErrServerClosed after Close
	return &Baseline{URL: "http://" + ln.Addr().String() + "/", srv: srv}, nil
}

// Close stops the baseline server.
func (b *Baseline) Close() error { return b.srv.Close() }

// userHZ is the unit of the CPU times in /proc/PID/stat: USER_HZ, 100 on
// every Linux architecture Go runs on.
const userHZ = 100

// procCPU is the user plus system CPU time process pid has used so far.
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, fmt.Errorf("CPU time of process %d: %w", pid, err)
	}
	d, err := parseStatCPU(string(b))
	if err != nil {
		return 0, fmt.Errorf("CPU time of process %d: %w", pid, err)
	}
	return d, nil
}

// parseStatCPU reads utime and stime (fields 14 and 15) from a
// /proc/PID/stat line. The command name (field 2) is in parentheses and
// may itself hold spaces and parentheses, so fields are counted after the
// last ')'.
func parseStatCPU(stat string) (time.Duration, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, errors.New("malformed stat line")
	}
	f := strings.Fields(stat[i+1:]) // f[0] is field 3, the state
	if len(f) < 13 {
		return 0, errors.New("short stat line")
	}
	var ticks int64
	for _, s := range f[11:13] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("stat field %q: %w", s, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / userHZ, nil
}

// memory is a process's resident memory, in bytes.
type memory struct {
	RSS  int64 // VmRSS: resident now
	Peak int64 // VmHWM: the most it has been resident since it started
}

// procMemory reads process pid's resident memory from /proc/PID/status.
func procMemory(pid int) (memory, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return memory{}, fmt.Errorf("memory of process %d: %w", pid, err)
	}
	m, err := parseStatusMemory(string(b))
	if err != nil {
		return memory{}, fmt.Errorf("memory of process %d: %w", pid, err)
	}
	return m, nil
}

// parseStatusMemory reads VmRSS and VmHWM from the text of /proc/PID/status,
// lines such as "VmRSS:\t   41236 kB" (the kernel's kB are KiB).
func parseStatusMemory(status string) (memory, error) {
	var m memory
	var haveRSS, havePeak bool
	for line := range strings.Lines(status) {
		name, rest, ok := strings.Cut(line, ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return memory{}, fmt.Errorf("%s line %q is not \"<number> kB\"", name, strings.TrimSpace(line))
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil || kb < 0 {
			return memory{}, fmt.Errorf("%s line %q is not \"<number> kB\"", name, strings.TrimSpace(line))
		}
		if name == "VmRSS" {
			m.RSS, haveRSS = kb<<10, true
		} else {
			m.Peak, havePeak = kb<<10, true
		}
	}
	if !haveRSS || !havePeak {
		return memory{}, errors.New("no VmRSS or VmHWM line (a kernel thread, or a process that has exited)")
	}
	return m, nil
}
