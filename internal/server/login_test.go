package server

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"ngoportal/internal/portal"
)

// signIn posts the sign-in form and returns the response.
func (h *harness) signIn(t *testing.T, email, pw string, extra ...string) response {
	t.Helper()
	form := url.Values{"email": {email}, "password": {pw}}
	for i := 0; i+1 < len(extra); i += 2 {
		form.Set(extra[i], extra[i+1])
	}
	r := postForm("/login", form)
	if remote := form.Get("remote"); remote != "" {
		r.RemoteAddr = remote
	}
	return h.submitCode(t, h.do(t, r), email, form.Get("remote"))
}

// cookieFrom returns the login-session cookie a response set.
func cookieFrom(t *testing.T, res response) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: res.header}).Cookies() {
		if c.Name == sessionCookie && c.MaxAge >= 0 && c.Value != "" {
			return &http.Cookie{Name: c.Name, Value: c.Value}
		}
	}
	t.Fatalf("no login-session cookie in %v", res.header["Set-Cookie"])
	return nil
}

func auditCount(t *testing.T, h *harness, action string, userID int64) int {
	t.Helper()
	var n int
	if err := h.db.Pool().QueryRow(t.Context(), `
		SELECT count(*) FROM audit_log WHERE action = $1 AND object_id IS NOT DISTINCT FROM $2`,
		action, nullable(userID)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func nullable(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ngoA := ngoIDBySlug(t, h, "women-physicians")
	admin := createUser(t, h, portal.RoleAdmin, 0, "chair.office@example.org", "办公室")
	staff := createUser(t, h, portal.RoleStaff, ngoA, "staff.a@example.org", "李华")

	t.Run("OKAdminLandsOnAdminHome", func(t *testing.T) {
		res := h.signIn(t, "Chair.Office@example.org ", testPassword)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/admin" {
			t.Fatalf("status %d, Location %q; want 303 to /admin", res.status, res.header.Get("Location"))
		}
		sc := res.header.Get("Set-Cookie")
		for _, want := range []string{sessionCookie + "=", "HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=43200"} {
			if !strings.Contains(sc, want) {
				t.Errorf("Set-Cookie %q lacks %q", sc, want)
			}
		}
		if strings.Contains(sc, "Secure") {
			t.Error("Secure cookie over plain http")
		}
		if auditCount(t, h, portal.AuditSignIn, admin) == 0 {
			t.Error("no audit row for the sign-in")
		}
	})
	t.Run("OKStaffLandsOnNGOHome", func(t *testing.T) {
		res := h.signIn(t, "staff.a@example.org", testPassword)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/ngo" {
			t.Fatalf("status %d, Location %q; want 303 to /ngo", res.status, res.header.Get("Location"))
		}
	})
	t.Run("OKBackToTheRequestedPage", func(t *testing.T) {
		res := h.signIn(t, "chair.office@example.org", testPassword, "next", "/admin/users?page=2")
		if got := res.header.Get("Location"); got != "/admin/users?page=2" {
			t.Errorf("Location %q", got)
		}
	})
	t.Run("ErrOffsiteNextIgnored", func(t *testing.T) {
		for _, next := range []string{"https://evil.example/", "//evil.example", "/\\evil.example"} {
			res := h.signIn(t, "chair.office@example.org", testPassword, "next", next)
			if got := res.header.Get("Location"); got != "/admin" {
				t.Errorf("next %q: Location %q, want /admin", next, got)
			}
		}
	})
	t.Run("ErrEmptyFieldsKeepValues", func(t *testing.T) {
		res := h.do(t, postForm("/login", url.Values{"email": {"someone@example.org"}, "password": {""}}, "Accept-Language", "en"))
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, res.body, `value="someone@example.org"`, "Enter your password.", `aria-invalid="true"`)
	})

	t.Run("ErrSameAnswerForUnknownEmailAndWrongPassword", func(t *testing.T) {
		wrong := h.signIn(t, "staff.a@example.org", "not-the-right-password-1")
		unknown := h.signIn(t, "nobody@example.org", "not-the-right-password-1")
		if wrong.status != http.StatusUnprocessableEntity || unknown.status != wrong.status {
			t.Fatalf("statuses %d and %d", wrong.status, unknown.status)
		}
		msg := "邮箱或密码不正确，或者该账户无法登录。"
		wantContains(t, wrong.body, msg)
		wantContains(t, unknown.body, msg)
		if cookieSet(wrong) || cookieSet(unknown) {
			t.Error("a failed sign-in set a session cookie")
		}
		if auditCount(t, h, portal.AuditSignInFailed, staff) == 0 || auditCount(t, h, portal.AuditSignInFailed, 0) == 0 {
			t.Error("failed sign-ins are not audited")
		}
	})
	t.Run("OKUnknownEmailTakesAsLongAsWrongPassword", func(t *testing.T) {
		// Both must run argon2id once; an unknown email that skipped it
		// would answer several times faster.
		var wrong, unknown time.Duration
		for i := range 3 {
			start := time.Now()
			h.signIn(t, "staff.a@example.org", "wrong-password-"+strconv.Itoa(i)+"-x")
			wrong += time.Since(start)
			start = time.Now()
			h.signIn(t, "ghost"+strconv.Itoa(i)+"@example.org", "wrong-password-x-y")
			unknown += time.Since(start)
		}
		if unknown < wrong/3 {
			t.Errorf("unknown email took %v, wrong password %v: the unknown email skips the hash", unknown, wrong)
		}
	})
	t.Run("ErrDisabledOrInvitedCannotSignIn", func(t *testing.T) {
		disabled := createUser(t, h, portal.RoleStaff, ngoA, "gone@example.org", "停用")
		if _, err := h.db.Pool().Exec(t.Context(), `UPDATE users SET status = 'disabled' WHERE id = $1`, disabled); err != nil {
			t.Fatal(err)
		}
		if res := h.signIn(t, "gone@example.org", testPassword); res.status != http.StatusUnprocessableEntity || cookieSet(res) {
			t.Errorf("disabled account signed in: %d", res.status)
		}
		if _, err := h.db.Pool().Exec(t.Context(), `INSERT INTO users (email, name, role, ngo_id) VALUES ('new@example.org', '新人', 'staff', $1)`, ngoA); err != nil {
			t.Fatal(err)
		}
		if res := h.signIn(t, "new@example.org", ""); res.status != http.StatusUnprocessableEntity || cookieSet(res) {
			t.Errorf("invited account without a password signed in: %d", res.status)
		}
	})
	t.Run("ErrDeactivatedNGO", func(t *testing.T) {
		ngoB := ngoIDBySlug(t, h, "women-artists")
		createUser(t, h, portal.RoleStaff, ngoB, "artist@example.org", "画家")
		if _, err := h.db.Pool().Exec(t.Context(), `UPDATE ngos SET active = false WHERE id = $1`, ngoB); err != nil {
			t.Fatal(err)
		}
		if res := h.signIn(t, "artist@example.org", testPassword); res.status != http.StatusUnprocessableEntity || cookieSet(res) {
			t.Errorf("staff of a deactivated NGO signed in: %d", res.status)
		}
	})
	t.Run("ErrCrossOriginPost", func(t *testing.T) {
		res := h.do(t, postForm("/login", url.Values{"email": {"chair.office@example.org"}, "password": {testPassword}}, "Sec-Fetch-Site", "cross-site"))
		if res.status != http.StatusForbidden || cookieSet(res) {
			t.Errorf("cross-origin sign-in: status %d", res.status)
		}
	})
	t.Run("NothingSecretInTheLog", func(t *testing.T) {
		res := h.signIn(t, "chair.office@example.org", testPassword, "remote", "203.0.113.99:4000")
		c := cookieFrom(t, res)
		logs := h.logs.String()
		for _, secret := range []string{testPassword, c.Value, "not-the-right-password-1"} {
			if strings.Contains(logs, secret) {
				t.Errorf("the log contains a secret: %q", secret)
			}
		}
	})
}

func cookieSet(res response) bool {
	for _, c := range (&http.Response{Header: res.header}).Cookies() {
		if c.Name == sessionCookie && c.MaxAge >= 0 && c.Value != "" {
			return true
		}
	}
	return false
}

// setCookie returns the one cookie named name that res sets, and fails the
// test when there is none or another name.
func setCookie(t *testing.T, res response, name string) *http.Cookie {
	t.Helper()
	var found []*http.Cookie
	for _, c := range (&http.Response{Header: res.header}).Cookies() {
		if c.Name == name {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		t.Fatalf("Set-Cookie %q, want one cookie named %s", res.header.Values("Set-Cookie"), name)
	}
	return found[0]
}

// TestCookieNames checks the names and attributes of the cookies the
// portal sets: over https a site-wide cookie takes the __Host- prefix
// (Secure, Path=/, no Domain), and the second step's cookie, whose path is
// /login, the __Secure- prefix; over plain http they keep their plain
// names.
func TestCookieNames(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	hs := newHarnessWith(t, map[string]string{"PORTAL_BASE_URL": "https://portal.example.org"}, h.db, h.srv.ready)
	createUser(t, h, portal.RoleAdmin, 0, "cookie-admin@example.org", "管理员")

	cases := []struct {
		name            string
		h               *harness
		session, locale string
		challenge       string
		secure          bool
	}{
		{"OKPlainNamesOverHTTP", h, "portal_session", "locale", "portal_sign_in", false},
		{"OKHostPrefixOverHTTPS", hs, "__Host-portal_session", "__Host-locale", "__Secure-portal_sign_in", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, c := range []*http.Cookie{
				setCookie(t, tc.h.signIn(t, "cookie-admin@example.org", testPassword), tc.session),
				setCookie(t, tc.h.do(t, postForm("/locale", url.Values{"locale": {"en"}})), tc.locale),
			} {
				if c.Secure != tc.secure || c.Path != "/" || c.Domain != "" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
					t.Errorf("%s: Secure %v, Path %q, Domain %q, HttpOnly %v, SameSite %v", c.Name, c.Secure, c.Path, c.Domain, c.HttpOnly, c.SameSite)
				}
			}

			signedIn := tc.h.signIn(t, "cookie-admin@example.org", testPassword)
			if c := setCookie(t, signedIn, tc.challenge); c.Path != loginPath || c.Secure != tc.secure || !c.HttpOnly || c.MaxAge >= 0 {
				t.Errorf("%s (cleared after the second step): Path %q, Secure %v, HttpOnly %v, MaxAge %d", c.Name, c.Path, c.Secure, c.HttpOnly, c.MaxAge)
			}
			session := setCookie(t, signedIn, tc.session)
			if res := tc.h.as(t, &http.Cookie{Name: tc.session, Value: session.Value}, get("/admin")); res.status != http.StatusOK {
				t.Errorf("signed in by %s: GET /admin %d, want 200", tc.session, res.status)
			}
			out := tc.h.as(t, &http.Cookie{Name: tc.session, Value: session.Value}, postForm(logoutPath, nil))
			if c := setCookie(t, out, tc.session); c.MaxAge >= 0 || c.Path != "/" || c.Secure != tc.secure {
				t.Errorf("sign-out does not clear %s: %q", tc.session, out.header.Values("Set-Cookie"))
			}

			r := get("/")
			r.AddCookie(&http.Cookie{Name: tc.locale, Value: "en"})
			if got := tc.h.do(t, r).header.Get("Content-Language"); got != "en" {
				t.Errorf("with %s=en: Content-Language %q", tc.locale, got)
			}
		})
	}

	t.Run("ErrPlainNamesIgnoredOverHTTPS", func(t *testing.T) {
		// A cookie planted under the plain name (by a sibling subdomain or
		// over plain http) signs nobody in and chooses no language.
		id := newToken()
		admin := createUser(t, h, portal.RoleAdmin, 0, "planted@example.org", "管理员")
		if err := h.db.CreateLoginSession(t.Context(), portal.Actor{UserID: admin}, admin, id, "", time.Hour, time.Hour); err != nil {
			t.Fatal(err)
		}
		v, err := hs.srv.cookies.Codecs[0].Encode(sessionCookie, map[any]any{sessionIDKey: id})
		if err != nil {
			t.Fatal(err)
		}
		if res := hs.as(t, &http.Cookie{Name: sessionCookie, Value: v}, get("/admin")); res.status != http.StatusSeeOther {
			t.Errorf("GET /admin with a plain %s over https: %d, want 303 to the sign-in page", sessionCookie, res.status)
		}
		r := get("/")
		r.AddCookie(&http.Cookie{Name: localeCookie, Value: "en"})
		if got := hs.do(t, r).header.Get("Content-Language"); got != "zh-CN" {
			t.Errorf("with a plain %s=en over https: Content-Language %q", localeCookie, got)
		}
	})
}

func TestLoginSessions(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ngoA := ngoIDBySlug(t, h, "women-physicians")
	admin := createUser(t, h, portal.RoleAdmin, 0, "admin2@example.org", "管理员二")
	staff := createUser(t, h, portal.RoleStaff, ngoA, "doc@example.org", "医生")

	t.Run("OKSignedInPagesAreNotCached", func(t *testing.T) {
		c := cookieFrom(t, h.signIn(t, "admin2@example.org", testPassword))
		res := h.as(t, c, get("/"))
		if cc := res.header.Get("Cache-Control"); !strings.Contains(cc, "no-store") || strings.Contains(cc, "public") {
			t.Errorf("Cache-Control %q on a signed-in page", res.header.Get("Cache-Control"))
		}
		wantContains(t, res.body, "管理员二", `action="/logout"`, `href="/admin"`)
	})
	t.Run("ErrNoFixation", func(t *testing.T) {
		// The browser arrives with a valid session id (e.g. planted by
		// someone else); signing in must issue a new one and end the old.
		planted := h.sessionCookie(t, staff)
		r := postForm("/login", url.Values{"email": {"admin2@example.org"}, "password": {testPassword}})
		r.AddCookie(planted)
		res := h.submitCode(t, h.do(t, r), "admin2@example.org", "", planted)
		fresh := cookieFrom(t, res)
		if fresh.Value == planted.Value {
			t.Fatal("the session id did not change at sign-in")
		}
		if got := h.as(t, planted, get("/ngo")); got.status != http.StatusSeeOther {
			t.Errorf("the planted session still works: %d", got.status)
		}
	})
	t.Run("OKSignOutEndsTheSessionOnEveryInstance", func(t *testing.T) {
		second := newHarnessWith(t, nil, h.db, h.srv.ready) // another instance, same database
		c := cookieFrom(t, h.signIn(t, "admin2@example.org", testPassword))
		if res := second.as(t, c, get("/admin/")); res.status == http.StatusSeeOther {
			t.Fatalf("the second instance does not know the session")
		}
		out := h.as(t, c, postForm("/logout", url.Values{}))
		if out.status != http.StatusSeeOther || !strings.HasPrefix(out.header.Get("Location"), "/login") {
			t.Fatalf("sign-out: %d %q", out.status, out.header.Get("Location"))
		}
		if !strings.Contains(out.header.Get("Set-Cookie"), "Max-Age=0") {
			t.Error("sign-out did not clear the cookie")
		}
		res := second.as(t, c, get("/admin/"))
		if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/login") {
			t.Errorf("after sign-out the second instance answers %d %q", res.status, res.header.Get("Location"))
		}
		if auditCount(t, h, portal.AuditSignOut, admin) == 0 {
			t.Error("sign-out not audited")
		}
	})
	t.Run("ErrIdleTimeout", func(t *testing.T) {
		c := h.sessionCookie(t, admin)
		if _, err := h.db.Pool().Exec(t.Context(), `UPDATE auth_sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = $1`, admin); err != nil {
			t.Fatal(err)
		}
		if res := h.as(t, c, get("/admin/")); res.status != http.StatusSeeOther {
			t.Errorf("an idle session still works: %d", res.status)
		}
	})
	t.Run("ErrAbsoluteLifetime", func(t *testing.T) {
		c := h.sessionCookie(t, staff)
		if _, err := h.db.Pool().Exec(t.Context(), `UPDATE auth_sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, staff); err != nil {
			t.Fatal(err)
		}
		if res := h.as(t, c, get("/ngo")); res.status != http.StatusSeeOther {
			t.Errorf("an expired session still works: %d", res.status)
		}
	})
	t.Run("OKActiveSessionIsKeptAlive", func(t *testing.T) {
		c := h.sessionCookie(t, staff)
		if _, err := h.db.Pool().Exec(t.Context(), `UPDATE auth_sessions SET last_seen_at = now() - interval '20 minutes' WHERE user_id = $1`, staff); err != nil {
			t.Fatal(err)
		}
		h.as(t, c, get("/"))
		var idle time.Duration
		if err := h.db.Pool().QueryRow(t.Context(), `SELECT max(now() - last_seen_at) FROM auth_sessions WHERE user_id = $1 AND expires_at > now()`, staff).Scan(&idle); err != nil {
			t.Fatal(err)
		}
		if idle > time.Minute {
			t.Errorf("a request did not refresh the session (idle %v)", idle)
		}
	})
	t.Run("OKAssetsDoNoSessionWork", func(t *testing.T) {
		c := h.sessionCookie(t, admin)
		if _, err := h.db.Pool().Exec(t.Context(), `UPDATE auth_sessions SET last_seen_at = now() - interval '5 minutes' WHERE user_id = $1`, admin); err != nil {
			t.Fatal(err)
		}
		idle := func() time.Duration {
			var d time.Duration
			if err := h.db.Pool().QueryRow(t.Context(), `SELECT min(now() - last_seen_at) FROM auth_sessions WHERE user_id = $1`, admin).Scan(&d); err != nil {
				t.Fatal(err)
			}
			return d
		}
		for _, path := range []string{h.srv.assets.URL("app.css"), "/healthz", "/readyz"} {
			h.as(t, c, get(path))
		}
		if idle() < 4*time.Minute {
			t.Error("an asset or health request read the login session")
		}
		h.as(t, c, get("/"))
		if idle() > time.Minute {
			t.Error("a page request did not read the login session")
		}
	})
	t.Run("ErrForgedCookie", func(t *testing.T) {
		c := h.sessionCookie(t, admin)
		c.Value = c.Value[:len(c.Value)-4] + "AAAA"
		res := h.as(t, c, get("/admin/"))
		if res.status != http.StatusSeeOther || !strings.Contains(res.header.Get("Set-Cookie"), "Max-Age=0") {
			t.Errorf("forged cookie: %d, Set-Cookie %q", res.status, res.header.Get("Set-Cookie"))
		}
	})
	t.Run("OKRequireSignInRemembersThePage", func(t *testing.T) {
		res := h.do(t, get("/admin/users?role=staff"))
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/login?next=%2Fadmin%2Fusers%3Frole%3Dstaff" {
			t.Errorf("signed-out: %d %q", res.status, res.header.Get("Location"))
		}
	})
	t.Run("ErrWrongRoleIsNotFound", func(t *testing.T) {
		if res := h.as(t, h.sessionCookie(t, staff), get("/admin/")); res.status != http.StatusNotFound {
			t.Errorf("staff on /admin: %d, want 404", res.status)
		}
		if res := h.as(t, h.sessionCookie(t, admin), get("/ngo")); res.status != http.StatusNotFound {
			t.Errorf("admin on /ngo: %d, want 404", res.status)
		}
	})
}

func TestSessionKeyRotation(t *testing.T) {
	t.Parallel()
	oldKey, newKey := strings.Repeat("o", 40), strings.Repeat("n", 40)
	h := newHarness(t, map[string]string{"PORTAL_SESSION_KEY": oldKey})
	admin := createUser(t, h, portal.RoleAdmin, 0, "rotate@example.org", "管理员")
	c := h.sessionCookie(t, admin) // signed with the old key

	rotated := newHarnessWith(t, map[string]string{"PORTAL_SESSION_KEY": newKey, "PORTAL_SESSION_KEY_OLD": oldKey}, h.db, h.srv.ready)
	if res := rotated.as(t, c, get("/admin/")); res.status == http.StatusSeeOther {
		t.Error("a cookie signed with the previous key no longer works")
	}
	dropped := newHarnessWith(t, map[string]string{"PORTAL_SESSION_KEY": newKey}, h.db, h.srv.ready)
	if res := dropped.as(t, c, get("/admin/")); res.status != http.StatusSeeOther {
		t.Errorf("a cookie signed with a retired key still works: %d", res.status)
	}
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ngoA := ngoIDBySlug(t, h, "women-lawyers")
	staff := createUser(t, h, portal.RoleStaff, ngoA, "lawyer@example.org", "律师")
	here := cookieFrom(t, h.signIn(t, "lawyer@example.org", testPassword))
	elsewhere := cookieFrom(t, h.signIn(t, "lawyer@example.org", testPassword))
	const newPW = "quiet-river-under-the-bridge"

	cases := []struct {
		name                       string
		current, password, confirm string
		want                       string
	}{
		{"ErrCurrentWrong", "nope-nope-nope-nope", newPW, newPW, "当前密码不正确。"},
		{"ErrTooShort", testPassword, "short", "short", "密码至少需要 12 个字符。"},
		{"ErrCommon", testPassword, "qwertyuiop123", "qwertyuiop123", "这个密码太常见"},
		{"ErrMismatch", testPassword, newPW, newPW + "x", "两次输入的密码不一致。"},
		{"ErrUnchanged", testPassword, testPassword, testPassword, "新密码不能与当前密码相同。"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := h.as(t, here, postForm("/account/password", url.Values{"current": {tc.current}, "password": {tc.password}, "confirm": {tc.confirm}}))
			if res.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", res.status)
			}
			wantContains(t, res.body, tc.want)
			wantAbsent(t, res.body, tc.password)
		})
	}
	t.Run("OK", func(t *testing.T) {
		res := h.as(t, here, postForm("/account/password", url.Values{"current": {testPassword}, "password": {newPW}, "confirm": {newPW}}))
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/ngo" {
			t.Fatalf("status %d %q", res.status, res.header.Get("Location"))
		}
		renewed := cookieFrom(t, res)
		if got := h.as(t, elsewhere, get("/account/password")); got.status != http.StatusSeeOther {
			t.Errorf("the session on another device survived the password change: %d", got.status)
		}
		if got := h.as(t, here, get("/account/password")); got.status != http.StatusSeeOther {
			t.Errorf("the old session id survived the password change: %d", got.status)
		}
		page := h.as(t, renewed, get("/account/password"))
		if page.status != http.StatusOK {
			t.Fatalf("the renewed session does not work: %d", page.status)
		}
		wantContains(t, page.body, "密码已修改。")
		if again := h.as(t, renewed, get("/account/password")); strings.Contains(again.body, "密码已修改。") {
			t.Error("the flash message showed twice")
		}
		if h.signIn(t, "lawyer@example.org", newPW).status != http.StatusSeeOther {
			t.Error("the new password does not work")
		}
		if auditCount(t, h, portal.AuditPasswordChanged, staff) != 1 {
			t.Error("the change is not audited once")
		}
		if strings.Contains(h.logs.String(), newPW) {
			t.Error("the new password is in the log")
		}
	})
}

// insertToken stores a link token as the admin pages do: only its hash.
func insertToken(t *testing.T, h *harness, userID int64, purpose string, ttl string) string {
	t.Helper()
	token := newToken()
	sum := sha256.Sum256([]byte(token))
	if _, err := h.db.Pool().Exec(t.Context(), `
		INSERT INTO user_tokens (token_hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, now() + $4::interval)`,
		sum[:], userID, purpose, ttl); err != nil {
		t.Fatal(err)
	}
	return token
}

func TestInvitationAndResetLinks(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ngoA := ngoIDBySlug(t, h, "women-volunteers")
	var invited int64
	if err := h.db.Pool().QueryRow(t.Context(), `
		INSERT INTO users (email, name, role, ngo_id) VALUES ('volunteer@example.org', '志愿者', 'staff', $1) RETURNING id`, ngoA).Scan(&invited); err != nil {
		t.Fatal(err)
	}
	const chosen = "lanterns-along-the-huangpu"

	t.Run("OKInvitation", func(t *testing.T) {
		token := insertToken(t, h, invited, "invite", "7 days")
		page := h.do(t, get("/invite/"+token, "Accept-Language", "en"))
		if page.status != http.StatusOK {
			t.Fatalf("status %d", page.status)
		}
		wantContains(t, page.body, "Accept your invitation", "volunteer@example.org")
		if page.header.Get("Referrer-Policy") != "no-referrer" {
			t.Error("a page with a token in its URL may leak it in Referer")
		}
		bad := h.do(t, postForm("/invite/"+token, url.Values{"password": {"short"}, "confirm": {"short"}}))
		if bad.status != http.StatusUnprocessableEntity {
			t.Fatalf("weak password: status %d", bad.status)
		}
		res := h.do(t, postForm("/invite/"+token, url.Values{"password": {chosen}, "confirm": {chosen}}))
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/login?notice=password_set" {
			t.Fatalf("status %d %q", res.status, res.header.Get("Location"))
		}
		if h.signIn(t, "volunteer@example.org", chosen).header.Get("Location") != "/ngo" {
			t.Error("the invited user cannot sign in with the chosen password")
		}
		if again := h.do(t, get("/invite/"+token)); again.status != http.StatusNotFound {
			t.Errorf("a used invitation answers %d", again.status)
		}
		if again := h.do(t, postForm("/invite/"+token, url.Values{"password": {"another-long-password"}, "confirm": {"another-long-password"}})); again.status != http.StatusNotFound {
			t.Errorf("a used invitation accepted a second password: %d", again.status)
		}
		if auditCount(t, h, portal.AuditInviteAccepted, invited) != 1 {
			t.Error("the accepted invitation is not audited")
		}
	})
	t.Run("ErrExpired", func(t *testing.T) {
		token := insertToken(t, h, invited, "reset", "-1 second")
		if res := h.do(t, get("/reset/"+token)); res.status != http.StatusNotFound {
			t.Errorf("an expired link answers %d", res.status)
		}
	})
	t.Run("ErrWrongPurpose", func(t *testing.T) {
		token := insertToken(t, h, invited, "reset", "1 hour")
		if res := h.do(t, get("/invite/"+token)); res.status != http.StatusNotFound {
			t.Errorf("a reset token opened the invitation page: %d", res.status)
		}
	})
	t.Run("OKResetEndsSessions", func(t *testing.T) {
		c := cookieFrom(t, h.signIn(t, "volunteer@example.org", chosen))
		token := insertToken(t, h, invited, "reset", "2 hours")
		other := insertToken(t, h, invited, "reset", "2 hours")
		const next = "moonlight-over-the-bund-2021"
		res := h.do(t, postForm("/reset/"+token, url.Values{"password": {next}, "confirm": {next}}))
		if res.status != http.StatusSeeOther {
			t.Fatalf("status %d", res.status)
		}
		if got := h.as(t, c, get("/ngo")); got.status != http.StatusSeeOther {
			t.Errorf("a session survived the reset: %d", got.status)
		}
		if got := h.do(t, get("/reset/"+other)); got.status != http.StatusNotFound {
			t.Errorf("another open reset link still works after a reset: %d", got.status)
		}
		if h.signIn(t, "volunteer@example.org", next).status != http.StatusSeeOther {
			t.Error("the new password does not work")
		}
		if auditCount(t, h, portal.AuditPasswordReset, invited) != 1 {
			t.Error("the reset is not audited")
		}
		var stored int
		if err := h.db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM user_tokens WHERE encode(token_hash, 'escape') LIKE '%' || $1 || '%'`, token).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored != 0 {
			t.Error("a token is stored in clear")
		}
	})
}

// TestChangePasswordThrottled: the current password is guessed like one at
// sign-in (from a stolen login session), so it counts against the sign-in
// throttle: after five wrong ones the account waits (429 with
// Retry-After), even for the right one, and nothing changes.
func TestChangePasswordThrottled(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	staff := createUser(t, h, portal.RoleStaff, ngoIDBySlug(t, h, "women-lawyers"), "guessed.lawyer@example.org", "律师")
	c := h.sessionCookie(t, staff)
	const newPW = "quiet-river-under-the-bridge"
	for i := range 5 {
		res := h.as(t, c, postForm(accountPasswordPath, url.Values{"current": {fmt.Sprintf("wrong-password-%02d", i)}, "password": {newPW}, "confirm": {newPW}}))
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong current password %d: %d, want 422", i+1, res.status)
		}
	}
	res := h.as(t, c, postForm(accountPasswordPath, url.Values{"current": {testPassword}, "password": {newPW}, "confirm": {newPW}}, "Accept-Language", "en"))
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" {
		t.Fatalf("after five wrong passwords: %d, Retry-After %q; want 429 with Retry-After", res.status, res.header.Get("Retry-After"))
	}
	wantContains(t, res.body, "Too many wrong passwords for this account")
	wantAbsent(t, res.body, newPW)
	if n := auditCount(t, h, portal.AuditPasswordChanged, staff); n != 0 {
		t.Errorf("the password was changed while throttled (%d audit entries)", n)
	}
}
