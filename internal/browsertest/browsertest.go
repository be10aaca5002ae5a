// Package browsertest runs the portal on a random port over a database of
// its own and drives Debian's Chromium headless against it (chromedp), for
// journeys through real pages. The journeys live in the packages below it,
// one browser process per language and package (see Main):
// publicjourney (visitors and signing in), reportjourney (the annual
// reports, from the cycle to the review) and federationjourney (the
// federation's sessions, registry, accounts and audit log). A new journey
// goes in the package of its area; a step more than one package takes goes
// in page.go.
package browsertest

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ngoportal/internal/config"
	"ngoportal/internal/pgtest"
	"ngoportal/internal/postgres"
	"ngoportal/internal/server"
)

// Portal is a running portal with the demo data loaded.
type Portal struct {
	URL string
	DB  *postgres.DB
}

// StartPortal serves the portal over a fresh database seeded with the demo
// data, until the test ends.
func StartPortal(t *testing.T) *Portal {
	t.Helper()
	return StartPortalWith(t, nil)
}

// StartPortalWith is StartPortal with the environment variables in env
// (the footer's contacts, for example); the others keep their defaults.
func StartPortalWith(t *testing.T, env map[string]string) *Portal {
	t.Helper()
	db := pgtest.NewDemo(t)
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, release, err := server.Build(cfg, log, db)
	if err != nil {
		t.Fatal(err)
	}
	// The public page cache works as in production: on while its listener
	// listens for changes.
	lctx, stopListener := context.WithCancel(context.Background())
	listening := make(chan struct{})
	go func() { defer close(listening); srv.RunPageCacheListener(lctx) }()
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); stopListener(); <-listening; release() })
	return &Portal{URL: ts.URL, DB: db}
}

// testWriter sends the portal's warnings to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Options shape a browser.
type Options struct {
	// Lang is the browser's language, sent as Accept-Language; default zh-CN.
	Lang string
	// Width and Height of the window; default 1280×900. Phone: 390×844.
	Width, Height int
}

// chromiumPath is Debian's Chromium; .ci/run installs it.
const chromiumPath = "/usr/bin/chromium"

// NewBrowser gives the test a tab of a headless Chromium and returns its
// context, bounded to two minutes. Under Main the tab opens in the
// package's shared browser for o.Lang, in a browser context of its own
// (cookies, storage and cache apart, as in a fresh browser); otherwise the
// test starts a browser of its own. A missing Chromium fails the test: it
// is part of `make test`, never silently skipped.
func NewBrowser(t *testing.T, o Options) context.Context {
	t.Helper()
	if _, err := exec.LookPath(chromiumPath); err != nil {
		t.Fatalf("browser tests need Debian's chromium at %s (apt-get install chromium fonts-wqy-microhei; .ci/run does it)", chromiumPath)
	}
	if o.Lang == "" {
		o.Lang = "zh-CN"
	}
	if o.Width == 0 {
		o.Width, o.Height = 1280, 900
	}
	var ctx context.Context
	var cancelCtx context.CancelFunc
	if browser := sharedBrowser(t, o.Lang); browser != nil {
		ctx, cancelCtx = chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	} else {
		allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), allocatorOptions(o, t.TempDir())...)
		ctx, cancelCtx = chromedp.NewContext(allocCtx)
		t.Cleanup(cancelAlloc)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx() })
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(o.Width), int64(o.Height))); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// allocatorOptions start Debian's Chromium headless in the language and
// window size of o, with its profile in dir.
func allocatorOptions(o Options, dir string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("lang", o.Lang),
		chromedp.Flag("accept-lang", o.Lang),
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(o.Width, o.Height),
		chromedp.Env("LANGUAGE="+o.Lang),
	)
}

// Main runs a package's journeys, from its TestMain, with one Chromium
// per browser language shared by its tests: starting a browser costs a
// second or two, a tab in a browser context of its own a few
// milliseconds. The language stays a browser's (its Accept-Language, its
// date and time controls); the window size is each tab's. Main stops the
// browsers when the tests end.
func Main(m *testing.M) {
	browsers.Lock()
	browsers.byLang = map[string]*browser{}
	browsers.Unlock()
	code := m.Run()
	stopBrowsers()
	os.Exit(code)
}

// browsers are the package's shared browsers, by language; byLang is nil
// outside Main.
var browsers struct {
	sync.Mutex
	byLang map[string]*browser
}

type browser struct {
	ctx    context.Context // the browser's first tab: NewContext of it opens another
	cancel func()
	dir    string
	err    error
}

// sharedBrowser is the shared browser for lang, started on first use, or
// nil outside Main.
func sharedBrowser(t *testing.T, lang string) context.Context {
	t.Helper()
	browsers.Lock()
	defer browsers.Unlock()
	if browsers.byLang == nil {
		return nil
	}
	b, ok := browsers.byLang[lang]
	if !ok {
		b = startBrowser(lang)
		browsers.byLang[lang] = b
	}
	if b.err != nil {
		t.Fatalf("start chromium (%s): %v", lang, b.err)
	}
	return b.ctx
}

func startBrowser(lang string) *browser {
	b := &browser{}
	b.dir, b.err = os.MkdirTemp("", "browsertest-")
	if b.err != nil {
		return b
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), allocatorOptions(Options{Lang: lang, Width: 1280, Height: 900}, b.dir)...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	b.ctx, b.cancel = ctx, func() { cancelCtx(); cancelAlloc() }
	b.err = chromedp.Do(ctx)
	return b
}

func stopBrowsers() {
	browsers.Lock()
	defer browsers.Unlock()
	for _, b := range browsers.byLang {
		if b.cancel != nil {
			b.cancel()
		}
		if b.dir != "" {
			_ = os.RemoveAll(b.dir)
		}
	}
	browsers.byLang = nil
}

// Screenshot saves a PNG of the whole page under $BROWSERTEST_SCREENSHOTS
// when that is set, for a person to look at; otherwise it does nothing.
func Screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("BROWSERTEST_SCREENSHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

//go:embed testdata/axe.min.js
var axeSource string

// Violation is one axe-core finding.
type Violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// Violations runs axe-core's WCAG 2.0 and 2.1 A and AA rules on the page the
// browser shows.
func Violations(ctx context.Context) ([]Violation, error) {
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axeSource)); err != nil {
		return nil, fmt.Errorf("inject axe-core: %w", err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](
		`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}).then(r => r.violations)`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("run axe-core: %w", err)
	}
	var vs []Violation
	if err := json.Unmarshal(raw, &vs); err != nil {
		return nil, fmt.Errorf("axe-core result: %w", err)
	}
	return vs, nil
}

// CheckAccessibility fails the test on every serious or critical axe-core
// violation of the page the browser shows; minor and moderate ones are
// logged.
func CheckAccessibility(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	vs, err := Violations(ctx)
	if err != nil {
		t.Fatalf("%s: %v", page, err)
	}
	for _, v := range vs {
		where := ""
		for _, n := range v.Nodes {
			where += fmt.Sprintf("\n    %v %s", n.Target, n.HTML)
		}
		msg := fmt.Sprintf("%s: axe %s (%s): %s%s", page, v.ID, v.Impact, v.Help, where)
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Error(msg)
		} else {
			t.Log(msg)
		}
	}
}

// HorizontalOverflow reports how many CSS pixels the page is wider than the
// window: 0 on a page that fits a phone.
func HorizontalOverflow(t *testing.T, ctx context.Context) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](
		`Math.max(0, document.documentElement.scrollWidth - window.innerWidth)`))
	if err != nil {
		t.Fatal(err)
	}
	return n
}
