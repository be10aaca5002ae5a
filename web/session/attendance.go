package session

import (
	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// AttendanceReviewView is a session's attendance review: who came, who did
// not, counts and rate, and the CSV export.
type AttendanceReviewView struct {
	ui.Page
	Session     portal.Session
	Came        []portal.Invitation
	NotCame     []portal.Invitation
	Counts      InvitationCounts
	CSVPath     string
	BoardPath   string
	SessionPath string
}

// AttendanceHistoryRow is one session in an NGO's attendance history.
type AttendanceHistoryRow struct {
	portal.SessionInvitation
	Link string
}

// AttendanceHistoryView is one NGO's attendance across all sessions.
type AttendanceHistoryView struct {
	ui.Page
	NGO     portal.NGO
	Rows    []AttendanceHistoryRow
	NGOPath string
}
