package web

import (
	"strconv"
	"strings"

	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// InvitationCounts sums a session's current (not withdrawn) invitations by
// reply and by attendance.
type InvitationCounts struct {
	Invited, Confirmed, Declined, NoReply           int
	Present, Absent, Excused, Unrecorded, Withdrawn int
}

// CountInvitations counts invs; withdrawn invitations count only as such.
func CountInvitations(invs []portal.Invitation) InvitationCounts {
	var c InvitationCounts
	for _, inv := range invs {
		if inv.WithdrawnAt != nil {
			c.Withdrawn++
			continue
		}
		c.Invited++
		switch inv.Reply {
		case portal.ReplyConfirmed:
			c.Confirmed++
		case portal.ReplyDeclined:
			c.Declined++
		default:
			c.NoReply++
		}
		switch inv.Attendance {
		case portal.AttendancePresent:
			c.Present++
		case portal.AttendanceAbsent:
			c.Absent++
		case portal.AttendanceExcused:
			c.Excused++
		default:
			c.Unrecorded++
		}
	}
	return c
}

// Rate is the share of invited NGOs present, in whole percent.
func (c InvitationCounts) Rate() int {
	if c.Invited == 0 {
		return 0
	}
	return (c.Present*100 + c.Invited/2) / c.Invited
}

// RepresentativeNames lists representatives as "name (title)", joined.
func RepresentativeNames(reps []portal.Representative, sep string) string {
	var out []string
	for _, r := range reps {
		s := r.Name
		if r.Title != "" {
			s += " (" + r.Title + ")"
		}
		out = append(out, s)
	}
	return strings.Join(out, sep)
}

// PresentNames lists the representatives who came, joined.
func PresentNames(reps []portal.Representative, sep string) string {
	var out []string
	for _, r := range reps {
		if r.Attended {
			out = append(out, r.Name)
		}
	}
	return strings.Join(out, sep)
}

// InvitationRow is one invited NGO on the admin's board.
type InvitationRow struct {
	portal.Invitation
	WithdrawPath string
	HistoryPath  string
}

// InvitationBoardView is a session's invitation board: every invited NGO
// with its reply and attendance, and the forms that invite and withdraw.
type InvitationBoardView struct {
	ui.Page
	Session        portal.Session
	Rows           []InvitationRow
	Withdrawn      []InvitationRow
	Uninvited      []portal.NGO
	Chosen         map[int64]bool // ticked boxes kept when the form comes back
	Counts         InvitationCounts
	CanInvite      bool // draft or scheduled
	Late           bool // invitations sent now are late
	ShowAttendance bool // the session has been held
	Errors         map[string]string
	SessionPath    string
	InvitePath     string
	CheckinPath    string
	AttendancePath string
}

// ErrorList is the invite form's error summary.
func (v InvitationBoardView) ErrorList() []ui.FieldError {
	if e := v.Errors["scope"]; e != "" {
		return []ui.FieldError{{ID: "f-scope", Label: "invitation.board.invite_heading", Error: e}}
	}
	return nil
}

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

// AttendanceReviewView is a session's attendance review: who came, who did
// not, counts and rate, and the CSV export.
type AttendanceReviewView struct {
	ui.Page
	Session     portal.Session
	Came        []portal.Invitation
	NotCame     []portal.Invitation
	Counts      InvitationCounts
	CSVPath     string
	BoardPath   string
	SessionPath string
}

// AttendanceHistoryRow is one session in an NGO's attendance history.
type AttendanceHistoryRow struct {
	portal.SessionInvitation
	Link string
}

// AttendanceHistoryView is one NGO's attendance across all sessions.
type AttendanceHistoryView struct {
	ui.Page
	NGO     portal.NGO
	Rows    []AttendanceHistoryRow
	NGOPath string
}

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
	Form       portal.ReplyForm
	Errors     map[string]string
	Conflict   bool
	Action     string
	ListPath   string
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
		Value: v.Form.DeclineReason, Error: v.Errors["decline_reason"], MaxLength: portal.MaxReasonLen,
		Hint: "invitation.reply.decline_hint"}}
	for i, r := range v.Form.Reps {
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

// replyBadge is the badge class of a reply.
func replyBadge(r portal.Reply) string {
	switch r {
	case portal.ReplyConfirmed:
		return "badge ok"
	case portal.ReplyDeclined:
		return "badge warn"
	}
	return "badge off"
}

// attendanceBadge is the badge class of an attendance.
func attendanceBadge(a portal.Attendance) string {
	switch a {
	case portal.AttendancePresent:
		return "badge ok"
	case portal.AttendanceAbsent, portal.AttendanceExcused:
		return "badge warn"
	}
	return "badge off"
}

func itoa(n int) string { return strconv.Itoa(n) }

func idStr(n int64) string { return strconv.FormatInt(n, 10) }
