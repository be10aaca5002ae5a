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
// answers per status code and the requests that got no answer.
//
// With -baseline it also starts, in this process, a bare net/http server on
// 127.0.0.1:0 that answers every request with the first URL's page (the
// same bytes, fetched once before measuring), measures it the same way in
// the same run, and prints how many times the bare server's throughput is
// each URL's: what the portal's own work costs on this machine.
//
// With -pid, the CPU time the server process (on this machine, Linux) used
// while each URL was measured is divided by the requests answered: a figure
// that contention from other work on the machine distorts much less than
// requests per second do. The database's own CPU is not in it.
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

// config is the parsed command line.
type config struct {
	opts     Options
	baseline bool
	wait     time.Duration
	expect   int
	targets  []string
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
	fs.Var(header, "H", `header to send with every request, "Name: value" (repeatable), e.g. -H "Accept-Language: en"`)
	fs.DurationVar(&c.wait, "wait", 0, "wait up to this long for the first URL to answer at all (a server still starting) before measuring")
	fs.IntVar(&c.expect, "expect", 0, "fetch every URL once first and stop unless each answers this status, e.g. 200 (0: no check)")
	fs.IntVar(&c.opts.PID, "pid", 0, "process id of the server (Linux, same machine): report its CPU time per request (not the baseline's)")
	fs.BoolVar(&c.baseline, "baseline", false, "also measure a bare net/http server in this process serving the first URL's page, and print the ratio")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `usage: loadgen [flags] URL [URL...]

Measures each URL in turn with concurrent keep-alive HTTP/1.1 GET requests and
prints requests/s, latency p50/p90/p99/max, answers per status code and errors.
With -baseline, a bare net/http server started in this process on 127.0.0.1:0
serves the first URL's page (the same bytes) and is measured the same way in the
same run; the ratio bare/URL shows what the server's own work costs.

flags:
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return config{}, err
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
			status, _, _, err := Probe(ctx, t, c.opts.Header, c.opts.Timeout)
			if err != nil {
				return err
			}
			if status != c.expect {
				return fmt.Errorf("%s answered %d, want %d", t, status, c.expect)
			}
		}
	}

	var base *Baseline
	var baseSize int
	if c.baseline {
		status, ctype, body, err := Probe(ctx, c.targets[0], c.opts.Header, c.opts.Timeout)
		if err != nil {
			return fmt.Errorf("fetch %s for the baseline: %w", c.targets[0], err)
		}
		if status != http.StatusOK {
			fmt.Fprintf(stderr, "loadgen: warning: %s answered %d; the baseline serves that page with 200\n", c.targets[0], status)
		}
		if base, err = StartBaseline(body, ctype); err != nil {
			return err
		}
		defer base.Close()
		baseSize = len(body)
	}

	fmt.Fprintf(stdout, "loadgen: %s per URL%s, %d workers, keep-alive HTTP/1.1; %s %s/%s, GOMAXPROCS=%d, %d CPUs\n",
		plan(c.opts), warmupText(c.opts.Warmup), c.opts.Concurrency,
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), runtime.NumCPU())
	if h := headerFlag(c.opts.Header).String(); h != "" {
		fmt.Fprintf(stdout, "headers: %s\n", h)
	}

	serverPID := c.opts.PID
	var results []Result
	measure := func(name, url string) error {
		fmt.Fprintf(stderr, "loadgen: measuring %s\n", url)
		res, err := Measure(ctx, name, url, c.opts)
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
		if err := measure(t, t); err != nil {
			return err
		}
	}
	baseMeasured := false
	if base != nil && ctx.Err() == nil {
		c.opts.PID = 0 // the baseline runs in this process, with the load generator
		if err := measure("bare net/http (baseline)", base.URL); err != nil {
			return err
		}
		baseMeasured = true
	}

	// Interrupted or not, what was measured is printed.
	writeTable(stdout, results, serverPID > 0)
	if baseMeasured {
		writeRatios(stdout, results, baseSize)
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

// waitFor polls url until it answers with any status, for at most d.
func waitFor(ctx context.Context, url string, d time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		_, _, _, err := Probe(ctx, url, nil, d)
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

// writeTable prints one row per result; the server's CPU per request only
// when it was measured.
func writeTable(w io.Writer, results []Result, cpu bool) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "target\trequests\treq/s\tp50\tp90\tp99\tmax\tbytes/req\terrors\t")
	if cpu {
		fmt.Fprint(tw, "server cpu/req\t")
	}
	fmt.Fprintln(tw, "status")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%s\t%s\t%s\t%s\t%d\t%d\t",
			r.Name, r.Requests, r.RPS(), dur(r.Percentile(50)), dur(r.Percentile(90)),
			dur(r.Percentile(99)), dur(r.Max()), r.BytesPerRequest(), r.Errors)
		if cpu {
			if r.ServerCPU > 0 {
				fmt.Fprintf(tw, "%s\t", dur(r.CPUPerRequest()))
			} else {
				fmt.Fprint(tw, "-\t")
			}
		}
		fmt.Fprintln(tw, statusText(r.Status))
	}
	tw.Flush()
}

// writeRatios compares every target with the baseline, the last result.
func writeRatios(w io.Writer, results []Result, baseSize int) {
	base := results[len(results)-1]
	fmt.Fprintf(w, "\nbaseline: a bare net/http handler in this process serving the first URL's page (%d bytes)\n", baseSize)
	for _, r := range results[:len(results)-1] {
		ratio := "n/a"
		if r.RPS() > 0 {
			ratio = fmt.Sprintf("%.1f", base.RPS()/r.RPS())
		}
		fmt.Fprintf(w, "bare/portal throughput: %sx for %s (p50 %s vs %s)\n",
			ratio, r.Name, dur(r.Percentile(50)), dur(base.Percentile(50)))
	}
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
