package federationjourney

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ngoportal/internal/browsertest"
	"ngoportal/internal/demo"
)

// A federation admin without a second factor is made to set one up at the
// next sign-in, before any admin page: the key is read from the page (the
// QR code's text alternative), the app's code confirms it, and the ten
// recovery codes are shown once. Then the admin signs in with a code, with
// a recovery code, and is refused with a wrong code. On a phone, in
// Chinese, without JavaScript.
func TestSecondFactorJourney(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortal(t)
	if _, err := p.DB.Pool().Exec(t.Context(), `
		DELETE FROM user_second_factors WHERE user_id = (SELECT id FROM users WHERE email = $1)`, demo.AdminEmail); err != nil {
		t.Fatal(err)
	}
	const lang = "zh-CN"
	ctx := browsertest.NewBrowser(t, browsertest.Options{Lang: lang, Width: 390, Height: 844})
	browsertest.SetJavaScript(t, ctx, false)

	password := func() {
		t.Helper()
		browsertest.Navigate(t, ctx, p.URL+"/login")
		browsertest.Fill(t, ctx, [][2]string{
			{`#login-form input[name="email"]`, demo.AdminEmail},
			{`#login-form input[name="password"]`, demo.Password},
		})
		browsertest.ClickAndWait(t, ctx, `#login-form button[type="submit"]`)
	}
	signOut := func() {
		t.Helper()
		browsertest.ClickAndWait(t, ctx, `form.signout button[type="submit"]`)
		browsertest.MustSay(t, ctx, "您已退出登录")
	}

	// Forced setup: the password alone reaches no admin page.
	password()
	if loc := browsertest.Location(t, ctx); !strings.HasSuffix(loc, "/login/enrol") {
		t.Fatalf("an admin without a second factor landed on %s", loc)
	}
	browsertest.WantPage(t, ctx, lang, "设置两步登录", "联合会工作人员（管理员和审阅员）登录时必须", demo.AdminEmail)
	if n := browsertest.Count(t, ctx, `main svg.qr-code[role="img"] rect`); n < 50 {
		t.Errorf("the QR code has %d modules drawn", n)
	}
	browsertest.CheckPageNoJS(t, ctx, "second factor setup phone", true)
	browsertest.Navigate(t, ctx, p.URL+"/admin")
	if loc := browsertest.Location(t, ctx); !strings.Contains(loc, "/login") {
		t.Fatalf("an admin page opened before the setup: %s", loc)
	}
	browsertest.Navigate(t, ctx, p.URL+"/login/enrol")
	secret := strings.ReplaceAll(browsertest.Text(t, ctx, "#mfa-secret"), " ", "")
	if len(secret) != 32 {
		t.Fatalf("the key on the page is %q", secret)
	}
	browsertest.SetValues(t, ctx, [][2]string{{`#setup-form input[name="code"]`, "000000"}})
	browsertest.ClickAndWait(t, ctx, `#setup-form button[type="submit"]`)
	// 000000 is the app's code once in a million: then this check fails.
	browsertest.MustSay(t, ctx, "验证码不正确")

	code := browsertest.TOTPCode(t, secret)
	browsertest.SetValues(t, ctx, [][2]string{{`#setup-form input[name="code"]`, code}})
	browsertest.ClickAndWait(t, ctx, `#setup-form button[type="submit"]`)
	browsertest.WantPage(t, ctx, lang, "登录安全", "两步登录已开启", "已开启")
	codes, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("main .recovery-codes code"), c => c.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes shown: %v", len(codes), codes)
	}
	browsertest.CheckPageNoJS(t, ctx, "second factor recovery codes phone", true)
	browsertest.ClickAndWait(t, ctx, `#mfa-continue`)
	if loc := browsertest.Location(t, ctx); !strings.HasSuffix(loc, "/admin") {
		t.Fatalf("continue went to %s", loc)
	}
	signOut()

	// With the app's code.
	password()
	browsertest.WantPage(t, ctx, lang, "输入登录验证码")
	browsertest.CheckPageNoJS(t, ctx, "second factor code phone", true)
	browsertest.SubmitCode(t, ctx, secret)
	if loc := browsertest.Location(t, ctx); !strings.HasSuffix(loc, "/admin") {
		t.Fatalf("the code led to %s", loc)
	}
	signOut()

	// With a recovery code, which works once.
	password()
	browsertest.SetValues(t, ctx, [][2]string{{`#code-form input[name="code"]`, strings.ToUpper(codes[3])}})
	browsertest.ClickAndWait(t, ctx, `#code-form button[type="submit"]`)
	if loc := browsertest.Location(t, ctx); !strings.HasSuffix(loc, "/admin") {
		t.Fatalf("the recovery code led to %s", loc)
	}
	signOut()
	password()
	browsertest.SetValues(t, ctx, [][2]string{{`#code-form input[name="code"]`, codes[3]}})
	browsertest.ClickAndWait(t, ctx, `#code-form button[type="submit"]`)
	browsertest.MustSay(t, ctx, "验证码不正确")

	// A wrong code: the same page, a message, no admin page.
	wrong := []byte(browsertest.TOTPCode(t, secret))
	wrong[0] = '0' + (wrong[0]-'0'+5)%10
	browsertest.SetValues(t, ctx, [][2]string{{`#code-form input[name="code"]`, string(wrong)}})
	browsertest.ClickAndWait(t, ctx, `#code-form button[type="submit"]`)
	if loc := browsertest.Location(t, ctx); !strings.HasSuffix(loc, "/login/code") {
		t.Fatalf("a wrong code led to %s", loc)
	}
	browsertest.MustSay(t, ctx, "验证码不正确")
	browsertest.Navigate(t, ctx, p.URL+"/admin")
	if loc := browsertest.Location(t, ctx); !strings.Contains(loc, "/login") {
		t.Fatalf("an admin page opened after a wrong code: %s", loc)
	}
}
