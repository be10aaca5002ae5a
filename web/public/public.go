package public

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// Addresses of the public pages.
const (
	PublicSessionsPath = "/sessions"
	PublicNGOsPath     = "/ngos"
	PublicSearchPath   = "/search"
	FeedPath           = "/feed.atom"
	SitemapPath        = "/sitemap.xml"
)

// PublicSessionPath is a published summary's page.
func PublicSessionPath(slug string) string { return PublicSessionsPath + "/" + url.PathEscape(slug) }

// PublicCoverPath is a published summary's cover image.
func PublicCoverPath(slug string) string { return PublicSessionPath(slug) + "/cover" }

// PublicNGOPath is an NGO's public profile.
func PublicNGOPath(slug string) string { return PublicNGOsPath + "/" + url.PathEscape(slug) }

// PublicSessionsPageURL is the archive filtered by year (0: all years) at
// page n (1 is the first).
func PublicSessionsPageURL(year, n int) string {
	q := url.Values{}
	if n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	if year != 0 {
		q.Set("year", strconv.Itoa(year))
	}
	if len(q) == 0 {
		return PublicSessionsPath
	}
	return PublicSessionsPath + "?" + q.Encode()
}

// PublicSummaryView is a published session summary as the public reads it,
// and as an admin previews it before publishing.
type PublicSummaryView struct {
	ui.Page
	Summary portal.PublicSummary
	// Text is the text shown: the page's language, or the other one when
	// the summary has none in the page's language (Fallback).
	Text     portal.SummaryText
	BodyHTML string // the body as sanitised HTML, stored when the summary was written (portal.PublicSummary.BodyHTML)
	// Fallback: Text is in the other language; the page says so.
	Fallback bool
	// TextLang is the language Text is in ("zh-CN" or "en"), for the lang
	// attribute of the article when it differs from the page's.
	TextLang string
	// Preview: an admin's preview, shown with a banner; never indexed and
	// without canonical, alternate, OpenGraph or feed links.
	Preview  bool
	CoverURL string // "" when no cover
	CoverAlt string // the cover's alternative text in TextLang
}

// PublicSessionsView is the archive of published summaries.
type PublicSessionsView struct {
	ui.Page
	Items    []portal.SummaryListItem
	Years    []int // years with a published summary, latest first
	Year     int   // the year chosen; 0 for all
	PageNo   int   // 1-based
	Pages    int   // number of pages, at least 1
	Total    int
	PrevURL  string // "" on the first page
	NextURL  string // "" on the last page
	YearURLs map[int]string
	AllURL   string
}

// PublicNGOsView is the public NGO directory.
type PublicNGOsView struct {
	ui.Page
	NGOs []portal.PublicNGO
}

// PublicNGOView is one NGO's public profile.
type PublicNGOView struct {
	ui.Page
	Profile portal.PublicNGOProfile
	// ProfileText is the profile in the page's language, or in the other
	// one (Fallback) when it has none.
	ProfileText string
	ProfileLang string
	Fallback    bool
}

// PublicSearchView is the search page.
type PublicSearchView struct {
	ui.Page
	Query     string
	Searched  bool // a non-empty query was given
	Truncated bool // the query was longer than allowed and was cut
	Summaries []portal.SearchHit
	NGOs      []portal.SearchHit
}

// coverAlt is a summary's cover's alternative text in lang, the language
// of the text shown beside it.
func coverAlt(s portal.Summary, lang string) string {
	if lang == "en" {
		return s.CoverAltEN
	}
	return s.CoverAltZH
}

// pickText is a summary's text in the page's language, or in the other one
// (fallback) when the page's is empty, with the language it is in.
func pickText(p ui.Page, zh, en portal.SummaryText) (text portal.SummaryText, lang string, fallback bool) {
	if p.Lang() == "en" {
		if !en.Empty() || zh.Empty() {
			return en, "en", false
		}
		return zh, "zh-CN", true
	}
	if !zh.Empty() || en.Empty() {
		return zh, "zh-CN", false
	}
	return en, "en", true
}

// otherLang is the language the page is not in.
func otherLang(p ui.Page) string {
	if p.Lang() == "en" {
		return "zh-CN"
	}
	return "en"
}

// otherName is a name in the language the page is not in.
func otherName(p ui.Page, zh, en string) string {
	if p.Lang() == "en" {
		return zh
	}
	return en
}

// websiteURL is an NGO's website as a link target: http or https only
// (the registry checks it; a page does not rely on that), "" otherwise.
func websiteURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// websiteHost is what a website link says: the site's host name.
func websiteHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return strings.TrimPrefix(u.Host, "www.")
}

// paragraphs splits plain text at blank lines (or single line breaks).
func paragraphs(text string) []string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// textLang is "zh-CN" for a text with Chinese characters, "en" otherwise:
// the lang attribute of a stored value kept in one language only
// (short names).
func textLang(s string) string {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return "zh-CN"
		}
	}
	return "en"
}

// focusAreas is an NGO's list of focus areas to show on p: the English one
// on an English page, or the Chinese one (fallback) when it has not been
// translated, with the language it is in.
func focusAreas(p ui.Page, n portal.PublicNGO) (areas []string, lang string, fallback bool) {
	if p.Lang() == "en" && len(n.FocusAreasEN) > 0 {
		return n.FocusAreasEN, "en", false
	}
	return n.FocusAreas, "zh-CN", p.Lang() == "en"
}
