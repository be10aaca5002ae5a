package portal

import (
	"strconv"
	"unicode/utf8"
)

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

// RequestUse is how the NGOs' reports refer to a request: the reports that
// list it for an answer (with an answer written or not yet) and the plan
// items linked to it. A request in use cannot be deleted: the answers would
// lose what they answer.
type RequestUse struct {
	Reports   int // reports listing the request to answer
	Answered  int // of those, the reports whose answer is written
	PlanItems int // plan items linked to the request (of reports or addenda)
	// NGOs' answers to the request given since the session (stored answers:
	// "nothing planned", or who answered with items and when), and the
	// items of plan addenda linked to it.
	Responses     int
	AddendumItems int
}

// InUse reports whether any report, answer or addendum refers to the
// request.
func (u RequestUse) InUse() bool {
	return u.Reports > 0 || u.PlanItems > 0 || u.Responses > 0 || u.AddendumItems > 0
}

// The bounds of a request: its number within a session, and the longest
// text, in characters, in either language (the table checks the same
// length).
const (
	MinRequestNumber  = 1
	MaxRequestNumber  = 999
	MaxRequestTextLen = 2000
)

// Validate checks the request's own rules, returning field name → message
// key: a number from MinRequestNumber to MaxRequestNumber and texts of at
// most MaxRequestTextLen characters. Whether its official and NGOs may be
// named depends on the session, and is checked against what the form
// offered and, for the NGOs, by the repository.
func (r Request) Validate() map[string]string {
	errs := map[string]string{}
	if r.Number < MinRequestNumber || r.Number > MaxRequestNumber {
		errs["number"] = "request.error.number_invalid"
	}
	if utf8.RuneCountInString(r.TextZH) > MaxRequestTextLen {
		errs["text_zh"] = "request.error.text_too_long"
	}
	if utf8.RuneCountInString(r.TextEN) > MaxRequestTextLen {
		errs["text_en"] = "request.error.text_too_long"
	}
	return errs
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
