package browsertest

import (
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"ngoportal/internal/demo"
	"ngoportal/internal/i18n"
	"ngoportal/internal/notify"
)

// Notifications without JavaScript: the count in the navigation, the list,
// opening one (read, and on to the report), the settings and the mail log
// of what would have been sent; accessible, and on a phone in English.
func TestNotificationJourney(t *testing.T) {
	p := StartPortal(t)
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
		admin := rjSignIn(t, p, Options{Lang: "zh-CN", Width: 1280, Height: 900}, demo.AdminEmail, "/admin")
		if got := text(t, admin, `nav.site-nav a[href="/admin/notifications"]`); got != "通知（1 条未读）" {
			t.Errorf("navigation link %q, want 通知（1 条未读）", got)
		}
		clickAndWait(t, admin, `nav.site-nav a[href="/admin/notifications"]`)
		checkPageNoJS(t, admin, "notifications (admin)", false)
		if got := text(t, admin, `main li.notification-unread .notification-message`); !strings.Contains(got, "提交了2026年度工作报告") {
			t.Errorf("unread notice %q", got)
		}
		clickAndWait(t, admin, `main li.notification-unread form[action$="/open"] button`)
		if loc := location(t, admin); !strings.Contains(loc, "/admin/reports/") {
			t.Errorf("opening the notice went to %s, want the report", loc)
		}
		if got := text(t, admin, `nav.site-nav a[href="/admin/notifications"]`); got != "通知" {
			t.Errorf("after opening, the link reads %q", got)
		}
		navigate(t, admin, p.URL+"/admin/notifications/preferences")
		checkPageNoJS(t, admin, "notification settings (admin)", false)
		navigate(t, admin, p.URL+"/admin/mail")
		checkPageNoJS(t, admin, "mail log", false)
		clickAndWait(t, admin, `main table a[href^="/admin/mail/"]`)
		checkPageNoJS(t, admin, "one logged email", false)
		if got := text(t, admin, `main pre.mail-part`); !strings.Contains(got, p.URL+"/") {
			t.Errorf("the text part has no absolute link back: %q", got)
		}
	})

	t.Run("StaffENPhone", func(t *testing.T) {
		staff := rjSignIn(t, p, Options{Lang: "en", Width: 390, Height: 844}, demo.EnglishStaffEmail, "/ngo")
		if got := text(t, staff, `nav.site-nav a[href="/ngo/notifications"]`); got != "Notifications (1 unread)" {
			t.Errorf("navigation link %q", got)
		}
		navigate(t, staff, p.URL+"/ngo/notifications")
		checkPageNoJS(t, staff, "notifications on a phone (staff, English)", true)
		clickAndWait(t, staff, `main form[action="/ngo/notifications/read"] button`)
		if got := text(t, staff, `nav.site-nav a[href="/ngo/notifications"]`); got != "Notifications" {
			t.Errorf("after marking all read the link reads %q", got)
		}
		navigate(t, staff, p.URL+"/ngo/notifications/preferences")
		checkPageNoJS(t, staff, "notification settings (staff, English)", true)
	})
}
