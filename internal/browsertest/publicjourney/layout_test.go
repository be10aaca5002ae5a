package publicjourney

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ngoportal/internal/browsertest"
	"ngoportal/internal/demo"
)

// On a phone a data table stacks each row's cells, each labelled by its
// column; the label ends with the colon of the page's language: "：" in
// Chinese, ": " in English.
func TestStackedTableLabelColon(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortal(t)
	for _, c := range []struct{ lang, want string }{{"zh-CN", `："`}, {"en", `: "`}} {
		t.Run(c.lang, func(t *testing.T) {
			ctx := browsertest.NewBrowser(t, browsertest.Options{Lang: c.lang, Width: 390, Height: 844})
			browsertest.SignIn(t, ctx, p.URL, demo.AdminEmail, demo.Password)
			browsertest.Navigate(t, ctx, p.URL+"/admin/ngos")
			content, err := chromedp.Run(ctx, chromedp.Evaluate[string](
				`getComputedStyle(document.querySelector("table.stack-on-phone td[data-label]"), "::before").content`))
			if err != nil {
				t.Fatal(err)
			}
			// computed: the label, quoted, e.g. "名称：" or "Name: "
			if !strings.HasSuffix(content, c.want) {
				t.Errorf("label content %s, want it to end %s", content, c.want)
			}
		})
	}
}

// On a phone the signed-in header (the bar with the language switch and
// signing out, the masthead, the navigation) takes at most 120 of 844 px,
// in both languages and for both roles, with sign-out in view and the page
// no wider than the phone.
func TestCompactHeaderOnPhone(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortal(t)
	for _, c := range []struct{ name, lang, email string }{
		{"AdminZH", "zh-CN", demo.AdminEmail},
		{"AdminEN", "en", demo.AdminEmail},
		{"StaffEN", "en", demo.StaffEmail(1)},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := browsertest.NewBrowser(t, browsertest.Options{Lang: c.lang, Width: 390, Height: 844})
			browsertest.SignIn(t, ctx, p.URL, c.email, demo.Password)
			browsertest.Navigate(t, ctx, p.URL+"/")
			height, err := chromedp.Run(ctx, chromedp.Evaluate[float64](
				`document.querySelector("header.site-header").getBoundingClientRect().height`))
			if err != nil {
				t.Fatal(err)
			}
			if height > 120 {
				t.Errorf("the signed-in header is %.0f px high on a phone, want at most 120", height)
			}
			visible, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
				const b = document.querySelector("form.signout button").getBoundingClientRect();
				return b.width > 0 && b.right <= window.innerWidth && b.bottom <= 120;
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			if !visible {
				t.Error("sign-out is not in view at the top of the phone's screen")
			}
			if n := browsertest.HorizontalOverflow(t, ctx); n > 0 {
				t.Errorf("the page is %d px wider than a phone", n)
			}
			browsertest.CheckAccessibility(t, ctx, "signed-in home on a phone "+c.name)
			browsertest.Screenshot(t, ctx, "header-phone-"+c.name)
		})
	}
}
