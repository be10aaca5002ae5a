package portal

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// NGOs answering the chair's requests after a session: the date the
// federation sets, an NGO's extension, the answers ("nothing planned", with
// a reason) and the plan addendum's items.

// Bounds of the answers, as the database checks them.
const (
	MaxResponseReason          = 1000 // request_responses.reason
	MaxResponseExtensionReason = 500  // response_extensions.reason
)

// Audit actions and object type of the answers to the chair's requests.
// An answer is recorded on the request it answers (object "request", with
// the NGO); an addendum item on the NGO's plan addendum.
const (
	AuditResponsesDueSet     = "response.due_set"
	AuditResponseSaved       = "response.saved"
	AuditResponseReminded    = "response.reminded"
	AuditResponseExtended    = "response.extended"
	AuditAddendumItemAdded   = "addendum.item_added"
	AuditAddendumItemUpdated = "addendum.item_updated"
	AuditAddendumItemRemoved = "addendum.item_removed"
	AuditObjectPlanAddendum  = "plan_addendum"
)

// The answers' actions join the audit page's filter here rather than in
// audit.go's list, so that this feature's actions stay in its own file.
func init() {
	AuditActions = append(AuditActions, []string{
		AuditResponsesDueSet, AuditResponseSaved, AuditResponseReminded, AuditResponseExtended,
		AuditAddendumItemAdded, AuditAddendumItemUpdated, AuditAddendumItemRemoved,
	}...)
}

// Errors of the answers.
var (
	// ErrResponsesClosed: the NGO's date for answering has passed; it may
	// ask the federation for an extension.
	ErrResponsesClosed = fmt.Errorf("the date for answering has passed: %w", ErrForbidden)
	// ErrOutcomeOnRecord: a plan item cannot be removed because next year's
	// report gives its outcome (an answer written, or the report submitted).
	ErrOutcomeOnRecord = fmt.Errorf("the item's outcome is on record: %w", ErrConflict)
	// ErrResponsesDueNotSettable: the session is not held or closed, or has
	// no requests, so there is nothing to ask answers to.
	ErrResponsesDueNotSettable = fmt.Errorf("answers cannot be asked for this session: %w", ErrForbidden)
)

// ResponsesDueSettable reports whether the federation may ask the NGOs to
// answer a session's requests: once the session is held (or closed) and has
// requests.
func ResponsesDueSettable(s SessionStatus, requests int) bool {
	return (s == SessionHeld || s == SessionClosed) && requests > 0
}

// EffectiveResponseDue is the day by which an NGO answers: the session's
// date, or the NGO's extension when it is later.
func EffectiveResponseDue(sessionDue time.Time, extension *time.Time) time.Time {
	if extension != nil && extension.After(sessionDue) {
		return *extension
	}
	return sessionDue
}

// ResponsesOpen reports whether an NGO whose date is due may still answer
// at now: until the end of that day in the federation's time zone.
func ResponsesOpen(due, now time.Time) bool { return !DeadlinePassed(due, now) }

// ResponseTask is what an NGO's home shows for one session whose requests
// it is asked to answer.
type ResponseTask struct {
	SessionID    int64
	TitleZH      string
	TitleEN      string
	DueOn        time.Time // the NGO's effective date
	Extended     bool      // DueOn is the NGO's extension
	Addressed    int       // requests addressed to the NGO
	Answered     int       // of those, answered (planned or nothing)
	LastReminder time.Time // zero when never reminded
}

// Done reports whether every request addressed to the NGO is answered.
func (t ResponseTask) Done() bool { return t.Answered >= t.Addressed }

// Overdue reports whether the date has passed with requests unanswered.
func (t ResponseTask) Overdue(now time.Time) bool { return !t.Done() && DeadlinePassed(t.DueOn, now) }

// NothingPlanned is an NGO's answer that it plans nothing for a request.
type NothingPlanned struct {
	Reason string
}

// Validate returns field name → message key: a reason is required, of at
// most MaxResponseReason characters.
func (n NothingPlanned) Validate() map[string]string {
	errs := map[string]string{}
	switch {
	case strings.TrimSpace(n.Reason) == "":
		errs["reason"] = "response.error.reason_required"
	case utf8.RuneCountInString(n.Reason) > MaxResponseReason:
		errs["reason"] = "response.error.reason_too_long"
	}
	return errs
}

// ResponseExtension is a later date for one NGO to answer a session's
// requests.
type ResponseExtension struct {
	DueOn  time.Time
	Reason string
}

// Validate returns field name → message key: the date must come after the
// session's date sessionDue; the reason is optional, of at most
// MaxResponseExtensionReason characters.
func (e ResponseExtension) Validate(sessionDue time.Time) map[string]string {
	errs := map[string]string{}
	if !e.DueOn.IsZero() && !e.DueOn.After(sessionDue) {
		errs["due_on"] = "response.error.extension_not_later"
	}
	if utf8.RuneCountInString(e.Reason) > MaxResponseExtensionReason {
		errs["reason"] = "response.error.reason_too_long"
	}
	return errs
}

// ValidateAddendumItem checks a plan item of a plan addendum by the rules of
// a report's plan item (Report.Validate), with its title required, since an
// addendum item is added on its own rather than drafted. Keys are the
// field names: title, description, quarter, key_project, themes, requests.
func ValidateAddendumItem(p PlanItem) map[string]string {
	errs := map[string]string{}
	prefix := RowField("plan_items", 0, "")
	for k, msg := range (Report{ReportContent: ReportContent{PlanItems: []PlanItem{p}}}).Validate() {
		if name, ok := strings.CutPrefix(k, prefix); ok {
			errs[name] = msg
		}
	}
	if strings.TrimSpace(p.Title) == "" {
		errs["title"] = "response.error.title_required"
	}
	return errs
}

// AddendumItem is a plan item of a plan addendum.
type AddendumItem struct{ PlanItem }

// AuditFields are an addendum item's fields as the audit log records them.
func (p AddendumItem) AuditFields() map[string]any {
	return map[string]any{
		"title":          p.Title,
		"description":    p.Description,
		"quarter":        p.Quarter,
		"key_project_id": p.KeyProjectID,
		"theme_ids":      idStrings(p.ThemeIDs),
		"request_ids":    idStrings(p.RequestIDs),
	}
}

func idStrings(ids []int64) []string {
	out := []string{}
	for _, id := range ids {
		out = append(out, fmt.Sprint(id))
	}
	return out
}

// RequestResponseCount is one request of a session with how its addressees
// stand.
type RequestResponseCount struct {
	Request
	Addressed, Planned, Nothing, None int
}

// ResponseFilter narrows the admin's overview of a session's answers.
type ResponseFilter struct {
	NGOID     int64          // 0: every addressed NGO
	RequestID int64          // 0: every request
	Status    ResponseStatus // "": any; else NGOs with an answer in this status (to RequestID, or to any request)
	Page      int            // from 1
}

// LinkedItem is a plan item linked to a request, as the overview shows it.
type LinkedItem struct {
	ID       int64
	Title    string
	Addendum bool // an item of the plan addendum, not of the report
}

// ResponseCell is one NGO's answer to one request.
type ResponseCell struct {
	RequestID int64
	Number    int
	Status    ResponseStatus
	Reason    string // when nothing is planned
	Items     []LinkedItem
}

// NGOResponses is one addressed NGO's row of the overview.
type NGOResponses struct {
	NGOID           int64
	NameZH, NameEN  string
	DueOn           time.Time // the NGO's effective date; zero when answers are not asked for
	Extended        bool
	ExtensionReason string
	LastReminder    time.Time // zero when never reminded
	Reminders       int
	Cells           []ResponseCell // by request number
}

// ResponsePage is a page of the overview's NGO rows.
type ResponsePage struct {
	Total int // NGOs matching the filter
	Rows  []NGOResponses
}

// StaffAnswer is the NGO's current answer to one request.
type StaffAnswer struct {
	Status      ResponseStatus
	Reason      string
	Version     int // 0 when never answered
	RespondedAt time.Time
	ItemIDs     []int64 // the NGO's plan items linked to the request
}

// StaffResponses is what an NGO's page of answers to a session's requests
// shows.
type StaffResponses struct {
	SessionDue      time.Time // the session's date
	DueOn           time.Time // the NGO's effective date
	Extended        bool
	ExtensionReason string
	LastReminder    time.Time
	Requests        []Request // addressed to the NGO, by number
	Answers         map[int64]StaffAnswer
	ReportID        int64 // the NGO's report of the session's cycle; 0 when none
	ReportStatus    ReportStatus
	ReportItems     []PlanItem
	AddendumVersion int // 0 when the NGO has no addendum yet
	AddendumItems   []PlanItem
}

// ResponseExtensionOf is an addressed NGO with its extension, for the
// extension form.
type ResponseExtensionOf struct {
	NGOID          int64
	NameZH, NameEN string
	SessionDue     time.Time
	DueOn          *time.Time // the extension; nil when none
	Reason         string
}

// Answered is how many of the NGO's requests are answered.
func (n NGOResponses) Answered() int {
	k := 0
	for _, c := range n.Cells {
		if c.Status != ResponseNone {
			k++
		}
	}
	return k
}

// ResponsesPageSize is how many NGOs a page of the overview lists.
const ResponsesPageSize = 100
