// Package ui holds what every page shares: the layout and its base Page,
// the form controls, the error page, the static assets and small formatting
// helpers. Each area of the portal has its own package of views beside it
// (web/report, web/session…), which imports ui and never the reverse.
package ui

import (
	"net/url"
	"strings"

	"github.com/a-h/templ"

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
	Head       Head   // metadata of public pages; empty on the others
	Footer     Footer // the contacts and filing number every page's footer shows

	// FlashCodes are one-time secrets to show with the flash, e.g. new
	// recovery codes.
	FlashCodes []string
}

// Footer is what the footer shows of the configuration, in the page's
// language; an empty field is left out.
type Footer struct {
	Phone   string
	Email   string
	Address string
	// AddressLang is the language Address is in, which may not be the
	// page's when only the other one is configured.
	AddressLang string
	ICP         string // the site's ICP filing number (ICP备案号), e.g. 沪ICP备12345678号
}

// HasContact reports whether there is any contact to show.
func (f Footer) HasContact() bool { return f.Phone != "" || f.Email != "" || f.Address != "" }

// PhoneURL is the tel: link of the phone number: its digits and a leading +.
func (f Footer) PhoneURL() templ.SafeURL {
	var b strings.Builder
	for i, r := range f.Phone {
		if (r >= '0' && r <= '9') || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	return templ.SafeURL("tel:" + b.String())
}

// Head is what a public page tells search engines, feed readers and link
// previews. Every URL in it is absolute.
type Head struct {
	Canonical   string      // the page's one address in the language shown
	Alternates  []Alternate // the page in each language, and x-default
	Description string      // a sentence or two about the page
	NoIndex     bool        // ask search engines not to index the page
	// OpenGraph, when OGTitle is set.
	OGType  string // "website" or "article"
	OGTitle string
	OGImage string
	OGAlt   string
	// Feeds are the Atom feeds of the site, one per language.
	Feeds []Alternate
	// Lang is the language the address named (?lang=), "" when none: the
	// public pages' own links keep it, so a reader who came by such an
	// address stays in that language.
	Lang string
}

// Alternate is a link to the same content in another form: Lang is an
// hreflang value ("zh-CN", "en", "x-default"), Href an absolute URL.
type Alternate struct {
	Lang  string
	Href  string
	Title string // for feeds: the feed's title
}

// CanManage reports whether the viewer may manage the federation: an admin.
// A reviewer reads every federation page, reviews reports and runs
// check-in, and nothing more. The router alone decides who may do what;
// the federation's views use this only to leave out the links, buttons and
// forms that would answer a reviewer 403.
func (p Page) CanManage() bool { return p.Viewer.Role == portal.RoleAdmin }

// Lang is the value of the page's lang attribute.
func (p Page) Lang() string { return string(p.T.Locale) }

// Link is a link to a public page that keeps the ?lang= the reader came
// by, if any.
func (p Page) Link(path string) templ.SafeURL {
	if p.Head.Lang == "" {
		return templ.SafeURL(path)
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return templ.SafeURL(path + sep + "lang=" + url.QueryEscape(p.Head.Lang))
}

// ErrorView is a 4xx or 5xx page.
type ErrorView struct {
	Page
	Status    int
	Heading   string
	Message   string
	RequestID string
	// For a 503: RetryURL is the address a read may try again, Resend the
	// form a POST may send again.
	RetryURL string
	Resend   *Resend
}

// Resend is a form sent again from the 503 page: the fields a POST carried
// (never a password or a file), to the same address.
type Resend struct {
	Action    string
	Multipart bool
	Fields    []ResendField
}

// ResendField is one value of a Resend form.
type ResendField struct {
	Name  string
	Value string
}

// notificationsPath is where viewer v reads their notifications: in their
// role's area.
func notificationsPath(v portal.Viewer) string {
	if v.Role.Official() {
		return "/admin/notifications"
	}
	return "/ngo/notifications"
}
