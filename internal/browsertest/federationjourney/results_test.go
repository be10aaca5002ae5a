package federationjourney

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"ngoportal/internal/browsertest"
	"ngoportal/internal/demo"
	"ngoportal/internal/pgtest"
)

// From a request on the session page to the NGOs' outcomes: an admin, on a
// phone and without JavaScript, follows the request's results link, sees
// who planned what and how it turned out, opens one NGO's plans and goes
// back to the session's requests to results. Every page passes axe.
func TestRequestsToResultsJourney(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortal(t)
	f := pgtest.NewResultsFixture(t, p.DB)
	const lang = "zh-CN"
	ctx := browsertest.NewBrowser(t, browsertest.Options{Lang: lang, Width: 390, Height: 844})
	browsertest.SetJavaScript(t, ctx, false)
	browsertest.SignIn(t, ctx, p.URL, demo.AdminEmail, demo.Password)

	base := fmt.Sprintf("/admin/sessions/%d", f.Session)
	browsertest.Navigate(t, ctx, p.URL+base)
	browsertest.ClickAndWait(t, ctx, chromedp.CSS(fmt.Sprintf(`main a[href="%s/results/requests/%d"]`, base, f.Q1)))
	browsertest.WantPage(t, ctx, lang, "要求 1 的成效", "拓宽女性发展指导服务平台",
		"有计划 3，无计划 1，未答复 0", "1 / 4（25%）",
		"职业女性交流沙龙", "未报告", "妇女法律咨询日", "未完成", "场地取消",
		"长三角女性人才交流", "补充计划", "已完成", "举办两场交流会",
		"社区志愿服务", "所属报告已提交，待审阅，暂不计入", "无计划的组织", "今年人手不足")
	browsertest.CheckPageNoJS(t, ctx, "results request phone", true)

	browsertest.ClickAndWait(t, ctx, chromedp.CSS(fmt.Sprintf(`main a[href="%s/results/ngos/%d"]`, base, f.B)))
	browsertest.WantPage(t, ctx, lang, "百合女性发展中心：2041年计划与成效", "1 / 4（25%）", "亲子阅读讲座", "部分完成", "完成一半", "要求 1 的成效")
	browsertest.CheckPageNoJS(t, ctx, "results ngo phone", true)

	browsertest.ClickAndWait(t, ctx, chromedp.CSS(fmt.Sprintf(`main a[href="%s/results"]`, base)))
	browsertest.WantPage(t, ctx, lang, "要求与成效：2041年成效测试会议", "1 / 6（17%）", "成效主题甲", "丁香女子协会")
	browsertest.CheckPageNoJS(t, ctx, "results index phone", true)
}
