package portal

import (
	"slices"
	"time"
)

// Timeline is one NGO's history, year by year, newest first: for each year
// under review its report and the report's status history, the figures of
// the report once accepted, the sessions of the year, the chair's requests
// addressed to the NGO there and its answers, and the plan items for the
// next year with their outcomes.
type Timeline struct {
	NGOID  int64
	NameZH string
	NameEN string
	Years  []TimelineYear
}

// TimelineYear is one year of an NGO's timeline. Year is a reporting
// cycle's year under review: the report of that cycle, the session the
// cycle is tied to (held early in the plan year) and the plan for Year+1
// belong to it. A session tied to no cycle belongs to the year before the
// one it was held in, as it would if it closed that year's cycle.
type TimelineYear struct {
	Year    int
	CycleID int64 // 0 when no reporting cycle has this year under review

	// Report is the NGO's report of the cycle; nil when it has none.
	Report *TimelineReport
	// Figures are the indicators of the report, counted only when it is
	// accepted (Counted).
	Figures IndicatorSet
	Counted bool

	Sessions []TimelineSession
	Requests []TimelineRequest

	// PlanItems are the NGO's plan for Year+1: the items of its accepted
	// report of the cycle, then those of its plan addendum, each with its
	// outcome from the accepted report of the next cycle.
	PlanItems []TimelinePlanItem
	Outcomes  OutcomeCounts
}

// PlanYear is the year the plan items of the year are for.
func (y TimelineYear) PlanYear() int { return y.Year + 1 }

// Attended reports whether the NGO was present at any session of the year.
func (y TimelineYear) Attended() bool {
	return slices.ContainsFunc(y.Sessions, func(s TimelineSession) bool { return s.Attendance == AttendancePresent })
}

// TimelineReport is an NGO's report of one cycle and its status history.
type TimelineReport struct {
	ID     int64
	Status ReportStatus
	Events []TimelineEvent // oldest first
}

// TimelineEvent is one step of a report's status history: when, who (the
// account's display names; both empty when the account is gone), what,
// and the reviewer's overall comment on a return.
type TimelineEvent struct {
	At          time.Time
	Action      ReportEventAction
	ActorName   string
	ActorNameEN string
	Comment     string
}

// TimelineSession is a session of the year as it concerns the NGO: the
// session itself, and its invitation, reply and attendance when invited.
type TimelineSession struct {
	ID      int64
	TitleZH string
	TitleEN string
	HeldOn  time.Time // a calendar day
	Status  SessionStatus

	Invited       bool
	Reply         Reply
	DeclineReason string
	Attendance    Attendance
	ExcuseReason  string
	// Present are the names of the NGO's representatives who came.
	Present []string
}

// TimelineRequest is one of the chair's requests addressed to the NGO at a
// session of the year, with the NGO's answer: the plan items linked to it,
// or that it plans nothing, with the reason.
type TimelineRequest struct {
	ID        int64
	SessionID int64
	Number    int
	TextZH    string
	TextEN    string
	Status    ResponseStatus
	Reason    string // why nothing is planned, when Status is ResponseNothing
	Items     []string
}

// TimelinePlanItem is one plan item for the plan year and how it turned
// out.
type TimelinePlanItem struct {
	ID       int64
	Title    string
	Addendum bool  // added after the session in a plan addendum
	Requests []int // the numbers of the session's requests it answers
	Outcome  Outcome
	Note     string // the outcome's note, when reported
}

// TimelineResponse is an NGO's response to a request: planned when any of
// its plan items is linked to the request, else nothing when it said it
// plans nothing, else none.
func TimelineResponse(linkedItems int, nothingPlanned bool) ResponseStatus {
	switch {
	case linkedItems > 0:
		return ResponsePlanned
	case nothingPlanned:
		return ResponseNothing
	default:
		return ResponseNone
	}
}

// TimelineOutcome is a plan item's outcome from the progress status the
// next year's accepted report gives it; a blank status is not reported.
func TimelineOutcome(s ProgressStatus) Outcome {
	switch s {
	case ProgressDone, ProgressPartly, ProgressNotDone:
		return Outcome(s)
	default:
		return OutcomeNotReported
	}
}

// SessionYear is the year a session belongs to on a timeline: its cycle's
// year under review, or for a session tied to no cycle the year before the
// one it was held in.
func SessionYear(cycleReviewYear int, heldOn time.Time) int {
	if cycleReviewYear != 0 {
		return cycleReviewYear
	}
	return heldOn.Year() - 1
}

// TimelineYears are the years a timeline shows, newest first: every year
// with something of the NGO's (recorded), and every year under review of
// a reporting cycle (cycles) from the NGO's first such year on, so that a
// year it did not report shows as one. An NGO with nothing recorded yet
// sees the latest cycle's year.
func TimelineYears(recorded, cycles []int) []int {
	first := 0
	for _, y := range recorded {
		if first == 0 || y < first {
			first = y
		}
	}
	if first == 0 {
		for _, y := range cycles {
			first = max(first, y)
		}
	}
	seen := map[int]bool{}
	var out []int
	for _, y := range slices.Concat(recorded, cycles) {
		if y >= first && y != 0 && !seen[y] {
			seen[y] = true
			out = append(out, y)
		}
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out
}
