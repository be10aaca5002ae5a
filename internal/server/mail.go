package server

import (
	"context"

	"ngoportal/internal/i18n"
)

// LinkMail is a single-use link to send to someone.
type LinkMail struct {
	To      string
	Name    string
	Purpose string // "invite" or "reset"
	Link    string // absolute URL
	Locale  i18n.Locale
}

// Mailer sends invitation and password-reset links. Without one (no SMTP
// configured), the admin is shown the link to pass on.
type Mailer interface {
	SendLink(ctx context.Context, m LinkMail) error
}
