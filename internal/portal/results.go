package portal

// From requests to results: what the NGOs planned for the chair's requests
// of a session and how it turned out in the next year's reports.
//
// The plan items of NGO n for the plan year of session S (cycle N) are the
// items of n's accepted report of cycle N and those of n's plan addendum to
// S; only they count in the NGO, theme and key-project figures. An item of
// a report of cycle N not accepted yet that is linked to one of S's
// requests is shown (and counted) under that request, marked with its
// report's status; its outcome is necessarily not reported.

// PlanItemSource says where a plan item was written.
type PlanItemSource string

// The sources of a plan item.
const (
	ItemFromReport   PlanItemSource = "report"   // the NGO's report of the session's cycle
	ItemFromAddendum PlanItemSource = "addendum" // the NGO's plan addendum to the session
)

// ResultsPerPage is the number of NGOs a results page lists at a time.
const ResultsPerPage = 100

// ResultsSort orders the per-NGO results.
type ResultsSort string

// The orders of the per-NGO results.
const (
	ResultsByName ResultsSort = "name" // by name in the reader's language
	ResultsByRate ResultsSort = "rate" // by completion rate, highest first; NGOs with no items last
)

// ParseResultsSort reads ?sort=, defaulting to ResultsByName.
func ParseResultsSort(s string) ResultsSort {
	if s == string(ResultsByRate) {
		return ResultsByRate
	}
	return ResultsByName
}

// RequestResult is one request of a session with its figures: whom it was
// addressed to, how they answered, the plan items answering it and their
// outcomes.
type RequestResult struct {
	ID             int64
	Number         int
	TextZH         string
	TextEN         string
	AddressedToAll bool
	Addressed      int // NGOs the request is addressed to
	Planned        int // of those, NGOs with plan items linked to it
	Nothing        int // of those, NGOs that plan nothing for it
	// Items is the number of plan items answering the request, ItemNGOs the
	// number of NGOs they belong to, Pending how many of the items are in
	// a report not accepted yet.
	Items    int
	ItemNGOs int
	Pending  int
	Outcomes OutcomeCounts
}

// None is the number of addressed NGOs that have not answered yet.
func (r RequestResult) None() int { return r.Addressed - r.Planned - r.Nothing }

// ResultsGroup is the plan items of the year under one theme or one key
// project (ID 0: items with none), with their outcomes.
type ResultsGroup struct {
	ID       int64
	NameZH   string
	NameEN   string
	Outcomes OutcomeCounts
}

// ResultsTotals are the plan items of the year by theme and by key project,
// and all of them: an item with two themes counts under each, once in Total.
type ResultsTotals struct {
	Themes   []ResultsGroup
	Projects []ResultsGroup
	Total    OutcomeCounts
}

// NGOResult is one NGO's plan items of the year and their outcomes.
type NGOResult struct {
	NGOID  int64
	NameZH string
	NameEN string
	// ReportStatus is the status of its report of the session's cycle, ""
	// when it has none.
	ReportStatus ReportStatus
	Outcomes     OutcomeCounts
}

// ResultsItem is one plan item with its outcome: a plan item of the year or
// an item of a report not accepted yet linked to one of the session's
// requests (Counted false).
type ResultsItem struct {
	ID           int64
	NGOID        int64
	NGONameZH    string
	NGONameEN    string
	Position     int
	Title        string
	Source       PlanItemSource
	ReportStatus ReportStatus // of the item's report; "" for an addendum item
	Counted      bool         // a plan item of the year: counted in the NGO and theme figures
	Requests     []int        // numbers of the session's requests it answers
	ThemesZH     []string
	ThemesEN     []string
	ProjectZH    string
	ProjectEN    string
	Outcome      Outcome
	Note         string // the next year's report's note on it
}

// RequestResponse is an NGO's answer to one request addressed to it.
type RequestResponse struct {
	RequestID int64
	Number    int
	TextZH    string
	TextEN    string
	Status    ResponseStatus
	Reason    string // why it plans nothing, when Status is ResponseNothing
}

// RequestNGO is one NGO a request is addressed to (or whose items answer
// it), with its answer: the items answering the request are listed apart.
type RequestNGO struct {
	NGOID  int64
	NameZH string
	NameEN string
	Status ResponseStatus
	Reason string
	Items  []ResultsItem
}

// CompletionPercent is c's completion rate in whole percent, rounded to
// the nearest; ok is false when there are no items.
func CompletionPercent(c OutcomeCounts) (percent int, ok bool) {
	if c.Items() == 0 {
		return 0, false
	}
	return (c.Done*200 + c.Items()) / (2 * c.Items()), true
}
