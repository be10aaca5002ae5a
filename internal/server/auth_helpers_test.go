package server

import (
	"net/http"
	"net/netip"
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

// createUser adds an active account; ngoID 0 for an admin.
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
	return id
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
