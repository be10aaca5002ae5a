package server

import (
	"strings"
	"testing"

	"ngoportal/internal/portal"
)

// The public summary lists the chair's requests once, in its own section:
// a body composed before the composer stopped writing them loses its
// request section on the page; in English, a request with no English text
// is shown in Chinese, marked, with a notice.
func TestPublicSummaryListsRequestsOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	const slug = "requests-once"
	sessionID := pubSession(t, h, slug, "2026-01-20", "women-lawyers")
	pubExec(t, h, `INSERT INTO session_requests (session_id, number, text_zh, text_en, made_by)
		SELECT $1, 2, '讲好上海女性故事' || $2, '', id
		FROM officials WHERE position = 'chairperson' ORDER BY id LIMIT 1`, sessionID, slug)
	reqZH1, reqEN1, reqZH2 := "拓宽女性发展平台"+slug, "Broaden the platforms for women "+slug, "讲好上海女性故事"+slug

	// What the composer used to write at the end of the bodies.
	zh, en := pubText(slug, "zh"), pubText(slug, "en")
	zh.Body += "\n\n## 工作要求\n\n会上，主席对女性社会组织2026年的工作提出两点要求：\n\n1. " + reqZH1 + "\n2. " + reqZH2 + "\n"
	en.Body += "\n\n## Requests for 2026\n\nChairperson made two requests of the NGOs for 2026:\n\n1. " + reqEN1 + "\n2. " + reqZH2 + "\n"
	s := pubSave(t, h, sessionID, portal.SummaryInput{ZH: zh, EN: en}, 0)
	pubPublish(t, h, sessionID, s.Version)

	page := h.do(t, get("/sessions/"+slug))
	if page.status != 200 {
		t.Fatalf("status %d", page.status)
	}
	for _, text := range []string{reqZH1, reqZH2} {
		if n := strings.Count(page.body, text); n != 1 {
			t.Errorf("Chinese page shows %q %d times, want once", text, n)
		}
	}
	wantAbsent(t, page.body, "两点要求", "仅有中文")
	wantContains(t, page.body, "正文：各组织开展了线上线下的讲座。", `id="summary-requests"`)

	page = h.do(t, get("/sessions/"+slug+"?lang=en"))
	for _, text := range []string{reqEN1, reqZH2} {
		if n := strings.Count(page.body, text); n != 1 {
			t.Errorf("English page shows %q %d times, want once", text, n)
		}
	}
	wantAbsent(t, page.body, "two requests")
	wantContains(t, page.body, `<span lang="zh-CN">`+reqZH2+`</span> <span class="muted untranslated">(in Chinese only)</span>`)
}
