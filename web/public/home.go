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
	// Latest is the latest session with a published summary, with
	// everything its page shows; nil when nothing is published.
	Latest *portal.PublicSummary
	// LatestCoverURL is the address of its cover, "" when it has none.
	LatestCoverURL string
	// Earlier are the published summaries of the sessions before it, the
	// latest first.
	Earlier []portal.SummaryListItem
}
