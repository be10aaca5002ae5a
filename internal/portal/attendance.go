package portal

import (
	"time"
	"unicode/utf8"
)

// Attendance is whether an invited NGO came.
type Attendance string

// Attendance values; unknown until check-in.
const (
	AttendanceUnknown Attendance = "unknown"
	AttendancePresent Attendance = "present"
	AttendanceAbsent  Attendance = "absent"
	AttendanceExcused Attendance = "excused"
)

// CheckIn is what the check-in page records for one invited NGO.
type CheckIn struct {
	Attendance   Attendance
	ExcuseReason string  // required when Attendance is excused
	Present      []int64 // ids of the named representatives who came
}

// Validate checks a check-in, returning field → message key: an excused
// absence needs its reason, within MaxReasonLen.
func (c CheckIn) Validate() map[string]string {
	errs := map[string]string{}
	if c.Attendance == AttendanceExcused {
		switch {
		case c.ExcuseReason == "":
			errs["excuse_reason"] = "invitation.error.excuse_reason_required"
		case utf8.RuneCountInString(c.ExcuseReason) > MaxReasonLen:
			errs["excuse_reason"] = "invitation.error.reason_too_long"
		}
	}
	return errs
}

// CheckinOpen reports whether attendance may be recorded for a session in
// status, held on heldOn, at now: on the session's day in the federation's
// time zone while it is scheduled, and any time once it is held
// (corrections until it is closed).
func CheckinOpen(status SessionStatus, heldOn, now time.Time) bool {
	if status == SessionHeld {
		return true
	}
	return status == SessionScheduled && heldOn.Format(time.DateOnly) == now.In(FederationZone).Format(time.DateOnly)
}
