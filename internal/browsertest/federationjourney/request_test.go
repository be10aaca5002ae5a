package federationjourney

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ngoportal/internal/browsertest"
	"ngoportal/internal/demo"
)

// Deleting one of the chair's requests asks first, without JavaScript: the
// confirmation quotes the request; cancelling keeps it, confirming deletes
// it. On a phone, in Chinese.
func TestRequestDeleteJourney(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortal(t)
	var sessionID int64
	if err := p.DB.Pool().QueryRow(t.Context(), `
		WITH s AS (SELECT id FROM sessions WHERE slug = '2027-municipal-leadership-session')
		INSERT INTO session_requests (session_id, number, text_zh, text_en)
		SELECT id, 9, '拓宽女性创业交流平台。', 'Widen the platforms where women entrepreneurs meet.' FROM s
		RETURNING session_id`).Scan(&sessionID); err != nil {
		t.Fatal(err)
	}
	const lang = "zh-CN"
	ctx := browsertest.NewBrowser(t, browsertest.Options{Lang: lang, Width: 390, Height: 844})
	browsertest.SetJavaScript(t, ctx, false)
	browsertest.SignIn(t, ctx, p.URL, demo.AdminEmail, demo.Password)
	list := fmt.Sprintf("/admin/sessions/%d/requests", sessionID)
	browsertest.Navigate(t, ctx, p.URL+list)
	browsertest.WantText(t, ctx, "main table.request-table", "拓宽女性创业交流平台。")

	deleteLink := chromedp.CSS(`main table.request-table a.danger`)
	browsertest.ClickAndWait(t, ctx, deleteLink)
	browsertest.WantPage(t, ctx, lang, "删除第9条要求？", "拓宽女性创业交流平台。",
		"Widen the platforms where women entrepreneurs meet.",
		"删除后，第9条要求及其面向的组织名单将一并删除，无法恢复",
		"目前没有组织的工作报告回应这条要求")
	browsertest.CheckPageNoJS(t, ctx, "request delete confirmation phone", true)

	browsertest.ClickAndWait(t, ctx, chromedp.CSS(`main form a[href="`+list+`"]`))
	if loc := browsertest.Location(t, ctx); !strings.HasSuffix(loc, list) {
		t.Fatalf("cancel went to %s", loc)
	}
	browsertest.WantText(t, ctx, "main table.request-table", "拓宽女性创业交流平台。")

	browsertest.ClickAndWait(t, ctx, deleteLink)
	browsertest.ClickAndWait(t, ctx, chromedp.CSS(`main form button.danger[type="submit"]`))
	if loc := browsertest.Location(t, ctx); !strings.HasSuffix(loc, list) {
		t.Fatalf("delete went to %s", loc)
	}
	browsertest.MustSay(t, ctx, "已删除工作要求。")
	if body := browsertest.Text(t, ctx, "main"); strings.Contains(body, "拓宽女性创业交流平台。") {
		t.Errorf("the deleted request is still listed")
	}
}
