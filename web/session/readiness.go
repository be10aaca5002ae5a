package session

import (
	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// ReadinessRow is one invited NGO on a session's readiness board, with
// the link of each cell to the thing itself ("" when there is nothing to
// link to).
type ReadinessRow struct {
	portal.ReadinessRow
	Gaps           []portal.ReadinessGap
	ReplyOverdue   bool   // no reply yet and the reply deadline has passed
	NGOPath        string // the NGO's admin page
	ReportPath     string // its report's review page, or the cycle's report board when it has none
	PlanPath       string // the plan section of its report (or the report board)
	InvitationPath string // its row on the session's invitation board
	AnswersPath    string // its answers to the previous session's requests
}

// ReadinessCount is one figure of the board's summary and the link that
// filters the board to the NGOs it counts ("" for none).
type ReadinessCount struct {
	Label string // message key
	Count int
	Path  string
}

// ReadinessSortHeader is a sortable column header: the link that sorts by
// the column (toggling the direction when it is the sort) and, when it is
// the sort, the aria-sort value.
type ReadinessSortHeader struct {
	Label    string // message key
	Path     string
	AriaSort string
}

// ReadinessLabels are the column names, translated once for the page:
// every cell of a phone's stacked table repeats its column's name.
type ReadinessLabels struct {
	NGO, Report, Plan, Reps, Reply, Answers, Ready string
}

// ReadinessBoardView is a session's readiness board: a summary, a filter
// form, one page of invited NGOs and the way to download every row.
type ReadinessBoardView struct {
	ui.Page
	Session    portal.Session
	Previous   *portal.Session // nil when no session was held before
	WithReport bool            // the session has a reporting cycle
	Counts     []ReadinessCount
	Rows       []ReadinessRow
	Headers    []ReadinessSortHeader // in column order, NGO first
	Labels     ReadinessLabels
	// The filter form: the name search, which NGOs to show, the sort.
	Query       ui.Field
	Show        ui.Field
	ShowOptions []ui.Option
	Sort        ui.Field
	SortOptions []ui.Option
	Dir         ui.Field
	DirOptions  []ui.Option
	Filtered    bool
	SortCaption string
	Pager       ui.Pager

	ListPath     string // the board without filters
	CSVPath      string // every row, with the same filter and sort
	SessionPath  string
	PreviousPath string // the previous session's page; "" when none
}

// HasGap says whether row r lacks g, for the cells that mark it.
func (r ReadinessRow) HasGap(g portal.ReadinessGap) bool {
	for _, x := range r.Gaps {
		if x == g {
			return true
		}
	}
	return false
}

// ReadinessPath is the session's readiness board, beside its page. The
// session page is built by the server with the list's path; the board
// sits under the session's own.
func (v SessionShowView) ReadinessPath() string {
	return v.ListPath + "/" + idStr(v.Session.ID) + "/readiness"
}
