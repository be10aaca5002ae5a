package server

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"golang.org/x/net/html"

	"ngoportal/internal/demo"
	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
)

func init() {
	for k, v := range map[string]access{
		"GET /sessions":              anyone,
		"GET /sessions/{slug}":       anyone,
		"GET /sessions/{slug}/cover": anyone,
		"GET /ngos":                  anyone,
		"GET /ngos/{slug}":           anyone,
		"GET /search":                anyone,
		"GET /feed.atom":             anyone,
		"GET /sitemap.xml":           anyone,
		"GET /robots.txt":            anyone,
	} {
		routeRules[k] = v
	}
}

// testBase is the default PORTAL_BASE_URL the harness runs with.
const testBase = "http://localhost:8080"

// pubAdmin is the demo admin as the actor of summary writes.
func pubAdmin(t *testing.T, h *harness) portal.Actor {
	t.Helper()
	a := portal.Actor{RequestID: "public-test"}
	if err := h.db.Pool().QueryRow(t.Context(), `SELECT id, email FROM users WHERE email = $1`, demo.AdminEmail).
		Scan(&a.UserID, &a.Email); err != nil {
		t.Fatal(err)
	}
	return a
}

func pubExec(t *testing.T, h *harness, sql string, args ...any) {
	t.Helper()
	if _, err := h.db.Pool().Exec(t.Context(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// pubSession adds a held session of its own on day (never the demo's, so
// the tests hold whether or not the demo publishes a summary), with the
// chairperson present, the NGOs named present and one request of the chair.
func pubSession(t *testing.T, h *harness, slug, day string, ngoSlugs ...string) int64 {
	t.Helper()
	var id int64
	err := h.db.Pool().QueryRow(t.Context(), `
		INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status)
		VALUES ($1, $1 || '负责人会议', 'Leadership session ' || $1, 'municipal', $2, 'held') RETURNING id`, slug, day).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	pubExec(t, h, `INSERT INTO session_officials (session_id, official_id)
		SELECT $1, id FROM officials WHERE position = 'chairperson' ORDER BY id LIMIT 1`, id)
	pubExec(t, h, `INSERT INTO invitations (session_id, ngo_id, reply, attendance)
		SELECT $1, id, 'confirmed', 'present' FROM ngos WHERE slug = ANY($2)`, id, ngoSlugs)
	pubExec(t, h, `INSERT INTO session_requests (session_id, number, text_zh, text_en, made_by)
		SELECT $1, 1, '拓宽女性发展平台' || $2, 'Broaden the platforms for women ' || $2, id
		FROM officials WHERE position = 'chairperson' ORDER BY id LIMIT 1`, id, slug)
	return id
}

// pubText is a summary text whose every part names its slug and language.
func pubText(slug, lang string) portal.SummaryText {
	if lang == "zh" {
		return portal.SummaryText{
			Title: slug + "会议纪要",
			Lead:  slug + "导语：各组织交流了工作。",
			Body:  "## 工作回顾\n\n" + slug + "正文：各组织开展了线上线下的讲座。",
		}
	}
	return portal.SummaryText{
		Title: "Summary " + slug,
		Lead:  "Lead " + slug + ": the NGOs shared their work.",
		Body:  "## The year in review\n\nBody " + slug + ": lectures online and offline.",
	}
}

// pubSave saves a draft summary of the session.
func pubSave(t *testing.T, h *harness, sessionID int64, in portal.SummaryInput, version int) portal.Summary {
	t.Helper()
	s, err := h.db.SaveSummary(t.Context(), pubAdmin(t, h), sessionID, in, version)
	if err != nil {
		t.Fatalf("save summary: %v", err)
	}
	return s
}

func pubPublish(t *testing.T, h *harness, sessionID int64, version int) portal.Summary {
	t.Helper()
	s, err := h.db.PublishSummary(t.Context(), pubAdmin(t, h), sessionID, version)
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	return s
}

// pubSummary adds a session and publishes its summary; it returns the
// session's id and the summary.
func pubSummary(t *testing.T, h *harness, slug, day string, ngoSlugs ...string) (int64, portal.Summary) {
	t.Helper()
	sessionID := pubSession(t, h, slug, day, ngoSlugs...)
	s := pubSave(t, h, sessionID, portal.SummaryInput{ZH: pubText(slug, "zh"), EN: pubText(slug, "en")}, 0)
	return sessionID, pubPublish(t, h, sessionID, s.Version)
}

// pngImage is a small valid PNG.
func pngImage(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{R: 140, G: 29, B: 64, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A draft or unpublished summary answers 404 everywhere the public looks;
// once published it is on every public page.
func TestPublicSummaryVisibility(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	const slug = "pub-visibility-2031"
	sessionID := pubSession(t, h, slug, "2031-01-19", "women-lawyers", "women-journalists")
	draft := pubSave(t, h, sessionID, portal.SummaryInput{ZH: pubText(slug, "zh"), EN: pubText(slug, "en")}, 0)
	withCover, err := h.db.SetSummaryCover(t.Context(), pubAdmin(t, h), sessionID, pngImage(t), "封面说明", "Cover text", draft.Version)
	if err != nil {
		t.Fatal(err)
	}
	page, cover := "/sessions/"+slug, "/sessions/"+slug+"/cover"
	draftWords := []string{slug + "会议纪要", "Summary " + slug, "Body " + slug}

	hidden := func(when string) {
		t.Helper()
		for _, p := range []string{page, cover, page + "?lang=en", "/sessions/no-such-session"} {
			if res := h.do(t, get(p)); res.status != http.StatusNotFound {
				t.Errorf("%s: %s answers %d, want 404", when, p, res.status)
			}
		}
		for _, p := range []string{"/", "/sessions", "/sessions?lang=en", "/ngos/women-lawyers", "/feed.atom",
			"/feed.atom?lang=en", "/sitemap.xml", "/search?q=" + url.QueryEscape(slug), "/search?q=Body+" + slug} {
			res := h.do(t, get(p))
			if res.status != http.StatusOK {
				t.Errorf("%s: %s answers %d", when, p, res.status)
			}
			words := append(draftWords, page)
			if strings.HasPrefix(p, "/search") {
				words = []string{page, "<mark>"} // the query itself is shown back
			}
			for _, w := range words {
				if strings.Contains(res.body, w) {
					t.Errorf("%s: %s shows %q", when, p, w)
				}
			}
		}
		if res := h.do(t, get("/sessions?year=2031")); res.status != http.StatusNotFound {
			t.Errorf("%s: the year 2031 answers %d, want 404", when, res.status)
		}
	}
	hidden("draft")

	published := pubPublish(t, h, sessionID, withCover.Version)
	res := h.do(t, get(page))
	if res.status != http.StatusOK {
		t.Fatalf("published: %d", res.status)
	}
	wantContains(t, res.body, slug+"会议纪要", slug+"导语", "工作回顾</h2>", "2031年1月19日", "市级", "主席 徐枫",
		`href="/ngos/women-lawyers"`, "拓宽女性发展平台"+slug, `alt="封面说明"`, `src="`+cover+"?v=")
	if strings.Count(res.body, "<h1") != 1 {
		t.Errorf("%d h1 elements", strings.Count(res.body, "<h1"))
	}
	img := h.do(t, get(cover))
	if img.status != http.StatusOK || img.header.Get("Content-Type") != "image/png" ||
		img.header.Get("X-Content-Type-Options") != "nosniff" || img.header.Get("ETag") == "" ||
		img.header.Get("Content-Security-Policy") != downloadPolicy || !bytes.Equal([]byte(img.body), pngImage(t)) {
		t.Errorf("cover: %d %v", img.status, img.header)
	}
	if r := h.do(t, get(cover, "If-None-Match", img.header.Get("ETag"))); r.status != http.StatusNotModified {
		t.Errorf("cover with its ETag: %d, want 304", r.status)
	}
	for p, want := range map[string]string{
		"/":                   page,
		"/sessions":           page,
		"/sessions?year=2031": page,
		"/ngos/women-lawyers": page,
		"/feed.atom":          testBase + page,
		"/sitemap.xml":        testBase + page,
		"/search?q=" + url.QueryEscape(slug+"正文"): page,
	} {
		if res := h.do(t, get(p)); res.status != http.StatusOK || !strings.Contains(res.body, want) {
			t.Errorf("published: %s (%d) lacks %q", p, res.status, want)
		}
	}

	if _, err := h.db.UnpublishSummary(t.Context(), pubAdmin(t, h), sessionID, published.Version); err != nil {
		t.Fatal(err)
	}
	hidden("unpublished")
}

// The page's language comes from ?lang= before the cookie and the
// browser's; the canonical address and the alternates name every
// language; the switcher returns to the same page in the new language.
func TestPublicLanguage(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	const slug = "pub-lang-2032"
	pubSummary(t, h, slug, "2032-01-19", "women-lawyers")
	page := "/sessions/" + slug

	t.Run("LangParameterWins", func(t *testing.T) {
		r := get(page+"?lang=en", "Accept-Language", "zh-CN")
		r.AddCookie(&http.Cookie{Name: localeCookie, Value: "zh-CN"})
		res := h.do(t, r)
		wantContains(t, res.body, `<html lang="en">`, "Summary "+slug, "19 January 2032", "Chairperson Xu Feng",
			// links keep the language the reader came by
			`href="/ngos/women-lawyers?lang=en"`, `name="next" value="/sessions/`+slug+`?lang=en"`)
		wantAbsent(t, res.body, slug+"会议纪要")
		res = h.do(t, get(page+"?lang=zh-CN", "Accept-Language", "en"))
		wantContains(t, res.body, `<html lang="zh-CN">`, slug+"会议纪要")
		// an unknown value is ignored
		wantContains(t, h.do(t, get(page+"?lang=fr", "Accept-Language", "en")).body, `<html lang="en">`)
	})
	t.Run("LangParameterSticks", func(t *testing.T) {
		const html = "text/html,application/xhtml+xml"
		res := h.do(t, get("/sessions?lang=en", "Accept-Language", "zh-CN", "Accept", html))
		var chosen *http.Cookie
		for _, c := range (&http.Response{Header: res.header}).Cookies() {
			if c.Name == localeCookie {
				chosen = c
			}
		}
		if chosen == nil || chosen.Value != "en" || chosen.MaxAge != 0 || !chosen.HttpOnly {
			t.Fatalf("?lang=en set locale cookie %+v, want en for the visit", chosen)
		}
		// the header's links keep the language, and the current one is marked
		wantContains(t, res.body, `<a class="brand" href="/?lang=en">`, `href="/ngos?lang=en"`,
			`<a href="/sessions?lang=en" aria-current="page">`)
		if cc := res.header.Get("Cache-Control"); cc != privateCacheControl {
			t.Errorf("an answer setting the locale cookie is sent %q, want private", cc)
		}
		// the next page, reached by any link, stays English
		r := get("/ngos", "Accept-Language", "zh-CN", "Accept", html)
		r.AddCookie(chosen)
		wantContains(t, h.do(t, r).body, `<html lang="en">`)
		// once chosen, ?lang= pages are cacheable again: no cookie to set
		r = get("/sessions?lang=en", "Accept", html)
		r.AddCookie(chosen)
		if res := h.do(t, r); res.header.Get("Set-Cookie") != "" || res.header.Get("Cache-Control") != publicCacheControl {
			t.Errorf("with the cookie: Set-Cookie %q, Cache-Control %q", res.header.Get("Set-Cookie"), res.header.Get("Cache-Control"))
		}
		// a feed reader gets no cookie
		if res := h.do(t, get("/feed.atom?lang=en")); res.header.Get("Set-Cookie") != "" {
			t.Errorf("feed sets %q", res.header.Get("Set-Cookie"))
		}
	})
	t.Run("CanonicalAndAlternates", func(t *testing.T) {
		zh := h.do(t, get(page)).body
		en := h.do(t, get(page+"?lang=en&utm_source=x")).body
		alternates := []string{
			`<link rel="alternate" hreflang="zh-CN" href="` + testBase + page + `">`,
			`<link rel="alternate" hreflang="en" href="` + testBase + page + `?lang=en">`,
			`<link rel="alternate" hreflang="x-default" href="` + testBase + page + `">`,
			`<link rel="alternate" type="application/atom+xml" hreflang="en"`,
			`<meta property="og:type" content="article">`,
		}
		wantContains(t, zh, append(alternates, `<link rel="canonical" href="`+testBase+page+`">`,
			`<meta property="og:locale" content="zh_CN">`, `<meta property="og:title" content="`+slug+`会议纪要">`)...)
		wantContains(t, en, append(alternates, `<link rel="canonical" href="`+testBase+page+`?lang=en">`,
			`<meta property="og:locale" content="en_US">`, `<meta property="og:url" content="`+testBase+page+`?lang=en">`)...)
		// A browser that asks for English at the address without ?lang= gets
		// English, but the canonical stays that address: pointing it at the
		// ?lang=en alternate would send one hreflang address to another.
		negotiated := h.do(t, get(page, "Accept-Language", "en-US,en;q=0.9")).body
		wantContains(t, negotiated, `<link rel="canonical" href="`+testBase+page+`">`, `<meta property="og:locale" content="en_US">`)
		for _, p := range []string{"/", "/sessions", "/ngos", "/ngos/women-lawyers"} {
			u, _ := url.Parse(testBase + p)
			if body := h.do(t, get(p+"?lang=en")).body; !strings.Contains(body, `<link rel="canonical" href="`+u.String()+`?lang=en">`) {
				t.Errorf("%s?lang=en: no canonical", p)
			}
		}
	})
	t.Run("SwitcherKeepsPage", func(t *testing.T) {
		cases := []struct{ locale, next, want string }{
			{"zh-CN", page + "?lang=en", page},
			{"en", page + "?lang=zh-CN", page + "?lang=en"},
			{"en", "/sessions?lang=zh-CN&page=1", "/sessions?lang=en&page=1"},
			{"zh-CN", "/search?lang=en&q=%E5%A6%87%E5%A5%B3", "/search?q=%E5%A6%87%E5%A5%B3"},
			{"en", page, page}, // no parameter: the cookie does it
		}
		for _, c := range cases {
			res := h.do(t, postForm("/locale", url.Values{"locale": {c.locale}, "next": {c.next}}))
			if res.status != http.StatusSeeOther || res.header.Get("Location") != c.want {
				t.Errorf("switch to %s from %s: %d %q, want %q", c.locale, c.next, res.status, res.header.Get("Location"), c.want)
			}
		}
	})
}

// A summary missing in the page's language is shown in the other one with
// a notice: the view the admin preview shares (the public can only ever
// see summaries complete in both), and an NGO profile.
func TestPublicLanguageFallback(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ps := portal.PublicSummary{
		Summary: portal.Summary{ZH: portal.SummaryText{Title: "只有中文的纪要", Lead: "中文导语", Body: "中文**正文**"}},
		Session: portal.Session{Slug: "fallback", TitleZH: "会议", TitleEN: "Session", Level: portal.LevelMunicipal},
		// As the repository reads it: rendered when the summary was written.
		BodyHTMLZH: "<p>中文<strong>正文</strong></p>\n",
	}
	for _, tc := range []struct {
		name, lang   string
		fallback     bool
		wantTextLang string
	}{{"SameLanguage", "zh-CN", false, "zh-CN"}, {"OtherLanguage", "en", true, "zh-CN"}} {
		t.Run(tc.name, func(t *testing.T) {
			r := get("/admin/preview?lang=" + tc.lang)
			r = r.WithContext(context.WithValue(r.Context(), localeKey{}, i18n.Locale(tc.lang)))
			v := h.srv.publicSummaryView(r, ps, true)
			if v.Fallback != tc.fallback || v.TextLang != tc.wantTextLang || v.Text.Title != "只有中文的纪要" ||
				!strings.Contains(v.BodyHTML, "<strong>正文</strong>") {
				t.Errorf("view: fallback %v, text %s %+v, body %q", v.Fallback, v.TextLang, v.Text, v.BodyHTML)
			}
			if !v.Preview || !v.Head.NoIndex || v.Head.Canonical != "" || v.Head.OGTitle != "" || len(v.Head.Feeds) != 0 {
				t.Errorf("a preview has public metadata: %+v", v.Head)
			}
		})
	}

	pubExec(t, h, `UPDATE ngos SET profile_en = '' WHERE slug = 'women-lawyers'`)
	en := h.do(t, get("/ngos/women-lawyers?lang=en"))
	wantContains(t, en.body, `<html lang="en">`, "not available in English", `<div class="ngo-profile-text" lang="zh-CN">`)
	zh := h.do(t, get("/ngos/women-lawyers"))
	wantAbsent(t, zh.body, "暂无中文简介", "not available in English")
	wantContains(t, zh.body, `<div class="ngo-profile-text" lang="zh-CN">`)
}

// Every field of a summary carrying markup or script renders inert: as
// text, or sanitised away.
func TestPublicSummaryXSS(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	const slug = "pub-xss-2033"
	sessionID := pubSession(t, h, slug, "2033-01-19", "women-lawyers")
	payload := func(tag string) string {
		return tag + `<script>alert("x")</script><img src=x onerror=alert(1)><a href="javascript:alert(2)">j</a>` +
			`<style>body{display:none}</style><svg onload=alert(3)></svg>"'><iframe src=//evil.example></iframe>`
	}
	body := func(tag string) string {
		return payload(tag) + "\n\n[click](javascript:alert(4)) ![i](javascript:alert(5)) <div style=\"x\" onclick=\"alert(6)\">d</div>\n\n" +
			"[data](data:text/html;base64,PHNjcmlwdD4=)\n\n" + tag + " plain text stays"
	}
	in := portal.SummaryInput{
		ZH:         portal.SummaryText{Title: payload("标题"), Lead: payload("导语"), Body: body("正文")},
		EN:         portal.SummaryText{Title: payload("Title"), Lead: payload("Lead"), Body: body("Body")},
		CoverAltZH: payload("封面"), CoverAltEN: payload("Cover"),
	}
	s := pubSave(t, h, sessionID, in, 0)
	s, err := h.db.SetSummaryCover(t.Context(), pubAdmin(t, h), sessionID, pngImage(t), in.CoverAltZH, in.CoverAltEN, s.Version)
	if err != nil {
		t.Fatal(err)
	}
	pubPublish(t, h, sessionID, s.Version)
	for _, p := range []string{"/sessions/" + slug, "/sessions/" + slug + "?lang=en", "/", "/?lang=en", "/sessions",
		"/sessions?lang=en", "/ngos/women-lawyers", "/search?q=" + url.QueryEscape("plain text stays"),
		"/search?q=" + url.QueryEscape("正文"), "/feed.atom"} {
		res := h.do(t, get(p))
		if res.status != http.StatusOK {
			t.Fatalf("%s: %d", p, res.status)
		}
		if !strings.Contains(res.body, "alert(") {
			t.Errorf("%s shows none of the payloads: the test would prove nothing", p)
		}
		if p == "/feed.atom" {
			// XML: the payload is character data, never markup.
			if strings.Contains(res.body, "<script") || strings.Contains(res.body, "<img") {
				t.Errorf("the feed carries live markup")
			}
			continue
		}
		for _, bad := range liveMarkup(t, res.body) {
			t.Errorf("%s: live markup %s", p, bad)
		}
	}
	// The markdown body keeps its harmless text.
	wantContains(t, h.do(t, get("/sessions/"+slug+"?lang=en")).body, "Body plain text stays", "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;")
}

// liveMarkup parses a page and lists every element or attribute that could
// run script or restyle the page: script, style, iframe, object, embed,
// svg (but the layout's emblem), math, form elements outside the portal's own forms, event handler
// and style attributes, and URLs that are not http(s), mailto or relative.
func liveMarkup(t *testing.T, page string) []string {
	t.Helper()
	var bad []string
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return bad
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		switch tok.Data {
		case "script", "style", "iframe", "object", "embed", "svg", "math", "frame", "base":
			// The layout's own emblem is the one svg a page may carry.
			if !(tok.Data == "svg" && slices.Contains(tok.Attr, html.Attribute{Key: "class", Val: "emblem"})) {
				bad = append(bad, "<"+tok.Data+">")
			}
		}
		for _, a := range tok.Attr {
			name, val := strings.ToLower(a.Key), strings.ToLower(strings.TrimSpace(a.Val))
			switch {
			case strings.HasPrefix(name, "on"), name == "style", name == "srcdoc", name == "formaction":
				bad = append(bad, "<"+tok.Data+" "+name+">")
			case name == "href" || name == "src" || name == "action":
				u, err := url.Parse(val)
				if err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "mailto" && u.Scheme != "tel") {
					bad = append(bad, "<"+tok.Data+" "+name+"="+val+">")
				}
			}
		}
	}
}

// queryLog records the statements a pool sends.
type queryLog struct {
	mu  sync.Mutex
	sql []string
}

func (q *queryLog) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	q.mu.Lock()
	q.sql = append(q.sql, d.SQL)
	q.mu.Unlock()
	return ctx
}

func (q *queryLog) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (q *queryLog) take() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.sql
	q.sql = nil
	return out
}

// A published summary's page takes the same queries whatever the number of
// NGOs present, and an anonymous request does no login-session work.
func TestPublicSummaryQueries(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	const slug = "pub-queries-2034"
	sessionID, _ := pubSummary(t, h, slug, "2034-01-19", "women-lawyers", "women-journalists")
	counted, log := countedHarness(t, h.db, nil)

	measure := func() []string {
		log.take()
		if res := counted.do(t, get("/sessions/"+slug)); res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		return log.take()
	}
	few := measure()
	for i := range 6 {
		pubExec(t, h, `WITH n AS (INSERT INTO ngos (slug, name_zh, name_en, show_in_directory) VALUES ($1, $2, $3, true) RETURNING id)
			INSERT INTO invitations (session_id, ngo_id, reply, attendance) SELECT $4, id, 'confirmed', 'present' FROM n`,
			fmt.Sprintf("pub-extra-%d", i), fmt.Sprintf("新增组织%d", i), fmt.Sprintf("Extra NGO %d", i), sessionID)
	}
	many := measure()
	if len(few) != len(many) || len(few) > 6 {
		t.Errorf("queries with 2 and 8 NGOs: %d → %d\n%s", len(few), len(many), strings.Join(many, "\n---\n"))
	}
	if res := counted.do(t, get("/sessions/"+slug)); !strings.Contains(res.body, "新增组织5") {
		t.Error("the extra NGOs are not on the page")
	}
	// Anonymous pages read no login session, flash or user.
	for _, p := range []string{"/sessions/" + slug, "/", "/sessions", "/ngos", "/search?q=women"} {
		log.take()
		counted.do(t, get(p))
		for _, q := range log.take() {
			if strings.Contains(q, "auth_sessions") || strings.Contains(q, "users") {
				t.Errorf("%s as the public ran %q", p, q)
			}
		}
	}
}

// Published summaries, NGO profiles and the archive's pages.
func TestPublicPages(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	for i := range 12 {
		pubSummary(t, h, fmt.Sprintf("pub-archive-%02d", i), fmt.Sprintf("20%d-01-19", 40+i/6), "women-lawyers")
	}
	t.Run("Archive", func(t *testing.T) {
		res := h.do(t, get("/sessions"))
		wantContains(t, res.body, "pub-archive-11", `rel="next"`, `href="/sessions?page=2"`, "第 1 页，共 2 页", `href="/sessions?year=2041"`)
		wantAbsent(t, res.body, "pub-archive-00会议纪要", `rel="prev"`)
		res = h.do(t, get("/sessions?page=2&lang=en"))
		wantContains(t, res.body, "Summary pub-archive-00", `rel="prev"`, "Page 2 of 2")
		res = h.do(t, get("/sessions?year=2040"))
		wantContains(t, res.body, "pub-archive-05会议纪要", `aria-current="page">2040</a>`)
		wantAbsent(t, res.body, "pub-archive-06会议纪要")
		for _, p := range []string{"/sessions?page=3", "/sessions?page=0", "/sessions?page=x", "/sessions?page=01", "/sessions?year=1999"} {
			if r := h.do(t, get(p)); r.status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", p, r.status)
			}
		}
	})
	t.Run("Directory", func(t *testing.T) {
		pubExec(t, h, `UPDATE ngos SET show_in_directory = false WHERE slug = 'women-artists'`)
		res := h.do(t, get("/ngos"))
		wantContains(t, res.body, `href="/ngos/women-lawyers"`, "上海市女律师联谊会")
		wantAbsent(t, res.body, "women-artists")
		if r := h.do(t, get("/ngos/women-artists")); r.status != http.StatusNotFound {
			t.Errorf("a hidden NGO's profile: %d", r.status)
		}
		res = h.do(t, get("/ngos/women-lawyers?lang=en"))
		wantContains(t, res.body, "<h1>Shanghai Women Lawyers", `rel="nofollow noopener"`, "Website of", "pub-archive-11",
			"Leadership sessions attended")
	})
	t.Run("Home", func(t *testing.T) {
		res := h.do(t, get("/?lang=en"))
		wantContains(t, res.body, "The latest session", "Summary pub-archive-11", "The latest session in figures",
			"Earlier sessions", "Summary pub-archive-10", `href="/sessions?lang=en"`, `href="/ngos?lang=en"`, "Read the full summary")
	})
	t.Run("Robots", func(t *testing.T) {
		res := h.do(t, get("/robots.txt"))
		wantContains(t, res.body, "User-agent: *", "Disallow: /admin\n", "Disallow: /ngo\n", "Allow: /ngos\n",
			"Disallow: /login", "Disallow: /invite/", "Disallow: /reset/", "Disallow: /account/",
			"Sitemap: "+testBase+"/sitemap.xml")
		if !strings.HasPrefix(res.header.Get("Content-Type"), "text/plain") {
			t.Errorf("Content-Type %q", res.header.Get("Content-Type"))
		}
	})
}

// The search finds Chinese words by substring and English ones by full
// text, marks the match, and never finds a draft.
func TestPublicSearch(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	pubSummary(t, h, "pub-search-2035", "2035-01-19", "women-lawyers")
	draft := pubSession(t, h, "pub-search-draft", "2036-01-19")
	pubSave(t, h, draft, portal.SummaryInput{
		ZH: portal.SummaryText{Title: "草稿", Body: "绝密的蓝鲸计划"},
		EN: portal.SummaryText{Title: "Draft", Body: "the narwhalian plan"},
	}, 0)

	cases := []struct{ name, q, want, mark string }{
		{"Chinese", "线上线下的讲座", `href="/sessions/pub-search-2035"`, "<mark>线上线下的讲座</mark>"},
		{"English", "lectures", `href="/sessions/pub-search-2035"`, "<mark>lectures</mark>"},
		{"ChineseNGO", "法律咨询", `href="/ngos/women-lawyers"`, "<mark>法律咨询</mark>"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := h.do(t, get("/search?q="+url.QueryEscape(c.q)))
			if res.status != http.StatusOK {
				t.Fatal(res.status)
			}
			wantContains(t, res.body, c.want, c.mark, `value="`+c.q+`"`, `<label for="search-q">`, `<meta name="robots" content="noindex">`)
		})
	}
	t.Run("NoResults", func(t *testing.T) {
		for _, q := range []string{"蓝鲸计划", "narwhalian", "不存在的词语"} {
			res := h.do(t, get("/search?q="+url.QueryEscape(q)))
			wantContains(t, res.body, "没有找到")
			wantAbsent(t, res.body, "pub-search-draft", "<mark>")
		}
	})
	t.Run("EmptyQueryOnlyTheForm", func(t *testing.T) {
		res := h.do(t, get("/search"))
		wantContains(t, res.body, `id="search-q"`)
		wantAbsent(t, res.body, "没有找到", `role="status"`)
	})
	t.Run("LongQueryCut", func(t *testing.T) {
		res := h.do(t, get("/search?q="+strings.Repeat("妇", 300)))
		if res.status != http.StatusOK {
			t.Fatal(res.status)
		}
		wantContains(t, res.body, "超过 100 个字", `value="`+strings.Repeat("妇", 100)+`"`)
	})
}
