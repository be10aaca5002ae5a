package portal

// The kinds of notification the schedule writes (migration 00020): the
// reminders NGO staff get before and after their deadlines, the
// announcement of a reporting cycle, and the admins' daily digest.
const (
	NotifyCycleOpened   NotificationKind = "cycle_opened"
	NotifyReportDue     NotificationKind = "report_due"
	NotifyReportOverdue NotificationKind = "report_overdue"
	NotifyReplyDue      NotificationKind = "reply_due"
	NotifyDailyDigest   NotificationKind = "daily_digest"
)

// ReminderRules say when the schedule reminds whom. Days count calendar
// days in the federation's time zone, from today to the deadline's day.
type ReminderRules struct {
	// Days before an NGO's report deadline (the cycle's, or its extension's)
	// at which its staff are reminded, e.g. 14, 7, 1. Empty: no reminders.
	// With d days left the reminder due is the nearest threshold not below
	// d, once: after downtime that let 14 and 7 pass with 3 days left, only
	// the 7 days' is sent, never both.
	ReportDays []int
	// Days before a session's reply deadline at which the staff of an NGO
	// that has not replied are reminded, e.g. 3, 1.
	ReplyDays []int
	// How many days after a missed report deadline its notice may still be
	// sent: a portal that was down longer does not announce old news, and
	// a cycle left open for years does not nag on the first start.
	OverdueWithin int
	// The hour of the day (federation time) from which the daily digest of
	// the day before is written.
	DigestHour int
}

// DefaultReminderRules are the rules without configuration.
func DefaultReminderRules() ReminderRules {
	return ReminderRules{ReportDays: []int{14, 7, 1}, ReplyDays: []int{3, 1}, OverdueWithin: 14, DigestHour: 7}
}

// ReminderRun counts the notices one run of the schedule wrote, by kind.
type ReminderRun map[NotificationKind]int

// Total is the number of notices written.
func (r ReminderRun) Total() int {
	n := 0
	for _, c := range r {
		n += c
	}
	return n
}

// DigestCounts are what changed on one federation day, as the daily digest
// tells it; the keys are DigestItems.
type DigestCounts map[string]int

// DigestItems are the digest's counts in the order it lists them: reports
// submitted, resubmitted, returned and accepted; invitations confirmed and
// declined; the chair's requests answered.
var DigestItems = []string{"submitted", "resubmitted", "returned", "accepted", "confirmed", "declined", "answered"}
