package publicjourney

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"ngoportal/internal/browsertest"
)

func TestHomeSwitchLanguage(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortal(t)
	ctx := browsertest.NewBrowser(t, browsertest.Options{Lang: "zh-CN"})

	browsertest.Navigate(t, ctx, p.URL+"/")
	browsertest.WantPage(t, ctx, "zh-CN", "女性社会组织工作平台", "2021年1月19日", "主席 徐枫", "副主席 翁文磊", "副主席 王剑璋")
	browsertest.CheckAccessibility(t, ctx, "home zh-CN")
	browsertest.Screenshot(t, ctx, "home-zh")

	browsertest.ClickAndWait(t, ctx, `.lang-switch button[value="en"]`)
	browsertest.WantPage(t, ctx, "en", "Women's NGO Portal", "19 January 2021", "Chairperson Xu Feng", "Vice Chairperson Weng Wenlei")
	browsertest.CheckAccessibility(t, ctx, "home en")
	browsertest.Screenshot(t, ctx, "home-en")

	// The choice sticks: another page is in English too.
	browsertest.Navigate(t, ctx, p.URL+"/no-such-page")
	browsertest.WantPage(t, ctx, "en", "Page not found")
	browsertest.CheckAccessibility(t, ctx, "404 en")

	browsertest.ClickAndWait(t, ctx, `.lang-switch button[value="zh-CN"]`)
	browsertest.WantPage(t, ctx, "zh-CN", "页面不存在")
	browsertest.CheckAccessibility(t, ctx, "404 zh-CN")
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.HasSuffix(loc, "/no-such-page") {
		t.Errorf("after switching, the reader is at %q, want the same page", loc)
	}
}

func TestHomeEnglishBrowser(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortal(t)
	ctx := browsertest.NewBrowser(t, browsertest.Options{Lang: "en-US"})
	browsertest.Navigate(t, ctx, p.URL+"/")
	browsertest.WantPage(t, ctx, "en", "Women's NGO Portal", "Shanghai Women's Federation")
}

func TestHomeOnPhone(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortal(t)
	for _, lang := range []string{"zh-CN", "en"} {
		t.Run(lang, func(t *testing.T) {
			ctx := browsertest.NewBrowser(t, browsertest.Options{Lang: lang, Width: 390, Height: 844})
			browsertest.Navigate(t, ctx, p.URL+"/")
			if n := browsertest.HorizontalOverflow(t, ctx); n > 0 {
				t.Errorf("the page is %d px wider than a phone", n)
			}
			browsertest.CheckAccessibility(t, ctx, "home on a phone "+lang)
			browsertest.Screenshot(t, ctx, "home-phone-"+lang)
		})
	}
}

func TestHomeWithoutJavaScript(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortal(t)
	ctx := browsertest.NewBrowser(t, browsertest.Options{Lang: "zh-CN"})
	if _, err := chromedp.Run(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})); err != nil {
		t.Fatalf("disable JavaScript: %v", err)
	}
	browsertest.Navigate(t, ctx, p.URL+"/")
	browsertest.WantPage(t, ctx, "zh-CN", "女性社会组织工作平台")
	browsertest.ClickAndWait(t, ctx, `.lang-switch button[value="en"]`)
	browsertest.WantPage(t, ctx, "en", "Women's NGO Portal", "19 January 2021")
}
