package federation

import (
	"time"

	"ngoportal/web/ui"
)

// AuditChange is one change an audit entry records, as a sentence in the
// page's language ("Status changed from draft to published").
type AuditChange struct {
	Text string
}

// AuditRow is one audit entry as the admin reads it.
type AuditRow struct {
	At          time.Time // in the federation's time zone
	ActorLabel  string    // the actor's email, translated "nobody" when nobody was signed in
	ActorPath   string    // the actor's account page (an admin's page); "" when none
	Action      string    // one of portal.AuditActions
	ObjectLabel string    // translated, e.g. "User #12"
	ObjectPath  string    // the object's page; "" when it has none
	// ObjectManaged says the object's page is one only admins may open
	// (an account, the form of an official or of a vocabulary term): a
	// reviewer is shown the label without the link.
	ObjectManaged bool
	NGOName       string // in the page's language
	ClientAddr    string
	Changes       []AuditChange
}

// AuditIndexView is the audit log, filtered and paginated.
type AuditIndexView struct {
	ui.Page
	Actor         ui.Field
	NGO           ui.Field
	Action        ui.Field
	From          ui.Field
	To            ui.Field
	NGOOptions    []ui.Option
	ActionOptions []ui.Option
	Errors        []ui.FieldError // invalid filters: the log is not shown
	Entries       []AuditRow
	Pager         ui.Pager
	ListPath      string
}

// AuditFilterValues are the audit log's filters as sent (trimmed), shown
// again above the list; an NGO or action the portal does not know is
// dropped.
type AuditFilterValues struct {
	Actor  string
	NGO    string
	Action string
	From   string
	To     string
}
