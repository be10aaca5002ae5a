package portal

import (
	"strings"
	"time"
	"unicode"
)

// SummaryListItem is one published summary in a list: the public archive,
// the home page, the feed.
type SummaryListItem struct {
	SummaryID        int64
	SessionSlug      string // the public address of the summary
	SessionTitleZH   string
	SessionTitleEN   string
	Level            SessionLevel
	HeldOn           time.Time
	ZH               SummaryText // Body left empty in lists
	EN               SummaryText
	HasCover         bool
	CoverAltZH       string
	CoverAltEN       string
	FirstPublishedAt time.Time
	ContentUpdatedAt *time.Time
}

// Updated is when the summary last changed for its readers: the "updated"
// date, else the publication date.
func (s SummaryListItem) Updated() time.Time {
	if s.ContentUpdatedAt != nil && s.ContentUpdatedAt.After(s.FirstPublishedAt) {
		return *s.ContentUpdatedAt
	}
	return s.FirstPublishedAt
}

// PublicNGORef names an NGO on a public page; Slug is the NGO's public
// profile, "" when the NGO is not in the public directory (no link).
type PublicNGORef struct {
	NameZH string
	NameEN string
	Slug   string
}

// PublicSummary is everything a published summary's page shows.
type PublicSummary struct {
	Summary   Summary
	Session   Session
	Officials []Official // present, in order of precedence
	// Attendees are the NGOs present, by Chinese name (pinyin).
	Attendees []PublicNGORef
	Requests  []Request // the chair's requests, by number (recipients not loaded)
	// BodyHTMLZH and BodyHTMLEN are the summary's body in each language as
	// the page shows it: rendered from Markdown and sanitised, without the
	// section in which the composer used to list the requests (the page
	// lists Requests itself). Safe to write into the page as it is. Stored
	// when the summary or the session's requests are written, not rendered
	// when the page is read.
	BodyHTMLZH string
	BodyHTMLEN string
}

// BodyHTML returns the body's HTML in locale ("en" for English, anything
// else for Chinese), as Summary.Text picks the text.
func (p PublicSummary) BodyHTML(locale string) string {
	if locale == "en" {
		return p.BodyHTMLEN
	}
	return p.BodyHTMLZH
}

// AttendanceCount is the number of NGOs present.
func (p PublicSummary) AttendanceCount() int { return len(p.Attendees) }

// PublicNGO is an NGO of the public directory: what the public may read of
// its registry entry (never its contact person, phone, email or address).
type PublicNGO struct {
	Slug       string
	NameZH     string
	NameEN     string
	ShortName  string
	FocusAreas []string
	// FocusAreasEN are the focus areas in English, in FocusAreas' order;
	// empty when not translated.
	FocusAreasEN []string
	FoundedYear  int // 0 when not recorded
	Website      string
	ProfileZH    string
	ProfileEN    string
	UpdatedAt    time.Time
}

// PublicSessionRef is a session with a published summary, as an NGO's
// public profile lists those it attended.
type PublicSessionRef struct {
	Slug           string
	HeldOn         time.Time
	Level          SessionLevel
	SessionTitleZH string
	SessionTitleEN string
	SummaryTitleZH string
	SummaryTitleEN string
}

// PublicNGOProfile is an NGO's public page: its directory entry and the
// published sessions it attended, newest first.
type PublicNGOProfile struct {
	NGO      PublicNGO
	Sessions []PublicSessionRef
}

// SearchKind says what a search hit is.
type SearchKind string

// Kinds of search hit.
const (
	SearchSummary SearchKind = "summary"
	SearchNGO     SearchKind = "ngo"
)

// Snippet is a short plain-text excerpt around a match: Match is the part
// that matched ("" when the excerpt shows only the beginning of the text).
type Snippet struct {
	Before string
	Match  string
	After  string
}

// String is the excerpt as one text.
func (s Snippet) String() string { return s.Before + s.Match + s.After }

// SearchHit is one result of the public search.
type SearchHit struct {
	Kind    SearchKind
	Slug    string // a session's slug (summary) or an NGO's slug
	TitleZH string
	TitleEN string
	HeldOn  time.Time // summaries only
	// Locale is the language the excerpt is in ("zh-CN" or "en"): the one
	// that matched.
	Locale  string
	Snippet Snippet
}

// MaxSearchQuery bounds a search query, in characters; longer ones are cut.
const MaxSearchQuery = 100

// NormalizeSearchQuery cleans a search query: valid UTF-8, spaces
// collapsed, at most MaxSearchQuery characters.
func NormalizeSearchQuery(q string) string {
	q = strings.Join(strings.Fields(CleanText(q)), " ")
	if r := []rune(q); len(r) > MaxSearchQuery {
		q = strings.TrimSpace(string(r[:MaxSearchQuery]))
	}
	return q
}

// SitemapEntry is one public page for the sitemap.
type SitemapEntry struct {
	Kind    SearchKind // summary or ngo
	Slug    string
	Updated time.Time
}

// FeedEntry is one published summary for the feed in one language.
type FeedEntry struct {
	Slug      string
	Title     string
	Lead      string
	Published time.Time
	Updated   time.Time
}

// MakeSnippet cuts an excerpt of plain text around the first match of the
// first term found (terms are tried in order, case-insensitively), with
// about width characters either side and "…" where the text was cut. A
// match inside a word of Latin letters is widened to the whole word, so that
// a stem ("organis") shows the word ("organises"). When no term is found,
// the excerpt is the text's beginning.
func MakeSnippet(text string, terms []string, width int) Snippet {
	runes := []rune(strings.Join(strings.Fields(text), " "))
	lower := make([]rune, len(runes))
	for i, r := range runes {
		lower[i] = unicode.ToLower(r)
	}
	wordRune := func(r rune) bool { return unicode.IsLetter(r) && !unicode.Is(unicode.Han, r) }
	for _, term := range terms {
		t := []rune(strings.ToLower(strings.TrimSpace(term)))
		if len(t) == 0 {
			continue
		}
		i := indexRunes(lower, t)
		if i < 0 {
			continue
		}
		start, end := i, i+len(t)
		for start > 0 && wordRune(runes[start-1]) && wordRune(runes[start]) {
			start--
		}
		for end < len(runes) && wordRune(runes[end]) && wordRune(runes[end-1]) {
			end++
		}
		s := Snippet{Match: string(runes[start:end])}
		from, to := max(0, start-width), min(len(runes), end+width)
		s.Before = string(runes[from:start])
		if from > 0 {
			s.Before = "…" + s.Before
		}
		s.After = string(runes[end:to])
		if to < len(runes) {
			s.After += "…"
		}
		return s
	}
	if len(runes) > 2*width {
		return Snippet{Before: string(runes[:2*width]) + "…"}
	}
	return Snippet{Before: string(runes)}
}

func indexRunes(s, sub []rune) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		match := true
		for j := range sub {
			if s[i+j] != sub[j] {
				match = false
				break
			}
		}
		if match {
			return i
		}
	}
	return -1
}
