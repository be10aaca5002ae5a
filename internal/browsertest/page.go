package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"ngoportal/internal/demo"
)

// The steps every journey takes: each fails the test when the browser
// cannot do it.

// Navigate loads url in the browser's tab.
func Navigate(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("navigate %s: %v", url, err)
	}
}

// ClickAndWait clicks and waits for the page that the click loads.
func ClickAndWait(t *testing.T, ctx context.Context, sel chromedp.CSS) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(sel))); err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
}

// SignIn fills in the sign-in form and waits for the page it leads to.
// The demo admin signs in with two steps: SignIn then enters the code the
// admin's authenticator app would show (SubmitCode).
func SignIn(t *testing.T, ctx context.Context, baseURL, email, password string) {
	t.Helper()
	Navigate(t, ctx, baseURL+"/login")
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#login-form input[name="email"]`), email),
		chromedp.SendKeys(chromedp.CSS(`#login-form input[name="password"]`), password),
	); err != nil {
		t.Fatalf("fill in the sign-in form: %v", err)
	}
	ClickAndWait(t, ctx, `#login-form button[type="submit"]`)
	if !strings.HasSuffix(Location(t, ctx), "/login/code") {
		return
	}
	if email != demo.AdminEmail {
		t.Fatalf("%s signs in with two steps, and SignIn knows only the demo admin's key", email)
	}
	SubmitCode(t, ctx, demo.AdminTOTPSecret)
}

// SubmitCode enters into the sign-in's code step the code an authenticator
// app with secret (base32) shows, and waits for the page it leads to. The
// portal takes each code once: when the current one was used (a journey
// signs in again within 30 seconds), it enters the next one, as the app
// shows it soon, waiting for it if needs be.
func SubmitCode(t *testing.T, ctx context.Context, secret string) {
	t.Helper()
	at := time.Now()
	for range 4 {
		if wait := time.Until(at.Add(-30 * time.Second)); wait > 0 {
			time.Sleep(wait) // the portal accepts a code one step early
		}
		code := codeAt(t, secret, at)
		if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(`#code-form input[name="code"]`), code)); err != nil {
			t.Fatalf("fill in the code: %v", err)
		}
		ClickAndWait(t, ctx, `#code-form button[type="submit"]`)
		if !strings.HasSuffix(Location(t, ctx), "/login/code") {
			return
		}
		at = at.Add(30 * time.Second)
	}
	t.Fatalf("the portal refused every code: %s", Text(t, ctx, "main"))
}

// Location is the address of the page the browser shows.
func Location(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// HTMLLang is the page's <html lang>.
func HTMLLang(t *testing.T, ctx context.Context) string {
	t.Helper()
	a, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("html"), "lang"))
	if err != nil {
		t.Fatal(err)
	}
	return a.Value
}

// Text is the trimmed text of the first element matching sel.
func Text(t *testing.T, ctx context.Context, sel chromedp.CSS) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// WantPage checks the page's language and heading, and that its main
// holds every one of mainHas.
func WantPage(t *testing.T, ctx context.Context, lang, h1 string, mainHas ...string) {
	t.Helper()
	if got := HTMLLang(t, ctx); got != lang {
		t.Errorf("html lang = %q, want %q", got, lang)
	}
	if got := Text(t, ctx, "h1"); got != h1 {
		t.Errorf("h1 = %q, want %q", got, h1)
	}
	body := Text(t, ctx, "main")
	for _, s := range mainHas {
		if !strings.Contains(body, s) {
			t.Errorf("main lacks %q", s)
		}
	}
}

// WantText fails unless the text of sel holds every one of want.
func WantText(t *testing.T, ctx context.Context, sel string, want ...string) {
	t.Helper()
	got := Text(t, ctx, chromedp.CSS(sel))
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q; it says: %s", sel, w, got)
		}
	}
}

// MustSay stops the journey unless the page's main says want, showing
// what it says instead: the next steps would only time out.
func MustSay(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	if body := Text(t, ctx, "main"); !strings.Contains(body, want) {
		t.Fatalf("the page at %s does not say %q; it says:\n%s", Location(t, ctx), want, body)
	}
}

// Fill types into form controls, by CSS selector.
func Fill(t *testing.T, ctx context.Context, values [][2]string) {
	t.Helper()
	for _, kv := range values {
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(kv[0]), kv[1])); err != nil {
			t.Fatalf("type into %s: %v", kv[0], err)
		}
	}
}

// SetValues sets form controls' values directly, by CSS selector: for
// date, time and select controls, whose typing differs between locales.
func SetValues(t *testing.T, ctx context.Context, values [][2]string) {
	t.Helper()
	for _, kv := range values {
		if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(kv[0]), kv[1])); err != nil {
			t.Fatalf("set %s: %v", kv[0], err)
		}
	}
}

// Value reads a form control's current value.
func Value(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("value of %s: %v", sel, err)
	}
	return v
}

// Checked reports whether the radio or checkbox sel is checked.
func Checked(t *testing.T, ctx context.Context, sel string) bool {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector(`+JSString(sel)+`).checked`))
	if err != nil {
		t.Fatalf("checked %s: %v", sel, err)
	}
	return v
}

// Count is how many elements match sel.
func Count(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+JSString(sel)+`).length`))
	if err != nil {
		t.Fatalf("count %s: %v", sel, err)
	}
	return n
}

// JSString quotes s as a JavaScript string literal (s holds no backquote).
func JSString(s string) string { return "`" + s + "`" }

// SetJavaScript turns the page's scripts off or back on.
func SetJavaScript(t *testing.T, ctx context.Context, on bool) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	})); err != nil {
		t.Fatalf("turn JavaScript on=%v: %v", on, err)
	}
}

// CheckPage runs axe on the page and, in a phone-sized window, checks that
// nothing is wider than the screen.
func CheckPage(t *testing.T, ctx context.Context, name string, phone bool) {
	t.Helper()
	CheckAccessibility(t, ctx, name)
	if phone {
		if n := HorizontalOverflow(t, ctx); n > 0 {
			t.Errorf("%s is %d px wider than a phone", name, n)
		}
	}
	Screenshot(t, ctx, strings.NewReplacer(" ", "-", "/", "-").Replace(name))
}

// CheckPageNoJS is CheckPage for a journey with JavaScript off: axe-core
// needs timers, which do not fire while scripts are disabled, so scripts
// are on only while it runs, on the page already loaded (the portal's
// pages have no scripts of their own to start).
func CheckPageNoJS(t *testing.T, ctx context.Context, name string, phone bool) {
	t.Helper()
	SetJavaScript(t, ctx, true)
	CheckPage(t, ctx, name, phone)
	SetJavaScript(t, ctx, false)
}

// TOTPCode is the code an authenticator app with secret (base32) shows now.
func TOTPCode(t *testing.T, secret string) string {
	t.Helper()
	return codeAt(t, secret, time.Now())
}

func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	code, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatalf("one-time code: %v", err)
	}
	return code
}
