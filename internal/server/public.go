package server

import (
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
	"ngoportal/web/public"
	"ngoportal/web/ui"
)

// The public pages: published session summaries, the NGO directory and
// the search, for readers who sign in to nothing. Every read goes through
// the repository's public methods, which see only published summaries and
// the NGOs of the directory, so a draft answers 404 whatever its slug.

// Sizes of the public lists.
const (
	homeEarlier     = 5  // summaries of earlier sessions on the front page
	archivePageSize = 10 // summaries per page of /sessions
	searchLimit     = 20 // hits of each kind
)

// publicRoutes registers the public pages; called from routes().
func (s *Server) publicRoutes(r chi.Router) {
	r.Get(public.PublicSessionsPath, s.cachedPublic(s.handle(s.handleSessionsIndex)))
	r.Get(public.PublicSessionsPath+"/{slug}", s.cachedPublic(s.handle(s.handleSessionSummary)))
	r.Get(public.PublicSessionsPath+"/{slug}/cover", s.handle(s.handleSessionCover))
	r.Get(public.PublicNGOsPath, s.cachedPublic(s.handle(s.handlePublicNGOIndex)))
	r.Get(public.PublicNGOsPath+"/{slug}", s.cachedPublic(s.handle(s.handlePublicNGO)))
	r.Get(public.PublicSearchPath, s.handle(s.handleSearch)) // live: every query differs
	r.Get(public.FeedPath, s.cachedPublic(s.handle(s.handleFeed)))
	r.Get(public.SitemapPath, s.cachedPublic(s.handle(s.handleSitemap)))
	r.Get("/robots.txt", s.handle(s.handleRobots))
}

// absURL is the absolute address of a local path, from PORTAL_BASE_URL.
func (s *Server) absURL(path string) string {
	return strings.TrimRight(s.cfg.BaseURL.String(), "/") + path
}

// langURL is path (which may carry a query) in locale l: zh-CN, the
// default, has no lang parameter; English has ?lang=en.
func langURL(path string, l i18n.Locale) string {
	if l == i18n.ZhCN {
		return path
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + langParam + "=" + string(l)
}

// publicPage builds the layout data of a public page whose content is at
// path (its query only what selects content, such as page and year): the
// canonical address in the language shown, the alternates in every
// language and x-default, the feeds, and the ?lang= to keep in links.
func (s *Server) publicPage(r *http.Request, title, path string) ui.Page {
	p := s.page(r, title)
	// The canonical address is the one asked for: with ?lang= the page in
	// that language; without, the negotiating address (x-default), even when
	// this reader's browser asked for English, so that the canonical never
	// points from one hreflang address to another.
	p.Head.Canonical = s.absURL(path)
	if ql, ok := queryLocale(r); ok {
		p.Head.Canonical = s.absURL(langURL(path, ql))
	}
	for _, alt := range i18n.Locales {
		p.Head.Alternates = append(p.Head.Alternates, ui.Alternate{Lang: string(alt), Href: s.absURL(langURL(path, alt))})
	}
	p.Head.Alternates = append(p.Head.Alternates, ui.Alternate{Lang: "x-default", Href: s.absURL(path)})
	p.Head.Feeds = s.feedLinks()
	if ql, ok := queryLocale(r); ok {
		p.Head.Lang = string(ql)
	}
	return p
}

// feedLinks are the site's feeds, one per language, for the head.
func (s *Server) feedLinks() []ui.Alternate {
	var out []ui.Alternate
	for _, l := range i18n.Locales {
		t := s.cat.Translator(l)
		out = append(out, ui.Alternate{
			Lang:  string(l),
			Href:  s.absURL(langURL(public.FeedPath, l)),
			Title: t.T("public.feed.title", "Federation", t.Pick(s.cfg.FederationZH, s.cfg.FederationEN)),
		})
	}
	return out
}

// publicSummaryView builds the page of a published summary, for the public
// and for the admin's preview alike, so that the preview shows exactly what
// the public will see: the text in the page's language, or in the other one
// with a notice when the page's is empty; the body's HTML, rendered from
// Markdown and sanitised when the summary was written; the cover. A preview is not indexed and carries no
// canonical, alternate, OpenGraph or feed links; its caller sets CoverURL
// to an address admins may read, the public one answering 404 for a draft.
func (s *Server) publicSummaryView(r *http.Request, ps portal.PublicSummary, preview bool) public.PublicSummaryView {
	l := localeFrom(r.Context())
	other := i18n.En
	if l == i18n.En {
		other = i18n.ZhCN
	}
	v := public.PublicSummaryView{Summary: ps, Preview: preview, TextLang: string(l)}
	v.Text = ps.Summary.Text(string(l))
	if v.Text.Empty() {
		if alt := ps.Summary.Text(string(other)); !alt.Empty() {
			v.Text, v.Fallback, v.TextLang = alt, true, string(other)
		}
	}
	v.CoverAlt = ps.Summary.CoverAltZH
	if v.TextLang == string(i18n.En) {
		v.CoverAlt = ps.Summary.CoverAltEN
	}
	// Rendered and sanitised when the summary was written (never here): see
	// portal.PublicSummary.BodyHTMLZH.
	v.BodyHTML = ps.BodyHTML(v.TextLang)
	title := v.Text.Title
	if title == "" {
		title = s.cat.Translator(l).Pick(ps.Session.TitleZH, ps.Session.TitleEN)
	}
	if preview {
		v.Page = s.page(r, title)
		v.Head.NoIndex = true
		return v
	}
	v.Page = s.publicPage(r, title, public.PublicSessionPath(ps.Session.Slug))
	v.Head.Description = firstRunes(v.Text.Lead, 300)
	v.Head.OGType, v.Head.OGTitle = "article", title
	if ps.Summary.HasCover {
		v.CoverURL = coverURL(ps.Session.Slug, ps.Summary.CoverSHA256)
		v.Head.OGImage, v.Head.OGAlt = s.absURL(v.CoverURL), v.CoverAlt
	}
	return v
}

// coverURL is the public address of a cover, versioned by its checksum so
// that a new cover is a new address.
func coverURL(slug string, sum []byte) string {
	u := public.PublicCoverPath(slug)
	if len(sum) >= 6 {
		u += "?v=" + hex.EncodeToString(sum[:6])
	}
	return u
}

// firstRunes cuts s to at most n characters, on one line.
func firstRunes(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func (s *Server) handleSessionSummary(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.db.PublishedSummaryBySlug(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	portal.SortByName(ps.Attendees, readsEnglish(r),
		func(n portal.PublicNGORef) string { return n.NameZH }, func(n portal.PublicNGORef) string { return n.NameEN })
	// An anonymous reader's conditional request is answered from the data
	// alone, without rendering (when the page cache is off, or before it
	// holds the page).
	var etag string
	if s.cacheable(r) {
		if etag, err = s.dataETag(r, ps); err != nil {
			return err
		}
		if notModified(r, etag, ps.Summary.UpdatedAt) {
			s.writeCacheable(w, r, etag, ps.Summary.UpdatedAt, nil)
			return nil
		}
	}
	v := s.publicSummaryView(r, ps, false)
	return s.renderPublicTagged(w, r, v.Page, etag, ps.Summary.UpdatedAt, public.PublicSummaryPage(v))
}

func (s *Server) handleSessionCover(w http.ResponseWriter, r *http.Request) error {
	c, err := s.db.PublishedSummaryCover(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Security-Policy", downloadPolicy) // an image for <img>, never a page
	h.Set("Content-Type", c.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Disposition", "inline")
	s.writeCacheable(w, r, `"`+hex.EncodeToString(c.SHA256[:min(16, len(c.SHA256))])+`"`, time.Time{}, c.Data)
	return nil
}

func (s *Server) handleSessionsIndex(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	pageNo, ok := positiveParam(q, "page")
	if !ok {
		return errNotFound
	}
	year, ok := positiveParam(q, "year")
	if !ok {
		return errNotFound
	}
	if pageNo == 0 {
		pageNo = 1
	}
	years, err := s.db.PublishedSummaryYears(r.Context())
	if err != nil {
		return err
	}
	items, total, err := s.db.PublishedSummaries(r.Context(), archivePageSize, (pageNo-1)*archivePageSize, year)
	if err != nil {
		return err
	}
	pages := max(1, (total+archivePageSize-1)/archivePageSize)
	if pageNo > pages || (year != 0 && total == 0) {
		return errNotFound
	}
	t := s.cat.Translator(localeFrom(r.Context()))
	title := t.T("public.sessions.title")
	if year != 0 {
		title = t.T("public.sessions.title_year", "Year", year)
	}
	if pages > 1 {
		title = t.T("public.sessions.title_page", "Title", title, "Page", pageNo, "Pages", pages)
	}
	v := public.PublicSessionsView{
		Page:   s.publicPage(r, title, public.PublicSessionsPageURL(year, pageNo)),
		Items:  items,
		Years:  years,
		Year:   year,
		PageNo: pageNo,
		Pages:  pages,
		Total:  total,
	}
	v.Head.Description = t.T("public.sessions.description", "Federation", v.Federation)
	if pageNo > 1 {
		v.PrevURL = public.PublicSessionsPageURL(year, pageNo-1)
	}
	if pageNo < pages {
		v.NextURL = public.PublicSessionsPageURL(year, pageNo+1)
	}
	return s.renderPublic(w, r, v.Page, time.Time{}, public.PublicSessions(v))
}

// positiveParam reads an optional query parameter that must be a whole
// number of at least 1 in its plain form; 0 when it is absent, !ok when it
// is anything else (such an address is a page that does not exist).
func positiveParam(q url.Values, name string) (int, bool) {
	raw, present := q[name]
	if !present {
		return 0, true
	}
	if len(raw) != 1 {
		return 0, false
	}
	n, err := strconv.Atoi(raw[0])
	if err != nil || n < 1 || n > 1_000_000 || strconv.Itoa(n) != raw[0] {
		return 0, false
	}
	return n, true
}

func (s *Server) handlePublicNGOIndex(w http.ResponseWriter, r *http.Request) error {
	ngos, err := s.db.PublicNGOs(r.Context())
	if err != nil {
		return err
	}
	t := s.cat.Translator(localeFrom(r.Context()))
	portal.SortByName(ngos, localeFrom(r.Context()) == i18n.En,
		func(n portal.PublicNGO) string { return n.NameZH }, func(n portal.PublicNGO) string { return n.NameEN })
	v := public.PublicNGOsView{Page: s.publicPage(r, t.T("public.ngos.title"), public.PublicNGOsPath), NGOs: ngos}
	v.Head.Description = t.T("public.ngos.description", "Federation", v.Federation)
	v.Head.OGType, v.Head.OGTitle = "website", v.Title
	return s.renderPublic(w, r, v.Page, time.Time{}, public.PublicNGOs(v))
}

func (s *Server) handlePublicNGO(w http.ResponseWriter, r *http.Request) error {
	p, err := s.db.PublicNGOBySlug(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	l := localeFrom(r.Context())
	name := s.cat.Translator(l).Pick(p.NGO.NameZH, p.NGO.NameEN)
	v := public.PublicNGOView{Page: s.publicPage(r, name, public.PublicNGOPath(p.NGO.Slug)), Profile: p}
	v.ProfileText, v.ProfileLang = p.NGO.ProfileZH, string(i18n.ZhCN)
	if l == i18n.En {
		v.ProfileText, v.ProfileLang = p.NGO.ProfileEN, string(i18n.En)
	}
	if strings.TrimSpace(v.ProfileText) == "" {
		if l == i18n.En && strings.TrimSpace(p.NGO.ProfileZH) != "" {
			v.ProfileText, v.ProfileLang, v.Fallback = p.NGO.ProfileZH, string(i18n.ZhCN), true
		} else if l != i18n.En && strings.TrimSpace(p.NGO.ProfileEN) != "" {
			v.ProfileText, v.ProfileLang, v.Fallback = p.NGO.ProfileEN, string(i18n.En), true
		}
	}
	v.Head.Description = firstRunes(v.ProfileText, 300)
	v.Head.OGType, v.Head.OGTitle = "website", name
	return s.renderPublic(w, r, v.Page, time.Time{}, public.PublicNGO(v))
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) error {
	raw := r.URL.Query().Get("q")
	q := portal.NormalizeSearchQuery(raw)
	t := s.cat.Translator(localeFrom(r.Context()))
	title := t.T("public.search.title")
	if q != "" {
		title = t.T("public.search.title_query", "Query", q)
	}
	v := public.PublicSearchView{Page: s.page(r, title), Query: q, Searched: q != ""}
	// Result pages are not for search engines: no canonical, not indexed.
	v.Head.NoIndex = true
	v.Head.Feeds = s.feedLinks()
	if ql, ok := queryLocale(r); ok {
		v.Head.Lang = string(ql)
	}
	v.Truncated = utf8.RuneCountInString(strings.Join(strings.Fields(raw), " ")) > portal.MaxSearchQuery
	if q != "" {
		hits, err := s.db.Search(r.Context(), q, searchLimit)
		if err != nil {
			return err
		}
		for _, h := range hits {
			if h.Kind == portal.SearchSummary {
				v.Summaries = append(v.Summaries, h)
			} else {
				v.NGOs = append(v.NGOs, h)
			}
		}
	}
	return s.renderPublic(w, r, v.Page, time.Time{}, public.PublicSearch(v))
}
