package portal

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// AudienceKind is how an admin chooses the NGOs a message goes to: a group
// computed from the data when the message is sent, or NGOs ticked by hand.
type AudienceKind string

// The ways of choosing a message's NGOs.
const (
	AudienceAll      AudienceKind = "all"       // every active NGO
	AudienceNoReport AudienceKind = "no_report" // active NGOs without a submitted report in an open cycle (Ref)
	AudienceNoReply  AudienceKind = "no_reply"  // NGOs invited to a scheduled session (Ref) that have not replied
	AudienceNoAnswer AudienceKind = "no_answer" // NGOs that have not answered every request of a session (Ref) addressed to them
	AudienceChosen   AudienceKind = "chosen"    // the active NGOs ticked on the form
)

// Audience is the NGOs a message goes to, as the admin chose them.
type Audience struct {
	Kind   AudienceKind
	Ref    int64   // the cycle or session of a group; 0 for all and chosen
	NGOIDs []int64 // the ticked NGOs, for chosen only
}

// String is the audience as the form and the message's record write it:
// "all", "chosen", "no_report:12".
func (a Audience) String() string {
	if a.Ref != 0 {
		return string(a.Kind) + ":" + strconv.FormatInt(a.Ref, 10)
	}
	return string(a.Kind)
}

// ParseAudience reads an audience as String writes it (without the ticked
// NGOs); false when it is none of them.
func ParseAudience(s string) (Audience, bool) {
	kind, ref, hasRef := strings.Cut(s, ":")
	a := Audience{Kind: AudienceKind(kind)}
	switch a.Kind {
	case AudienceAll, AudienceChosen:
		return a, !hasRef
	case AudienceNoReport, AudienceNoReply, AudienceNoAnswer:
		id, err := strconv.ParseInt(ref, 10, 64)
		if !hasRef || err != nil || id <= 0 || strconv.FormatInt(id, 10) != ref {
			return Audience{}, false
		}
		a.Ref = id
		return a, true
	}
	return Audience{}, false
}

// AudienceOption is one group the form offers, with what it is about: an
// open cycle's year under review, or a session's titles.
type AudienceOption struct {
	Audience
	Year      int
	SessionZH string
	SessionEN string
}

// The limits of a message's fields.
const (
	MessageSubjectMax = 200
	MessageBodyMax    = 20000
)

// MessageDraft is a message as the admin wrote it, before it is sent.
type MessageDraft struct {
	Subject  string
	Body     string // Markdown
	Audience Audience
}

// Validate returns the draft's problems by field (subject, body, audience,
// ngos) as message keys. Whether a group holds any NGO is known only to the
// database.
func (d MessageDraft) Validate() map[string]string {
	errs := map[string]string{}
	switch n := utf8.RuneCountInString(d.Subject); {
	case strings.TrimSpace(d.Subject) == "":
		errs["subject"] = "message.error.subject_required"
	case n > MessageSubjectMax:
		errs["subject"] = "message.error.subject_long"
	}
	switch n := utf8.RuneCountInString(d.Body); {
	case strings.TrimSpace(d.Body) == "":
		errs["body"] = "message.error.body_required"
	case n > MessageBodyMax:
		errs["body"] = "message.error.body_long"
	}
	if d.Audience.Kind == "" {
		errs["audience"] = "message.error.audience_required"
	}
	if d.Audience.Kind == AudienceChosen && len(d.Audience.NGOIDs) == 0 {
		errs["ngos"] = "message.error.ngos_required"
	}
	return errs
}

// AdminMessage is a message sent to NGOs, as its pages show it.
type AdminMessage struct {
	ID         int64
	Subject    string
	Body       string // Markdown
	Audience   string // as chosen: Audience.String()
	SentByName string
	SentAt     time.Time
	Recipients int   // how many NGOs it went to
	NGOs       []NGO // their names, on the admin's page of one message
}

// Audit actions and object type of admins' messages.
const (
	AuditMessageSent   = "message.sent"
	AuditObjectMessage = "admin_message"
)

func init() {
	AuditActions = append(AuditActions, AuditMessageSent)
}
