package portal

import "strconv"

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
