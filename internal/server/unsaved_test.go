package server

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// The unsaved-changes warning is a script of our own, from our own origin
// under a hashed URL, which the Content-Security-Policy allows without
// 'unsafe-inline'; the forms that warn are marked for it.
func TestUnsavedChangesScript(t *testing.T) {
	t.Parallel()
	f := newAttFixture(t, nil)
	h := f.h
	page := h.as(t, f.staff, get(f.listPath()))
	src := regexp.MustCompile(`<script src="(/static/unsaved\.[0-9a-f]+\.js)" defer></script>`).FindStringSubmatch(page.body)
	if src == nil {
		t.Fatal("the page does not load unsaved.js")
	}
	if regexp.MustCompile(`<script(?: [^>]*)?>[^<]`).MatchString(page.body) {
		t.Error("the page has an inline script")
	}
	wantContains(t, page.body, `enctype="multipart/form-data" novalidate data-warn-unsaved>`)

	// Public pages have no such forms and stay without scripts.
	wantAbsent(t, h.do(t, get("/")).body, "<script")

	res := h.do(t, get(src[1]))
	if res.status != http.StatusOK {
		t.Fatalf("%s: status %d", src[1], res.status)
	}
	if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("Content-Type %q", ct)
	}
	wantContains(t, res.body, `addEventListener("beforeunload"`, "data-warn-unsaved")
	for _, r := range []response{page, res} {
		csp := r.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("Content-Security-Policy %q: our script must run, nothing inline", csp)
		}
	}
	if res.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("the script is served without nosniff")
	}
}
