package web

import (
	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
)

// Page is what every page's layout needs. Each page's view struct embeds it;
// one helper in the server builds it.
type Page struct {
	T          i18n.Translator
	Title      string // the page's own title; the site name is appended
	Path       string // the current path and query, to come back to after switching language
	Viewer     portal.Viewer
	Federation string // the federation's name in the page's locale
	Assets     *Assets
	Flash      string // a one-time message, translated
	FlashLink  string // a link to show with it, e.g. an invitation to pass on
}

// Lang is the value of the page's lang attribute.
func (p Page) Lang() string { return string(p.T.Locale) }

// HomeView is the home page.
type HomeView struct {
	Page
	Latest *portal.SessionOverview // nil when no session has been held yet
}

// ErrorView is a 4xx or 5xx page.
type ErrorView struct {
	Page
	Status    int
	Heading   string
	Message   string
	RequestID string
}
