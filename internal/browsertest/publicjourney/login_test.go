package publicjourney

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ngoportal/internal/browsertest"
	"ngoportal/internal/demo"
)

func TestStaffSignInJourney(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortal(t)
	for _, tc := range []struct {
		lang          string
		width, height int
		ngoName       string
		signOut       string
	}{
		{"zh-CN", 1280, 900, "上海市女性创业促进会", "退出登录"},
		{"en", 390, 844, "Shanghai Association for Women's Entrepreneurship", "Sign out"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			ctx := browsertest.NewBrowser(t, browsertest.Options{Lang: tc.lang, Width: tc.width, Height: tc.height})

			browsertest.Navigate(t, ctx, p.URL+"/login")
			browsertest.CheckAccessibility(t, ctx, "sign-in page "+tc.lang)
			browsertest.Screenshot(t, ctx, "login-"+tc.lang)

			// A wrong password keeps the email and says so.
			browsertest.SignIn(t, ctx, p.URL, demo.StaffEmail(1), "not-the-password-at-all")
			if !strings.HasSuffix(browsertest.Location(t, ctx), "/login") {
				t.Fatalf("after a wrong password the browser is at %s", browsertest.Location(t, ctx))
			}
			v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#login-form input[name="email"]`)))
			if err != nil || v != demo.StaffEmail(1) {
				t.Errorf("email field after a failure = %q (%v)", v, err)
			}
			browsertest.CheckAccessibility(t, ctx, "sign-in failure "+tc.lang)

			browsertest.SignIn(t, ctx, p.URL, demo.StaffEmail(1), demo.Password)
			if loc := browsertest.Location(t, ctx); !strings.HasSuffix(loc, "/ngo") {
				t.Fatalf("staff landed on %s, want /ngo", loc)
			}
			if body := browsertest.Text(t, ctx, "main"); !strings.Contains(body, tc.ngoName) {
				t.Errorf("the NGO home does not name the staff member's NGO %q", tc.ngoName)
			}
			browsertest.CheckAccessibility(t, ctx, "NGO home "+tc.lang)
			browsertest.Screenshot(t, ctx, "ngo-home-"+tc.lang)
			if n := browsertest.HorizontalOverflow(t, ctx); n > 0 {
				t.Errorf("the NGO home is %d px wider than the window", n)
			}

			browsertest.Navigate(t, ctx, p.URL+"/admin")
			if h1 := browsertest.Text(t, ctx, "h1"); h1 != map[string]string{"zh-CN": "页面不存在", "en": "Page not found"}[tc.lang] {
				t.Errorf("staff on /admin see %q, want the not-found page", h1)
			}

			browsertest.ClickAndWait(t, ctx, `form.signout button[type="submit"]`)
			if loc := browsertest.Location(t, ctx); !strings.Contains(loc, "/login") {
				t.Errorf("after signing out the browser is at %s", loc)
			}
			browsertest.Navigate(t, ctx, p.URL+"/ngo")
			if loc := browsertest.Location(t, ctx); !strings.Contains(loc, "/login?next=%2Fngo") {
				t.Errorf("after signing out /ngo leads to %s, want the sign-in page", loc)
			}
			if strings.Contains(browsertest.Text(t, ctx, "header"), tc.signOut) {
				t.Error("the header still offers to sign out")
			}
		})
	}
}
