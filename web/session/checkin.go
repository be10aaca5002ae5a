package session

import (
	"strconv"

	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// CheckinRow is one invited NGO on the check-in page.
type CheckinRow struct {
	portal.Invitation
	Action       string // the check-in tap
	WalkInAction string // the walk-in form
	Anchor       string // the block's id, "ngo-<id>"
}

// FormID is the id of the row's check-in form, which the controls inside
// the row's details name with their form attribute.
func (r CheckinRow) FormID() string { return "checkin-" + strconv.FormatInt(r.ID, 10) }

// PresentCount is how many of the row's people were recorded as present.
func (r CheckinRow) PresentCount() int {
	n := 0
	for _, rep := range r.Representatives {
		if rep.Attended {
			n++
		}
	}
	return n
}

// CheckinGroup is the NGOs of one reply on the check-in page: confirmed,
// no reply yet, or declined.
type CheckinGroup struct {
	Reply portal.Reply
	Rows  []CheckinRow
}

// GroupCheckinRows splits rows by reply, keeping their order within each:
// the NGOs that confirmed first (the ones expected at the door), then
// those that never replied, then those that declined.
func GroupCheckinRows(rows []CheckinRow) []CheckinGroup {
	groups := []CheckinGroup{{Reply: portal.ReplyConfirmed}, {Reply: portal.ReplyNone}, {Reply: portal.ReplyDeclined}}
	for _, r := range rows {
		for i := range groups {
			if groups[i].Reply == r.Reply {
				groups[i].Rows = append(groups[i].Rows, r)
			}
		}
	}
	out := groups[:0]
	for _, g := range groups {
		if len(g.Rows) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// WalkInValues are the walk-in form's values as the official typed them.
type WalkInValues struct {
	Version             int
	Name, Title, Mobile string
}

// CheckinView is the phone-sized check-in page of a session.
type CheckinView struct {
	ui.Page
	Session        portal.Session
	Groups         []CheckinGroup
	Counts         InvitationCounts
	State          portal.CheckinState // why check-in is open or closed now
	Open           bool                // check-in is allowed now
	ErrorInv       int64
	Errors         map[string]string
	Reason         string       // the excuse typed in the row that came back with an error
	WalkIn         WalkInValues // the walk-in typed in the row that came back
	SessionPath    string
	BoardPath      string
	AttendancePath string
}

// Rows counts the NGOs listed.
func (v CheckinView) Rows() int {
	n := 0
	for _, g := range v.Groups {
		n += len(g.Rows)
	}
	return n
}

// ClosedMessage explains in the reader's words why check-in is closed.
func (v CheckinView) ClosedMessage() string {
	return v.T.T("invitation.checkin.closed."+string(v.State), "Date", v.T.Date(v.Session.HeldOn))
}

// ExcuseField is the excuse reason control of one row.
func (v CheckinView) ExcuseField(r CheckinRow) ui.Field {
	f := ui.Field{Name: "excuse_reason", Label: "invitation.checkin.excuse_reason", Value: r.ExcuseReason,
		MaxLength: portal.MaxReasonLen, Hint: "invitation.checkin.excuse_hint"}
	if r.ID == v.ErrorInv {
		f.Value, f.Error = v.Reason, v.Errors["excuse_reason"]
	}
	return f
}

// WalkInFields are the walk-in form's controls of one row.
func (v CheckinView) WalkInFields(r CheckinRow) []ui.Field {
	fs := []ui.Field{
		{Name: "walkin_name", Label: "invitation.checkin.walkin_name", Required: true,
			MaxLength: portal.MaxRepresentativeNameLen, Autocomplete: "off"},
		{Name: "walkin_title", Label: "invitation.checkin.walkin_title", Hint: "invitation.checkin.optional",
			MaxLength: portal.MaxRepresentativeTitleLen, Autocomplete: "off"},
		{Name: "walkin_mobile", Label: "invitation.checkin.walkin_mobile", Hint: "invitation.checkin.walkin_mobile_hint",
			Type: "tel", MaxLength: 20, Autocomplete: "off"},
	}
	if r.ID == v.ErrorInv {
		fs[0].Value, fs[1].Value, fs[2].Value = v.WalkIn.Name, v.WalkIn.Title, v.WalkIn.Mobile
		for i := range fs {
			fs[i].Error = v.Errors[fs[i].Name]
		}
	}
	return fs
}

// DetailsOpen is whether a row's details start open: when its tap or
// walk-in came back with an error, so that the message is in sight.
func (v CheckinView) DetailsOpen(r CheckinRow) bool {
	return r.ID == v.ErrorInv && len(v.Errors) > 0 && v.Errors["attendance"] == ""
}

// fieldID makes a control id unique per row.
func rowFieldID(f ui.Field, invID int64) string { return f.ID() + "-" + strconv.FormatInt(invID, 10) }

// ErrorList is the check-in page's error summary.
func (v CheckinView) ErrorList() []ui.FieldError {
	var out []ui.FieldError
	row := "-" + strconv.FormatInt(v.ErrorInv, 10)
	if e := v.Errors["excuse_reason"]; e != "" {
		out = append(out, ui.FieldError{ID: "f-excuse_reason" + row, Label: "invitation.checkin.excuse_reason", Error: e})
	}
	for _, name := range []string{"walkin_name", "walkin_title", "walkin_mobile"} {
		if e := v.Errors[name]; e != "" {
			out = append(out, ui.FieldError{ID: "f-" + name + row, Label: "invitation.checkin." + name, Error: e})
		}
	}
	if e := v.Errors["attendance"]; e != "" {
		out = append(out, ui.FieldError{ID: "ngo" + row, Label: "invitation.checkin.attendance", Error: e})
	}
	return out
}

func rowInputType(f ui.Field) string {
	if f.Type == "" {
		return "text"
	}
	return f.Type
}

// rowDescribedBy links a row's control to its hint and error.
func rowDescribedBy(f ui.Field, invID int64) string {
	id := rowFieldID(f, invID)
	s := ""
	if f.Hint != "" {
		s = id + "-hint"
	}
	if f.Error != "" {
		if s != "" {
			s += " "
		}
		s += id + "-error"
	}
	return s
}
