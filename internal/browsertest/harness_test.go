package browsertest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// The accessibility check must be able to fail: a page with an unlabelled
// field and grey-on-grey text has serious violations.
func TestViolationsFindsProblems(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, `<!DOCTYPE html><html><head><title>bad</title></head><body>
			<main><h1>Bad page</h1><form><input type="text" name="q"></form>
			<p style="color:#aaa;background:#bbb">hard to read</p></main></body></html>`)
	}))
	defer ts.Close()
	ctx := NewBrowser(t, Options{})
	Navigate(t, ctx, ts.URL)
	vs, err := Violations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]string{}
	for _, v := range vs {
		found[v.ID] = v.Impact
	}
	for _, id := range []string{"label", "color-contrast", "html-has-lang"} {
		if found[id] != "serious" && found[id] != "critical" {
			t.Errorf("axe did not report %s as serious or critical; got %v", id, found)
		}
	}
}
