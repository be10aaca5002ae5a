package report

import (
	"time"

	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// ReviewBoardRow is one NGO on a cycle's review board.
type ReviewBoardRow struct {
	portal.ReportBoardRow
	ReportPath string // the report's review page; "" when not started
}

// ReviewStatusCount is how many NGOs of a board are in one status, with
// the link that filters the board to them.
type ReviewStatusCount struct {
	Status portal.ReportStatus
	Count  int
	Path   string
}

// ReviewSortHeader is one sortable column of the board: the link that
// sorts by it (toggling the direction when it is already the sort) and,
// when it is the sort, the aria-sort value ("ascending" or "descending").
type ReviewSortHeader struct {
	Path     string
	AriaSort string
}

// ReviewBoardView is a cycle's review board: counts per status, filters,
// and one row per NGO, sorted.
type ReviewBoardView struct {
	ui.Page
	Cycle         portal.Cycle
	Rows          []ReviewBoardRow // filtered and sorted
	Total         int              // NGOs on the board before filtering
	Counts        []ReviewStatusCount
	OverdueCount  int
	OverduePath   string
	Status        ui.Field
	StatusOptions []ui.Option
	Overdue       ui.Field // the "overdue only" checkbox; Value "on" when ticked
	Filtered      bool     // a filter is applied
	Name          ReviewSortHeader
	StatusHeader  ReviewSortHeader
	Deadline      ReviewSortHeader
	Submitted     ReviewSortHeader
	// The sort as the filter form offers it (on every screen: a phone
	// hides the sortable column headings), and the table's caption, which
	// says how the rows are sorted.
	SortField      ui.Field
	SortOptions    []ui.Option
	DirField       ui.Field
	DirOptions     []ui.Option
	SortCaption    string
	ListPath       string // the board without filters or sort
	CyclePath      string
	IndicatorsPath string
}

// TextChange is one free text of a report before and after.
type TextChange struct {
	Label  string // message key of the field
	Before string
	After  string
}

// SectionChange is what changed in one section between two versions of a
// report: the texts that differ, or the rows only the earlier version has
// (Removed) and those only the later one has (Added). A changed row shows
// in both. Reordered says the rows are the same, in a different order.
type SectionChange struct {
	Section   string
	Texts     []TextChange
	Removed   portal.ReportContent
	Added     portal.ReportContent
	Reordered bool
}

// ReportChanges lists, in page order, what changed in each section from
// prev to cur (portal.ChangedSections decides which sections). Rows are
// compared as the audit log records them (every field of the row).
func ReportChanges(prev, cur portal.ReportContent) []SectionChange {
	before := portal.Report{ReportContent: prev}.AuditFields()
	after := portal.Report{ReportContent: cur}.AuditFields()
	lines := func(m map[string]any, table string) []string {
		s, _ := m[table].([]string)
		return s
	}
	var out []SectionChange
	for _, s := range portal.ChangedSections(prev, cur) {
		c := SectionChange{Section: s}
		text := func(label, b, a string) {
			if b != a {
				c.Texts = append(c.Texts, TextChange{Label: label, Before: b, After: a})
			}
		}
		var removed, added []int
		rows := func(table string) {
			removed, added = diffLines(lines(before, table), lines(after, table))
			c.Reordered = len(removed) == 0 && len(added) == 0
		}
		switch s {
		case portal.SectionNarrative:
			text("report.field.narrative", prev.Narrative, cur.Narrative)
			text("report.field.highlight", prev.Highlight, cur.Highlight)
		case portal.SectionAttestation:
			text("report.field.legal_representative", prev.LegalRepresentative, cur.LegalRepresentative)
		case portal.SectionActivities:
			rows("activities")
			c.Removed.Activities, c.Added.Activities = pick(prev.Activities, removed), pick(cur.Activities, added)
		case portal.SectionMedia:
			rows("media")
			c.Removed.Media, c.Added.Media = pick(prev.Media, removed), pick(cur.Media, added)
		case portal.SectionPlan:
			rows("plan_items")
			c.Removed.PlanItems, c.Added.PlanItems = pick(prev.PlanItems, removed), pick(cur.PlanItems, added)
		case portal.SectionProgress:
			rows("progress")
			c.Removed.Progress, c.Added.Progress = pick(prev.Progress, removed), pick(cur.Progress, added)
			// Not changes: the requests, to name those each item answers.
			c.Removed.Answers, c.Added.Answers = prev.Answers, cur.Answers
		case portal.SectionAnswers:
			rows("answers")
			c.Removed.Answers, c.Added.Answers = pick(prev.Answers, removed), pick(cur.Answers, added)
		}
		out = append(out, c)
	}
	return out
}

// diffLines compares two lists of row lines as multisets: the indexes of
// the lines of a that b lacks, and of those of b that a lacks.
func diffLines(a, b []string) (removed, added []int) {
	count := map[string]int{}
	for _, l := range b {
		count[l]++
	}
	for i, l := range a {
		if count[l] > 0 {
			count[l]--
		} else {
			removed = append(removed, i)
		}
	}
	count = map[string]int{}
	for _, l := range a {
		count[l]++
	}
	for i, l := range b {
		if count[l] > 0 {
			count[l]--
		} else {
			added = append(added, i)
		}
	}
	return removed, added
}

func pick[T any](rows []T, idx []int) []T {
	var out []T
	for _, i := range idx {
		out = append(out, rows[i])
	}
	return out
}

// ReviewReportView is one report as the federation reviews it: the facts,
// what changed since the last submission, the content, the attachments,
// the history, and accept/return when it waits for review.
type ReviewReportView struct {
	ui.Page
	Report      portal.Report
	NGOName     string
	Cycle       portal.Cycle
	Labels      portal.ReportLabels
	Attachments []portal.Attachment
	History     []portal.ReportEvent
	// Compared is true when there is an earlier submission to compare
	// with; Changes then lists what changed since it (empty: nothing).
	Compared     bool
	ComparedWith time.Time // when the earlier submission was made
	Changes      []SectionChange
	Problem      string // message key of a refused action, shown at the top
	CanReview    bool   // the report waits for review: accept and return
	CanReturn    bool   // returning is possible (the cycle is not closed)
	// The review form: the comments beside each section and the overall
	// one, shown when a return is possible or comments were typed (a
	// refused return keeps them); Version is the version it sends.
	ShowComments bool
	Values       ReviewValues
	Errors       map[string]string // keyed as the repository's ValidationError
	Version      int

	BoardPath       string
	CyclePath       string
	AcceptPath      string
	ReturnPath      string
	AttachmentsBase string
	VersionsPath    string
}

// ReviewValues are the review form's comments as typed: the overall
// comment and one per section (keyed by portal.ReportSections).
type ReviewValues struct {
	Comment  string
	Sections map[string]string
}

// CommentField is the overall comment's control.
func (v ReviewReportView) CommentField() ui.Field {
	return ui.Field{Name: "comment", Label: "review.form.comment", Hint: "review.form.comment_hint",
		Value: v.Values.Comment, Error: v.Errors["comment"], MaxLength: portal.MaxReturnComment}
}

// SectionField is the control of the comment on section s, shown at the
// end of that section.
func (v ReviewReportView) SectionField(s string) ui.Field {
	return ui.Field{Name: "section_" + s, Label: "review.form.section." + s, Hint: "review.form.section_hint",
		Value: v.Values.Sections[s], Error: v.Errors["section_comments."+s], MaxLength: portal.MaxReturnSectionComment}
}

// ErrorList is the review form's error summary, in page order: the
// sections' comments, then the overall comment below them.
func (v ReviewReportView) ErrorList() []ui.FieldError {
	var fields []ui.Field
	for _, s := range portal.ReportSections {
		fields = append(fields, v.SectionField(s))
	}
	return ui.Errors(append(fields, v.CommentField())...)
}

// HasForm says the page holds the review form: the report waits for
// review, or comments typed before a refusal come back.
func (v ReviewReportView) HasForm() bool { return v.CanReview || v.ShowComments }

// reviewStatusClass is the badge style of a report status; the badge
// always names the status too.
func reviewStatusClass(s portal.ReportStatus) string {
	switch s {
	case portal.ReportAccepted:
		return "badge ok"
	case portal.ReportSubmitted, portal.ReportReturned:
		return "badge warn"
	default:
		return "badge off"
	}
}
