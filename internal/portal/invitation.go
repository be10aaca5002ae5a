package portal

import (
	"regexp"
	"strconv"
	"time"
	"unicode/utf8"
)

// Reply is an NGO's answer to an invitation.
type Reply string

// Replies.
const (
	ReplyNone      Reply = "none"
	ReplyConfirmed Reply = "confirmed"
	ReplyDeclined  Reply = "declined"
)

// Invitation is one NGO's invitation to one session: its reply, its
// representatives and, once held, its attendance.
type Invitation struct {
	ID              int64
	SessionID       int64
	NGOID           int64
	NGONameZH       string
	NGONameEN       string
	InvitedAt       time.Time
	Late            bool
	WithdrawnAt     *time.Time
	Reply           Reply
	DeclineReason   string
	RepliedAt       *time.Time
	RepliedByName   string // who answered; "" before any reply
	Attendance      Attendance
	ExcuseReason    string
	CheckedInAt     *time.Time
	Version         int
	Representatives []Representative
}

// Representative is one of the 1–3 people an NGO names to attend, or a
// walk-in recorded at check-in.
type Representative struct {
	ID       int64
	Position int
	Name     string
	Title    string
	Mobile   string
	Attended bool
	WalkIn   bool // recorded at check-in, not named in the reply
}

// Registered are the representatives the NGO named in its reply, without
// the walk-ins recorded at check-in.
func (inv Invitation) Registered() []Representative {
	var out []Representative
	for _, r := range inv.Representatives {
		if !r.WalkIn {
			out = append(out, r)
		}
	}
	return out
}

// MaxRepresentatives is how many people an NGO may name.
const MaxRepresentatives = 3

// SessionInvitation is one NGO's invitation together with the session it is
// to: a row of the NGO's own list and of its attendance history.
type SessionInvitation struct {
	Session    Session
	Invitation Invitation
}

// MaxReasonLen is the longest decline or excuse reason.
const MaxReasonLen = 500

// RepresentativeLabels are the representatives as the audit log and the
// exports list them: "name (title) mobile" (a walk-in may have no mobile).
func RepresentativeLabels(reps []Representative) []string {
	out := make([]string, 0, len(reps))
	for _, r := range reps {
		s := r.Name
		if r.Title != "" {
			s += " (" + r.Title + ")"
		}
		if r.Mobile != "" {
			s += " " + r.Mobile
		}
		out = append(out, s)
	}
	return out
}

// Representative limits.
const (
	MaxRepresentativeNameLen  = 50
	MaxRepresentativeTitleLen = 50
)

// mainlandMobile is a mainland China mobile number.
var mainlandMobile = regexp.MustCompile(`^1[3-9]\d{9}$`)

// InvitationReply is an NGO's answer to an invitation as it sends it:
// confirmed with 1–3 representatives, or declined with a reason. A
// representative's Position is the row of the reply form it was typed in,
// which names its messages; the repository numbers them afresh.
type InvitationReply struct {
	Reply           Reply
	DeclineReason   string
	Representatives []Representative
	Version         int
}

// RepresentativeField names the reply form's field of the representative
// in row position (1-based), e.g. rep_mobile_2.
func RepresentativeField(name string, position int) string {
	return "rep_" + name + "_" + strconv.Itoa(position)
}

// Validate checks the reply's own rules, returning field name → message
// key: a confirmed reply names at least one representative, each named at
// most once, with a mainland mobile number given at most once and names
// and titles within their lengths; a declined reply's reason is at most
// MaxReasonLen characters.
func (a InvitationReply) Validate() map[string]string {
	errs := map[string]string{}
	switch a.Reply {
	case ReplyConfirmed:
		if len(a.Representatives) == 0 {
			errs["rep_name_1"] = "invitation.error.reps_required"
		}
		seenName, seenMobile := map[string]bool{}, map[string]bool{}
		for _, r := range a.Representatives {
			field := func(name string) string { return RepresentativeField(name, r.Position) }
			switch {
			case utf8.RuneCountInString(r.Name) > MaxRepresentativeNameLen:
				errs[field("name")] = "invitation.error.rep_name_too_long"
			case seenName[r.Name]:
				errs[field("name")] = "invitation.error.rep_duplicate"
			}
			if utf8.RuneCountInString(r.Title) > MaxRepresentativeTitleLen {
				errs[field("title")] = "invitation.error.rep_title_too_long"
			}
			switch {
			case !mainlandMobile.MatchString(r.Mobile):
				errs[field("mobile")] = "invitation.error.rep_mobile_invalid"
			case seenMobile[r.Mobile]:
				errs[field("mobile")] = "invitation.error.rep_mobile_duplicate"
			}
			seenName[r.Name], seenMobile[r.Mobile] = true, true
		}
	case ReplyDeclined:
		if utf8.RuneCountInString(a.DeclineReason) > MaxReasonLen {
			errs["decline_reason"] = "invitation.error.reason_too_long"
		}
	}
	return errs
}
