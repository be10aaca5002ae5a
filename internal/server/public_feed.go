package server

import (
	"encoding/xml"
	"net/http"
	"strings"
	"time"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
	"ngoportal/web/public"
)

// The machine-readable public addresses: the Atom feed of published
// summaries (one per language), the sitemap and robots.txt. Each is built
// with encoding/xml or as plain text, from the same public reads as the
// pages, and cached like them.

// feedSize is how many summaries the feed carries.
const feedSize = 20

// feedEpoch is the feed's updated date while nothing is published: a
// fixed moment, so that the empty feed keeps one ETag.
var feedEpoch = time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)

// atomFeed is an Atom 1.0 feed (RFC 4287).
type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr"`
	ID       string      `xml:"id"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   atomPerson  `xml:"author"`
	Entries  []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel      string `xml:"rel,attr,omitempty"`
	Type     string `xml:"type,attr,omitempty"`
	HrefLang string `xml:"hreflang,attr,omitempty"`
	Href     string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Summary   string     `xml:"summary,omitempty"`
	Links     []atomLink `xml:"link"`
	Published string     `xml:"published"`
	Updated   string     `xml:"updated"`
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// tagURI is an entry's permanent id (RFC 4151): it names the portal's
// host, the day the summary was first published and the summary's address
// in one language, so that moving the portal to https keeps every id.
func (s *Server) tagURI(published time.Time, path string) string {
	return "tag:" + s.cfg.BaseURL.Hostname() + "," + published.UTC().Format("2006-01-02") + ":" + path
}

func (s *Server) handleFeed(w http.ResponseWriter, r *http.Request) error {
	l, ok := queryLocale(r)
	if !ok {
		l = i18n.ZhCN
	}
	entries, err := s.db.FeedEntries(r.Context(), string(l), feedSize)
	if err != nil {
		return err
	}
	t := s.cat.Translator(l)
	fed := t.Pick(s.cfg.FederationZH, s.cfg.FederationEN)
	f := atomFeed{
		Lang:     string(l),
		ID:       s.absURL(langURL(public.FeedPath, l)),
		Title:    t.T("public.feed.title", "Federation", fed),
		Subtitle: t.T("public.feed.subtitle", "Federation", fed),
		Updated:  atomTime(feedEpoch),
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: s.absURL(langURL(public.FeedPath, l))},
			{Rel: "alternate", Type: "text/html", HrefLang: string(l), Href: s.absURL(langURL(public.PublicSessionsPath, l))},
		},
		Author: atomPerson{Name: fed, URI: s.absURL(langURL("/", l))},
	}
	var newest time.Time
	for _, e := range entries {
		page := langURL(public.PublicSessionPath(e.Slug), l)
		f.Entries = append(f.Entries, atomEntry{
			ID:        s.tagURI(e.Published, page),
			Title:     e.Title,
			Summary:   e.Lead,
			Links:     []atomLink{{Rel: "alternate", Type: "text/html", HrefLang: string(l), Href: s.absURL(page)}},
			Published: atomTime(e.Published),
			Updated:   atomTime(e.Updated),
		})
		if e.Updated.After(newest) {
			newest = e.Updated
		}
	}
	if !newest.IsZero() {
		f.Updated = atomTime(newest)
	}
	body, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	return s.writeXML(w, r, body)
}

// writeXML sends an XML document with its declaration, cacheable.
func (s *Server) writeXML(w http.ResponseWriter, r *http.Request, body []byte) error {
	doc := append([]byte(xml.Header), body...)
	doc = append(doc, '\n')
	s.writeCacheable(w, r, bodyETag("", doc), time.Time{}, doc)
	return nil
}

// sitemap is a sitemaps.org URL set with hreflang alternates.
type sitemap struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	XHTML   string       `xml:"xmlns:xhtml,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc        string           `xml:"loc"`
	LastMod    string           `xml:"lastmod,omitempty"`
	Alternates []sitemapAltLink `xml:"xhtml:link"`
}

type sitemapAltLink struct {
	Rel      string `xml:"rel,attr"`
	HrefLang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

func (s *Server) handleSitemap(w http.ResponseWriter, r *http.Request) error {
	entries, err := s.db.SitemapEntries(r.Context())
	if err != nil {
		return err
	}
	var newestSummary, newestNGO time.Time
	for _, e := range entries {
		switch {
		case e.Kind == portal.SearchSummary && e.Updated.After(newestSummary):
			newestSummary = e.Updated
		case e.Kind == portal.SearchNGO && e.Updated.After(newestNGO):
			newestNGO = e.Updated
		}
	}
	sm := sitemap{XHTML: "http://www.w3.org/1999/xhtml"}
	add := func(path string, lastMod time.Time) {
		var alts []sitemapAltLink
		for _, l := range i18n.Locales {
			alts = append(alts, sitemapAltLink{Rel: "alternate", HrefLang: string(l), Href: s.absURL(langURL(path, l))})
		}
		alts = append(alts, sitemapAltLink{Rel: "alternate", HrefLang: "x-default", Href: s.absURL(path)})
		mod := ""
		if !lastMod.IsZero() {
			mod = atomTime(lastMod)
		}
		for _, l := range i18n.Locales {
			sm.URLs = append(sm.URLs, sitemapURL{Loc: s.absURL(langURL(path, l)), LastMod: mod, Alternates: alts})
		}
	}
	add("/", newestSummary)
	add(public.PublicSessionsPath, newestSummary)
	add(public.PublicNGOsPath, newestNGO)
	add(public.PrivacyPath, time.Time{})
	add(public.AccessibilityPath, time.Time{})
	for _, e := range entries {
		switch e.Kind {
		case portal.SearchSummary:
			add(public.PublicSessionPath(e.Slug), e.Updated)
		case portal.SearchNGO:
			add(public.PublicNGOPath(e.Slug), e.Updated)
		}
	}
	body, err := xml.MarshalIndent(sm, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	return s.writeXML(w, r, body)
}

// robotsDisallowed are the areas behind a sign-in, or a link sent to one
// person: nothing there is for search engines. /ngo is the staff area;
// the longer "Allow: /ngos" keeps the public directory open (the longest
// matching rule wins, RFC 9309).
var robotsDisallowed = []string{"/admin", "/ngo", "/login", "/logout", "/invite/", "/reset/", "/account/", "/locale"}

func (s *Server) handleRobots(w http.ResponseWriter, r *http.Request) error {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	b.WriteString("Allow: /\n")
	b.WriteString("Allow: " + public.PublicNGOsPath + "\n")
	for _, p := range robotsDisallowed {
		b.WriteString("Disallow: " + p + "\n")
	}
	b.WriteString("\nSitemap: " + s.absURL(public.SitemapPath) + "\n")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	body := []byte(b.String())
	s.writeCacheable(w, r, bodyETag("", body), time.Time{}, body)
	return nil
}
