package server

import (
	"net/http"
	"net/url"
	"testing"

	"ngoportal/internal/portal"
)

// An admin opts in to the daily digest on the settings page, and out
// again, each change audited; staff are offered no digest.
func TestNotificationPrefsDigest(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ngo := ngoIDBySlug(t, h, "women-physicians")
	s := createUser(t, h, portal.RoleStaff, ngo, "dg-staff@example.org", "甲")
	adm := createUser(t, h, portal.RoleAdmin, 0, "dg-admin@example.org", "管理员")
	cs, ca := h.sessionCookie(t, s), h.sessionCookie(t, adm)
	digest := func(id int64) bool {
		t.Helper()
		p, err := h.db.NotificationPrefs(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		return p.Digest
	}

	t.Run("OffByDefaultForAdminsOnly", func(t *testing.T) {
		page := h.as(t, ca, get("/admin/notifications/preferences")).body
		wantContains(t, page, "每日摘要", `name="daily_digest"`, `name="email.daily_digest" value="on" checked`)
		wantAbsent(t, page, `name="daily_digest" value="on" checked`)
		en := h.as(t, ca, get("/admin/notifications/preferences", "Accept-Language", "en")).body
		wantContains(t, en, "Send me a daily digest of what changed the day before")
		staff := h.as(t, cs, get("/ngo/notifications/preferences")).body
		wantAbsent(t, staff, `name="daily_digest"`, `name="email.daily_digest"`)
		wantContains(t, staff, `name="email.report_due"`, `name="email.reply_due"`, `name="email.cycle_opened"`, `name="email.report_overdue"`)
	})

	t.Run("StaffCannotOptIn", func(t *testing.T) {
		res := h.as(t, cs, postForm("/ngo/notifications/preferences", url.Values{"locale": {"zh-CN"}, "daily_digest": {"on"}}))
		if res.status != http.StatusSeeOther || digest(s) {
			t.Errorf("staff opt-in: %d, stored %v", res.status, digest(s))
		}
	})

	t.Run("OKOptInAndOutAudited", func(t *testing.T) {
		all := url.Values{"locale": {"zh-CN"}, "email.report_submitted": {"on"}, "email.report_resubmitted": {"on"},
			"email.invitation_declined": {"on"}, "email.daily_digest": {"on"}}
		in := url.Values{"daily_digest": {"on"}}
		for k, v := range all {
			in[k] = v
		}
		res := h.as(t, ca, postForm("/admin/notifications/preferences", in))
		if res.status != http.StatusSeeOther || !digest(adm) {
			t.Fatalf("opt in: %d, stored %v", res.status, digest(adm))
		}
		page := h.as(t, ca, get("/admin/notifications/preferences")).body
		wantContains(t, page, `name="daily_digest" value="on" checked`)
		if res := h.as(t, ca, postForm("/admin/notifications/preferences", all)); res.status != http.StatusSeeOther || digest(adm) {
			t.Fatalf("opt out: %d, stored %v", res.status, digest(adm))
		}
		if n := cyQueryID(t, h, `SELECT count(*) FROM audit_log WHERE action = $1 AND object_id = $2 AND changes ? 'daily_digest'`,
			portal.AuditNotificationPrefs, adm); n != 2 {
			t.Errorf("%d audit rows of the digest, want 2", n)
		}
		wantContains(t, h.as(t, ca, get("/admin/audit")).body, "修改了通知设置", "每日摘要")
	})
}
