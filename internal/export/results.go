package export

import (
	"strconv"
	"strings"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
)

// ResultsFileName is the name of a session's results file, such as
// results-municipal-2021-ngos.csv (a session's slug is ASCII).
func ResultsFileName(sessionSlug, part string) string {
	return "results-" + sessionSlug + "-" + part + ".csv"
}

// resultsReportStatus names a report status in the reader's language; ""
// is no report.
func resultsReportStatus(t i18n.Translator, s portal.ReportStatus) string {
	if s == "" {
		return t.T("results.report.none")
	}
	return t.T("results.report." + string(s))
}

// ResultsNGOsTable is every NGO of a session's results: its plan items,
// their outcomes and its completion rate in whole percent (empty when it
// has no items).
func ResultsNGOsTable(t i18n.Translator, rows []portal.NGOResult) Table {
	tb := Table{Sheet: "ngos", Columns: []Column{
		{Header: t.T("results.csv.ngo_zh")}, {Header: t.T("results.csv.ngo_en")}, {Header: t.T("results.csv.report")},
		{Header: t.T("results.csv.items")}, {Header: t.T("results.col.done")}, {Header: t.T("results.col.partly")},
		{Header: t.T("results.col.not_done")}, {Header: t.T("results.col.not_reported")}, {Header: t.T("results.csv.rate")},
	}}
	for _, n := range rows {
		var rate any
		if pc, ok := portal.CompletionPercent(n.Outcomes); ok {
			rate = pc
		}
		o := n.Outcomes
		tb.Rows = append(tb.Rows, []any{n.NameZH, n.NameEN, resultsReportStatus(t, n.ReportStatus),
			o.Items(), o.Done, o.Partly, o.NotDone, o.NotReported, rate})
	}
	return tb
}

// ResultsItemsTable is every plan item of a session's results with its
// requests, themes, key project, outcome and note.
func ResultsItemsTable(t i18n.Translator, rows []portal.ResultsItem) Table {
	tb := Table{Sheet: "items", Columns: []Column{
		{Header: t.T("results.csv.ngo_zh")}, {Header: t.T("results.csv.ngo_en")}, {Header: t.T("results.csv.source")},
		{Header: t.T("results.csv.report")}, {Header: t.T("results.csv.position")}, {Header: t.T("results.csv.title")},
		{Header: t.T("results.csv.requests")}, {Header: t.T("results.csv.themes_zh")}, {Header: t.T("results.csv.themes_en")},
		{Header: t.T("results.csv.project_zh")}, {Header: t.T("results.csv.project_en")}, {Header: t.T("results.csv.counted")},
		{Header: t.T("results.csv.outcome")}, {Header: t.T("results.csv.note")},
	}}
	for _, it := range rows {
		numbers := make([]string, len(it.Requests))
		for i, n := range it.Requests {
			numbers[i] = strconv.Itoa(n)
		}
		status, counted := "", t.T("results.csv.no")
		if it.Source == portal.ItemFromReport {
			status = resultsReportStatus(t, it.ReportStatus)
		}
		if it.Counted {
			counted = t.T("results.csv.yes")
		}
		tb.Rows = append(tb.Rows, []any{it.NGONameZH, it.NGONameEN, t.T("results.source." + string(it.Source)), status,
			it.Position, it.Title, strings.Join(numbers, " "), strings.Join(it.ThemesZH, "; "), strings.Join(it.ThemesEN, "; "),
			it.ProjectZH, it.ProjectEN, counted, t.T("results.outcome." + string(it.Outcome)), it.Note})
	}
	return tb
}
