package server

import (
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"ngoportal/internal/notify"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

func init() {
	for k, v := range map[string]access{
		"GET /admin/notifications":              officials,
		"POST /admin/notifications/read":        officials,
		"POST /admin/notifications/{id}/read":   officialsOwn,
		"POST /admin/notifications/{id}/open":   officialsOwn,
		"GET /admin/notifications/preferences":  officials,
		"POST /admin/notifications/preferences": officials,
		"GET /ngo/notifications":                staff,
		"POST /ngo/notifications/read":          staff,
		"POST /ngo/notifications/{id}/read":     staffOfA, // only the recipient: NGO B's staff get 404
		"POST /ngo/notifications/{id}/open":     staffOfA,
		"GET /ngo/notifications/preferences":    staff,
		"POST /ngo/notifications/preferences":   staff,
		"GET /admin/mail":                       admins,
		"GET /admin/mail/{id}":                  admins,
		"POST /admin/mail/{id}/retry":           admins,
	} {
		routeRules[k] = v
	}
	// A notice for the matrix's admin and one for its staff of NGO A (the
	// only users who may open them), and an email in the outbox.
	matrixFixtures = append(matrixFixtures, func(t *testing.T, h *harness, ngoA int64, ids, objectIDs map[string]string) {
		notice := func(email, kind, link string) int64 {
			return cyQueryID(t, h, `INSERT INTO notifications (recipient_id, kind, object_id, params, link)
				SELECT id, $2, 1, '{"ngo_zh": "矩阵", "year": 2026}', $3 FROM users WHERE email = $1 RETURNING id`, email, kind, link)
		}
		admin := notice("matrix-admin@example.org", "report_submitted", "/admin/reports/1")
		ids["/admin/notifications/{id}"] = fmt.Sprint(admin)
		ids["/ngo/notifications/{id}"] = fmt.Sprint(notice("matrix-a@example.org", "report_returned", "/ngo/reports/1"))
		ids["/admin/mail/{id}"] = fmt.Sprint(cyQueryID(t, h, `INSERT INTO email_deliveries (notification_id, status, attempts, last_error)
			VALUES ($1, 'failed', 8, 'connection refused') RETURNING id`, admin))
	})
}

// ntNotice writes the notice of kind about report reportID of NGO ngo, as
// the report's steps do, and returns the id of user's copy.
func ntNotice(t *testing.T, h *harness, kind portal.NotificationKind, reportID, ngo, user int64) int64 {
	t.Helper()
	r := portal.Report{ID: reportID, NGOID: ngo, ReviewYear: 2026}
	if err := h.db.Load(t.Context(), func(tx postgres.Tx) error { return tx.NotifyReport(t.Context(), r, kind, "") }); err != nil {
		t.Fatal(err)
	}
	return cyQueryID(t, h, `SELECT id FROM notifications WHERE recipient_id = $1 AND kind = $2 AND object_id = $3`, user, string(kind), reportID)
}

func TestNotificationList(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ngo := ngoIDBySlug(t, h, "women-physicians")
	a := createUser(t, h, portal.RoleStaff, ngo, "nt-a@example.org", "甲")
	b := createUser(t, h, portal.RoleStaff, ngo, "nt-b@example.org", "乙")
	ca, cb := h.sessionCookie(t, a), h.sessionCookie(t, b)
	h.db.Pool().Exec(t.Context(), `DELETE FROM notifications WHERE recipient_id IN ($1, $2)`, a, b)

	t.Run("HeaderWithoutUnread", func(t *testing.T) {
		res := h.as(t, ca, get("/ngo/"))
		wantContains(t, res.body, `href="/ngo/notifications"`, ">通知</a>")
		wantAbsent(t, res.body, "条未读")
	})

	returned := ntNotice(t, h, portal.NotifyReportReturned, 9001, ngo, a)
	ntNotice(t, h, portal.NotifyReportAccepted, 9002, ngo, a)

	t.Run("HeaderCountsUnread", func(t *testing.T) {
		wantContains(t, h.as(t, ca, get("/ngo/")).body, "通知（2 条未读）")
		wantContains(t, h.as(t, ca, inEnglish(get("/ngo/sessions"))).body, "Notifications (2 unread)")
	})

	t.Run("ListInTheReadersLanguage", func(t *testing.T) {
		res := h.as(t, ca, get("/ngo/notifications"))
		if res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, res.body, "<h1>通知</h1>", "上海市女医师协会的2026年度工作报告已退回修改", "已通过审核", "未读",
			fmt.Sprintf(`action="/ngo/notifications/%d/open"`, returned), fmt.Sprintf(`action="/ngo/notifications/%d/read"`, returned),
			`action="/ngo/notifications/read"`)
		// Newest first.
		if strings.Index(res.body, "已通过审核") > strings.Index(res.body, "已退回修改") {
			t.Error("the older notice is listed first")
		}
		en := h.as(t, ca, inEnglish(get("/ngo/notifications")))
		wantContains(t, en.body, "was returned with comments", "Unread", "Mark as read")
	})

	t.Run("AnotherUsersNotificationIs404", func(t *testing.T) {
		for _, action := range []string{"read", "open"} {
			res := h.as(t, cb, postForm(fmt.Sprintf("/ngo/notifications/%d/%s", returned, action), url.Values{}))
			if res.status != http.StatusNotFound {
				t.Errorf("%s by another user: %d, want 404", action, res.status)
			}
		}
		if n := cyQueryID(t, h, `SELECT count(*) FROM notifications WHERE id = $1 AND read_at IS NULL`, returned); n != 1 {
			t.Error("another user's request marked it read")
		}
	})

	t.Run("OpenMarksReadAndGoesToTheObject", func(t *testing.T) {
		res := h.as(t, ca, postForm(fmt.Sprintf("/ngo/notifications/%d/open", returned), url.Values{}))
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/ngo/reports/9001" {
			t.Fatalf("open: %d %q", res.status, res.header.Get("Location"))
		}
		wantContains(t, h.as(t, ca, get("/ngo/")).body, "通知（1 条未读）")
		// b's own copy is untouched.
		wantContains(t, h.as(t, cb, get("/ngo/")).body, "通知（2 条未读）")
	})

	t.Run("MarkAllRead", func(t *testing.T) {
		res := h.as(t, ca, postForm("/ngo/notifications/read", url.Values{}))
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/ngo/notifications" {
			t.Fatalf("read all: %d %q", res.status, res.header.Get("Location"))
		}
		page := h.as(t, ca, get("/ngo/notifications")).body
		wantContains(t, page, "已将 1 条通知标为已读。", "已读")
		wantAbsent(t, page, "条未读", ">未读<", `action="/ngo/notifications/read"`)
	})

	t.Run("Paged", func(t *testing.T) {
		for i := range 27 {
			ntNotice(t, h, portal.NotifyReportAccepted, int64(9100+i), ngo, a)
		}
		first := h.as(t, ca, get("/ngo/notifications")).body
		second := h.as(t, ca, get("/ngo/notifications?page=2")).body
		if n := strings.Count(first, `class="notification-message"`); n != notificationsPerPage {
			t.Errorf("page 1 lists %d, want %d", n, notificationsPerPage)
		}
		if n := strings.Count(second, `class="notification-message"`); n != 29-notificationsPerPage {
			t.Errorf("page 2 lists %d, want %d", n, 29-notificationsPerPage)
		}
	})
}

// A report returned through the review page reaches the NGO's staff list.
func TestNotificationFromTheReviewPage(t *testing.T) {
	t.Parallel()
	f := newRVFixture(t)
	n := f.ngo(t, "women-lawyers")
	r := f.submit(t, n, time.Now())
	staff := f.h.sessionCookie(t, n.staff.UserID)
	res := f.h.as(t, f.admin, postForm(fmt.Sprintf("/admin/reports/%d/return", r.ID), rvReturnForm(r.Version, "请补充活动成效。", nil)))
	if res.status != http.StatusSeeOther {
		t.Fatalf("return: %d", res.status)
	}
	page := f.h.as(t, staff, get("/ngo/notifications")).body
	wantContains(t, page, "通知（1 条未读）", n.nameZH+"的2030年度工作报告已退回修改")
	// The admins were told of the submission.
	wantContains(t, f.h.as(t, f.admin, get("/admin/notifications")).body, n.nameZH+"提交了2030年度工作报告")
}

func TestNotificationPrefs(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ngo := ngoIDBySlug(t, h, "women-physicians")
	s := createUser(t, h, portal.RoleStaff, ngo, "np-staff@example.org", "甲")
	adm := createUser(t, h, portal.RoleAdmin, 0, "np-admin@example.org", "管理员")
	cs, ca := h.sessionCookie(t, s), h.sessionCookie(t, adm)

	t.Run("OnlyTheKindsOfTheRole", func(t *testing.T) {
		page := h.as(t, cs, get("/ngo/notifications/preferences")).body
		wantContains(t, page, `name="email.report_returned"`, `name="email.report_accepted"`, `<option value="zh-CN" selected`)
		wantAbsent(t, page, `name="email.report_submitted"`)
		admin := h.as(t, ca, get("/admin/notifications/preferences")).body
		wantContains(t, admin, `name="email.report_submitted"`, `name="email.report_resubmitted"`)
		wantAbsent(t, admin, `name="email.report_returned"`)
	})

	for _, tc := range []struct {
		name string
		req  func(*http.Request) *http.Request
		msg  string
	}{
		{"Err422KeepsValuesZH", func(r *http.Request) *http.Request { return r }, "请选择中文或英文。"},
		{"Err422KeepsValuesEN", inEnglish, "Choose Chinese or English."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := h.as(t, cs, tc.req(postForm("/ngo/notifications/preferences", url.Values{"locale": {"fr"}, "email.report_returned": {"on"}})))
			if res.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.status)
			}
			wantContains(t, res.body, tc.msg, `name="email.report_returned" value="on" checked`, `aria-invalid="true"`)
			wantAbsent(t, res.body, `name="email.report_accepted" value="on" checked`)
		})
	}

	t.Run("Err422UnknownKind", func(t *testing.T) {
		res := h.as(t, cs, postForm("/ngo/notifications/preferences", url.Values{"locale": {"en"}, "email.report_submitted": {"on"}}))
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("a kind of another role: %d, want 422", res.status)
		}
	})

	t.Run("OKSavedAndAudited", func(t *testing.T) {
		res := h.as(t, cs, postForm("/ngo/notifications/preferences", url.Values{"locale": {"en"}, "email.report_returned": {"on"}}))
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/ngo/notifications/preferences" {
			t.Fatalf("save: %d %q", res.status, res.header.Get("Location"))
		}
		prefs, err := h.db.NotificationPrefs(t.Context(), s)
		if err != nil || prefs.Locale != "en" || prefs.EmailOff[portal.NotifyReportReturned] || !prefs.EmailOff[portal.NotifyReportAccepted] {
			t.Errorf("stored %+v, %v", prefs, err)
		}
		page := h.as(t, cs, get("/ngo/notifications/preferences")).body
		wantContains(t, page, "通知设置已保存。", `<option value="en" selected`, `name="email.report_returned" value="on" checked`)
		wantAbsent(t, page, `name="email.report_accepted" value="on" checked`)
		if n := cyQueryID(t, h, `SELECT count(*) FROM audit_log WHERE action = $1 AND object_id = $2 AND actor_id = $2`, portal.AuditNotificationPrefs, s); n != 1 {
			t.Errorf("%d audit rows, want 1", n)
		}
		audit := h.as(t, ca, get("/admin/audit")).body
		wantContains(t, audit, "修改了通知设置", "邮件语言", "英文")
	})
}

func TestMailLog(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ngo := ngoIDBySlug(t, h, "women-physicians")
	s := createUser(t, h, portal.RoleStaff, ngo, "ml-staff@example.org", "王芳")
	adm := createUser(t, h, portal.RoleAdmin, 0, "ml-admin@example.org", "管理员")
	ca := h.sessionCookie(t, adm)
	h.db.Pool().Exec(t.Context(), `DELETE FROM notifications`)
	ntNotice(t, h, portal.NotifyReportReturned, 77, ngo, s)

	// Without SMTP configured the worker renders and keeps every message.
	w := &notify.Worker{DB: h.db, Renderer: notify.Renderer{Catalogue: h.srv.cat, BaseURL: h.srv.cfg.BaseURL}, Log: slog.New(slog.DiscardHandler)}
	if _, err := w.RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	id := cyQueryID(t, h, `SELECT d.id FROM email_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.recipient_id = $1`, s)

	t.Run("ListsLoggedMessages", func(t *testing.T) {
		res := h.as(t, ca, get("/admin/mail"))
		if res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, res.body, "邮件记录", "ml-staff@example.org", "仅记录", "本组织的工作报告被退回修改",
			"未配置邮件服务器", fmt.Sprintf(`href="/admin/mail/%d"`, id))
	})

	t.Run("ShowsThePartsSafely", func(t *testing.T) {
		res := h.as(t, ca, get(fmt.Sprintf("/admin/mail/%d", id)))
		if res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		d, err := h.db.DeliveryByID(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		wantContains(t, res.body, html.EscapeString(d.Subject), "王芳，您好", "http://localhost:8080/ngo/reports/77",
			`sandbox=""`, `srcdoc="`+html.EscapeString(d.BodyHTML)[:40])
		// The message's HTML never becomes part of the page.
		wantAbsent(t, res.body, `<body style=`, "立即重试")
	})

	t.Run("FailedAtAGlanceAndRetried", func(t *testing.T) {
		h.db.Pool().Exec(t.Context(), `UPDATE email_deliveries SET status = 'failed', sent_at = NULL, attempts = 8, last_error = '451 try later' WHERE id = $1`, id)
		list := h.as(t, ca, get("/admin/mail?status=failed")).body
		wantContains(t, list, "发送失败（1）", `class="mail-failed"`, "451 try later")
		if all := h.as(t, ca, get("/admin/mail?status=sent")).body; strings.Contains(all, "ml-staff@example.org") {
			t.Error("the sent filter lists a failed message")
		}
		show := h.as(t, ca, get(fmt.Sprintf("/admin/mail/%d", id))).body
		wantContains(t, show, "立即重试", fmt.Sprintf(`action="/admin/mail/%d/retry"`, id))
		res := h.as(t, ca, postForm(fmt.Sprintf("/admin/mail/%d/retry", id), url.Values{}))
		if res.status != http.StatusSeeOther {
			t.Fatalf("retry: %d", res.status)
		}
		d, _ := h.db.DeliveryByID(t.Context(), id)
		if d.Status != portal.DeliveryPending || d.Attempts != 0 {
			t.Errorf("after retry: %s, %d attempts", d.Status, d.Attempts)
		}
		if n := cyQueryID(t, h, `SELECT count(*) FROM audit_log WHERE action = $1 AND object_id = $2`, portal.AuditMailRetried, id); n != 1 {
			t.Errorf("%d audit rows, want 1", n)
		}
		wantContains(t, h.as(t, ca, get("/admin/audit")).body, "重试了发送失败的邮件", "发送失败", "待发送")
	})
}
