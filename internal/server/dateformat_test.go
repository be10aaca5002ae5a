package server

import (
	"regexp"
	"strings"
	"testing"
)

var (
	// Elements whose content a reader does not see as page text, or sees as
	// what someone typed (a textarea keeps the user's own words).
	hiddenContent = regexp.MustCompile(`(?s)<(script|style|textarea|template)\b[^>]*>.*?</(?:script|style|textarea|template)>`)
	anyTag        = regexp.MustCompile(`(?s)<[^>]*>`)
	isoDate       = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)
)

// visibleText is a page's text as a reader sees it: no tags, no attribute
// values (datetime="2027-01-08" is for machines), no textarea contents.
func visibleText(body string) string {
	return anyTag.ReplaceAllString(hiddenContent.ReplaceAllString(body, " "), " ")
}

// checkDates fails when a page shows a date as YYYY-MM-DD: dates read
// 2027年1月8日 in Chinese and 8 January 2027 in English, on every page.
func checkDates(t *testing.T, body string) {
	t.Helper()
	text := visibleText(body)
	for _, m := range isoDate.FindAllStringIndex(text, 5) {
		from, to := max(0, m[0]-40), min(len(text), m[1]+40)
		t.Errorf("page shows a date as YYYY-MM-DD: …%s…", strings.Join(strings.Fields(text[from:to]), " "))
	}
}

func TestVisibleText(t *testing.T) {
	body := `<p>会议 <time datetime="2027-01-08">2027年1月8日</time></p><textarea>2026-03-08 活动</textarea><input value="2027-01-08">`
	if got := strings.Join(strings.Fields(visibleText(body)), " "); got != "会议 2027年1月8日" {
		t.Errorf("visibleText = %q", got)
	}
	if isoDate.MatchString(visibleText(`<td>2027-01-08 09:00</td>`)) == false {
		t.Error("a table cell's ISO date is not found")
	}
}
