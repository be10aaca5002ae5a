package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ngoportal/internal/demo"
)

// On a phone a data table stacks each row's cells, each labelled by its
// column; the label ends with the colon of the page's language: "：" in
// Chinese, ": " in English.
func TestStackedTableLabelColon(t *testing.T) {
	p := StartPortal(t)
	for _, c := range []struct{ lang, want string }{{"zh-CN", `："`}, {"en", `: "`}} {
		t.Run(c.lang, func(t *testing.T) {
			ctx := NewBrowser(t, Options{Lang: c.lang, Width: 390, Height: 844})
			SignIn(t, ctx, p.URL, demo.AdminEmail, demo.Password)
			navigate(t, ctx, p.URL+"/admin/ngos")
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
