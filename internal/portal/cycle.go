package portal

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// CycleStatus is where a reporting cycle is: a draft the NGOs cannot see
// yet, open for reports, or closed (no further submissions).
type CycleStatus string

// Reporting cycle states. A cycle is opened as a draft or open; closing is a
// step of its own and final: a closed cycle is never edited again.
const (
	CycleDraft  CycleStatus = "draft"
	CycleOpen   CycleStatus = "open"
	CycleClosed CycleStatus = "closed"
)

// CycleFormStatuses are the states a cycle is opened or edited into; it is
// closed by a step of its own.
var CycleFormStatuses = []CycleStatus{CycleDraft, CycleOpen}

// ErrCycleClosed refuses a change to a closed cycle. It is a conflict: the
// page the admin acted on no longer matches the cycle.
var ErrCycleClosed = fmt.Errorf("reporting cycle is closed: %w", ErrConflict)

// Cycle is one reporting cycle: "work of ReviewYear, plans for PlanYear".
type Cycle struct {
	ID         int64
	ReviewYear int
	PlanYear   int // always ReviewYear + 1
	OpensOn    time.Time
	Deadline   time.Time
	Status     CycleStatus
	// The session the cycle is tied to (sessions.cycle_id); 0 when none.
	SessionID      int64
	SessionTitleZH string
	SessionTitleEN string
	ExtensionCount int
	Version        int
}

// Closed reports whether the cycle takes no further submissions or edits.
func (c Cycle) Closed() bool { return c.Status == CycleClosed }

// AuditFields are the cycle's fields as the audit log records them.
func (c Cycle) AuditFields() map[string]any {
	return map[string]any{
		"review_year": c.ReviewYear, "plan_year": c.PlanYear,
		"opens_on": dateString(c.OpensOn), "deadline": dateString(c.Deadline),
		"status": string(c.Status), "session_id": c.SessionID,
	}
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// CycleSessionOption is a session a cycle may be tied to.
type CycleSessionOption struct {
	ID      int64
	TitleZH string
	TitleEN string
	HeldOn  time.Time
}

// Extension is a later deadline granted to one NGO in one cycle.
type Extension struct {
	CycleID        int64
	NGOID          int64
	NGONameZH      string
	NGONameEN      string
	Deadline       time.Time
	Reason         string
	CreatedByEmail string
	CreatedAt      time.Time
}

// EffectiveDeadline is the last day an NGO may submit: the cycle's deadline,
// or the NGO's extension when it has one (nil: none). An extension never
// shortens the time an NGO has: should the cycle's own deadline later move
// past it, the cycle's wins.
func EffectiveDeadline(cycleDeadline time.Time, extension *time.Time) time.Time {
	if extension != nil && extension.After(cycleDeadline) {
		return *extension
	}
	return cycleDeadline
}

// DeadlinePassed reports whether now is after the whole of the deadline day,
// in the federation's time zone.
func DeadlinePassed(deadline, now time.Time) bool {
	end := time.Date(deadline.Year(), deadline.Month(), deadline.Day(), 0, 0, 0, 0, FederationZone).AddDate(0, 0, 1)
	return !now.Before(end)
}

// Bounds of a cycle's review year, as the database checks them.
const (
	MinReviewYear = 1949
	MaxReviewYear = 2200
)

// Validate checks the cycle's own rules, returning field name → message
// key: the review year within the bounds the database checks, the deadline
// not before the opening day.
func (c Cycle) Validate() map[string]string {
	errs := map[string]string{}
	if c.ReviewYear < MinReviewYear || c.ReviewYear > MaxReviewYear {
		errs["review_year"] = "cycle.err.review_year_range"
	}
	if c.Deadline.Before(c.OpensOn) {
		errs["deadline"] = "cycle.err.deadline_before_opening"
	}
	return errs
}

// MaxExtensionReason bounds an extension's reason, in characters.
const MaxExtensionReason = 500

// Validate checks the extension against its cycle's own deadline,
// returning field name → message key: it must be later, and its reason at
// most MaxExtensionReason characters.
func (e Extension) Validate(cycleDeadline time.Time) map[string]string {
	errs := map[string]string{}
	if !e.Deadline.After(cycleDeadline) {
		errs["deadline"] = "cycle.err.extension_not_later"
	}
	if utf8.RuneCountInString(e.Reason) > MaxExtensionReason {
		errs["reason"] = "cycle.err.reason_too_long"
	}
	return errs
}

// AuditFields are the extension's fields as the audit log records them.
func (e Extension) AuditFields() map[string]any {
	return map[string]any{"ngo_id": e.NGOID, "extended_to": dateString(e.Deadline), "reason": e.Reason}
}
