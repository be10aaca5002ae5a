package federationjourney

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ngoportal/internal/browsertest"
	"ngoportal/internal/demo"
)

// uaType types into the fields of the page's main form, by name.
func uaType(t *testing.T, ctx context.Context, fields map[string]string) {
	t.Helper()
	for name, v := range fields {
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`main form.stack [name="`+name+`"]`), v)); err != nil {
			t.Fatalf("type into %s: %v", name, err)
		}
	}
}

// uaCheckAdminPage runs axe on the page shown, and checks that it fits the
// window and is in the language expected.
func uaCheckAdminPage(t *testing.T, ctx context.Context, name, lang string) {
	t.Helper()
	if got := browsertest.HTMLLang(t, ctx); got != lang {
		t.Errorf("%s: html lang = %q, want %q", name, got, lang)
	}
	browsertest.CheckAccessibility(t, ctx, name+" "+lang)
	if n := browsertest.HorizontalOverflow(t, ctx); n > 0 {
		t.Errorf("%s %s: the page is %d px wider than the window", name, lang, n)
	}
	browsertest.Screenshot(t, ctx, "users-"+strings.ReplaceAll(name, " ", "-")+"-"+lang)
}

func uaLocation(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// The admin signs in on a phone, invites a staff member of a chosen NGO
// and sees the link once; the invitee opens it in a browser of their own,
// sets a password and signs in to their NGO's pages. The user pages and
// the audit log pass axe in Chinese and English.
func TestUserInviteJourney(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortal(t)
	var ngoID int64
	if err := p.DB.Pool().QueryRow(t.Context(), `SELECT id FROM ngos WHERE slug = 'women-physicians'`).Scan(&ngoID); err != nil {
		t.Fatal(err)
	}
	admin := browsertest.NewBrowser(t, browsertest.Options{Lang: "zh-CN", Width: 390, Height: 844})

	browsertest.SignIn(t, admin, p.URL, demo.AdminEmail, demo.Password)
	if loc := uaLocation(t, admin); !strings.HasSuffix(loc, "/admin") {
		t.Fatalf("the admin landed on %s", loc)
	}
	uaCheckAdminPage(t, admin, "admin home", "zh-CN")

	browsertest.Navigate(t, admin, p.URL+"/admin/users")
	browsertest.WantPage(t, admin, "zh-CN", "账号管理", "ngo01@example.org")
	uaCheckAdminPage(t, admin, "users list", "zh-CN")

	browsertest.ClickAndWait(t, admin, `main a[href="/admin/users/new"]`)
	browsertest.WantPage(t, admin, "zh-CN", "邀请新用户")
	uaCheckAdminPage(t, admin, "invite form", "zh-CN")

	// Staff without an NGO: refused, with the message beside the field.
	uaType(t, admin, map[string]string{"email": "wei.lan@example.org", "name": "魏岚"})
	browsertest.ClickAndWait(t, admin, `main form.stack button[type="submit"]`)
	if got := browsertest.Text(t, admin, "#f-ngo-error"); got != "社会组织工作人员必须选择所属组织。" {
		t.Errorf("NGO error = %q", got)
	}
	uaCheckAdminPage(t, admin, "invite form with errors", "zh-CN")

	if err := chromedp.Do(admin, chromedp.SetValue(chromedp.CSS(`#f-ngo`), strconv.FormatInt(ngoID, 10))); err != nil {
		t.Fatal(err)
	}
	browsertest.ClickAndWait(t, admin, `main form.stack button[type="submit"]`)
	browsertest.WantPage(t, admin, "zh-CN", "魏岚", "邀请已创建", "上海市女医师协会", "已邀请，未设密码")
	link := browsertest.Text(t, admin, ".flash .link-box")
	if !strings.HasPrefix(link, "http://localhost:8080/invite/") {
		t.Fatalf("the flash shows %q, want the invitation link", link)
	}
	uaCheckAdminPage(t, admin, "user detail", "zh-CN")
	userPath := strings.TrimPrefix(uaLocation(t, admin), p.URL)

	// The link is shown once only.
	browsertest.Navigate(t, admin, p.URL+userPath)
	if strings.Contains(browsertest.Text(t, admin, "main"), link) {
		t.Error("the invitation link is shown a second time")
	}

	// The invitee, in a browser of their own. The link names the portal's
	// configured address; the test portal listens elsewhere.
	invitee := browsertest.NewBrowser(t, browsertest.Options{Lang: "zh-CN", Width: 390, Height: 844})
	browsertest.Navigate(t, invitee, p.URL+strings.TrimPrefix(link, "http://localhost:8080"))
	if body := browsertest.Text(t, invitee, "main"); !strings.Contains(body, "魏岚") {
		t.Fatalf("the invitation page does not name the invitee: %q", body)
	}
	const pw = "lantern-orchard-quiet-58"
	uaType(t, invitee, map[string]string{"password": pw, "confirm": pw})
	browsertest.ClickAndWait(t, invitee, `main form.stack button[type="submit"]`)
	if loc := uaLocation(t, invitee); !strings.Contains(loc, "/login") {
		t.Fatalf("after setting a password the invitee is at %s", loc)
	}
	if err := chromedp.Do(invitee,
		chromedp.SendKeys(chromedp.CSS(`#login-form input[name="email"]`), "wei.lan@example.org"),
		chromedp.SendKeys(chromedp.CSS(`#login-form input[name="password"]`), pw),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.ClickAndWait(t, invitee, `#login-form button[type="submit"]`)
	if loc := uaLocation(t, invitee); !strings.HasSuffix(loc, "/ngo") {
		t.Fatalf("the new staff member landed on %s, want /ngo", loc)
	}

	// The admin sees the account active, and both steps in the audit log.
	browsertest.Navigate(t, admin, p.URL+userPath)
	browsertest.WantPage(t, admin, "zh-CN", "魏岚", "正常", "接受邀请并设置密码", "邀请用户")
	uaCheckAdminPage(t, admin, "user detail after acceptance", "zh-CN")
	browsertest.Navigate(t, admin, p.URL+"/admin/audit")
	browsertest.WantPage(t, admin, "zh-CN", "审计日志", "邀请用户", "接受邀请并设置密码", "wei.lan@example.org")
	uaCheckAdminPage(t, admin, "audit log", "zh-CN")

	// The same pages in English.
	browsertest.ClickAndWait(t, admin, `.lang-switch button[value="en"]`)
	browsertest.WantPage(t, admin, "en", "Audit log", "Invited a user", "Accepted an invitation")
	uaCheckAdminPage(t, admin, "audit log", "en")
	browsertest.Navigate(t, admin, p.URL+"/admin/audit?from=2000-99-01")
	browsertest.WantPage(t, admin, "en", "Audit log", "Enter the date as year-month-day")
	uaCheckAdminPage(t, admin, "audit log with a bad date", "en")
	browsertest.Navigate(t, admin, p.URL+"/admin/users")
	browsertest.WantPage(t, admin, "en", "Accounts", "wei.lan@example.org")
	uaCheckAdminPage(t, admin, "users list", "en")
	browsertest.Navigate(t, admin, p.URL+userPath)
	browsertest.WantPage(t, admin, "en", "魏岚 (in Chinese only)", "NGO staff", "Shanghai Women Physicians Association")
	uaCheckAdminPage(t, admin, "user detail", "en")
	browsertest.Navigate(t, admin, p.URL+"/admin/users/new")
	browsertest.WantPage(t, admin, "en", "Invite a user")
	uaCheckAdminPage(t, admin, "invite form", "en")
	browsertest.Navigate(t, admin, p.URL+"/admin")
	browsertest.WantPage(t, admin, "en", "Administration", "Active accounts")
	uaCheckAdminPage(t, admin, "admin home", "en")
}
