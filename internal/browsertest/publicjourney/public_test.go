package publicjourney

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"testing"

	"ngoportal/internal/browsertest"
	"ngoportal/internal/demo"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// publishTestSummary publishes a summary of a session of its own (so the
// test holds whether or not the demo publishes one), with a Markdown body
// using headings, a list, a table and a link, and a cover image.
func publishTestSummary(t *testing.T, db *postgres.DB, slug string) {
	t.Helper()
	ctx := t.Context()
	a := portal.Actor{RequestID: "browsertest-public"}
	if err := db.Pool().QueryRow(ctx, `SELECT id, email FROM users WHERE email = $1`, demo.AdminEmail).
		Scan(&a.UserID, &a.Email); err != nil {
		t.Fatal(err)
	}
	var session int64
	if err := db.Pool().QueryRow(ctx, `
		INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status)
		VALUES ($1, '2031年女性社会组织负责人会议', 'Women''s NGO leadership session 2031', 'municipal', '2031-01-19', 'held')
		RETURNING id`, slug).Scan(&session); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`INSERT INTO session_officials (session_id, official_id) SELECT $1, id FROM officials`,
		`INSERT INTO invitations (session_id, ngo_id, reply, attendance) SELECT $1, id, 'confirmed', 'present' FROM ngos`,
		`INSERT INTO session_requests (session_id, number, text_zh, text_en, made_by)
		 SELECT $1, 1, '拓宽本市女性发展的指导服务平台。', 'Broaden the guidance and service platform for women''s development.', id
		 FROM officials WHERE position = 'chairperson' ORDER BY id LIMIT 1`,
	} {
		if _, err := db.Pool().Exec(ctx, sql, session); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	body := func(h1, li, cell, link string) string {
		return "## " + h1 + "\n\n- " + li + "\n- " + li + "（二）\n\n| " + cell + " | 2020 |\n|---|---|\n| " + cell + " | 18 |\n\n[" + link + "](https://www.example.org/)\n"
	}
	s, err := db.SaveSummary(ctx, a, session, portal.SummaryInput{
		ZH: portal.SummaryText{Title: "市妇联召开2031年女性社会组织负责人会议", Lead: "各组织交流了一年来的工作，线上线下开展了系列讲座。",
			Body: body("工作回顾", "线上线下系列讲座", "活动", "联合会网站")},
		EN: portal.SummaryText{Title: "Federation holds the 2031 women's NGO leadership session", Lead: "The NGOs shared a year of lectures online and offline.",
			Body: body("The year in review", "lectures online and offline", "Activities", "the federation's website")},
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 1600, 600))
	for x := range 1600 {
		img.Set(x, x%600, color.RGBA{R: 140, G: 29, B: 64, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if s, err = db.SetSummaryCover(ctx, a, session, b.Bytes(), "会场全景", "The meeting hall", s.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PublishSummary(ctx, a, session, s.Version); err != nil {
		t.Fatal(err)
	}
}

// Every public page type passes axe-core in both languages, on a desktop
// window and on a phone, where it also fits the screen; the footer shows
// every contact and the filing number.
func TestPublicPagesAccessible(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortalWith(t, map[string]string{
		"PORTAL_CONTACT_PHONE":      "021-6248 0000",
		"PORTAL_CONTACT_EMAIL":      "portal-office@example.org",
		"PORTAL_CONTACT_ADDRESS_ZH": "上海市静安区示例路 100 号",
		"PORTAL_CONTACT_ADDRESS_EN": "100 Example Road, Jing'an District, Shanghai",
		"PORTAL_FOOTER_ICP":         "沪ICP备12345678号",
	})

	const slug = "browser-public-2031"
	publishTestSummary(t, p.DB, slug)
	pages := []struct{ name, path string }{
		{"home", "/"},
		{"sessions", "/sessions"},
		{"summary", "/sessions/" + slug},
		{"ngos", "/ngos"},
		{"ngo", "/ngos/women-lawyers"},
		{"search", "/search?q=" + url.QueryEscape("讲座")},
		{"search-en", "/search?q=lectures"},
		{"search-none", "/search?q=" + url.QueryEscape("不存在的词语")},
		{"privacy", "/privacy"},
		{"accessibility", "/accessibility"},
	}
	for _, size := range []struct {
		name          string
		width, height int
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		for _, lang := range []string{"zh-CN", "en"} {
			t.Run(size.name+"/"+lang, func(t *testing.T) {
				ctx := browsertest.NewBrowser(t, browsertest.Options{Lang: lang, Width: size.width, Height: size.height})
				for _, pg := range pages {
					browsertest.Navigate(t, ctx, p.URL+pg.path)
					if got := browsertest.HTMLLang(t, ctx); got != lang {
						t.Errorf("%s: html lang %q", pg.name, got)
					}
					if h1 := browsertest.Text(t, ctx, "h1"); h1 == "" {
						t.Errorf("%s: empty h1", pg.name)
					}
					browsertest.CheckAccessibility(t, ctx, pg.name+" "+lang+" "+size.name)
					if size.width < 500 {
						if n := browsertest.HorizontalOverflow(t, ctx); n > 0 {
							t.Errorf("%s %s: %d px wider than a phone", pg.name, lang, n)
						}
					}
					browsertest.Screenshot(t, ctx, "public-"+pg.name+"-"+lang+"-"+size.name)
				}
			})
		}
	}
}

// The ?lang= address shows its language whatever the browser's, and the
// switcher brings the reader back to the same summary in the other one.
func TestPublicLanguageSwitch(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortal(t)
	const slug = "browser-public-2031"
	publishTestSummary(t, p.DB, slug)
	ctx := browsertest.NewBrowser(t, browsertest.Options{Lang: "zh-CN"})
	browsertest.Navigate(t, ctx, p.URL+"/sessions/"+slug+"?lang=en")
	browsertest.WantPage(t, ctx, "en", "Federation holds the 2031 women's NGO leadership session", "19 January 2031", "Chairperson Xu Feng")
	browsertest.ClickAndWait(t, ctx, `.lang-switch button[value="zh-CN"]`)
	browsertest.WantPage(t, ctx, "zh-CN", "市妇联召开2031年女性社会组织负责人会议", "2031年1月19日", "主席 徐枫")
	loc := browsertest.Location(t, ctx)
	if u, err := url.Parse(loc); err != nil || u.Path != "/sessions/"+slug || u.RawQuery != "" {
		t.Errorf("after switching, the reader is at %q", loc)
	}
	browsertest.ClickAndWait(t, ctx, `main a[href="/ngos/women-lawyers"]`)
	browsertest.WantPage(t, ctx, "zh-CN", "上海市女律师联谊会")
}

// A reader who arrives by an English address (a shared link, hreflang, the
// sitemap) stays in English on the next click, by the header's links or
// any other, and on an address typed without ?lang=.
func TestPublicLanguageSticks(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortal(t)
	const slug = "browser-public-2033"
	publishTestSummary(t, p.DB, slug)
	ctx := browsertest.NewBrowser(t, browsertest.Options{Lang: "zh-CN"})
	browsertest.Navigate(t, ctx, p.URL+"/sessions/"+slug+"?lang=en")
	browsertest.WantPage(t, ctx, "en", "Federation holds the 2031 women's NGO leadership session")
	browsertest.ClickAndWait(t, ctx, `.site-nav a[href^="/ngos"]`)
	browsertest.WantPage(t, ctx, "en", "Women's NGOs")
	browsertest.Navigate(t, ctx, p.URL+"/sessions")
	browsertest.WantPage(t, ctx, "en", "Session summaries")
}
