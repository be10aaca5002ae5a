// Package report holds the pages of the NGOs' yearly work reports: the
// staff's report form and list, attachments, the federation's review board
// and review pages, a cycle's indicators, and the reporting cycles the
// reports belong to.
package report

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// ReportValues is the staff's report form as typed: every value is kept as
// sent, so that the form comes back with it when something is wrong. It
// lives with the views because the page echoes it; the server parses it
// into a portal.Report.
type ReportValues struct {
	Version             int
	Narrative           string
	Highlight           string
	LegalRepresentative string
	Declaration         bool
	Activities          []ReportActivityInput
	Media               []ReportMediaInput
	PlanItems           []ReportPlanInput
	// Progress and Answers follow the stored report's rows one for one:
	// which items are listed was fixed when the report was started.
	Progress []ReportProgressInput
	Answers  []ReportAnswerInput
}

// ReportActivityInput is one activity row as typed.
type ReportActivityInput struct {
	Title, Kind, Mode, StartsOn, EndsOn, PeopleReached, WomenReached, Partners string
	Themes                                                                     []string // theme ids
}

// Blank reports whether nothing was entered in the row.
func (a ReportActivityInput) Blank() bool {
	return blankTexts(a.Title, a.Kind, a.Mode, a.StartsOn, a.EndsOn, a.PeopleReached, a.WomenReached, a.Partners) &&
		len(a.Themes) == 0
}

// ReportMediaInput is one new-media row as typed.
type ReportMediaInput struct {
	Channel, Items, Reads string
}

// Blank reports whether nothing was entered in the row.
func (m ReportMediaInput) Blank() bool { return blankTexts(m.Channel, m.Items, m.Reads) }

// ReportPlanInput is one plan item as typed.
type ReportPlanInput struct {
	Title, Description, Quarter, KeyProject string
	Themes                                  []string // theme ids
	Requests                                []string // request ids
}

// Blank reports whether nothing was entered in the row (the quarter's
// default, the whole year, counts as nothing).
func (p ReportPlanInput) Blank() bool {
	return blankTexts(p.Title, p.Description, p.KeyProject) && (p.Quarter == "" || p.Quarter == "0") &&
		len(p.Themes) == 0 && len(p.Requests) == 0
}

// ReportProgressInput is the answer to one of last year's plan items.
type ReportProgressInput struct {
	Status, Note string
}

// ReportAnswerInput is the answer to one of the last session's requests.
type ReportAnswerInput struct {
	Answer string
}

func blankTexts(values ...string) bool {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// The report form's tables, as their fields are named (activities.0.title).
const (
	ReportTableActivities = "activities"
	ReportTableMedia      = "media"
	ReportTablePlanItems  = "plan_items"
	ReportTableProgress   = "progress"
	ReportTableAnswers    = "answers"
)

// ReportFieldID is the id of the control named name: "f-" and the name with
// dots as hyphens (activities.0.title → f-activities-0-title).
func ReportFieldID(name string) string { return "f-" + strings.ReplaceAll(name, ".", "-") }

// ReportField is one control of the report form. Unlike Field its label is
// already translated, since a row's label carries the row's number.
type ReportField struct {
	Name      string
	Label     string // translated
	Hint      string // translated, optional
	Value     string
	Error     string // message key
	ErrorText string // the error, translated
	NoteText  string // what the saved row still lacks, translated; "" when Error is set
	Type      string // input type; "text" when empty
	InputMode string
	Min, Max  string
	Autofocus bool
}

// ID is the control's id.
func (f ReportField) ID() string { return ReportFieldID(f.Name) }

// withHint returns f with hint h.
func (f ReportField) withHint(h string) ReportField {
	f.Hint = h
	return f
}

func (f ReportField) inputType() string {
	if f.Type == "" {
		return "text"
	}
	return f.Type
}

func (f ReportField) describedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID()+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID()+"-error")
	}
	if f.NoteText != "" {
		ids = append(ids, f.ID()+"-note")
	}
	return strings.Join(ids, " ")
}

// ReportChoice is one checkbox or radio button of a group; Label is
// translated.
type ReportChoice struct {
	Value   string
	Label   string
	Checked bool
}

// ReportError is one entry of the report form's error summary, translated.
type ReportError struct {
	ID      string
	Label   string
	Message string
}

// ReportMissingLink is one thing a submission lacks, with where to fix it.
type ReportMissingLink struct {
	Href string
	Text string
}

// ReportMissingGroup is what one section lacks.
type ReportMissingGroup struct {
	Section string
	Items   []ReportMissingLink
}

// StaffReportView is an NGO's report as its staff see it: the form while
// it may change, else the report read-only with its attachments and
// history.
type StaffReportView struct {
	ui.Page
	Report   portal.Report // as stored
	Editable bool
	ReadOnly string // message key saying why the report cannot change; "" when editable
	Problem  string // message key of a refused action, shown at the top
	Conflict bool   // someone else saved first; the form holds this user's input
	Form     ReportValues
	Errors   map[string]string // what could not be saved or submitted, by field
	// Notes are what the saved rows still lack before the report can be
	// submitted (portal.Report.Incomplete), by field; the draft keeps them.
	Notes map[string]string
	// SavedExcept: the draft was saved, except the values Errors marks,
	// which the form shows as typed.
	SavedExcept bool
	Missing     []portal.MissingItem // what a refused submission lacks
	Focus       string               // name of the control to focus: the first of a row just added
	Themes      []portal.Theme       // every theme; retired ones are offered only where ticked
	Projects    []portal.KeyProject  // every key project; retired ones only where chosen
	Requests    []portal.Request     // the requests of the cycle's session addressed to the NGO
	Labels      portal.ReportLabels
	// Attachments are the report's files; History its status history.
	Attachments []portal.Attachment
	History     []portal.ReportEvent
	// Return is the latest return when the report is returned; Changed the
	// sections changed since the latest submission.
	Return          *portal.ReportEvent
	Changed         []string
	Action          string
	ListPath        string
	ReloadPath      string
	AttachmentsPath string
	DownloadBase    string
	ExportPath      string // the report as a workbook
	VersionsPath    string // the report's submitted versions
}

// PlanYear is the plan year of the report's cycle.
func (v StaffReportView) PlanYear() int { return v.Report.ReviewYear + 1 }

// SectionComment is the reviewer's comment on section s in the latest
// return, "" when none.
func (v StaffReportView) SectionComment(s string) string {
	if v.Return == nil {
		return ""
	}
	return v.Return.SectionComments[s]
}

// ReturnComments are the latest return's comments per section, in page
// order.
func (v StaffReportView) ReturnComments() []SectionComment {
	if v.Return == nil {
		return nil
	}
	return SectionComments(v.Return.SectionComments)
}

// rowLabel names row i of table: "Activity 2" (an answer row is named by
// its request's number).
func (v StaffReportView) rowLabel(table string, i int) string {
	switch table {
	case ReportTableActivities:
		return v.T.T("reportform.row.activities", "N", i+1)
	case ReportTableMedia:
		return v.T.T("reportform.row.media", "N", i+1)
	case ReportTablePlanItems:
		return v.T.T("reportform.row.plan_items", "N", i+1)
	case ReportTableProgress:
		return v.T.T("reportform.row.progress", "N", i+1)
	case ReportTableAnswers:
		return v.T.T("reportform.row.answers", "N", v.answerRequest(i).Number)
	}
	return strconv.Itoa(i + 1)
}

// removeLabel is the text of the button that removes row i of table.
func (v StaffReportView) removeLabel(table string, i int) string {
	switch table {
	case ReportTableActivities:
		return v.T.T("reportform.remove.activities", "N", i+1)
	case ReportTableMedia:
		return v.T.T("reportform.remove.media", "N", i+1)
	}
	return v.T.T("reportform.remove.plan_items", "N", i+1)
}

// field builds the control for key (a top-level name or a row field).
func (v StaffReportView) field(name, labelKey, value string) ReportField {
	f := ReportField{Name: name, Label: v.T.T(labelKey), Value: value, Autofocus: v.Focus == name}
	if e := v.Errors[name]; e != "" {
		f.Error, f.ErrorText = e, v.T.T(e)
	} else if n := v.Notes[name]; n != "" {
		f.NoteText = v.T.T(n)
	}
	return f
}

// rowField builds the control of field f of row i of table.
func (v StaffReportView) rowField(table string, i int, f, value string) ReportField {
	return v.field(portal.RowField(table, i, f), "report.field."+f, value)
}

// maxHint is the hint giving a text's limit.
func (v StaffReportView) maxHint(max int) string {
	return v.T.T("reportform.hint.max_chars", "Max", ui.GroupDigits(int64(max)))
}

// yearBounds are the first and last day of the year under review, for the
// date inputs' min and max.
func (v StaffReportView) yearBounds() (string, string) {
	y := strconv.Itoa(v.Report.ReviewYear)
	return y + "-01-01", y + "-12-31"
}

// dateField is a date control of an activity row.
func (v StaffReportView) dateField(i int, f, value string) ReportField {
	x := v.rowField(ReportTableActivities, i, f, value)
	x.Type = "date"
	x.Min, x.Max = v.yearBounds()
	x.Hint = v.T.T("reportform.hint.date", "Year", v.Report.ReviewYear)
	return x
}

// countField is a whole-number control of a row.
func (v StaffReportView) countField(table string, i int, f, value string) ReportField {
	x := v.rowField(table, i, f, value)
	x.InputMode = "numeric"
	return x
}

// options builds a select's choices from values with a leading "choose"
// placeholder, labels from prefix+value.
func (v StaffReportView) options(selected, placeholderKey, prefix string, values []string) []ui.Option {
	opts := []ui.Option{{Value: "", Label: v.T.T(placeholderKey), Selected: selected == ""}}
	for _, x := range values {
		opts = append(opts, ui.Option{Value: x, Label: v.T.T(prefix + x), Selected: selected == x})
	}
	return opts
}

// KindOptions are an activity's kind choices.
func (v StaffReportView) KindOptions(selected string) []ui.Option {
	var values []string
	for _, k := range portal.ActivityKinds {
		values = append(values, string(k))
	}
	return v.options(selected, "reportform.choose", "report.kind.", values)
}

// ModeOptions are an activity's mode choices.
func (v StaffReportView) ModeOptions(selected string) []ui.Option {
	var values []string
	for _, m := range portal.ActivityModes {
		values = append(values, string(m))
	}
	return v.options(selected, "reportform.choose", "report.mode.", values)
}

// ChannelOptions are a media row's channel choices.
func (v StaffReportView) ChannelOptions(selected string) []ui.Option {
	var values []string
	for _, c := range portal.MediaChannels {
		values = append(values, string(c))
	}
	return v.options(selected, "reportform.choose", "report.channel.", values)
}

// QuarterOptions are a plan item's quarter choices, the whole year first.
func (v StaffReportView) QuarterOptions(selected string) []ui.Option {
	if selected == "" {
		selected = "0"
	}
	var opts []ui.Option
	for q := 0; q <= 4; q++ {
		x := strconv.Itoa(q)
		opts = append(opts, ui.Option{Value: x, Label: v.T.T("report.quarter." + x), Selected: selected == x})
	}
	return opts
}

// ProjectOptions are a plan item's key project choices: none, then every
// active project and the chosen one even if retired.
func (v StaffReportView) ProjectOptions(selected string) []ui.Option {
	opts := []ui.Option{{Value: "", Label: v.T.T("reportform.project_none"), Selected: selected == "" || selected == "0"}}
	for _, p := range v.Projects {
		id := strconv.FormatInt(p.ID, 10)
		if p.Active || id == selected {
			opts = append(opts, ui.Option{Value: id, Label: v.termLabel(p), Selected: id == selected})
		}
	}
	return opts
}

// ThemeChoices are a row's theme checkboxes: every active theme, and a
// retired one only when ticked.
func (v StaffReportView) ThemeChoices(ticked []string) []ReportChoice {
	var out []ReportChoice
	for _, t := range v.Themes {
		id := strconv.FormatInt(t.ID, 10)
		on := slices.Contains(ticked, id)
		if t.Active || on {
			out = append(out, ReportChoice{Value: id, Label: v.termLabel(t), Checked: on})
		}
	}
	return out
}

func (v StaffReportView) termLabel(t portal.Term) string {
	name := v.T.Pick(t.NameZH, t.NameEN)
	if !t.Active {
		name += " " + v.T.T("reportform.retired")
	}
	return name
}

// RequestChoices are a plan item's request checkboxes.
func (v StaffReportView) RequestChoices(ticked []string) []ReportChoice {
	var out []ReportChoice
	for _, q := range v.Requests {
		id := strconv.FormatInt(q.ID, 10)
		out = append(out, ReportChoice{Value: id, Checked: slices.Contains(ticked, id),
			Label: v.T.T("reportform.request_label", "Number", q.Number, "Text", v.T.Pick(q.TextZH, q.TextEN))})
	}
	return out
}

// ProgressChoices are a progress row's answers.
func (v StaffReportView) ProgressChoices(status string) []ReportChoice {
	var out []ReportChoice
	for _, s := range portal.ProgressStatuses {
		out = append(out, ReportChoice{Value: string(s), Label: v.T.T("report.progress." + string(s)), Checked: status == string(s)})
	}
	return out
}

// progressTitle is the title of progress row i (last year's plan item).
func (v StaffReportView) progressTitle(i int) string {
	if i < len(v.Report.Progress) {
		return v.Report.Progress[i].Title
	}
	return ""
}

// answerRequest is the request answer row i answers.
func (v StaffReportView) answerRequest(i int) portal.RequestAnswer {
	if i < len(v.Report.Answers) {
		return v.Report.Answers[i]
	}
	return portal.RequestAnswer{}
}

// reportRowFields lists each table's fields in the form's order.
var reportRowFields = map[string][]string{
	ReportTableActivities: {"title", "kind", "mode", "starts_on", "ends_on", "people_reached", "women_reached", "partners", "themes"},
	ReportTableMedia:      {"channel", "items", "reads"},
	ReportTablePlanItems:  {"title", "description", "quarter", "key_project", "themes", "requests"},
	ReportTableProgress:   {"status", "note"},
	ReportTableAnswers:    {"answer"},
}

// ErrorList is the form's error summary, in the order of the page: each
// entry links to its control and names the row it belongs to.
func (v StaffReportView) ErrorList() []ReportError { return v.problemList(v.Errors) }

// NoteList lists the notes on incomplete rows as ErrorList lists errors,
// leaving out fields that have an error.
func (v StaffReportView) NoteList() []ReportError {
	notes := map[string]string{}
	for k, n := range v.Notes {
		if v.Errors[k] == "" {
			notes[k] = n
		}
	}
	return v.problemList(notes)
}

func (v StaffReportView) problemList(problems map[string]string) []ReportError {
	var out []ReportError
	seen := map[string]bool{}
	add := func(key, label string) {
		if e := problems[key]; e != "" && !seen[key] {
			seen[key] = true
			out = append(out, ReportError{ID: ReportFieldID(key), Label: label, Message: v.T.T(e)})
		}
	}
	add("narrative", v.T.T("report.field.narrative"))
	add("highlight", v.T.T("report.field.highlight"))
	rows := map[string]int{
		ReportTableActivities: len(v.Form.Activities), ReportTableMedia: len(v.Form.Media),
		ReportTablePlanItems: len(v.Form.PlanItems), ReportTableProgress: len(v.Form.Progress),
		ReportTableAnswers: len(v.Form.Answers),
	}
	for _, table := range []string{ReportTableActivities, ReportTableMedia, ReportTablePlanItems, ReportTableProgress, ReportTableAnswers} {
		if e := problems[table]; e != "" {
			seen[table] = true
			out = append(out, ReportError{ID: "section-" + ReportTableSection(table), Label: v.T.T("report.section." + ReportTableSection(table)), Message: v.T.T(e)})
		}
		for i := 0; i < rows[table]; i++ {
			for _, f := range reportRowFields[table] {
				add(portal.RowField(table, i, f), v.rowLabel(table, i)+v.T.T("reportform.label_sep")+v.T.T("report.field."+f))
			}
		}
	}
	add("legal_representative", v.T.T("report.field.legal_representative"))
	add("declaration", v.T.T("report.field.declaration"))
	// Anything else (no page of ours sends it) still gets a line.
	var rest []string
	for k := range problems {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		out = append(out, ReportError{ID: ReportFieldID(k), Label: k, Message: v.T.T(problems[k])})
	}
	return out
}

// ReportTableSection is the section a table belongs to.
func ReportTableSection(table string) string {
	if table == ReportTablePlanItems {
		return portal.SectionPlan
	}
	return table
}

// MissingGroups lists what a refused submission lacks, section by section
// in page order, each item linking to its field, row or section (the cover
// page to the attachments page).
func (v StaffReportView) MissingGroups() []ReportMissingGroup {
	var out []ReportMissingGroup
	for _, s := range portal.ReportSections {
		var g ReportMissingGroup
		for _, m := range v.Missing {
			if m.Section != s {
				continue
			}
			g.Section = s
			g.Items = append(g.Items, v.missingLink(m))
		}
		if len(g.Items) > 0 {
			out = append(out, g)
		}
	}
	return out
}

func (v StaffReportView) missingLink(m portal.MissingItem) ReportMissingLink {
	text := v.T.T(m.Key)
	switch m.Field {
	case "cover":
		return ReportMissingLink{Href: v.AttachmentsPath, Text: text}
	case ReportTableActivities, ReportTablePlanItems:
		return ReportMissingLink{Href: "#section-" + m.Section, Text: text}
	}
	parts := strings.Split(m.Field, ".")
	if len(parts) == 3 {
		if i, err := strconv.Atoi(parts[1]); err == nil {
			label := v.rowLabel(parts[0], i)
			if t := v.progressTitle(i); parts[0] == ReportTableProgress && t != "" {
				label = v.T.T("reportform.row.progress_titled", "N", i+1, "Title", t)
			}
			text = label + v.T.T("reportform.label_sep") + text
		}
	}
	return ReportMissingLink{Href: "#" + ReportFieldID(m.Field), Text: text}
}

// ReportSectionStatus is one entry of the report form's section index:
// a section and how many things it lacks before the report can be
// submitted.
type ReportSectionStatus struct {
	Section string
	Missing int
}

// SectionIndex lists the form's sections in page order, each with what it
// lacks as portal.Report.Missing finds it in the saved draft (the cover
// page counts in the attestation until one is attached).
func (v StaffReportView) SectionIndex() []ReportSectionStatus {
	missing := map[string]int{}
	for _, m := range v.Report.Missing(v.hasCover()) {
		missing[m.Section]++
	}
	out := make([]ReportSectionStatus, 0, len(portal.ReportSections))
	for _, s := range portal.ReportSections {
		out = append(out, ReportSectionStatus{Section: s, Missing: missing[s]})
	}
	return out
}

// hasCover reports whether the signed and sealed cover page is attached.
func (v StaffReportView) hasCover() bool {
	for _, a := range v.Attachments {
		if a.Kind == portal.AttachmentCover {
			return true
		}
	}
	return false
}

// sectionStatus says in words whether section s is complete or how many
// things it lacks: the index never relies on colour alone.
func (v StaffReportView) sectionStatus(s ReportSectionStatus) string {
	switch s.Missing {
	case 0:
		return v.T.T("reportform.index.complete")
	case 1:
		return v.T.T("reportform.index.missing_one")
	}
	return v.T.T("reportform.index.missing_many", "N", s.Missing)
}

// sectionBadge is the badge class of a section's status.
func sectionBadge(s ReportSectionStatus) string {
	if s.Missing == 0 {
		return "badge ok"
	}
	return "badge warn"
}

// staffReportBadge is the badge class of a report status; the badge always
// carries the status's name too, so colour is never the only sign.
func staffReportBadge(s portal.ReportStatus) string {
	switch s {
	case portal.ReportAccepted:
		return "badge ok"
	case portal.ReportReturned, portal.ReportDraft:
		return "badge warn"
	}
	return "badge off"
}

// ReportRemoveView asks staff to confirm removing one row of their report,
// naming the row and showing what it holds. The rest of the form was saved
// before this page was shown.
type ReportRemoveView struct {
	ui.Page
	Report     portal.Report // as stored
	Labels     portal.ReportLabels
	Table      string // ReportTableActivities, ReportTableMedia or ReportTablePlanItems
	Row        int
	Problem    string // message key: why the row was not removed, shown at the top
	Action     string
	CancelPath string
}

// ReportFact is one labelled value of a row, both translated.
type ReportFact struct {
	Label, Value string
}

// RowLabel names the row: "Activity 2".
func (v ReportRemoveView) RowLabel() string {
	return StaffReportView{Page: v.Page}.rowLabel(v.Table, v.Row)
}

// RowRef is the row as the remove form posts it: "activities.1".
func (v ReportRemoveView) RowRef() string { return v.Table + "." + strconv.Itoa(v.Row) }

// Facts are what the row holds, the fields left empty skipped: what
// removing it deletes.
func (v ReportRemoveView) Facts() []ReportFact {
	var out []ReportFact
	add := func(field, value string) {
		if strings.TrimSpace(value) != "" {
			out = append(out, ReportFact{Label: v.T.T("report.field." + field), Value: value})
		}
	}
	label := func(prefix, value string) string {
		if value == "" {
			return ""
		}
		return v.T.T(prefix + value)
	}
	date := func(d time.Time) string {
		if d.IsZero() {
			return ""
		}
		return v.T.Date(d)
	}
	count := func(n int64) string {
		if n == 0 {
			return ""
		}
		return ui.GroupDigits(n)
	}
	pick := v.T.Pick
	switch v.Table {
	case ReportTableActivities:
		if v.Row < len(v.Report.Activities) {
			a := v.Report.Activities[v.Row]
			add("title", a.Title)
			add("kind", label("report.kind.", string(a.Kind)))
			add("mode", label("report.mode.", string(a.Mode)))
			add("starts_on", date(a.StartsOn))
			add("ends_on", date(a.EndsOn))
			add("people_reached", count(int64(a.PeopleReached)))
			add("women_reached", count(int64(a.WomenReached)))
			add("partners", a.Partners)
			add("themes", strings.Join(v.Labels.ThemeNames(a.ThemeIDs, pick), v.T.T("reportform.list_sep")))
		}
	case ReportTableMedia:
		if v.Row < len(v.Report.Media) {
			m := v.Report.Media[v.Row]
			add("channel", label("report.channel.", string(m.Channel)))
			add("items", count(int64(m.Items)))
			add("reads", count(m.Reads))
		}
	case ReportTablePlanItems:
		if v.Row < len(v.Report.PlanItems) {
			p := v.Report.PlanItems[v.Row]
			add("title", p.Title)
			add("description", p.Description)
			add("quarter", v.T.T("report.quarter."+strconv.Itoa(p.Quarter)))
			add("key_project", v.Labels.ProjectName(p.KeyProjectID, pick))
			add("themes", strings.Join(v.Labels.ThemeNames(p.ThemeIDs, pick), v.T.T("reportform.list_sep")))
			var reqs []string
			for _, id := range p.RequestIDs {
				if q, ok := v.Labels.Requests[id]; ok {
					reqs = append(reqs, v.T.T("reportform.request_label", "Number", q.Number, "Text", pick(q.TextZH, q.TextEN)))
				}
			}
			add("requests", strings.Join(reqs, v.T.T("reportform.list_sep")))
		}
	}
	return out
}
