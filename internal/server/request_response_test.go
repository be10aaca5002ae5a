package server

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
)

func init() {
	for k, v := range map[string]access{
		"POST /admin/sessions/{id}/responses/due":                     admins,
		"GET /admin/sessions/{id}/responses":                          officials,
		"POST /admin/sessions/{id}/responses/remind":                  admins,
		"POST /admin/sessions/{id}/responses/{addresseeID}/remind":    admins,
		"GET /admin/sessions/{id}/responses/{addresseeID}/extension":  admins,
		"POST /admin/sessions/{id}/responses/{addresseeID}/extension": admins,
		"GET /ngo/sessions/{id}/responses":                            staffOfA,
		"POST /ngo/sessions/{id}/responses/items":                     staffOfA,
		"POST /ngo/sessions/{id}/responses/nothing":                   staffOfA,
		"GET /ngo/sessions/{id}/responses/addendum/new":               staffOfA,
		"POST /ngo/sessions/{id}/responses/addendum":                  staffOfA,
		"GET /ngo/sessions/{id}/responses/addendum/{itemID}/edit":     staffOfA,
		"POST /ngo/sessions/{id}/responses/addendum/{itemID}":         staffOfA,
		"GET /ngo/sessions/{id}/responses/addendum/{itemID}/delete":   staffOfA,
		"POST /ngo/sessions/{id}/responses/addendum/{itemID}/delete":  staffOfA,
	} {
		routeRules[k] = v
	}
	matrixFixtures = append(matrixFixtures, func(t *testing.T, h *harness, ngoA int64, ids, objectIDs map[string]string) {
		// Admins: the first demo session asks for answers, and one of the
		// NGOs its requests are addressed to is the addressee.
		admin := ids["/admin/sessions/{id}"]
		rsExec(t, h, `UPDATE sessions SET responses_due_on = current_date + 30 WHERE id = $1`, admin)
		addressee := cyQueryID(t, h, `SELECT coalesce(min(ngo_id), 0) FROM request_addressees WHERE session_id = $1`, admin)
		if addressee == 0 {
			q := cyQueryID(t, h, `INSERT INTO session_requests (session_id, number, text_zh, addressed_to_all)
				VALUES ($1, 990, '矩阵测试要求', false) RETURNING id`, admin)
			rsExec(t, h, `INSERT INTO request_recipients (request_id, ngo_id) VALUES ($1, $2)`, q, ngoA)
			addressee = ngoA
		}
		objectIDs["{addresseeID}"] = fmt.Sprint(addressee)
		// Staff: the matrix's session of NGO A asks it to answer a request,
		// and A's addendum has an item; NGO B is not addressed.
		staff := ids["/ngo/sessions/{id}"]
		rsExec(t, h, `UPDATE sessions SET responses_due_on = current_date + 30 WHERE id = $1`, staff)
		q := cyQueryID(t, h, `INSERT INTO session_requests (session_id, number, text_zh) VALUES ($1, 1, '矩阵测试要求') RETURNING id`, staff)
		addendum := cyQueryID(t, h, `INSERT INTO plan_addenda (session_id, ngo_id) VALUES ($1, $2) RETURNING id`, staff, ngoA)
		item := cyQueryID(t, h, `INSERT INTO report_plan_items (addendum_id, position, title) VALUES ($1, 1, '矩阵增补') RETURNING id`, addendum)
		rsExec(t, h, `INSERT INTO report_plan_item_requests (plan_item_id, request_id) VALUES ($1, $2)`, item, q)
		objectIDs["{itemID}"] = fmt.Sprint(item)
	})
}

func rsExec(t *testing.T, h *harness, sql string, args ...any) {
	t.Helper()
	if _, err := h.db.Pool().Exec(t.Context(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// rspFixture is a held session of the tests' own, tied to a 2040 cycle that
// is still open, with NGO A and B invited, request 1 to all and request 2 to
// A alone; A has a draft report of the cycle with one plan item. Answers
// are due in 30 days.
type rspFixture struct {
	h                     *harness
	admin, staffA, staffB *http.Cookie
	adminID, staffAID     int64
	a, b                  int64
	cycle, session        int64
	q1, q2                int64
	report, item          int64
}

func newRSPFixture(t *testing.T) rspFixture {
	t.Helper()
	h := newHarness(t, nil)
	f := rspFixture{h: h, a: ngoIDBySlug(t, h, "women-physicians"), b: ngoIDBySlug(t, h, "women-lawyers")}
	f.adminID = createUser(t, h, portal.RoleAdmin, 0, "rsp-admin@example.org", "管理员")
	f.admin = h.sessionCookie(t, f.adminID)
	f.staffAID = createUser(t, h, portal.RoleStaff, f.a, "rsp-a@example.org", "甲")
	f.staffA = h.sessionCookie(t, f.staffAID)
	f.staffB = h.sessionCookie(t, createUser(t, h, portal.RoleStaff, f.b, "rsp-b@example.org", "乙"))
	f.cycle = cyQueryID(t, h, `INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status)
		VALUES (2040, 2041, current_date - 10, current_date + 60, 'open') RETURNING id`)
	f.session = cyQueryID(t, h, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, cycle_id)
		VALUES ('rsp-2041', '2041年答复测试会议', '2041 answers session', 'municipal', current_date - 5, 'held', $1) RETURNING id`, f.cycle)
	rsExec(t, h, `INSERT INTO invitations (session_id, ngo_id) VALUES ($1, $2), ($1, $3)`, f.session, f.a, f.b)
	f.q1 = cyQueryID(t, h, `INSERT INTO session_requests (session_id, number, text_zh, text_en) VALUES ($1, 1, '搭建职业女性交流平台', 'Build platforms for career women') RETURNING id`, f.session)
	f.q2 = cyQueryID(t, h, `INSERT INTO session_requests (session_id, number, text_zh, addressed_to_all) VALUES ($1, 2, '讲好上海女性故事', false) RETURNING id`, f.session)
	rsExec(t, h, `INSERT INTO request_recipients (request_id, ngo_id) VALUES ($1, $2)`, f.q2, f.a)
	r, err := h.db.StartReport(t.Context(), portal.Actor{UserID: f.staffAID}, f.cycle, f.a)
	if err != nil {
		t.Fatal(err)
	}
	f.report = r.ID
	f.item = cyQueryID(t, h, `INSERT INTO report_plan_items (report_id, position, title) VALUES ($1, 1, '导师结对计划') RETURNING id`, f.report)
	return f
}

func (f rspFixture) zh(key string, kv ...any) string { return cyText(f.h, i18n.ZhCN, key, kv...) }

// setDue asks for answers by the day days from today, through the page.
func (f rspFixture) setDue(t *testing.T, days int, was string) response {
	t.Helper()
	day := time.Now().In(portal.FederationZone).AddDate(0, 0, days).Format(time.DateOnly)
	return f.h.as(t, f.admin, postForm(adminResponsesDuePath(f.session), url.Values{"responses_due_on": {day}, "was": {was}}))
}

func TestResponseAdminDue(t *testing.T) {
	t.Parallel()
	f := newRSPFixture(t)
	page := f.h.as(t, f.admin, get(adminRequestsPath(f.session)))
	wantStatusCode(t, page, http.StatusOK)
	wantContains(t, page.body, f.zh("response.due.field"), f.zh("response.due.not_set"), `href="`+adminResponsesPath(f.session)+`"`)

	res := f.h.as(t, f.admin, postForm(adminResponsesDuePath(f.session), url.Values{"responses_due_on": {"2041-02-30"}}))
	wantStatusCode(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, f.zh("response.error.date_invalid"), `value="2041-02-30"`)

	wantStatusCode(t, f.setDue(t, 30, ""), http.StatusSeeOther)
	res = f.setDue(t, 40, "")
	wantStatusCode(t, res, http.StatusConflict)
	wantContains(t, res.body, f.zh("response.due.conflict"))

	show := f.h.as(t, f.admin, get(adminSessionPath(f.session)))
	wantContains(t, show.body, `href="`+adminResponsesPath(f.session)+`"`, f.zh("response.session_link"))

	// Staff cannot set it.
	res = f.h.as(t, f.staffA, postForm(adminResponsesDuePath(f.session), url.Values{"responses_due_on": {"2041-03-01"}}))
	wantStatusCode(t, res, http.StatusNotFound)
}

func TestResponseStaffPage(t *testing.T) {
	t.Parallel()
	f := newRSPFixture(t)
	// Not asked yet: no page, no task.
	wantStatusCode(t, f.h.as(t, f.staffA, get(staffResponsesPath(f.session))), http.StatusNotFound)
	home := f.h.as(t, f.staffA, get(ngoHomePath))
	wantAbsent(t, home.body, f.zh("response.task.heading"))

	wantStatusCode(t, f.setDue(t, 30, ""), http.StatusSeeOther)
	home = f.h.as(t, f.staffA, get(ngoHomePath))
	wantContains(t, home.body, f.zh("response.task.heading"), `href="`+staffResponsesPath(f.session)+`"`,
		f.zh("response.answered_of", "Answered", 0, "Addressed", 2))
	wantAbsent(t, home.body, f.zh("response.task.overdue"))

	page := f.h.as(t, f.staffA, get(staffResponsesPath(f.session)))
	wantStatusCode(t, page, http.StatusOK)
	wantContains(t, page.body, "搭建职业女性交流平台", "讲好上海女性故事", "导师结对计划", f.zh("response.nothing.submit"))
	// B sees request 1 only; a request not addressed to it is not found.
	pageB := f.h.as(t, f.staffB, get(staffResponsesPath(f.session)))
	wantStatusCode(t, pageB, http.StatusOK)
	wantAbsent(t, pageB.body, "讲好上海女性故事", "导师结对计划")
	res := f.h.as(t, f.staffB, postForm(staffResponseNothingPath(f.session), url.Values{"request": {fmt.Sprint(f.q2)}, "reason": {"无"}}))
	wantStatusCode(t, res, http.StatusNotFound)
	// B cannot link A's item.
	res = f.h.as(t, f.staffB, postForm(staffResponseItemsPath(f.session), url.Values{"request": {fmt.Sprint(f.q1)}, "items": {fmt.Sprint(f.item)}}))
	wantStatusCode(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, f.zh("response.error.item_invalid"))

	// Nothing planned needs a reason; the form comes back with the error.
	res = f.h.as(t, f.staffA, postForm(staffResponseNothingPath(f.session), url.Values{"request": {fmt.Sprint(f.q2)}, "reason": {" "}}))
	wantStatusCode(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, f.zh("response.error.reason_required"), `aria-invalid="true"`)

	res = f.h.as(t, f.staffA, postForm(staffResponseItemsPath(f.session), url.Values{"request": {fmt.Sprint(f.q1)}, "items": {fmt.Sprint(f.item)}}))
	wantStatusCode(t, res, http.StatusSeeOther)
	// The same form again, at version 0: a conflict keeping what was ticked.
	res = f.h.as(t, f.staffA, postForm(staffResponseNothingPath(f.session), url.Values{"request": {fmt.Sprint(f.q1)}, "reason": {"改为不作安排"}}))
	wantStatusCode(t, res, http.StatusConflict)
	wantContains(t, res.body, f.zh("response.conflict"), "改为不作安排")

	// An addendum item for request 2, through its form.
	form := f.h.as(t, f.staffA, get(staffAddendumNewPath(f.session, f.q2)))
	wantStatusCode(t, form, http.StatusOK)
	wantContains(t, form.body, `name="requests" value="`+fmt.Sprint(f.q2)+`" checked`)
	res = f.h.as(t, f.staffA, postForm(staffAddendumPath(f.session), url.Values{"title": {""}, "quarter": {"2"}, "requests": {fmt.Sprint(f.q2)}}))
	wantStatusCode(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, f.zh("response.error.title_required"))
	res = f.h.as(t, f.staffA, postForm(staffAddendumPath(f.session), url.Values{"title": {"海外女性故事分享会"}, "quarter": {"3"}, "requests": {fmt.Sprint(f.q2)}}))
	wantStatusCode(t, res, http.StatusSeeOther)

	// Every request answered: the task leaves the home page's to-do list.
	home = f.h.as(t, f.staffA, get(ngoHomePath))
	wantAbsent(t, home.body, `href="`+staffResponsesPath(f.session)+`"`, f.zh("response.answered_of", "Answered", 2, "Addressed", 2))

	// The admin's overview shows both kinds of items, and ?ngo= narrows it.
	over := f.h.as(t, f.admin, get(adminResponsesPath(f.session)+"?ngo="+fmt.Sprint(f.a)))
	wantStatusCode(t, over, http.StatusOK)
	wantContains(t, over.body, "导师结对计划", "海外女性故事分享会", f.zh("response.item.from_report"), f.zh("response.item.from_addendum"))
	wantAbsent(t, over.body, "上海市女律师联谊会")
	over = f.h.as(t, f.admin, get(adminResponsesPath(f.session)+"?status=none"))
	wantContains(t, over.body, "上海市女律师联谊会")
	wantAbsent(t, over.body, "海外女性故事分享会")

	// Request 2 is answered, by an addendum item: it cannot be deleted, and
	// the confirmation page says why.
	confirm := f.h.as(t, f.admin, get(adminRequestDeletePath(f.session, f.q2)))
	wantStatusCode(t, confirm, http.StatusOK)
	wantContains(t, confirm.body, f.zh("response.confirm.in_use", "Responses", 1, "AddendumItems", 1))
	wantAbsent(t, confirm.body, `class="danger"`)

	// In English.
	en := f.h.as(t, f.staffA, inEnglish(get(staffResponsesPath(f.session))))
	wantContains(t, en.body, cyText(f.h, i18n.En, "response.staff.title", "Title", "2041 answers session"), "Build platforms for career women",
		cyText(f.h, i18n.En, "text.only_in.zh-CN"))
}

func TestResponseRemindAndExtend(t *testing.T) {
	t.Parallel()
	f := newRSPFixture(t)
	wantStatusCode(t, f.setDue(t, -1, ""), http.StatusSeeOther)

	// Past the date: reading works, writing is refused with the advice.
	page := f.h.as(t, f.staffB, get(staffResponsesPath(f.session)))
	wantStatusCode(t, page, http.StatusOK)
	wantContains(t, page.body, f.zh("response.closed"))
	wantAbsent(t, page.body, f.zh("response.nothing.submit"))
	res := f.h.as(t, f.staffB, postForm(staffResponseNothingPath(f.session), url.Values{"request": {fmt.Sprint(f.q1)}, "reason": {"无"}}))
	wantStatusCode(t, res, http.StatusSeeOther)
	page = f.h.as(t, f.staffB, get(srFollow(res)))
	wantContains(t, page.body, f.zh("response.flash.closed"))
	home := f.h.as(t, f.staffB, get(ngoHomePath))
	wantContains(t, home.body, f.zh("response.task.overdue"))

	// Remind every NGO that has not answered: both.
	res = f.h.as(t, f.admin, postForm(adminResponsesRemindPath(f.session), url.Values{}))
	wantStatusCode(t, res, http.StatusSeeOther)
	if n := cyQueryID(t, f.h, `SELECT count(*) FROM response_reminders WHERE session_id = $1`, f.session); n != 2 {
		t.Errorf("%d reminders, want 2", n)
	}
	home = f.h.as(t, f.staffB, get(ngoHomePath))
	wantContains(t, home.body, "联合会于") // 联合会于{{.At}}提醒

	// An NGO not addressed cannot be reminded or extended.
	other := ngoIDBySlug(t, f.h, "women-artists")
	wantStatusCode(t, f.h.as(t, f.admin, postForm(adminResponseRemindPath(f.session, other), url.Values{})), http.StatusNotFound)
	wantStatusCode(t, f.h.as(t, f.admin, get(adminResponseExtensionPath(f.session, other))), http.StatusNotFound)

	// Extend B: the form, a date not later refused, then a later one.
	form := f.h.as(t, f.admin, get(adminResponseExtensionPath(f.session, f.b)))
	wantStatusCode(t, form, http.StatusOK)
	today := time.Now().In(portal.FederationZone)
	res = f.h.as(t, f.admin, postForm(adminResponseExtensionPath(f.session, f.b), url.Values{"due_on": {today.AddDate(0, 0, -2).Format(time.DateOnly)}}))
	wantStatusCode(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, f.zh("response.error.extension_not_later"))
	res = f.h.as(t, f.admin, postForm(adminResponseExtensionPath(f.session, f.b), url.Values{"due_on": {today.AddDate(0, 0, 7).Format(time.DateOnly)}, "reason": {"理事会换届"}}))
	wantStatusCode(t, res, http.StatusSeeOther)
	page = f.h.as(t, f.staffB, get(staffResponsesPath(f.session)))
	wantContains(t, page.body, "理事会换届", f.zh("response.nothing.submit"))
	res = f.h.as(t, f.staffB, postForm(staffResponseNothingPath(f.session), url.Values{"request": {fmt.Sprint(f.q1)}, "reason": {"本年度无相关资源"}}))
	wantStatusCode(t, res, http.StatusSeeOther)
	page = f.h.as(t, f.staffB, get(srFollow(res)))
	wantContains(t, page.body, f.zh("response.flash.saved"), "本年度无相关资源")
	// A is still past its date.
	res = f.h.as(t, f.staffA, postForm(staffResponseItemsPath(f.session), url.Values{"request": {fmt.Sprint(f.q1)}, "items": {fmt.Sprint(f.item)}}))
	wantStatusCode(t, res, http.StatusSeeOther)
	if n := cyQueryID(t, f.h, `SELECT count(*) FROM report_plan_item_requests WHERE plan_item_id = $1`, f.item); n != 0 {
		t.Errorf("A linked an item after its date")
	}
}

// formValues reads the values a browser would send with the form whose
// class contains class: text inputs and hidden fields, ticked checkboxes and
// radios, selected options, textareas.
func formValues(t *testing.T, body, class string) url.Values {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	attr := func(n *html.Node, k string) (string, bool) {
		for _, a := range n.Attr {
			if a.Key == k {
				return a.Val, true
			}
		}
		return "", false
	}
	var form *html.Node
	var find func(n *html.Node)
	find = func(n *html.Node) {
		if form != nil {
			return
		}
		if n.Type == html.ElementNode && n.Data == "form" {
			if c, _ := attr(n, "class"); strings.Contains(c, class) {
				form = n
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if form == nil {
		t.Fatalf("no form of class %q", class)
	}
	out := url.Values{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			name, named := attr(n, "name")
			switch n.Data {
			case "input":
				typ, _ := attr(n, "type")
				val, _ := attr(n, "value")
				_, checked := attr(n, "checked")
				switch {
				case !named, typ == "submit", typ == "file":
				case typ == "checkbox" || typ == "radio":
					if checked {
						out.Add(name, val)
					}
				default:
					out.Add(name, val)
				}
			case "textarea":
				if named {
					text := ""
					if n.FirstChild != nil {
						text = n.FirstChild.Data
					}
					out.Add(name, text)
				}
			case "select":
				if named {
					for o := n.FirstChild; o != nil; o = o.NextSibling {
						if _, sel := attr(o, "selected"); o.Type == html.ElementNode && sel {
							v, _ := attr(o, "value")
							out.Add(name, v)
						}
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(form)
	return out
}

// A returned report saved again from its own form keeps the links to the
// requests made on the answers page: the report form offers the session's
// requests as checkboxes on each plan item, ticked as linked.
func TestResponseLinksSurviveReportSave(t *testing.T) {
	t.Parallel()
	f := newRSPFixture(t)
	wantStatusCode(t, f.setDue(t, 30, ""), http.StatusSeeOther)
	res := f.h.as(t, f.staffA, postForm(staffResponseItemsPath(f.session), url.Values{"request": {fmt.Sprint(f.q2)}, "items": {fmt.Sprint(f.item)}}))
	wantStatusCode(t, res, http.StatusSeeOther)
	res = f.h.as(t, f.staffA, postForm(staffResponseNothingPath(f.session), url.Values{"request": {fmt.Sprint(f.q1)}, "reason": {"暂无安排"}}))
	wantStatusCode(t, res, http.StatusSeeOther)
	rsExec(t, f.h, `UPDATE reports SET status = 'returned', submitted_at = now() WHERE id = $1`, f.report)

	page := f.h.as(t, f.staffA, get(staffReportPath(f.report)))
	wantStatusCode(t, page, http.StatusOK)
	form := formValues(t, page.body, "report-form")
	if got := form[portal.RowField("plan_items", 0, "requests")]; len(got) != 1 || got[0] != fmt.Sprint(f.q2) {
		t.Fatalf("the report form ticks requests %v of its plan item, want [%d]", got, f.q2)
	}
	form.Set("op", "save")
	// Ticking request 1 on the report's item answers it with that item.
	form.Add(portal.RowField("plan_items", 0, "requests"), fmt.Sprint(f.q1))
	form.Set(portal.RowField("plan_items", 0, "description"), "每月一次")
	res = f.h.as(t, f.staffA, postForm(staffReportPath(f.report), form))
	wantStatusCode(t, res, http.StatusSeeOther)

	var items, links int64
	if err := f.h.db.Pool().QueryRow(t.Context(), `
		SELECT count(DISTINCT p.id), count(l.request_id)
		FROM report_plan_items p LEFT JOIN report_plan_item_requests l ON l.plan_item_id = p.id AND l.request_id = $2
		WHERE p.report_id = $1 AND p.description = '每月一次'`, f.report, f.q2).Scan(&items, &links); err != nil {
		t.Fatal(err)
	}
	if items != 1 || links != 1 {
		t.Errorf("after the report's save: %d saved items, %d links to request 2; want 1 and 1", items, links)
	}
	var nothing bool
	if err := f.h.db.Pool().QueryRow(t.Context(), `SELECT nothing_planned FROM request_responses WHERE request_id = $1 AND ngo_id = $2`,
		f.q1, f.a).Scan(&nothing); err != nil || nothing {
		t.Errorf("request 1 still planned nothing (%v) after the report linked an item to it", err)
	}
	page = f.h.as(t, f.staffA, get(staffResponsesPath(f.session)))
	sec := page.body[strings.Index(page.body, `id="request-`+strconv.FormatInt(f.q2, 10)+`"`):]
	if !regexp.MustCompile(`name="items" value="\d+" checked`).MatchString(sec) {
		t.Errorf("the answers page no longer ticks the re-saved item for request 2")
	}
}
