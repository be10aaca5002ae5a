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

// OfficialFormView adds an official to the roster or edits one.
type OfficialFormView struct {
	ui.Page
	Editing    bool
	Official   portal.Official // the saved official when editing
	Form       portal.OfficialForm
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
	if v.Form.Active {
		active = "on"
	}
	return OfficialFields{
		NameZH:    ui.Field{Name: "name_zh", Label: "official.field.name_zh", Value: v.Form.NameZH, Error: v.Errors["name_zh"], Required: true, MaxLength: portal.MaxOfficialName, Lang: "zh-CN"},
		NameEN:    ui.Field{Name: "name_en", Label: "official.field.name_en", Value: v.Form.NameEN, Error: v.Errors["name_en"], Required: true, MaxLength: portal.MaxOfficialName, Lang: "en"},
		Position:  ui.Field{Name: "position", Label: "official.field.position", Value: v.Form.Position, Error: v.Errors["position"], Required: true},
		TermStart: ui.Field{Name: "term_start", Label: "official.field.term_start", Value: v.Form.TermStart, Error: v.Errors["term_start"], Required: true, Type: "date"},
		TermEnd:   ui.Field{Name: "term_end", Label: "official.field.term_end", Hint: "official.hint.term_end", Value: v.Form.TermEnd, Error: v.Errors["term_end"], Type: "date"},
		Active:    ui.Field{Name: "active", Label: "official.field.active", Hint: "official.hint.active", Value: active, Error: v.Errors["active"]},
	}
}

// PositionOptions are the position select's choices, translated.
func (v OfficialFormView) PositionOptions() []ui.Option {
	opts := []ui.Option{{Value: "", Label: v.T.T("official.choose")}}
	for _, p := range portal.Positions {
		opts = append(opts, ui.Option{Value: string(p), Label: v.T.T("position." + string(p)), Selected: v.Form.Position == string(p)})
	}
	return opts
}

// ErrorList is the form's error summary, in the order of the fields.
func (v OfficialFormView) ErrorList() []ui.FieldError {
	f := v.Fields()
	return ui.Errors(f.NameZH, f.NameEN, f.Position, f.TermStart, f.TermEnd, f.Active)
}
