package reportjourney

import (
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"ngoportal/internal/browsertest"
	"ngoportal/internal/demo"
	"ngoportal/internal/i18n"
	"ngoportal/internal/notify"
)

// Notifications without JavaScript: the count in the navigation, the list,
// opening one (read, and on to the report), the settings and the mail log
// of what would have been sent; accessible, and on a phone in English.
func TestNotificationJourney(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortal(t)
	cat, err := i18n.Load(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse(p.URL)
	w := &notify.Worker{DB: p.DB, Renderer: notify.Renderer{Catalogue: cat, BaseURL: base}, Log: slog.New(slog.DiscardHandler)}
	if _, err := w.RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}

	t.Run("AdminZH", func(t *testing.T) {
		admin := rjSignIn(t, p, browsertest.Options{Lang: "zh-CN", Width: 1280, Height: 900}, demo.AdminEmail, "/admin")
		if got := browsertest.Text(t, admin, `nav.site-nav a[href="/admin/notifications"]`); got != "通知（1 条未读）" {
			t.Errorf("navigation link %q, want 通知（1 条未读）", got)
		}
		browsertest.ClickAndWait(t, admin, `nav.site-nav a[href="/admin/notifications"]`)
		browsertest.CheckPageNoJS(t, admin, "notifications (admin)", false)
		if got := browsertest.Text(t, admin, `main li.notification-unread .notification-message`); !strings.Contains(got, "提交了2026年度工作报告") {
			t.Errorf("unread notice %q", got)
		}
		browsertest.ClickAndWait(t, admin, `main li.notification-unread form[action$="/open"] button`)
		if loc := browsertest.Location(t, admin); !strings.Contains(loc, "/admin/reports/") {
			t.Errorf("opening the notice went to %s, want the report", loc)
		}
		if got := browsertest.Text(t, admin, `nav.site-nav a[href="/admin/notifications"]`); got != "通知" {
			t.Errorf("after opening, the link reads %q", got)
		}
		browsertest.Navigate(t, admin, p.URL+"/admin/notifications/preferences")
		browsertest.CheckPageNoJS(t, admin, "notification settings (admin)", false)
		browsertest.Navigate(t, admin, p.URL+"/admin/mail")
		browsertest.CheckPageNoJS(t, admin, "mail log", false)
		browsertest.ClickAndWait(t, admin, `main table a[href^="/admin/mail/"]`)
		browsertest.CheckPageNoJS(t, admin, "one logged email", false)
		if got := browsertest.Text(t, admin, `main pre.mail-part`); !strings.Contains(got, p.URL+"/") {
			t.Errorf("the text part has no absolute link back: %q", got)
		}
	})

	t.Run("StaffENPhone", func(t *testing.T) {
		staff := rjSignIn(t, p, browsertest.Options{Lang: "en", Width: 390, Height: 844}, demo.EnglishStaffEmail, "/ngo")
		if got := browsertest.Text(t, staff, `nav.site-nav a[href="/ngo/notifications"]`); got != "Notifications (1 unread)" {
			t.Errorf("navigation link %q", got)
		}
		browsertest.Navigate(t, staff, p.URL+"/ngo/notifications")
		browsertest.CheckPageNoJS(t, staff, "notifications on a phone (staff, English)", true)
		browsertest.ClickAndWait(t, staff, `main form[action="/ngo/notifications/read"] button`)
		if got := browsertest.Text(t, staff, `nav.site-nav a[href="/ngo/notifications"]`); got != "Notifications" {
			t.Errorf("after marking all read the link reads %q", got)
		}
		browsertest.Navigate(t, staff, p.URL+"/ngo/notifications/preferences")
		browsertest.CheckPageNoJS(t, staff, "notification settings (staff, English)", true)
	})
}
