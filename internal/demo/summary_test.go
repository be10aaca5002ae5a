package demo_test

import (
	"strings"
	"testing"

	"ngoportal/internal/portal"
)

// The demo publishes the summary of the 19 January 2021 session in both
// languages, with its facts, readable by the public and kept in the
// version history.
func TestSeedSummary(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db, _ := seeded(t)
	ps, err := db.PublishedSummaryBySlug(ctx, "2021-municipal-leadership-session")
	if err != nil {
		t.Fatalf("the demo summary is not public: %v", err)
	}
	s := ps.Summary
	if s.Status != portal.SummaryPublished || s.FirstPublishedAt == nil {
		t.Fatalf("status %s, first published %v", s.Status, s.FirstPublishedAt)
	}
	if got := s.FirstPublishedAt.UTC().Format("2006-01-02"); got != "2021-01-20" {
		t.Errorf("first published %s, want the day after the session", got)
	}
	zh := s.ZH.Title + s.ZH.Lead + s.ZH.Body
	for _, fact := range []string{"2021年1月19日", "18家", "徐枫", "翁文磊", "王剑璋", "中国共产党成立100周年", "长三角"} {
		if !strings.Contains(zh, fact) {
			t.Errorf("Chinese summary lacks %q", fact)
		}
	}
	en := s.EN.Title + s.EN.Lead + s.EN.Body
	for _, fact := range []string{"19 January 2021", "Eighteen NGOs", "Xu Feng", "Weng Wenlei", "Wang Jianzhang",
		"100th anniversary", "Yangtze River Delta"} {
		if !strings.Contains(en, fact) {
			t.Errorf("English summary lacks %q", fact)
		}
	}
	// The chair's requests are the page's own section; the body does not
	// list them a second time.
	for _, q := range ps.Requests {
		if strings.Contains(zh, q.TextZH[:30]) || strings.Contains(zh, "两点要求") {
			t.Errorf("the Chinese body lists request %d, which the page lists already", q.Number)
		}
		if strings.Contains(en, q.TextEN[:30]) || strings.Contains(en, "two requests") {
			t.Errorf("the English body lists request %d, which the page lists already", q.Number)
		}
	}
	if ps.AttendanceCount() != 18 || len(ps.Requests) != 2 || len(ps.Officials) != 3 {
		t.Errorf("page facts: %d NGOs, %d requests, %d officials", ps.AttendanceCount(), len(ps.Requests), len(ps.Officials))
	}
	versions, err := db.SummaryVersions(ctx, s.ID)
	if err != nil || len(versions) != 2 || versions[0].Action != portal.VersionPublished || versions[1].Action != portal.VersionEdited {
		t.Errorf("%d versions, %v; want written then published", len(versions), err)
	}
	hits, err := db.Search(ctx, "徐枫", 10)
	if err != nil || len(hits) == 0 {
		t.Errorf("search for the chair's name: %v, %v", hits, err)
	}
}
