package session

import (
	"strconv"

	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// CheckinRow is one invited NGO on the check-in page.
type CheckinRow struct {
	portal.Invitation
	Action string
	Anchor string // the block's id, "ngo-<id>"
}

// CheckinView is the phone-sized check-in page of a session.
type CheckinView struct {
	ui.Page
	Session     portal.Session
	Rows        []CheckinRow
	Counts      InvitationCounts
	Open        bool // check-in is allowed now
	ErrorInv    int64
	Errors      map[string]string
	Reason      string // the excuse typed in the row that came back with an error
	SessionPath string
	BoardPath   string
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

// fieldID makes a control id unique per row.
func rowFieldID(f ui.Field, invID int64) string { return f.ID() + "-" + strconv.FormatInt(invID, 10) }

// ErrorList is the check-in page's error summary.
func (v CheckinView) ErrorList() []ui.FieldError {
	var out []ui.FieldError
	if e := v.Errors["excuse_reason"]; e != "" {
		out = append(out, ui.FieldError{ID: "f-excuse_reason-" + strconv.FormatInt(v.ErrorInv, 10),
			Label: "invitation.checkin.excuse_reason", Error: e})
	}
	if e := v.Errors["attendance"]; e != "" {
		out = append(out, ui.FieldError{ID: "ngo-" + strconv.FormatInt(v.ErrorInv, 10),
			Label: "invitation.checkin.attendance", Error: e})
	}
	return out
}
