package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/a-h/templ"

	"ngoportal/internal/config"
	"ngoportal/web/ui"
)

// Caching of the public pages. An anonymous reader's page is the same for
// everyone who asks in the same language, so it gets a strong ETag (a hash
// of the locale and the body), a Last-Modified where the data's last change
// is known, 304 answers to conditional requests, and a Cache-Control that
// lets a proxy keep it a minute and serve it stale while it revalidates.
// A request carrying a login-session cookie is never cached anywhere: its
// page names the signed-in user and may show a flash message.

// publicCacheControl is what an anonymous public page may be cached for.
const publicCacheControl = "public, max-age=60, stale-while-revalidate=300"

// privateCacheControl is what a signed-in reader's page is sent with.
const privateCacheControl = "private, no-store"

// cacheable reports whether the answer to r may be stored by a shared
// cache: no login-session cookie (valid or not: the answer may clear it),
// no cookie set by the answer (withLocale's), no signed-in viewer.
func (s *Server) cacheable(r *http.Request) bool {
	if _, err := r.Cookie(s.cookieName(sessionCookie)); err == nil {
		return false
	}
	if sets, _ := r.Context().Value(setsCookieKey{}).(bool); sets {
		return false
	}
	return !viewerFrom(r.Context()).SignedIn()
}

// renderPublic renders a public page: into a buffer, then as a cacheable
// answer (or a 304) for anonymous readers, or as a private one. p is the
// page's layout data, to see whether it shows a flash; lastMod is when its
// data last changed, zero when unknown. The ETag is a hash of the body.
func (s *Server) renderPublic(w http.ResponseWriter, r *http.Request, p ui.Page, lastMod time.Time, c templ.Component) error {
	return s.renderPublicTagged(w, r, p, "", lastMod, c)
}

// renderPublicTagged is renderPublic with the ETag given (from dataETag),
// or "" to hash the body.
func (s *Server) renderPublicTagged(w http.ResponseWriter, r *http.Request, p ui.Page, etag string, lastMod time.Time, c templ.Component) error {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if p.Flash != "" || !s.cacheable(r) {
		w.Header().Set("Cache-Control", privateCacheControl)
		w.WriteHeader(http.StatusOK)
		s.writeBody(w, r, buf.Bytes())
		return nil
	}
	if etag == "" {
		etag = bodyETag(string(localeFrom(r.Context())), buf.Bytes())
	}
	s.writeCacheable(w, r, etag, lastMod, buf.Bytes())
	return nil
}

// etagSeed is what shapes a public page besides its data: the build, the
// static assets and the configuration pages show. It is the same for every
// instance of one build and configuration, so that instances behind one
// load balancer agree on every ETag, and it changes with a new build. The
// build is named by debug.ReadBuildInfo (VCS revision, module versions,
// build settings); a build from a modified tree, or one without VCS
// information (go run, tests), is named by the executable's own content.
func etagSeed(cfg config.Config, assets *ui.Assets) ([]byte, error) {
	h := sha256.New()
	bi, ok := debug.ReadBuildInfo()
	if ok {
		h.Write([]byte(bi.String()))
	}
	if !ok || buildSetting(bi, "vcs.revision") == "" || buildSetting(bi, "vcs.modified") == "true" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("etag seed: %w", err)
		}
		f, err := os.Open(exe)
		if err != nil {
			return nil, fmt.Errorf("etag seed: %w", err)
		}
		defer f.Close()
		if _, err := io.Copy(h, f); err != nil {
			return nil, fmt.Errorf("etag seed: %w", err)
		}
	}
	h.Write([]byte(assets.Fingerprint()))
	c := cfg.Contact
	for _, v := range []string{cfg.BaseURL.String(), cfg.FederationZH, cfg.FederationEN,
		c.Phone, c.Email, c.AddressZH, c.AddressEN, cfg.ICP} {
		h.Write([]byte{0})
		h.Write([]byte(v))
	}
	return h.Sum(nil), nil
}

// buildSetting is the value of one of the build's settings, "" when unset.
func buildSetting(bi *debug.BuildInfo, key string) string {
	for _, s := range bi.Settings {
		if s.Key == key {
			return s.Value
		}
	}
	return ""
}

// etagSeed returns the server's seed, computed on first use (hashing the
// executable takes a moment, and most servers in tests never need it).
func (s *Server) etagSeed() ([]byte, error) {
	s.seedOnce.Do(func() { s.seed, s.seedErr = etagSeed(s.cfg, s.assets) })
	return s.seed, s.seedErr
}

// dataETag is a strong validator of an anonymous page computed before
// rendering, from everything the page is rendered from: the build and
// configuration (etagSeed), the locale, the query and the data (as JSON).
// A conditional request that matches it is answered 304 without rendering
// (renderPublicTagged sends the same tag with the full page).
func (s *Server) dataETag(r *http.Request, data any) (string, error) {
	seed, err := s.etagSeed()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write(seed)
	h.Write([]byte(localeFrom(r.Context())))
	h.Write([]byte{0})
	h.Write([]byte(r.URL.RawQuery))
	h.Write([]byte{0})
	if err := json.NewEncoder(h).Encode(data); err != nil {
		return "", fmt.Errorf("data ETag: %w", err)
	}
	return `"d` + hex.EncodeToString(h.Sum(nil)[:16]) + `"`, nil
}

// bodyETag is a strong validator of a body in a locale.
func bodyETag(locale string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(locale))
	h.Write([]byte{0})
	h.Write(body)
	return `"` + hex.EncodeToString(h.Sum(nil)[:16]) + `"`
}

// writeCacheable answers with body, or with 304 when the request's
// validators match: If-None-Match against etag, else If-Modified-Since
// against lastMod (ignored when zero). Content-Type is the caller's.
// A signed-in reader gets the body without validators and uncached.
func (s *Server) writeCacheable(w http.ResponseWriter, r *http.Request, etag string, lastMod time.Time, body []byte) {
	h := w.Header()
	if !s.cacheable(r) {
		h.Set("Cache-Control", privateCacheControl)
		w.WriteHeader(http.StatusOK)
		s.writeBody(w, r, body)
		return
	}
	h.Set("Cache-Control", publicCacheControl)
	h.Set("ETag", etag)
	if !lastMod.IsZero() {
		h.Set("Last-Modified", lastMod.UTC().Format(http.TimeFormat))
	}
	if notModified(r, etag, lastMod) {
		if tag, ok := matchETag(r, etag); ok {
			h.Set("ETag", tag)
		}
		addVary(h) // as the 200 would (RFC 9110 §15.4.5); compress sees no Content-Type
		h.Del("Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(http.StatusOK)
	s.writeBody(w, r, body)
}

// matchETag compares If-None-Match with etag and its compressed variants
// (variantETag) in the codings the request accepts (weak comparison, "*"
// matches anything), and returns the tag that matched: the one a 304 names.
func matchETag(r *http.Request, etag string) (string, bool) {
	return matchETagIn(r, etag, accepted(r))
}

// matchETagIn is matchETag with the codings a accepted.
func matchETagIn(r *http.Request, etag string, a acceptedEncodings) (string, bool) {
	inm := strings.Join(r.Header.Values("If-None-Match"), ",")
	for _, tag := range strings.Split(inm, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		switch {
		case tag == "*":
			return variantETag(etag, a.chosen), true
		case tag == etag:
			return etag, true
		case a.gzip && tag == variantETag(etag, encGzip):
			return tag, true
		case a.br && tag == variantETag(etag, encBrotli):
			return tag, true
		}
	}
	return "", false
}

func (s *Server) writeBody(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.Method == http.MethodHead {
		return
	}
	if _, err := w.Write(body); err != nil {
		// The client went away; nothing more can be sent.
		s.log.Debug("write response", "request_id", requestID(r.Context()), "err", err)
	}
}

// notModified applies RFC 9110's conditional GET: If-None-Match wins when
// present (matchETag); otherwise If-Modified-Since, to the second.
func notModified(r *http.Request, etag string, lastMod time.Time) bool {
	return notModifiedIn(r, etag, lastMod, accepted(r))
}

// notModifiedIn is notModified with the codings a accepted.
func notModifiedIn(r *http.Request, etag string, lastMod time.Time, a acceptedEncodings) bool {
	if r.Header.Get("If-None-Match") != "" {
		_, ok := matchETagIn(r, etag, a)
		return ok
	}
	ims := r.Header.Get("If-Modified-Since")
	if ims == "" || lastMod.IsZero() {
		return false
	}
	t, err := http.ParseTime(ims)
	return err == nil && !lastMod.Truncate(time.Second).After(t)
}
