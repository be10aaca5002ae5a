package portal

import (
	"strings"
	"testing"
	"time"
)

func TestCheckinOpen(t *testing.T) {
	heldOn := time.Date(2027, 1, 8, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		status SessionStatus
		now    time.Time
		want   bool
	}{
		{"scheduled, the evening before in Shanghai", SessionScheduled, time.Date(2027, 1, 7, 15, 59, 0, 0, time.UTC), false},
		{"scheduled, just after midnight in Shanghai", SessionScheduled, time.Date(2027, 1, 7, 16, 0, 0, 0, time.UTC), true},
		{"scheduled, the last minute of the day", SessionScheduled, time.Date(2027, 1, 8, 15, 59, 0, 0, time.UTC), true},
		{"scheduled, the day after", SessionScheduled, time.Date(2027, 1, 8, 16, 0, 0, 0, time.UTC), false},
		{"held, weeks later", SessionHeld, time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), true},
		{"draft, on the day", SessionDraft, time.Date(2027, 1, 8, 2, 0, 0, 0, time.UTC), false},
	}
	for _, c := range cases {
		if got := CheckinOpen(c.status, heldOn, c.now); got != c.want {
			t.Errorf("%s: CheckinOpen = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestCheckInValidate(t *testing.T) {
	cases := []struct {
		in   CheckIn
		want string
	}{
		{CheckIn{Attendance: AttendancePresent}, ""},
		{CheckIn{Attendance: AttendanceAbsent}, ""},
		{CheckIn{Attendance: AttendanceExcused}, "invitation.error.excuse_reason_required"},
		{CheckIn{Attendance: AttendanceExcused, ExcuseReason: "外出参加培训"}, ""},
		{CheckIn{Attendance: AttendanceExcused, ExcuseReason: strings.Repeat("因", MaxReasonLen+1)}, "invitation.error.reason_too_long"},
	}
	for _, c := range cases {
		if got := c.in.Validate()["excuse_reason"]; got != c.want {
			t.Errorf("%+v: excuse_reason %q, want %q", c.in.Attendance, got, c.want)
		}
	}
}
