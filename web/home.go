// Package web holds the portal's templ components and the typed view
// structs they render, for the areas not yet in a package of their own.
package web

import (
	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// HomeView is the home page, the public front page.
type HomeView struct {
	ui.Page
	Latest []portal.SummaryListItem // the latest published summaries, newest first
	// Figures are the key figures of the latest session with a published
	// summary; nil when nothing is published.
	Figures *PublicFigures
}
