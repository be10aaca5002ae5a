package postgres_test

import (
	"strings"
	"sync"
	"testing"

	"ngoportal/internal/markdown"
	"ngoportal/internal/portal"
)

// smStoredHTML is the stored HTML of a session's summary; ok is false when
// it is NULL (not rendered).
type smStoredHTML struct {
	zh, en   string
	requests int
	ok       bool
}

func (f smFixture) storedHTML(t *testing.T, sessionID int64) smStoredHTML {
	t.Helper()
	var zh, en *string
	var n *int
	if err := f.db.Pool().QueryRow(t.Context(), `
		SELECT body_html_zh, body_html_en, body_html_requests FROM summaries WHERE session_id = $1`,
		sessionID).Scan(&zh, &en, &n); err != nil {
		t.Fatal(err)
	}
	if zh == nil || en == nil || n == nil {
		return smStoredHTML{}
	}
	return smStoredHTML{zh: *zh, en: *en, requests: *n, ok: true}
}

// wantRendered checks that the session's summary holds the HTML of its
// bodies as the public page shows them with n requests, and returns it.
func (f smFixture) wantRendered(t *testing.T, when string, sessionID int64, n int) smStoredHTML {
	t.Helper()
	s, err := f.db.SummaryForSession(t.Context(), sessionID)
	if err != nil {
		t.Fatal(err)
	}
	got := f.storedHTML(t, sessionID)
	if !got.ok {
		t.Fatalf("%s: no HTML stored", when)
	}
	want := smStoredHTML{
		zh:       markdown.Render(portal.WithoutComposedRequests(s.ZH.Body, n)),
		en:       markdown.Render(portal.WithoutComposedRequests(s.EN.Body, n)),
		requests: n, ok: true,
	}
	if got != want {
		t.Errorf("%s: stored HTML\n%+v\nwant\n%+v", when, got, want)
	}
	return got
}

// smOldComposed is a body as the composer used to write it, listing the
// demo session's two requests.
var smOldComposed = portal.SummaryInput{
	ZH: portal.SummaryText{Title: "标题", Lead: "导语", Body: "本次会议为市级会议。\n\n## 工作要求\n\n" +
		"市妇联主席徐枫提出两点要求：\n\n1. 拓宽平台。\n2. 讲好故事。\n"},
	EN: portal.SummaryText{Title: "Title", Lead: "Lead", Body: "A municipal session.\n\n## Requests for 2021\n\n" +
		"Chairperson Xu Feng made two requests:\n\n1. Broaden the platforms.\n2. Tell the story.\n\n## Afterwards\n\nMore.\n"},
}

// Composing, saving and publishing store the bodies' HTML as the public
// page shows it, in both languages.
func TestSummaryHTMLStoredOnWrite(t *testing.T) {
	t.Parallel()
	f := newSmFixture(t)
	ctx := t.Context()

	s, err := f.db.ComposeSummary(ctx, f.admin, f.session, smFed, false)
	if err != nil {
		t.Fatal(err)
	}
	f.wantRendered(t, "composed", f.session, 2)

	s, err = f.db.SaveSummary(ctx, f.admin, f.session, smOldComposed, s.Version)
	if err != nil {
		t.Fatal(err)
	}
	got := f.wantRendered(t, "saved", f.session, 2)
	if strings.Contains(got.en, "Requests for 2021") || strings.Contains(got.zh, "工作要求") ||
		!strings.Contains(got.en, "Afterwards</h2>") {
		t.Errorf("the composed requests section is not left out:\n%s\n%s", got.zh, got.en)
	}

	if _, err := f.db.PublishSummary(ctx, f.admin, f.session, s.Version); err != nil {
		t.Fatal(err)
	}
	f.wantRendered(t, "published", f.session, 2)

	// Written by hand into a session of its own, without requests.
	other := f.heldSession(t, "s2045-html", "2045-01-19")
	if _, err := f.db.SaveSummary(ctx, f.admin, other, smOldComposed, 0); err != nil {
		t.Fatal(err)
	}
	got = f.wantRendered(t, "created", other, 0)
	if !strings.Contains(got.en, "Requests for 2021</h2>") {
		t.Errorf("a session without requests keeps the section:\n%s", got.en)
	}

	// The public read serves what is stored.
	p, err := f.db.SummaryPreview(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	if p.BodyHTMLZH != got.zh || p.BodyHTMLEN != got.en || p.BodyHTML("en") != got.en || p.BodyHTML("zh-CN") != got.zh {
		t.Errorf("preview HTML %q / %q, want the stored %q / %q", p.BodyHTMLZH, p.BodyHTMLEN, got.zh, got.en)
	}
}

// Adding or deleting one of the session's requests renders its summary
// again: a body listing the requests the composer's way shows its list
// again once the count no longer matches, and hides it when it matches.
func TestSummaryHTMLFollowsRequests(t *testing.T) {
	t.Parallel()
	f := newSmFixture(t)
	ctx := t.Context()
	if _, err := f.db.SaveSummary(ctx, f.admin, f.session, smOldComposed, 0); err != nil {
		t.Fatal(err)
	}
	got := f.wantRendered(t, "saved", f.session, 2)
	if strings.Contains(got.en, "Requests for 2021") {
		t.Fatalf("two requests: the section shows:\n%s", got.en)
	}

	req, err := f.db.CreateRequest(ctx, f.admin, portal.Request{SessionID: f.session, Number: 3,
		TextZH: "第三点", TextEN: "A third", AddressedToAll: true})
	if err != nil {
		t.Fatal(err)
	}
	got = f.wantRendered(t, "request added", f.session, 3)
	if !strings.Contains(got.en, "Requests for 2021</h2>") || !strings.Contains(got.zh, "工作要求</h2>") {
		t.Errorf("three requests: the section of two is not shown:\n%s\n%s", got.zh, got.en)
	}

	if err := f.db.DeleteRequest(ctx, f.admin, f.session, req.ID, req.Version); err != nil {
		t.Fatal(err)
	}
	got = f.wantRendered(t, "request deleted", f.session, 2)
	if strings.Contains(got.en, "Requests for 2021") {
		t.Errorf("two requests again: the section shows:\n%s", got.en)
	}

	// A session without a summary has nothing to render.
	other := f.heldSession(t, "s2046-html", "2046-01-19")
	if _, err := f.db.CreateRequest(ctx, f.admin, portal.Request{SessionID: other, Number: 1,
		TextZH: "要求", AddressedToAll: true}); err != nil {
		t.Fatal(err)
	}
}

// The backfill renders the summaries without HTML or with HTML for another
// number of requests, leaves the others alone, and finds nothing to do
// the second time, even when two run at once.
func TestRenderPendingSummaryHTML(t *testing.T) {
	t.Parallel()
	f := newSmFixture(t)
	ctx := t.Context()
	sessions := []int64{f.session}
	for _, slug := range []string{"s2047-html", "s2048-html", "s2049-html"} {
		id := f.heldSession(t, slug, slug[1:5]+"-01-19")
		f.exec(t, `INSERT INTO session_requests (session_id, number, text_zh) VALUES ($1, 1, '要求')`, id)
		sessions = append(sessions, id)
	}
	for _, id := range sessions {
		if _, err := f.db.SaveSummary(ctx, f.admin, id, smOldComposed, 0); err != nil {
			t.Fatal(err)
		}
	}
	// As a database migrated to 00028 holds them: no HTML.
	f.exec(t, `UPDATE summaries SET body_html_zh = NULL, body_html_en = NULL, body_html_requests = NULL
		WHERE session_id = ANY($1)`, sessions[:2])
	// HTML for another number of requests (a request written by SQL).
	f.exec(t, `INSERT INTO session_requests (session_id, number, text_zh) VALUES ($1, 2, '要求二')`, sessions[2])
	// Up to date, but not what a render gives: must stay as it is.
	f.exec(t, `UPDATE summaries SET body_html_zh = '<p>哨兵</p>', body_html_en = '<p>sentinel</p>'
		WHERE session_id = $1`, sessions[3])
	sentinel := f.storedHTML(t, sessions[3])

	var wg sync.WaitGroup
	counts := make([]int, 2)
	errs := make([]error, 2)
	for i := range counts {
		wg.Go(func() { counts[i], errs[i] = f.db.RenderPendingSummaryHTML(ctx) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if counts[0]+counts[1] != 3 {
		t.Errorf("rendered %v summaries, want 3 in all", counts)
	}
	f.wantRendered(t, "backfilled", sessions[0], 2)
	f.wantRendered(t, "backfilled", sessions[1], 1)
	f.wantRendered(t, "backfilled stale", sessions[2], 2)
	if got := f.storedHTML(t, sessions[3]); got != sentinel {
		t.Errorf("an up-to-date summary was rendered again: %+v", got)
	}

	n, err := f.db.RenderPendingSummaryHTML(ctx)
	if err != nil || n != 0 {
		t.Errorf("second run: %d rendered, %v; want 0", n, err)
	}
	f.wantRendered(t, "second run", sessions[0], 2)
	if got := f.storedHTML(t, sessions[3]); got != sentinel {
		t.Errorf("second run changed an up-to-date summary: %+v", got)
	}
}

// The public read serves the stored HTML, rendering only a summary whose
// HTML is missing or was rendered for another number of requests.
func TestPublicSummaryStoredHTML(t *testing.T) {
	t.Parallel()
	f := newSmFixture(t)
	ctx := t.Context()
	f.publish2021(t)
	s, err := f.db.SummaryForSession(ctx, f.session)
	if err != nil {
		t.Fatal(err)
	}
	rendered := func(body string, n int) string { return markdown.Render(portal.WithoutComposedRequests(body, n)) }

	f.exec(t, `UPDATE summaries SET body_html_zh = '<p>哨兵</p>', body_html_en = '<p>sentinel</p>' WHERE id = $1`, s.ID)
	p, err := f.db.PublishedSummaryBySlug(ctx, smSlug2021)
	if err != nil {
		t.Fatal(err)
	}
	if p.BodyHTMLZH != "<p>哨兵</p>" || p.BodyHTMLEN != "<p>sentinel</p>" {
		t.Errorf("stored HTML: read %q / %q, want the sentinels", p.BodyHTMLZH, p.BodyHTMLEN)
	}

	for name, sql := range map[string]string{
		"NotRendered": `UPDATE summaries SET body_html_zh = NULL, body_html_en = NULL, body_html_requests = NULL WHERE id = $1`,
		"Stale":       `UPDATE summaries SET body_html_zh = '<p>哨兵</p>', body_html_en = '<p>sentinel</p>', body_html_requests = 7 WHERE id = $1`,
	} {
		t.Run(name, func(t *testing.T) {
			f.exec(t, sql, s.ID)
			p, err := f.db.PublishedSummaryBySlug(ctx, smSlug2021)
			if err != nil {
				t.Fatal(err)
			}
			if p.BodyHTMLZH != rendered(s.ZH.Body, 2) || p.BodyHTMLEN != rendered(s.EN.Body, 2) {
				t.Errorf("read %q / %q, want the bodies rendered now", p.BodyHTMLZH, p.BodyHTMLEN)
			}
		})
	}
}
