package federation

import (
	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// OfficialRow is one official on the roster page, with the edit link.
type OfficialRow struct {
	portal.Official
	EditPath string
}

// OfficialListView is the admin's roster of officials.
type OfficialListView struct {
	ui.Page
	Rows    []OfficialRow
	NewPath string
}

// OfficialValues are the roster form's values as the admin typed them
// (cleaned), so that a form sent back with errors shows exactly what was
// written.
type OfficialValues struct {
	NameZH    string
	NameEN    string
	Position  string
	TermStart string // yyyy-mm-dd
	TermEnd   string // yyyy-mm-dd, or "" while in office
	Active    bool
	Version   int // the version the form was loaded at; 0 on create
}

// OfficialFormView adds an official to the roster or edits one.
type OfficialFormView struct {
	ui.Page
	Editing    bool
	Official   portal.Official // the saved official when editing
	Values     OfficialValues
	Errors     map[string]string
	Conflict   bool
	Action     string
	CancelPath string
}

// OfficialFields are the roster form's controls.
type OfficialFields struct {
	NameZH, NameEN, Position, TermStart, TermEnd, Active ui.Field
}

// Fields builds the form's controls with the values and errors.
func (v OfficialFormView) Fields() OfficialFields {
	active := ""
	if v.Values.Active {
		active = "on"
	}
	return OfficialFields{
		NameZH:    ui.Field{Name: "name_zh", Label: "official.field.name_zh", Value: v.Values.NameZH, Error: v.Errors["name_zh"], Required: true, MaxLength: portal.MaxOfficialName, Lang: "zh-CN"},
		NameEN:    ui.Field{Name: "name_en", Label: "official.field.name_en", Value: v.Values.NameEN, Error: v.Errors["name_en"], Required: true, MaxLength: portal.MaxOfficialName, Lang: "en"},
		Position:  ui.Field{Name: "position", Label: "official.field.position", Value: v.Values.Position, Error: v.Errors["position"], Required: true},
		TermStart: ui.Field{Name: "term_start", Label: "official.field.term_start", Value: v.Values.TermStart, Error: v.Errors["term_start"], Required: true, Type: "date"},
		TermEnd:   ui.Field{Name: "term_end", Label: "official.field.term_end", Hint: "official.hint.term_end", Value: v.Values.TermEnd, Error: v.Errors["term_end"], Type: "date"},
		Active:    ui.Field{Name: "active", Label: "official.field.active", Hint: "official.hint.active", Value: active, Error: v.Errors["active"]},
	}
}

// PositionOptions are the position select's choices, translated.
func (v OfficialFormView) PositionOptions() []ui.Option {
	opts := []ui.Option{{Value: "", Label: v.T.T("official.choose")}}
	for _, p := range portal.Positions {
		opts = append(opts, ui.Option{Value: string(p), Label: v.T.T("position." + string(p)), Selected: v.Values.Position == string(p)})
	}
	return opts
}

// ErrorList is the form's error summary, in the order of the fields.
func (v OfficialFormView) ErrorList() []ui.FieldError {
	f := v.Fields()
	return ui.Errors(f.NameZH, f.NameEN, f.Position, f.TermStart, f.TermEnd, f.Active)
}
