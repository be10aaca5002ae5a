package server

import (
	"net/http"
	"strings"
	"testing"

	"ngoportal/internal/i18n"
	"ngoportal/internal/markdown"
	"ngoportal/internal/portal"
)

// The demo's published summary reads the same whether its body's HTML was
// stored when it was written or is rendered for the request (a summary
// the start-up backfill has not reached), as the page rendered it before
// the HTML was stored.
func TestPublicSummaryStoredHTMLSamePage(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	const slug = "2021-municipal-leadership-session"
	var sessionID int64
	if err := h.db.Pool().QueryRow(t.Context(), `SELECT id FROM sessions WHERE slug = $1`, slug).Scan(&sessionID); err != nil {
		t.Fatal(err)
	}
	ps, err := h.db.PublishedSummaryBySlug(t.Context(), slug)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps.Requests) == 0 {
		t.Fatal("the demo session has no requests: the test would not check WithoutComposedRequests")
	}
	var stored int
	if err := h.db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM summaries
		WHERE session_id = $1 AND body_html_zh IS NOT NULL`, sessionID).Scan(&stored); err != nil || stored != 1 {
		t.Fatalf("the demo's summary has no stored HTML (%d, %v)", stored, err)
	}
	for _, p := range []string{"/sessions/" + slug, "/sessions/" + slug + "?lang=en"} {
		withStored := h.do(t, get(p))
		pubExec(t, h, `UPDATE summaries SET body_html_zh = NULL, body_html_en = NULL, body_html_requests = NULL
			WHERE session_id = $1`, sessionID)
		renderedNow := h.do(t, get(p))
		if withStored.status != http.StatusOK || renderedNow.status != http.StatusOK {
			t.Fatalf("%s: %d, then %d", p, withStored.status, renderedNow.status)
		}
		if withStored.body != renderedNow.body {
			t.Errorf("%s: the page with the stored HTML differs from the page rendered now:\n%s\n----\n%s",
				p, withStored.body, renderedNow.body)
		}
		body := ps.Summary.ZH.Body
		if strings.HasSuffix(p, "lang=en") {
			body = ps.Summary.EN.Body
		}
		if want := markdown.Render(portal.WithoutComposedRequests(body, len(ps.Requests))); !strings.Contains(withStored.body, want) {
			t.Errorf("%s lacks the body rendered from its Markdown:\n%s", p, want)
		}
		if n, err := h.db.RenderPendingSummaryHTML(t.Context()); err != nil || n != 1 {
			t.Fatalf("backfill: %d, %v; want 1", n, err)
		}
	}
}

// A request for the page renders no Markdown: the page shows the HTML
// stored with the summary, whatever its Markdown says.
func TestPublicSummaryServesStoredHTML(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	const slug = "pub-stored-html-2034"
	sessionID, _ := pubSummary(t, h, slug, "2034-01-19", "women-lawyers")
	pubExec(t, h, `UPDATE summaries SET body_html_zh = '<p id="stored-html">哨兵正文</p>',
		body_html_en = '<p id="stored-html">Sentinel body</p>' WHERE session_id = $1`, sessionID)
	for p, want := range map[string]string{
		"/sessions/" + slug:              `<p id="stored-html">哨兵正文</p>`,
		"/sessions/" + slug + "?lang=en": `<p id="stored-html">Sentinel body</p>`,
	} {
		res := h.do(t, get(p))
		if res.status != http.StatusOK {
			t.Fatalf("%s: %d", p, res.status)
		}
		wantContains(t, res.body, want)
		for _, md := range []string{slug + "正文", "Body " + slug, "工作回顾</h2>", "The year in review</h2>"} {
			if strings.Contains(res.body, md) {
				t.Errorf("%s shows %q, rendered from the Markdown", p, md)
			}
		}
	}
	// So does the admin's preview, which reads through the same view.
	res := h.as(t, asAdmin(t, h), get(adminSummaryPreviewPath(sessionID, i18n.En)))
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, `<p id="stored-html">Sentinel body</p>`)
	wantAbsent(t, res.body, "Body "+slug)
}
