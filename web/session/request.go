package session

import (
	"slices"
	"strconv"
	"strings"

	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// RequestValues are the chair's-request form's values as the admin typed
// them, so that a form sent back shows exactly what was written, including
// the ticked recipients.
type RequestValues struct {
	Number      string
	TextZH      string
	TextEN      string
	MadeBy      string   // official id
	AddressedTo string   // RequestToAll or RequestToNamed
	Recipients  []string // NGO ids, as ticked
	Version     int      // 0 on the new-request form
}

// Addressed-to choices of the request form.
const (
	RequestToAll   = "all"
	RequestToNamed = "named"
)

// RequestOfficialOption is an official who may be named as having made a
// request.
type RequestOfficialOption struct {
	ID       int64
	NameZH   string
	NameEN   string
	Position portal.Position
}

// RequestNGOOption is an invited NGO a request may be addressed to.
type RequestNGOOption struct {
	ID     int64
	NameZH string
	NameEN string
}

// RequestFormData is everything the request form needs besides its values.
type RequestFormData struct {
	Values     RequestValues
	Errors     map[string]string // field name → message key
	Officials  []RequestOfficialOption
	NGOs       []RequestNGOOption
	Action     string
	CancelPath string
	Editing    bool
}

// RequestFormFields are the form's text controls.
type RequestFormFields struct {
	Number, TextZH, TextEN, MadeBy ui.Field
}

// Fields builds the controls from the form's values and errors.
func (d RequestFormData) Fields() RequestFormFields {
	f := d.Values
	out := RequestFormFields{
		Number: ui.Field{Name: "number", Label: "request.field.number", Value: f.Number, Error: d.Errors["number"],
			Type: "number", Required: true, Hint: "request.hint.number", Autocomplete: "off"},
		TextZH: ui.Field{Name: "text_zh", Label: "request.field.text_zh", Value: f.TextZH, Error: d.Errors["text_zh"],
			Required: true, MaxLength: portal.MaxRequestTextLen, Lang: "zh-CN"},
		TextEN: ui.Field{Name: "text_en", Label: "request.field.text_en", Value: f.TextEN, Error: d.Errors["text_en"],
			MaxLength: portal.MaxRequestTextLen, Lang: "en"},
		MadeBy: ui.Field{Name: "made_by", Label: "request.field.made_by", Value: f.MadeBy, Error: d.Errors["made_by"], Required: true},
	}
	return out
}

// AddressedToField is the radio group "all invited NGOs / named NGOs".
func (d RequestFormData) AddressedToField() ui.Field {
	return ui.Field{Name: "addressed_to", Label: "request.field.addressed_to", Value: d.Values.AddressedTo, Error: d.Errors["addressed_to"]}
}

// RecipientsField is the group of NGO checkboxes.
func (d RequestFormData) RecipientsField() ui.Field {
	return ui.Field{Name: "recipients", Label: "request.field.recipients", Error: d.Errors["recipients"], Hint: "request.hint.recipients"}
}

// Ticked reports whether the NGO is among the chosen recipients.
func (d RequestFormData) Ticked(id int64) bool {
	return slices.Contains(d.Values.Recipients, strconv.FormatInt(id, 10))
}

// ErrorList is the error summary, in the order of the form.
func (d RequestFormData) ErrorList() []ui.FieldError {
	f := d.Fields()
	addr, rec := d.AddressedToField(), d.RecipientsField()
	// The summary links to the first control of a group.
	addr.Name = "addressed_to-" + RequestToAll
	if len(d.NGOs) > 0 {
		rec.Name = "recipient-" + strconv.FormatInt(d.NGOs[0].ID, 10)
	}
	return ui.Errors(f.Number, f.TextZH, f.TextEN, f.MadeBy, addr, rec)
}

// RequestRow is one request in the session's list, with its links.
type RequestRow struct {
	portal.Request
	EditPath   string
	DeletePath string
}

// RequestIndexView is the admin's page of a session's requests: the list
// and, while the session takes requests, the form to add one.
type RequestIndexView struct {
	ui.Page
	Session     portal.Session
	SessionPath string
	Rows        []RequestRow
	ReadOnly    bool // the session is not scheduled or held
	New         RequestFormData
	// Due asks the NGOs to answer the requests by a day (request_response.go).
	Due ResponsesDueForm
}

// ReadOnlyMessage is the message key explaining why requests cannot be
// changed.
func (v RequestIndexView) ReadOnlyMessage() string {
	return requestReadOnlyMessage(v.Session.Status)
}

func requestReadOnlyMessage(s portal.SessionStatus) string {
	if s == portal.SessionDraft {
		return "request.readonly.draft"
	}
	return "request.readonly.closed"
}

// RequestEditView is the page that edits one request.
type RequestEditView struct {
	ui.Page
	Session     portal.Session
	SessionPath string
	ListPath    string
	Request     portal.Request
	Conflict    bool           // someone saved the request since the form was loaded
	Latest      portal.Request // on a conflict: what was saved meanwhile
	Edit        RequestFormData
}

// requestMadeBy is who made a request, as shown: name and position.
func requestMadeBy(p ui.Page, r portal.Request) string {
	if r.MadeBy == 0 {
		return p.T.T("request.made_by_unknown")
	}
	return p.T.T("request.made_by", "Name", p.T.Pick(r.MadeByNameZH, r.MadeByNameEN), "Position", p.T.T("position."+string(r.MadeByPosition)))
}

// requestAddressees is whom a request is addressed to, as shown.
func requestAddressees(p ui.Page, r portal.Request) string {
	if r.AddressedToAll {
		return p.T.T("request.to_all")
	}
	names := make([]string, len(r.Recipients))
	for i := range r.Recipients {
		names[i] = p.T.Pick(r.RecipientNamesZH[i], r.RecipientNamesEN[i])
	}
	sep := "、"
	if p.T.Pick("zh", "en") == "en" {
		// The recipients come by Chinese name (pinyin); an English reader
		// gets the English names alphabetically.
		slices.SortFunc(names, portal.NameCompare(true))
		sep = "; "
	}
	return strings.Join(names, sep)
}

// requestOfficialOptions are the choices of "made by": a prompt, then the
// roster.
func requestOfficialOptions(p ui.Page, d RequestFormData) []ui.Option {
	out := []ui.Option{{Value: "", Label: p.T.T("request.choose_official"), Selected: d.Values.MadeBy == ""}}
	for _, o := range d.Officials {
		id := strconv.FormatInt(o.ID, 10)
		out = append(out, ui.Option{
			Value:    id,
			Label:    p.T.T("request.made_by", "Name", p.T.Pick(o.NameZH, o.NameEN), "Position", p.T.T("position."+string(o.Position))),
			Selected: d.Values.MadeBy == id,
		})
	}
	return out
}

// RequestDeleteView asks before one of the chair's requests is deleted: it
// quotes the request, says what goes with it and, when NGOs' reports refer
// to it (Use), that it cannot be deleted. Action is the delete route
// (POST, with the request's version); Cancel the list of requests.
type RequestDeleteView struct {
	ui.Page
	Session portal.Session
	Request portal.Request
	Use     portal.RequestUse
	Action  string
	Cancel  string
}
