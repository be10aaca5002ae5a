// Package message holds the views of the admins' messages to chosen NGOs:
// the list of messages sent, the form with its preview of who will get
// the message, one message as the admins see it, and as its NGO's staff
// read it.
package message

import (
	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// Row is one message of the list.
type Row struct {
	portal.AdminMessage
	ShowPath string
	Audience string // how its NGOs were chosen, in the reader's language
}

// IndexView is the messages sent, newest first.
type IndexView struct {
	ui.Page
	Rows    []Row
	Pager   ui.Pager
	NewPath string
}

// Choice is one radio or checkbox of the form; Label is translated.
type Choice struct {
	Value   string
	Label   string
	Checked bool
	Lang    string // lang of the label when it differs from the page's (an NGO's name)
}

// Preview is who the message would reach if sent now.
type Preview struct {
	NGOs []portal.NGO
	// Changed: the send button was pressed after the choice of recipients
	// changed; nothing was sent, the new list is shown to confirm.
	Changed bool
}

// FormView is the message form, with the preview once asked for.
type FormView struct {
	ui.Page
	Subject   ui.Field
	Body      ui.Field
	Audience  ui.Field // Name, Label and Error of the group's radios
	Audiences []Choice
	NGOs      ui.Field // Name, Label and Error of the ticked NGOs
	NGOList   []Choice
	Errors    []ui.FieldError
	Token     string
	Previewed string // the recipients the preview shows (sent back with the form)
	Preview   *Preview
	Sendable  bool // the preview is of a valid form: the send button is offered
	Action    string
	ListPath  string
}

// ShowView is one message sent, as the admins see it: what it said, when,
// by whom, and the NGOs it went to.
type ShowView struct {
	ui.Page
	Message  portal.AdminMessage
	BodyHTML string // markdown.Render: sanitised
	Audience string // in the reader's language
	ListPath string
}

// StaffShowView is a message as its NGO's staff read it.
type StaffShowView struct {
	ui.Page
	Message     portal.AdminMessage
	BodyHTML    string // markdown.Render: sanitised
	NoticesPath string
}
