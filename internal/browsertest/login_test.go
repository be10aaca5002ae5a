package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ngoportal/internal/demo"
)

// SignIn fills in the sign-in form and waits for the page it leads to.
func SignIn(t *testing.T, ctx context.Context, baseURL, email, password string) {
	t.Helper()
	navigate(t, ctx, baseURL+"/login")
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#login-form input[name="email"]`), email),
		chromedp.SendKeys(chromedp.CSS(`#login-form input[name="password"]`), password),
	); err != nil {
		t.Fatalf("fill in the sign-in form: %v", err)
	}
	clickAndWait(t, ctx, `#login-form button[type="submit"]`)
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestStaffSignInJourney(t *testing.T) {
	p := StartPortal(t)
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
			ctx := NewBrowser(t, Options{Lang: tc.lang, Width: tc.width, Height: tc.height})

			navigate(t, ctx, p.URL+"/login")
			CheckAccessibility(t, ctx, "sign-in page "+tc.lang)
			Screenshot(t, ctx, "login-"+tc.lang)

			// A wrong password keeps the email and says so.
			SignIn(t, ctx, p.URL, demo.StaffEmail(1), "not-the-password-at-all")
			if !strings.HasSuffix(location(t, ctx), "/login") {
				t.Fatalf("after a wrong password the browser is at %s", location(t, ctx))
			}
			v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#login-form input[name="email"]`)))
			if err != nil || v != demo.StaffEmail(1) {
				t.Errorf("email field after a failure = %q (%v)", v, err)
			}
			CheckAccessibility(t, ctx, "sign-in failure "+tc.lang)

			SignIn(t, ctx, p.URL, demo.StaffEmail(1), demo.Password)
			if loc := location(t, ctx); !strings.HasSuffix(loc, "/ngo") {
				t.Fatalf("staff landed on %s, want /ngo", loc)
			}
			if body := text(t, ctx, "main"); !strings.Contains(body, tc.ngoName) {
				t.Errorf("the NGO home does not name the staff member's NGO %q", tc.ngoName)
			}
			CheckAccessibility(t, ctx, "NGO home "+tc.lang)
			Screenshot(t, ctx, "ngo-home-"+tc.lang)
			if n := HorizontalOverflow(t, ctx); n > 0 {
				t.Errorf("the NGO home is %d px wider than the window", n)
			}

			navigate(t, ctx, p.URL+"/admin")
			if h1 := text(t, ctx, "h1"); h1 != map[string]string{"zh-CN": "页面不存在", "en": "Page not found"}[tc.lang] {
				t.Errorf("staff on /admin see %q, want the not-found page", h1)
			}

			clickAndWait(t, ctx, `form.signout button[type="submit"]`)
			if loc := location(t, ctx); !strings.Contains(loc, "/login") {
				t.Errorf("after signing out the browser is at %s", loc)
			}
			navigate(t, ctx, p.URL+"/ngo")
			if loc := location(t, ctx); !strings.Contains(loc, "/login?next=%2Fngo") {
				t.Errorf("after signing out /ngo leads to %s, want the sign-in page", loc)
			}
			if strings.Contains(text(t, ctx, "header"), tc.signOut) {
				t.Error("the header still offers to sign out")
			}
		})
	}
}
