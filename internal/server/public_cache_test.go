package server

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"ngoportal/internal/portal"
)

// Anonymous public pages are cacheable by a proxy and answer conditional
// requests with 304; a signed-in reader's never are.
func TestPublicCaching(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	const slug = "pub-cache-2037"
	pubSummary(t, h, slug, "2037-01-19", "women-lawyers")
	page := "/sessions/" + slug
	pages := []string{"/", "/?lang=en", "/sessions", page, page + "?lang=en", "/ngos", "/ngos/women-lawyers",
		"/search?q=women", "/feed.atom", "/feed.atom?lang=en", "/sitemap.xml", "/robots.txt"}

	t.Run("AnonymousPublic", func(t *testing.T) {
		for _, p := range pages {
			res := h.do(t, get(p))
			if res.status != http.StatusOK {
				t.Fatalf("%s: %d", p, res.status)
			}
			if cc := res.header.Get("Cache-Control"); cc != "public, max-age=60, stale-while-revalidate=300" {
				t.Errorf("%s: Cache-Control %q", p, cc)
			}
			if e := res.header.Get("ETag"); !strings.HasPrefix(e, `"`) || len(e) < 10 {
				t.Errorf("%s: ETag %q", p, e)
			}
			vary := strings.Join(res.header.Values("Vary"), ", ")
			if !strings.Contains(vary, "Accept-Language") || !strings.Contains(vary, "Cookie") {
				t.Errorf("%s: Vary %q", p, vary)
			}
			if res.header.Get("Set-Cookie") != "" {
				t.Errorf("%s: a cacheable answer sets a cookie", p)
			}
		}
	})
	t.Run("NotModified", func(t *testing.T) {
		for _, p := range pages {
			first := h.do(t, get(p))
			etag := first.header.Get("ETag")
			for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
				res := h.do(t, get(p, "If-None-Match", inm))
				if res.status != http.StatusNotModified || res.body != "" || res.header.Get("ETag") != etag {
					t.Errorf("%s with If-None-Match %s: %d, %d bytes", p, inm, res.status, len(res.body))
				}
			}
			if res := h.do(t, get(p, "If-None-Match", `"stale"`)); res.status != http.StatusOK || res.body != first.body {
				t.Errorf("%s with a stale ETag: %d", p, res.status)
			}
		}
	})
	t.Run("ETagPerLanguage", func(t *testing.T) {
		zh, en := h.do(t, get(page)).header.Get("ETag"), h.do(t, get(page+"?lang=en")).header.Get("ETag")
		if zh == en {
			t.Error("the Chinese and English pages share an ETag")
		}
		if res := h.do(t, get(page+"?lang=en", "If-None-Match", zh)); res.status != http.StatusOK {
			t.Errorf("the English page answers %d to the Chinese ETag", res.status)
		}
	})
	t.Run("ETagFollowsData", func(t *testing.T) {
		before := h.do(t, get(page)).header.Get("ETag")
		pubExec(t, h, `UPDATE ngos SET name_zh = '上海市女律师联谊会（新名）' WHERE slug = 'women-lawyers'`)
		res := h.do(t, get(page, "If-None-Match", before))
		if res.status != http.StatusOK || !strings.Contains(res.body, "女律师联谊会（新名）") {
			t.Errorf("after a change: %d", res.status)
		}
	})
	t.Run("IfModifiedSince", func(t *testing.T) {
		res := h.do(t, get(page))
		lm, err := http.ParseTime(res.header.Get("Last-Modified"))
		if err != nil {
			t.Fatalf("Last-Modified %q: %v", res.header.Get("Last-Modified"), err)
		}
		if r := h.do(t, get(page, "If-Modified-Since", lm.Format(http.TimeFormat))); r.status != http.StatusNotModified {
			t.Errorf("If-Modified-Since = Last-Modified: %d", r.status)
		}
		if r := h.do(t, get(page, "If-Modified-Since", lm.Add(-time.Hour).Format(http.TimeFormat))); r.status != http.StatusOK {
			t.Errorf("If-Modified-Since an hour earlier: %d", r.status)
		}
		// If-None-Match wins over If-Modified-Since.
		r := h.do(t, get(page, "If-Modified-Since", lm.Format(http.TimeFormat), "If-None-Match", `"stale"`))
		if r.status != http.StatusOK {
			t.Errorf("a stale ETag with a current date: %d", r.status)
		}
	})
	t.Run("SignedInPrivate", func(t *testing.T) {
		staff := createUser(t, h, portal.RoleStaff, ngoIDBySlug(t, h, "women-lawyers"), "pub-cache@example.org", "缓存")
		cookie := h.sessionCookie(t, staff)
		for _, p := range append(pages, "/ngo") {
			anon := h.do(t, get(p)).header.Get("ETag")
			res := h.as(t, cookie, get(p, "If-None-Match", anon))
			if res.status != http.StatusOK {
				t.Errorf("%s signed in: %d", p, res.status)
			}
			if cc := res.header.Get("Cache-Control"); !strings.Contains(cc, "no-store") || strings.Contains(cc, "public") {
				t.Errorf("%s signed in: Cache-Control %q", p, cc)
			}
			if res.header.Get("ETag") != "" {
				t.Errorf("%s signed in: an ETag", p)
			}
		}
		// A cookie that names no login session is not cached either: the
		// answer clears it.
		res := h.as(t, h.cookieWithID(t, newToken()), get(page))
		if cc := res.header.Get("Cache-Control"); cc != "private, no-store" {
			t.Errorf("unknown login session: Cache-Control %q", cc)
		}
	})
	t.Run("NotFoundNotCached", func(t *testing.T) {
		res := h.do(t, get("/sessions/no-such-session"))
		if res.status != http.StatusNotFound || res.header.Get("Cache-Control") != "no-store" || res.header.Get("ETag") != "" {
			t.Errorf("404: %d %q", res.status, res.header.Get("Cache-Control"))
		}
	})
}
