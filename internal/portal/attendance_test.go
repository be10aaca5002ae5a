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

func TestCheckinStateOf(t *testing.T) {
	heldOn := time.Date(2027, 1, 8, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		status SessionStatus
		now    time.Time
		want   CheckinState
	}{
		{"scheduled, the evening before in Shanghai", SessionScheduled, time.Date(2027, 1, 7, 15, 59, 0, 0, time.UTC), CheckinBeforeTheDay},
		{"scheduled, on the day", SessionScheduled, time.Date(2027, 1, 7, 16, 0, 0, 0, time.UTC), CheckinIsOpen},
		{"scheduled, the day after", SessionScheduled, time.Date(2027, 1, 8, 16, 0, 0, 0, time.UTC), CheckinDayPassed},
		{"held, weeks later", SessionHeld, time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), CheckinIsOpen},
		{"closed", SessionClosed, time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), CheckinClosed},
		{"draft, on the day", SessionDraft, time.Date(2027, 1, 8, 2, 0, 0, 0, time.UTC), CheckinNotScheduled},
		{"cancelled, on the day", SessionCancelled, time.Date(2027, 1, 8, 2, 0, 0, 0, time.UTC), CheckinNotScheduled},
	}
	for _, c := range cases {
		if got := CheckinStateOf(c.status, heldOn, c.now); got != c.want {
			t.Errorf("%s: CheckinStateOf = %q, want %q", c.name, got, c.want)
		}
		if open := CheckinOpen(c.status, heldOn, c.now); open != (c.want == CheckinIsOpen) {
			t.Errorf("%s: CheckinOpen = %v, state %q", c.name, open, c.want)
		}
	}
}

func TestWalkInValidate(t *testing.T) {
	named := []Representative{{Name: "李华", Mobile: "13912345678"}}
	walkIns := []Representative{{Name: "甲", WalkIn: true}, {Name: "乙", WalkIn: true}, {Name: "丙", WalkIn: true}}
	cases := []struct {
		name  string
		in    WalkIn
		reps  []Representative
		field string
		want  string
	}{
		{"OKNameOnly", WalkIn{Name: "张敏"}, named, "", ""},
		{"OKWithMobile", WalkIn{Name: "张敏", Title: "志愿者", Mobile: "13712345678"}, named, "", ""},
		{"ErrNameRequired", WalkIn{Title: "志愿者"}, nil, "walkin_name", "invitation.error.rep_name_required"},
		{"ErrNameTooLong", WalkIn{Name: strings.Repeat("张", MaxRepresentativeNameLen+1)}, nil, "walkin_name", "invitation.error.rep_name_too_long"},
		{"ErrTitleTooLong", WalkIn{Name: "张敏", Title: strings.Repeat("职", MaxRepresentativeTitleLen+1)}, nil, "walkin_title", "invitation.error.rep_title_too_long"},
		{"ErrMobileInvalid", WalkIn{Name: "张敏", Mobile: "1234"}, nil, "walkin_mobile", "invitation.error.rep_mobile_invalid"},
		{"ErrAlreadyNamed", WalkIn{Name: "李华"}, named, "walkin_name", "invitation.error.walkin_already_listed"},
		{"ErrMobileOfANamedOne", WalkIn{Name: "张敏", Mobile: "13912345678"}, named, "walkin_mobile", "invitation.error.rep_mobile_duplicate_listed"},
		{"ErrLimit", WalkIn{Name: "丁"}, walkIns, "walkin_name", "invitation.error.walkin_limit"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			errs := c.in.Validate()
			for k, v := range c.in.CheckAgainst(c.reps) {
				errs[k] = v
			}
			if c.field == "" {
				if len(errs) > 0 {
					t.Errorf("errors %v, want none", errs)
				}
				return
			}
			if errs[c.field] != c.want {
				t.Errorf("%s = %q, want %q (all: %v)", c.field, errs[c.field], c.want, errs)
			}
		})
	}
}
