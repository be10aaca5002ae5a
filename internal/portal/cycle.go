package portal

import (
	"fmt"
	"strconv"
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

// CycleFormStatuses are the states the cycle form offers.
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

// CycleForm is the cycle form as submitted, every value as typed.
type CycleForm struct {
	ReviewYear string
	OpensOn    string // yyyy-mm-dd
	Deadline   string // yyyy-mm-dd
	Session    string // session id, or "" for none
	Status     string
	Version    int
}

// CycleFormFrom fills the form from a saved cycle.
func CycleFormFrom(c Cycle) CycleForm {
	f := CycleForm{ReviewYear: strconv.Itoa(c.ReviewYear), OpensOn: dateString(c.OpensOn),
		Deadline: dateString(c.Deadline), Status: string(c.Status), Version: c.Version}
	if c.SessionID != 0 {
		f.Session = strconv.FormatInt(c.SessionID, 10)
	}
	return f
}

// Normalize cleans every value; the parse function calls it.
func (f *CycleForm) Normalize() {
	for _, p := range []*string{&f.ReviewYear, &f.OpensOn, &f.Deadline, &f.Session, &f.Status} {
		*p = CleanText(*p)
	}
}

// PlanYear is the plan year the typed review year implies, or 0.
func (f CycleForm) PlanYear() int {
	y, err := strconv.Atoi(f.ReviewYear)
	if err != nil || y < MinReviewYear || y > MaxReviewYear {
		return 0
	}
	return y + 1
}

// Validate checks the form, returning field name → message key. sessions
// are the ids of the sessions the form offered.
func (f CycleForm) Validate(sessions map[int64]bool) map[string]string {
	errs := map[string]string{}
	switch y, err := strconv.Atoi(f.ReviewYear); {
	case f.ReviewYear == "":
		errs["review_year"] = "cycle.err.review_year_required"
	case err != nil || strconv.Itoa(y) != f.ReviewYear:
		errs["review_year"] = "cycle.err.review_year_invalid"
	case y < MinReviewYear || y > MaxReviewYear:
		errs["review_year"] = "cycle.err.review_year_range"
	}
	opens, opensErr := time.Parse(time.DateOnly, f.OpensOn)
	switch {
	case f.OpensOn == "":
		errs["opens_on"] = "cycle.err.opens_on_required"
	case opensErr != nil:
		errs["opens_on"] = "cycle.err.date_invalid"
	}
	deadline, err := time.Parse(time.DateOnly, f.Deadline)
	switch {
	case f.Deadline == "":
		errs["deadline"] = "cycle.err.deadline_required"
	case err != nil:
		errs["deadline"] = "cycle.err.date_invalid"
	case opensErr == nil && deadline.Before(opens):
		errs["deadline"] = "cycle.err.deadline_before_opening"
	}
	if f.Session != "" {
		if id, ok := parseID(f.Session); !ok || !sessions[id] {
			errs["session"] = "cycle.err.session_invalid"
		}
	}
	if f.Status != string(CycleDraft) && f.Status != string(CycleOpen) {
		errs["status"] = "cycle.err.status_invalid"
	}
	return errs
}

// Cycle returns the cycle the form describes. Call it only on a form that
// passed Validate.
func (f CycleForm) Cycle() Cycle {
	c := Cycle{Status: CycleStatus(f.Status), Version: f.Version}
	c.ReviewYear, _ = strconv.Atoi(f.ReviewYear)
	c.PlanYear = c.ReviewYear + 1
	c.OpensOn, _ = time.Parse(time.DateOnly, f.OpensOn)
	c.Deadline, _ = time.Parse(time.DateOnly, f.Deadline)
	c.SessionID, _ = parseID(f.Session)
	return c
}

// MaxExtensionReason bounds an extension's reason, in characters.
const MaxExtensionReason = 500

// ExtensionForm grants one NGO a later deadline, as submitted.
type ExtensionForm struct {
	NGO      string // NGO id
	Deadline string // yyyy-mm-dd
	Reason   string
}

// Normalize cleans every value; the parse function calls it.
func (f *ExtensionForm) Normalize() {
	for _, p := range []*string{&f.NGO, &f.Deadline, &f.Reason} {
		*p = CleanText(*p)
	}
}

// Validate checks the form against the cycle's own deadline and the NGOs
// offered, returning field name → message key.
func (f ExtensionForm) Validate(cycleDeadline time.Time, ngos map[int64]bool) map[string]string {
	errs := map[string]string{}
	if f.NGO == "" {
		errs["ngo"] = "cycle.err.ngo_required"
	} else if id, ok := parseID(f.NGO); !ok || !ngos[id] {
		errs["ngo"] = "cycle.err.ngo_invalid"
	}
	d, err := time.Parse(time.DateOnly, f.Deadline)
	switch {
	case f.Deadline == "":
		errs["deadline"] = "cycle.err.deadline_required"
	case err != nil:
		errs["deadline"] = "cycle.err.date_invalid"
	case !d.After(cycleDeadline):
		errs["deadline"] = "cycle.err.extension_not_later"
	}
	switch {
	case f.Reason == "":
		errs["reason"] = "cycle.err.reason_required"
	case utf8.RuneCountInString(f.Reason) > MaxExtensionReason:
		errs["reason"] = "cycle.err.reason_too_long"
	}
	return errs
}

// Extension returns the extension the form describes for cycle id. Call it
// only on a form that passed Validate.
func (f ExtensionForm) Extension(cycleID int64) Extension {
	e := Extension{CycleID: cycleID, Reason: f.Reason}
	e.NGOID, _ = parseID(f.NGO)
	e.Deadline, _ = time.Parse(time.DateOnly, f.Deadline)
	return e
}

// AuditFields are the extension's fields as the audit log records them.
func (e Extension) AuditFields() map[string]any {
	return map[string]any{"ngo_id": e.NGOID, "extended_to": dateString(e.Deadline), "reason": e.Reason}
}
