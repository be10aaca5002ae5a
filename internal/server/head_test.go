package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// HEAD is answered like GET, without a body: crawlers and link checkers
// use it on the public pages.
func TestHeadAnsweredLikeGet(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	for _, path := range []string{"/", "/sessions", "/ngos", "/robots.txt"} {
		get := h.do(t, httptest.NewRequest(http.MethodGet, path, nil))
		rec := httptest.NewRecorder()
		h.srv.ServeHTTP(rec, httptest.NewRequest(http.MethodHead, path, nil))
		if rec.Code != get.status || rec.Code != http.StatusOK {
			t.Errorf("HEAD %s: %d, GET: %d", path, rec.Code, get.status)
		}
		if rec.Header().Get("Content-Type") != get.header.Get("Content-Type") {
			t.Errorf("HEAD %s: Content-Type %q, GET %q", path, rec.Header().Get("Content-Type"), get.header.Get("Content-Type"))
		}
	}
}
