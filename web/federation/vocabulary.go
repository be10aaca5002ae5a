package federation

import (
	"strconv"

	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// TermRow is one theme or key project on the vocabulary page, with the
// paths of its buttons.
type TermRow struct {
	portal.Term
	EditPath    string
	ActivePath  string // retires an active term, restores a retired one
	UpPath      string // "" for the first
	DownPath    string // "" for the last
	DisplayName string
}

// VocabularyList is one list of the vocabulary page.
type VocabularyList struct {
	Kind    portal.VocabularyKind
	Rows    []TermRow
	NewPath string
}

// VocabularyListView is the admin's vocabulary page: themes, then key
// projects.
type VocabularyListView struct {
	ui.Page
	Lists []VocabularyList
}

// TermValues are the theme or key project form's values as the admin typed
// them (cleaned).
type TermValues struct {
	NameZH        string
	NameEN        string
	DescriptionZH string
	DescriptionEN string
	Version       int // the version the form was loaded at; 0 on create
}

// VocabularyFormView adds a theme or key project, or edits one.
type VocabularyFormView struct {
	ui.Page
	Kind       portal.VocabularyKind
	Editing    bool
	Term       portal.Term // the saved term when editing
	Values     TermValues
	Errors     map[string]string
	Conflict   bool
	Action     string
	CancelPath string
}

// TermFields are the vocabulary form's controls.
type TermFields struct {
	NameZH, NameEN, DescriptionZH, DescriptionEN ui.Field
}

// Fields builds the form's controls with the values and errors.
func (v VocabularyFormView) Fields() TermFields {
	return TermFields{
		NameZH:        ui.Field{Name: "name_zh", Label: "vocabulary.field.name_zh", Value: v.Values.NameZH, Error: v.Errors["name_zh"], Required: true, MaxLength: portal.MaxTermNameZH, Lang: "zh-CN"},
		NameEN:        ui.Field{Name: "name_en", Label: "vocabulary.field.name_en", Value: v.Values.NameEN, Error: v.Errors["name_en"], Required: true, MaxLength: portal.MaxTermNameEN, Lang: "en"},
		DescriptionZH: ui.Field{Name: "description_zh", Label: "vocabulary.field.description_zh", Value: v.Values.DescriptionZH, Error: v.Errors["description_zh"], MaxLength: portal.MaxTermDescription, Lang: "zh-CN"},
		DescriptionEN: ui.Field{Name: "description_en", Label: "vocabulary.field.description_en", Value: v.Values.DescriptionEN, Error: v.Errors["description_en"], MaxLength: portal.MaxTermDescription, Lang: "en"},
	}
}

// ErrorList is the form's error summary, in the order of the fields.
func (v VocabularyFormView) ErrorList() []ui.FieldError {
	f := v.Fields()
	return ui.Errors(f.NameZH, f.NameEN, f.DescriptionZH, f.DescriptionEN)
}

// VersionValue is the term's version as a form value.
func (r TermRow) VersionValue() string { return strconv.Itoa(r.Version) }
