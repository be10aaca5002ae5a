// Package notify turns the notifications' outbox into email: a worker
// claims due deliveries from PostgreSQL, renders each in its recipient's
// language (a plain-text and an HTML part, with an absolute link back to
// the portal and nothing that tracks the reader) and sends it over SMTP, or
// keeps it in the mail log when no SMTP server is configured.
package notify

import (
	"bytes"
	"html/template"
	"net/url"
	texttemplate "text/template"
	"time"

	"ngoportal/internal/i18n"
	"ngoportal/internal/markdown"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// Message is notification n's text in t's language.
func Message(t i18n.Translator, n portal.Notification) string {
	args := []any{"NGO", t.Pick(n.Params.NGOZh, n.Params.NGOEn), "Year", n.Params.Year,
		"Session", t.Pick(n.Params.SessionZh, n.Params.SessionEn),
		"Date", day(t, n.Params.Date), "Due", day(t, n.Params.Due), "Subject", n.Params.Subject}
	return t.T("notification.kind."+string(n.Kind), append(args, reminderArgs(t, n.Params)...)...)
}

// day shows a YYYY-MM-DD parameter in t's language; "" when there is none.
func day(t i18n.Translator, s string) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return ""
	}
	return t.Date(d)
}

// PreferencesPath is where a user of role changes what the portal sends.
func PreferencesPath(role portal.Role) string {
	if role.Official() {
		return "/admin/notifications/preferences"
	}
	return "/ngo/notifications/preferences"
}

// audienceOf is the role kind concerns.
func audienceOf(kind portal.NotificationKind) portal.Role {
	for _, k := range portal.NotificationKinds {
		if k.Kind == kind {
			return k.Audience
		}
	}
	return portal.RoleStaff
}

// Renderer writes the email of a notification.
type Renderer struct {
	Catalogue *i18n.Catalogue
	BaseURL   *url.URL // PORTAL_BASE_URL: links in mail are absolute
}

// Render writes item's email in its recipient's language.
func (r Renderer) Render(item postgres.OutboxItem) (postgres.Rendered, error) {
	locale, ok := i18n.Parse(item.Locale)
	if !ok {
		locale = i18n.ZhCN
	}
	t := r.Catalogue.Translator(locale)
	msg := Message(t, item.Notice)
	site := t.T("site.name")
	name := item.Name
	if locale == i18n.En && item.NameEN != "" {
		name = item.NameEN
	}
	v := mailView{
		Lang:      string(locale),
		Greeting:  t.T("notification.email.greeting", "Name", name),
		Message:   msg,
		OpenLabel: t.T("notification.email.open"),
		Link:      r.absolute(item.Notice.Link),
		Footer:    t.T("notification.email.footer", "Site", site),
		PrefsText: t.T("notification.email.preferences"),
		PrefsLink: r.absolute(PreferencesPath(audienceOf(item.Notice.Kind))),
	}
	if item.Body != "" {
		// An admin's message travels whole: its Markdown as written in the
		// text part, rendered and sanitised (as on its page) in the HTML.
		v.BodyText = item.Body
		v.BodyHTML = template.HTML(markdown.Render(item.Body))
	}
	m := postgres.Rendered{
		To:      item.To,
		Locale:  string(locale),
		Subject: t.T("notification.email.subject", "Site", site, "Message", msg),
	}
	var text, html bytes.Buffer
	if err := textTemplate.Execute(&text, v); err != nil {
		return postgres.Rendered{}, err
	}
	if err := htmlTemplate.Execute(&html, v); err != nil {
		return postgres.Rendered{}, err
	}
	m.Text, m.HTML = text.String(), html.String()
	return m, nil
}

func (r Renderer) absolute(path string) string {
	u := *r.BaseURL
	ref, err := url.Parse(path)
	if err != nil {
		return u.String()
	}
	return u.ResolveReference(ref).String()
}

type mailView struct {
	Lang, Greeting, Message, OpenLabel, Link, Footer, PrefsText, PrefsLink string
	// An admin's message: its text, and its HTML (markdown.Render: sanitised).
	BodyText string
	BodyHTML template.HTML
}

// The plain-text part: text/template, since nothing in it is HTML.
var textTemplate = texttemplate.Must(texttemplate.New("text").Parse(`{{.Greeting}}

{{.Message}}
{{if .BodyText}}
{{.BodyText}}
{{end}}
{{.OpenLabel}} {{.Link}}

--
{{.Footer}}
{{.PrefsText}} {{.PrefsLink}}
`))

// The HTML part: html/template escapes every value. No images, no
// remote resources, no per-reader tokens: nothing tracks whether or
// when the message is read.
var htmlTemplate = template.Must(template.New("html").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head><meta charset="utf-8"><title>{{.Message}}</title></head>
<body style="font-family: sans-serif; line-height: 1.6; color: #1a1a1a;">
<p>{{.Greeting}}</p>
<p>{{.Message}}</p>
{{if .BodyHTML}}<div style="border-left: 3px solid #ccc; padding-left: 1em;">{{.BodyHTML}}</div>
{{end}}<p><a href="{{.Link}}" style="color: #8a1538;">{{.OpenLabel}} {{.Link}}</a></p>
<hr>
<p style="font-size: 0.9em; color: #444;">{{.Footer}}<br>{{.PrefsText}} <a href="{{.PrefsLink}}" style="color: #8a1538;">{{.PrefsLink}}</a></p>
</body>
</html>
`))
