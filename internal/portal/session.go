package portal

import "time"

// SessionLevel is the administrative level a leadership session is held at.
type SessionLevel string

// Session levels.
const (
	LevelMunicipal SessionLevel = "municipal"
	LevelDistrict  SessionLevel = "district"
)

// SessionStatus is where a session is in its lifecycle.
type SessionStatus string

// Session lifecycle states.
const (
	SessionDraft     SessionStatus = "draft"
	SessionScheduled SessionStatus = "scheduled"
	SessionHeld      SessionStatus = "held"
	SessionClosed    SessionStatus = "closed"
	SessionCancelled SessionStatus = "cancelled"
)

// Session is one annual leadership session (the meeting, never a login).
type Session struct {
	ID         int64
	Slug       string
	TitleZH    string
	TitleEN    string
	Level      SessionLevel
	HeldOn     time.Time
	VenueZH    string
	VenueEN    string
	Status     SessionStatus
	ReviewYear int // the year whose work the session reviews, from its cycle
	PlanYear   int // the year the session plans, from its cycle
}

// SessionOverview is a session with the officials present, as shown on the
// home page.
type SessionOverview struct {
	Session
	Officials []Official
}
