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

// CheckinState is why check-in is or is not open for a session now.
type CheckinState string

// Check-in states, as the check-in page explains them.
const (
	CheckinIsOpen       CheckinState = "open"
	CheckinBeforeTheDay CheckinState = "before"      // scheduled, its day still to come
	CheckinDayPassed    CheckinState = "after"       // scheduled, its day gone without being marked held
	CheckinClosed       CheckinState = "closed"      // the session is closed: attendance is final
	CheckinNotScheduled CheckinState = "unscheduled" // a draft or a cancelled session
)

// CheckinStateOf says whether attendance may be recorded for a session in
// status, held on heldOn, at now, and if not, why. It agrees with
// CheckinOpen: the state is CheckinIsOpen exactly when CheckinOpen is true.
func CheckinStateOf(status SessionStatus, heldOn, now time.Time) CheckinState {
	if CheckinOpen(status, heldOn, now) {
		return CheckinIsOpen
	}
	switch status {
	case SessionScheduled:
		if heldOn.Format(time.DateOnly) > now.In(FederationZone).Format(time.DateOnly) {
			return CheckinBeforeTheDay
		}
		return CheckinDayPassed
	case SessionClosed:
		return CheckinClosed
	default:
		return CheckinNotScheduled
	}
}

// MaxWalkIns is how many walk-in representatives one NGO may have at a
// session, besides the MaxRepresentatives it named.
const MaxWalkIns = 3

// WalkIn is a person who came for an invited NGO on the day without being
// named in its reply, as check-in records them. The name is required; the
// title and mobile are optional (a person at the door may not give a
// number), but a mobile that is given must be a mainland number like a
// named representative's, or it could not be used to reach them.
type WalkIn struct {
	Name   string
	Title  string
	Mobile string
}

// Validate checks a walk-in on its own, returning field → message key
// (fields walkin_name, walkin_title, walkin_mobile).
func (w WalkIn) Validate() map[string]string {
	errs := map[string]string{}
	switch {
	case w.Name == "":
		errs["walkin_name"] = "invitation.error.rep_name_required"
	case utf8.RuneCountInString(w.Name) > MaxRepresentativeNameLen:
		errs["walkin_name"] = "invitation.error.rep_name_too_long"
	}
	if utf8.RuneCountInString(w.Title) > MaxRepresentativeTitleLen {
		errs["walkin_title"] = "invitation.error.rep_title_too_long"
	}
	if w.Mobile != "" && !mainlandMobile.MatchString(w.Mobile) {
		errs["walkin_mobile"] = "invitation.error.rep_mobile_invalid"
	}
	return errs
}

// CheckAgainst checks a walk-in against the people already recorded for
// the NGO: no more than MaxWalkIns walk-ins, and not a person already on
// the list by name or mobile (a named representative is ticked as present
// instead).
func (w WalkIn) CheckAgainst(reps []Representative) map[string]string {
	errs := map[string]string{}
	walkIns := 0
	for _, r := range reps {
		if r.WalkIn {
			walkIns++
		}
		if r.Name == w.Name {
			errs["walkin_name"] = "invitation.error.walkin_already_listed"
		}
		if w.Mobile != "" && r.Mobile == w.Mobile {
			errs["walkin_mobile"] = "invitation.error.rep_mobile_duplicate_listed"
		}
	}
	if walkIns >= MaxWalkIns {
		return map[string]string{"walkin_name": "invitation.error.walkin_limit"}
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
