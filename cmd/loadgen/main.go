// Command loadgen is a small HTTP load generator for measuring the portal's
// pages over loopback.
//
//	loadgen [flags] URL [URL...]
//
// Each URL is measured in turn (never two at once, so they do not compete
// for the CPU): -c workers, each on a keep-alive HTTP/1.1 connection of its
// own, send GET requests one after another for -d (or -n requests in all),
// after a -warmup whose answers are forgotten. For each URL it prints the
// requests per second, the latency percentiles (p50, p90, p99, max), the
// body bytes per answer, the answers per status code and the requests that
// got no answer.
//
// Compression is what a browser's is: every request carries
// "Accept-Encoding: gzip, deflate, br" unless -H sets another (-H
// "Accept-Encoding: identity" asks for uncompressed pages), nothing is
// decompressed, and bytes/req counts the body bytes as they came over the
// wire. (Go's own client would ask for gzip alone and unzip every answer
// in the load generator's CPU.)
//
// With -conditional, each URL is measured a second time right after its
// own run, as "URL (If-None-Match)": every request carries the ETag the URL
// answered to one probe with the same headers, so a server that honours it
// answers 304s (see the status column). A URL that answers without an ETag
// is said to have none and gets no second run.
//
// With -baseline it also starts, in this process, a bare net/http server on
// 127.0.0.1:0 that answers every request with the first URL's page: the
// same bytes, fetched once before measuring with the same headers, and the
// same Content-Type and Content-Encoding, so that both servers move the
// same bytes. It is measured the same way in the same run, and every URL's
// throughput is printed as a fraction of the bare server's ("0.62× the bare
// server"): what the portal's own work costs on this machine.
//
// With -pid, the server process (on this machine, Linux) is watched: the
// CPU time it used while each URL was measured, divided by the requests
// answered (a figure that contention from other work on the machine
// distorts much less than requests per second do; the database's own CPU
// is not in it), its resident memory (VmRSS) after each URL's run, and at
// the end its peak resident memory since it started (VmHWM), all from
// /proc/PID.
//
// For scripts (make load): -wait gives a server that is still starting time
// to answer, and -expect 200 stops before measuring when a URL answers
// anything else (a page missing from the data would otherwise be measured
// as a fast 404).
//
// Performance is measured with this tool and with Go benchmarks
// (make bench, make load), never with timed unit tests; see docs/benchmarks.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "loadgen: %v\n", err)
		os.Exit(1)
	}
}

// headerFlag collects repeated -H "Name: value" flags.
type headerFlag http.Header

func (h headerFlag) String() string {
	var parts []string
	for k, vs := range h {
		for _, v := range vs {
			parts = append(parts, k+": "+v)
		}
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

func (h headerFlag) Set(s string) error {
	k, v, ok := strings.Cut(s, ":")
	k = strings.TrimSpace(k)
	if !ok || k == "" {
		return fmt.Errorf("header %q is not Name: value", s)
	}
	http.Header(h).Add(k, strings.TrimSpace(v))
	return nil
}

// defaultAcceptEncoding is what browsers send; -H "Accept-Encoding: ..."
// replaces it.
const defaultAcceptEncoding = "gzip, deflate, br"

// config is the parsed command line.
type config struct {
	opts        Options
	baseline    bool
	conditional bool
	wait        time.Duration
	expect      int
	targets     []string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	header := headerFlag{}
	var c config
	fs.IntVar(&c.opts.Concurrency, "c", 8, "number of concurrent workers, each on a keep-alive connection of its own")
	fs.DurationVar(&c.opts.Duration, "d", 10*time.Second, "how long to send requests to each URL (ignored when -n is set)")
	fs.IntVar(&c.opts.Requests, "n", 0, "total number of requests per URL instead of a duration (0: use -d)")
	fs.DurationVar(&c.opts.Warmup, "warmup", time.Second, "requests sent to each URL before measuring, then forgotten (0: none)")
	fs.DurationVar(&c.opts.Timeout, "timeout", 10*time.Second, "longest time one request may take before it counts as an error")
	fs.Var(header, "H", `header to send with every request, "Name: value" (repeatable), e.g. -H "Accept-Language: en"; -H "Accept-Encoding: identity" replaces the default `+defaultAcceptEncoding)
	fs.DurationVar(&c.wait, "wait", 0, "wait up to this long for the first URL to answer at all (a server still starting) before measuring")
	fs.IntVar(&c.expect, "expect", 0, "fetch every URL once first and stop unless each answers this status, e.g. 200 (0: no check)")
	fs.IntVar(&c.opts.PID, "pid", 0, "process id of the server (Linux, same machine): report its CPU time per request, its resident memory after each run and its peak (not the baseline's)")
	fs.BoolVar(&c.baseline, "baseline", false, "also measure a bare net/http server in this process serving the first URL's page (same bytes and encoding), and print each URL's throughput as a fraction of it")
	fs.BoolVar(&c.conditional, "conditional", false, "after each URL's run, measure it again with If-None-Match set to the ETag it answered (304s expected)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `usage: loadgen [flags] URL [URL...]

Measures each URL in turn with concurrent keep-alive HTTP/1.1 GET requests and
prints requests/s, latency p50/p90/p99/max, body bytes per answer, answers per
status code and errors.

Requests carry "Accept-Encoding: `+defaultAcceptEncoding+`", as a browser's do,
unless -H sets another (-H "Accept-Encoding: identity" for uncompressed pages);
answers are not decompressed and bytes/req counts them as received.

With -conditional, each URL is measured again right after its run with
If-None-Match set to the ETag it answered to a probe with the same headers
(row "URL (If-None-Match)"; a URL without an ETag is skipped, and said so).

With -baseline, a bare net/http server started in this process on 127.0.0.1:0
serves the first URL's page (the same bytes, Content-Type and Content-Encoding
the portal answered with the same headers) and is measured the same way in the
same run; "0.62× the bare server" is a URL's throughput divided by the bare
server's: what the server's own work costs.

With -pid (Linux), the server's CPU time per request and resident memory after
each run (VmRSS) are columns, and its peak resident memory (VmHWM) is printed
at the end.

flags:
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if _, ok := header["Accept-Encoding"]; !ok {
		http.Header(header).Set("Accept-Encoding", defaultAcceptEncoding)
	}
	c.opts.Header = http.Header(header)
	c.targets = fs.Args()
	switch {
	case len(c.targets) == 0:
		fs.Usage()
		return config{}, errors.New("no URL given")
	case c.opts.Concurrency < 1:
		return config{}, errors.New("-c must be at least 1")
	case c.opts.Requests < 0:
		return config{}, errors.New("-n must not be negative")
	case c.opts.Requests == 0 && c.opts.Duration <= 0:
		return config{}, errors.New("-d must be positive when -n is not set")
	case c.opts.Warmup < 0:
		return config{}, errors.New("-warmup must not be negative")
	case c.opts.PID < 0:
		return config{}, errors.New("-pid must not be negative")
	case c.wait < 0:
		return config{}, errors.New("-wait must not be negative")
	}
	for _, t := range c.targets {
		if !strings.HasPrefix(t, "http://") && !strings.HasPrefix(t, "https://") {
			return config{}, fmt.Errorf("%q is not an http:// or https:// URL", t)
		}
	}
	return c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}

	if c.wait > 0 {
		if err := waitFor(ctx, c.targets[0], c.wait); err != nil {
			return err
		}
	}
	if c.expect != 0 {
		for _, t := range c.targets {
			p, err := Probe(ctx, t, c.opts.Header, c.opts.Timeout)
			if err != nil {
				return err
			}
			if p.Status != c.expect {
				return fmt.Errorf("%s answered %d, want %d", t, p.Status, c.expect)
			}
		}
	}

	var base *Baseline
	var basePage Page
	if c.baseline {
		basePage, err = Probe(ctx, c.targets[0], c.opts.Header, c.opts.Timeout)
		if err != nil {
			return fmt.Errorf("fetch %s for the baseline: %w", c.targets[0], err)
		}
		if basePage.Status != http.StatusOK {
			fmt.Fprintf(stderr, "loadgen: warning: %s answered %d; the baseline serves that page with 200\n", c.targets[0], basePage.Status)
		}
		if base, err = StartBaseline(basePage); err != nil {
			return err
		}
		defer base.Close()
	}

	fmt.Fprintf(stdout, "loadgen: %s per URL%s, %d workers, keep-alive HTTP/1.1; %s %s/%s, GOMAXPROCS=%d, %d CPUs\n",
		plan(c.opts), warmupText(c.opts.Warmup), c.opts.Concurrency,
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), runtime.NumCPU())
	fmt.Fprintf(stdout, "headers: %s (bodies counted as received, not decompressed)\n", headerFlag(c.opts.Header))

	serverPID := c.opts.PID
	var results []Result
	var notes []string
	measure := func(name, url string, o Options) error {
		fmt.Fprintf(stderr, "loadgen: measuring %s\n", name)
		res, err := Measure(ctx, name, url, o)
		if err != nil {
			return err
		}
		results = append(results, res)
		return nil
	}
	for _, t := range c.targets {
		if ctx.Err() != nil {
			break
		}
		if err := measure(t, t, c.opts); err != nil {
			return err
		}
		if !c.conditional || ctx.Err() != nil {
			continue
		}
		p, err := Probe(ctx, t, c.opts.Header, c.opts.Timeout)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			return fmt.Errorf("fetch %s for its ETag: %w", t, err)
		}
		etag := p.Header.Get("ETag")
		if etag == "" {
			notes = append(notes, fmt.Sprintf("%s answered %d without an ETag: no If-None-Match run", t, p.Status))
			continue
		}
		o := c.opts
		o.Header = c.opts.Header.Clone()
		o.Header.Set("If-None-Match", etag)
		name := t + " (If-None-Match)"
		if err := measure(name, t, o); err != nil {
			return err
		}
		res := results[len(results)-1]
		if other := res.Requests - res.Status[http.StatusNotModified]; other > 0 {
			notes = append(notes, fmt.Sprintf("%s: %d of %d answers to If-None-Match: %s were not 304", name, other, res.Requests, etag))
		}
	}
	var bare *Result
	if base != nil && ctx.Err() == nil {
		o := c.opts
		o.PID = 0 // the baseline runs in this process, with the load generator
		if err := measure(bareName, base.URL, o); err != nil {
			return err
		}
		b := results[len(results)-1]
		bare = &b
	}

	// Interrupted or not, what was measured is printed.
	writeTable(stdout, results, bare, serverPID > 0)
	if bare != nil {
		writeRatios(stdout, results[:len(results)-1], *bare, basePage)
	}
	for _, n := range notes {
		fmt.Fprintf(stdout, "note: %s\n", n)
	}
	if serverPID > 0 {
		if m, err := procMemory(serverPID); err != nil {
			fmt.Fprintf(stdout, "server peak rss: unknown (%v)\n", err)
		} else {
			fmt.Fprintf(stdout, "server peak rss (VmHWM of pid %d, since it started): %s; rss now %s\n", serverPID, mib(m.Peak), mib(m.RSS))
		}
	}
	for _, r := range results {
		for _, m := range r.ErrorSamples {
			fmt.Fprintf(stdout, "error (%s): %s\n", r.Name, m)
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("interrupted: %w", err)
	}
	for _, r := range results {
		if r.Requests == 0 {
			return fmt.Errorf("%s: no request was answered", r.Name)
		}
	}
	return nil
}

// bareName names the baseline's row.
const bareName = "bare net/http (baseline)"

// waitFor polls url until it answers with any status, for at most d.
func waitFor(ctx context.Context, url string, d time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		_, err := Probe(ctx, url, nil, d)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s did not answer within %s: %w", url, d, err)
		case <-tick.C:
		}
	}
}

func plan(o Options) string {
	if o.Requests > 0 {
		return strconv.Itoa(o.Requests) + " requests"
	}
	return o.Duration.String()
}

func warmupText(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	return " after a " + d.String() + " warm-up"
}

// writeTable prints one row per result; the fraction of the bare server's
// throughput only when it was measured (bare is then the last result), the
// server's CPU per request and memory only when they were.
func writeTable(w io.Writer, results []Result, bare *Result, server bool) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "target\trequests\treq/s\t")
	if bare != nil {
		fmt.Fprint(tw, "vs bare\t")
	}
	fmt.Fprint(tw, "p50\tp90\tp99\tmax\tbytes/req\terrors\t")
	if server {
		fmt.Fprint(tw, "server cpu/req\tserver rss\t")
	}
	fmt.Fprintln(tw, "status")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t", r.Name, r.Requests, r.RPS())
		if bare != nil {
			fmt.Fprintf(tw, "%s\t", ratio(r, *bare))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t",
			dur(r.Percentile(50)), dur(r.Percentile(90)),
			dur(r.Percentile(99)), dur(r.Max()), r.BytesPerRequest(), r.Errors)
		if server {
			if r.ServerCPU > 0 {
				fmt.Fprintf(tw, "%s\t", dur(r.CPUPerRequest()))
			} else {
				fmt.Fprint(tw, "-\t")
			}
			if r.ServerRSS > 0 {
				fmt.Fprintf(tw, "%s\t", mib(r.ServerRSS))
			} else {
				fmt.Fprint(tw, "-\t")
			}
		}
		fmt.Fprintln(tw, statusText(r.Status))
	}
	tw.Flush()
}

// ratio is r's throughput as a fraction of the bare server's, "0.62×".
func ratio(r, bare Result) string {
	if bare.RPS() <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f×", r.RPS()/bare.RPS())
}

// writeRatios says what the baseline served and puts each result's
// throughput next to it.
func writeRatios(w io.Writer, results []Result, bare Result, page Page) {
	enc := page.Header.Get("Content-Encoding")
	if enc == "" {
		enc = "none"
	}
	fmt.Fprintf(w, "\nbaseline: a bare net/http handler in this process serving the first URL's page as probed (%d bytes, Content-Encoding: %s), %.0f req/s\n",
		len(page.Body), enc, bare.RPS())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%s the bare server\t(p50 %s vs %s)\n", r.Name, ratio(r, bare), dur(r.Percentile(50)), dur(bare.Percentile(50)))
	}
	tw.Flush()
}

// mib prints a number of bytes in MiB.
func mib(b int64) string {
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}

// dur rounds a latency to the microsecond for printing.
func dur(d time.Duration) string {
	if d >= time.Millisecond {
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}

// statusText is "200:1234 304:5", codes ascending.
func statusText(m map[int]int) string {
	codes := make([]int, 0, len(m))
	for c := range m {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = fmt.Sprintf("%d:%d", c, m[c])
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, " ")
}
