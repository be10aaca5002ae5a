package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// clickAndWait clicks and waits for the page that the click loads.
func clickAndWait(t *testing.T, ctx context.Context, sel chromedp.CSS) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(sel))); err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
}

func navigate(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("navigate %s: %v", url, err)
	}
}

func htmlLang(t *testing.T, ctx context.Context) string {
	t.Helper()
	a, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("html"), "lang"))
	if err != nil {
		t.Fatal(err)
	}
	return a.Value
}

func text(t *testing.T, ctx context.Context, sel chromedp.CSS) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func wantPage(t *testing.T, ctx context.Context, lang, h1 string, mainHas ...string) {
	t.Helper()
	if got := htmlLang(t, ctx); got != lang {
		t.Errorf("html lang = %q, want %q", got, lang)
	}
	if got := text(t, ctx, "h1"); got != h1 {
		t.Errorf("h1 = %q, want %q", got, h1)
	}
	body := text(t, ctx, "main")
	for _, s := range mainHas {
		if !strings.Contains(body, s) {
			t.Errorf("main lacks %q", s)
		}
	}
}

func TestHomeSwitchLanguage(t *testing.T) {
	p := StartPortal(t)
	ctx := NewBrowser(t, Options{Lang: "zh-CN"})

	navigate(t, ctx, p.URL+"/")
	wantPage(t, ctx, "zh-CN", "女性社会组织工作平台", "2021年1月19日", "主席 徐枫", "副主席 翁文磊", "副主席 王剑璋")
	CheckAccessibility(t, ctx, "home zh-CN")
	Screenshot(t, ctx, "home-zh")

	clickAndWait(t, ctx, `.lang-switch button[value="en"]`)
	wantPage(t, ctx, "en", "Women's NGO Portal", "19 January 2021", "Chairperson Xu Feng", "Vice Chairperson Weng Wenlei")
	CheckAccessibility(t, ctx, "home en")
	Screenshot(t, ctx, "home-en")

	// The choice sticks: another page is in English too.
	navigate(t, ctx, p.URL+"/no-such-page")
	wantPage(t, ctx, "en", "Page not found")
	CheckAccessibility(t, ctx, "404 en")

	clickAndWait(t, ctx, `.lang-switch button[value="zh-CN"]`)
	wantPage(t, ctx, "zh-CN", "页面不存在")
	CheckAccessibility(t, ctx, "404 zh-CN")
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.HasSuffix(loc, "/no-such-page") {
		t.Errorf("after switching, the reader is at %q, want the same page", loc)
	}
}

func TestHomeEnglishBrowser(t *testing.T) {
	p := StartPortal(t)
	ctx := NewBrowser(t, Options{Lang: "en-US"})
	navigate(t, ctx, p.URL+"/")
	wantPage(t, ctx, "en", "Women's NGO Portal", "Shanghai Women's Federation")
}

func TestHomeOnPhone(t *testing.T) {
	p := StartPortal(t)
	for _, lang := range []string{"zh-CN", "en"} {
		t.Run(lang, func(t *testing.T) {
			ctx := NewBrowser(t, Options{Lang: lang, Width: 390, Height: 844})
			navigate(t, ctx, p.URL+"/")
			if n := HorizontalOverflow(t, ctx); n > 0 {
				t.Errorf("the page is %d px wider than a phone", n)
			}
			CheckAccessibility(t, ctx, "home on a phone "+lang)
			Screenshot(t, ctx, "home-phone-"+lang)
		})
	}
}

func TestHomeWithoutJavaScript(t *testing.T) {
	p := StartPortal(t)
	ctx := NewBrowser(t, Options{Lang: "zh-CN"})
	if _, err := chromedp.Run(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})); err != nil {
		t.Fatalf("disable JavaScript: %v", err)
	}
	navigate(t, ctx, p.URL+"/")
	wantPage(t, ctx, "zh-CN", "女性社会组织工作平台")
	clickAndWait(t, ctx, `.lang-switch button[value="en"]`)
	wantPage(t, ctx, "en", "Women's NGO Portal", "19 January 2021")
}
