package portal

import "time"

// ReadinessGap is one thing an invited NGO still lacks before the session
// it is invited to. Its value is also the board's filter that shows the
// NGOs lacking it.
type ReadinessGap string

// The gaps, in the board's column order.
const (
	// GapReport: its report of the session's cycle is not submitted or
	// accepted (not started, a draft, or returned for changes).
	GapReport ReadinessGap = "no_report"
	// GapPlan: that report has no plan items.
	GapPlan ReadinessGap = "no_plan"
	// GapReps: its reply names no representative.
	GapReps ReadinessGap = "no_reps"
	// GapReply: it has not confirmed (no reply yet, or declined).
	GapReply ReadinessGap = "not_confirmed"
	// GapAnswers: it has not answered every request of the previous
	// session addressed to it.
	GapAnswers ReadinessGap = "unanswered"
)

// ReadinessGaps lists every gap in column order.
var ReadinessGaps = []ReadinessGap{GapReport, GapPlan, GapReps, GapReply, GapAnswers}

// ReadinessShow is which NGOs the readiness board shows: all, those not
// ready, or those with one gap (a ReadinessGap's value).
type ReadinessShow string

// The filters that are not a single gap.
const (
	ShowAll      ReadinessShow = "all"
	ShowReady    ReadinessShow = "ready"
	ShowNotReady ReadinessShow = "not_ready"
)

// ReadinessShows lists every filter, in the order the board offers them.
var ReadinessShows = []ReadinessShow{ShowAll, ShowReady, ShowNotReady,
	ReadinessShow(GapReport), ReadinessShow(GapPlan), ReadinessShow(GapReps),
	ReadinessShow(GapReply), ReadinessShow(GapAnswers)}

// ReadinessSort is a column the readiness board sorts by.
type ReadinessSort string

// The sort columns. Ascending puts the NGOs furthest from ready first in
// every column but the name: reports by where they are in their review
// (ReportStatuses order), counts smallest first, replies none, declined,
// confirmed, answers by the share answered (none asked counts as all).
const (
	SortReadinessNGO     ReadinessSort = "ngo"
	SortReadinessReport  ReadinessSort = "report"
	SortReadinessPlan    ReadinessSort = "plan"
	SortReadinessReps    ReadinessSort = "reps"
	SortReadinessReply   ReadinessSort = "reply"
	SortReadinessAnswers ReadinessSort = "answers"
)

// ReadinessSorts lists the sort columns in the board's column order.
var ReadinessSorts = []ReadinessSort{SortReadinessNGO, SortReadinessReport, SortReadinessPlan,
	SortReadinessReps, SortReadinessReply, SortReadinessAnswers}

// ReadinessFilter is which rows of the board to read, and in which order.
// Ties, and the name column, are in name order for the reader: Chinese
// names by pinyin, or English names alphabetically when English.
type ReadinessFilter struct {
	Show    ReadinessShow
	Query   string // part of either name; "" for every NGO
	Sort    ReadinessSort
	Desc    bool
	English bool
	Limit   int // 0 for every row (the CSV)
	Offset  int
}

// ReadinessRow is one NGO invited to a session (its invitation not
// withdrawn), with what it has done towards the session.
type ReadinessRow struct {
	InvitationID int64
	NGOID        int64
	NGONameZH    string
	NGONameEN    string
	// Its report of the session's cycle: ReportID 0 and ReportNotStarted
	// when it has none. SubmittedAt is the latest submission, AcceptedAt
	// the acceptance; each zero when there is none.
	ReportID     int64
	ReportStatus ReportStatus
	SubmittedAt  time.Time
	AcceptedAt   time.Time
	PlanItems    int // plan items of that report
	// Representatives named in its reply (walk-ins recorded at check-in
	// are not named beforehand and do not count).
	Representatives int
	Reply           Reply
	DeclineReason   string
	Late            bool // the invitation was sent after the session was scheduled
	// The previous session's requests addressed to it, and how many of
	// them it has answered (with plan items, or by planning nothing).
	Requests int
	Answered int
}

// ReportDate is when the report reached its status: accepted, or else
// submitted (also for a returned report); zero for a draft or none.
func (r ReadinessRow) ReportDate() time.Time {
	if r.ReportStatus == ReportAccepted {
		return r.AcceptedAt
	}
	if r.ReportStatus == ReportDraft || r.ReportStatus == ReportNotStarted {
		return time.Time{}
	}
	return r.SubmittedAt
}

// Gaps lists, in column order, what the NGO still lacks. withReport is
// false for a session with no reporting cycle: there is no report to ask
// for, so the report and plan columns do not count. The repository's
// filters and counts apply the same rule in SQL; the tests hold the two
// together.
func (r ReadinessRow) Gaps(withReport bool) []ReadinessGap {
	var gaps []ReadinessGap
	if withReport && r.ReportStatus != ReportSubmitted && r.ReportStatus != ReportAccepted {
		gaps = append(gaps, GapReport)
	}
	if withReport && r.PlanItems == 0 {
		gaps = append(gaps, GapPlan)
	}
	if r.Representatives == 0 {
		gaps = append(gaps, GapReps)
	}
	if r.Reply != ReplyConfirmed {
		gaps = append(gaps, GapReply)
	}
	if r.Answered < r.Requests {
		gaps = append(gaps, GapAnswers)
	}
	return gaps
}

// ReadinessSummary counts a session's invited NGOs: all of them, those
// ready, and those with each gap.
type ReadinessSummary struct {
	Invited int
	Ready   int
	Gaps    map[ReadinessGap]int
}

// ReadinessBoard is one page of a session's readiness board.
type ReadinessBoard struct {
	Session Session
	// Previous is the latest session held before this one (held or
	// closed, on an earlier day), whose requests the NGOs answer; nil when
	// there is none.
	Previous *Session
	Summary  ReadinessSummary
	Rows     []ReadinessRow // the page asked for
	Matching int            // rows the filter matches, over every page
}

// WithReport says whether the session has a reporting cycle, so that the
// report columns apply.
func (b ReadinessBoard) WithReport() bool { return b.Session.CycleID != 0 }
