package server

import (
	"bytes"
	"html"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
	"ngoportal/web/public"
	"ngoportal/web/summary"
	"ngoportal/web/ui"
)

func init() {
	for k, v := range map[string]access{
		"GET /admin/sessions/{id}/summary":               officials,
		"POST /admin/sessions/{id}/summary":              admins,
		"POST /admin/sessions/{id}/summary/compose":      admins,
		"GET /admin/sessions/{id}/summary/edit":          admins,
		"POST /admin/sessions/{id}/summary/publish":      admins,
		"POST /admin/sessions/{id}/summary/unpublish":    admins,
		"GET /admin/sessions/{id}/summary/preview":       officials,
		"GET /admin/sessions/{id}/summary/cover":         officials,
		"POST /admin/sessions/{id}/summary/cover":        admins,
		"GET /admin/sessions/{id}/summary/cover/delete":  admins,
		"POST /admin/sessions/{id}/summary/cover/delete": admins,
		"GET /admin/sessions/{id}/summary/versions":      officials,
		"GET /admin/sessions/{id}/summary/versions/{n}":  officials,
	} {
		routeRules[k] = v
	}
	// The first demo session (already ids["/admin/sessions/{id}"]) gets a
	// composed draft with a cover, so that the preview, the cover and
	// version 2 exist for the admin to read.
	matrixFixtures = append(matrixFixtures, func(t *testing.T, h *harness, _ int64, ids, objectIDs map[string]string) {
		id, err := strconv.ParseInt(ids["/admin/sessions/{id}"], 10, 64)
		if err != nil {
			t.Fatalf("matrix session: %v", err)
		}
		a := portal.Actor{RequestID: "matrix"}
		if _, err := h.db.Pool().Exec(t.Context(), `DELETE FROM summaries WHERE session_id = $1`, id); err != nil {
			t.Fatal(err)
		}
		sum, err := h.db.ComposeSummary(t.Context(), a, id, h.srv.federation(), false)
		if err != nil {
			t.Fatalf("matrix summary: %v", err)
		}
		if sum, err = h.db.SetSummaryCover(t.Context(), a, id, sumPNG(t, 2, false), "封面", "Cover", sum.Version); err != nil {
			t.Fatalf("matrix cover: %v", err)
		}
		objectIDs["{n}"] = strconv.Itoa(sum.Version)
	})
}

// sumHarness is a server over the demo data, a signed-in admin and the
// demo's 2021 session, held, without a summary.
type sumHarness struct {
	*harness
	admin   *http.Cookie
	session int64
	slug    string
}

const sumSlug = "2021-municipal-leadership-session"

func newSumHarness(t *testing.T, env map[string]string) sumHarness {
	t.Helper()
	h := newHarness(t, env)
	sh := sumHarness{harness: h, admin: asAdmin(t, h), slug: sumSlug}
	if err := h.db.Pool().QueryRow(t.Context(), `SELECT id FROM sessions WHERE slug = $1`, sumSlug).Scan(&sh.session); err != nil {
		t.Fatal(err)
	}
	// Whatever the demo data holds, start from no summary.
	if _, err := h.db.Pool().Exec(t.Context(), `DELETE FROM summaries WHERE session_id = $1`, sh.session); err != nil {
		t.Fatal(err)
	}
	return sh
}

func (sh sumHarness) path(suffix string) string { return adminSummaryPath(sh.session) + suffix }

// tr is the text of a message key in locale l, as it appears in a page.
func (sh sumHarness) tr(l i18n.Locale, key string, kv ...any) string {
	return html.EscapeString(sh.srv.cat.Translator(l).T(key, kv...))
}

func (sh sumHarness) summary(t *testing.T) portal.Summary {
	t.Helper()
	s, err := sh.db.SummaryForSession(t.Context(), sh.session)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// audits lists the audit actions on summaries, oldest first.
func (sh sumHarness) audits(t *testing.T) []string {
	t.Helper()
	rows, err := sh.db.Pool().Query(t.Context(), `SELECT action FROM audit_log WHERE object_type = 'summary' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// do sends r as the admin and checks the status.
func (sh sumHarness) do(t *testing.T, r *http.Request, want int) response {
	t.Helper()
	res := sh.as(t, sh.admin, r)
	if res.status != want {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Method, r.URL, res.status, want, res.body)
	}
	return res
}

// compose composes the draft and returns it.
func (sh sumHarness) compose(t *testing.T) portal.Summary {
	t.Helper()
	res := sh.do(t, postForm(sh.path("/compose"), url.Values{}), http.StatusSeeOther)
	if loc := res.header.Get("Location"); loc != sh.path("") {
		t.Fatalf("compose went to %q", loc)
	}
	return sh.summary(t)
}

// form is the edit form of in at version.
func sumForm(in portal.SummaryInput, version int) url.Values {
	return url.Values{
		"version":  {strconv.Itoa(version)},
		"title_zh": {in.ZH.Title}, "lead_zh": {in.ZH.Lead}, "body_zh": {in.ZH.Body},
		"title_en": {in.EN.Title}, "lead_en": {in.EN.Lead}, "body_en": {in.EN.Body},
		"cover_alt_zh": {in.CoverAltZH}, "cover_alt_en": {in.CoverAltEN},
	}
}

// sumPNG is a side × side PNG; noisy ones do not compress, so their size
// is about 4 × side² bytes.
func sumPNG(t *testing.T, side int, noisy bool) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, side, side))
	rng := rand.New(rand.NewPCG(1, 2))
	for y := range side {
		for x := range side {
			c := color.NRGBA{200, 30, 60, 255}
			if noisy {
				c = color.NRGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256))}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// coverUpload is a multipart POST of the cover form.
func coverUpload(t *testing.T, path string, version int, filename string, data []byte, altZH, altEN string) *http.Request {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range map[string]string{"version": strconv.Itoa(version), summary.CoverAltZHField: altZH, summary.CoverAltENField: altEN} {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if filename != "" {
		w, err := mw.CreateFormFile(summary.CoverFileField, filename)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodPost, path, &b)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	return r
}

func TestSummaryCompose(t *testing.T) {
	t.Parallel()
	sh := newSumHarness(t, nil)
	zh := func(key string, kv ...any) string { return sh.tr(i18n.ZhCN, key, kv...) }

	t.Run("NotYetComposed", func(t *testing.T) {
		res := sh.do(t, get(sh.path("")), http.StatusOK)
		wantContains(t, res.body, zh("summary.show.none"), `action="`+sh.path("/compose")+`"`, zh("summary.show.compose"))
		// The session's page links here.
		res = sh.do(t, get(adminSessionPath(sh.session)), http.StatusOK)
		wantContains(t, res.body, `href="`+sh.path("")+`"`, zh("summary.session_link"))
	})

	composed := sh.compose(t)
	if composed.Version != 1 || composed.Status != portal.SummaryDraft {
		t.Fatalf("composed = %+v", composed)
	}

	t.Run("DraftInBothLanguages", func(t *testing.T) {
		res := sh.do(t, get(sh.path("")), http.StatusOK)
		page := html.UnescapeString(res.body)
		wantContains(t, page,
			// zh: date, attendance, the officials with their positions
			"2021年1月19日", "本市18家女性社会组织", "主席徐枫", "副主席翁文磊、王剑璋",
			// en
			"19 January 2021", "18 women's NGOs", "Chairperson Xu Feng", "Vice Chairpersons Weng Wenlei and Wang Jianzhang",
			// two sections, the status, the actions
			`id="text-zh"`, `id="text-en"`, sh.srv.cat.Translator(i18n.ZhCN).T("summary.status.draft"))
		// The requests are the public page's own section, not the body's.
		wantAbsent(t, page, "拓宽上海女性发展的引领服务平台", "讲好中国故事和上海女性故事",
			"Broaden the platforms that guide and serve women's development in Shanghai",
			"Tell the story of China and of Shanghai women well")
		wantContains(t, res.body, `action="`+sh.path("/publish")+`"`, `name="version" value="1"`,
			`href="`+sh.path("/preview?lang=en")+`"`, `href="`+sh.path("/versions")+`"`)
	})

	// The admin edits: a line of their own at the end of the Chinese body.
	const own = "会议取得圆满成功，与会代表表示将认真落实。"
	in := composed.Input()
	in.ZH.Body += "\n" + own + "\n"
	sh.do(t, postForm(sh.path(""), sumForm(in, composed.Version)), http.StatusSeeOther)
	edited := sh.summary(t)
	if edited.Version != 2 || !strings.Contains(edited.ZH.Body, own) {
		t.Fatalf("edited = %+v", edited)
	}

	t.Run("ComposeOverEditsAsksFirst", func(t *testing.T) {
		before := len(sh.audits(t))
		res := sh.do(t, postForm(sh.path("/compose"), url.Values{}), http.StatusOK)
		wantContains(t, res.body, zh("summary.compose.title"), zh("summary.err.edited"),
			`name="overwrite" value="1"`, zh("summary.compose.replace"), `href="`+sh.path("")+`"`,
			// the diff: the admin's line would go
			"<del>", own, zh("summary.diff.removed"))
		if cur := sh.summary(t); cur.Version != 2 || cur.ZH != edited.ZH {
			t.Errorf("the confirmation changed the summary: %+v", cur)
		}
		if after := len(sh.audits(t)); after != before {
			t.Errorf("audit rows %d → %d on a confirmation", before, after)
		}
	})

	t.Run("OverwriteKeepsTheEditInHistory", func(t *testing.T) {
		sh.do(t, postForm(sh.path("/compose"), url.Values{"overwrite": {"1"}}), http.StatusSeeOther)
		cur := sh.summary(t)
		if cur.Version != 3 || strings.Contains(cur.ZH.Body, own) || cur.ZH != composed.ZH {
			t.Fatalf("after overwrite: %+v", cur)
		}
		res := sh.do(t, get(sh.path("/versions")), http.StatusOK)
		for n := 1; n <= 3; n++ {
			wantContains(t, res.body, `href="`+adminSummaryVersionPath(sh.session, n)+`"`)
		}
		wantContains(t, res.body, zh("summary.version.edited"), zh("summary.version.composed"))
		// Version 2 holds the edit, as an insertion over version 1.
		res = sh.do(t, get(adminSummaryVersionPath(sh.session, 2)), http.StatusOK)
		wantContains(t, res.body, "<ins>", own, zh("summary.diff.added"), zh("summary.history.compared", "Number", 1))
		// Version 3 takes it out again.
		res = sh.do(t, get(adminSummaryVersionPath(sh.session, 3)), http.StatusOK)
		wantContains(t, res.body, "<del>", own)
	})

	t.Run("UnknownVersion", func(t *testing.T) {
		for _, n := range []string{"4", "0", "01", "x"} {
			sh.do(t, get(sh.path("/versions/"+n)), http.StatusNotFound)
		}
	})

	wantAudits := []string{portal.AuditSummaryComposed, portal.AuditSummarySaved, portal.AuditSummaryComposed}
	if got := sh.audits(t); strings.Join(got, " ") != strings.Join(wantAudits, " ") {
		t.Errorf("audit = %v, want %v", got, wantAudits)
	}
}

func TestSummaryNotHeld(t *testing.T) {
	t.Parallel()
	sh := newSumHarness(t, nil)
	var id int64
	if err := sh.db.Pool().QueryRow(t.Context(), `
		INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status)
		VALUES ('summary-future', '未来会议', 'Future session', 'district', now() + interval '30 days', 'draft')
		RETURNING id`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	zh := sh.tr(i18n.ZhCN, "summary.err.not_held")
	res := sh.do(t, get(adminSummaryPath(id)), http.StatusOK)
	wantContains(t, res.body, zh)
	wantAbsent(t, res.body, `action="`+adminSummaryComposePath(id)+`"`)
	res = sh.do(t, postForm(adminSummaryComposePath(id), url.Values{}), http.StatusConflict)
	wantContains(t, res.body, zh)
	res = sh.do(t, postForm(adminSummaryPath(id), url.Values{"version": {"0"}, "title_zh": {"标题"}}), http.StatusConflict)
	wantContains(t, res.body, zh)
	sh.do(t, get(adminSummaryEditPath(id)), http.StatusConflict)
	sh.do(t, get(adminSummaryPath(1<<40)), http.StatusNotFound)
	if got := sh.audits(t); len(got) != 0 {
		t.Errorf("audit rows for refused writes: %v", got)
	}
}

func TestSummarySave(t *testing.T) {
	t.Parallel()
	sh := newSumHarness(t, nil)
	zh := func(key string, kv ...any) string { return sh.tr(i18n.ZhCN, key, kv...) }
	en := func(key string, kv ...any) string { return sh.tr(i18n.En, key, kv...) }

	t.Run("WriteByHand", func(t *testing.T) {
		res := sh.do(t, get(sh.path("/edit")), http.StatusOK)
		wantContains(t, res.body, `name="version" value="0"`, `id="f-title_zh"`, `id="f-body_en"`,
			zh("summary.edit.body_hint"), zh("summary.edit.save_draft"), zh("summary.cover.save_first"))
		in := portal.SummaryInput{ZH: portal.SummaryText{Title: "手写标题"}}
		sh.do(t, postForm(sh.path(""), sumForm(in, 0)), http.StatusSeeOther)
		if s := sh.summary(t); s.ZH.Title != "手写标题" || s.Version != 1 {
			t.Fatalf("written by hand: %+v", s)
		}
	})

	t.Run("StaleVersionConflict", func(t *testing.T) {
		cur := sh.summary(t)
		first := cur.Input()
		first.ZH.Title = "第一位管理员的标题"
		sh.do(t, postForm(sh.path(""), sumForm(first, cur.Version)), http.StatusSeeOther)
		second := cur.Input()
		second.ZH.Title = "第二位管理员的标题"
		second.EN.Body = "The second admin's body."
		res := sh.do(t, postForm(sh.path(""), sumForm(second, cur.Version)), http.StatusConflict)
		wantContains(t, res.body, zh("form.conflict"), zh("summary.edit.latest"),
			`value="第二位管理员的标题"`, html.EscapeString("The second admin's body."), // the input, kept
			"第一位管理员的标题", // what was saved meanwhile
			`name="version" value="`+strconv.Itoa(cur.Version+1)+`"`)
		if s := sh.summary(t); s.ZH.Title != "第一位管理员的标题" {
			t.Errorf("the stale save went through: %+v", s)
		}
		// Creating a summary that exists meanwhile is a conflict too.
		sh.do(t, postForm(sh.path(""), sumForm(second, 0)), http.StatusConflict)
	})

	t.Run("ValidationKeepsValues", func(t *testing.T) {
		// Published, titles and bodies are required in both languages.
		if _, err := sh.db.Pool().Exec(t.Context(), `DELETE FROM summaries WHERE session_id = $1`, sh.session); err != nil {
			t.Fatal(err)
		}
		s := sh.compose(t)
		sh.do(t, postForm(sh.path("/publish"), url.Values{"version": {strconv.Itoa(s.Version)}}), http.StatusSeeOther)
		s = sh.summary(t)
		in := s.Input()
		in.ZH.Title, in.EN.Body = "", ""
		in.ZH.Lead, in.EN.Lead = "保留的中文导语", "Kept English lead"
		in.EN.Title = strings.Repeat("x", portal.MaxSummaryTitleEN+1)
		for _, c := range []struct {
			lang i18n.Locale
			tr   func(string, ...any) string
			hdr  []string
		}{{i18n.ZhCN, zh, nil}, {i18n.En, en, []string{"Accept-Language", "en"}}} {
			res := sh.do(t, postForm(sh.path(""), sumForm(in, s.Version), c.hdr...), http.StatusUnprocessableEntity)
			wantContains(t, res.body, c.tr("summary.err.title_zh_required"), c.tr("summary.err.body_en_required"),
				c.tr("summary.err.too_long"), c.tr("form.error_summary"), `href="#f-title_zh"`,
				"保留的中文导语", "Kept English lead", `value="`+in.EN.Title+`"`,
				c.tr("summary.edit.save_live"), `aria-invalid="true"`)
		}
		if cur := sh.summary(t); cur.Version != s.Version || cur.ZH != s.ZH {
			t.Errorf("an invalid save changed the summary: %+v", cur)
		}
		// A valid edit of a published summary goes live at once.
		in = s.Input()
		in.EN.Title = "An edited public title"
		res := sh.do(t, postForm(sh.path(""), sumForm(in, s.Version)), http.StatusSeeOther)
		res = sh.as(t, sh.admin, get(res.header.Get("Location")))
		wantContains(t, res.body, zh("summary.flash.saved_live"))
		res = sh.as(t, nil, get(public.PublicSessionPath(sh.slug)+"?lang=en"))
		wantContains(t, res.body, "An edited public title")
	})

	t.Run("NoVersionIsNoFormOfOurs", func(t *testing.T) {
		sh.do(t, postForm(sh.path(""), url.Values{"title_zh": {"x"}}), http.StatusBadRequest)
		sh.do(t, postForm(sh.path(""), url.Values{"version": {"-1"}}), http.StatusBadRequest)
	})
}

func TestSummaryPublish(t *testing.T) {
	t.Parallel()
	sh := newSumHarness(t, nil)
	zh := func(key string, kv ...any) string { return sh.tr(i18n.ZhCN, key, kv...) }
	publicPath := public.PublicSessionPath(sh.slug)
	s := sh.compose(t)

	if res := sh.as(t, nil, get(publicPath)); res.status != http.StatusNotFound {
		t.Fatalf("public page of a draft: %d", res.status)
	}
	res := sh.do(t, postForm(sh.path("/publish"), url.Values{"version": {strconv.Itoa(s.Version)}}), http.StatusSeeOther)
	res = sh.as(t, sh.admin, get(res.header.Get("Location")))
	wantContains(t, res.body, zh("summary.flash.published"), `href="`+publicPath+`"`,
		sh.srv.cat.Translator(i18n.ZhCN).T("summary.status.published"), `action="`+sh.path("/unpublish")+`"`)
	wantAbsent(t, res.body, `action="`+sh.path("/compose")+`"`)
	if res := sh.as(t, nil, get(publicPath)); res.status != http.StatusOK || !strings.Contains(res.body, html.EscapeString(s.ZH.Title)) {
		t.Fatalf("public page once published: %d", res.status)
	}
	if _, err := sh.db.PublishedSummaryBySlug(t.Context(), sh.slug); err != nil {
		t.Fatalf("published summary: %v", err)
	}

	// A second publish with the old version: someone else moved on.
	res = sh.do(t, postForm(sh.path("/publish"), url.Values{"version": {strconv.Itoa(s.Version)}}), http.StatusConflict)
	wantContains(t, res.body, zh("summary.err.stale"))
	// Composing a published summary is refused.
	res = sh.do(t, postForm(sh.path("/compose"), url.Values{"overwrite": {"1"}}), http.StatusConflict)
	wantContains(t, res.body, zh("summary.err.published"))

	s = sh.summary(t)
	sh.do(t, postForm(sh.path("/unpublish"), url.Values{"version": {strconv.Itoa(s.Version)}}), http.StatusSeeOther)
	if res := sh.as(t, nil, get(publicPath)); res.status != http.StatusNotFound {
		t.Errorf("public page once unpublished: %d", res.status)
	}
	// Unpublishing a draft is no step.
	s = sh.summary(t)
	res = sh.do(t, postForm(sh.path("/unpublish"), url.Values{"version": {strconv.Itoa(s.Version)}}), http.StatusConflict)
	wantContains(t, res.body, zh("summary.err.illegal_step"))

	t.Run("MissingEnglishRefused", func(t *testing.T) {
		in := s.Input()
		in.EN = portal.SummaryText{}
		sh.do(t, postForm(sh.path(""), sumForm(in, s.Version)), http.StatusSeeOther)
		s := sh.summary(t)
		res := sh.do(t, postForm(sh.path("/publish"), url.Values{"version": {strconv.Itoa(s.Version)}}), http.StatusUnprocessableEntity)
		wantContains(t, res.body, zh("summary.show.missing"), zh("summary.err.title_en_required"), zh("summary.err.body_en_required"),
			`href="`+sh.path("/edit")+`#f-title_en"`)
		wantAbsent(t, res.body, zh("summary.err.title_zh_required"))
		if cur := sh.summary(t); cur.Status != portal.SummaryDraft || cur.Version != s.Version {
			t.Errorf("a refused publish changed the summary: %+v", cur)
		}
	})

	want := []string{portal.AuditSummaryComposed, portal.AuditSummaryPublished, portal.AuditSummaryUnpublished, portal.AuditSummarySaved}
	if got := sh.audits(t); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("audit = %v, want %v", got, want)
	}
}

func TestSummaryPreview(t *testing.T) {
	t.Parallel()
	sh := newSumHarness(t, nil)
	sh.do(t, get(sh.path("/preview")), http.StatusNotFound) // nothing to preview yet
	s := sh.compose(t)
	in := s.Input()
	in.ZH.Body += "\n## 预览小标题\n\n- 预览列表项\n"
	in.EN.Body += "\n## Preview heading\n\n- Preview item\n"
	sh.do(t, postForm(sh.path(""), sumForm(in, s.Version)), http.StatusSeeOther)

	for _, c := range []struct {
		lang  i18n.Locale
		title string
		body  []string
	}{
		{i18n.ZhCN, s.ZH.Title, []string{"<h2>预览小标题</h2>", "<li>预览列表项</li>"}},
		{i18n.En, s.EN.Title, []string{"<h2>Preview heading</h2>", "<li>Preview item</li>"}},
	} {
		res := sh.do(t, get(sh.path("/preview?lang="+string(c.lang))), http.StatusOK)
		wantContains(t, res.body, sh.tr(c.lang, "public.summary.preview"), html.EscapeString(c.title),
			`<meta name="robots" content="noindex">`)
		wantContains(t, res.body, c.body...)
		if cc := res.header.Get("Cache-Control"); !strings.Contains(cc, "no-store") || !strings.Contains(cc, "private") {
			t.Errorf("%s preview: Cache-Control %q", c.lang, cc)
		}
		if got := res.header.Get("X-Robots-Tag"); got != "noindex" {
			t.Errorf("%s preview: X-Robots-Tag %q", c.lang, got)
		}
		wantAbsent(t, res.body, `rel="canonical"`)
	}
	// The draft is still not public.
	if res := sh.as(t, nil, get(public.PublicSessionPath(sh.slug))); res.status != http.StatusNotFound {
		t.Errorf("public page of a previewed draft: %d", res.status)
	}
}

func TestSummaryCover(t *testing.T) {
	t.Parallel()
	// A small body cap: an upload gets through only as an upload route.
	sh := newSumHarness(t, map[string]string{"PORTAL_MAX_BODY_BYTES": "4096", "PORTAL_MAX_UPLOAD_BYTES": "65536"})
	zh := func(key string, kv ...any) string { return sh.tr(i18n.ZhCN, key, kv...) }
	s := sh.compose(t)
	cover := sh.path("/cover")

	res := sh.do(t, get(sh.path("/edit")), http.StatusOK)
	wantContains(t, res.body, `enctype="multipart/form-data"`, `action="`+cover+`"`, `id="f-cover"`,
		`id="f-cover_new_alt_zh"`, `accept="image/png,image/jpeg,image/gif,image/webp"`, zh("summary.cover.none"))
	wantAbsent(t, res.body, `id="f-cover_alt_zh"`) // no cover, no alt text in the text form
	sh.do(t, get(cover), http.StatusNotFound)

	t.Run("HTMLRefusedByContent", func(t *testing.T) {
		page := []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")
		res := sh.do(t, coverUpload(t, cover, s.Version, "cover.png", page, "图", "Picture"), http.StatusUnprocessableEntity)
		wantContains(t, res.body, zh("summary.err.cover_type"), `value="图"`, `value="Picture"`)
		if cur := sh.summary(t); cur.HasCover || cur.Version != s.Version {
			t.Errorf("an HTML cover was stored: %+v", cur)
		}
	})

	t.Run("AltTextRequired", func(t *testing.T) {
		res := sh.do(t, coverUpload(t, cover, s.Version, "cover.png", sumPNG(t, 2, false), "", " "), http.StatusUnprocessableEntity)
		wantContains(t, res.body, zh("summary.err.cover_alt_zh_required"), zh("summary.err.cover_alt_en_required"),
			`href="#f-cover_new_alt_zh"`)
		res = sh.do(t, coverUpload(t, cover, s.Version, "", nil, "", ""), http.StatusUnprocessableEntity)
		wantContains(t, res.body, zh("summary.err.cover_empty"), zh("summary.err.cover_alt_zh_required"))
	})

	t.Run("TooLarge", func(t *testing.T) {
		// Just over the limit, past the raised cap, well past it: the edit
		// page every time, signed in, the limit named; the alt texts are
		// kept where they came before the file.
		for _, size := range []int{65536 + 100, 4096 + 65536 + 1, 12 << 20} {
			res := sh.do(t, coverUpload(t, cover, s.Version, "big.png", bytes.Repeat([]byte{1}, size), "图", "Picture"), http.StatusRequestEntityTooLarge)
			wantContains(t, res.body, zh("summary.cover.too_large", "Size", "64 KB"), `action="/logout"`,
				`id="f-cover-error"`, `value="图"`, `value="Picture"`, `enctype="multipart/form-data"`)
			wantAbsent(t, res.body, zh("error.413.title"))
		}
		if cur := sh.summary(t); cur.HasCover || cur.Version != s.Version {
			t.Errorf("a cover over the limit was stored: %+v", cur)
		}
	})

	img := sumPNG(t, 90, true) // about 32 KB: over the body cap, under the upload cap
	if len(img) <= 4096 || len(img) >= 65536 {
		t.Fatalf("test image of %d bytes", len(img))
	}
	res = sh.do(t, coverUpload(t, cover, s.Version, "cover.png", img, "会场照片", "The meeting room"), http.StatusSeeOther)
	if loc := res.header.Get("Location"); loc != sh.path("/edit")+"#cover" {
		t.Errorf("upload went to %q", loc)
	}
	s = sh.summary(t)
	if !s.HasCover || s.CoverType != portal.TypePNG || s.CoverAltEN != "The meeting room" {
		t.Fatalf("after upload: %+v", s)
	}
	res = sh.do(t, get(cover), http.StatusOK)
	if res.body != string(img) || res.header.Get("Content-Type") != portal.TypePNG ||
		res.header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(res.header.Get("Cache-Control"), "no-store") ||
		res.header.Get("Content-Security-Policy") != downloadPolicy {
		t.Errorf("cover: %d bytes, headers %v", len(res.body), res.header)
	}
	res = sh.do(t, get(sh.path("/edit")), http.StatusOK)
	wantContains(t, res.body, `alt="会场照片"`, `id="f-cover_alt_zh"`, `value="The meeting room"`, `href="`+cover+`/delete"`)
	wantAbsent(t, res.body, `action="`+cover+`/delete"`) // removing asks first
	res = sh.do(t, get(sh.path("/preview?lang=en")), http.StatusOK)
	wantContains(t, res.body, `src="`+adminSummaryCoverURL(sh.session, s.CoverSHA256)+`"`, `alt="The meeting room"`)

	sh.do(t, postForm(cover+"/delete", url.Values{"version": {strconv.Itoa(s.Version - 1)}}), http.StatusConflict)
	sh.do(t, postForm(cover+"/delete", url.Values{"version": {strconv.Itoa(s.Version)}}), http.StatusSeeOther)
	if cur := sh.summary(t); cur.HasCover {
		t.Errorf("cover still there: %+v", cur)
	}
	want := []string{portal.AuditSummaryComposed, portal.AuditSummaryCoverSet, portal.AuditSummaryCoverRemoved}
	if got := sh.audits(t); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("audit = %v, want %v", got, want)
	}
}

// Removing the cover asks first: the confirmation page shows the image that
// will be gone and changes nothing; its button removes it.
func TestSummaryCoverDeleteConfirm(t *testing.T) {
	t.Parallel()
	sh := newSumHarness(t, nil)
	s := sh.compose(t)
	confirm := sh.path("/cover/delete")
	res := sh.do(t, get(confirm), http.StatusSeeOther) // no cover: back to the edit page
	if loc := res.header.Get("Location"); loc != sh.path("/edit")+"#cover" {
		t.Errorf("without a cover the confirmation went to %q", loc)
	}
	img := sumPNG(t, 2, false)
	s, err := sh.db.SetSummaryCover(t.Context(), portal.Actor{RequestID: "confirm"}, sh.session, img, "会场照片", "The meeting room", s.Version)
	if err != nil {
		t.Fatal(err)
	}
	before := sh.audits(t)

	res = sh.do(t, get(confirm), http.StatusOK)
	wantContains(t, res.body,
		`src="`+adminSummaryCoverURL(sh.session, s.CoverSHA256)+`"`, `alt="会场照片"`,
		sh.tr(i18n.ZhCN, "summary.cover.confirm.body", "Format", "PNG", "Size", ui.FileSize(sh.srv.cat.Translator(i18n.ZhCN), int64(len(img)))),
		sh.tr(i18n.ZhCN, "summary.cover.confirm.alt", "Alt", "会场照片"),
		sh.tr(i18n.ZhCN, "summary.cover.confirm.draft"),
		`action="`+confirm+`"`, `name="version" value="`+strconv.Itoa(s.Version)+`"`,
		`href="`+sh.path("/edit")+`#cover"`)
	res = sh.do(t, get(confirm+"?lang=en"), http.StatusOK)
	wantContains(t, res.body, `alt="The meeting room"`, sh.tr(i18n.En, "summary.cover.confirm.submit"),
		sh.tr(i18n.En, "summary.cover.confirm.cancel"))
	if cur := sh.summary(t); !cur.HasCover || cur.Version != s.Version {
		t.Errorf("the confirmation changed the summary: %+v", cur)
	}
	if got := sh.audits(t); len(got) != len(before) {
		t.Errorf("the confirmation was audited: %v", got)
	}

	sh.do(t, postForm(confirm, url.Values{"version": {strconv.Itoa(s.Version)}}), http.StatusSeeOther)
	if cur := sh.summary(t); cur.HasCover {
		t.Errorf("cover still there: %+v", cur)
	}
}

// XSS payloads in every field stay text on every admin page.
func TestSummaryXSS(t *testing.T) {
	t.Parallel()
	sh := newSumHarness(t, nil)
	s := sh.compose(t)
	const payload = `<script>alert(1)</script>"><img src=x onerror=alert(1)>`
	const link = `[click](javascript:alert(1)) <a href="javascript:alert(2)">a</a>`
	cover, err := sh.db.SetSummaryCover(t.Context(), portal.Actor{RequestID: "xss"}, sh.session, sumPNG(t, 2, false), payload, payload, s.Version)
	if err != nil {
		t.Fatal(err)
	}
	in := portal.SummaryInput{
		ZH:         portal.SummaryText{Title: payload, Lead: payload, Body: payload + "\n\n" + link},
		EN:         portal.SummaryText{Title: payload, Lead: payload, Body: payload + "\n\n" + link},
		CoverAltZH: payload, CoverAltEN: payload,
	}
	sh.do(t, postForm(sh.path(""), sumForm(in, cover.Version)), http.StatusSeeOther)
	n := sh.summary(t).Version
	// A stale save shows the saved payload in the conflict box.
	for _, path := range []string{"", "/edit", "/versions", "/versions/" + strconv.Itoa(n), "/preview?lang=en", "/preview"} {
		res := sh.do(t, get(sh.path(path)), http.StatusOK)
		wantAbsent(t, res.body, "<script>alert", "<img src=x", `href="javascript:`, "onerror=alert(1)>")
	}
	res := sh.do(t, postForm(sh.path(""), sumForm(in, n-1)), http.StatusConflict)
	wantAbsent(t, res.body, "<script>alert", "<img src=x", `href="javascript:`)
	// Composing over the edit shows both texts in the diff.
	res = sh.do(t, postForm(sh.path("/compose"), url.Values{}), http.StatusOK)
	wantAbsent(t, res.body, "<script>alert", "<img src=x", `href="javascript:`)
	wantContains(t, res.body, html.EscapeString("<script>alert(1)</script>"))
}

// Labels and flashes are handed over as keys, not literal T calls: check
// them here.
func TestSummaryKeys(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	keys := append(summary.SummaryFieldLabels(), "summary.flash.composed", "summary.flash.saved", "summary.flash.saved_live",
		"summary.flash.published", "summary.flash.unpublished", "summary.flash.cover_set", "summary.flash.cover_removed",
		"summary.cover.too_large", "summary.cover.alt_hint", "summary.cover.file_hint", "summary.edit.lead_hint",
		"summary.edit.body_hint")
	for _, l := range i18n.Locales {
		known := map[string]bool{}
		for _, k := range cat.Keys(l) {
			known[k] = true
		}
		for _, k := range keys {
			if !known[k] {
				t.Errorf("%s: key %q missing", l, k)
			}
		}
	}
}

func TestSummaryMarkup(t *testing.T) {
	t.Parallel()
	sh := newSumHarness(t, nil)
	pages := map[string]func() response{}
	add := func(name string, status int, r func() *http.Request) {
		for _, lang := range []string{"zh-CN", "en"} {
			pages[name+"/"+lang] = func() response {
				req := r()
				req.Header.Set("Accept-Language", lang)
				return sh.do(t, req, status)
			}
		}
	}
	for _, lang := range []string{"zh-CN", "en"} {
		t.Run("None/"+lang, func(t *testing.T) {
			checkMarkup(t, sh.do(t, get(sh.path(""), "Accept-Language", lang), http.StatusOK).body)
			checkMarkup(t, sh.do(t, get(sh.path("/edit"), "Accept-Language", lang), http.StatusOK).body)
		})
	}
	s := sh.compose(t)
	s, err := sh.db.SetSummaryCover(t.Context(), portal.Actor{RequestID: "markup"}, sh.session, sumPNG(t, 2, false), "图", "Picture", s.Version)
	if err != nil {
		t.Fatal(err)
	}
	edited := s.Input()
	edited.ZH.Body += "\n新增一行。\n"
	sh.do(t, postForm(sh.path(""), sumForm(edited, s.Version)), http.StatusSeeOther)
	invalid := edited
	invalid.CoverAltEN = ""
	add("Show", http.StatusOK, func() *http.Request { return get(sh.path("")) })
	add("Edit", http.StatusOK, func() *http.Request { return get(sh.path("/edit")) })
	add("EditInvalid", http.StatusUnprocessableEntity, func() *http.Request { return postForm(sh.path(""), sumForm(invalid, s.Version+1)) })
	add("EditConflict", http.StatusConflict, func() *http.Request { return postForm(sh.path(""), sumForm(edited, s.Version)) })
	add("CoverInvalid", http.StatusUnprocessableEntity, func() *http.Request {
		return coverUpload(t, sh.path("/cover"), s.Version+1, "x.png", []byte("<html>"), "", "")
	})
	add("ComposeConfirm", http.StatusOK, func() *http.Request { return postForm(sh.path("/compose"), url.Values{}) })
	add("Versions", http.StatusOK, func() *http.Request { return get(sh.path("/versions")) })
	add("Version", http.StatusOK, func() *http.Request { return get(sh.path("/versions/3")) })
	add("FirstVersion", http.StatusOK, func() *http.Request { return get(sh.path("/versions/1")) })
	add("Preview", http.StatusOK, func() *http.Request { return get(sh.path("/preview")) })
	for name, page := range pages {
		t.Run(name, func(t *testing.T) { checkMarkup(t, page().body) })
	}
	// Publish refused for a missing English description of the cover.
	if _, err := sh.db.Pool().Exec(t.Context(), `UPDATE summaries SET title_en = '' WHERE session_id = $1`, sh.session); err != nil {
		t.Fatal(err)
	}
	res := sh.do(t, postForm(sh.path("/publish"), url.Values{"version": {strconv.Itoa(s.Version + 1)}}), http.StatusUnprocessableEntity)
	checkMarkup(t, res.body)
}
