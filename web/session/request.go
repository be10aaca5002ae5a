package session

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// MaxRequestTextLen is the longest request text, in characters, in either
// language (the table's check allows the same).
const MaxRequestTextLen = 2000

// RequestForm is the chair's-request form as typed: kept verbatim when the
// form comes back with errors. It lives with the views because the page
// must echo every value, including the ticked recipients.
type RequestForm struct {
	Number      string
	TextZH      string
	TextEN      string
	MadeBy      string   // official id
	AddressedTo string   // "all" or "named"
	Recipients  []string // NGO ids, when named
	Version     int      // 0 on the new-request form
}

// Addressed-to choices of the request form.
const (
	RequestToAll   = "all"
	RequestToNamed = "named"
)

// Validate checks the form on its own; whether the official and the NGOs
// may be chosen is checked against the session by the handler. It returns
// field name → message key.
func (f RequestForm) Validate() map[string]string {
	errs := map[string]string{}
	if n, err := strconv.Atoi(f.Number); f.Number == "" {
		errs["number"] = "request.error.number_required"
	} else if err != nil || n < 1 || n > 999 || strconv.Itoa(n) != f.Number {
		errs["number"] = "request.error.number_invalid"
	}
	if f.TextZH == "" {
		errs["text_zh"] = "request.error.text_zh_required"
	} else if utf8.RuneCountInString(f.TextZH) > MaxRequestTextLen {
		errs["text_zh"] = "request.error.text_too_long"
	}
	if utf8.RuneCountInString(f.TextEN) > MaxRequestTextLen {
		errs["text_en"] = "request.error.text_too_long"
	}
	if f.MadeBy == "" {
		errs["made_by"] = "request.error.made_by_required"
	}
	switch f.AddressedTo {
	case RequestToAll:
	case RequestToNamed:
		if len(f.Recipients) == 0 {
			errs["recipients"] = "request.error.recipients_required"
		}
	default:
		errs["addressed_to"] = "request.error.addressed_to_required"
	}
	return errs
}

// RequestFormFrom fills the form with a saved request.
func RequestFormFrom(r portal.Request) RequestForm {
	f := RequestForm{
		Number: strconv.Itoa(r.Number), TextZH: r.TextZH, TextEN: r.TextEN,
		AddressedTo: RequestToAll, Version: r.Version,
	}
	if r.MadeBy != 0 {
		f.MadeBy = strconv.FormatInt(r.MadeBy, 10)
	}
	if !r.AddressedToAll {
		f.AddressedTo = RequestToNamed
		for _, id := range r.Recipients {
			f.Recipients = append(f.Recipients, strconv.FormatInt(id, 10))
		}
	}
	return f
}

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
	Form       RequestForm
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
	f := d.Form
	out := RequestFormFields{
		Number: ui.Field{Name: "number", Label: "request.field.number", Value: f.Number, Error: d.Errors["number"],
			Type: "number", Required: true, Hint: "request.hint.number", Autocomplete: "off"},
		TextZH: ui.Field{Name: "text_zh", Label: "request.field.text_zh", Value: f.TextZH, Error: d.Errors["text_zh"],
			Required: true, MaxLength: MaxRequestTextLen, Lang: "zh-CN"},
		TextEN: ui.Field{Name: "text_en", Label: "request.field.text_en", Value: f.TextEN, Error: d.Errors["text_en"],
			MaxLength: MaxRequestTextLen, Lang: "en"},
		MadeBy: ui.Field{Name: "made_by", Label: "request.field.made_by", Value: f.MadeBy, Error: d.Errors["made_by"], Required: true},
	}
	return out
}

// AddressedToField is the radio group "all invited NGOs / named NGOs".
func (d RequestFormData) AddressedToField() ui.Field {
	return ui.Field{Name: "addressed_to", Label: "request.field.addressed_to", Value: d.Form.AddressedTo, Error: d.Errors["addressed_to"]}
}

// RecipientsField is the group of NGO checkboxes.
func (d RequestFormData) RecipientsField() ui.Field {
	return ui.Field{Name: "recipients", Label: "request.field.recipients", Error: d.Errors["recipients"], Hint: "request.hint.recipients"}
}

// Ticked reports whether the NGO is among the chosen recipients.
func (d RequestFormData) Ticked(id int64) bool {
	s := strconv.FormatInt(id, 10)
	for _, r := range d.Form.Recipients {
		if r == s {
			return true
		}
	}
	return false
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
	out := []ui.Option{{Value: "", Label: p.T.T("request.choose_official"), Selected: d.Form.MadeBy == ""}}
	for _, o := range d.Officials {
		id := strconv.FormatInt(o.ID, 10)
		out = append(out, ui.Option{
			Value:    id,
			Label:    p.T.T("request.made_by", "Name", p.T.Pick(o.NameZH, o.NameEN), "Position", p.T.T("position."+string(o.Position))),
			Selected: d.Form.MadeBy == id,
		})
	}
	return out
}
