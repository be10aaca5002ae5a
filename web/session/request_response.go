package session

import (
	"slices"
	"strconv"
	"time"

	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// ResponsesDueForm is the form on the requests page that asks the NGOs to
// answer the session's requests by a day.
type ResponsesDueForm struct {
	Show     bool   // the session is held or closed and has requests
	Action   string // POST
	Value    string // the day as typed (or the stored one)
	Was      string // the stored day when the form was loaded, YYYY-MM-DD; "" when none
	Current  time.Time
	Error    string // message key
	Conflict bool
	Overview string // the overview of the answers
}

// Field is the date control.
func (f ResponsesDueForm) Field() ui.Field {
	return ui.Field{Name: "responses_due_on", Label: "response.due.field", Value: f.Value, Error: f.Error,
		Type: "date", Required: true, Hint: "response.due.hint"}
}

// ResponseRequestRow is one request of the overview with its counts.
type ResponseRequestRow struct {
	portal.RequestResponseCount
	FilterPath string // the overview narrowed to this request
}

// ResponseNGORow is one addressed NGO of the overview.
type ResponseNGORow struct {
	portal.NGOResponses
	ShowPath      string // the overview narrowed to this NGO
	RemindPath    string
	ExtensionPath string
}

// ResponseIndexView is the admin's overview of the NGOs' answers to a
// session's requests.
type ResponseIndexView struct {
	ui.Page
	Session      portal.Session
	SessionPath  string
	RequestsPath string
	DueOn        *time.Time // nil: answers not asked for yet
	Requests     []ResponseRequestRow
	Rows         []ResponseNGORow
	Pager        ui.Pager
	Filter       portal.ResponseFilter
	FilterNGO    string // the NGO filtered on, by name; "" when none
	RemindAll    string // POST
	ClearPath    string
	Path         string // the overview, for the filter form
}

// StatusOptions are the choices of the status filter.
func (v ResponseIndexView) StatusOptions() []ui.Option {
	out := []ui.Option{{Value: "", Label: v.T.T("response.filter.any_status"), Selected: v.Filter.Status == ""}}
	for _, s := range portal.ResponseStatuses {
		out = append(out, ui.Option{Value: string(s), Label: v.T.T("response.status." + string(s)), Selected: v.Filter.Status == s})
	}
	return out
}

// RequestOptions are the choices of the request filter.
func (v ResponseIndexView) RequestOptions() []ui.Option {
	out := []ui.Option{{Value: "", Label: v.T.T("response.filter.any_request"), Selected: v.Filter.RequestID == 0}}
	for _, q := range v.Requests {
		out = append(out, ui.Option{Value: strconv.FormatInt(q.ID, 10),
			Label: v.T.T("response.request_number", "Number", q.Number), Selected: v.Filter.RequestID == q.ID})
	}
	return out
}

// ResponseExtensionView is the form giving one NGO a later date.
type ResponseExtensionView struct {
	ui.Page
	Session   portal.Session
	Extension portal.ResponseExtensionOf
	Action    string
	Cancel    string
	DueOn     string // as typed
	Reason    string
	Was       string // the extension when the form was loaded, YYYY-MM-DD; "" when none
	Errors    map[string]string
	Conflict  bool
}

// Fields are the form's controls.
func (v ResponseExtensionView) Fields() (due, reason ui.Field) {
	return ui.Field{Name: "due_on", Label: "response.extension.due_on", Value: v.DueOn, Error: v.Errors["due_on"], Type: "date", Required: true},
		ui.Field{Name: "reason", Label: "response.extension.reason", Value: v.Reason, Error: v.Errors["reason"],
			MaxLength: portal.MaxResponseExtensionReason, Hint: "response.extension.reason_hint"}
}

// ErrorList is the error summary.
func (v ResponseExtensionView) ErrorList() []ui.FieldError {
	due, reason := v.Fields()
	return ui.Errors(due, reason)
}

// AnswerSection is one request on the NGO's page of answers, with its forms.
type AnswerSection struct {
	Request      portal.Request
	Answer       portal.StaffAnswer
	ItemsAction  string // POST: link items
	NothingPath  string // POST: plan nothing
	NewItemPath  string // GET: add an addendum item for this request
	Choices      []AnswerChoice
	Reason       string // as typed, for the "nothing" form
	ItemsError   string // message key
	ReasonError  string // message key
	ItemsConfl   bool   // the items form met a newer answer
	NothingConfl bool
}

// AnswerChoice is one plan item the NGO may link to a request.
type AnswerChoice struct {
	ID       int64
	Title    string
	Addendum bool
	Checked  bool
}

// StaffResponseView is the NGO's page of answers to a session's requests.
type StaffResponseView struct {
	ui.Page
	Session       portal.Session
	Data          portal.StaffResponses
	Open          bool // writes are allowed (the date has not passed)
	Sections      []AnswerSection
	AddendumItems []AddendumRow
	NewItemPath   string
	HomePath      string
}

// AddendumRow is one item of the NGO's addendum, with its links.
type AddendumRow struct {
	Item       portal.PlanItem
	Numbers    []int // the numbers of the requests it answers
	EditPath   string
	DeletePath string
}

// ItemTitle is the title of one of the NGO's plan items by id.
func (v StaffResponseView) ItemTitle(id int64) (string, bool) {
	for _, p := range v.Data.ReportItems {
		if p.ID == id {
			return p.Title, false
		}
	}
	for _, p := range v.Data.AddendumItems {
		if p.ID == id {
			return p.Title, true
		}
	}
	return "", false
}

// AddendumItemValues are the addendum item form's values as typed.
type AddendumItemValues struct {
	Title, Description, Quarter, KeyProject string
	Themes, Requests                        []string
	Version                                 int // the addendum's version when the form was loaded
}

// AddendumItemView is the form adding or editing an item of the NGO's plan
// addendum.
type AddendumItemView struct {
	ui.Page
	Session  portal.Session
	Values   AddendumItemValues
	Errors   map[string]string
	Editing  bool
	Conflict bool
	Action   string
	Cancel   string
	Themes   []portal.Term
	Projects []portal.Term
	Requests []portal.Request
}

// Fields are the form's text controls.
func (v AddendumItemView) Fields() (title, description ui.Field) {
	return ui.Field{Name: "title", Label: "response.item.title", Value: v.Values.Title, Error: v.Errors["title"], Required: true, MaxLength: portal.MaxReportTitle},
		ui.Field{Name: "description", Label: "response.item.description", Value: v.Values.Description, Error: v.Errors["description"], MaxLength: portal.MaxPlanDescription}
}

// QuarterField and ProjectField are the form's selects.
func (v AddendumItemView) QuarterField() ui.Field {
	return ui.Field{Name: "quarter", Label: "response.item.quarter", Value: v.Values.Quarter, Error: v.Errors["quarter"]}
}

// ProjectField is the key project select.
func (v AddendumItemView) ProjectField() ui.Field {
	return ui.Field{Name: "key_project", Label: "response.item.key_project", Value: v.Values.KeyProject, Error: v.Errors["key_project"]}
}

// ErrorList is the error summary, in the order of the form.
func (v AddendumItemView) ErrorList() []ui.FieldError {
	title, desc := v.Fields()
	out := ui.Errors(title, desc, v.QuarterField(), v.ProjectField())
	if e := v.Errors["themes"]; e != "" {
		out = append(out, ui.FieldError{ID: "f-themes", Label: "response.item.themes", Error: e})
	}
	if e := v.Errors["requests"]; e != "" {
		out = append(out, ui.FieldError{ID: "f-requests", Label: "response.item.requests", Error: e})
	}
	return out
}

// QuarterOptions are the quarter choices: the whole year, then each quarter.
func (v AddendumItemView) QuarterOptions() []ui.Option {
	sel := v.Values.Quarter
	if sel == "" {
		sel = "0"
	}
	var out []ui.Option
	for q := 0; q <= 4; q++ {
		x := strconv.Itoa(q)
		out = append(out, ui.Option{Value: x, Label: v.T.T("report.quarter." + x), Selected: sel == x})
	}
	return out
}

// ProjectOptions are the key project choices: none, every active project
// and the chosen one even if retired.
func (v AddendumItemView) ProjectOptions() []ui.Option {
	sel := v.Values.KeyProject
	out := []ui.Option{{Value: "", Label: v.T.T("reportform.project_none"), Selected: sel == "" || sel == "0"}}
	for _, p := range v.Projects {
		id := strconv.FormatInt(p.ID, 10)
		if p.Active || id == sel {
			out = append(out, ui.Option{Value: id, Label: v.T.Pick(p.NameZH, p.NameEN), Selected: id == sel})
		}
	}
	return out
}

// ThemeChoices are the theme checkboxes: active themes and any ticked one.
func (v AddendumItemView) ThemeChoices() []AnswerChoice {
	var out []AnswerChoice
	for _, t := range v.Themes {
		id := strconv.FormatInt(t.ID, 10)
		on := slices.Contains(v.Values.Themes, id)
		if t.Active || on {
			out = append(out, AnswerChoice{ID: t.ID, Title: v.T.Pick(t.NameZH, t.NameEN), Checked: on})
		}
	}
	return out
}

// RequestChoices are the request checkboxes: the session's requests
// addressed to the NGO.
func (v AddendumItemView) RequestChoices() []AnswerChoice {
	var out []AnswerChoice
	for _, q := range v.Requests {
		id := strconv.FormatInt(q.ID, 10)
		out = append(out, AnswerChoice{ID: q.ID, Checked: slices.Contains(v.Values.Requests, id),
			Title: v.T.T("reportform.request_label", "Number", q.Number, "Text", v.T.Pick(q.TextZH, q.TextEN))})
	}
	return out
}

// AddendumDeleteView asks before an addendum item is removed.
type AddendumDeleteView struct {
	ui.Page
	Session portal.Session
	Item    portal.PlanItem
	Version int
	Action  string
	Cancel  string
}

func id64(id int64) string { return strconv.FormatInt(id, 10) }
