package reportjourney

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ngoportal/internal/browsertest"
	"ngoportal/internal/demo"
	"ngoportal/internal/portal"
)

// A returned report leads the NGO's home page and leaves it once
// resubmitted: the admin returns ngo02's submitted 2026 report with a
// comment; its staff member signs in and finds "report returned" first on
// the home page's to-do list, follows the link to the comments, revises
// the report and submits it again; back home the item is gone, and the
// admin's home counts the report as waiting for review. The to-do list is
// a list under a heading, and both homes pass axe.
func TestTodoReturnedReportJourney(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortal(t)
	cycleID := rjOpenCycle(t, p)
	// The report's deadline is the nearest date of the NGO's to-dos: three
	// days after today in the federation's time zone, as the page counts
	// (the database's current_date is a day behind from 16:00 UTC).
	deadline := time.Now().In(portal.FederationZone).AddDate(0, 0, 3).Format(time.DateOnly)
	if _, err := p.DB.Pool().Exec(t.Context(),
		`UPDATE reporting_cycles SET deadline = $2::date WHERE id = $1`, cycleID, deadline); err != nil {
		t.Fatal(err)
	}
	var reportID int64
	if err := p.DB.Pool().QueryRow(t.Context(), `
		SELECT r.id FROM reports r JOIN users u ON u.ngo_id = r.ngo_id
		WHERE u.email = $1 AND r.cycle_id = $2 AND r.status = 'submitted'`, demo.StaffEmail(2), cycleID).Scan(&reportID); err != nil {
		t.Fatalf("ngo02's submitted 2026 report: %v", err)
	}
	const lang = "zh-CN"
	desktop := browsertest.Options{Lang: lang, Width: 1280, Height: 900}
	const comment = "请补充本年度活动的服务人数统计口径。"
	returnedLink := fmt.Sprintf(`/ngo/reports/%d#return-title`, reportID)

	// The admin returns the report with a comment.
	admin := rjSignIn(t, p, desktop, demo.AdminEmail, "/admin")
	browsertest.Navigate(t, admin, fmt.Sprintf("%s/admin/reports/%d", p.URL, reportID))
	browsertest.Fill(t, admin, [][2]string{{"#f-comment", comment}})
	browsertest.ClickAndWait(t, admin, `#review-decision button.secondary`)
	browsertest.MustSay(t, admin, "报告已连同您的意见退回组织。")
	_ = chromedp.Cancel(admin)

	// The staff member's home leads with the returned report.
	staff := rjSignIn(t, p, desktop, demo.StaffEmail(2), "/ngo")
	if n := browsertest.Count(t, staff, `main section.todo h2#todo-title`); n != 1 {
		t.Fatalf("the home page has %d to-do headings, want 1", n)
	}
	if got := browsertest.Text(t, staff, "#todo-title"); got != "待办事项" {
		t.Errorf("the to-do heading says %q", got)
	}
	first := browsertest.Text(t, staff, `main section.todo ul.todo-list > li:first-child`)
	if !strings.Contains(first, "2026年度工作报告已退回修改") || !strings.Contains(first, "还剩 3 天") {
		t.Errorf("the first to-do says %q, want the returned report, due in 3 days", first)
	}
	if n := browsertest.Count(t, staff, `main section.todo ul.todo-list > li:first-child a[href="`+returnedLink+`"]`); n != 1 {
		t.Fatalf("the first to-do does not link to the comments (%s)", returnedLink)
	}
	browsertest.CheckPageNoJS(t, staff, "staff home with a returned report", false)

	// It leads to the comments; the report is revised and submitted again.
	browsertest.ClickAndWait(t, staff, chromedp.CSS(`main section.todo a[href="`+returnedLink+`"]`))
	if loc := browsertest.Location(t, staff); !strings.HasSuffix(loc, returnedLink) {
		t.Errorf("the to-do led to %s", loc)
	}
	browsertest.WantText(t, staff, ".report-return", comment)
	narrative := browsertest.Value(t, staff, "#f-narrative")
	browsertest.SetValues(t, staff, [][2]string{{"#f-narrative", narrative + "服务人数按签到表统计。"}})
	if err := chromedp.Do(staff, chromedp.Click(chromedp.CSS("#f-declaration"))); err != nil {
		t.Fatalf("tick the declaration again: %v", err)
	}
	browsertest.ClickAndWait(t, staff, `form.report-form button[name="op"][value="submit"]`)
	browsertest.MustSay(t, staff, "报告已提交市妇联。")

	// Back home, the returned report is no longer to do.
	browsertest.ClickAndWait(t, staff, `nav.site-nav a[href="/ngo"]`)
	todo := browsertest.Text(t, staff, "main section.todo")
	if strings.Contains(todo, "已退回修改") || browsertest.Count(t, staff, `main a[href="`+returnedLink+`"]`) != 0 {
		t.Errorf("after resubmitting, the to-do list still shows the returned report: %s", todo)
	}
	_ = chromedp.Cancel(staff)

	// The admin's home shows it waiting for review, linked to the board.
	admin = rjSignIn(t, p, desktop, demo.AdminEmail, "/admin")
	waiting := fmt.Sprintf(`/admin/cycles/%d/reports?status=submitted`, cycleID)
	item := browsertest.Text(t, admin, chromedp.CSS(`main section.todo li:has(a[href="`+waiting+`"])`))
	if !strings.Contains(item, "2026年度工作报告待审阅：1 份") {
		t.Errorf("the admin's to-do for the waiting report says %q", item)
	}
	browsertest.CheckPageNoJS(t, admin, "admin home", false)
	browsertest.ClickAndWait(t, admin, chromedp.CSS(`main section.todo a[href="`+waiting+`"]`))
	browsertest.WantText(t, admin, "main table.review-board", "已提交")
}
