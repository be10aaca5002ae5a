package report

import (
	"time"

	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// ReportVersion is one submission of a report: when, who, and the content
// as it was submitted.
type ReportVersion struct {
	EventID    int64
	At         time.Time
	ActorEmail string
	Content    portal.ReportContent
	Path       string // the read-only page of this submission
}

// ReportVersionsView is a report's submissions: the list, each opening a
// read-only copy of what was submitted, and a form comparing any two.
// Shown is the submission opened (nil for none); Compared says two are
// compared, From and To which, and Changes what changed between them.
type ReportVersionsView struct {
	ui.Page
	NGOName  string
	Year     int
	Versions []ReportVersion // oldest first
	Labels   portal.ReportLabels
	Shown    *ReportVersion
	From     ui.Field
	To       ui.Field
	Options  []ReportVersionOption
	Compared bool
	FromAt   time.Time
	ToAt     time.Time
	Changes  []SectionChange
	Action   string // the page's own path: the compare form's action
	BackPath string // the report
}

// ReportVersionOption is one submission in the compare form's selects.
type ReportVersionOption struct {
	Value string
	At    time.Time
}

// SnapshotReport is a submitted copy as a read-only report: submissions
// are always declared.
func (v ReportVersion) SnapshotReport() portal.Report {
	return portal.Report{ReportContent: v.Content, Declaration: true}
}

// hasSnapshot says whether history holds a submission.
func hasSnapshot(history []portal.ReportEvent) bool {
	for _, e := range history {
		if e.Snapshot != nil {
			return true
		}
	}
	return false
}
