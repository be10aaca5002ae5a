package portal

import (
	"fmt"
	"strconv"
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

// Bounds of a session plan.
const (
	MaxSessionTitle = 200
	MaxSessionVenue = 200
	MaxAgendaTitle  = 200
	MaxAgendaRows   = 30
	MaxAgendaMinute = 600
)

// Bounds of a session's year, as for a reporting cycle's.
const (
	minSessionYear = 1949
	maxSessionYear = 2200
)

// AgendaField names the field of agenda row i (0-based), e.g.
// agenda_2_title_zh: the key of the row's messages in Validate's result.
func AgendaField(i int, name string) string {
	return "agenda_" + strconv.Itoa(i) + "_" + name
}

// Validate checks the plan's own rules, returning field name → message key:
// the lengths of its texts, a year within bounds, a reply deadline on or
// before the session's day, at most MaxAgendaRows agenda rows of at most
// MaxAgendaMinute minutes each. A plan without a date (none was given) is
// not compared with its deadline.
func (p SessionPlan) Validate() map[string]string {
	errs := map[string]string{}
	tooLong := func(field, value string, max int, key string) {
		if utf8.RuneCountInString(value) > max {
			errs[field] = key
		}
	}
	tooLong("title_zh", p.TitleZH, MaxSessionTitle, "session.err.title_too_long")
	tooLong("title_en", p.TitleEN, MaxSessionTitle, "session.err.title_too_long")
	tooLong("venue_zh", p.VenueZH, MaxSessionVenue, "session.err.venue_too_long")
	tooLong("venue_en", p.VenueEN, MaxSessionVenue, "session.err.venue_too_long")
	if y := p.HeldOn.Year(); y < minSessionYear || y > maxSessionYear {
		errs["held_on"] = "session.err.date_invalid"
	}
	if p.ReplyDeadline != nil && !p.HeldOn.IsZero() && civilDay(p.ReplyDeadline.In(FederationZone)).After(civilDay(p.HeldOn)) {
		errs["deadline_date"] = "session.err.deadline_after_session"
	}
	if len(p.Agenda) > MaxAgendaRows {
		errs["agenda"] = "session.err.agenda_too_many"
	}
	for i, a := range p.Agenda {
		tooLong(AgendaField(i, "title_zh"), a.TitleZH, MaxAgendaTitle, "session.err.title_too_long")
		tooLong(AgendaField(i, "title_en"), a.TitleEN, MaxAgendaTitle, "session.err.title_too_long")
		if a.DurationMinutes < 0 || a.DurationMinutes > MaxAgendaMinute {
			errs[AgendaField(i, "minutes")] = "session.err.minutes_invalid"
		}
	}
	return errs
}

// civilDay is t's calendar day, wherever t is.
func civilDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// NextYearTitle is a session title for the next year's session: every year
// in it (a run of exactly four digits from 1900 to 2199) advanced by one,
// all at once, so that "2026年工作总结和2027年工作计划" becomes
// "2027年工作总结和2028年工作计划" and "2027 Annual Session" becomes
// "2028 Annual Session". Other numbers stay as they are.
func NextYearTitle(title string) string {
	var b []byte
	for i := 0; i < len(title); {
		j := i
		for j < len(title) && title[j] >= '0' && title[j] <= '9' {
			j++
		}
		if j == i {
			b = append(b, title[i])
			i++
			continue
		}
		run := title[i:j]
		if y, err := strconv.Atoi(run); err == nil && len(run) == 4 && y >= 1900 && y <= 2199 {
			run = strconv.Itoa(y + 1)
		}
		b = append(b, run...)
		i = j
	}
	return string(b)
}

// NextYearDay is the same calendar day a year later. 29 February becomes
// 28 February, the last day of the same month, where time.AddDate would
// slip into March.
func NextYearDay(d time.Time) time.Time {
	next := d.AddDate(1, 0, 0)
	if next.Month() != d.Month() {
		next = next.AddDate(0, 0, -next.Day())
	}
	return next
}

// SessionCopy is what copying a session for the next year made, for the
// page that follows to say.
type SessionCopy struct {
	ID          int64 // the new draft
	Agenda      int   // agenda items copied
	Officials   int   // officials present copied (the active ones)
	Invitations int   // NGOs invited again (the active ones)
	// OfficialsLeftOut and NGOsLeftOut were present or invited but have
	// retired or closed since, so they were not copied.
	OfficialsLeftOut int
	NGOsLeftOut      int
	TitlesChanged    bool      // a year in a title was advanced
	HeldOn           time.Time // the new date
}
