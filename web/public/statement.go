package public

import (
	"embed"
	"fmt"

	"ngoportal/web/ui"
)

// Addresses of the statements.
const (
	PrivacyPath       = "/privacy"
	AccessibilityPath = "/accessibility"
)

// The statements the portal publishes about itself.
const (
	StatementPrivacy       = "privacy"
	StatementAccessibility = "accessibility"
)

// Statements are the kinds of statement, in the order the footer lists them.
var Statements = []string{StatementPrivacy, StatementAccessibility}

//go:embed statements/*.md
var statementFS embed.FS

// DefaultStatement is the Markdown of a statement as the portal ships it,
// in locale ("zh-CN" or "en"); configuration may replace it.
func DefaultStatement(kind, locale string) (string, error) {
	b, err := statementFS.ReadFile("statements/" + kind + "." + locale + ".md")
	if err != nil {
		return "", fmt.Errorf("statement %s.%s: %w", kind, locale, err)
	}
	return string(b), nil
}

// StatementView is the privacy or the accessibility statement.
type StatementView struct {
	ui.Page
	Kind     string // StatementPrivacy or StatementAccessibility
	BodyHTML string // the statement's Markdown, rendered and sanitised
}
