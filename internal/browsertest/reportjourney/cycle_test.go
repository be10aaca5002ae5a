package reportjourney

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ngoportal/internal/browsertest"
	"ngoportal/internal/demo"
)

// cySet sets form controls' values by CSS selector: for date and select
// controls, whose typing differs between locales.
func cySet(t *testing.T, ctx context.Context, values [][2]string) {
	t.Helper()
	for _, kv := range values {
		if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(kv[0]), kv[1])); err != nil {
			t.Fatalf("set %s: %v", kv[0], err)
		}
	}
}

// cyOptionValue is the value of the first option of select sel whose
// label contains label.
func cyOptionValue(t *testing.T, ctx context.Context, sel, label string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`(Array.from(document.querySelectorAll(`+"`"+sel+` option`+"`"+`)).find(o => o.textContent.includes(`+"`"+label+"`"+`)) || {value: ""}).value`))
	if err != nil || v == "" {
		t.Fatalf("no option %q in %s: %v", label, sel, err)
	}
	return v
}

// cycleWords are the words the cycle journey expects, per language.
type cycleWords struct {
	listTitle, newTitle, yearRequired, errorSummary, created, newCycle string
	extGranted, ngo, reason, vocabTitle, newTheme, themeAdded, theme   string
	session, ngoRequired, nameRequired                                 string
}

// An admin opens a reporting cycle tied to a session (after a refused first
// try), grants one NGO a later deadline, and adds a theme to the
// federation's vocabulary. Every page on the way passes axe and fits a
// phone, in Chinese and in English.
func TestCycleJourney(t *testing.T) {
	t.Parallel()
	zh := cycleWords{
		listTitle: "报告周期", newTitle: "开启报告周期", yearRequired: "请填写总结年度", errorSummary: "请修改以下内容后再提交",
		created: "报告周期已开启。", newCycle: "2027年工作总结和2028年工作计划",
		extGranted: "延期已批准。", ngo: "上海市女律师联谊会", reason: "负责人出国交流，报告延后提交",
		vocabTitle: "主题与重点项目", newTheme: "添加主题", themeAdded: "主题已添加。", theme: "乡村振兴巾帼行动",
		session: "2028年浏览器测试会议", ngoRequired: "请选择社会组织", nameRequired: "请填写中文名称",
	}
	en := cycleWords{
		listTitle: "Reporting cycles", newTitle: "Open a reporting cycle", yearRequired: "Enter the year under review",
		errorSummary: "Please correct the following", created: "The reporting cycle has been opened.",
		newCycle: "Work of 2027, plans for 2028", extGranted: "The extension has been granted.",
		ngo: "Shanghai Women Lawyers Fellowship", reason: "负责人出国交流，报告延后提交",
		vocabTitle: "Themes and key projects", newTheme: "Add a theme", themeAdded: "The theme has been added.",
		theme: "Women in rural revitalisation", session: "2028 browser test session",
		ngoRequired: "Choose the NGO that gets the extension", nameRequired: "Enter the name in Chinese",
	}
	cases := []struct {
		name          string
		lang          string
		width, height int
		w             cycleWords
	}{
		{"desktop-zh", "zh-CN", 1280, 900, zh},
		{"phone-zh", "zh-CN", 390, 844, zh},
		{"desktop-en", "en", 1280, 900, en},
		{"phone-en", "en", 390, 844, en},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := browsertest.StartPortal(t)
			if _, err := p.DB.Pool().Exec(t.Context(), `
				INSERT INTO sessions (slug, title_zh, title_en, level, held_on)
				VALUES ('2028-browser-test', '2028年浏览器测试会议', '2028 browser test session', 'municipal', '2028-01-18')`); err != nil {
				t.Fatal(err)
			}
			ctx := browsertest.NewBrowser(t, browsertest.Options{Lang: tc.lang, Width: tc.width, Height: tc.height})
			phone := tc.width < 600
			w := tc.w

			browsertest.SignIn(t, ctx, p.URL, demo.AdminEmail, demo.Password)
			if loc := browsertest.Location(t, ctx); !strings.Contains(loc, "/admin") {
				t.Fatalf("the admin landed on %s", loc)
			}
			browsertest.ClickAndWait(t, ctx, `main a[href="/admin/cycles"]`)
			browsertest.WantPage(t, ctx, tc.lang, w.listTitle)
			browsertest.CheckPage(t, ctx, "cycle list "+tc.name, phone)

			// Opening a cycle: refused without a year, then accepted.
			browsertest.ClickAndWait(t, ctx, `main a[href="/admin/cycles/new"]`)
			browsertest.WantPage(t, ctx, tc.lang, w.newTitle)
			browsertest.CheckPage(t, ctx, "cycle form "+tc.name, phone)
			browsertest.ClickAndWait(t, ctx, `form.stack button.primary`)
			browsertest.WantPage(t, ctx, tc.lang, w.newTitle, w.yearRequired)
			if s := browsertest.Text(t, ctx, ".error-summary"); !strings.Contains(s, w.errorSummary) {
				t.Errorf("error summary = %q", s)
			}
			browsertest.CheckPage(t, ctx, "cycle form errors "+tc.name, phone)
			browsertest.Fill(t, ctx, [][2]string{{"#f-review_year", "2027"}})
			cySet(t, ctx, [][2]string{
				{"#f-opens_on", "2027-11-01"}, {"#f-deadline", "2028-01-07"},
				{"#f-session", cyOptionValue(t, ctx, "#f-session", w.session)}, {"#f-status", "open"},
			})
			browsertest.ClickAndWait(t, ctx, `form.stack button.primary`)
			browsertest.WantPage(t, ctx, tc.lang, w.newCycle, w.created, w.session)
			browsertest.CheckPage(t, ctx, "cycle page "+tc.name, phone)
			var tied int
			if err := p.DB.Pool().QueryRow(t.Context(), `
				SELECT count(*) FROM sessions s JOIN reporting_cycles c ON c.id = s.cycle_id
				WHERE s.slug = '2028-browser-test' AND c.review_year = 2027`).Scan(&tied); err != nil || tied != 1 {
				t.Errorf("the session is not tied to the new cycle (%d, %v)", tied, err)
			}

			// An extension for one NGO: refused without one, then granted.
			browsertest.ClickAndWait(t, ctx, `form[action$="/extensions"] button.primary`)
			browsertest.WantPage(t, ctx, tc.lang, w.newCycle, w.ngoRequired)
			browsertest.CheckPage(t, ctx, "cycle page extension errors "+tc.name, phone)
			cySet(t, ctx, [][2]string{{"#f-ngo", cyOptionValue(t, ctx, "#f-ngo", w.ngo)}, {"#f-deadline", "2028-01-20"}})
			browsertest.Fill(t, ctx, [][2]string{{"#f-reason", w.reason}})
			browsertest.ClickAndWait(t, ctx, `form[action$="/extensions"] button.primary`)
			browsertest.WantPage(t, ctx, tc.lang, w.newCycle, w.extGranted, w.ngo, w.reason)
			browsertest.CheckPage(t, ctx, "cycle page with extension "+tc.name, phone)

			// The edit form of the cycle.
			browsertest.ClickAndWait(t, ctx, `main a[href$="/edit"]`)
			browsertest.CheckPage(t, ctx, "cycle edit form "+tc.name, phone)

			// The list now shows it first.
			browsertest.Navigate(t, ctx, p.URL+"/admin/cycles")
			if first := browsertest.Text(t, ctx, "main table tbody tr:first-child th"); first != w.newCycle {
				t.Errorf("the list's first cycle is %q, want %q", first, w.newCycle)
			}

			// The vocabulary: add a theme.
			browsertest.Navigate(t, ctx, p.URL+"/admin/vocabulary")
			browsertest.WantPage(t, ctx, tc.lang, w.vocabTitle)
			browsertest.CheckPage(t, ctx, "vocabulary "+tc.name, phone)
			browsertest.ClickAndWait(t, ctx, `main a[href="/admin/vocabulary/themes/new"]`)
			browsertest.WantPage(t, ctx, tc.lang, w.newTheme)
			browsertest.CheckPage(t, ctx, "theme form "+tc.name, phone)
			browsertest.ClickAndWait(t, ctx, `form.stack button.primary`)
			browsertest.WantPage(t, ctx, tc.lang, w.newTheme, w.nameRequired)
			browsertest.CheckPage(t, ctx, "theme form errors "+tc.name, phone)
			browsertest.Fill(t, ctx, [][2]string{{"#f-name_zh", "乡村振兴巾帼行动"}, {"#f-name_en", "Women in rural revitalisation"}})
			browsertest.ClickAndWait(t, ctx, `form.stack button.primary`)
			browsertest.WantPage(t, ctx, tc.lang, w.vocabTitle, w.themeAdded, w.theme)
			browsertest.CheckPage(t, ctx, "vocabulary after adding "+tc.name, phone)
		})
	}
}
