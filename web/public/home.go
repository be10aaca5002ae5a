// Package public holds the pages anyone may read without signing in: the
// home page, the published session summaries, the NGO directory and search.
package public

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
