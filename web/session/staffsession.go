package session

import (
	"strconv"

	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// StaffSessionRow is one invitation in an NGO's list of sessions.
type StaffSessionRow struct {
	portal.SessionInvitation
	Link string
}

// StaffSessionListView is the NGO's invitations, newest first.
type StaffSessionListView struct {
	ui.Page
	Rows []StaffSessionRow
}

// StaffSessionView is one session as an invited NGO sees it: details,
// agenda, its reply form and, once held, the requests addressed to it.
type StaffSessionView struct {
	ui.Page
	Session    portal.Session
	Invitation portal.Invitation // as saved; on a conflict, the latest
	Agenda     []portal.AgendaItem
	Requests   []portal.Request
	ShowReqs   bool
	Open       bool // replies may still be changed
	Values     ReplyValues
	Errors     map[string]string
	Conflict   bool
	Action     string
	ListPath   string
}

// ReplyValues are the reply form's values as the NGO typed them.
type ReplyValues struct {
	Version       int
	Reply         portal.Reply
	DeclineReason string
	Reps          [portal.MaxRepresentatives]RepresentativeValues
}

// RepresentativeValues are one representative row of the reply form.
type RepresentativeValues struct {
	Name, Title, Mobile string
}

// ReplyFields are the reply form's controls.
type ReplyFields struct {
	DeclineReason ui.Field
	Reps          [portal.MaxRepresentatives]RepFields
}

// RepFields are one representative row's controls.
type RepFields struct {
	N                   int
	Name, Title, Mobile ui.Field
}

// Fields builds the reply form's controls from its values and errors.
func (v StaffSessionView) Fields() ReplyFields {
	out := ReplyFields{DeclineReason: ui.Field{Name: "decline_reason", Label: "invitation.reply.decline_reason",
		Value: v.Values.DeclineReason, Error: v.Errors["decline_reason"], MaxLength: portal.MaxReasonLen,
		Hint: "invitation.reply.decline_hint"}}
	for i, r := range v.Values.Reps {
		n := strconv.Itoa(i + 1)
		out.Reps[i] = RepFields{
			N: i + 1,
			Name: ui.Field{Name: "rep_name_" + n, Label: "invitation.reply.rep_name", Value: r.Name,
				Error: v.Errors["rep_name_"+n], MaxLength: portal.MaxRepresentativeNameLen, Autocomplete: "off"},
			Title: ui.Field{Name: "rep_title_" + n, Label: "invitation.reply.rep_title", Value: r.Title,
				Error: v.Errors["rep_title_"+n], MaxLength: portal.MaxRepresentativeTitleLen, Autocomplete: "off"},
			Mobile: ui.Field{Name: "rep_mobile_" + n, Label: "invitation.reply.rep_mobile", Value: r.Mobile,
				Error: v.Errors["rep_mobile_"+n], Type: "tel", MaxLength: 20, Autocomplete: "off",
				Hint: "invitation.reply.mobile_hint"},
		}
	}
	return out
}

// ErrorList is the reply form's error summary, in the order of the form.
func (v StaffSessionView) ErrorList() []ui.FieldError {
	var out []ui.FieldError
	if e := v.Errors["reply"]; e != "" {
		out = append(out, ui.FieldError{ID: "f-reply-confirmed", Label: "invitation.reply.choice", Error: e})
	}
	f := v.Fields()
	for _, r := range f.Reps {
		out = append(out, ui.Errors(r.Name, r.Title, r.Mobile)...)
	}
	return append(out, ui.Errors(f.DeclineReason)...)
}
