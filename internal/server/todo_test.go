package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"ngoportal/internal/i18n"
	"ngoportal/internal/pgtest"
	"ngoportal/internal/portal"
	"ngoportal/internal/scale"
	"ngoportal/web/ui"
)

// tdFixture is a federation, on an otherwise empty database, whose dates
// are counted from today so that the pages (which read the clock) see:
//
//	cycle 2090 (open, deadline 3 days ago)
//	NGO  report                                       next session (in 20 days,  the held session's request
//	                                                  replies by 7 days from now) (answers due in 2 days)
//	A    returned yesterday, extension to +5 days     no reply                    not answered
//	B    not started: 3 days overdue                  confirmed                   nothing planned
//	C    submitted 2 days ago                         no reply                    not answered
//
// A's list by urgency: the answers (in 2 days), the returned report (in 5),
// the invitation (reply in 7). B's: the overdue report only. The admin's:
// 1 NGO overdue, 1 report waiting, 2 replies missing, 2 of 3 NGOs not
// answered, readiness 0 ready of 3.
type tdFixture struct {
	h                       *harness
	admin, staffA, staffB   *http.Cookie
	a, b, c                 int64
	cycle, next, prev, repA int64
	now                     time.Time
	returnedAt, submittedC  time.Time
	replyBy                 time.Time
}

func newTDFixture(t *testing.T) tdFixture {
	t.Helper()
	db := pgtest.New(t)
	m, err := db.NewMigrator()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	f := tdFixture{h: newHarnessWith(t, nil, db, NewReadiness(db, m)), now: time.Now().In(portal.FederationZone)}
	id := func(sql string, args ...any) int64 { return cyQueryID(t, f.h, sql, args...) }
	exec := func(sql string, args ...any) {
		if _, err := db.Pool().Exec(t.Context(), sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	day := func(n int) string { return f.now.AddDate(0, 0, n).Format(time.DateOnly) }
	ngo := func(slug, zh, en string) int64 {
		return id(`INSERT INTO ngos (slug, name_zh, name_en) VALUES ($1, $2, $3) RETURNING id`, slug, zh, en)
	}
	f.a = ngo("td-a", "甲妇女发展会", "Alpha Women")
	f.b = ngo("td-b", "乙妇女发展会", "Beta Women")
	f.c = ngo("td-c", "丙妇女发展会", "Gamma Women")
	f.admin = h0Admin(t, f.h)
	f.staffA = f.h.sessionCookie(t, createUser(t, f.h, portal.RoleStaff, f.a, "a@td.example.org", "甲同事"))
	f.staffB = f.h.sessionCookie(t, createUser(t, f.h, portal.RoleStaff, f.b, "b@td.example.org", "乙同事"))

	f.cycle = id(`INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline) VALUES (2090, 2091, $1, $2) RETURNING id`,
		day(-60), day(-3))
	exec(`INSERT INTO cycle_extensions (cycle_id, ngo_id, deadline, reason) VALUES ($1, $2, $3, '换届')`, f.cycle, f.a, day(5))
	f.returnedAt = f.now.AddDate(0, 0, -1).Truncate(time.Second)
	f.submittedC = f.now.AddDate(0, 0, -2).Truncate(time.Second)
	f.repA = id(`INSERT INTO reports (cycle_id, ngo_id, status, submitted_at) VALUES ($1, $2, 'returned', $3) RETURNING id`,
		f.cycle, f.a, f.returnedAt.AddDate(0, 0, -1))
	exec(`INSERT INTO report_events (report_id, at, action, comment) VALUES ($1, $2, 'returned', '请补充活动')`, f.repA, f.returnedAt)
	exec(`INSERT INTO reports (cycle_id, ngo_id, status, submitted_at) VALUES ($1, $2, 'submitted', $3)`, f.cycle, f.c, f.submittedC)

	f.replyBy = time.Date(f.now.Year(), f.now.Month(), f.now.Day()+7, 18, 0, 0, 0, portal.FederationZone)
	f.next = id(`INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, cycle_id, reply_deadline)
		VALUES ('td-next', '2091年度会议', '2091 session', 'municipal', $1, 'scheduled', $2, $3) RETURNING id`, day(20), f.cycle, f.replyBy)
	f.prev = id(`INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, responses_due_on)
		VALUES ('td-prev', '2090年度会议', '2090 session', 'municipal', $1, 'held', $2) RETURNING id`, day(-300), day(2))
	for _, n := range []int64{f.a, f.b, f.c} {
		reply := "none"
		if n == f.b {
			reply = "confirmed"
		}
		exec(`INSERT INTO invitations (session_id, ngo_id, reply) VALUES ($1, $2, $3)`, f.next, n, reply)
		exec(`INSERT INTO invitations (session_id, ngo_id, reply) VALUES ($1, $2, 'confirmed')`, f.prev, n)
	}
	q := id(`INSERT INTO session_requests (session_id, number, text_zh) VALUES ($1, 1, '拓宽平台') RETURNING id`, f.prev)
	exec(`INSERT INTO request_responses (request_id, ngo_id, nothing_planned, reason) VALUES ($1, $2, true, '已有安排')`, q, f.b)
	return f
}

// h0Admin is an admin account of a database without the demo.
func h0Admin(t *testing.T, h *harness) *http.Cookie {
	t.Helper()
	return h.sessionCookie(t, createUser(t, h, portal.RoleAdmin, 0, "admin@td.example.org", "管理员"))
}

func (f tdFixture) text(l i18n.Locale, key string, kv ...any) string {
	return cyText(f.h, l, key, kv...)
}
func (f tdFixture) tr(l i18n.Locale) i18n.Translator { return f.h.srv.cat.Translator(l) }

// todoSection is the to-do list of a page: its section, heading included.
func todoSection(t *testing.T, body string) string {
	t.Helper()
	start := strings.Index(body, `<section class="todo"`)
	if start < 0 {
		t.Fatalf("no to-do list in the page")
	}
	end := strings.Index(body[start:], `</section>`)
	return body[start : start+end]
}

// wantInOrder fails unless every sub is in body, each after the one before.
func wantInOrder(t *testing.T, body string, subs ...string) {
	t.Helper()
	at := 0
	for _, s := range subs {
		i := strings.Index(body[at:], s)
		if i < 0 {
			t.Errorf("after position %d, body lacks %q", at, s)
			return
		}
		at += i + len(s)
	}
}

func TestStaffHomeTodos(t *testing.T) {
	t.Parallel()
	f := newTDFixture(t)
	for _, l := range i18n.Locales {
		tr := f.tr(l)
		t.Run("OKUrgentFirst/"+string(l), func(t *testing.T) {
			r := get(ngoHomePath)
			if l == i18n.En {
				r = inEnglish(r)
			}
			res := f.h.as(t, f.staffA, r)
			wantStatus(t, res, http.StatusOK)
			list := todoSection(t, res.body)
			wantContains(t, list, `<h2 id="todo-title">`+f.text(l, "todo.title")+`</h2>`, `<ul class="todo-list">`)
			wantInOrder(t, list,
				// The answers, due in 2 days.
				`href="`+staffResponsesPath(f.prev)+`"`,
				f.text(l, "response.task.link", "Title", tr.Pick("2090年度会议", "2090 session")),
				f.text(l, "todo.responses.due", "Day", tr.Date(f.now.AddDate(0, 0, 2)), "Left", f.text(l, "todo.days_left", "Days", 2)),
				f.text(l, "response.answered_of", "Answered", 0, "Addressed", 1),
				// The returned report, by its extended deadline in 5 days.
				`href="`+staffReportPath(f.repA)+`#return-title"`,
				f.text(l, "todo.report.returned", "Year", 2090),
				f.text(l, "todo.badge.returned"),
				f.text(l, "todo.report.returned_on", "When", ui.DateTime(tr, f.returnedAt)),
				f.text(l, "todo.report.deadline_extended", "Day", tr.Date(f.now.AddDate(0, 0, 5)), "Left", f.text(l, "todo.days_left", "Days", 5)),
				// An empty report lacks seven things, in four sections.
				f.text(l, "todo.report.missing", "Count", 7, "Sections", strings.Join([]string{
					tr.T("report.section." + portal.SectionNarrative), tr.T("report.section." + portal.SectionActivities),
					tr.T("report.section." + portal.SectionPlan), tr.T("report.section." + portal.SectionAttestation)}, tr.T("todo.sep"))),
				// The invitation: reply within 7 days.
				`href="`+staffSessionPath(f.next)+`"`,
				f.text(l, "todo.invitation", "Title", tr.Pick("2091年度会议", "2091 session")),
				f.text(l, "todo.invitation.reply_by", "When", ui.DateTime(tr, f.replyBy), "Left", f.text(l, "todo.days_left", "Days", 7)),
			)
			wantAbsent(t, list, f.text(l, "todo.none"), f.text(l, "todo.badge.overdue"))
			// The list leads: before the registry details.
			wantInOrder(t, res.body, `id="todo-title"`, `id="registry-title"`)
		})
		t.Run("OKOverdue/"+string(l), func(t *testing.T) {
			r := get(ngoHomePath)
			if l == i18n.En {
				r = inEnglish(r)
			}
			list := todoSection(t, f.h.as(t, f.staffB, r).body)
			wantContains(t, list, `href="`+staffReportsPath+`"`, f.text(l, "todo.report.due", "Year", 2090),
				f.text(l, "todo.badge.overdue"), f.text(l, "todo.overdue_days", "Days", 3), f.text(l, "todo.report.passed"),
				`class="todo-item todo-urgent"`)
			// B has confirmed and answered: nothing else.
			wantAbsent(t, list, staffSessionPath(f.next), staffResponsesPath(f.prev))
		})
	}
	t.Run("OKGoneWhenDone", func(t *testing.T) {
		// A resubmits, replies and answers; B submits: nothing is left.
		for _, sql := range []string{
			`UPDATE reports SET status = 'submitted', submitted_at = now() WHERE ngo_id = $1`,
			`UPDATE invitations SET reply = 'confirmed' WHERE ngo_id = $1`,
			`INSERT INTO request_responses (request_id, ngo_id, nothing_planned, reason) SELECT id, $1, true, '无' FROM session_requests`,
		} {
			if _, err := f.h.db.Pool().Exec(t.Context(), sql, f.a); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.h.db.Pool().Exec(t.Context(), `INSERT INTO reports (cycle_id, ngo_id, status, submitted_at)
			VALUES ($1, $2, 'submitted', now())`, f.cycle, f.b); err != nil {
			t.Fatal(err)
		}
		for _, c := range []*http.Cookie{f.staffA, f.staffB} {
			for _, l := range i18n.Locales {
				r := get(ngoHomePath)
				if l == i18n.En {
					r = inEnglish(r)
				}
				list := todoSection(t, f.h.as(t, c, r).body)
				wantContains(t, list, `<p class="todo-none">`+f.text(l, "todo.none")+`</p>`)
				wantAbsent(t, list, "<li", "#return-title", f.text(l, "todo.report.returned", "Year", 2090), staffSessionPath(f.next))
			}
		}
	})
}

func TestAdminHomeTodos(t *testing.T) {
	t.Parallel()
	f := newTDFixture(t)
	overdue := boardQuery{Overdue: true, Sort: "name", Dir: "asc"}.path(f.cycle)
	waiting := boardQuery{Status: portal.ReportSubmitted, Sort: "name", Dir: "asc"}.path(f.cycle)
	replies := adminInvitationsPath(f.next) + "?reply=none"
	answers := adminResponsesPath(f.prev) + "?status=none"
	for _, l := range i18n.Locales {
		tr := f.tr(l)
		t.Run("OK/"+string(l), func(t *testing.T) {
			r := get(adminHomePath)
			if l == i18n.En {
				r = inEnglish(r)
			}
			res := f.h.as(t, f.admin, r)
			wantStatus(t, res, http.StatusOK)
			list := todoSection(t, res.body)
			next, prev := tr.Pick("2091年度会议", "2091 session"), tr.Pick("2090年度会议", "2090 session")
			wantInOrder(t, list,
				`href="`+overdue+`"`, f.text(l, "todo.admin.overdue_one", "Year", 2090), f.text(l, "todo.badge.overdue"),
				`href="`+waiting+`"`, f.text(l, "todo.admin.waiting_one", "Year", 2090),
				f.text(l, "todo.admin.waiting_oldest", "When", ui.DateTime(tr, f.submittedC)),
				`href="`+replies+`"`, f.text(l, "todo.admin.replies", "Count", 2, "Title", next),
				f.text(l, "todo.invitation.reply_by", "When", ui.DateTime(tr, f.replyBy), "Left", f.text(l, "todo.days_left", "Days", 7)),
				`href="`+answers+`"`, f.text(l, "todo.admin.responses", "Count", 2, "Addressed", 3, "Title", prev),
				f.text(l, "todo.admin.responses_due", "Day", tr.Date(f.now.AddDate(0, 0, 2)), "Left", f.text(l, "todo.days_left", "Days", 2)),
				`href="`+readinessPath(f.next)+`"`, f.text(l, "todo.admin.readiness", "Title", next, "Ready", 0, "NotReady", 3),
				f.text(l, "todo.admin.readiness_detail", "Day", tr.Date(f.now.AddDate(0, 0, 20)),
					"Left", f.text(l, "todo.days_left", "Days", 20), "Invited", 3),
			)
			// The figures and the latest audit entries stay, below the list.
			wantInOrder(t, res.body, `id="todo-title"`, `id="admin-figures-title"`, `id="admin-latest-title"`)
		})
	}
	// Each link goes to a page that shows those NGOs and not the others.
	t.Run("OKLinkTargets", func(t *testing.T) {
		for _, c := range []struct {
			path        string
			show, avoid []string
		}{
			{overdue, []string{"乙妇女发展会"}, []string{"甲妇女发展会", "丙妇女发展会"}},
			{waiting, []string{"丙妇女发展会"}, []string{"甲妇女发展会", "乙妇女发展会"}},
			{replies, []string{"甲妇女发展会", "丙妇女发展会", f.text(i18n.ZhCN, "invitation.filter.no_reply_only", "Count", 2)}, []string{"乙妇女发展会"}},
			{answers, []string{"甲妇女发展会", "丙妇女发展会"}, []string{"乙妇女发展会"}},
			{readinessPath(f.next), []string{"甲妇女发展会", "乙妇女发展会", "丙妇女发展会"}, nil},
		} {
			res := f.h.as(t, f.admin, get(c.path))
			if res.status != http.StatusOK {
				t.Errorf("%s: status %d", c.path, res.status)
				continue
			}
			body := res.body[strings.Index(res.body, "<main"):]
			wantContains(t, body, c.show...)
			wantAbsent(t, body, c.avoid...)
		}
	})
	t.Run("OKInvitationBoardUnfiltered", func(t *testing.T) {
		res := f.h.as(t, f.admin, get(adminInvitationsPath(f.next)))
		wantContains(t, res.body, "甲妇女发展会", "乙妇女发展会", "丙妇女发展会",
			`href="`+adminInvitationsNoReplyPath(f.next)+`"`, f.text(i18n.ZhCN, "invitation.filter.no_reply_link", "Count", 2))
		wantAbsent(t, res.body, f.text(i18n.ZhCN, "invitation.filter.no_reply_only", "Count", 2))
	})
	t.Run("OKGoneWhenDone", func(t *testing.T) {
		for _, sql := range []string{
			`UPDATE reports SET status = 'accepted', accepted_at = now()`,
			`INSERT INTO reports (cycle_id, ngo_id, status, submitted_at, accepted_at) SELECT $1, id, 'accepted', now(), now()
			 FROM ngos WHERE id NOT IN (SELECT ngo_id FROM reports)`,
			`UPDATE invitations SET reply = 'confirmed'`,
			`INSERT INTO request_responses (request_id, ngo_id, nothing_planned, reason)
			 SELECT q.id, n.id, true, '无' FROM session_requests q CROSS JOIN ngos n ON CONFLICT DO NOTHING`,
		} {
			args := []any{}
			if strings.Contains(sql, "$1") {
				args = append(args, f.cycle)
			}
			if _, err := f.h.db.Pool().Exec(t.Context(), sql, args...); err != nil {
				t.Fatal(err)
			}
		}
		list := todoSection(t, f.h.as(t, f.admin, get(adminHomePath)).body)
		wantAbsent(t, list, overdue, waiting, replies, answers)
		// The next session's readiness stays, at a glance.
		wantContains(t, list, `href="`+readinessPath(f.next)+`"`)
	})
}

// TestAdminHomeStatements: the admin home sends the same number of SQL
// statements with 3 NGOs as with 30, each federation with an open cycle
// past its deadline, reports waiting, a scheduled session with replies
// missing and the latest held session's answers asked for.
func TestAdminHomeStatements(t *testing.T) {
	t.Parallel()
	var counts []int
	for _, n := range []int{3, 30} {
		db := pgtest.New(t)
		if _, err := scale.Seed(t.Context(), db, scale.Options{NGOs: n, Years: 2}); err != nil {
			t.Fatal(err)
		}
		today := time.Now().In(portal.FederationZone)
		for _, sql := range []string{
			`UPDATE reporting_cycles SET status = 'open', opens_on = $1::date - 90, deadline = $1::date - 1
			 WHERE review_year = (SELECT max(review_year) FROM reporting_cycles)`,
			`UPDATE reports r SET status = CASE WHEN n.id % 3 = 0 THEN 'submitted' ELSE 'draft' END, accepted_at = NULL
			 FROM ngos n, reporting_cycles c
			 WHERE n.id = r.ngo_id AND c.id = r.cycle_id AND c.status = 'open'`,
			`UPDATE sessions SET responses_due_on = $1::date + 5
			 WHERE held_on = (SELECT max(held_on) FROM sessions)`,
			`INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, reply_deadline)
			 VALUES ('statements-next', '下次会议', 'Next session', 'municipal', $1::date + 30, 'scheduled', $1::date + 10)`,
			`INSERT INTO invitations (session_id, ngo_id, reply)
			 SELECT s.id, n.id, CASE WHEN n.id % 2 = 0 THEN 'confirmed' ELSE 'none' END
			 FROM sessions s CROSS JOIN ngos n WHERE s.slug = 'statements-next'`,
			`DELETE FROM request_responses WHERE ngo_id % 2 = 0`,
		} {
			var args []any
			if strings.Contains(sql, "$1") {
				args = append(args, today.Format(time.DateOnly))
			}
			if _, err := db.Pool().Exec(t.Context(), sql, args...); err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
		}
		ss := newScaleServer(t, db.Pool().Config().ConnString())
		todos, err := ss.h.db.AdminTodos(t.Context(), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if len(todos.Waiting) == 0 || len(todos.Overdue) == 0 || todos.Next == nil || todos.Next.NoReply == 0 {
			t.Fatalf("at %d NGOs the fixture has nothing to do: %+v", n, todos)
		}
		status, sql := ss.statements(adminHomePath)
		if status != http.StatusOK {
			t.Fatalf("admin home at %d NGOs: status %d", n, status)
		}
		counts = append(counts, len(sql))
		if len(counts) == 2 && counts[0] != counts[1] {
			t.Errorf("admin home: %d statements at 3 NGOs, %d at 30:\n%s", counts[0], counts[1], strings.Join(sql, "\n---\n"))
		}
	}
	t.Logf("admin home: %s statements per request", fmt.Sprint(counts[0]))
}
