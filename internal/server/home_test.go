package server

import (
	"net/http"
	"testing"

	"ngoportal/internal/portal"
)

// The front page leads with the latest session that has a published
// summary: its date, its cover with the alternative text, its key figures,
// the chair's requests (numbered) and a link to the summary; the earlier
// sessions follow, without the latest.
func TestHomeLatestSession(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	pubSummary(t, h, "home-earlier-2050", "2050-01-19", "women-lawyers")
	const slug = "home-latest-2051"
	sessionID := pubSession(t, h, slug, "2051-01-18", "women-lawyers", "women-journalists")
	pubExec(t, h, `INSERT INTO session_requests (session_id, number, text_zh, text_en)
		VALUES ($1, 2, '讲好上海女性故事', 'Tell the story of Shanghai women well')`, sessionID)
	draft := pubSave(t, h, sessionID, portal.SummaryInput{ZH: pubText(slug, "zh"), EN: pubText(slug, "en")}, 0)
	withCover, err := h.db.SetSummaryCover(t.Context(), pubAdmin(t, h), sessionID, pngImage(t), "会场全景", "The hall during the session", draft.Version)
	if err != nil {
		t.Fatal(err)
	}
	pubPublish(t, h, sessionID, withCover.Version)

	t.Run("Chinese", func(t *testing.T) {
		res := h.do(t, get("/"))
		if res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		latest := section(t, res.body, "latest-title", `id="archive-title"`)
		wantContains(t, latest,
			`<a href="/sessions/home-latest-2051">home-latest-2051会议纪要</a>`,
			`<time datetime="2051-01-18">2051年1月18日</time>`,
			`src="/sessions/home-latest-2051/cover?v=`, `alt="会场全景"`,
			"home-latest-2051导语",
			"<dt>出席的社会组织</dt><dd>2</dd>", "<dt>出席领导</dt><dd>1</dd>", "<dt>主席提出的要求</dt><dd>2</dd>",
			`<li value="1">拓宽女性发展平台home-latest-2051</li>`, `<li value="2">讲好上海女性故事</li>`,
			"阅读会议纪要全文")
		wantAbsent(t, latest, "home-earlier-2050")
		archive := section(t, res.body, "archive-title", "</section>")
		wantContains(t, archive, `href="/sessions/home-earlier-2050"`, "home-earlier-2050会议纪要", "2021年1月19日",
			`href="/sessions"`, `href="/ngos"`)
		wantAbsent(t, archive, "home-latest-2051")
		wantContains(t, res.body, `<meta property="og:image:alt" content="会场全景">`)
	})
	t.Run("English", func(t *testing.T) {
		res := h.do(t, get("/?lang=en"))
		latest := section(t, res.body, "latest-title", `id="archive-title"`)
		wantContains(t, latest,
			`<a href="/sessions/home-latest-2051?lang=en">Summary home-latest-2051</a>`,
			`<time datetime="2051-01-18">18 January 2051</time>`, `alt="The hall during the session"`,
			"<dt>NGOs present</dt><dd>2</dd>", `<li value="2">Tell the story of Shanghai women well</li>`,
			"Read the full summary")
		wantContains(t, section(t, res.body, "archive-title", "</section>"), "Summary home-earlier-2050")
	})
}

// With nothing published the front page welcomes the reader, says what
// will appear, and links to the archive and the directory.
func TestHomeNothingPublished(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	pubExec(t, h, `UPDATE summaries SET status = 'draft'`)
	res := h.do(t, get("/"))
	if res.status != http.StatusOK {
		t.Fatal(res.status)
	}
	wantContains(t, res.body, "欢迎访问", "目前还没有发布会议纪要", `href="/sessions"`, `href="/ngos"`)
	wantAbsent(t, res.body, `id="latest-title"`, `class="key-figures"`, `class="request-list"`, "2021年1月19日")
}
