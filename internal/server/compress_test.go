package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// decodeBody undoes a response's Content-Encoding.
func decodeBody(t *testing.T, res response) string {
	t.Helper()
	var r io.Reader
	switch enc := res.header.Get("Content-Encoding"); enc {
	case "":
		return res.body
	case "gzip":
		zr, err := gzip.NewReader(strings.NewReader(res.body))
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(strings.NewReader(res.body))
	default:
		t.Fatalf("Content-Encoding %q", enc)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s: %v", res.header.Get("Content-Encoding"), err)
	}
	return string(b)
}

func varies(h http.Header) bool {
	return strings.Contains(strings.Join(h.Values("Vary"), ","), "Accept-Encoding")
}

// Every text answer, public or signed in, is compressed in the coding the
// client prefers, decodes to the uncompressed answer, and says it varies
// on Accept-Encoding; downloads already compressed never are.
func TestCompression(t *testing.T) {
	t.Parallel()
	f := newExFixture(t)
	h := f.h
	const slug = "compress-2038"
	pubSummary(t, h, slug, "2038-01-19", "women-lawyers")
	// A name long enough that the CSV export is worth compressing.
	pubExec(t, h, `UPDATE ngos SET name_en = name_en || repeat(' and friends', 100) WHERE slug = 'women-lawyers'`)
	type target struct {
		path   string
		signed bool
	}
	targets := []target{
		{"/", false}, {"/sessions", false}, {"/sessions/" + slug, false}, {"/ngos", false},
		{"/ngos/women-lawyers", false}, {"/feed.atom", false}, {"/sitemap.xml", false},
		{"/", true}, {f.path(""), true}, {f.path("/export/reports.csv"), true},
		{h.srv.assets.URL("app.css"), false},
	}
	negotiation := []struct{ accept, want string }{
		{"", ""},
		{"gzip", "gzip"},
		{"br", "br"},
		{"gzip, br", "br"},
		{"gzip;q=0.8, br;q=0.8", "br"},
		{"br;q=0.5, gzip", "gzip"},
		{"br;q=0, gzip;q=0.1", "gzip"},
		{"identity", ""},
		{"identity, gzip;q=0.5", ""},
		{"gzip;q=0", ""},
		{"gzip;q=0, *", "br"},
		{"*", "br"},
		{"*;q=0", ""},
		{"deflate", ""},
	}
	do := func(tg target, headers ...string) response {
		r := get(tg.path, headers...)
		if tg.signed {
			r.AddCookie(f.admin)
		}
		return h.do(t, r)
	}
	// Rendered for every request, then served from the page cache (the
	// public pages: the first request fills it, the others are hits).
	negotiate := func(t *testing.T) {
		for _, tg := range targets {
			plain := do(tg)
			if plain.status != http.StatusOK || plain.header.Get("Content-Encoding") != "" {
				t.Fatalf("%s: %d, Content-Encoding %q", tg.path, plain.status, plain.header.Get("Content-Encoding"))
			}
			if len(plain.body) < compressMinBytes {
				t.Fatalf("%s: %d bytes, too small to show compression", tg.path, len(plain.body))
			}
			for _, n := range negotiation {
				res := do(tg, "Accept-Encoding", n.accept)
				if res.status != http.StatusOK {
					t.Errorf("%s, %q: %d", tg.path, n.accept, res.status)
					continue
				}
				if enc := res.header.Get("Content-Encoding"); enc != n.want {
					t.Errorf("%s, Accept-Encoding %q: Content-Encoding %q, want %q", tg.path, n.accept, enc, n.want)
				}
				if !varies(res.header) {
					t.Errorf("%s, %q: Vary %q", tg.path, n.accept, res.header.Values("Vary"))
				}
				if cl := res.header.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(res.body)) {
					t.Errorf("%s, %q: Content-Length %s for %d bytes", tg.path, n.accept, cl, len(res.body))
				}
				if got := decodeBody(t, res); got != plain.body {
					t.Errorf("%s, %q: the decoded body (%d bytes) is not the plain one (%d bytes)", tg.path, n.accept, len(got), len(plain.body))
				}
				if n.want != "" && len(res.body) >= len(plain.body)/2 {
					t.Errorf("%s, %q: %d bytes for %d", tg.path, n.accept, len(res.body), len(plain.body))
				}
			}
		}
	}
	t.Run("Rendered", negotiate)
	listen(t, h)
	t.Run("Cached", negotiate)
	if n, _, _ := h.srv.pages.stats(); n == 0 {
		t.Error("nothing was served from the page cache")
	}

	t.Run("Downloads", func(t *testing.T) {
		reportID := f.report[exLawyers]
		attID := cyQueryID(t, h, `SELECT id FROM report_attachments WHERE report_id = $1`, reportID)
		for _, p := range []string{f.path("/export/cycle.xlsx"), "/admin/reports/" + strconv.FormatInt(reportID, 10) +
			"/attachments/" + strconv.FormatInt(attID, 10)} {
			tg := target{p, true}
			plain := do(tg)
			res := do(tg, "Accept-Encoding", "gzip, br")
			if res.status != http.StatusOK || res.header.Get("Content-Encoding") != "" || res.body != plain.body {
				t.Errorf("%s: %d, Content-Encoding %q, %d bytes for %d", p, res.status, res.header.Get("Content-Encoding"), len(res.body), len(plain.body))
			}
			if varies(res.header) {
				t.Errorf("%s: Vary %q on a download never compressed", p, res.header.Values("Vary"))
			}
		}
		for _, ct := range []string{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			"application/pdf", "image/png", "image/jpeg", "application/zip", "application/gzip", ""} {
			if compressible(ct) {
				t.Errorf("%q counts as compressible", ct)
			}
		}
	})

	t.Run("ETagPerVariant", func(t *testing.T) {
		page := "/sessions/" + slug
		plain := h.do(t, get(page)).header.Get("ETag")
		br := h.do(t, get(page, "Accept-Encoding", "br")).header.Get("ETag")
		gz := h.do(t, get(page, "Accept-Encoding", "gzip")).header.Get("ETag")
		if br != strings.TrimSuffix(plain, `"`)+`-br"` || gz != strings.TrimSuffix(plain, `"`)+`-gz"` {
			t.Fatalf("ETags plain %s, br %s, gzip %s", plain, br, gz)
		}
		for _, c := range []struct {
			accept, inm string
			status      int
			etag        string
		}{
			{"br", br, http.StatusNotModified, br},
			{"gzip, br", gz, http.StatusNotModified, gz},
			{"gzip", br, http.StatusOK, gz},
			{"", br, http.StatusOK, plain},
			{"br", `"stale", ` + br, http.StatusNotModified, br},
			{"br", plain, http.StatusNotModified, plain},
			{"br", "*", http.StatusNotModified, br},
		} {
			res := h.do(t, get(page, "Accept-Encoding", c.accept, "If-None-Match", c.inm))
			if res.status != c.status || res.header.Get("ETag") != c.etag {
				t.Errorf("Accept-Encoding %q, If-None-Match %s: %d %s, want %d %s", c.accept, c.inm, res.status, res.header.Get("ETag"), c.status, c.etag)
			}
			if !varies(res.header) {
				t.Errorf("Accept-Encoding %q, If-None-Match %s: %d without Vary: Accept-Encoding", c.accept, c.inm, res.status)
			}
			if c.status == http.StatusNotModified && (res.body != "" || res.header.Get("Content-Encoding") != "") {
				t.Errorf("Accept-Encoding %q, If-None-Match %s: a 304 with %d bytes, Content-Encoding %q", c.accept, c.inm, len(res.body), res.header.Get("Content-Encoding"))
			}
		}
	})

	t.Run("Head", func(t *testing.T) {
		for _, p := range []string{"/sessions/" + slug, h.srv.assets.URL("app.css")} {
			w := httptest.NewRecorder()
			r := httptest.NewRequest(http.MethodHead, p, nil)
			r.Header.Set("Accept-Encoding", "br")
			h.srv.ServeHTTP(w, r)
			if w.Code != http.StatusOK || w.Body.Len() != 0 || !varies(w.Header()) {
				t.Errorf("HEAD %s: %d, %d bytes, Vary %q", p, w.Code, w.Body.Len(), w.Header().Values("Vary"))
			}
		}
	})

	t.Run("SmallBody", func(t *testing.T) {
		res := h.do(t, get("/robots.txt", "Accept-Encoding", "gzip, br"))
		if res.status != http.StatusOK || len(res.body) >= compressMinBytes {
			t.Fatalf("robots.txt: %d, %d bytes", res.status, len(res.body))
		}
		if res.header.Get("Content-Encoding") != "" || !varies(res.header) {
			t.Errorf("robots.txt: Content-Encoding %q, Vary %q", res.header.Get("Content-Encoding"), res.header.Values("Vary"))
		}
	})

	t.Run("StaticPrecompressed", func(t *testing.T) {
		css := h.srv.assets.URL("app.css")
		res := h.do(t, get(css, "Accept-Encoding", "br"))
		name := strings.TrimPrefix(css, "/static/")
		if v := h.srv.staticVariant(name); v.br == nil || !bytes.Equal([]byte(res.body), v.br) {
			t.Error("the CSS is not served from its stored brotli bytes")
		}
		if res.header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("Cache-Control %q", res.header.Get("Cache-Control"))
		}
	})
}

// A static asset goes out as the variant committed next to it (written by
// make generate), byte for byte, immutable and varying on Accept-Encoding;
// a variant has no URL of its own. Static answers need no database.
func TestStaticEmbeddedVariants(t *testing.T) {
	t.Parallel()
	h := unreachableHarness(t)
	for _, name := range []string{"app.css", "unsaved.js", "favicon.svg"} {
		orig, err := os.ReadFile(filepath.Join("..", "..", "web", "ui", "static", name))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ accept, enc, file string }{
			{"br", "br", name + ".br"},
			{"gzip", "gzip", name + ".gz"},
			{"gzip, br", "br", name + ".br"},
			{"", "", name},
		} {
			want, err := os.ReadFile(filepath.Join("..", "..", "web", "ui", "static", c.file))
			if err != nil {
				t.Fatal(err)
			}
			res := h.do(t, get(h.srv.assets.URL(name), "Accept-Encoding", c.accept))
			if res.status != http.StatusOK || res.header.Get("Content-Encoding") != c.enc {
				t.Errorf("%s with %q: %d, Content-Encoding %q, want %q", name, c.accept, res.status, res.header.Get("Content-Encoding"), c.enc)
				continue
			}
			if res.body != string(want) {
				t.Errorf("%s with %q: the body is not static/%s", name, c.accept, c.file)
			}
			if decodeBody(t, res) != string(orig) {
				t.Errorf("%s with %q: the body does not decode to the asset", name, c.accept)
			}
			if !varies(res.header) || res.header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
				t.Errorf("%s with %q: Vary %q, Cache-Control %q", name, c.accept, res.header.Values("Vary"), res.header.Get("Cache-Control"))
			}
		}
	}
	css := h.srv.assets.URL("app.css")
	for _, p := range []string{css + ".br", css + ".gz", "/static/app.css.br"} {
		if res := h.do(t, get(p, "Accept-Encoding", "br")); res.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, res.status)
		}
	}
}
