package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/demo"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// uaAdmin returns the demo admin's id and a signed-in cookie.
func uaAdmin(t *testing.T, h *harness) (int64, *http.Cookie) {
	t.Helper()
	var id int64
	if err := h.db.Pool().QueryRow(t.Context(), `SELECT id FROM users WHERE email = $1`, demo.AdminEmail).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id, h.sessionCookie(t, id)
}

// uaWantStatus fails the test unless res has the status.
func uaWantStatus(t *testing.T, res response, status int) {
	t.Helper()
	if res.status != status {
		t.Fatalf("status %d, want %d", res.status, status)
	}
}

// uaWantRedirect checks a 303 to path and returns it.
func uaWantRedirect(t *testing.T, res response, path string) string {
	t.Helper()
	uaWantStatus(t, res, http.StatusSeeOther)
	if got := res.header.Get("Location"); got != path {
		t.Fatalf("Location = %q, want %q", got, path)
	}
	return path
}

var uaLinkBox = regexp.MustCompile(`<p class="link-box">([^<]+)</p>`)

// uaFlashLink returns the link the page's flash shows; "" when none.
func uaFlashLink(body string) string {
	m := uaLinkBox.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// uaToken returns the token at the end of a link.
func uaToken(t *testing.T, link, prefix string) string {
	t.Helper()
	base := "http://localhost:8080" + prefix
	if !strings.HasPrefix(link, base) || len(link) <= len(base) {
		t.Fatalf("link %q does not start with %q", link, base)
	}
	return strings.TrimPrefix(link, base)
}

// uaAudit is an audit row about one user, as stored.
type uaAudit struct {
	action     string
	actorID    int64
	actorEmail string
	clientAddr string
	ngoID      int64
	changes    map[string]portal.Change
}

// uaLastAudit returns the newest audit row about a user.
func uaLastAudit(t *testing.T, h *harness, userID int64) uaAudit {
	t.Helper()
	var a uaAudit
	var raw []byte
	err := h.db.Pool().QueryRow(t.Context(), `
		SELECT action, coalesce(actor_id, 0), actor_email, coalesce(host(client_addr), ''), coalesce(ngo_id, 0), changes
		FROM audit_log WHERE object_type = 'user' AND object_id = $1
		ORDER BY id DESC LIMIT 1`, userID).Scan(&a.action, &a.actorID, &a.actorEmail, &a.clientAddr, &a.ngoID, &raw)
	if err != nil {
		t.Fatalf("audit of user %d: %v", userID, err)
	}
	if err := json.Unmarshal(raw, &a.changes); err != nil {
		t.Fatal(err)
	}
	return a
}

// uaWantAudit checks the newest audit row about a user: the action, that the
// demo admin did it from the test's address, and before → after of fields.
func uaWantAudit(t *testing.T, h *harness, userID, adminID int64, action string, changes map[string]portal.Change) {
	t.Helper()
	a := uaLastAudit(t, h, userID)
	if a.action != action || a.actorID != adminID || a.actorEmail != demo.AdminEmail || a.clientAddr != "192.0.2.1" {
		t.Errorf("audit row = %+v, want %s by admin %d from 192.0.2.1", a, action, adminID)
	}
	for field, want := range changes {
		got, ok := a.changes[field]
		if !ok || fmt.Sprint(got.Before) != fmt.Sprint(want.Before) || fmt.Sprint(got.After) != fmt.Sprint(want.After) {
			t.Errorf("audit change %s = %+v (present %v), want %+v", field, got, ok, want)
		}
	}
}

func uaUserStatus(t *testing.T, h *harness, id int64) portal.UserStatus {
	t.Helper()
	var s portal.UserStatus
	if err := h.db.Pool().QueryRow(t.Context(), `SELECT status FROM users WHERE id = $1`, id).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func uaUserVersion(t *testing.T, h *harness, id int64) string {
	t.Helper()
	var v int
	if err := h.db.Pool().QueryRow(t.Context(), `SELECT version FROM users WHERE id = $1`, id).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return strconv.Itoa(v)
}

// uaSignedOut reports whether a login-session cookie no longer opens the
// admin area: the reader is sent to the sign-in page.
func uaSignedOut(t *testing.T, h *harness, c *http.Cookie, path string) bool {
	t.Helper()
	res := h.as(t, c, get(path))
	return res.status == http.StatusSeeOther && strings.HasPrefix(res.header.Get("Location"), "/login")
}

// uaTablesHolding lists the tables in which some column's text contains s.
func uaTablesHolding(t *testing.T, h *harness, s string) []string {
	t.Helper()
	ctx := t.Context()
	rows, err := h.db.Pool().Query(ctx, `
		SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(tables) < 5 {
		t.Fatalf("tables: %v, %v", tables, err)
	}
	var found []string
	for _, table := range tables {
		var n int
		q := `SELECT count(*) FROM ` + pgx.Identifier{table}.Sanitize() + ` t WHERE strpos(row_to_json(t)::text, $1) > 0`
		if err := h.db.Pool().QueryRow(ctx, q, s).Scan(&n); err != nil {
			t.Fatalf("search %s: %v", table, err)
		}
		if n > 0 {
			found = append(found, table)
		}
	}
	return found
}

func TestUserInvite(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	adminID, admin := uaAdmin(t, h)
	ngoID := ngoIDBySlug(t, h, "women-physicians")
	inactive := ngoIDBySlug(t, h, "women-lawyers")
	if _, err := h.db.Pool().Exec(t.Context(), `UPDATE ngos SET active = false WHERE id = $1`, inactive); err != nil {
		t.Fatal(err)
	}
	staffForm := func(email, name string, ngoID int64) url.Values {
		return url.Values{"email": {email}, "name": {name}, "role": {"staff"}, "ngo": {strconv.FormatInt(ngoID, 10)}}
	}

	t.Run("OKForm", func(t *testing.T) {
		res := h.as(t, admin, get("/admin/users/new"))
		uaWantStatus(t, res, http.StatusOK)
		wantContains(t, res.body, "<h1>邀请新用户</h1>", `action="/admin/users"`, `name="email"`, `<option value="staff" selected>`,
			"上海市女律师联谊会（已停用）")
	})

	cases := []struct {
		name    string
		form    url.Values
		message string
	}{
		{"ErrEmailRequired", url.Values{"name": {"张三"}, "role": {"admin"}}, "请填写电子邮箱。"},
		{"ErrEmailInvalid", url.Values{"email": {"not-an-address"}, "name": {"张三"}, "role": {"admin"}}, "请填写有效的电子邮箱"},
		{"ErrEmailWithDisplayName", url.Values{"email": {"Zhang <z@example.org>"}, "name": {"张三"}, "role": {"admin"}}, "请填写有效的电子邮箱"},
		{"ErrNameRequired", url.Values{"email": {"z@example.org"}, "name": {"  "}, "role": {"admin"}}, "请填写姓名。"},
		{"ErrNameTooLong", url.Values{"email": {"z@example.org"}, "name": {strings.Repeat("张", 101)}, "role": {"admin"}}, "姓名不能超过 100 个字。"},
		{"ErrRoleRequired", url.Values{"email": {"z@example.org"}, "name": {"张三"}, "role": {"owner"}}, "请选择角色。"},
		{"ErrNGORequired", url.Values{"email": {"z@example.org"}, "name": {"张三"}, "role": {"staff"}}, "社会组织工作人员必须选择所属组织。"},
		{"ErrNGOForAdmin", url.Values{"email": {"z@example.org"}, "name": {"张三"}, "role": {"admin"}, "ngo": {strconv.FormatInt(ngoID, 10)}}, "联合会管理员和审阅员不属于任何组织"},
		{"ErrNGOInactive", staffForm("z@example.org", "张三", inactive), "请选择一个在册且未停用的组织。"},
		{"ErrNGOUnknown", staffForm("z@example.org", "张三", 999999), "请选择一个在册且未停用的组织。"},
		{"ErrEmailTaken", staffForm("NGO01@example.org", "张三", ngoID), "该邮箱已有账号。"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := h.as(t, admin, postForm("/admin/users", tc.form))
			uaWantStatus(t, res, http.StatusUnprocessableEntity)
			wantContains(t, res.body, tc.message, `class="error-summary"`, `aria-invalid="true"`)
			if name := tc.form.Get("name"); strings.TrimSpace(name) != "" {
				wantContains(t, res.body, `value="`+name+`"`)
			}
		})
	}
	var n int
	if err := h.db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM users WHERE email = 'z@example.org'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("refused invitations created %d users (%v)", n, err)
	}

	t.Run("OKLinkShownOnceStoredAsHash", func(t *testing.T) {
		res := h.as(t, admin, postForm("/admin/users", staffForm(" New.Staff@Example.org ", "周敏", ngoID)))
		uaWantStatus(t, res, http.StatusSeeOther)
		var id int64
		if err := h.db.Pool().QueryRow(t.Context(), `SELECT id FROM users WHERE email = 'new.staff@example.org'`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		uaWantRedirect(t, res, adminUserPath(id))
		// Before the admin sees it, the link waits sealed: the flash row
		// holds no usable link.
		var pending string
		if err := h.db.Pool().QueryRow(t.Context(), `SELECT flash FROM auth_sessions WHERE user_id = $1 AND flash <> ''`, adminID).Scan(&pending); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(pending, "/invite/") || !strings.Contains(pending, `"sealed"`) {
			t.Errorf("the pending flash holds the link in clear: %s", pending)
		}

		page := h.as(t, admin, get(adminUserPath(id)))
		uaWantStatus(t, page, http.StatusOK)
		wantContains(t, page.body, "邀请已创建。请把下面的链接转交给对方", "<h1>周敏</h1>", "已邀请，未设密码", "上海市女医师协会",
			"<td data-label=\"用途\">邀请</td>", `action="/admin/users/`+strconv.FormatInt(id, 10)+`/reinvite"`)
		link := uaFlashLink(page.body)
		token := uaToken(t, link, "/invite/")

		again := h.as(t, admin, get(adminUserPath(id)))
		if uaFlashLink(again.body) != "" || strings.Contains(again.body, token) {
			t.Error("the link is shown a second time")
		}
		if found := uaTablesHolding(t, h, token); len(found) != 0 {
			t.Errorf("the token is stored in %v", found)
		}
		var purpose string
		if err := h.db.Pool().QueryRow(t.Context(), `
			SELECT purpose FROM user_tokens WHERE token_hash = $1 AND user_id = $2 AND used_at IS NULL AND expires_at > now() + interval '167 hours'`,
			postgres.HashToken(token), id).Scan(&purpose); err != nil || purpose != "invite" {
			t.Errorf("no open invitation stored as the token's hash with the 7-day TTL: %q, %v", purpose, err)
		}
		uaWantAudit(t, h, id, adminID, portal.AuditUserInvited, map[string]portal.Change{
			"email":  {After: "new.staff@example.org"},
			"name":   {After: "周敏"},
			"role":   {After: "staff"},
			"ngo":    {After: "上海市女医师协会"},
			"status": {After: "invited"},
		})

		// The invitee opens the link and sets a password.
		open := h.do(t, get(invitePath(token)))
		uaWantStatus(t, open, http.StatusOK)
		wantContains(t, open.body, "new.staff@example.org")
		set := h.do(t, postForm(invitePath(token), url.Values{"password": {"amber-kite-rooftop-73"}, "confirm": {"amber-kite-rooftop-73"}}))
		uaWantStatus(t, set, http.StatusSeeOther)
		if s := uaUserStatus(t, h, id); s != portal.UserActive {
			t.Errorf("after accepting, status %s", s)
		}
		if reuse := h.do(t, get(invitePath(token))); reuse.status != http.StatusNotFound {
			t.Errorf("a used invitation answers %d, want 404", reuse.status)
		}
	})

	t.Run("OKAdmin", func(t *testing.T) {
		res := h.as(t, admin, postForm("/admin/users", url.Values{"email": {"deputy@example.org"}, "name": {"副管理员"}, "role": {"admin"}, "ngo": {""}}))
		uaWantStatus(t, res, http.StatusSeeOther)
		page := h.as(t, admin, get(res.header.Get("Location")))
		wantContains(t, page.body, "<dd>联合会管理员</dd>", "邀请已创建")
	})
}

// uaMailer records the links it is asked to send, or fails.
type uaMailer struct {
	mu   sync.Mutex
	sent []LinkMail
	fail bool
}

func (m *uaMailer) SendLink(_ context.Context, l LinkMail) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail {
		return errors.New("smtp: connection refused")
	}
	m.sent = append(m.sent, l)
	return nil
}

func TestUserInviteMailed(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, admin := uaAdmin(t, h)
	ngoID := ngoIDBySlug(t, h, "women-physicians")
	form := func(email string) url.Values {
		return url.Values{"email": {email}, "name": {"邮件测试"}, "role": {"staff"}, "ngo": {strconv.FormatInt(ngoID, 10)}}
	}

	t.Run("OKMailed", func(t *testing.T) {
		m := &uaMailer{}
		h.srv.mailer = m
		res := h.as(t, admin, postForm("/admin/users", form("mailed@example.org")))
		uaWantStatus(t, res, http.StatusSeeOther)
		page := h.as(t, admin, get(res.header.Get("Location")))
		wantContains(t, page.body, "链接已通过邮件发给对方")
		link := uaFlashLink(page.body)
		if len(m.sent) != 1 {
			t.Fatalf("mailed %d links, want 1", len(m.sent))
		}
		got := m.sent[0]
		if got.To != "mailed@example.org" || got.Name != "邮件测试" || got.Purpose != "invite" || got.Link != link || link == "" {
			t.Errorf("mail = %+v, flash link %q", got, link)
		}
	})
	t.Run("OKMailFailsInvitationStays", func(t *testing.T) {
		h.srv.mailer = &uaMailer{fail: true}
		res := h.as(t, admin, postForm("/admin/users", form("unmailed@example.org")))
		uaWantStatus(t, res, http.StatusSeeOther)
		page := h.as(t, admin, get(res.header.Get("Location")))
		wantContains(t, page.body, "邀请已创建，但邮件发送失败")
		wantAbsent(t, page.body, "connection refused")
		token := uaToken(t, uaFlashLink(page.body), "/invite/")
		if _, err := h.db.TokenUser(t.Context(), token, portal.TokenInvite); err != nil {
			t.Errorf("the invitation does not work after a failed mail: %v", err)
		}
	})
}

func TestUserUpdate(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	adminID, admin := uaAdmin(t, h)
	ngoA := ngoIDBySlug(t, h, "women-physicians")
	ngoB := ngoIDBySlug(t, h, "women-lawyers")
	edit := func(id int64, version, name, role string, ngoID int64) *http.Request {
		f := url.Values{"version": {version}, "name": {name}, "role": {role}, "ngo": {""}}
		if ngoID != 0 {
			f.Set("ngo", strconv.FormatInt(ngoID, 10))
		}
		return postForm(adminUserPath(id), f)
	}

	// First, while the demo admin is the only admin.
	t.Run("ErrOwnRoleLastAdmin", func(t *testing.T) {
		res := h.as(t, admin, edit(adminID, uaUserVersion(t, h, adminID), "联合会管理员", "staff", ngoA))
		uaWantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, "这是最后一个正常状态的联合会管理员，不能更改其角色。")
	})
	t.Run("OKNameKeepsSessions", func(t *testing.T) {
		id := createUser(t, h, portal.RoleStaff, ngoA, "rename@example.org", "旧名")
		c := h.sessionCookie(t, id)
		res := h.as(t, admin, edit(id, uaUserVersion(t, h, id), "新名", "staff", ngoA))
		uaWantRedirect(t, res, adminUserPath(id))
		wantContains(t, h.as(t, admin, get(adminUserPath(id))).body, "账号信息已保存。", "<h1>新名</h1>")
		if uaSignedOut(t, h, c, "/ngo/") {
			t.Error("a name change signed the user out")
		}
		uaWantAudit(t, h, id, adminID, portal.AuditUserUpdated, map[string]portal.Change{"name": {Before: "旧名", After: "新名"}})
	})
	t.Run("OKRoleChangeEndsSessions", func(t *testing.T) {
		id := createUser(t, h, portal.RoleStaff, ngoA, "promote@example.org", "晋升")
		c := h.sessionCookie(t, id)
		if uaSignedOut(t, h, c, "/ngo/") {
			t.Fatal("the new cookie does not work")
		}
		res := h.as(t, admin, edit(id, uaUserVersion(t, h, id), "晋升", "admin", 0))
		uaWantRedirect(t, res, adminUserPath(id))
		// Had the session survived, the user, now an admin, would be let in.
		if !uaSignedOut(t, h, c, "/admin") {
			t.Error("after a role change the old cookie still works")
		}
		uaWantAudit(t, h, id, adminID, portal.AuditUserUpdated, map[string]portal.Change{
			"role": {Before: "staff", After: "admin"},
			"ngo":  {Before: "上海市女医师协会", After: nil},
		})
	})
	t.Run("OKNGOChangeEndsSessions", func(t *testing.T) {
		id := createUser(t, h, portal.RoleStaff, ngoA, "move@example.org", "调动")
		c := h.sessionCookie(t, id)
		res := h.as(t, admin, edit(id, uaUserVersion(t, h, id), "调动", "staff", ngoB))
		uaWantRedirect(t, res, adminUserPath(id))
		if !uaSignedOut(t, h, c, "/ngo/") {
			t.Error("after an NGO change the old cookie still works")
		}
		uaWantAudit(t, h, id, adminID, portal.AuditUserUpdated, map[string]portal.Change{
			"ngo": {Before: "上海市女医师协会", After: "上海市女律师联谊会"},
		})
	})
	t.Run("ErrStaleVersion", func(t *testing.T) {
		id := createUser(t, h, portal.RoleStaff, ngoA, "stale@example.org", "原名")
		old := uaUserVersion(t, h, id)
		uaWantStatus(t, h.as(t, admin, edit(id, old, "第一次", "staff", ngoA)), http.StatusSeeOther)
		res := h.as(t, admin, edit(id, old, "第二次", "staff", ngoA))
		uaWantStatus(t, res, http.StatusConflict)
		wantContains(t, res.body, "在您编辑期间，这条记录已被他人修改。", `value="第二次"`, "<h1>第一次</h1>",
			`name="version" value="`+uaUserVersion(t, h, id)+`"`)
		var name string
		if err := h.db.Pool().QueryRow(t.Context(), `SELECT name FROM users WHERE id = $1`, id).Scan(&name); err != nil || name != "第一次" {
			t.Errorf("stored name %q after a stale save", name)
		}
	})
	t.Run("ErrValidationKeepsValues", func(t *testing.T) {
		id := createUser(t, h, portal.RoleStaff, ngoA, "invalid@example.org", "保留")
		res := h.as(t, admin, edit(id, uaUserVersion(t, h, id), "", "admin", ngoA))
		uaWantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, "请填写姓名。", "联合会管理员和审阅员不属于任何组织", `<option value="admin" selected>`)
	})
	t.Run("ErrOwnRole", func(t *testing.T) {
		createUser(t, h, portal.RoleAdmin, 0, "second-admin@example.org", "第二管理员")
		res := h.as(t, admin, edit(adminID, uaUserVersion(t, h, adminID), "联合会管理员", "staff", ngoA))
		uaWantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, `<p class="field-error" id="f-role-error">您不能更改自己的角色。</p>`)
		var role string
		if err := h.db.Pool().QueryRow(t.Context(), `SELECT role FROM users WHERE id = $1`, adminID).Scan(&role); err != nil || role != "admin" {
			t.Errorf("role after refusal: %q", role)
		}
	})
	t.Run("ErrNoVersion", func(t *testing.T) {
		id := createUser(t, h, portal.RoleStaff, ngoA, "nover@example.org", "无版本")
		res := h.as(t, admin, postForm(adminUserPath(id), url.Values{"name": {"x"}, "role": {"staff"}, "ngo": {strconv.FormatInt(ngoA, 10)}}))
		uaWantStatus(t, res, http.StatusBadRequest)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		for _, path := range []string{"/admin/users/999999", "/admin/users/abc", "/admin/users/-1"} {
			if res := h.as(t, admin, get(path)); res.status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", path, res.status)
			}
		}
		if res := h.as(t, admin, edit(999999, "1", "x", "admin", 0)); res.status != http.StatusNotFound {
			t.Errorf("POST to a missing user: %d, want 404", res.status)
		}
	})
}

func TestUserDisableEnable(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	adminID, admin := uaAdmin(t, h)
	ngoID := ngoIDBySlug(t, h, "women-physicians")

	t.Run("OK", func(t *testing.T) {
		id := createUser(t, h, portal.RoleStaff, ngoID, "leaver@example.org", "离职")
		c := h.sessionCookie(t, id)
		uaWantStatus(t, h.as(t, admin, postForm(adminUserActionPath(id, "reset"), nil)), http.StatusSeeOther)
		token := uaToken(t, uaFlashLink(h.as(t, admin, get(adminUserPath(id))).body), "/reset/")

		res := h.as(t, admin, postForm(adminUserActionPath(id, "disable"), nil))
		uaWantRedirect(t, res, adminUserPath(id))
		page := h.as(t, admin, get(adminUserPath(id)))
		wantContains(t, page.body, "账号已停用：该用户已在所有设备上退出登录", `<span class="badge off">已停用</span>`,
			"没有有效的邀请或密码重置链接。", `action="/admin/users/`+strconv.FormatInt(id, 10)+`/enable"`)
		wantAbsent(t, page.body, "/disable\"", "/reset\"")
		if !uaSignedOut(t, h, c, "/ngo/") {
			t.Error("the disabled user's cookie still works")
		}
		if res := h.do(t, get(resetPath(token))); res.status != http.StatusNotFound {
			t.Errorf("the reset link answers %d after disabling, want 404", res.status)
		}
		uaWantAudit(t, h, id, adminID, portal.AuditUserDisabled, map[string]portal.Change{
			"status":     {Before: "active", After: "disabled"},
			"open_links": {Before: 1, After: 0},
		})
		if res := h.as(t, admin, postForm(adminUserActionPath(id, "disable"), nil)); res.status != http.StatusConflict {
			t.Errorf("disable twice: %d, want 409", res.status)
		}

		res = h.as(t, admin, postForm(adminUserActionPath(id, "enable"), nil))
		uaWantRedirect(t, res, adminUserPath(id))
		wantContains(t, h.as(t, admin, get(adminUserPath(id))).body, "账号已重新启用。", `<span class="badge ok">正常</span>`)
		uaWantAudit(t, h, id, adminID, portal.AuditUserEnabled, map[string]portal.Change{"status": {Before: "disabled", After: "active"}})
		if res := h.as(t, admin, postForm(adminUserActionPath(id, "enable"), nil)); res.status != http.StatusConflict {
			t.Errorf("enable an active account: %d, want 409", res.status)
		}
	})
	t.Run("OKInvitedBackToInvited", func(t *testing.T) {
		res := h.as(t, admin, postForm("/admin/users", url.Values{"email": {"withdrawn@example.org"}, "name": {"撤回"}, "role": {"staff"}, "ngo": {strconv.FormatInt(ngoID, 10)}}))
		uaWantStatus(t, res, http.StatusSeeOther)
		loc := res.header.Get("Location")
		token := uaToken(t, uaFlashLink(h.as(t, admin, get(loc)).body), "/invite/")
		id, _ := strconv.ParseInt(strings.TrimPrefix(loc, adminUsersPath+"/"), 10, 64)
		uaWantStatus(t, h.as(t, admin, postForm(adminUserActionPath(id, "disable"), nil)), http.StatusSeeOther)
		if res := h.do(t, get(invitePath(token))); res.status != http.StatusNotFound {
			t.Errorf("the invitation answers %d after disabling, want 404", res.status)
		}
		uaWantStatus(t, h.as(t, admin, postForm(adminUserActionPath(id, "enable"), nil)), http.StatusSeeOther)
		if s := uaUserStatus(t, h, id); s != portal.UserInvited {
			t.Errorf("an account that never had a password is %s after enabling, want invited", s)
		}
		uaWantAudit(t, h, id, adminID, portal.AuditUserEnabled, map[string]portal.Change{"status": {Before: "disabled", After: "invited"}})
		// A fresh invitation works again.
		uaWantStatus(t, h.as(t, admin, postForm(adminUserActionPath(id, "reinvite"), nil)), http.StatusSeeOther)
		fresh := uaToken(t, uaFlashLink(h.as(t, admin, get(loc)).body), "/invite/")
		uaWantStatus(t, h.do(t, get(invitePath(fresh))), http.StatusOK)
		uaWantAudit(t, h, id, adminID, portal.AuditUserInvited, map[string]portal.Change{"open_links": {Before: 0, After: 1}})
	})
	t.Run("ErrLastAdminDisablesSelf", func(t *testing.T) {
		res := h.as(t, admin, postForm(adminUserActionPath(adminID, "disable"), nil))
		uaWantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, "这是最后一个正常状态的联合会管理员，不能停用。")
		if s := uaUserStatus(t, h, adminID); s != portal.UserActive {
			t.Errorf("admin is %s", s)
		}
	})
	t.Run("ErrDisableSelf", func(t *testing.T) {
		createUser(t, h, portal.RoleAdmin, 0, "other-admin@example.org", "另一位管理员")
		page := h.as(t, admin, get(adminUserPath(adminID)))
		wantContains(t, page.body, "您不能停用自己的账号。")
		wantAbsent(t, page.body, "/disable\"")
		res := h.as(t, admin, postForm(adminUserActionPath(adminID, "disable"), nil))
		uaWantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, `role="alert"><p>您不能停用自己的账号。</p>`)
		if s := uaUserStatus(t, h, adminID); s != portal.UserActive {
			t.Errorf("admin is %s", s)
		}
	})
}

func TestUserLinks(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	adminID, admin := uaAdmin(t, h)
	ngoID := ngoIDBySlug(t, h, "women-physicians")
	id := createUser(t, h, portal.RoleStaff, ngoID, "forgetful@example.org", "忘记密码")

	t.Run("OKResetClosesOlder", func(t *testing.T) {
		var tokens []string
		for range 2 {
			uaWantRedirect(t, h.as(t, admin, postForm(adminUserActionPath(id, "reset"), nil)), adminUserPath(id))
			page := h.as(t, admin, get(adminUserPath(id)))
			wantContains(t, page.body, "密码重置链接已生成，此前的链接已作废。", `<td data-label="用途">密码重置</td>`)
			tokens = append(tokens, uaToken(t, uaFlashLink(page.body), "/reset/"))
		}
		if res := h.do(t, get(resetPath(tokens[0]))); res.status != http.StatusNotFound {
			t.Errorf("the older reset link answers %d, want 404", res.status)
		}
		if res := h.do(t, get(resetPath(tokens[1]))); res.status != http.StatusOK {
			t.Errorf("the newer reset link answers %d, want 200", res.status)
		}
		if found := uaTablesHolding(t, h, tokens[1]); len(found) != 0 {
			t.Errorf("the reset token is stored in %v", found)
		}
		uaWantAudit(t, h, id, adminID, portal.AuditResetIssued, map[string]portal.Change{"open_links": {Before: 1, After: 1}})
		if n := auditCount(t, h, portal.AuditResetIssued, id); n != 2 {
			t.Errorf("%d reset audit rows, want 2", n)
		}
		var ttlOK bool
		if err := h.db.Pool().QueryRow(t.Context(), `
			SELECT expires_at BETWEEN now() + interval '119 minutes' AND now() + interval '121 minutes'
			FROM user_tokens WHERE token_hash = $1`, postgres.HashToken(tokens[1])).Scan(&ttlOK); err != nil || !ttlOK {
			t.Errorf("the reset link does not expire after PORTAL_RESET_TTL (2h): %v", err)
		}
	})
	t.Run("ErrReinviteActive", func(t *testing.T) {
		if res := h.as(t, admin, postForm(adminUserActionPath(id, "reinvite"), nil)); res.status != http.StatusConflict {
			t.Errorf("reinvite an active account: %d, want 409", res.status)
		}
	})
	t.Run("ErrResetInvited", func(t *testing.T) {
		res := h.as(t, admin, postForm("/admin/users", url.Values{"email": {"pending@example.org"}, "name": {"待定"}, "role": {"admin"}}))
		uaWantStatus(t, res, http.StatusSeeOther)
		invited, _ := strconv.ParseInt(strings.TrimPrefix(res.header.Get("Location"), adminUsersPath+"/"), 10, 64)
		if res := h.as(t, admin, postForm(adminUserActionPath(invited, "reset"), nil)); res.status != http.StatusConflict {
			t.Errorf("reset an invited account: %d, want 409", res.status)
		}
	})
	t.Run("ErrMissingUser", func(t *testing.T) {
		for _, action := range []string{"disable", "enable", "reset", "reinvite"} {
			if res := h.as(t, admin, postForm(adminUserActionPath(999999, action), nil)); res.status != http.StatusNotFound {
				t.Errorf("%s a missing user: %d, want 404", action, res.status)
			}
		}
	})
}

var uaUserLink = regexp.MustCompile(`href="/admin/users/\d+"`)

func TestUserIndex(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, admin := uaAdmin(t, h)
	ngoID := ngoIDBySlug(t, h, "women-physicians")
	// The demo has 1 admin, 1 reviewer and 18 active staff (one per NGO). Add 30 staff
	// of one NGO: 26 active, 2 invited, 2 disabled.
	for i := range 30 {
		id := createUser(t, h, portal.RoleStaff, ngoID, fmt.Sprintf("team%02d@example.org", i), fmt.Sprintf("队员%02d", i))
		status := "active"
		switch {
		case i < 2:
			status = "invited"
		case i < 4:
			status = "disabled"
		}
		if status == "invited" {
			if _, err := h.db.Pool().Exec(t.Context(), `UPDATE users SET status = 'invited', password_hash = NULL WHERE id = $1`, id); err != nil {
				t.Fatal(err)
			}
		} else if _, err := h.db.Pool().Exec(t.Context(), `UPDATE users SET status = $2 WHERE id = $1`, id, status); err != nil {
			t.Fatal(err)
		}
	}
	ngoParam := strconv.FormatInt(ngoID, 10)
	cases := []struct {
		name  string
		query string
		total int
	}{
		{"All", "", 50},
		{"Admins", "role=admin", 1},
		{"Reviewers", "role=reviewer", 1},
		{"Staff", "role=staff", 48},
		{"OneNGO", "ngo=" + ngoParam, 31},
		{"Invited", "status=invited", 2},
		{"Disabled", "status=disabled", 2},
		{"Active", "status=active", 46},
		{"NGOAndStatus", "ngo=" + ngoParam + "&status=active", 27},
		{"SearchEmail", "q=TEAM1", 10},
		{"SearchName", "q=" + url.QueryEscape("队员2"), 10},
		{"UnknownRoleIgnored", "role=owner", 50},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := h.as(t, admin, get("/admin/users?"+tc.query, "Accept-Language", "en"))
			uaWantStatus(t, res, http.StatusOK)
			if rows := len(uaUserLink.FindAllString(res.body, -1)); rows != min(25, tc.total) {
				t.Errorf("%d rows, want %d", rows, min(25, tc.total))
			}
			if tc.total > 25 {
				wantContains(t, res.body, fmt.Sprintf("Page 1 of 2 (%d in all)", tc.total))
			} else {
				wantContains(t, res.body, fmt.Sprintf("%d in all", tc.total))
			}
		})
	}
	t.Run("OKSecondPageKeepsFilters", func(t *testing.T) {
		first := h.as(t, admin, get("/admin/users?ngo="+ngoParam))
		wantContains(t, first.body, `href="/admin/users?ngo=`+ngoParam+`&amp;page=2" rel="next"`, `<option value="`+ngoParam+`" selected>`)
		second := h.as(t, admin, get("/admin/users?ngo="+ngoParam+"&page=2"))
		if rows := len(uaUserLink.FindAllString(second.body, -1)); rows != 6 {
			t.Errorf("page 2: %d rows, want 6", rows)
		}
		wantContains(t, second.body, `rel="prev"`, "team29@example.org")
		wantAbsent(t, second.body, "team00@example.org")
	})
	t.Run("OKColumns", func(t *testing.T) {
		res := h.as(t, admin, get("/admin/users?q=team00"))
		wantContains(t, res.body, `<caption>账号列表</caption>`, `<th scope="col">姓名</th>`, `>队员00</a>`, "team00@example.org",
			"社会组织工作人员", "上海市女医师协会", `<span class="badge warn">已邀请，未设密码</span>`, `<time datetime="`)
	})
}
