package session

import (
	"strconv"

	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// RequestResultLink is a link from the session's page to the results of
// one of its requests.
type RequestResultLink struct {
	Number int
	Path   string
}

// ResultsRequestRow is one request on the results page, with the link to
// its detail.
type ResultsRequestRow struct {
	portal.RequestResult
	Link string
}

// ResultsNGORow is one NGO on the results page, with the link to its
// detail.
type ResultsNGORow struct {
	portal.NGOResult
	Link string
}

// ResultsIndexView is the admin's page of a session's requests to
// results: per request, the plan year's totals by theme and key project,
// and the NGOs one page at a time.
type ResultsIndexView struct {
	ui.Page
	Session     portal.Session
	SessionPath string
	Requests    []ResultsRequestRow
	Totals      portal.ResultsTotals
	NGOs        []ResultsNGORow
	Pager       ui.Pager
	Sort        portal.ResultsSort
	SortByName  string // the page sorted by name
	SortByRate  string // the page sorted by completion rate
	NGOsCSV     string
	ItemsCSV    string
}

// ResultsRequestLink is a request a plan item answers, with the link to
// its results.
type ResultsRequestLink struct {
	Number int
	Path   string
}

// ResultsItemRow is one plan item with the links to the requests it
// answers.
type ResultsItemRow struct {
	portal.ResultsItem
	RequestLinks []ResultsRequestLink
}

// ResultsRequestNGO is one NGO on a request's results page: its answer and
// the items answering the request, with the link to its detail.
type ResultsRequestNGO struct {
	portal.RequestNGO
	Link  string
	Items []ResultsItemRow
}

// ResultsRequestView is the results of one request: its text and figures,
// then the NGOs it is addressed to, one page at a time, grouped by answer.
type ResultsRequestView struct {
	ui.Page
	Session     portal.Session
	ResultsPath string
	Request     portal.RequestResult
	Planned     []ResultsRequestNGO
	Nothing     []ResultsRequestNGO
	None        []ResultsRequestNGO
	Pager       ui.Pager
}

// ResultsResponseRow is the NGO's answer to one request, with the link to
// the request's results.
type ResultsResponseRow struct {
	portal.RequestResponse
	Link string
}

// ResultsNGOView is one NGO's plan items for the year, their outcomes and
// its answers to the session's requests.
type ResultsNGOView struct {
	ui.Page
	Session     portal.Session
	ResultsPath string
	RecordPath  string // the NGO's page in the registry
	NGO         portal.NGOResult
	Items       []ResultsItemRow
	Responses   []ResultsResponseRow
}

// ResultsRate is "done / items (percent%)", or that there are no items.
func ResultsRate(p ui.Page, c portal.OutcomeCounts) string {
	pc, ok := portal.CompletionPercent(c)
	if !ok {
		return p.T.T("results.rate_none")
	}
	return p.T.T("results.rate", "Done", c.Done, "Items", c.Items(), "Percent", pc)
}

// ResultsOutcomes is the four outcome counts in a sentence.
func ResultsOutcomes(p ui.Page, c portal.OutcomeCounts) string {
	return p.T.T("results.outcomes", "Done", c.Done, "Partly", c.Partly, "NotDone", c.NotDone, "NotReported", c.NotReported)
}

// resultsReportStatus names the status of an NGO's report; "" is none.
func resultsReportStatus(p ui.Page, s portal.ReportStatus) string {
	switch s {
	case portal.ReportDraft:
		return p.T.T("results.report.draft")
	case portal.ReportSubmitted:
		return p.T.T("results.report.submitted")
	case portal.ReportReturned:
		return p.T.T("results.report.returned")
	case portal.ReportAccepted:
		return p.T.T("results.report.accepted")
	}
	return p.T.T("results.report.none")
}

// resultsOutcome names an outcome.
func resultsOutcome(p ui.Page, o portal.Outcome) string {
	switch o {
	case portal.OutcomeDone:
		return p.T.T("results.outcome.done")
	case portal.OutcomePartly:
		return p.T.T("results.outcome.partly")
	case portal.OutcomeNotDone:
		return p.T.T("results.outcome.not_done")
	}
	return p.T.T("results.outcome.not_reported")
}

// resultsResponse names an NGO's answer to a request.
func resultsResponse(p ui.Page, s portal.ResponseStatus) string {
	switch s {
	case portal.ResponsePlanned:
		return p.T.T("results.response.planned")
	case portal.ResponseNothing:
		return p.T.T("results.response.nothing")
	}
	return p.T.T("results.response.none")
}

// resultsSource names where a plan item was written.
func resultsSource(p ui.Page, s portal.PlanItemSource) string {
	if s == portal.ItemFromAddendum {
		return p.T.T("results.source.addendum")
	}
	return p.T.T("results.source.report")
}

// resultsCount formats a count.
func resultsCount(n int) string { return strconv.Itoa(n) }
