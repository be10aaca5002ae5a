package server

import (
	"bytes"
	"container/list"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"ngoportal/internal/i18n"
	"ngoportal/internal/postgres"
)

// The public page cache. An anonymous reader's public page (home, the
// sessions list, a summary, the directory, an NGO's profile, the feed, the
// sitemap, the statements) is rendered once per address and language and
// kept in memory as bytes, with its headers (ETag, Last-Modified,
// Cache-Control) and its gzip and brotli variants, compressed once. A hit
// costs no query: a matching If-None-Match is answered 304 from the entry.
//
// Staying right:
//   - Every write that can change a public page notifies every instance
//     (migration 00027's triggers, on postgres.PublicChangeChannel). Each
//     instance listens on a connection of its own (runPageCacheListener)
//     and drops its whole cache on any change.
//   - While that connection is down, nothing is served from the cache or
//     stored in it (changes would go unheard); when it is back, the cache
//     starts empty.
//   - A page rendered while a change committed could hold the old data: a
//     miss notes the cache's generation before reading, and its page is
//     kept only if no change, loss or drop came in between.
//   - A write made through this instance waits, before its answer goes
//     out, until the listener has heard every change committed before it
//     (syncPageCache), so the next request, the writer's own included,
//     already sees it. Another instance sees it as soon as its listener
//     does: milliseconds, on a healthy database.
//
// Never cached: a request carrying a login-session cookie (valid or not),
// one whose answer sets a cookie, a signed-in reader, any answer but a 200
// marked public (a flash, an error, a 304, a redirect), HEAD misses, and
// the search page (not wrapped).

// pageCacheEntryShare bounds one entry to this share of the whole cache.
const pageCacheEntryShare = 8

// syncWait bounds how long a write waits for its own notification.
const syncWait = time.Second

// pageCache holds the rendered pages of one server, bounded in bytes and
// dropping the least recently used first.
type pageCache struct {
	max int64

	mu      sync.Mutex
	on      bool   // the listener listens: entries may be served and stored
	gen     uint64 // changes with every drop (change, loss, listening again)
	size    int64
	entries map[string]*list.Element // of *cachedPage
	lru     list.List                // front: most recently used
	waiters map[string]chan struct{} // sync tokens not yet heard
}

// cachedPage is one rendered answer. Its compressed variants are made
// when first asked for (variant), so that the first request after a
// change compresses once, as an uncached answer would.
type cachedPage struct {
	key      string
	route    string      // the chi pattern, for the access log
	header   http.Header // what the handler set
	etag     string
	lastMod  time.Time
	body     []byte
	compress bool // text, large enough to be worth compressing
	gzOnce   sync.Once
	brOnce   sync.Once
	gz, br   []byte // after their Once: nil when not smaller
	size     int64  // guarded by the cache's mu once the entry is kept
}

func newPageCache(maxBytes int64) *pageCache {
	return &pageCache{max: maxBytes, entries: map[string]*list.Element{}, waiters: map[string]chan struct{}{}}
}

// get returns the entry for key, nil on a miss or while the cache is off.
func (c *pageCache) get(key string) *cachedPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.on {
		return nil
	}
	el, ok := c.entries[key]
	if !ok {
		return nil
	}
	c.lru.MoveToFront(el)
	return el.Value.(*cachedPage)
}

// begin notes the generation a miss reads at, and whether the cache is on.
func (c *pageCache) begin() (uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen, c.on
}

// put keeps p if the cache is still on and at generation gen, and p fits.
func (c *pageCache) put(gen uint64, p *cachedPage) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.on || c.gen != gen || p.size > c.max/pageCacheEntryShare {
		return false
	}
	if old, ok := c.entries[p.key]; ok {
		c.remove(old)
	}
	c.entries[p.key] = c.lru.PushFront(p)
	c.size += p.size
	for c.size > c.max {
		c.remove(c.lru.Back())
	}
	return true
}

// grow counts n more bytes for p (a variant made later), if p is still
// kept, and drops the least recently used entries beyond the bound.
func (c *pageCache) grow(p *cachedPage, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[p.key]
	if !ok || el.Value.(*cachedPage) != p {
		return
	}
	p.size += int64(n)
	c.size += int64(n)
	for c.size > c.max && c.lru.Len() > 1 {
		c.remove(c.lru.Back())
	}
}

func (c *pageCache) remove(el *list.Element) {
	p := c.lru.Remove(el).(*cachedPage)
	delete(c.entries, p.key)
	c.size -= p.size
}

// drop empties the cache and moves to a new generation; on says whether
// it may be used from now on. Called with c.mu held.
func (c *pageCache) drop(on bool) {
	c.entries = map[string]*list.Element{}
	c.lru.Init()
	c.size = 0
	c.gen++
	c.on = on
}

// stats reports the entries and bytes held, and whether the cache is on.
func (c *pageCache) stats() (entries int, size int64, on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries), c.size, c.on
}

// pageCacheListener is what the listener tells a cache.
type pageCacheListener struct {
	c *pageCache
	s *Server
}

var _ postgres.PublicChangeListener = pageCacheListener{}

func (l pageCacheListener) Listening() {
	l.c.mu.Lock()
	l.c.drop(true)
	l.c.mu.Unlock()
	l.s.log.Info("public page cache on: listening for changes")
}

func (l pageCacheListener) Lost(err error) {
	l.c.mu.Lock()
	wasOn := l.c.on
	l.c.drop(false)
	// Writers waiting for their token go on: with the cache off, nothing
	// stale can be served.
	for token, ch := range l.c.waiters {
		close(ch)
		delete(l.c.waiters, token)
	}
	l.c.mu.Unlock()
	if wasOn {
		l.s.log.Warn("public page cache off: the change listener lost its connection", "err", err)
	} else {
		l.s.log.Debug("public page cache still off", "err", err)
	}
}

func (l pageCacheListener) Changed(table string) {
	l.c.mu.Lock()
	l.c.drop(l.c.on)
	l.c.mu.Unlock()
	l.s.log.Debug("public page cache dropped", "table", table)
}

func (l pageCacheListener) Synced(token string) {
	l.c.mu.Lock()
	defer l.c.mu.Unlock()
	if ch, ok := l.c.waiters[token]; ok {
		close(ch)
		delete(l.c.waiters, token)
	}
}

// RunPageCacheListener listens for public changes for this server's page
// cache until ctx ends (the cache stays off without it). It returns at
// once when the cache is disabled (PORTAL_PAGE_CACHE_MB=0).
func (s *Server) RunPageCacheListener(ctx context.Context) {
	if s.pages == nil {
		return
	}
	_ = s.db.ListenPublicChanges(ctx, pageCacheListener{c: s.pages, s: s})
	s.pages.mu.Lock()
	s.pages.drop(false)
	s.pages.mu.Unlock()
}

// syncPageCache waits until the listener has heard every change committed
// so far (see above); after syncWait it drops the cache instead.
func (s *Server) syncPageCache(ctx context.Context) {
	c := s.pages
	if c == nil {
		return
	}
	var b [12]byte
	_, _ = rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	ch := make(chan struct{})
	c.mu.Lock()
	if !c.on {
		c.mu.Unlock()
		return
	}
	c.waiters[token] = ch
	c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), syncWait)
	defer cancel()
	err := s.db.SyncPublicChanges(ctx, token)
	if err == nil {
		select {
		case <-ch:
			return
		case <-ctx.Done():
			err = ctx.Err()
		}
	}
	c.mu.Lock()
	delete(c.waiters, token)
	c.drop(c.on)
	c.mu.Unlock()
	s.log.Warn("public page cache dropped: a write's changes were not heard in time", "err", err)
}

// syncAfterWrite runs syncPageCache after every request that may have
// written (any method but GET, HEAD, OPTIONS), before its answer leaves.
func (s *Server) syncAfterWrite(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			s.syncPageCache(r.Context())
		}
	})
}

// cachedPublic serves a public page from the page cache, or renders it
// with next and keeps it (see above).
func (s *Server) cachedPublic(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := s.pages
		if c == nil || (r.Method != http.MethodGet && r.Method != http.MethodHead) || !s.cacheable(r) {
			next(w, r)
			return
		}
		key := pageKey(localeFrom(r.Context()), r)
		if p := c.get(key); p != nil {
			s.servePage(w, r, p, accepted(r))
			return
		}
		gen, on := c.begin()
		if !on || r.Method == http.MethodHead {
			next(w, r)
			return
		}
		// Render the whole page whatever the validators say: the entry
		// answers this request's conditions, then the next ones.
		plain := r
		if r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "" {
			plain = r.Clone(r.Context())
			plain.Header.Del("If-None-Match")
			plain.Header.Del("If-Modified-Since")
		}
		rec := &pageRecorder{header: http.Header{}}
		next(rec, plain)
		p := s.newCachedPage(key, rec)
		if p == nil {
			rec.replay(w, r)
			return
		}
		p.route = routePattern(r)
		c.put(gen, p)
		s.servePage(w, r, p, accepted(r))
	}
}

// newCachedPage makes an entry of a recorded answer, nil when it may not
// be kept: anything but a 200 marked public with an ETag, an answer that
// sets a cookie or is already encoded.
func (s *Server) newCachedPage(key string, rec *pageRecorder) *cachedPage {
	h := rec.header
	if rec.status != http.StatusOK || h.Get("Cache-Control") != publicCacheControl || h.Get("ETag") == "" ||
		len(h.Values("Set-Cookie")) > 0 || h.Get("Content-Encoding") != "" {
		return nil
	}
	p := &cachedPage{key: key, header: h.Clone(), etag: h.Get("ETag"), body: bytes.Clone(rec.body.Bytes())}
	p.header.Del("Content-Length")
	if lm := h.Get("Last-Modified"); lm != "" {
		p.lastMod, _ = http.ParseTime(lm)
	}
	p.compress = len(p.body) >= compressMinBytes && compressible(h.Get("Content-Type"))
	p.size = int64(len(key) + len(p.body) + 512) // 512: the headers and the entry
	return p
}

// variant returns p's body in coding enc, made on first use and counted
// in the cache's size; nil when not worth it.
func (s *Server) variant(p *cachedPage, enc string) []byte {
	if !p.compress {
		return nil
	}
	once, dst := &p.gzOnce, &p.gz
	if enc == encBrotli {
		once, dst = &p.brOnce, &p.br
	}
	once.Do(func() {
		*dst = s.compressed(enc, p.body)
		if *dst != nil && s.pages != nil {
			s.pages.grow(p, len(*dst))
		}
	})
	return *dst
}

// compressed is body in coding enc, nil when that is not smaller.
func (s *Server) compressed(enc string, body []byte) []byte {
	var buf bytes.Buffer
	e := s.compressors.get(enc, &buf)
	_, err := e.Write(body)
	if err == nil {
		err = e.Close()
	}
	s.compressors.put(enc, e)
	if err != nil || buf.Len() >= len(body) {
		return nil
	}
	return buf.Bytes()
}

// pageKey is the cache's key of r's page in locale l.
func pageKey(l i18n.Locale, r *http.Request) string {
	return string(l) + " " + r.URL.RequestURI()
}

// serveCached answers a request for a page the cache holds before any
// routing or middleware, with what the middleware would have added: the
// request ID, the security headers, the language headers, the access-log
// line. It declines (false) whatever the routed path would treat
// otherwise: a method but GET and HEAD, a login-session cookie, a ?lang=
// that sets the language cookie, or a page not held.
func (s *Server) serveCached(w http.ResponseWriter, r *http.Request) bool {
	if s.pages == nil || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		return false
	}
	if _, err := r.Cookie(s.cookieName(sessionCookie)); err == nil {
		return false
	}
	l := s.chooseLocale(r)
	if ql, ok := queryLocale(r); ok && s.cookieLocale(r) != ql && acceptsHTML(r) {
		return false
	}
	p := s.pages.get(pageKey(l, r))
	if p == nil {
		return false
	}
	start := time.Now()
	id := newRequestID()
	h := w.Header()
	h.Set("X-Request-Id", id)
	a := negotiate(r.Header.Values("Accept-Encoding"))
	if notModifiedIn(r, p.etag, p.lastMod, a) {
		// A 304 carries what RFC 9110 §15.4.5 asks (ETag, Cache-Control,
		// Vary); the browser keeps the other headers of the page it holds.
		tag, ok := matchETagIn(r, p.etag, a)
		if !ok { // matched by If-Modified-Since: the tag a 200 would carry
			tag = p.etag
			if a.chosen == encBrotli && s.variant(p, encBrotli) != nil {
				tag = variantETag(p.etag, encBrotli)
			} else if a.chosen != "" && a.gzip && s.variant(p, encGzip) != nil {
				tag = variantETag(p.etag, encGzip)
			}
		}
		h["Cache-Control"] = p.header["Cache-Control"]
		h.Set("ETag", tag)
		h.Add("Vary", "Accept-Language, Cookie")
		addVary(h)
		w.WriteHeader(http.StatusNotModified)
		s.logRequest(r, id, p.route, http.StatusNotModified, 0, start)
		return true
	}
	for k, v := range s.fixed {
		h[k] = v
	}
	h.Set("Content-Language", string(l))
	h.Add("Vary", "Accept-Language, Cookie")
	status, n := s.servePage(w, r, p, a)
	s.logRequest(r, id, p.route, status, n, start)
	return true
}

// servePage answers r from an entry: 304 when its validators match, else
// the variant in the coding a (compress's negotiation). It returns the
// status and the bytes written.
func (s *Server) servePage(w http.ResponseWriter, r *http.Request, p *cachedPage, a acceptedEncodings) (int, int) {
	h := w.Header()
	for k, v := range p.header {
		if k == "Vary" {
			for _, f := range v {
				h.Add("Vary", f)
			}
			continue
		}
		h[k] = slices.Clone(v)
	}
	addVary(h)
	if notModifiedIn(r, p.etag, p.lastMod, a) {
		if tag, ok := matchETagIn(r, p.etag, a); ok {
			h.Set("ETag", tag)
		}
		h.Del("Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return http.StatusNotModified, 0
	}
	body, enc := p.body, ""
	if a.chosen == encBrotli {
		if b := s.variant(p, encBrotli); b != nil {
			body, enc = b, encBrotli
		}
	}
	if enc == "" && a.chosen != "" && a.gzip {
		if b := s.variant(p, encGzip); b != nil {
			body, enc = b, encGzip
		}
	}
	if enc != "" {
		h.Set("Content-Encoding", enc)
		h.Set("ETag", variantETag(p.etag, enc))
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return http.StatusOK, 0
	}
	s.writeBody(w, r, body)
	return http.StatusOK, len(body)
}

// pageRecorder records an answer for the page cache.
type pageRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (rec *pageRecorder) Header() http.Header { return rec.header }

func (rec *pageRecorder) WriteHeader(status int) {
	if rec.status == 0 && status >= 200 {
		rec.status = status
	}
}

func (rec *pageRecorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return rec.body.Write(b)
}

// replay sends a recorded answer that is not kept, as it was written.
func (rec *pageRecorder) replay(w http.ResponseWriter, r *http.Request) {
	if rec.status == 0 && rec.body.Len() == 0 {
		return // nothing was answered (retryReads runs the request again)
	}
	h := w.Header()
	for k, v := range rec.header {
		if k == "Vary" {
			for _, f := range v {
				h.Add("Vary", f)
			}
			continue
		}
		h[k] = v
	}
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	w.WriteHeader(rec.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(rec.body.Bytes())
	}
}
