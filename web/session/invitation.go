package session

import (
	"strconv"
	"strings"

	"ngoportal/internal/i18n"
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

// RepresentativeNames lists representatives as "name (title)", joined,
// a walk-in marked as such in t's words.
func RepresentativeNames(t i18n.Translator, reps []portal.Representative, sep string) string {
	var out []string
	for _, r := range reps {
		s := r.Name
		if r.Title != "" {
			s += " (" + r.Title + ")"
		}
		out = append(out, walkInName(t, r, s))
	}
	return strings.Join(out, sep)
}

// PresentNames lists the representatives who came, joined, a walk-in
// marked as such in t's words.
func PresentNames(t i18n.Translator, reps []portal.Representative, sep string) string {
	var out []string
	for _, r := range reps {
		if r.Attended {
			out = append(out, walkInName(t, r, r.Name))
		}
	}
	return strings.Join(out, sep)
}

// walkInName marks a walk-in's name: 张敏（临时到场）, Zhang Min (walk-in).
func walkInName(t i18n.Translator, r portal.Representative, name string) string {
	if !r.WalkIn {
		return name
	}
	return t.T("invitation.walk_in_name", "Name", name)
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
	// NoReplyOnly: ?reply=none shows only the invited NGOs that have not
	// replied (the withdrawn ones are left out too).
	NoReplyOnly    bool
	NoReplyPath    string // the board filtered so
	AllPath        string // the board unfiltered
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
