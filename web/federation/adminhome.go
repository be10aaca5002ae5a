// Package federation holds the views of the federation's own administration:
// the admin's home page, the audit log, the officials roster and the shared
// vocabulary (themes and key projects).
package federation

import "ngoportal/web/ui"

// AdminHomeView is the federation admin's home page.
type AdminHomeView struct {
	ui.Page
	ActiveNGOs    int
	UsersActive   int
	UsersInvited  int
	UsersDisabled int
	NGOsPath      string
	UsersPath     string
	AuditPath     string
	ActivePath    string // the list of active accounts
	InvitedPath   string // the list of invited accounts
	DisabledPath  string // the list of disabled accounts
	Latest        []AuditRow
	// Todos is what needs the federation now; it leads the page.
	Todos []ui.TodoItem
}
