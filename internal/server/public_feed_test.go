package server

import (
	"encoding/xml"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"ngoportal/internal/portal"
)

type testFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Author struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Summary string `xml:"summary"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Published string `xml:"published"`
		Updated   string `xml:"updated"`
	} `xml:"entry"`
}

type testSitemap struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
		Links   []struct {
			Rel      string `xml:"rel,attr"`
			HrefLang string `xml:"hreflang,attr"`
			Href     string `xml:"href,attr"`
		} `xml:"http://www.w3.org/1999/xhtml link"`
	} `xml:"url"`
}

func parseXML(t *testing.T, res response, contentType string, v any) {
	t.Helper()
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), contentType) {
		t.Fatalf("%d %q", res.status, res.header.Get("Content-Type"))
	}
	if !strings.HasPrefix(res.body, `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Errorf("no XML declaration: %.60q", res.body)
	}
	if err := xml.Unmarshal([]byte(res.body), v); err != nil {
		t.Fatalf("parse: %v\n%s", err, res.body)
	}
}

// The feed (per language) and the sitemap parse and list only what is
// published.
func TestPublicFeedAndSitemap(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, older := pubSummary(t, h, "pub-feed-2038", "2038-01-19", "women-lawyers")
	_, newer := pubSummary(t, h, "pub-feed-2039", "2039-01-19", "women-lawyers")
	draft := pubSession(t, h, "pub-feed-draft", "2040-01-19")
	pubSave(t, h, draft, portal.SummaryInput{ZH: pubText("pub-feed-draft", "zh"), EN: pubText("pub-feed-draft", "en")}, 0)
	pubExec(t, h, `UPDATE ngos SET show_in_directory = false WHERE slug = 'women-artists'`)

	t.Run("Feed", func(t *testing.T) {
		for _, tc := range []struct{ path, lang, title, suffix string }{
			{"/feed.atom", "zh-CN", "会议纪要", ""},
			{"/feed.atom?lang=en", "en", "Summary pub-feed-2039", "?lang=en"},
		} {
			var f testFeed
			parseXML(t, h.do(t, get(tc.path)), "application/atom+xml", &f)
			if f.Lang != tc.lang || f.ID != testBase+tc.path || f.Title == "" || f.Author.Name == "" {
				t.Errorf("%s: feed %q %q %q %q", tc.path, f.Lang, f.ID, f.Title, f.Author.Name)
			}
			if !slices.ContainsFunc(f.Links, func(l struct {
				Rel  string `xml:"rel,attr"`
				Href string `xml:"href,attr"`
			}) bool {
				return l.Rel == "self" && l.Href == testBase+tc.path
			}) {
				t.Errorf("%s: no self link in %+v", tc.path, f.Links)
			}
			var slugs []string
			ids := map[string]bool{}
			for _, e := range f.Entries {
				slugs = append(slugs, strings.TrimSuffix(strings.TrimPrefix(e.Link.Href, testBase+"/sessions/"), tc.suffix))
				if !strings.HasPrefix(e.ID, "tag:localhost,") || ids[e.ID] {
					t.Errorf("%s: entry id %q", tc.path, e.ID)
				}
				ids[e.ID] = true
				if _, err := time.Parse(time.RFC3339, e.Updated); err != nil || e.Published == "" || e.Title == "" || e.Summary == "" {
					t.Errorf("%s: entry %+v", tc.path, e)
				}
			}
			if slices.Contains(slugs, "pub-feed-draft") || !slices.Contains(slugs, "pub-feed-2038") || !slices.Contains(slugs, "pub-feed-2039") {
				t.Errorf("%s: entries %v", tc.path, slugs)
			}
			if !strings.Contains(f.Entries[0].Title+f.Entries[1].Title, tc.title) {
				t.Errorf("%s: titles %q, %q", tc.path, f.Entries[0].Title, f.Entries[1].Title)
			}
			newest := newer.FirstPublishedAt
			if older.FirstPublishedAt.After(*newest) {
				newest = older.FirstPublishedAt
			}
			if up, err := time.Parse(time.RFC3339, f.Updated); err != nil || up.Before(newest.Truncate(time.Second)) {
				t.Errorf("%s: feed updated %q, newest entry %v", tc.path, f.Updated, newest)
			}
		}
	})
	t.Run("Sitemap", func(t *testing.T) {
		var sm testSitemap
		parseXML(t, h.do(t, get("/sitemap.xml")), "application/xml", &sm)
		locs := map[string]bool{}
		for _, u := range sm.URLs {
			locs[u.Loc] = true
			if len(u.Links) != 3 || u.Links[0].HrefLang != "zh-CN" || u.Links[1].HrefLang != "en" || u.Links[2].HrefLang != "x-default" {
				t.Errorf("%s: alternates %+v", u.Loc, u.Links)
			}
			if !slices.ContainsFunc(u.Links, func(l struct {
				Rel      string `xml:"rel,attr"`
				HrefLang string `xml:"hreflang,attr"`
				Href     string `xml:"href,attr"`
			}) bool {
				return l.Href == u.Loc
			}) {
				t.Errorf("%s is not among its own alternates", u.Loc)
			}
		}
		for _, want := range []string{"/", "/?lang=en", "/sessions", "/sessions?lang=en", "/ngos", "/ngos?lang=en",
			"/sessions/pub-feed-2038", "/sessions/pub-feed-2039?lang=en", "/ngos/women-lawyers", "/ngos/women-lawyers?lang=en"} {
			if !locs[testBase+want] {
				t.Errorf("sitemap lacks %s", want)
			}
		}
		for loc := range locs {
			if strings.Contains(loc, "pub-feed-draft") || strings.Contains(loc, "women-artists") || strings.Contains(loc, "/admin") {
				t.Errorf("sitemap lists %s", loc)
			}
		}
	})
}
