package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"ngoportal/internal/portal"
	"ngoportal/web/report"
)

// reportOp is what a post of the report form asks for: the "op" button
// pressed. Rows are added and removed by posting the form back, so the page
// needs no JavaScript.
type reportOp struct {
	Kind  string // opSave, opSubmit, opAdd or opRemove
	Table string // report.ReportTable*, for add and remove
	Row   int    // the row to remove
}

// The report form's operations.
const (
	opSave   = "save"
	opSubmit = "submit"
	opAdd    = "add"
	opRemove = "remove"
)

// rowTables are the tables whose rows staff add and remove; the progress
// and answer rows were fixed when the report was started.
var rowTables = []string{report.ReportTableActivities, report.ReportTableMedia, report.ReportTablePlanItems}

func isRowTable(s string) bool {
	for _, t := range rowTables {
		if t == s {
			return true
		}
	}
	return false
}

// parseReportOp reads the op button: "save", "submit", "add:activities",
// "remove:activities.2". No op at all (a browser that sends no button on
// Enter) is a save.
func parseReportOp(s string) (reportOp, bool) {
	switch s {
	case "", opSave:
		return reportOp{Kind: opSave}, true
	case opSubmit:
		return reportOp{Kind: opSubmit}, true
	}
	if table, ok := strings.CutPrefix(s, opAdd+":"); ok && isRowTable(table) {
		return reportOp{Kind: opAdd, Table: table}, true
	}
	if rest, ok := strings.CutPrefix(s, opRemove+":"); ok {
		table, idx, ok := strings.Cut(rest, ".")
		n, err := strconv.Atoi(idx)
		if ok && isRowTable(table) && err == nil && n >= 0 && strconv.Itoa(n) == idx {
			return reportOp{Kind: opRemove, Table: table, Row: n}, true
		}
	}
	return reportOp{}, false
}

// cleanReportText cleans one typed text: valid UTF-8, no NUL, no
// surrounding space, LF line endings.
func cleanReportText(s string) string {
	return strings.ReplaceAll(portal.CleanText(s), "\r\n", "\n")
}

// parseReportForm reads the posted report form, every value as typed.
// stored is the report as saved: its progress and answer rows say how many
// of those the form has. A missing version or an unknown op is a request
// no page of ours sends: 400. The posted row counts are believed up to
// portal.MaxReportRows only.
func parseReportForm(r *http.Request, stored portal.Report) (report.ReportValues, reportOp, error) {
	if err := r.ParseForm(); err != nil {
		return report.ReportValues{}, reportOp{}, errBadRequest
	}
	p := r.PostForm
	version, err := strconv.Atoi(p.Get("version"))
	if err != nil || version <= 0 {
		return report.ReportValues{}, reportOp{}, errBadRequest
	}
	op, ok := parseReportOp(p.Get("op"))
	if !ok {
		return report.ReportValues{}, reportOp{}, errBadRequest
	}
	text := func(name string) string { return cleanReportText(p.Get(name)) }
	cell := func(table string, i int, field string) string { return text(portal.RowField(table, i, field)) }
	multi := func(table string, i int, field string) []string {
		var out []string
		for _, v := range p[portal.RowField(table, i, field)] {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
		return out
	}

	f := report.ReportValues{
		Version:             version,
		Narrative:           text("narrative"),
		Highlight:           text("highlight"),
		LegalRepresentative: text("legal_representative"),
		Declaration:         p.Get("declaration") == "on",
	}
	for i := range rowCount(p, report.ReportTableActivities) {
		t := report.ReportTableActivities
		f.Activities = append(f.Activities, report.ReportActivityInput{
			Title: cell(t, i, "title"), Kind: cell(t, i, "kind"), Mode: cell(t, i, "mode"),
			StartsOn: cell(t, i, "starts_on"), EndsOn: cell(t, i, "ends_on"),
			PeopleReached: cell(t, i, "people_reached"), WomenReached: cell(t, i, "women_reached"),
			Partners: cell(t, i, "partners"), Themes: multi(t, i, "themes"),
		})
	}
	for i := range rowCount(p, report.ReportTableMedia) {
		t := report.ReportTableMedia
		f.Media = append(f.Media, report.ReportMediaInput{
			Channel: cell(t, i, "channel"), Items: cell(t, i, "items"), Reads: cell(t, i, "reads"),
		})
	}
	for i := range rowCount(p, report.ReportTablePlanItems) {
		t := report.ReportTablePlanItems
		f.PlanItems = append(f.PlanItems, report.ReportPlanInput{
			Title: cell(t, i, "title"), Description: cell(t, i, "description"), Quarter: cell(t, i, "quarter"),
			KeyProject: cell(t, i, "key_project"), Themes: multi(t, i, "themes"), Requests: multi(t, i, "requests"),
		})
	}
	for i := range stored.Progress {
		t := report.ReportTableProgress
		f.Progress = append(f.Progress, report.ReportProgressInput{Status: cell(t, i, "status"), Note: cell(t, i, "note")})
	}
	for i := range stored.Answers {
		f.Answers = append(f.Answers, report.ReportAnswerInput{Answer: cell(report.ReportTableAnswers, i, "answer")})
	}
	return f, op, nil
}

// rowCount is the posted number of rows of table, at most
// portal.MaxReportRows; anything unreadable is none.
func rowCount(p url.Values, table string) int {
	n, err := strconv.Atoi(p.Get(table + ".count"))
	switch {
	case err != nil || n < 0:
		return 0
	case n > portal.MaxReportRows:
		return portal.MaxReportRows
	}
	return n
}

// firstRowField is the field a new row's first control edits, which gets
// the focus when the row is added.
var firstRowField = map[string]string{
	report.ReportTableActivities: "title",
	report.ReportTableMedia:      "channel",
	report.ReportTablePlanItems:  "title",
}

// rowsOf returns the number of rows of table in f.
func rowsOf(f report.ReportValues, table string) int {
	switch table {
	case report.ReportTableActivities:
		return len(f.Activities)
	case report.ReportTableMedia:
		return len(f.Media)
	case report.ReportTablePlanItems:
		return len(f.PlanItems)
	}
	return 0
}

// addRow appends an empty row to table.
func addRow(f *report.ReportValues, table string) {
	switch table {
	case report.ReportTableActivities:
		f.Activities = append(f.Activities, report.ReportActivityInput{})
	case report.ReportTableMedia:
		f.Media = append(f.Media, report.ReportMediaInput{})
	case report.ReportTablePlanItems:
		f.PlanItems = append(f.PlanItems, report.ReportPlanInput{Quarter: "0"})
	}
}

// removeRow drops row i of table; a row that is not there changes nothing.
func removeRow(f *report.ReportValues, table string, i int) {
	drop := func(n int, del func()) {
		if i < n {
			del()
		}
	}
	switch table {
	case report.ReportTableActivities:
		drop(len(f.Activities), func() { f.Activities = append(f.Activities[:i:i], f.Activities[i+1:]...) })
	case report.ReportTableMedia:
		drop(len(f.Media), func() { f.Media = append(f.Media[:i:i], f.Media[i+1:]...) })
	case report.ReportTablePlanItems:
		drop(len(f.PlanItems), func() { f.PlanItems = append(f.PlanItems[:i:i], f.PlanItems[i+1:]...) })
	}
}

// rowAfterBlanks returns the index row i of table will have once
// dropBlankRows has run, and whether the row is blank itself (then it
// will be gone).
func rowAfterBlanks(f report.ReportValues, table string, i int) (int, bool) {
	blanks := func(n int, blank func(int) bool) (int, bool) {
		if i >= n {
			return i, false
		}
		before := 0
		for j := range i {
			if blank(j) {
				before++
			}
		}
		return i - before, blank(i)
	}
	switch table {
	case report.ReportTableActivities:
		return blanks(len(f.Activities), func(j int) bool { return f.Activities[j].Blank() })
	case report.ReportTableMedia:
		return blanks(len(f.Media), func(j int) bool { return f.Media[j].Blank() })
	case report.ReportTablePlanItems:
		return blanks(len(f.PlanItems), func(j int) bool { return f.PlanItems[j].Blank() })
	}
	return i, false
}

// dropBlankRows removes rows nothing was entered in (a row added and left
// empty), so that saving does not complain about them.
func dropBlankRows(f *report.ReportValues) {
	var acts []report.ReportActivityInput
	for _, a := range f.Activities {
		if !a.Blank() {
			acts = append(acts, a)
		}
	}
	var media []report.ReportMediaInput
	for _, m := range f.Media {
		if !m.Blank() {
			media = append(media, m)
		}
	}
	var plan []report.ReportPlanInput
	for _, p := range f.PlanItems {
		if !p.Blank() {
			plan = append(plan, p)
		}
	}
	f.Activities, f.Media, f.PlanItems = acts, media, plan
}

// reportFromForm turns the typed form into the report to save, over the
// stored report (its id, and the progress and answer rows the form's rows
// answer, by position). It returns the report and what could not be read
// (numbers, dates and ids), keyed as portal.Report.Validate keys its
// findings, each left at its empty value in the report; the report's own
// rules are not checked here (Report.Storable, Report.Incomplete).
func reportFromForm(f report.ReportValues, stored portal.Report) (portal.Report, map[string]string) {
	errs := map[string]string{}
	in := portal.Report{ID: stored.ID, CycleID: stored.CycleID, NGOID: stored.NGOID, Declaration: f.Declaration,
		ReviewYear: stored.ReviewYear}
	in.Narrative, in.Highlight, in.LegalRepresentative = f.Narrative, f.Highlight, f.LegalRepresentative

	count := func(key, s string) int64 {
		n, msg := portal.ParseCount(s)
		if msg != "" {
			errs[key] = msg
		}
		return n
	}
	ids := func(key string, values []string, msg string) []int64 {
		var out []int64
		for _, v := range values {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || id <= 0 {
				errs[key] = msg
				continue
			}
			out = append(out, id)
		}
		return out
	}
	for i, a := range f.Activities {
		key := func(field string) string { return portal.RowField(report.ReportTableActivities, i, field) }
		x := portal.Activity{Title: a.Title, Kind: portal.ActivityKind(a.Kind), Mode: portal.ActivityMode(a.Mode),
			Partners: a.Partners, ThemeIDs: ids(key("themes"), a.Themes, "report.err.theme_invalid")}
		var msg string
		if x.StartsOn, msg = portal.ParseReportDate(a.StartsOn); msg != "" && a.StartsOn != "" {
			errs[key("starts_on")] = msg
		}
		if x.EndsOn, msg = portal.ParseReportDate(a.EndsOn); msg != "" && a.EndsOn != "" {
			errs[key("ends_on")] = msg
		}
		x.PeopleReached = int(count(key("people_reached"), a.PeopleReached))
		x.WomenReached = int(count(key("women_reached"), a.WomenReached))
		in.Activities = append(in.Activities, x)
	}
	for i, m := range f.Media {
		key := func(field string) string { return portal.RowField(report.ReportTableMedia, i, field) }
		in.Media = append(in.Media, portal.MediaWork{Channel: portal.MediaChannel(m.Channel),
			Items: int(count(key("items"), m.Items)), Reads: count(key("reads"), m.Reads)})
	}
	for i, p := range f.PlanItems {
		key := func(field string) string { return portal.RowField(report.ReportTablePlanItems, i, field) }
		x := portal.PlanItem{Title: p.Title, Description: p.Description,
			ThemeIDs:   ids(key("themes"), p.Themes, "report.err.theme_invalid"),
			RequestIDs: ids(key("requests"), p.Requests, "report.err.request_invalid")}
		if p.Quarter != "" {
			q, err := strconv.Atoi(p.Quarter)
			if err != nil {
				errs[key("quarter")] = "report.err.quarter_invalid"
			}
			x.Quarter = q
		}
		if p.KeyProject != "" {
			id, err := strconv.ParseInt(p.KeyProject, 10, 64)
			if err != nil || id < 0 {
				errs[key("key_project")] = "report.err.project_invalid"
			}
			x.KeyProjectID = max(id, 0)
		}
		in.PlanItems = append(in.PlanItems, x)
	}
	for i, p := range f.Progress {
		s := stored.Progress[i]
		s.Status, s.Note = portal.ProgressStatus(p.Status), p.Note
		in.Progress = append(in.Progress, s)
	}
	for i, a := range f.Answers {
		s := stored.Answers[i]
		s.Answer = a.Answer
		in.Answers = append(in.Answers, s)
	}
	return in, errs
}

// reportFormFrom fills the form from a saved report.
func reportFormFrom(r portal.Report) report.ReportValues {
	idStrings := func(ids []int64) []string {
		var out []string
		for _, id := range ids {
			out = append(out, strconv.FormatInt(id, 10))
		}
		return out
	}
	f := report.ReportValues{Version: r.Version, Narrative: r.Narrative, Highlight: r.Highlight,
		LegalRepresentative: r.LegalRepresentative, Declaration: r.Declaration}
	for _, a := range r.Activities {
		f.Activities = append(f.Activities, report.ReportActivityInput{
			Title: a.Title, Kind: string(a.Kind), Mode: string(a.Mode),
			StartsOn: formDateString(a.StartsOn), EndsOn: formDateString(a.EndsOn),
			PeopleReached: strconv.Itoa(a.PeopleReached), WomenReached: strconv.Itoa(a.WomenReached),
			Partners: a.Partners, Themes: idStrings(a.ThemeIDs),
		})
	}
	for _, m := range r.Media {
		f.Media = append(f.Media, report.ReportMediaInput{Channel: string(m.Channel),
			Items: strconv.Itoa(m.Items), Reads: strconv.FormatInt(m.Reads, 10)})
	}
	for _, p := range r.PlanItems {
		x := report.ReportPlanInput{Title: p.Title, Description: p.Description, Quarter: strconv.Itoa(p.Quarter),
			Themes: idStrings(p.ThemeIDs), Requests: idStrings(p.RequestIDs)}
		if p.KeyProjectID != 0 {
			x.KeyProject = strconv.FormatInt(p.KeyProjectID, 10)
		}
		f.PlanItems = append(f.PlanItems, x)
	}
	for _, p := range r.Progress {
		f.Progress = append(f.Progress, report.ReportProgressInput{Status: string(p.Status), Note: p.Note})
	}
	for _, a := range r.Answers {
		f.Answers = append(f.Answers, report.ReportAnswerInput{Answer: a.Answer})
	}
	return f
}
