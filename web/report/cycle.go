package report

import (
	"strconv"

	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// CycleRow is one reporting cycle in the admin's list, with its link.
type CycleRow struct {
	portal.Cycle
	ShowPath string
}

// CycleListView is the admin's list of reporting cycles, newest first.
type CycleListView struct {
	ui.Page
	Rows    []CycleRow
	NewPath string
}

// CycleValues are the cycle form's values as the admin typed them, shown
// again with the errors.
type CycleValues struct {
	ReviewYear string
	OpensOn    string // yyyy-mm-dd
	Deadline   string // yyyy-mm-dd
	Session    string // session id, or "" for none
	Status     string
	Version    int
	PlanYear   int // the plan year the typed review year implies, 0 when none
}

// CycleFormView opens a reporting cycle or edits one.
type CycleFormView struct {
	ui.Page
	Editing    bool
	Cycle      portal.Cycle // the saved cycle when editing
	Values     CycleValues
	Errors     map[string]string
	Conflict   bool
	Sessions   []portal.CycleSessionOption
	Action     string
	CancelPath string
}

// CycleFields are the cycle form's controls.
type CycleFields struct {
	ReviewYear, OpensOn, Deadline, Session, Status ui.Field
}

// Fields builds the form's controls with the values and errors.
func (v CycleFormView) Fields() CycleFields {
	return CycleFields{
		ReviewYear: ui.Field{Name: "review_year", Label: "cycle.field.review_year", Hint: "cycle.hint.review_year", Value: v.Values.ReviewYear, Error: v.Errors["review_year"], Required: true, Type: "number"},
		OpensOn:    ui.Field{Name: "opens_on", Label: "cycle.field.opens_on", Value: v.Values.OpensOn, Error: v.Errors["opens_on"], Required: true, Type: "date"},
		Deadline:   ui.Field{Name: "deadline", Label: "cycle.field.deadline", Hint: "cycle.hint.deadline", Value: v.Values.Deadline, Error: v.Errors["deadline"], Required: true, Type: "date"},
		Session:    ui.Field{Name: "session", Label: "cycle.field.session", Hint: "cycle.hint.session", Value: v.Values.Session, Error: v.Errors["session"]},
		Status:     ui.Field{Name: "status", Label: "cycle.field.status", Hint: "cycle.hint.status", Value: v.Values.Status, Error: v.Errors["status"], Required: true},
	}
}

// SessionOptions are the linked-session select's choices.
func (v CycleFormView) SessionOptions() []ui.Option {
	opts := []ui.Option{{Value: "", Label: v.T.T("cycle.session.none")}}
	for _, s := range v.Sessions {
		id := strconv.FormatInt(s.ID, 10)
		opts = append(opts, ui.Option{Value: id, Label: v.T.Pick(s.TitleZH, s.TitleEN) + " (" + v.T.Date(s.HeldOn) + ")", Selected: v.Values.Session == id})
	}
	return opts
}

// StatusOptions are the status select's choices: draft or open.
func (v CycleFormView) StatusOptions() []ui.Option {
	var opts []ui.Option
	for _, s := range portal.CycleFormStatuses {
		opts = append(opts, ui.Option{Value: string(s), Label: v.T.T("cycle.status." + string(s)), Selected: v.Values.Status == string(s)})
	}
	return opts
}

// ErrorList is the form's error summary, in the order of the fields.
func (v CycleFormView) ErrorList() []ui.FieldError {
	f := v.Fields()
	return ui.Errors(f.ReviewYear, f.OpensOn, f.Deadline, f.Session, f.Status)
}

// ExtensionRow is one NGO's extension on a cycle's page, with the path
// that removes it.
type ExtensionRow struct {
	portal.Extension
	DeletePath string
}

// CycleShowView is a cycle's admin page: its facts, the close button, and
// the per-NGO deadline extensions with the form that grants one.
type CycleShowView struct {
	ui.Page
	Cycle          portal.Cycle
	Extensions     []ExtensionRow
	Candidates     []portal.NGO // NGOs the extension form offers
	Values         ExtensionValues
	Errors         map[string]string
	Problem        string // message key of a refused action, shown at the top
	ListPath       string
	EditPath       string
	ClosePath      string
	ExtensionsPath string
	SessionPath    string // the linked session's page, "" when none
	BoardPath      string // the review board of the cycle's reports
	IndicatorsPath string // the indicators of its accepted reports
}

// ExtensionValues are the extension form's values as the admin typed them.
type ExtensionValues struct {
	NGO      string // NGO id
	Deadline string // yyyy-mm-dd
	Reason   string
}

// ExtensionFields are the extension form's controls.
type ExtensionFields struct {
	NGO, Deadline, Reason ui.Field
}

// Fields builds the extension form's controls with the values and errors.
func (v CycleShowView) Fields() ExtensionFields {
	return ExtensionFields{
		NGO:      ui.Field{Name: "ngo", Label: "cycle.ext.ngo", Value: v.Values.NGO, Error: v.Errors["ngo"], Required: true},
		Deadline: ui.Field{Name: "deadline", Label: "cycle.ext.deadline", Hint: "cycle.ext.deadline_hint", Value: v.Values.Deadline, Error: v.Errors["deadline"], Required: true, Type: "date"},
		Reason:   ui.Field{Name: "reason", Label: "cycle.ext.reason", Value: v.Values.Reason, Error: v.Errors["reason"], Required: true, MaxLength: portal.MaxExtensionReason},
	}
}

// NGOOptions are the extension form's NGO choices.
func (v CycleShowView) NGOOptions() []ui.Option {
	opts := []ui.Option{{Value: "", Label: v.T.T("cycle.ext.choose_ngo")}}
	for _, n := range v.Candidates {
		id := strconv.FormatInt(n.ID, 10)
		opts = append(opts, ui.Option{Value: id, Label: v.T.Pick(n.NameZH, n.NameEN), Selected: v.Values.NGO == id})
	}
	return opts
}

// ErrorList is the extension form's error summary.
func (v CycleShowView) ErrorList() []ui.FieldError {
	f := v.Fields()
	return ui.Errors(f.NGO, f.Deadline, f.Reason)
}

// CycleBadgeClass is the badge style of a cycle status; the badge always
// carries the status's name too, so colour is never the only sign.
func CycleBadgeClass(s portal.CycleStatus) string {
	switch s {
	case portal.CycleOpen:
		return "badge ok"
	case portal.CycleDraft:
		return "badge warn"
	default:
		return "badge off"
	}
}
