package portal

import (
	"strconv"
	"time"
)

// NotificationKind names what a notification is about; its message is
// "notification.kind.<kind>" in the catalogues.
type NotificationKind string

// The kinds of notification the portal sends so far, each to one role.
const (
	NotifyReportSubmitted    NotificationKind = "report_submitted"
	NotifyReportResubmitted  NotificationKind = "report_resubmitted"
	NotifyReportReturned     NotificationKind = "report_returned"
	NotifyReportAccepted     NotificationKind = "report_accepted"
	NotifyInvitationDeclined NotificationKind = "invitation_declined"

	// What the federation does that concerns an NGO (migration 00021).
	NotifySessionInvited   NotificationKind = "session_invited"
	NotifyRequestAddressed NotificationKind = "request_addressed"
	NotifyResponseReminded NotificationKind = "response_reminded"
	NotifyAdminMessage     NotificationKind = "admin_message"
)

// NotificationKinds lists every kind, in the order the preferences page
// shows them, with the role each concerns (RoleAdmin: the federation's
// officials, admins and reviewers). The database's
// notification_kinds holds the same rows.
var NotificationKinds = []struct {
	Kind     NotificationKind
	Audience Role
}{
	{NotifyReportSubmitted, RoleAdmin},
	{NotifyReportResubmitted, RoleAdmin},
	{NotifyInvitationDeclined, RoleAdmin},
	{NotifyDailyDigest, RoleAdmin},
	{NotifyReportReturned, RoleStaff},
	{NotifyReportAccepted, RoleStaff},
	{NotifySessionInvited, RoleStaff},
	{NotifyRequestAddressed, RoleStaff},
	{NotifyResponseReminded, RoleStaff},
	{NotifyAdminMessage, RoleStaff},
	{NotifyCycleOpened, RoleStaff},
	{NotifyReportDue, RoleStaff},
	{NotifyReportOverdue, RoleStaff},
	{NotifyReplyDue, RoleStaff},
}

// KindsFor lists the kinds that concern role, in order. The federation's
// kinds (Audience RoleAdmin) concern its reviewers as much as its admins:
// reviewers review the submitted reports and run the sessions' check-in.
func KindsFor(role Role) []NotificationKind {
	if role == RoleReviewer {
		role = RoleAdmin
	}
	var out []NotificationKind
	for _, k := range NotificationKinds {
		if k.Audience == role {
			out = append(out, k.Kind)
		}
	}
	return out
}

// NotificationParams are what a message needs in either language. A kind
// uses those it names; the others stay empty.
type NotificationParams struct {
	NGOZh string `json:"ngo_zh,omitempty"`
	NGOEn string `json:"ngo_en,omitempty"`
	Year  int    `json:"year,omitempty"` // the year under review
	// The session an invitation is to.
	SessionZh string `json:"session_zh,omitempty"`
	SessionEn string `json:"session_en,omitempty"`
	// Days as YYYY-MM-DD (in the federation's zone), shown in the reader's
	// language: the session's date, a deadline, the day a digest tells
	// of; and the day a reply or answer is due.
	Date string `json:"date,omitempty"`
	Due  string `json:"due,omitempty"`
	// An admin's message: its subject, as written.
	Subject string `json:"subject,omitempty"`
	// Reminders and the daily digest (migration 00020): the time of a
	// reply deadline (15:04, federation time), the days that were left,
	// and what a digest counts (keys: DigestItems).
	Time   string       `json:"time,omitempty"`
	Days   int          `json:"days,omitempty"`
	Counts DigestCounts `json:"counts,omitempty"`
}

// Notice is one notification to write: to every recipient, once per
// (recipient, kind, object, occasion).
type Notice struct {
	Kind     NotificationKind
	ObjectID int64
	// Occasion tells apart events that may happen again to the same object
	// (e.g. the report's version after a second return); "" when the event
	// happens once.
	Occasion string
	Params   NotificationParams
	Link     string // a path on this site
}

// VersionOccasion is the occasion of a step that may happen to a report
// more than once (a return, a resubmission): the report's version the step
// made.
func VersionOccasion(version int) string { return "v" + strconv.Itoa(version) }

// Notification is one notice as its recipient reads it.
type Notification struct {
	ID          int64
	RecipientID int64
	Kind        NotificationKind
	ObjectID    int64
	Occasion    string
	Params      NotificationParams
	Link        string
	CreatedAt   time.Time
	ReadAt      time.Time // zero: unread
}

// Unread reports whether the recipient has not read n yet.
func (n Notification) Unread() bool { return n.ReadAt.IsZero() }

// DeliveryStatus is where an email of the outbox stands.
type DeliveryStatus string

// The statuses of an email delivery.
const (
	DeliveryPending DeliveryStatus = "pending"
	DeliverySent    DeliveryStatus = "sent"
	DeliveryFailed  DeliveryStatus = "failed"
	DeliveryLogged  DeliveryStatus = "logged" // rendered and kept: no SMTP server configured
)

// DeliveryStatuses lists every status, for the mail log's filter.
var DeliveryStatuses = []DeliveryStatus{DeliveryPending, DeliverySent, DeliveryFailed, DeliveryLogged}

// Delivery is one email of the outbox, as the mail log shows it.
type Delivery struct {
	ID             int64
	NotificationID int64
	Kind           NotificationKind
	RecipientID    int64
	RecipientName  string
	RecipientEmail string // the account's address now; ToAddress is the one rendered
	Status         DeliveryStatus
	Attempts       int
	NextAttemptAt  time.Time
	LastError      string
	SentAt         time.Time
	ToAddress      string
	Locale         string
	Subject        string
	BodyText       string
	BodyHTML       string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// NotificationPrefs are an account's choices about what the portal sends
// it: the language of its email, and the kinds it wants no email about.
type NotificationPrefs struct {
	Locale   string
	EmailOff map[NotificationKind]bool
	Digest   bool // an admin's opt-in to the daily digest (migration 00020)
}

// Audit actions of notifications and email.
const (
	AuditNotificationPrefs = "notification.preferences_changed"
	AuditMailRetried       = "mail.retried"
	AuditObjectDelivery    = "email_delivery"
)

func init() {
	// Kept beside the constants so that the audit page's filter offers them.
	AuditActions = append(AuditActions, AuditNotificationPrefs, AuditMailRetried)
}
