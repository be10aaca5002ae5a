package portal

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// SessionLevel is the administrative level a leadership session is held at.
type SessionLevel string

// Session levels.
const (
	LevelMunicipal SessionLevel = "municipal"
	LevelDistrict  SessionLevel = "district"
)

// SessionLevels lists the levels, for forms.
var SessionLevels = []SessionLevel{LevelMunicipal, LevelDistrict}

// SessionStatus is where a session is in its lifecycle.
type SessionStatus string

// Session lifecycle states: draft → scheduled (invitations open) → held
// (attendance final) → closed; draft or scheduled → cancelled.
const (
	SessionDraft     SessionStatus = "draft"
	SessionScheduled SessionStatus = "scheduled"
	SessionHeld      SessionStatus = "held"
	SessionClosed    SessionStatus = "closed"
	SessionCancelled SessionStatus = "cancelled"
)

// sessionSteps are the legal lifecycle steps.
var sessionSteps = map[SessionStatus][]SessionStatus{
	SessionDraft:     {SessionScheduled, SessionCancelled},
	SessionScheduled: {SessionHeld, SessionCancelled, SessionDraft},
	SessionHeld:      {SessionClosed},
}

// CanStep reports whether a session may go from one status to another.
func CanStep(from, to SessionStatus) bool {
	for _, s := range sessionSteps[from] {
		if s == to {
			return true
		}
	}
	return false
}

// NextSteps lists the statuses a session may move to from s.
func NextSteps(s SessionStatus) []SessionStatus { return sessionSteps[s] }

// Session is one annual leadership session (the meeting, never a login).
type Session struct {
	ID            int64
	Slug          string
	TitleZH       string
	TitleEN       string
	Level         SessionLevel
	HeldOn        time.Time
	StartsAt      string // "14:00", or "" when not set
	VenueZH       string
	VenueEN       string
	Status        SessionStatus
	CycleID       int64 // the reporting cycle the session closes; 0 when none yet
	ReviewYear    int   // the year whose work the session reviews, from its cycle
	PlanYear      int   // the year the session plans, from its cycle
	ReplyDeadline *time.Time
	CopiedFrom    int64
	CancelReason  string
	Version       int
}

// RepliesOpen reports whether NGOs may still answer the invitation at now.
func (s Session) RepliesOpen(now time.Time) bool {
	return s.Status == SessionScheduled && (s.ReplyDeadline == nil || now.Before(*s.ReplyDeadline))
}

// SessionOverview is a session with the officials present, as shown on the
// home page.
type SessionOverview struct {
	Session
	Officials []Official
}

// AgendaItem is one item of a session's ordered agenda.
type AgendaItem struct {
	ID              int64
	Position        int
	TitleZH         string
	TitleEN         string
	NGOID           int64 // an NGO's speaking slot; 0 when none
	NGONameZH       string
	NGONameEN       string
	DurationMinutes int // 0 when not set
}

// Reply is an NGO's answer to an invitation.
type Reply string

// Replies.
const (
	ReplyNone      Reply = "none"
	ReplyConfirmed Reply = "confirmed"
	ReplyDeclined  Reply = "declined"
)

// Attendance is whether an invited NGO came.
type Attendance string

// Attendance values; unknown until check-in.
const (
	AttendanceUnknown Attendance = "unknown"
	AttendancePresent Attendance = "present"
	AttendanceAbsent  Attendance = "absent"
	AttendanceExcused Attendance = "excused"
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

// Request is one numbered request the chair makes of the NGOs at a session.
type Request struct {
	ID             int64
	SessionID      int64
	Number         int
	TextZH         string
	TextEN         string
	MadeBy         int64 // official; 0 when not recorded
	MadeByNameZH   string
	MadeByNameEN   string
	MadeByPosition Position
	AddressedToAll bool
	Recipients     []int64 // NGO ids when not addressed to all
	Version        int
	// The recipients' names, in the order of Recipients.
	RecipientNamesZH []string
	RecipientNamesEN []string
}

// RequestsEditable reports whether a session in status s takes new or
// changed requests: during the run-up and on the day (scheduled, held). A
// closed or cancelled session's requests are part of the record; a draft
// has not been announced yet.
func RequestsEditable(s SessionStatus) bool {
	return s == SessionScheduled || s == SessionHeld
}

// AuditFields are a request's fields as the audit log records them; Diff of
// two such maps is what an edit changed.
func (r Request) AuditFields() map[string]any {
	var madeBy any
	if r.MadeBy != 0 {
		madeBy = r.MadeBy
	}
	recipients := []string{}
	for _, id := range r.Recipients {
		recipients = append(recipients, strconv.FormatInt(id, 10))
	}
	return map[string]any{
		"number":           r.Number,
		"text_zh":          r.TextZH,
		"text_en":          r.TextEN,
		"made_by":          madeBy,
		"addressed_to_all": r.AddressedToAll,
		"recipients":       recipients,
	}
}

// Errors of the session lifecycle. Each wraps ErrConflict, so a page that
// does not handle one specially still answers 409.
var (
	// ErrSessionReadOnly: a held, closed or cancelled session cannot be edited.
	ErrSessionReadOnly = fmt.Errorf("session is read-only: %w", ErrConflict)
	// ErrIllegalStep: the lifecycle does not allow the requested step.
	ErrIllegalStep = fmt.Errorf("illegal session step: %w", ErrConflict)
	// ErrScheduleIncomplete: scheduling needs a date and a reply deadline.
	ErrScheduleIncomplete = fmt.Errorf("session lacks date or reply deadline: %w", ErrConflict)
	// ErrSessionHasInvitations: only a draft without invitations may be deleted.
	ErrSessionHasInvitations = fmt.Errorf("session has invitations: %w", ErrConflict)
)

// Editable reports whether the session's plan may still be changed.
func (s Session) Editable() bool {
	return s.Status == SessionDraft || s.Status == SessionScheduled
}

// SessionPlan is what the admin's session form writes in one go: the
// session's own fields, its ordered agenda and the officials present.
type SessionPlan struct {
	Session
	Agenda      []AgendaItem
	OfficialIDs []int64
}

// SessionDetail is a session with everything its admin page shows.
type SessionDetail struct {
	Session
	Agenda         []AgendaItem
	Officials      []Official
	InvitedCount   int
	ConfirmedCount int
}

// SessionListItem is one row of the admin's list of sessions.
type SessionListItem struct {
	Session
	InvitedCount   int
	ConfirmedCount int
}

// CycleOption is a reporting cycle a session may close.
type CycleOption struct {
	ID         int64
	ReviewYear int
	PlanYear   int
}

// SessionInvitation is one NGO's invitation together with the session it is
// to: a row of the NGO's own list and of its attendance history.
type SessionInvitation struct {
	Session    Session
	Invitation Invitation
}

// CheckIn is what the check-in page records for one invited NGO.
type CheckIn struct {
	Attendance   Attendance
	ExcuseReason string  // required when Attendance is excused
	Present      []int64 // ids of the named representatives who came
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
