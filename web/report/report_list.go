package report

import (
	"time"

	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// StaffReportRow is one cycle on the staff's list of reports.
type StaffReportRow struct {
	ReviewYear  int
	PlanYear    int
	CycleStatus portal.CycleStatus
	Deadline    time.Time
	Extended    bool
	Passed      bool // the NGO's deadline is over
	Status      portal.ReportStatus
	SubmittedAt time.Time
	ReportPath  string // "" when not started
	StartPath   string // the start button's target; "" when the report cannot be started
}

// StaffReportListView is the staff's list of their NGO's reports, one row
// per reporting cycle, the newest first.
type StaffReportListView struct {
	ui.Page
	Rows    []StaffReportRow
	Problem string // message key of a refused start, shown at the top
}
