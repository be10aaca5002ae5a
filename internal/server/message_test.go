package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"ngoportal/internal/portal"
)

func init() {
	for k, v := range map[string]access{
		"GET /admin/messages":      officials,
		"GET /admin/messages/new":  admins,
		"POST /admin/messages":     admins,
		"GET /admin/messages/{id}": officials,
		"GET /ngo/messages/{id}":   staffOfA, // only NGOs it went to: NGO B's staff get 404
	} {
		routeRules[k] = v
	}
	// A message sent to NGO A alone.
	matrixFixtures = append(matrixFixtures, func(t *testing.T, h *harness, ngoA int64, ids, objectIDs map[string]string) {
		id := cyQueryID(t, h, `INSERT INTO admin_messages (subject, body, audience, form_token)
			VALUES ('矩阵消息', '正文', 'chosen', md5('matrix')) RETURNING id`)
		cyQueryID(t, h, `INSERT INTO admin_message_recipients (message_id, ngo_id) VALUES ($1, $2) RETURNING message_id`, id, ngoA)
		ids["/admin/messages/{id}"] = fmt.Sprint(id)
		ids["/ngo/messages/{id}"] = fmt.Sprint(id)
	})
}

// msgFixture is the demo federation with staff of two NGOs and an admin.
type msgFixture struct {
	h                *harness
	a, b             int64  // NGO A (women-physicians) and NGO B (women-lawyers)
	nameA, nameB     string // their Chinese names
	staffA1, staffA2 int64
	staffB           int64
	admin            int64
	ca               *http.Cookie // the admin's
}

func newMsgFixture(t *testing.T) msgFixture {
	t.Helper()
	h := newHarness(t, nil)
	f := msgFixture{h: h, a: ngoIDBySlug(t, h, "women-physicians"), b: ngoIDBySlug(t, h, "women-lawyers")}
	if err := h.db.Pool().QueryRow(t.Context(), `SELECT (SELECT name_zh FROM ngos WHERE id = $1), (SELECT name_zh FROM ngos WHERE id = $2)`,
		f.a, f.b).Scan(&f.nameA, &f.nameB); err != nil {
		t.Fatal(err)
	}
	f.staffA1 = createUser(t, h, portal.RoleStaff, f.a, "msg-a1@example.org", "甲一")
	f.staffA2 = createUser(t, h, portal.RoleStaff, f.a, "msg-a2@example.org", "甲二")
	f.staffB = createUser(t, h, portal.RoleStaff, f.b, "msg-b@example.org", "乙")
	f.admin = createUser(t, h, portal.RoleAdmin, 0, "msg-admin@example.org", "管理员")
	f.ca = h.sessionCookie(t, f.admin)
	return f
}

// form is a message form to NGO A alone, with token and the button
// action; previewed as the preview of that choice leaves it.
func (f msgFixture) form(token, action string) url.Values {
	return url.Values{
		"subject": {"请更新联系人"}, "body": {"各组织：\n\n请**尽快**更新联系人。"},
		"audience": {"chosen"}, "ngo": {fmt.Sprint(f.a)},
		"token": {token}, "action": {action}, "previewed": {fmt.Sprintf("chosen:%d", f.a)},
	}
}

func (f msgFixture) messages(t *testing.T, token string) int64 {
	t.Helper()
	return cyQueryID(t, f.h, `SELECT count(*) FROM admin_messages WHERE form_token = $1`, token)
}

func TestMessageForm(t *testing.T) {
	t.Parallel()
	f := newMsgFixture(t)
	h := f.h

	t.Run("NewOffersTheGroupsAndTheNGOs", func(t *testing.T) {
		res := h.as(t, f.ca, get("/admin/messages/new"))
		if res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		checkMarkup(t, res.body)
		wantContains(t, res.body, "<h1>写新消息</h1>", `name="token" value="`, `value="all"`, "所有在册未停用的组织",
			`value="chosen"`, fmt.Sprintf(`name="ngo" value="%d"`, f.a), f.nameA, "预览收件组织")
		// No send button before a preview.
		wantAbsent(t, res.body, `value="send"`)
		// The demo's open cycle is offered as a group.
		wantContains(t, res.body, `value="no_report:`, "年度工作报告的组织")
	})

	for _, tc := range []struct {
		name string
		req  func(*http.Request) *http.Request
		msgs []string
	}{
		{"Err422KeepsValuesZH", func(r *http.Request) *http.Request { return r }, []string{"请填写主题。", "请至少勾选一个组织。"}},
		{"Err422KeepsValuesEN", inEnglish, []string{"Enter a subject.", "Tick at least one NGO."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{"subject": {"  "}, "body": {"正文<保留>"}, "audience": {"chosen"}, "token": {newMessageToken()}, "action": {"send"}}
			res := h.as(t, f.ca, tc.req(postForm("/admin/messages", form)))
			if res.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.status)
			}
			checkMarkup(t, res.body)
			wantContains(t, res.body, tc.msgs...)
			wantContains(t, res.body, "正文&lt;保留&gt;</textarea>", `value="chosen" checked`, `aria-invalid="true"`,
				`href="#f-subject"`, `href="#f-ngo"`, `id="f-ngo"`)
		})
	}

	t.Run("Err422NoGroupChosen", func(t *testing.T) {
		form := url.Values{"subject": {"主题"}, "body": {"正文"}, "token": {newMessageToken()}, "action": {"preview"}}
		res := h.as(t, f.ca, postForm("/admin/messages", form))
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", res.status)
		}
		wantContains(t, res.body, "请选择收件组织。", `value="主题"`)
	})

	t.Run("Err422ShowsTheRecipientsButNoSendButton", func(t *testing.T) {
		form := f.form(newMessageToken(), "send")
		form.Set("body", "")
		res := h.as(t, f.ca, postForm("/admin/messages", form))
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", res.status)
		}
		wantContains(t, res.body, "请填写正文。", "共 1 个组织", f.nameA)
		wantAbsent(t, res.body, `value="send"`)
	})

	t.Run("Err422GroupNeverOffered", func(t *testing.T) {
		form := url.Values{"subject": {"主题"}, "body": {"正文"}, "audience": {"no_report:999999"}, "token": {newMessageToken()}, "action": {"preview"}}
		res := h.as(t, f.ca, postForm("/admin/messages", form))
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", res.status)
		}
		wantContains(t, res.body, "这个收件范围已不可选")
	})

	t.Run("BadTokenIs400", func(t *testing.T) {
		form := f.form("not-a-token", "send")
		if res := h.as(t, f.ca, postForm("/admin/messages", form)); res.status != http.StatusBadRequest {
			t.Errorf("status %d, want 400", res.status)
		}
	})

	t.Run("PreviewListsTheRecipientsAndSendsNothing", func(t *testing.T) {
		token := newMessageToken()
		form := f.form(token, "preview")
		form.Set("previewed", "")
		form["ngo"] = []string{fmt.Sprint(f.a), fmt.Sprint(f.b)}
		res := h.as(t, f.ca, postForm("/admin/messages", form))
		if res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		checkMarkup(t, res.body)
		wantContains(t, res.body, "将收到此消息的组织", "共 2 个组织", f.nameA, f.nameB, "消息尚未发送",
			fmt.Sprintf(`name="previewed" value="chosen:%d,%d"`, min(f.a, f.b), max(f.a, f.b)),
			`value="send"`, "发送给这些组织（2 个）", "请更新联系人")
		if n := f.messages(t, token); n != 0 {
			t.Errorf("a preview sent %d messages", n)
		}
		en := h.as(t, f.ca, inEnglish(postForm("/admin/messages", form)))
		wantContains(t, en.body, "NGOs that will get this message", "Number of NGOs: 2", "Send to these NGOs (2)")
	})

	t.Run("SendAfterTheChoiceChangedShowsTheNewListFirst", func(t *testing.T) {
		token := newMessageToken()
		form := f.form(token, "send")
		form.Set("previewed", "all") // the preview was of every NGO
		res := h.as(t, f.ca, postForm("/admin/messages", form))
		if res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, res.body, "收件范围在预览后有改动，消息尚未发送", "共 1 个组织", fmt.Sprintf(`name="previewed" value="chosen:%d"`, f.a))
		if n := f.messages(t, token); n != 0 {
			t.Errorf("sent %d messages without the preview of its recipients", n)
		}
	})
}

func TestMessageSend(t *testing.T) {
	t.Parallel()
	f := newMsgFixture(t)
	h := f.h
	disabled := createUser(t, h, portal.RoleStaff, f.a, "msg-gone@example.org", "离职")
	h.db.Pool().Exec(t.Context(), `UPDATE users SET status = 'disabled' WHERE id = $1`, disabled)
	h.db.Pool().Exec(t.Context(), `UPDATE users SET locale = 'en' WHERE id = $1`, f.staffA2)

	token := newMessageToken()
	res := h.as(t, f.ca, postForm("/admin/messages", f.form(token, "send")))
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/admin/messages/") {
		t.Fatalf("send: %d %q", res.status, res.header.Get("Location"))
	}
	id := cyQueryID(t, h, `SELECT id FROM admin_messages WHERE form_token = $1`, token)
	if loc := res.header.Get("Location"); loc != fmt.Sprintf("/admin/messages/%d", id) {
		t.Fatalf("went to %q", loc)
	}
	wantContains(t, h.as(t, f.ca, get(res.header.Get("Location"))).body, "消息已发送。")

	t.Run("NoticesToTheChosenNGOsActiveStaffOnly", func(t *testing.T) {
		var got []int64
		rows, err := h.db.Pool().Query(t.Context(), `SELECT recipient_id FROM notifications WHERE kind = 'admin_message' AND object_id = $1 ORDER BY recipient_id`, id)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var r int64
			rows.Scan(&r)
			got = append(got, r)
		}
		want := []int64{f.staffA1, f.staffA2}
		demoStaffA := cyQueryID(t, h, `SELECT count(*) FROM users WHERE ngo_id = $1 AND status = 'active' AND id NOT IN ($2, $3)`, f.a, f.staffA1, f.staffA2)
		if int64(len(got)) != 2+demoStaffA || !containsAll(got, want) {
			t.Errorf("notified %v, want NGO A's %d active staff including %v", got, 2+demoStaffA, want)
		}
		for _, who := range []int64{f.staffB, f.admin, disabled} {
			if n := cyQueryID(t, h, `SELECT count(*) FROM notifications WHERE kind = 'admin_message' AND recipient_id = $1`, who); n != 0 {
				t.Errorf("user %d got %d notices", who, n)
			}
		}
		if n := cyQueryID(t, h, `SELECT count(*) FROM email_deliveries d JOIN notifications n ON n.id = d.notification_id
			WHERE n.kind = 'admin_message' AND n.object_id = $1`, id); n != int64(len(got)) {
			t.Errorf("%d emails queued, want %d", n, len(got))
		}
	})

	t.Run("Audited", func(t *testing.T) {
		if n := cyQueryID(t, h, `SELECT count(*) FROM audit_log WHERE action = $1 AND object_type = $2 AND object_id = $3 AND actor_id = $4`,
			portal.AuditMessageSent, portal.AuditObjectMessage, id, f.admin); n != 1 {
			t.Errorf("%d audit rows, want 1", n)
		}
		audit := h.as(t, f.ca, get("/admin/audit")).body
		wantContains(t, audit, "向社会组织发送了消息", "请更新联系人", f.nameA, fmt.Sprintf(`href="/admin/messages/%d"`, id))
	})

	t.Run("AdminPages", func(t *testing.T) {
		page := h.as(t, f.ca, get(fmt.Sprintf("/admin/messages/%d", id))).body
		checkMarkup(t, page)
		wantContains(t, page, "<h1>请更新联系人</h1>", "<strong>尽快</strong>", "收件组织（1 个）", f.nameA, "勾选的组织")
		wantAbsent(t, page, f.nameB)
		list := h.as(t, f.ca, get("/admin/messages")).body
		checkMarkup(t, list)
		wantContains(t, list, fmt.Sprintf(`href="/admin/messages/%d"`, id), "请更新联系人", "管理员")
	})

	t.Run("StaffReadTheirNGOsMessage", func(t *testing.T) {
		ca := h.sessionCookie(t, f.staffA1)
		list := h.as(t, ca, get("/ngo/notifications")).body
		wantContains(t, list, "妇联发来消息：请更新联系人")
		en := h.as(t, h.sessionCookie(t, f.staffA2), inEnglish(get("/ngo/notifications"))).body
		wantContains(t, en, "A message from the federation: 请更新联系人")
		nid := cyQueryID(t, h, `SELECT id FROM notifications WHERE recipient_id = $1 AND kind = 'admin_message'`, f.staffA1)
		open := h.as(t, ca, postForm(fmt.Sprintf("/ngo/notifications/%d/open", nid), url.Values{}))
		if open.header.Get("Location") != fmt.Sprintf("/ngo/messages/%d", id) {
			t.Fatalf("open goes to %q", open.header.Get("Location"))
		}
		page := h.as(t, ca, get(fmt.Sprintf("/ngo/messages/%d", id)))
		if page.status != http.StatusOK {
			t.Fatalf("status %d", page.status)
		}
		checkMarkup(t, page.body)
		wantContains(t, page.body, "<h1>请更新联系人</h1>", "<strong>尽快</strong>")
	})

	t.Run("AnotherNGOsStaffGet404", func(t *testing.T) {
		res := h.as(t, h.sessionCookie(t, f.staffB), get(fmt.Sprintf("/ngo/messages/%d", id)))
		if res.status != http.StatusNotFound {
			t.Errorf("status %d, want 404", res.status)
		}
		wantAbsent(t, res.body, "尽快")
	})

	t.Run("SentAgainIsNotSentTwice", func(t *testing.T) {
		res := h.as(t, f.ca, postForm("/admin/messages", f.form(token, "send")))
		if res.status != http.StatusSeeOther || res.header.Get("Location") != fmt.Sprintf("/admin/messages/%d", id) {
			t.Fatalf("resend: %d %q", res.status, res.header.Get("Location"))
		}
		if n := f.messages(t, token); n != 1 {
			t.Errorf("%d messages", n)
		}
		wantContains(t, h.as(t, f.ca, get(fmt.Sprintf("/admin/messages/%d", id))).body, "这条消息已经发送过，没有重复发送。")
	})
}

// Several sends of one form at the same moment (a double click, a
// resubmitted request) make one message and one notice per recipient.
func TestMessageDoubleSubmitSendsOnce(t *testing.T) {
	t.Parallel()
	f := newMsgFixture(t)
	h := f.h
	token := newMessageToken()
	const n = 6
	var wg sync.WaitGroup
	results := make([]response, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = h.as(t, f.ca, postForm("/admin/messages", f.form(token, "send")))
		}()
	}
	wg.Wait()
	var location string
	for i, res := range results {
		if res.status != http.StatusSeeOther {
			t.Fatalf("send %d: status %d", i, res.status)
		}
		if location == "" {
			location = res.header.Get("Location")
		}
		if res.header.Get("Location") != location {
			t.Errorf("send %d went to %q, another to %q", i, res.header.Get("Location"), location)
		}
	}
	if got := f.messages(t, token); got != 1 {
		t.Fatalf("%d messages, want 1", got)
	}
	if got := cyQueryID(t, h, `SELECT count(*) FROM notifications WHERE kind = 'admin_message' AND recipient_id = $1`, f.staffA1); got != 1 {
		t.Errorf("%d notices to one recipient, want 1", got)
	}
	if got := cyQueryID(t, h, `SELECT count(*) FROM audit_log WHERE action = $1`, portal.AuditMessageSent); got != 1 {
		t.Errorf("%d audit rows, want 1", got)
	}
}

func containsAll(got, want []int64) bool {
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || g == w
		}
		if !found {
			return false
		}
	}
	return true
}
