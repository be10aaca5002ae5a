package server

import (
	"net/url"
	"strings"
	"time"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// The home pages' lists of what needs doing: each item a link to the page
// where it is done, with its dates and counts in words.

// countKey is key, or its "_one" form when n is 1: English says "1 report"
// but "2 reports".
func countKey(key string, n int) string {
	if n == 1 {
		return key + "_one"
	}
	return key
}

// daysWords says how far a deadline day is from now: "5 days left", "due
// today", "3 days overdue".
func daysWords(t i18n.Translator, deadline, now time.Time) string {
	switch n := portal.DaysLeft(deadline, now); {
	case n == 0:
		return t.T("todo.due_today")
	case n > 0:
		return t.T(countKey("todo.days_left", n), "Days", n)
	default:
		return t.T(countKey("todo.overdue_days", -n), "Days", -n)
	}
}

// momentDay is a moment's calendar day in the federation's time zone, as
// the database gives a date: to compare and count days with deadlines.
func momentDay(at time.Time) time.Time {
	l := at.In(portal.FederationZone)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
}

// missingSections names, in page order and once each, the report sections
// the missing items belong to.
func missingSections(t i18n.Translator, missing []portal.MissingItem) string {
	var names []string
	seen := map[string]bool{}
	for _, m := range missing {
		if !seen[m.Section] {
			seen[m.Section] = true
			names = append(names, t.T("report.section."+m.Section))
		}
	}
	return strings.Join(names, t.T("todo.sep"))
}

// staffTodoItems turns an NGO's to-dos into the list its home page shows,
// the most urgent first: overdue items, then the nearest date.
func staffTodoItems(t i18n.Translator, todos portal.StaffTodos, now time.Time) []ui.TodoItem {
	type item struct {
		ui.TodoItem
		urgency portal.TodoUrgency
	}
	var items []item
	for _, r := range todos.Reports {
		overdue := portal.DeadlinePassed(r.Deadline, now)
		it := item{urgency: portal.TodoUrgency{Overdue: overdue, Due: r.Deadline}}
		it.Text = t.T("todo.report.due", "Year", r.ReviewYear)
		it.Path = staffReportsPath
		if r.ReportID != 0 {
			it.Path = staffReportPath(r.ReportID)
		}
		if r.Status == portal.ReportReturned {
			it.Text = t.T("todo.report.returned", "Year", r.ReviewYear)
			it.Path = staffReportPath(r.ReportID) + "#return-title"
			it.Badge = t.T("todo.badge.returned")
			it.Details = append(it.Details, t.T("todo.report.returned_on", "When", ui.DateTime(t, r.ReturnedAt)))
		}
		deadlineKey := "todo.report.deadline"
		if r.Extended {
			deadlineKey = "todo.report.deadline_extended"
		}
		it.Details = append(it.Details, t.T(deadlineKey, "Day", ui.CalendarDay(t, r.Deadline), "Left", daysWords(t, r.Deadline, now)))
		switch {
		case overdue:
			it.Badge, it.Urgent = t.T("todo.badge.overdue"), true
			it.Details = append(it.Details, t.T("todo.report.passed"))
		case r.ReportID == 0:
			it.Details = append(it.Details, t.T("todo.report.not_started"))
		case len(r.Missing) > 0:
			it.Details = append(it.Details, t.T(countKey("todo.report.missing", len(r.Missing)),
				"Count", len(r.Missing), "Sections", missingSections(t, r.Missing)))
		default:
			it.Details = append(it.Details, t.T("todo.report.complete"))
		}
		items = append(items, it)
	}
	for _, inv := range todos.Invitations {
		it := item{urgency: portal.TodoUrgency{Due: inv.HeldOn}}
		it.Text = t.T("todo.invitation", "Title", t.Pick(inv.TitleZH, inv.TitleEN))
		it.Path = staffSessionPath(inv.SessionID)
		it.Details = []string{t.T("todo.invitation.held_on", "Day", ui.CalendarDay(t, inv.HeldOn))}
		if d := inv.ReplyDeadline; d != nil {
			it.urgency.Due = momentDay(*d)
			it.Details = append(it.Details, t.T("todo.invitation.reply_by", "When", ui.DateTime(t, *d),
				"Left", daysWords(t, momentDay(*d), now)))
		} else {
			it.Details = append(it.Details, t.T("todo.invitation.no_deadline"))
		}
		items = append(items, it)
	}
	for _, task := range todos.Responses {
		overdue := task.Overdue(now)
		it := item{urgency: portal.TodoUrgency{Overdue: overdue, Due: task.DueOn}}
		it.Text = t.T("response.task.link", "Title", t.Pick(task.TitleZH, task.TitleEN))
		it.Path = staffResponsesPath(task.SessionID)
		due := t.T("todo.responses.due", "Day", ui.CalendarDay(t, task.DueOn), "Left", daysWords(t, task.DueOn, now))
		if task.Extended {
			due += " " + t.T("response.task.extended")
		}
		it.Details = []string{due, t.T("response.answered_of", "Answered", task.Answered, "Addressed", task.Addressed)}
		if !task.LastReminder.IsZero() {
			it.Details = append(it.Details, t.T("response.task.reminded", "At", ui.DateTime(t, task.LastReminder)))
		}
		if overdue {
			it.Badge, it.Urgent = t.T("response.task.overdue"), true
		}
		items = append(items, it)
	}
	portal.SortByUrgency(items, func(it item) portal.TodoUrgency { return it.urgency })
	out := make([]ui.TodoItem, len(items))
	for i, it := range items {
		out[i] = it.TodoItem
	}
	return out
}

// adminTodoItems turns the federation's to-dos into the list the admin's
// home page shows: overdue reports, reports waiting for review (the
// longest waiting first), replies missing before the next session, the
// requests not answered, and the next session's readiness. Each links to
// the list that shows those NGOs, filtered by that list's own filter.
func adminTodoItems(t i18n.Translator, todos portal.AdminTodos, now time.Time) []ui.TodoItem {
	var items []ui.TodoItem
	for _, c := range todos.Overdue {
		items = append(items, ui.TodoItem{
			Text:    t.T(countKey("todo.admin.overdue", c.Count), "Count", c.Count, "Year", c.ReviewYear),
			Path:    boardQuery{Overdue: true, Sort: reviewSorts[0], Dir: reviewDirs[0]}.path(c.CycleID),
			Badge:   t.T("todo.badge.overdue"),
			Urgent:  true,
			Details: []string{t.T("todo.admin.overdue_detail")},
		})
	}
	for _, c := range todos.Waiting {
		items = append(items, ui.TodoItem{
			Text:    t.T(countKey("todo.admin.waiting", c.Count), "Count", c.Count, "Year", c.ReviewYear),
			Path:    boardQuery{Status: portal.ReportSubmitted, Sort: reviewSorts[0], Dir: reviewDirs[0]}.path(c.CycleID),
			Details: []string{t.T("todo.admin.waiting_oldest", "When", ui.DateTime(t, c.Oldest))},
		})
	}
	if n := todos.Next; n != nil && n.NoReply > 0 {
		title := t.Pick(n.Session.TitleZH, n.Session.TitleEN)
		it := ui.TodoItem{
			Text: t.T(countKey("todo.admin.replies", n.NoReply), "Count", n.NoReply, "Title", title),
			Path: adminInvitationsNoReplyPath(n.Session.ID),
		}
		switch d := n.Session.ReplyDeadline; {
		case d == nil:
		case now.Before(*d):
			it.Details = []string{t.T("todo.invitation.reply_by", "When", ui.DateTime(t, *d), "Left", daysWords(t, momentDay(*d), now))}
		default:
			it.Details = []string{t.T("todo.admin.replies_passed", "When", ui.DateTime(t, *d))}
			it.Badge, it.Urgent = t.T("todo.badge.overdue"), true
		}
		items = append(items, it)
	}
	for _, r := range todos.Responses {
		overdue := portal.DeadlinePassed(r.DueOn, now)
		it := ui.TodoItem{
			Text: t.T("todo.admin.responses", "Count", r.Unanswered, "Addressed", r.Addressed,
				"Title", t.Pick(r.TitleZH, r.TitleEN)),
			Path: adminResponsesPath(r.SessionID) + "?" + url.Values{"status": {string(portal.ResponseNone)}}.Encode(),
			Details: []string{t.T("todo.admin.responses_due", "Day", ui.CalendarDay(t, r.DueOn),
				"Left", daysWords(t, r.DueOn, now))},
		}
		if overdue {
			it.Badge, it.Urgent = t.T("todo.badge.overdue"), true
		}
		items = append(items, it)
	}
	if n := todos.Next; n != nil {
		items = append(items, ui.TodoItem{
			Text: t.T("todo.admin.readiness", "Title", t.Pick(n.Session.TitleZH, n.Session.TitleEN),
				"Ready", n.Readiness.Ready, "NotReady", n.Readiness.Invited-n.Readiness.Ready),
			Path: readinessPath(n.Session.ID),
			Details: []string{t.T("todo.admin.readiness_detail", "Day", ui.CalendarDay(t, n.Session.HeldOn),
				"Left", daysWords(t, n.Session.HeldOn, now), "Invited", n.Readiness.Invited)},
		})
	}
	return items
}

// unreadTodo is the home page's item for the viewer's unread
// notifications, last in the list (they carry no date of their own), or
// nothing when every notification is read.
func unreadTodo(t i18n.Translator, v portal.Viewer, items []ui.TodoItem) []ui.TodoItem {
	if v.Unread == 0 {
		return items
	}
	return append(items, ui.TodoItem{Text: t.T(countKey("todo.unread", v.Unread), "Count", v.Unread), Path: notificationsPath(v)})
}
