package portal

import (
	"slices"
	"time"
)

// What needs doing now, as each home page lists it: computed from the data
// when the page is read, never stored.

// ReportTodo is an NGO's report still to be submitted in an open reporting
// cycle: not started, a draft, or returned with comments.
type ReportTodo struct {
	CycleID    int64
	ReviewYear int
	PlanYear   int
	Deadline   time.Time // the NGO's effective deadline
	Extended   bool      // Deadline is the NGO's extension
	ReportID   int64     // 0 when not started
	Status     ReportStatus
	ReturnedAt time.Time // the latest return of a returned report; zero otherwise
	// Missing is what Report.Missing finds before a submission (the rule
	// the submission itself applies); nil when the report is not started.
	Missing []MissingItem
}

// InvitationTodo is an invitation of the NGO to a scheduled session that
// it has not answered while replies are open.
type InvitationTodo struct {
	SessionID     int64
	TitleZH       string
	TitleEN       string
	HeldOn        time.Time
	ReplyDeadline *time.Time // nil when the session sets none
}

// StaffTodos is what an NGO's staff have to do now. Responses are the
// sessions whose requests the NGO has not fully answered.
type StaffTodos struct {
	Reports     []ReportTodo
	Invitations []InvitationTodo
	Responses   []ResponseTask
}

// Empty reports whether there is nothing to do.
func (t StaffTodos) Empty() bool {
	return len(t.Reports) == 0 && len(t.Invitations) == 0 && len(t.Responses) == 0
}

// DaysLeft is the number of days from now's day to the deadline's day in
// the federation's time zone: 0 on the day itself, negative once it has
// passed (-2: two days overdue). deadline is a calendar day as the database
// returns a date; a moment is turned into its day first with In.
func DaysLeft(deadline, now time.Time) int {
	n := now.In(FederationZone)
	today := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
	day := time.Date(deadline.Year(), deadline.Month(), deadline.Day(), 0, 0, 0, 0, time.UTC)
	return int(day.Sub(today).Hours() / 24)
}

// TodoUrgency is an item's place in a to-do list: overdue items first,
// then the nearest date first; items without a date last.
type TodoUrgency struct {
	Overdue bool
	Due     time.Time // zero when the item has no date
}

// CompareUrgency orders two items by urgency, as slices.SortFunc wants.
func CompareUrgency(a, b TodoUrgency) int {
	switch {
	case a.Overdue != b.Overdue:
		if a.Overdue {
			return -1
		}
		return 1
	case a.Due.IsZero() != b.Due.IsZero():
		if a.Due.IsZero() {
			return 1
		}
		return -1
	}
	return a.Due.Compare(b.Due)
}

// SortByUrgency sorts items by the urgency urgency gives each, stably.
func SortByUrgency[T any](items []T, urgency func(T) TodoUrgency) {
	slices.SortStableFunc(items, func(a, b T) int { return CompareUrgency(urgency(a), urgency(b)) })
}

// CycleTodo is a count of NGOs' reports in one reporting cycle, on the
// admin's list: reports waiting for review (Oldest is the earliest
// submission still waiting), or NGOs overdue with their report.
type CycleTodo struct {
	CycleID    int64
	ReviewYear int
	PlanYear   int
	Count      int
	Oldest     time.Time // waiting reports only
}

// NextSessionTodo is the next scheduled session on the admin's list: the
// invited NGOs that have not replied, and its readiness board's summary.
type NextSessionTodo struct {
	Session   Session
	NoReply   int // unwithdrawn invitations with no reply yet
	Readiness ReadinessSummary
}

// ResponsesTodo is a session whose requests addressed NGOs have not all
// answered: Unanswered of the Addressed NGOs have not answered at least one
// request addressed to them (the overview's "not answered" filter).
type ResponsesTodo struct {
	SessionID  int64
	TitleZH    string
	TitleEN    string
	DueOn      time.Time // the session's date for answers
	Addressed  int
	Unanswered int
}

// AdminTodos is what needs the federation's admins now.
type AdminTodos struct {
	Waiting   []CycleTodo
	Overdue   []CycleTodo
	Next      *NextSessionTodo // nil when no session is scheduled
	Responses []ResponsesTodo
}
