package portal

import (
	"regexp"
	"strconv"
	"strings"
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

// Representative is one of the 1–3 people an NGO names to attend.
type Representative struct {
	ID       int64
	Position int
	Name     string
	Title    string
	Mobile   string
	Attended bool
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
// exports list them: "name (title) mobile".
func RepresentativeLabels(reps []Representative) []string {
	out := make([]string, 0, len(reps))
	for _, r := range reps {
		s := r.Name
		if r.Title != "" {
			s += " (" + r.Title + ")"
		}
		out = append(out, s+" "+r.Mobile)
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

// RepresentativeInput is one representative row of the reply form, as typed.
type RepresentativeInput struct {
	Name, Title, Mobile string
}

// empty reports whether the row was left blank (blank rows are ignored).
func (r RepresentativeInput) empty() bool { return r.Name == "" && r.Title == "" && r.Mobile == "" }

// ReplyForm is an NGO's reply to an invitation as the staff form sends it:
// confirmed with 1–3 representatives, or declined with a reason.
type ReplyForm struct {
	Version       int
	Reply         Reply
	DeclineReason string
	Reps          [MaxRepresentatives]RepresentativeInput
}

// ReplyFormFrom fills the form with an invitation's saved reply.
func ReplyFormFrom(inv Invitation) ReplyForm {
	f := ReplyForm{Version: inv.Version, DeclineReason: inv.DeclineReason}
	if inv.Reply != ReplyNone {
		f.Reply = inv.Reply
	}
	for i, r := range inv.Representatives {
		if i < MaxRepresentatives {
			f.Reps[i] = RepresentativeInput{Name: r.Name, Title: r.Title, Mobile: r.Mobile}
		}
	}
	return f
}

// Normalize cleans every typed value; the parse function calls it.
func (f *ReplyForm) Normalize() {
	f.DeclineReason = CleanText(f.DeclineReason)
	for i := range f.Reps {
		r := &f.Reps[i]
		r.Name, r.Title = CleanText(r.Name), CleanText(r.Title)
		r.Mobile = strings.ReplaceAll(strings.ReplaceAll(CleanText(r.Mobile), " ", ""), "-", "")
	}
}

// Validate returns field name → message key for every problem; field
// names are those of the form (rep_name_1, rep_mobile_2, ...).
func (f ReplyForm) Validate() map[string]string {
	errs := map[string]string{}
	switch f.Reply {
	case ReplyConfirmed:
		seenName, seenMobile := map[string]bool{}, map[string]bool{}
		named := 0
		for i, r := range f.Reps {
			if r.empty() {
				continue
			}
			named++
			n := strconv.Itoa(i + 1)
			switch {
			case r.Name == "":
				errs["rep_name_"+n] = "invitation.error.rep_name_required"
			case utf8.RuneCountInString(r.Name) > MaxRepresentativeNameLen:
				errs["rep_name_"+n] = "invitation.error.rep_name_too_long"
			case seenName[r.Name]:
				errs["rep_name_"+n] = "invitation.error.rep_duplicate"
			}
			if utf8.RuneCountInString(r.Title) > MaxRepresentativeTitleLen {
				errs["rep_title_"+n] = "invitation.error.rep_title_too_long"
			}
			switch {
			case r.Mobile == "":
				errs["rep_mobile_"+n] = "invitation.error.rep_mobile_required"
			case !mainlandMobile.MatchString(r.Mobile):
				errs["rep_mobile_"+n] = "invitation.error.rep_mobile_invalid"
			case seenMobile[r.Mobile]:
				errs["rep_mobile_"+n] = "invitation.error.rep_mobile_duplicate"
			}
			seenName[r.Name], seenMobile[r.Mobile] = true, true
		}
		if named == 0 {
			errs["rep_name_1"] = "invitation.error.reps_required"
		}
	case ReplyDeclined:
		switch {
		case f.DeclineReason == "":
			errs["decline_reason"] = "invitation.error.decline_reason_required"
		case utf8.RuneCountInString(f.DeclineReason) > MaxReasonLen:
			errs["decline_reason"] = "invitation.error.reason_too_long"
		}
	default:
		errs["reply"] = "invitation.error.reply_required"
	}
	return errs
}

// Representatives are the form's filled-in rows, in order.
func (f ReplyForm) Representatives() []Representative {
	var out []Representative
	for _, r := range f.Reps {
		if !r.empty() {
			out = append(out, Representative{Position: len(out) + 1, Name: r.Name, Title: r.Title, Mobile: r.Mobile})
		}
	}
	return out
}
