package reportjourney

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ngoportal/internal/browsertest"
	"ngoportal/internal/demo"
)

// rjOpenCycle moves the open 2026 cycle's deadline a year past today, so
// that the journey never depends on the date it runs on, and returns the
// cycle's id.
func rjOpenCycle(t *testing.T, p *browsertest.Portal) int64 {
	t.Helper()
	var id int64
	if err := p.DB.Pool().QueryRow(t.Context(), `
		UPDATE reporting_cycles SET deadline = greatest(deadline, current_date + 365)
		WHERE review_year = 2026 AND status = 'open'
		RETURNING id`).Scan(&id); err != nil {
		t.Fatalf("move the 2026 deadline: %v", err)
	}
	return id
}

// rjSignIn starts a browser with JavaScript off and signs email in: each
// step of the journey is a person coming back to the portal, and a
// browser of its own keeps each step inside NewBrowser's time bound.
func rjSignIn(t *testing.T, p *browsertest.Portal, o browsertest.Options, email, landing string) context.Context {
	t.Helper()
	ctx := browsertest.NewBrowser(t, o)
	browsertest.SetJavaScript(t, ctx, false)
	browsertest.SignIn(t, ctx, p.URL, email, demo.Password)
	if loc := browsertest.Location(t, ctx); !strings.HasSuffix(loc, landing) {
		t.Fatalf("%s landed on %s, want %s", email, loc, landing)
	}
	return ctx
}

// rjTexts is the trimmed text of every element matching sel, in page order.
func rjTexts(t *testing.T, ctx context.Context, sel string) []string {
	t.Helper()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll(`+browsertest.JSString(sel)+`)).map(e => e.textContent.trim())`))
	if err != nil {
		t.Fatalf("texts of %s: %v", sel, err)
	}
	return out
}

// rjReportPath matches a staff report's address and captures its id.
var rjReportPath = regexp.MustCompile(`/ngo/reports/([0-9]+)$`)

// rjStart opens "work reports" from the navigation, starts the report of
// cycle cycleID and returns the report's id, from the page it leads to.
func rjStart(t *testing.T, ctx context.Context, lang string, cycleID int64, listTitle, title, started string) int64 {
	t.Helper()
	browsertest.ClickAndWait(t, ctx, `nav.site-nav a[href="/ngo/reports"]`)
	browsertest.WantPage(t, ctx, lang, listTitle)
	browsertest.ClickAndWait(t, ctx, chromedp.CSS(fmt.Sprintf(`main form[action="/ngo/cycles/%d/report"] button[type="submit"]`, cycleID)))
	browsertest.WantPage(t, ctx, lang, title, started)
	m := rjReportPath.FindStringSubmatch(browsertest.Location(t, ctx))
	if m == nil {
		t.Fatalf("starting the report led to %s", browsertest.Location(t, ctx))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// rjRows is the number of rows of table (activities, plan_items) the
// report form shows.
func rjRows(t *testing.T, ctx context.Context, table string) int {
	t.Helper()
	return browsertest.Count(t, ctx, `form.report-form input[id^="f-`+table+`-"][id$="-title"]`)
}

// rjActivity is one activity row as typed into the form.
type rjActivity struct {
	title, kind, mode, starts, ends, people, women string
}

// rjFillActivity types activity a into row i of the form.
func rjFillActivity(t *testing.T, ctx context.Context, i int, a rjActivity) {
	t.Helper()
	id := func(f string) string { return fmt.Sprintf("#f-activities-%d-%s", i, f) }
	browsertest.Fill(t, ctx, [][2]string{{id("title"), a.title}, {id("people_reached"), a.people}, {id("women_reached"), a.women}})
	browsertest.SetValues(t, ctx, [][2]string{{id("kind"), a.kind}, {id("mode"), a.mode}, {id("starts_on"), a.starts}, {id("ends_on"), a.ends}})
}

// Staff of an NGO without a report in the open 2026 cycle write it with
// JavaScript off: two activity rows added by the form's own button, a plan
// item, last year's progress and the answers to the chair's requests, the
// attestation and a signed cover, then submit. An admin returns it with an
// overall comment and one on the activities section; the staff see both,
// change an activity and submit again; the admin sees what changed and
// accepts. A second, shorter run starts a report in English on a phone.
// Every page on the way passes axe.
func TestReportJourney(t *testing.T) {
	t.Parallel()
	t.Run("desktop-zh", func(t *testing.T) {
		t.Parallel()
		p := browsertest.StartPortal(t)
		cycleID := rjOpenCycle(t, p)
		const lang = "zh-CN"
		desktop := browsertest.Options{Lang: lang, Width: 1280, Height: 900}
		staffEmail := demo.StaffEmail(4) // women-lawyers: no 2026 report in the demo
		const ngoName = "上海市女律师联谊会"
		acts := []rjActivity{
			{"妇女权益保障公益法律咨询", "service", "offline", "2026-03-08", "2026-03-08", "120", "96"},
			{"《民法典》婚姻家庭编线上讲座", "lecture", "online", "2026-06-12", "2026-06-19", "860", "640"},
		}
		const (
			overall  = "请补充活动的参与人数统计口径，并核对第一项活动的服务人数。"
			onActs   = "第一项活动的服务人数与附件中的签到表不一致，请核对。"
			newCount = "150"
		)

		// Staff start the report and fill it in, without JavaScript.
		staff := rjSignIn(t, p, desktop, staffEmail, "/ngo")
		reportID := rjStart(t, staff, lang, cycleID, "工作报告", "2026年度工作报告", "报告已创建。")
		reportPath := fmt.Sprintf("/ngo/reports/%d", reportID)
		if n := rjRows(t, staff, "activities"); n != 0 {
			t.Fatalf("a new report has %d activity rows, want none", n)
		}
		browsertest.Fill(t, staff, [][2]string{
			{"#f-narrative", "2026年，本会围绕妇女权益保障开展公益法律咨询和普法讲座，服务妇女群众近千人次。"},
			{"#f-highlight", "律师志愿者走进社区，为妇女提供面对面的法律咨询。"},
		})

		browsertest.ClickAndWait(t, staff, `button[name="op"][value="add:activities"]`)
		if n := rjRows(t, staff, "activities"); n != 1 {
			t.Fatalf("after one click on add activity there are %d rows, want 1", n)
		}
		if got := browsertest.Value(t, staff, "#f-highlight"); !strings.Contains(got, "律师志愿者") {
			t.Errorf("adding a row lost the highlight: %q", got)
		}
		rjFillActivity(t, staff, 0, acts[0])
		browsertest.ClickAndWait(t, staff, `button[name="op"][value="add:activities"]`)
		if n := rjRows(t, staff, "activities"); n != 2 {
			t.Fatalf("after two clicks on add activity there are %d rows, want 2", n)
		}
		for sel, want := range map[string]string{
			"#f-activities-0-title": acts[0].title, "#f-activities-0-kind": acts[0].kind,
			"#f-activities-0-starts_on": acts[0].starts, "#f-activities-0-people_reached": acts[0].people,
		} {
			if got := browsertest.Value(t, staff, sel); got != want {
				t.Errorf("after adding a second row %s holds %q, want %q", sel, got, want)
			}
		}
		rjFillActivity(t, staff, 1, acts[1])
		browsertest.ClickAndWait(t, staff, `button[name="op"][value="add:plan_items"]`)
		if n := rjRows(t, staff, "plan_items"); n != 1 {
			t.Fatalf("after a click on add plan item there are %d plan rows, want 1", n)
		}
		browsertest.Fill(t, staff, [][2]string{
			{"#f-plan_items-0-title", "2027年“法律进社区”公益咨询"},
			{"#f-plan_items-0-description", "每月一次，在各区妇女之家为妇女提供免费法律咨询。"},
		})

		// Last year's plan items and the chair's requests, as many as the
		// demo carried over into this report.
		progress := browsertest.Count(t, staff, `form.report-form input[type="radio"][id^="f-progress-"][id$="-status-done"]`)
		for i := range progress {
			if err := chromedp.Do(staff, chromedp.Click(chromedp.CSS(fmt.Sprintf("#f-progress-%d-status-done", i)))); err != nil {
				t.Fatalf("answer progress row %d: %v", i, err)
			}
		}
		answers := browsertest.Count(t, staff, `form.report-form textarea[id^="f-answers-"][id$="-answer"]`)
		for i := range answers {
			browsertest.Fill(t, staff, [][2]string{{fmt.Sprintf("#f-answers-%d-answer", i), "本会已按要求落实，详见活动部分。"}})
		}
		t.Logf("the report carries %d progress rows and %d requests over", progress, answers)
		browsertest.Fill(t, staff, [][2]string{{"#f-legal_representative", "刘洋"}})
		if err := chromedp.Do(staff, chromedp.Click(chromedp.CSS("#f-declaration"))); err != nil {
			t.Fatalf("tick the declaration: %v", err)
		}
		browsertest.CheckPageNoJS(t, staff, "staff report form", false)
		browsertest.ClickAndWait(t, staff, `form.report-form .report-save-top button[name="op"][value="save"]`)
		browsertest.WantPage(t, staff, lang, "2026年度工作报告", "草稿已保存。")
		if got := browsertest.Value(t, staff, "#f-activities-1-title"); got != acts[1].title {
			t.Errorf("after saving the second activity is %q", got)
		}
		if n := rjRows(t, staff, "activities"); n != 2 {
			t.Errorf("the saved report has %d activity rows, want 2", n)
		}

		// The signed cover, uploaded on the attachments page.
		browsertest.ClickAndWait(t, staff, chromedp.CSS(`main a[href="`+reportPath+`/attachments"]`))
		browsertest.WantPage(t, staff, lang, "2026年度工作报告附件", "尚未上传附件。")
		browsertest.CheckPageNoJS(t, staff, "attachments page", false)
		cover := filepath.Join(t.TempDir(), "signed-cover.pdf")
		if err := os.WriteFile(cover, []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(staff, chromedp.Click(chromedp.CSS("#f-kind-cover"))); err != nil {
			t.Fatalf("choose cover: %v", err)
		}
		if err := chromedp.Do(staff, chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{cover})); err != nil {
			t.Fatalf("choose the file: %v", err)
		}
		browsertest.ClickAndWait(t, staff, `main form[enctype="multipart/form-data"] button[type="submit"]`)
		browsertest.WantPage(t, staff, lang, "2026年度工作报告附件", "“signed-cover.pdf”已上传。")
		browsertest.WantText(t, staff, "main table.attachment-table", "封面", "signed-cover.pdf", "PDF")
		browsertest.CheckPageNoJS(t, staff, "attachments page with the cover", false)

		// Back to the report, and submit it.
		browsertest.ClickAndWait(t, staff, chromedp.CSS(`main a[href="`+reportPath+`"]`))
		browsertest.WantText(t, staff, "#section-attestation", "signed-cover.pdf")
		browsertest.ClickAndWait(t, staff, `form.report-form button[name="op"][value="submit"]`)
		browsertest.MustSay(t, staff, "报告已提交市妇联。")
		browsertest.WantPage(t, staff, lang, "2026年度工作报告", "报告已提交，正在等待市妇联审核，不能再更改。")
		browsertest.WantText(t, staff, "dl.facts", "已提交")
		if n := browsertest.Count(t, staff, "form.report-form"); n != 0 {
			t.Error("the submitted report still shows its form")
		}
		browsertest.WantText(t, staff, "#section-activities", acts[0].title, acts[1].title)
		browsertest.CheckPageNoJS(t, staff, "staff report submitted", false)
		_ = chromedp.Cancel(staff)

		// The admin finds it on the cycle's review board and returns it.
		admin := rjSignIn(t, p, desktop, demo.AdminEmail, "/admin")
		adminReport := fmt.Sprintf("/admin/reports/%d", reportID)
		browsertest.ClickAndWait(t, admin, `main a[href="/admin/cycles"]`)
		browsertest.ClickAndWait(t, admin, chromedp.CSS(fmt.Sprintf(`main a[href="/admin/cycles/%d"]`, cycleID)))
		browsertest.ClickAndWait(t, admin, chromedp.CSS(fmt.Sprintf(`main a[href="/admin/cycles/%d/reports"]`, cycleID)))
		browsertest.WantPage(t, admin, lang, "2026年度工作报告审阅（2027年计划）", ngoName)
		browsertest.CheckPageNoJS(t, admin, "review board", false)
		row := browsertest.Text(t, admin, chromedp.CSS(fmt.Sprintf(`main table.review-board tr:has(a[href="%s"])`, adminReport)))
		if !strings.Contains(row, ngoName) || !strings.Contains(row, "已提交") {
			t.Errorf("the board's row of the report says %q", row)
		}
		browsertest.ClickAndWait(t, admin, chromedp.CSS(fmt.Sprintf(`main table.review-board a[href="%s"]`, adminReport)))
		browsertest.WantPage(t, admin, lang, ngoName+" — 2026年度工作报告", acts[0].title, acts[1].title, "signed-cover.pdf")
		browsertest.WantText(t, admin, "#section-activities", acts[0].title, acts[1].title)
		browsertest.CheckPageNoJS(t, admin, "admin report page", false)
		// The comment on the activities is written beside them, on the same page.
		if n := browsertest.Count(t, admin, `#section-activities textarea#f-section_activities`); n != 1 {
			t.Fatalf("%d comment fields in the activities section, want 1", n)
		}
		browsertest.Fill(t, admin, [][2]string{{"#f-comment", overall}, {"#f-section_activities", onActs}})
		browsertest.ClickAndWait(t, admin, `#review-decision button.secondary`)
		browsertest.MustSay(t, admin, "报告已连同您的意见退回组织。")
		browsertest.WantPage(t, admin, lang, ngoName+" — 2026年度工作报告")
		browsertest.WantText(t, admin, "dl.facts", "已退回修改")
		_ = chromedp.Cancel(admin)

		// The staff see both comments, change an activity and submit again.
		staff = rjSignIn(t, p, desktop, staffEmail, "/ngo")
		browsertest.ClickAndWait(t, staff, `nav.site-nav a[href="/ngo/reports"]`)
		browsertest.ClickAndWait(t, staff, chromedp.CSS(`main a[href="`+reportPath+`"]`))
		browsertest.WantPage(t, staff, lang, "2026年度工作报告", "市妇联已退回本报告，请修改")
		browsertest.WantText(t, staff, "dl.facts", "已退回修改")
		browsertest.WantText(t, staff, ".report-return", overall, onActs)
		browsertest.WantText(t, staff, "#section-activities .report-section-comment", onActs)
		browsertest.CheckPageNoJS(t, staff, "staff report returned", false)
		if got := browsertest.Value(t, staff, "#f-activities-0-people_reached"); got != acts[0].people {
			t.Errorf("the returned form's first activity reached %q people, want %q", got, acts[0].people)
		}
		browsertest.SetValues(t, staff, [][2]string{{"#f-activities-0-people_reached", newCount}})
		// A return clears the declaration: the revised report is declared again.
		if ticked, err := chromedp.Run(staff, chromedp.Evaluate[bool](`document.querySelector("#f-declaration").checked`)); err != nil || ticked {
			t.Errorf("the returned report's declaration is ticked=%v (%v), want cleared", ticked, err)
		}
		if err := chromedp.Do(staff, chromedp.Click(chromedp.CSS("#f-declaration"))); err != nil {
			t.Fatalf("tick the declaration again: %v", err)
		}
		browsertest.ClickAndWait(t, staff, `form.report-form button[name="op"][value="submit"]`)
		browsertest.MustSay(t, staff, "报告已提交市妇联。")
		browsertest.WantPage(t, staff, lang, "2026年度工作报告")
		browsertest.WantText(t, staff, "dl.facts", "已提交")
		_ = chromedp.Cancel(staff)

		// The admin sees what changed, and accepts.
		admin = rjSignIn(t, p, desktop, demo.AdminEmail, "/admin")
		browsertest.Navigate(t, admin, p.URL+adminReport)
		browsertest.WantPage(t, admin, lang, ngoName+" — 2026年度工作报告", "自上次提交以来的修改")
		if got := rjTexts(t, admin, ".review-changes > ul > li"); !slices.Equal(got, []string{"活动"}) {
			t.Errorf("the changes since the last submission name %q, want only the activities", got)
		}
		browsertest.WantText(t, admin, ".review-changes", newCount)
		browsertest.ClickAndWait(t, admin, chromedp.CSS(`main button[formaction="`+adminReport+`/accept"]`))
		browsertest.WantPage(t, admin, lang, ngoName+" — 2026年度工作报告", "报告已通过。")
		browsertest.WantText(t, admin, "dl.facts", "已通过")
		if n := browsertest.Count(t, admin, `main [formaction="`+adminReport+`/accept"]`); n != 0 {
			t.Error("the accepted report still offers to accept it")
		}
		what := rjTexts(t, admin, "table.report-history tbody tr td:nth-child(3)")
		if want := []string{"创建", "提交", "退回修改", "再次提交", "通过"}; !slices.Equal(what, want) {
			t.Errorf("the history lists %q, want %q", what, want)
		}
		returned := browsertest.Text(t, admin, `table.report-history tbody tr:nth-child(3)`)
		if !strings.Contains(returned, overall) || !strings.Contains(returned, onActs) {
			t.Errorf("the history's return lacks the comments: %q", returned)
		}
		browsertest.CheckPageNoJS(t, admin, "admin report accepted", false)

		// The submitted versions: compare the two, the changed count marked.
		browsertest.ClickAndWait(t, admin, chromedp.CSS(`main a[href="`+adminReport+`/versions"]`))
		browsertest.ClickAndWait(t, admin, `main form.filters button[type="submit"]`)
		browsertest.WantText(t, admin, ".review-changes ins", newCount)
		browsertest.CheckPageNoJS(t, admin, "admin report versions compared", false)

		var status string
		var people int64
		if err := p.DB.Pool().QueryRow(t.Context(), `
			SELECT r.status, a.people_reached
			FROM reports r JOIN report_activities a ON a.report_id = r.id
			WHERE r.id = $1 AND a.title = $2`, reportID, acts[0].title).Scan(&status, &people); err != nil {
			t.Fatal(err)
		}
		if status != "accepted" || strconv.FormatInt(people, 10) != newCount {
			t.Errorf("stored: status %s, first activity reached %d; want accepted, %s", status, people, newCount)
		}
	})

	t.Run("phone-en", func(t *testing.T) {
		t.Parallel()
		p := browsertest.StartPortal(t)
		cycleID := rjOpenCycle(t, p)
		const lang = "en"
		// women-professors: no 2026 report in the demo.
		staff := rjSignIn(t, p, browsertest.Options{Lang: lang, Width: 390, Height: 844}, demo.StaffEmail(5), "/ngo")
		rjStart(t, staff, lang, cycleID, "Work reports", "Work report 2026", "The report is started.")
		browsertest.ClickAndWait(t, staff, `button[name="op"][value="add:activities"]`)
		if n := rjRows(t, staff, "activities"); n != 1 {
			t.Fatalf("after a click on add an activity there are %d rows, want 1", n)
		}
		browsertest.WantText(t, staff, "#section-activities", "Activity 1")
		rjFillActivity(t, staff, 0, rjActivity{"Salon for young women lecturers", "lecture", "hybrid", "2026-05-20", "2026-05-20", "60", "55"})
		browsertest.CheckPageNoJS(t, staff, "staff report form phone-en", true)
	})
}

// No lost work, with JavaScript off: a draft with an incomplete row is
// saved and reloaded intact; a row added after typing keeps the typing;
// removing a row asks first, naming it, and cancelling keeps it.
func TestReportDraftKeepsWork(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortal(t)
	cycleID := rjOpenCycle(t, p)
	const lang = "zh-CN"
	staff := rjSignIn(t, p, browsertest.Options{Lang: lang, Width: 1280, Height: 900}, demo.StaffEmail(5), "/ngo")
	reportID := rjStart(t, staff, lang, cycleID, "工作报告", "2026年度工作报告", "报告已创建。")
	reportPath := fmt.Sprintf("%s/ngo/reports/%d", p.URL, reportID)

	// Type the narrative, add an activity, give it only a title, then add a
	// plan item: every click saved what was typed before it.
	browsertest.Fill(t, staff, [][2]string{{"#f-narrative", "先写下的年度叙述，不能丢。"}})
	browsertest.ClickAndWait(t, staff, `button[name="op"][value="add:activities"]`)
	browsertest.Fill(t, staff, [][2]string{{"#f-activities-0-title", "只有标题的活动"}})
	browsertest.ClickAndWait(t, staff, `button[name="op"][value="add:plan_items"]`)
	browsertest.Navigate(t, staff, reportPath)
	if got := browsertest.Value(t, staff, "#f-narrative"); got != "先写下的年度叙述，不能丢。" {
		t.Errorf("after adding rows and reloading the narrative is %q", got)
	}
	if got := browsertest.Value(t, staff, "#f-activities-0-title"); got != "只有标题的活动" {
		t.Errorf("after reloading the incomplete activity's title is %q", got)
	}

	// Save the draft with the incomplete row: saved, with notes on the row.
	browsertest.Fill(t, staff, [][2]string{{"#f-activities-0-partners", "社区妇女之家"}})
	browsertest.ClickAndWait(t, staff, `button[name="op"][value="save"]`)
	browsertest.MustSay(t, staff, "草稿已保存。")
	browsertest.Navigate(t, staff, reportPath)
	if got := browsertest.Value(t, staff, "#f-activities-0-partners"); got != "社区妇女之家" {
		t.Errorf("after saving and reloading the partners are %q", got)
	}
	browsertest.WantText(t, staff, "#f-activities-0-kind-note", "请选择活动类型。")
	browsertest.WantText(t, staff, "main", "尚未填写完整")
	browsertest.CheckPageNoJS(t, staff, "staff report with notes", false)

	// Remove asks first; cancelling keeps the row.
	browsertest.ClickAndWait(t, staff, `button[name="op"][value="remove:activities.0"]`)
	browsertest.WantText(t, staff, "h1", "删除活动 1？")
	browsertest.WantText(t, staff, "main", "只有标题的活动", "社区妇女之家")
	browsertest.CheckPageNoJS(t, staff, "remove a report row", false)
	browsertest.ClickAndWait(t, staff, `main form a`)
	if n := rjRows(t, staff, "activities"); n != 1 {
		t.Fatalf("after cancelling the removal there are %d activity rows, want 1", n)
	}
	browsertest.ClickAndWait(t, staff, `button[name="op"][value="remove:activities.0"]`)
	browsertest.ClickAndWait(t, staff, `main form button[type="submit"]`)
	browsertest.MustSay(t, staff, "该条目已删除")
	if n := rjRows(t, staff, "activities"); n != 0 {
		t.Errorf("after confirming the removal there are %d activity rows, want 0", n)
	}
	if got := browsertest.Value(t, staff, "#f-narrative"); got != "先写下的年度叙述，不能丢。" {
		t.Errorf("after removing a row the narrative is %q", got)
	}
}
