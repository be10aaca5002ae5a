package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestBadBytes: a NUL byte (which PostgreSQL refuses, SQLSTATE 22021) or
// bytes that are not UTF-8, in a path, a query, a form or a multipart text
// field, are refused at the edge: 404 for a path, 400 for the rest, never
// 500.
func TestBadBytes(t *testing.T) {
	t.Parallel()
	sh := newSumHarness(t, nil)
	h := sh.harness
	sh.compose(t) // a draft to set a cover on
	for _, bad := range []struct{ name, escaped, raw string }{
		{"NUL", "%00", "\x00"},
		{"InvalidUTF8", "%ff", "\xff"},
	} {
		t.Run(bad.name, func(t *testing.T) {
			cases := []struct {
				name   string
				cookie *http.Cookie
				r      *http.Request
				want   int
			}{
				{"SessionPath", nil, get("/sessions/a" + bad.escaped + "b"), http.StatusNotFound},
				{"SessionCoverPath", nil, get("/sessions/a" + bad.escaped + "b/cover"), http.StatusNotFound},
				{"NGOPath", nil, get("/ngos/a" + bad.escaped + "b"), http.StatusNotFound},
				{"AdminUsersQuery", sh.admin, get("/admin/users?q=a" + bad.escaped + "b"), http.StatusBadRequest},
				{"LoginEmail", nil, postForm(loginPath, url.Values{"email": {"a" + bad.raw + "b@example.org"}, "password": {testPassword}}), http.StatusBadRequest},
				{"LoginPassword", nil, postForm(loginPath, url.Values{"email": {"a@example.org"}, "password": {"pass" + bad.raw + "word"}}), http.StatusBadRequest},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					res := h.as(t, tc.cookie, tc.r)
					if res.status != tc.want {
						t.Fatalf("%s %s: status %d, want %d", tc.r.Method, tc.r.URL, res.status, tc.want)
					}
					wantAbsent(t, res.body, "SQLSTATE", "22021")
				})
			}
			t.Run("MultipartTextField", func(t *testing.T) {
				s := sh.summary(t)
				r := coverUpload(t, sh.path("/cover"), s.Version, "cover.png", sumPNG(t, 2, false), "会场"+bad.raw+"照片", "Room")
				sh.do(t, r, http.StatusBadRequest)
				if cur := sh.summary(t); cur.HasCover || cur.Version != s.Version {
					t.Errorf("a cover with a bad alt text was stored: %+v", cur)
				}
			})
		})
	}
	if logs := h.logs.String(); strings.Contains(logs, "level=ERROR") {
		t.Errorf("errors logged:\n%s", logs)
	}
}
