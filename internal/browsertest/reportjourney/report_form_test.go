package reportjourney

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"ngoportal/internal/browsertest"
	"ngoportal/internal/demo"
)

// rfDemoDraft opens the 2026 cycle and returns the address of the demo's
// one draft report (the first NGO's, still being written).
func rfDemoDraft(t *testing.T, p *browsertest.Portal) string {
	t.Helper()
	rjOpenCycle(t, p)
	var id int64
	if err := p.DB.Pool().QueryRow(t.Context(), `
		SELECT r.id FROM reports r JOIN reporting_cycles c ON c.id = r.cycle_id
		JOIN users u ON u.ngo_id = r.ngo_id
		WHERE c.review_year = 2026 AND r.status = 'draft' AND u.email = $1`, demo.StaffEmail(1)).Scan(&id); err != nil {
		t.Fatalf("the demo draft: %v", err)
	}
	return fmt.Sprintf("%s/ngo/reports/%d", p.URL, id)
}

// rfEval runs a JavaScript expression that yields a boolean.
func rfEval(t *testing.T, ctx context.Context, js string) bool {
	t.Helper()
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return ok
}

// rfInView is JavaScript: whether the top of the element sel is inside the
// window.
func rfInView(sel string) string {
	return `(() => { const r = document.querySelector(` + browsertest.JSString(sel) + `).getBoundingClientRect();
		return r.top >= -1 && r.top < window.innerHeight && r.height > 0; })()`
}

// The demo's draft report, with JavaScript off: the section index lists
// the seven sections with the saved draft's status in words; its links
// reach the sections; on a wide screen it stays beside the form while the
// form scrolls, and on a phone each section links back to it and nothing
// is wider than the screen.
func TestReportSectionIndex(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortal(t)
	draft := rfDemoDraft(t, p)

	wide := rjSignIn(t, p, browsertest.Options{Lang: "zh-CN", Width: 1280, Height: 900}, demo.StaffEmail(1), "/ngo")
	browsertest.Navigate(t, wide, draft)
	got := rjTexts(t, wide, "nav.report-index li a")
	want := []string{
		"年度工作综述 缺 1 项", // the public highlight
		"活动 已完成",
		"新媒体工作 已完成",
		"下一年度工作计划 缺 1 项",   // no plan item yet
		"上一年度计划完成情况 缺 1 项", // the last of last year's items is not answered yet
		"对会议要求的回应 缺 1 项",   // nor the second request
		"承诺与签章 缺 3 项",      // representative, declaration, cover page
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("section index says\n%q\nwant\n%q", got, want)
	}
	browsertest.CheckPageNoJS(t, wide, "report form with its section index", false)

	// A link reaches its section; the index stays in view beside it.
	if _, err := chromedp.Run(wide, chromedp.Click(`nav.report-index a[href="#section-attestation"]`)); err != nil {
		t.Fatal(err)
	}
	if loc := browsertest.Location(t, wide); loc != draft+"#section-attestation" {
		t.Errorf("the attestation link led to %s", loc)
	}
	if !rfEval(t, wide, rfInView("#section-attestation-title")) {
		t.Error("after following its link the attestation section is out of view")
	}
	if !rfEval(t, wide, rfInView("nav.report-index")) {
		t.Error("scrolled down to the attestation, the section index is out of view on a wide screen")
	}
	if !rfEval(t, wide, `(() => { const n = document.querySelector('nav.report-index').getBoundingClientRect(),
			f = document.querySelector('form.report-form').getBoundingClientRect(); return n.left >= f.right; })()`) {
		t.Error("on a wide screen the section index is not beside the form")
	}

	phone := rjSignIn(t, p, browsertest.Options{Lang: "en", Width: 390, Height: 844}, demo.StaffEmail(1), "/ngo")
	browsertest.Navigate(t, phone, draft)
	browsertest.WantText(t, phone, "nav.report-index", "Report sections", "Complete", "1 item missing", "3 items missing")
	browsertest.CheckPageNoJS(t, phone, "report form with its section index, phone", true)
	if _, err := chromedp.Run(phone, chromedp.Click(`nav.report-index a[href="#section-answers"]`)); err != nil {
		t.Fatal(err)
	}
	if !rfEval(t, phone, rfInView("#section-answers")) {
		t.Error("on a phone the answers link does not reach its section")
	}
	// Each "back to the sections" link is a target of at least 24 × 24 px.
	if !rfEval(t, phone, `[...document.querySelectorAll('.report-index-back a')].every(a => {
			const r = a.getBoundingClientRect(); return r.height >= 24 && r.width >= 24; })`) {
		t.Error("on a phone a link back to the sections is smaller than 24 px")
	}
	if _, err := chromedp.Run(phone, chromedp.Click(`#section-progress > .report-index-back a`)); err != nil {
		t.Fatal(err)
	}
	if !rfEval(t, phone, rfInView("nav.report-index")) {
		t.Error("on a phone the link back does not reach the section index")
	}
}

// The demo's draft printed: the form prints as the report reads, each
// label with its value (the whole narrative, the activity's title), and
// no button, section index or site header.
func TestReportFormPrints(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortal(t)
	draft := rfDemoDraft(t, p)
	ctx := rjSignIn(t, p, browsertest.Options{Lang: "zh-CN", Width: 1280, Height: 900}, demo.StaffEmail(1), "/ngo")
	browsertest.Navigate(t, ctx, draft)
	// A narrative longer than the box's rows, as typed before printing.
	long := strings.Repeat("本会全年开展女性创业培训和路演活动，服务女性创业者。\n", 40)
	browsertest.SetValues(t, ctx, [][2]string{{"#f-narrative", long}})
	if _, err := chromedp.Run(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	})); err != nil {
		t.Fatalf("emulate print: %v", err)
	}
	shown := func(sel string) string {
		return `(() => { const e = document.querySelector(` + browsertest.JSString(sel) + `); return !!e && e.getClientRects().length > 0; })()`
	}
	for _, sel := range []string{"form.report-form", `label[for="f-narrative"]`, "#f-narrative",
		`label[for="f-activities-0-title"]`, "#f-activities-0-title", "#f-activities-0-starts_on", "#f-activities-0-kind",
		"#section-attestation-title"} {
		if !rfEval(t, ctx, shown(sel)) {
			t.Errorf("printed, %s is not shown", sel)
		}
	}
	// The whole narrative, not the first rows of a scrolling box.
	if !rfEval(t, ctx, `(() => { const e = document.querySelector('#f-narrative'); return e.scrollHeight <= e.clientHeight + 2; })()`) {
		t.Error("printed, the narrative is cut off")
	}
	if got := browsertest.Value(t, ctx, "#f-activities-0-title"); got != "女性创业者人工智能工具应用培训" {
		t.Errorf("printed, the first activity's title is %q", got)
	}
	for _, sel := range []string{"main button", "nav.report-index", ".site-header", ".report-form .hint", ".report-index-back"} {
		if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Array.from(document.querySelectorAll(`+browsertest.JSString(sel)+
			`)).filter(e => e.getClientRects().length > 0).length`)); err != nil || n > 0 {
			t.Errorf("printed, %d of %s are shown (%v)", n, sel, err)
		}
	}
}
