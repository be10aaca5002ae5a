package browsertest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"ngoportal/internal/demo"
)

// The review board lists NGOs by name in the reader's language: Chinese by
// pinyin (教授 jiàoshòu, 律师 lǜshī, 医师 yīshī, which code-point order
// reverses), English alphabetically, accents aside (the physicians renamed
// "Shanghai Élite…" come first; code-point order, lower-cased or not, puts
// them last).
func TestReviewBoardNameOrder(t *testing.T) {
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
			p := StartPortal(t)
			if _, err := p.DB.Pool().Exec(t.Context(),
				`UPDATE ngos SET name_en = 'Shanghai Élite Women Physicians Association' WHERE slug = 'women-physicians'`); err != nil {
				t.Fatal(err)
			}
			cycleID := rjOpenCycle(t, p)
			admin := rjSignIn(t, p, Options{Lang: tc.lang, Width: 1280, Height: 900}, demo.AdminEmail, "/admin")
			clickAndWait(t, admin, `main a[href="/admin/cycles"]`)
			clickAndWait(t, admin, chromedp.CSS(fmt.Sprintf(`main a[href="/admin/cycles/%d"]`, cycleID)))
			clickAndWait(t, admin, chromedp.CSS(fmt.Sprintf(`main a[href="/admin/cycles/%d/reports"]`, cycleID)))
			wantPage(t, admin, tc.lang, tc.title)
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
