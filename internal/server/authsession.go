package server

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"

	"github.com/gorilla/sessions"

	"ngoportal/internal/config"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// sessionCookie names the login-session cookie (over https with the
// __Host- prefix: cookieName). It carries only a random session id,
// signed; everything else is in the auth_sessions table and re-read on
// every request.
const sessionCookie = "portal_session"

// hostCookiePrefix marks a cookie that browsers accept only when it is
// Secure, set over https, with Path=/ and no Domain: neither a sibling
// subdomain nor a plain-http page can plant or overwrite it.
const hostCookiePrefix = "__Host-"

// secureCookiePrefix marks a cookie that browsers accept only when it is
// Secure: for a cookie whose path is not / (which __Host- requires).
const secureCookiePrefix = "__Secure-"

// cookieName is the name under which the server sets a site-wide cookie
// (Path=/, no Domain): with the __Host- prefix when cookies are Secure (an
// https base URL), the plain name otherwise, since browsers refuse a
// __Host- cookie that is not Secure.
func (s *Server) cookieName(name string) string {
	if s.cfg.SecureCookies() {
		return hostCookiePrefix + name
	}
	return name
}

// sessionIDKey is the key of the id inside the signed cookie.
const sessionIDKey = "sid"

// newCookieStore signs cookies with the current key and still accepts ones
// signed with the previous key, so keys can rotate without signing anyone
// out. Cookies are HttpOnly, SameSite=Lax, and Secure over https.
func newCookieStore(cfg config.Config) *sessions.CookieStore {
	keys := [][]byte{deriveKey(cfg.SessionKey), nil}
	if cfg.SessionKeyOld != "" {
		keys = append(keys, deriveKey(cfg.SessionKeyOld), nil)
	}
	st := sessions.NewCookieStore(keys...)
	st.Options = &sessions.Options{
		Path:     "/",
		HttpOnly: true,
		Secure:   cfg.SecureCookies(),
		SameSite: http.SameSiteLaxMode,
	}
	st.MaxAge(int(cfg.SessionLifetime.Seconds()))
	return st
}

// deriveKey turns the configured secret into a 64-byte HMAC key.
func deriveKey(secret string) []byte {
	a := sha256.Sum256([]byte("ngoportal login-session signing key 1\x00" + secret))
	b := sha256.Sum256([]byte("ngoportal login-session signing key 2\x00" + secret))
	return append(a[:], b[:]...)
}

// newToken returns 32 random bytes, URL-safe: a session id or a link token.
func newToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

type viewerKey struct{}

// auth is who is asking, as loaded by withViewer.
type auth struct {
	viewer portal.Viewer
	idHash []byte // the login session's id hash; nil for the public
	flash  string // raw flash of the login session
}

// viewerFrom returns who is asking; the public when nobody signed in.
func viewerFrom(ctx context.Context) portal.Viewer {
	a, _ := ctx.Value(viewerKey{}).(auth)
	return a.viewer
}

func authFrom(ctx context.Context) auth {
	a, _ := ctx.Value(viewerKey{}).(auth)
	return a
}

// withViewer loads the signed-in user, role and NGO from the login session
// on every request. A request without the cookie does no session work at
// all. Pages for signed-in users are never cached.
func (s *Server) withViewer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := r.Cookie(s.cookieName(sessionCookie)); err != nil {
			next.ServeHTTP(w, r)
			return
		}
		id := s.sessionID(r)
		if id == "" {
			s.clearSessionCookie(w)
			next.ServeHTTP(w, r)
			return
		}
		ls, err := s.db.LoginSessionByID(r.Context(), id, s.cfg.SessionIdle)
		if errors.Is(err, portal.ErrNotFound) {
			s.clearSessionCookie(w)
			next.ServeHTTP(w, r)
			return
		}
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		ctx := context.WithValue(r.Context(), viewerKey{}, auth{viewer: ls.Viewer, idHash: ls.IDHash, flash: ls.Flash})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// sessionID decodes the login-session id from the signed cookie; "" when
// the cookie is missing, forged or signed with an unknown key.
func (s *Server) sessionID(r *http.Request) string {
	name := s.cookieName(sessionCookie)
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	// Decode directly rather than through the store's per-request
	// registry, which would cache a session we may replace.
	vals := map[any]any{}
	for _, codec := range s.cookies.Codecs {
		if err := codec.Decode(name, c.Value, &vals); err == nil {
			id, _ := vals[sessionIDKey].(string)
			return id
		}
	}
	return ""
}

// setSessionCookie writes the signed cookie that carries id.
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, id string) error {
	sess := sessions.NewSession(s.cookies, s.cookieName(sessionCookie))
	opts := *s.cookies.Options
	sess.Options = &opts
	sess.IsNew = true
	sess.Values[sessionIDKey] = id
	return s.cookies.Save(r, w, sess)
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(sessionCookie), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.SecureCookies(), SameSite: http.SameSiteLaxMode,
	})
}

// requireRole lets through only viewers with one of the roles (any
// signed-in viewer for RolePublic). Signed-out readers go to the sign-in
// page and come back afterwards. A signed-in user of another area gets 404,
// as if the page did not exist; a federation official whose role may enter
// the federation's area but not this part of it (a reviewer on an admin's
// page or action) gets 403.
func (s *Server) requireRole(roles ...portal.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			v := viewerFrom(r.Context())
			switch {
			case !v.SignedIn():
				s.redirectToLogin(w, r)
			case slices.Contains(roles, portal.RolePublic) || slices.Contains(roles, v.Role):
				next.ServeHTTP(w, r)
			case v.Role.Official() && slices.ContainsFunc(roles, portal.Role.Official):
				s.renderError(w, r, portal.ErrForbidden)
			default:
				s.renderError(w, r, errNotFound)
			}
		})
	}
}

// requireSignedIn lets through any signed-in viewer.
func (s *Server) requireSignedIn(next http.Handler) http.Handler {
	return s.requireRole(portal.RolePublic)(next)
}

func (s *Server) redirectToLogin(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Path
	if r.Method != http.MethodGet {
		next = "" // a form post cannot be replayed; land on the role's home
	} else if r.URL.RawQuery != "" {
		next += "?" + r.URL.RawQuery
	}
	target := loginPath
	if next != "" && next != "/" {
		target += "?" + url.Values{"next": {next}}.Encode()
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// homeOf is where a role lands after sign-in.
func homeOf(v portal.Viewer) string {
	switch v.Role {
	case portal.RoleAdmin, portal.RoleReviewer:
		return adminHomePath
	case portal.RoleStaff:
		return ngoHomePath
	default:
		return "/"
	}
}

// clientAddr is the connection's peer, or, when the peer is a trusted
// proxy, the nearest untrusted address in X-Forwarded-For. Forwarded
// headers from anyone else are ignored.
func (s *Server) clientAddr(r *http.Request) netip.Addr {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		a, _ := netip.ParseAddr(r.RemoteAddr)
		return a.Unmap()
	}
	addr := peer.Addr().Unmap()
	if !s.trusted(addr) {
		return addr
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return addr // a malformed chain: trust nothing beyond the proxy
		}
		a = a.Unmap()
		if !s.trusted(a) {
			return a
		}
		addr = a
	}
	return addr
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// actor describes the request for the audit log.
func (s *Server) actor(r *http.Request) portal.Actor {
	v := viewerFrom(r.Context())
	return portal.Actor{UserID: v.UserID, Email: v.Email, ClientAddr: s.clientAddr(r), RequestID: requestID(r.Context())}
}

// flash is a one-time message shown on the next page of a login session:
// a message key, and a link to show with it (an invitation or reset link
// the admin passes on).
type flash struct {
	Key string `json:"key"`
	// Args are the message's numbers, e.g. how many rows an action copied.
	Args map[string]int `json:"args,omitempty"`
	Link string         `json:"-"`
	// Sealed is Link encrypted with a key derived from the login-session
	// id. The database holds only the id's hash, so the flash row never
	// reveals a usable link, even for the moment before it is shown.
	Sealed string `json:"sealed,omitempty"`
	// Codes are one-time secrets to show once (new recovery codes),
	// sealed like Link into SealedCodes.
	Codes       []string `json:"-"`
	SealedCodes string   `json:"sealedCodes,omitempty"`
}

// setFlash stores a message for the viewer's next page.
func (s *Server) setFlash(r *http.Request, f flash) error {
	a := authFrom(r.Context())
	if a.idHash == nil {
		return nil
	}
	return s.storeFlash(r.Context(), s.sessionID(r), f)
}

// storeFlash stores a message for the next page of the login session id,
// its secrets sealed with a key only that session's cookie gives.
func (s *Server) storeFlash(ctx context.Context, id string, f flash) error {
	if f.Link != "" {
		sealed, err := sealLink(id, f.Link)
		if err != nil {
			return err
		}
		f.Sealed, f.Link = sealed, ""
	}
	if len(f.Codes) > 0 {
		sealed, err := sealLink(id, strings.Join(f.Codes, "\n"))
		if err != nil {
			return err
		}
		f.SealedCodes, f.Codes = sealed, nil
	}
	raw, err := json.Marshal(f)
	if err != nil {
		return err
	}
	return s.db.SetFlash(ctx, hashOf(id), string(raw))
}

// redirectFlash leaves the message msgKey for the viewer's next page and
// sends them there with 303 See Other: how a successful POST ends.
func (s *Server) redirectFlash(w http.ResponseWriter, r *http.Request, path, msgKey string) error {
	return s.redirectWithFlash(w, r, path, flash{Key: msgKey})
}

// redirectWithFlash is redirectFlash for a flash that carries a link too
// (an invitation or reset link the admin passes on).
func (s *Server) redirectWithFlash(w http.ResponseWriter, r *http.Request, path string, f flash) error {
	if err := s.setFlash(r, f); err != nil {
		return err
	}
	http.Redirect(w, r, path, http.StatusSeeOther)
	return nil
}

// takeFlash returns the viewer's pending message and clears it.
func (s *Server) takeFlash(r *http.Request) flash {
	a := authFrom(r.Context())
	if a.flash == "" || r.Method != http.MethodGet {
		return flash{}
	}
	var f flash
	if err := json.Unmarshal([]byte(a.flash), &f); err != nil {
		s.log.Warn("unreadable flash", "request_id", requestID(r.Context()), "err", err)
	}
	if f.Sealed != "" {
		link, err := openLink(s.sessionID(r), f.Sealed)
		if err != nil {
			s.log.Warn("unreadable flash link", "request_id", requestID(r.Context()), "err", err)
		}
		f.Link = link
	}
	if f.SealedCodes != "" {
		codes, err := openLink(s.sessionID(r), f.SealedCodes)
		if err != nil {
			s.log.Warn("unreadable flash codes", "request_id", requestID(r.Context()), "err", err)
		} else {
			f.Codes = strings.Split(codes, "\n")
		}
	}
	if err := s.db.TakeFlash(r.Context(), a.idHash); err != nil {
		s.log.Error("clear flash", "request_id", requestID(r.Context()), "err", err)
	}
	return f
}

// linkKey derives the flash-link key from a login-session id.
func linkKey(sessionID string) []byte {
	k := sha256.Sum256([]byte("ngoportal flash link\x00" + sessionID))
	return k[:]
}

// sealLink encrypts link with AES-256-GCM under the session's link key.
func sealLink(sessionID, link string) (string, error) {
	block, err := aes.NewCipher(linkKey(sessionID))
	if err != nil {
		return "", err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(gcm.Seal(nonce, nonce, []byte(link), nil)), nil
}

// openLink decrypts what sealLink made for the same session.
func openLink(sessionID, sealed string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(sealed)
	if err != nil {
		return "", err
	}
	block, err := aes.NewCipher(linkKey(sessionID))
	if err != nil {
		return "", err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return "", err
	}
	if len(raw) < gcm.NonceSize() {
		return "", errors.New("sealed link too short")
	}
	plain, err := gcm.Open(nil, raw[:gcm.NonceSize()], raw[gcm.NonceSize():], nil)
	if err != nil {
		return "", err
	}
	return string(plain), nil
}

// hashOf is the stored form of a session id.
func hashOf(id string) []byte { return postgres.HashToken(id) }
