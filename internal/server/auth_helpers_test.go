package server

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"ngoportal/internal/password"
	"ngoportal/internal/portal"
)

// testPassword is the password of every account createUser makes.
const testPassword = "violet-harbour-lantern-42"

// testPasswordHash is computed once: argon2id is slow on purpose.
var testPasswordHash = func() string {
	h, err := password.Hash(testPassword)
	if err != nil {
		panic(err)
	}
	return h
}()

// testTOTPSecret is the authenticator key of every account createUser
// makes with a role that requires a second factor.
const testTOTPSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// createUser adds an active account; ngoID 0 for an admin. An admin gets
// testTOTPSecret as second factor, as a real admin has one.
func createUser(t *testing.T, h *harness, role portal.Role, ngoID int64, email, name string) int64 {
	t.Helper()
	var ngoArg any
	if ngoID != 0 {
		ngoArg = ngoID
	}
	var id int64
	err := h.db.Pool().QueryRow(t.Context(), `
		INSERT INTO users (email, name, role, ngo_id, status, password_hash, password_changed_at)
		VALUES ($1, $2, $3, $4, 'active', $5, now()) RETURNING id`, email, name, role, ngoArg, testPasswordHash).Scan(&id)
	if err != nil {
		t.Fatalf("create user %s: %v", email, err)
	}
	if role.RequiresSecondFactor() {
		if _, err := h.db.Pool().Exec(t.Context(), `
			INSERT INTO user_second_factors (user_id, totp_secret) VALUES ($1, $2)`, id, testTOTPSecret); err != nil {
			t.Fatalf("second factor of %s: %v", email, err)
		}
	}
	return id
}

// submitCode completes a sign-in that res sent to the code step, as the
// user's authenticator app would, with c added to the request; the other
// responses come back as they are. Tests sign the same account in many
// times within one 30-second step, where a real user would wait for the
// next code: the helper forgets the last step used first.
func (h *harness) submitCode(t *testing.T, res response, email, remote string, c ...*http.Cookie) response {
	t.Helper()
	if res.status != http.StatusSeeOther || res.header.Get("Location") != loginCodePath {
		return res
	}
	var secret string
	if err := h.db.Pool().QueryRow(t.Context(), `
		UPDATE user_second_factors f SET last_step = 0 FROM users u
		WHERE u.id = f.user_id AND u.email = lower($1) RETURNING f.totp_secret`, strings.TrimSpace(email)).Scan(&secret); err != nil {
		t.Fatalf("second factor of %s: %v", email, err)
	}
	code, err := password.TOTPCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	r := postForm(loginCodePath, url.Values{"code": {code}})
	r.AddCookie(challengeCookieFrom(t, res))
	for _, c := range c {
		r.AddCookie(c)
	}
	if remote != "" {
		r.RemoteAddr = remote
	}
	return h.do(t, r)
}

// challengeCookieFrom returns the cookie of a sign-in waiting for its
// second step.
func challengeCookieFrom(t *testing.T, res response) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: res.header}).Cookies() {
		if strings.TrimPrefix(c.Name, secureCookiePrefix) == challengeCookie && c.MaxAge >= 0 && c.Value != "" {
			return &http.Cookie{Name: c.Name, Value: c.Value}
		}
	}
	t.Fatalf("no sign-in challenge cookie in %v", res.header["Set-Cookie"])
	return nil
}

// ngoIDBySlug returns a demo NGO's id.
func ngoIDBySlug(t *testing.T, h *harness, slug string) int64 {
	t.Helper()
	var id int64
	if err := h.db.Pool().QueryRow(t.Context(), `SELECT id FROM ngos WHERE slug = $1`, slug).Scan(&id); err != nil {
		t.Fatalf("NGO %s: %v", slug, err)
	}
	return id
}

// sessionCookie opens a login session for the user directly in the
// database, as a sign-in would, and returns the browser's cookie.
func (h *harness) sessionCookie(t *testing.T, userID int64) *http.Cookie {
	t.Helper()
	id := newToken()
	a := portal.Actor{UserID: userID, ClientAddr: netip.MustParseAddr("192.0.2.1"), RequestID: "test"}
	if err := h.db.CreateLoginSession(t.Context(), a, userID, id, "", 12*time.Hour, 30*time.Minute); err != nil {
		t.Fatal(err)
	}
	return h.cookieWithID(t, id)
}

// cookieWithID signs a cookie carrying a login-session id.
func (h *harness) cookieWithID(t *testing.T, id string) *http.Cookie {
	t.Helper()
	name := h.srv.cookieName(sessionCookie)
	v, err := h.srv.cookies.Codecs[0].Encode(name, map[any]any{sessionIDKey: id})
	if err != nil {
		t.Fatal(err)
	}
	return &http.Cookie{Name: name, Value: v}
}

// as sends r with the cookie (nil: as the public).
func (h *harness) as(t *testing.T, c *http.Cookie, r *http.Request) response {
	t.Helper()
	if c != nil {
		r.AddCookie(c)
	}
	return h.do(t, r)
}
