package reportjourney

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ngoportal/internal/browsertest"
	"ngoportal/internal/demo"
)

// The review board lists NGOs by name in the reader's language: Chinese by
// pinyin (教授 jiàoshòu, 律师 lǜshī, 医师 yīshī, which code-point order
// reverses), English alphabetically, accents aside (the physicians renamed
// "Shanghai Élite…" come first; code-point order, lower-cased or not, puts
// them last).
func TestReviewBoardNameOrder(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		lang, title string
		want        []string
	}{
		{"zh-CN", "2026年度工作报告审阅（2027年计划）",
			[]string{"上海市女教授联谊会", "上海市女律师联谊会", "上海市女医师协会"}},
		{"en", "Reports: work of 2026, plans for 2027",
			[]string{"Shanghai Élite Women Physicians Association", "Shanghai Women Lawyers Fellowship", "Shanghai Women Professors Fellowship"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			t.Parallel()
			p := browsertest.StartPortal(t)
			if _, err := p.DB.Pool().Exec(t.Context(),
				`UPDATE ngos SET name_en = 'Shanghai Élite Women Physicians Association' WHERE slug = 'women-physicians'`); err != nil {
				t.Fatal(err)
			}
			cycleID := rjOpenCycle(t, p)
			admin := rjSignIn(t, p, browsertest.Options{Lang: tc.lang, Width: 1280, Height: 900}, demo.AdminEmail, "/admin")
			browsertest.ClickAndWait(t, admin, `main a[href="/admin/cycles"]`)
			browsertest.ClickAndWait(t, admin, chromedp.CSS(fmt.Sprintf(`main a[href="/admin/cycles/%d"]`, cycleID)))
			browsertest.ClickAndWait(t, admin, chromedp.CSS(fmt.Sprintf(`main a[href="/admin/cycles/%d/reports"]`, cycleID)))
			browsertest.WantPage(t, admin, tc.lang, tc.title)
			names := rjTexts(t, admin, `main table.review-board tbody th[scope="row"]`)
			var got []string
			for _, n := range names {
				if slices.Contains(tc.want, n) {
					got = append(got, n)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("the board lists %q in the order %q, want %q; all rows: %q", tc.want, got, tc.want, names)
			}
		})
	}
}

// On a 390 px phone the board's counts take one compact line or two, not
// a screenful of cards, and the board can be sorted without the column
// headings (hidden on phones): through the filter form's sort controls,
// with scripts off.
func TestReviewBoardPhone(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortal(t)
	cycleID := rjOpenCycle(t, p)
	admin := rjSignIn(t, p, browsertest.Options{Lang: "zh-CN", Width: 390, Height: 844}, demo.AdminEmail, "/admin")
	browsertest.SetJavaScript(t, admin, false)
	browsertest.Navigate(t, admin, fmt.Sprintf("%s/admin/cycles/%d/reports", p.URL, cycleID))
	browsertest.WantPage(t, admin, "zh-CN", "2026年度工作报告审阅（2027年计划）")

	height, err := chromedp.Run(admin, chromedp.Evaluate[float64](`document.querySelector("ul.review-counts").getBoundingClientRect().height`))
	if err != nil {
		t.Fatal(err)
	}
	// Six counts: at most two lines of text (the cards took about 600 px).
	if height <= 0 || height > 64 {
		t.Errorf("the counts are %.0f px high on a phone, want one compact line or two (at most 64 px)", height)
	}
	if n := browsertest.Count(t, admin, `main table.review-board thead th a`); n == 0 {
		t.Fatal("the board has no sortable headings")
	}
	visible := func(sel string) bool {
		v, err := chromedp.Run(admin, chromedp.Evaluate[bool](`(() => { const e = document.querySelector(`+browsertest.JSString(sel)+`);
			return !!e && e.getBoundingClientRect().width > 0 && getComputedStyle(e).visibility !== "hidden"; })()`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if visible("main table.review-board thead") {
		t.Error("the table's headings show on a phone")
	}
	for _, sel := range []string{"#f-sort", "#f-dir", "form.filters button[type=submit]"} {
		if !visible(sel) {
			t.Errorf("%s is not visible on a phone", sel)
		}
	}
	if c := browsertest.Text(t, admin, "main table.review-board caption"); c != "本周期各组织报告（按组织名称升序排列）" {
		t.Errorf("the caption says %q", c)
	}
	browsertest.CheckPageNoJS(t, admin, "review board phone", true)

	ascending := rjTexts(t, admin, `main table.review-board tbody th[scope="row"]`)
	browsertest.SetValues(t, admin, [][2]string{{"#f-dir", "desc"}})
	browsertest.ClickAndWait(t, admin, "form.filters button[type=submit]")
	if loc := browsertest.Location(t, admin); !strings.Contains(loc, "dir=desc") || !strings.Contains(loc, "sort=name") {
		t.Errorf("sorting went to %s", loc)
	}
	descending := rjTexts(t, admin, `main table.review-board tbody th[scope="row"]`)
	slices.Reverse(descending)
	if len(ascending) < 2 || !slices.Equal(ascending, descending) {
		t.Errorf("descending is not ascending reversed: %q then %q", ascending, descending)
	}
	if c := browsertest.Text(t, admin, "main table.review-board caption"); c != "本周期各组织报告（按组织名称降序排列）" {
		t.Errorf("after sorting the caption says %q", c)
	}
	if v := browsertest.Value(t, admin, "#f-dir"); v != "desc" {
		t.Errorf("the order control shows %q after sorting", v)
	}
}
