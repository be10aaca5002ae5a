package server

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"ngoportal/internal/pgtest"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
	"ngoportal/web/public"
)

// listen runs h's page-cache listener until the test ends, and waits until
// the cache is on.
func listen(t testing.TB, h *harness) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); h.srv.RunPageCacheListener(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	waitFor(t, "the page cache to be on", func() bool { _, _, on := h.srv.pages.stats(); return on })
}

// waitFor polls cond for up to two seconds.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// cachedAt reports whether the cache holds the anonymous page at uri in
// locale l (as cachedPublic keys it).
func cachedAt(h *harness, l, uri string) bool {
	return h.srv.pages.get(l+" "+uri) != nil
}

// countedHarness is a server over db whose pool logs every statement.
func countedHarness(t *testing.T, db *postgres.DB, env map[string]string) (*harness, *queryLog) {
	t.Helper()
	log := &queryLog{}
	return newHarnessWith(t, env, pgtest.Traced(t, db, log), nil), log
}

// publicPages are one address of every kind of page the cache keeps, in
// both languages.
func publicPages(slug string) []string {
	var out []string
	for _, p := range []string{"/", "/sessions", "/sessions?year=2039", "/sessions/" + slug, "/ngos", "/ngos/women-lawyers",
		public.FeedPath, public.SitemapPath, public.PrivacyPath, public.AccessibilityPath} {
		sep := "?"
		if strings.Contains(p, "?") {
			sep = "&"
		}
		out = append(out, p, p+sep+"lang=en")
	}
	return out
}

// A page from the cache, on the miss that fills it and on every hit, is
// byte for byte what a server without the cache renders, headers included;
// hits and their 304s run no query at all.
func TestPageCacheServesWhatARenderWould(t *testing.T) {
	t.Parallel()
	plain := newHarness(t, map[string]string{"PORTAL_PAGE_CACHE_MB": "0"})
	const slug = "cache-same-2039"
	pubSummary(t, plain, slug, "2039-01-19", "women-lawyers", "women-journalists")
	h, log := countedHarness(t, plain.db, nil)
	listen(t, h)

	for _, p := range publicPages(slug) {
		want := plain.do(t, get(p))
		if want.status != http.StatusOK {
			t.Fatalf("%s: %d without the cache", p, want.status)
		}
		miss := h.do(t, get(p))
		l := "zh-CN"
		if strings.Contains(p, "lang=en") {
			l = "en"
		}
		if !cachedAt(h, l, p) {
			t.Errorf("%s: not kept after its first request", p)
		}
		log.take()
		hit := h.do(t, get(p))
		if q := log.take(); len(q) > 0 {
			t.Errorf("%s: a hit ran %d statements: %q", p, len(q), q)
		}
		for name, got := range map[string]response{"miss": miss, "hit": hit} {
			if got.status != http.StatusOK || got.body != want.body {
				t.Errorf("%s: the %s's body differs from a render (%d, %d bytes; want %d bytes)", p, name, got.status, len(got.body), len(want.body))
			}
			// Every header a render sends, as it sends it (the request's
			// own ID apart; the cache adds a Content-Length).
			for k := range mergeKeys(got.header, want.header) {
				if k == "X-Request-Id" || k == "Content-Length" {
					continue
				}
				if g, w := strings.Join(got.header.Values(k), "|"), strings.Join(want.header.Values(k), "|"); g != w {
					t.Errorf("%s: the %s's %s is %q, a render's %q", p, name, k, g, w)
				}
			}
			if !varies(got.header) {
				t.Errorf("%s: the %s lacks Vary: Accept-Encoding", p, name)
			}
		}
		// Compressed hits decode to the same bytes.
		for _, enc := range []string{"gzip", "br"} {
			res := h.do(t, get(p, "Accept-Encoding", enc))
			if len(want.body) >= compressMinBytes && res.header.Get("Content-Encoding") != enc {
				t.Errorf("%s with %s: Content-Encoding %q", p, enc, res.header.Get("Content-Encoding"))
			}
			if decodeBody(t, res) != want.body {
				t.Errorf("%s with %s: decodes to other bytes", p, enc)
			}
		}
		// A conditional request is answered from the entry.
		res := h.do(t, get(p, "If-None-Match", want.header.Get("ETag")))
		if res.status != http.StatusNotModified || res.body != "" {
			t.Errorf("%s with its ETag: %d, want 304", p, res.status)
		}
		// RFC 9110 §15.4.5: what the 200 would carry of ETag, Cache-Control, Vary.
		if res.header.Get("ETag") != want.header.Get("ETag") || res.header.Get("Cache-Control") != publicCacheControl ||
			!varies(res.header) || !strings.Contains(strings.Join(res.header.Values("Vary"), ","), "Accept-Language") {
			t.Errorf("%s: 304 with ETag %q, Cache-Control %q, Vary %q", p, res.header.Get("ETag"), res.header.Get("Cache-Control"), res.header.Values("Vary"))
		}
		res = h.do(t, get(p, "Accept-Encoding", "br", "If-None-Match", want.header.Get("ETag")+`, "other"`))
		if res.status != http.StatusNotModified || res.header.Get("ETag") != want.header.Get("ETag") {
			t.Errorf("%s: identity ETag asked in br: %d, ETag %q", p, res.status, res.header.Get("ETag"))
		}
		if q := log.take(); len(q) > 0 {
			t.Errorf("%s: hits and 304s ran %d statements: %q", p, len(q), q)
		}
	}
	// A conditional request that misses is answered 304 too, and fills the
	// cache with the whole page.
	h.srv.syncPageCache(t.Context())
	pubExec(t, h, `UPDATE ngos SET website = 'https://lawyers.example.org/' WHERE slug = 'women-lawyers'`)
	h.srv.syncPageCache(t.Context())
	fresh := plain.do(t, get("/ngos/women-lawyers"))
	res := h.do(t, get("/ngos/women-lawyers", "If-None-Match", fresh.header.Get("ETag")))
	if res.status != http.StatusNotModified || !cachedAt(h, "zh-CN", "/ngos/women-lawyers") {
		t.Errorf("conditional miss: %d, kept %v; want 304 and kept", res.status, cachedAt(h, "zh-CN", "/ngos/women-lawyers"))
	}
	if res := h.do(t, get("/ngos/women-lawyers")); res.body != fresh.body {
		t.Error("after a conditional miss, the page differs from a render")
	}
}

// A signed-in reader, a reader with any login-session cookie (even one
// that names no session) and a reader whose answer sets the language
// cookie get a page rendered for them, never the cached body, and never
// leave theirs in the cache; nor do pages the cache does not keep.
func TestPageCacheNeverForSignedIn(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	listen(t, h)
	admin := h.sessionCookie(t, createUser(t, h, portal.RoleAdmin, 0, "cache-admin@example.org", "缓存管理员"))
	forged := &http.Cookie{Name: admin.Name, Value: "not-a-session"}

	// The signed-in reader's page names the reader; it must not be kept.
	res := h.do(t, withCookie(get("/sessions"), admin))
	if !strings.Contains(res.body, "缓存管理员") || res.header.Get("Cache-Control") != privateCacheControl {
		t.Fatalf("signed-in page: Cache-Control %q, names the reader %v", res.header.Get("Cache-Control"), strings.Contains(res.body, "缓存管理员"))
	}
	if cachedAt(h, "zh-CN", "/sessions") {
		t.Fatal("a signed-in reader's page was kept")
	}
	// Fill the cache as the public, then ask with cookies.
	anon := h.do(t, get("/sessions"))
	if !cachedAt(h, "zh-CN", "/sessions") {
		t.Fatal("the public page was not kept")
	}
	for name, c := range map[string]*http.Cookie{"signed in": admin, "unknown session": forged} {
		res := h.do(t, withCookie(get("/sessions"), c))
		if res.header.Get("Cache-Control") != privateCacheControl || res.header.Get("ETag") != "" {
			t.Errorf("%s: Cache-Control %q, ETag %q: the cached answer", name, res.header.Get("Cache-Control"), res.header.Get("ETag"))
		}
		if name == "signed in" && (res.body == anon.body || !strings.Contains(res.body, "缓存管理员")) {
			t.Errorf("%s: got the public page", name)
		}
	}
	// ?lang= that differs from the cookie sets the cookie: rendered, not kept.
	res = h.do(t, get("/ngos?lang=en", "Accept", "text/html"))
	if len(res.header.Values("Set-Cookie")) == 0 || cachedAt(h, "en", "/ngos?lang=en") {
		t.Errorf("an answer setting the language cookie: Set-Cookie %q, kept %v", res.header.Values("Set-Cookie"), cachedAt(h, "en", "/ngos?lang=en"))
	}
	// Search stays live; errors are never kept.
	h.do(t, get("/search?q=women"))
	h.do(t, get("/sessions/no-such-session"))
	if cachedAt(h, "zh-CN", "/search?q=women") || cachedAt(h, "zh-CN", "/sessions/no-such-session") {
		t.Error("search or a 404 was kept")
	}
}

func mergeKeys(a, b http.Header) map[string]bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}

func withCookie(r *http.Request, c *http.Cookie) *http.Request {
	r.AddCookie(c)
	return r
}

// Every kind of write that shows on a public page makes the next request
// show it: the trigger's notice reaches the listener, which drops the
// cache, before the write's answer would leave (syncPageCache).
func TestPageCacheEveryWriteShows(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	listen(t, h)
	admin := pubAdmin(t, h)
	ctx := t.Context()

	const slug = "cache-writes-2040"
	sessionID, published := pubSummary(t, h, slug, "2040-01-19", "women-lawyers")
	draftID := pubSession(t, h, "cache-draft-2041", "2041-01-19", "women-lawyers")
	draft := pubSave(t, h, draftID, portal.SummaryInput{ZH: pubText("cache-draft-2041", "zh"), EN: pubText("cache-draft-2041", "en")}, 0)
	lawyers := ngoIDBySlug(t, h, "women-lawyers")
	var chair int64
	if err := h.db.Pool().QueryRow(ctx, `SELECT official_id FROM session_officials WHERE session_id = $1`, sessionID).Scan(&chair); err != nil {
		t.Fatal(err)
	}
	summaryPage := "/sessions/" + slug

	cases := []struct {
		name  string
		page  string
		write func(t *testing.T)
		want  string // on the page after the write ("" : see gone)
		gone  string // no longer on the page
	}{
		{"publish", "/sessions", func(t *testing.T) {
			draft = pubPublish(t, h, draftID, draft.Version)
		}, "cache-draft-2041会议纪要", ""},
		{"edit a published summary", summaryPage, func(t *testing.T) {
			in := published.Input()
			in.ZH.Body = "## 工作回顾\n\n改后的正文，写给公众。"
			published = pubSave(t, h, sessionID, in, published.Version)
		}, "改后的正文，写给公众。", slug + "正文"},
		{"unpublish", "/sessions", func(t *testing.T) {
			var err error
			if draft, err = h.db.UnpublishSummary(ctx, admin, draftID, draft.Version); err != nil {
				t.Fatal(err)
			}
		}, "", "cache-draft-2041会议纪要"},
		{"an NGO's public profile", "/ngos/women-lawyers", func(t *testing.T) {
			n, err := h.db.NGOByID(ctx, lawyers)
			if err != nil {
				t.Fatal(err)
			}
			n.ProfileZH = "律师组织的新简介。"
			if _, err := h.db.UpdateNGO(ctx, admin, lawyers, n); err != nil {
				t.Fatal(err)
			}
		}, "律师组织的新简介。", ""},
		{"an NGO's name on a summary", summaryPage, func(t *testing.T) {
			pubExec(t, h, `UPDATE ngos SET name_zh = '女律师联谊会（新名）' WHERE id = $1`, lawyers)
		}, "女律师联谊会（新名）", ""},
		{"the directory setting", "/ngos", func(t *testing.T) {
			n, err := h.db.NGOByID(ctx, lawyers)
			if err != nil {
				t.Fatal(err)
			}
			n.ShowInDirectory = false
			if _, err := h.db.UpdateNGO(ctx, admin, lawyers, n); err != nil {
				t.Fatal(err)
			}
		}, "", "女律师联谊会（新名）"},
		{"an official's name", summaryPage, func(t *testing.T) {
			o, err := h.db.OfficialByID(ctx, chair)
			if err != nil {
				t.Fatal(err)
			}
			o.NameZH = "新主席名"
			if _, err := h.db.UpdateOfficial(ctx, admin, chair, o); err != nil {
				t.Fatal(err)
			}
		}, "新主席名", ""},
		{"a chair's request", summaryPage, func(t *testing.T) {
			pubExec(t, h, `UPDATE session_requests SET text_zh = '请各组织改进新媒体宣传' WHERE session_id = $1`, sessionID)
		}, "请各组织改进新媒体宣传", ""},
		{"the session", summaryPage, func(t *testing.T) {
			pubExec(t, h, `UPDATE sessions SET title_zh = '改名后的负责人会议' WHERE id = $1`, sessionID)
		}, "改名后的负责人会议", ""},
		{"who was present", summaryPage, func(t *testing.T) {
			pubExec(t, h, `INSERT INTO invitations (session_id, ngo_id, reply, attendance)
				SELECT $1, id, 'confirmed', 'present' FROM ngos WHERE slug = 'women-journalists'`, sessionID)
		}, "上海市女记者协会", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := h.do(t, get(c.page))
			h.do(t, get(c.page))
			if !cachedAt(h, "zh-CN", c.page) {
				t.Fatalf("%s was not kept", c.page)
			}
			if c.want != "" && strings.Contains(before.body, c.want) {
				t.Fatalf("%s shows %q before the write", c.page, c.want)
			}
			if c.gone != "" && !strings.Contains(before.body, c.gone) {
				t.Fatalf("%s lacks %q before the write", c.page, c.gone)
			}
			c.write(t)
			h.srv.syncPageCache(ctx) // what the write's request does before answering
			after := h.do(t, get(c.page))
			if c.want != "" && !strings.Contains(after.body, c.want) {
				t.Errorf("after the write, %s lacks %q", c.page, c.want)
			}
			if c.gone != "" && strings.Contains(after.body, c.gone) {
				t.Errorf("after the write, %s still shows %q", c.page, c.gone)
			}
		})
	}
}

// slowListener hears every notice late, as a busy database or network
// would deliver it.
type slowListener struct {
	pageCacheListener
	delay time.Duration
}

func (l slowListener) Changed(table string) {
	time.Sleep(l.delay)
	l.pageCacheListener.Changed(table)
}

// A write through the portal answers only once this instance's cache has
// dropped what it changed: the very next anonymous request shows it, even
// when notices arrive late.
func TestPageCacheWriteThroughThePortal(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = h.db.ListenPublicChanges(ctx, slowListener{pageCacheListener{c: h.srv.pages, s: h.srv}, 300 * time.Millisecond})
	}()
	t.Cleanup(func() { cancel(); <-done })
	waitFor(t, "the page cache to be on", func() bool { _, _, on := h.srv.pages.stats(); return on })
	const slug = "cache-post-2042"
	sessionID := pubSession(t, h, slug, "2042-01-19", "women-lawyers")
	s := pubSave(t, h, sessionID, portal.SummaryInput{ZH: pubText(slug, "zh"), EN: pubText(slug, "en")}, 0)
	admin := h.sessionCookie(t, createUser(t, h, portal.RoleAdmin, 0, "cache-post@example.org", "发布管理员"))
	for range 2 {
		if res := h.do(t, get("/")); strings.Contains(res.body, slug+"会议纪要") {
			t.Fatal("the home page shows the draft")
		}
	}
	form := url.Values{"version": {strconv.Itoa(s.Version)}}
	res := h.do(t, withCookie(postForm(summaryPaths(sessionID).Publish, form), admin))
	if res.status != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.status)
	}
	if res := h.do(t, get("/")); !strings.Contains(res.body, slug+"会议纪要") {
		t.Error("the first anonymous request after publishing lacks the summary")
	}
}

// Two servers on one database: a change made through one shows on the
// other within a second, with no query per request on either.
func TestPageCacheTwoServers(t *testing.T) {
	t.Parallel()
	a := newHarness(t, nil)
	b, log := countedHarness(t, a.db, nil)
	listen(t, a)
	listen(t, b)
	const slug = "cache-two-2043"
	sessionID := pubSession(t, a, slug, "2043-01-19", "women-lawyers")
	s := pubSave(t, a, sessionID, portal.SummaryInput{ZH: pubText(slug, "zh"), EN: pubText(slug, "en")}, 0)
	for _, h := range []*harness{a, b} {
		h.do(t, get("/sessions"))
	}
	log.take()
	if res := b.do(t, get("/sessions")); strings.Contains(res.body, slug) {
		t.Fatal("B shows the draft")
	}
	if q := log.take(); len(q) > 0 {
		t.Fatalf("B's hit ran %q", q)
	}
	pubPublish(t, a, sessionID, s.Version)
	a.srv.syncPageCache(t.Context())
	start := time.Now()
	waitFor(t, "B to show the published summary", func() bool {
		return strings.Contains(b.do(t, get("/sessions")).body, slug+"会议纪要")
	})
	if d := time.Since(start); d > time.Second {
		t.Errorf("B showed the change after %v", d)
	}
	if !strings.Contains(a.do(t, get("/sessions")).body, slug+"会议纪要") {
		t.Error("A does not show its own change")
	}
}

// A lost listening connection empties the cache and turns it off: pages
// are rendered for every request, so a change made meanwhile shows at
// once; when the listener is back, the cache fills again.
func TestPageCacheLostListener(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	listen(t, h)
	for _, p := range []string{"/", "/sessions", "/ngos"} {
		h.do(t, get(p))
	}
	if n, _, _ := h.srv.pages.stats(); n != 3 {
		t.Fatalf("%d entries, want 3", n)
	}
	var mu sync.Mutex
	terminated := 0
	kill := func() {
		mu.Lock()
		defer mu.Unlock()
		var n int
		err := h.db.Pool().QueryRow(t.Context(), `
			SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE datname = current_database() AND application_name = 'portal public-change listener'`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		terminated += n
	}
	kill()
	if terminated != 1 {
		t.Fatalf("terminated %d listeners, want 1", terminated)
	}
	// Off and empty at once, whatever is asked meanwhile.
	waitFor(t, "the cache to go off", func() bool { n, size, on := h.srv.pages.stats(); return !on && n == 0 && size == 0 })
	// Keep it off while the page changes, then let it come back.
	pubExec(t, h, `UPDATE ngos SET profile_zh = '断线期间写的简介。' WHERE slug = 'women-lawyers'`)
	res := h.do(t, get("/ngos/women-lawyers"))
	if !strings.Contains(res.body, "断线期间写的简介。") {
		t.Error("while the cache is off, a page misses the change")
	}
	if _, _, on := h.srv.pages.stats(); !on && cachedAt(h, "zh-CN", "/ngos/women-lawyers") {
		t.Error("a page was kept while the cache was off")
	}
	waitFor(t, "the listener to be back", func() bool { _, _, on := h.srv.pages.stats(); return on })
	h.do(t, get("/ngos/women-lawyers"))
	if !cachedAt(h, "zh-CN", "/ngos/women-lawyers") {
		t.Error("the cache does not fill again once the listener is back")
	}
}

// A page rendered from data read before a change, and finished after the
// change was heard, is not kept.
func TestPageCacheKeepsNothingReadBeforeAChange(t *testing.T) {
	t.Parallel()
	c := newPageCache(1 << 20)
	l := pageCacheListener{c: c, s: &Server{log: slog.New(slog.DiscardHandler)}}
	l.Listening()
	gen, on := c.begin()
	if !on {
		t.Fatal("off after Listening")
	}
	l.Changed("ngos")
	if c.put(gen, &cachedPage{key: "zh-CN /ngos", size: 10}) {
		t.Error("a page read before a change was kept")
	}
	gen, _ = c.begin()
	if !c.put(gen, &cachedPage{key: "zh-CN /ngos", size: 10}) {
		t.Error("a page read after the change was not kept")
	}
	l.Lost(nil)
	if c.get("zh-CN /ngos") != nil {
		t.Error("an entry survived a lost listener")
	}
	if c.put(gen, &cachedPage{key: "zh-CN /ngos", size: 10}) {
		t.Error("a page was kept with the listener lost")
	}
}

// The cache holds at most its size, dropping the least recently used.
func TestPageCacheBounded(t *testing.T) {
	t.Parallel()
	c := newPageCache(8000)
	l := pageCacheListener{c: c, s: &Server{log: slog.New(slog.DiscardHandler)}}
	l.Listening()
	gen, _ := c.begin()
	for i := range 10 {
		c.put(gen, &cachedPage{key: strconv.Itoa(i), size: 1000})
		if i == 5 {
			c.get("0") // used: kept longer than 1–5
		}
	}
	n, size, _ := c.stats()
	if size > 8000 || n != 8 {
		t.Errorf("%d entries, %d bytes; want 8 within 8000", n, size)
	}
	if c.get("0") == nil || c.get("1") != nil || c.get("2") != nil {
		t.Error("not the least recently used were dropped")
	}
	if c.put(gen, &cachedPage{key: "big", size: 8000/pageCacheEntryShare + 1}) {
		t.Error("an entry larger than its share was kept")
	}
}

// A variant made on first use counts in the cache's size, once.
func TestPageCacheVariantsCounted(t *testing.T) {
	t.Parallel()
	c := newPageCache(1 << 20)
	s := &Server{log: slog.New(slog.DiscardHandler), compressors: newCompressors(), pages: c}
	pageCacheListener{c: c, s: s}.Listening()
	gen, _ := c.begin()
	body := []byte(strings.Repeat("<p>妇女组织的工作报告。</p>\n", 200))
	p := &cachedPage{key: "zh-CN /", body: body, compress: true, size: int64(len(body))}
	c.put(gen, p)
	br := s.variant(p, encBrotli)
	if len(br) == 0 || len(br) >= len(body) {
		t.Fatalf("brotli variant of %d bytes: %d", len(body), len(br))
	}
	s.variant(p, encBrotli)
	if _, size, _ := c.stats(); size != int64(len(body)+len(br)) {
		t.Errorf("size %d, want %d (body and one variant)", size, len(body)+len(br))
	}
}
