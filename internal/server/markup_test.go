package server

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// checkMarkup checks what every page must have: one h1, headings that do
// not skip a level, unique ids, a label for every visible control and a
// caption for every table.
func checkMarkup(t *testing.T, body string) {
	t.Helper()
	if n := strings.Count(body, "<h1"); n != 1 {
		t.Errorf("%d h1 elements, want 1", n)
	}
	level := 1
	for _, m := range regexp.MustCompile(`<h([1-6])[ >]`).FindAllStringSubmatch(body, -1) {
		l, _ := strconv.Atoi(m[1])
		if l > level+1 {
			t.Errorf("heading h%d follows h%d", l, level)
		}
		level = l
	}
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(` id="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		if seen[m[1]] {
			t.Errorf("duplicate id %q", m[1])
		}
		seen[m[1]] = true
	}
	for _, m := range regexp.MustCompile(`<(?:input|select|textarea)([^>]*)>`).FindAllStringSubmatch(body, -1) {
		if strings.Contains(m[1], `type="hidden"`) || strings.Contains(m[1], `type="submit"`) {
			continue
		}
		id := regexp.MustCompile(` id="([^"]+)"`).FindStringSubmatch(m[1])
		if id == nil || !regexp.MustCompile(`<label[^>]* for="`+regexp.QuoteMeta(id[1])+`"`).MatchString(body) {
			t.Errorf("control %s has no label", m[0])
		}
	}
	if strings.Count(body, "<table") != strings.Count(body, "<caption") {
		t.Errorf("a table without a caption")
	}
}
