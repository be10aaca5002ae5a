package notify

import (
	"strings"
	"time"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
)

// reminderArgs are the template values of the schedule's messages, in t's
// language: the deadline's Date (8 January 2027, 2027年1月8日) and Time,
// When it falls (today, tomorrow, in 7 days) and, for a digest, the
// Summary of what changed. Empty for the other kinds' notices.
func reminderArgs(t i18n.Translator, p portal.NotificationParams) []any {
	if p.Date == "" && len(p.Counts) == 0 {
		return nil
	}
	var date string
	if d, err := time.Parse(time.DateOnly, p.Date); err == nil {
		date = t.Date(d)
	}
	var when string
	switch p.Days {
	case 0:
		when = t.T("notification.due.today")
	case 1:
		when = t.T("notification.due.tomorrow")
	default:
		when = t.T("notification.due.in_days", "Days", p.Days)
	}
	var parts []string
	for _, k := range portal.DigestItems {
		if n := p.Counts[k]; n > 0 {
			parts = append(parts, t.T("notification.digest."+k, "Count", n))
		}
	}
	return []any{"Date", date, "Time", p.Time, "When", when, "Summary", strings.Join(parts, t.T("notification.digest.separator"))}
}
