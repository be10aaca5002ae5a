package portal

import (
	"strings"
	"testing"
	"time"
)

func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestCycleFormValidate(t *testing.T) {
	valid := func() CycleForm {
		return CycleForm{ReviewYear: "2027", OpensOn: "2027-11-01", Deadline: "2028-01-07", Session: "5", Status: "open"}
	}
	sessions := map[int64]bool{5: true}
	tests := []struct {
		name   string
		change func(*CycleForm)
		field  string // "" when the form is valid
		key    string
	}{
		{"OK", func(*CycleForm) {}, "", ""},
		{"OKNoSession", func(f *CycleForm) { f.Session = "" }, "", ""},
		{"OKDeadlineOnOpeningDay", func(f *CycleForm) { f.Deadline = f.OpensOn }, "", ""},
		{"ErrReviewYearRequired", func(f *CycleForm) { f.ReviewYear = "" }, "review_year", "cycle.err.review_year_required"},
		{"ErrReviewYearInvalid", func(f *CycleForm) { f.ReviewYear = "二〇二七" }, "review_year", "cycle.err.review_year_invalid"},
		{"ErrReviewYearLeadingZero", func(f *CycleForm) { f.ReviewYear = "02027" }, "review_year", "cycle.err.review_year_invalid"},
		{"ErrReviewYearRange", func(f *CycleForm) { f.ReviewYear = "1900" }, "review_year", "cycle.err.review_year_range"},
		{"ErrOpensOnRequired", func(f *CycleForm) { f.OpensOn = "" }, "opens_on", "cycle.err.opens_on_required"},
		{"ErrOpensOnInvalid", func(f *CycleForm) { f.OpensOn = "2027-02-30" }, "opens_on", "cycle.err.date_invalid"},
		{"ErrDeadlineRequired", func(f *CycleForm) { f.Deadline = "" }, "deadline", "cycle.err.deadline_required"},
		{"ErrDeadlineInvalid", func(f *CycleForm) { f.Deadline = "next week" }, "deadline", "cycle.err.date_invalid"},
		{"ErrDeadlineBeforeOpening", func(f *CycleForm) { f.Deadline = "2027-10-31" }, "deadline", "cycle.err.deadline_before_opening"},
		{"ErrSessionNotOffered", func(f *CycleForm) { f.Session = "6" }, "session", "cycle.err.session_invalid"},
		{"ErrSessionInvalid", func(f *CycleForm) { f.Session = "-5" }, "session", "cycle.err.session_invalid"},
		{"ErrStatusClosed", func(f *CycleForm) { f.Status = "closed" }, "status", "cycle.err.status_invalid"},
		{"ErrStatusMissing", func(f *CycleForm) { f.Status = "" }, "status", "cycle.err.status_invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := valid()
			tt.change(&f)
			wantOnlyError(t, f.Validate(sessions), tt.field, tt.key)
		})
	}
}

func TestCycleFormRoundTrip(t *testing.T) {
	f := CycleForm{ReviewYear: " 2027 ", OpensOn: "2027-11-01", Deadline: "2028-01-07", Session: "5", Status: "draft", Version: 3}
	f.Normalize()
	if f.PlanYear() != 2028 {
		t.Errorf("PlanYear = %d, want 2028", f.PlanYear())
	}
	c := f.Cycle()
	if c.ReviewYear != 2027 || c.PlanYear != 2028 || c.SessionID != 5 || c.Status != CycleDraft || c.Version != 3 ||
		!c.OpensOn.Equal(date("2027-11-01")) || !c.Deadline.Equal(date("2028-01-07")) {
		t.Errorf("Cycle() = %+v", c)
	}
	if back := CycleFormFrom(c); back != f {
		t.Errorf("CycleFormFrom(Cycle()) = %+v, want %+v", back, f)
	}
	if (CycleForm{ReviewYear: "abc"}).PlanYear() != 0 {
		t.Error("a year that is not one has a plan year")
	}
}

func TestExtensionFormValidate(t *testing.T) {
	cycleDeadline := date("2027-01-08")
	ngos := map[int64]bool{7: true}
	valid := func() ExtensionForm {
		return ExtensionForm{NGO: "7", Deadline: "2027-01-15", Reason: "理事会换届"}
	}
	tests := []struct {
		name   string
		change func(*ExtensionForm)
		field  string
		key    string
	}{
		{"OK", func(*ExtensionForm) {}, "", ""},
		{"OKDayAfter", func(f *ExtensionForm) { f.Deadline = "2027-01-09" }, "", ""},
		{"ErrNGORequired", func(f *ExtensionForm) { f.NGO = "" }, "ngo", "cycle.err.ngo_required"},
		{"ErrNGONotOffered", func(f *ExtensionForm) { f.NGO = "8" }, "ngo", "cycle.err.ngo_invalid"},
		{"ErrNGOInvalid", func(f *ExtensionForm) { f.NGO = "seven" }, "ngo", "cycle.err.ngo_invalid"},
		{"ErrDeadlineRequired", func(f *ExtensionForm) { f.Deadline = "" }, "deadline", "cycle.err.deadline_required"},
		{"ErrDeadlineInvalid", func(f *ExtensionForm) { f.Deadline = "2027/01/15" }, "deadline", "cycle.err.date_invalid"},
		{"ErrDeadlineSameDay", func(f *ExtensionForm) { f.Deadline = "2027-01-08" }, "deadline", "cycle.err.extension_not_later"},
		{"ErrDeadlineEarlier", func(f *ExtensionForm) { f.Deadline = "2026-12-31" }, "deadline", "cycle.err.extension_not_later"},
		{"ErrReasonRequired", func(f *ExtensionForm) { f.Reason = "" }, "reason", "cycle.err.reason_required"},
		{"ErrReasonTooLong", func(f *ExtensionForm) { f.Reason = strings.Repeat("因", 501) }, "reason", "cycle.err.reason_too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := valid()
			tt.change(&f)
			wantOnlyError(t, f.Validate(cycleDeadline, ngos), tt.field, tt.key)
			if tt.field == "" {
				e := f.Extension(3)
				if e.CycleID != 3 || e.NGOID != 7 || e.Reason != f.Reason || e.Deadline.Format(time.DateOnly) != f.Deadline {
					t.Errorf("Extension() = %+v", e)
				}
			}
		})
	}
	t.Run("ReasonOf500Characters", func(t *testing.T) {
		f := valid()
		f.Reason = strings.Repeat("因", 500)
		if errs := f.Validate(cycleDeadline, ngos); len(errs) != 0 {
			t.Errorf("errors %v", errs)
		}
	})
}

func TestEffectiveDeadline(t *testing.T) {
	cycle := date("2027-01-08")
	later, earlier := date("2027-01-15"), date("2027-01-01")
	tests := []struct {
		name      string
		extension *time.Time
		want      time.Time
	}{
		{"NoExtension", nil, cycle},
		{"Extension", &later, later},
		{"ExtensionOvertakenByCycle", &earlier, cycle},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EffectiveDeadline(cycle, tt.extension); !got.Equal(tt.want) {
				t.Errorf("EffectiveDeadline = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestDeadlinePassed(t *testing.T) {
	deadline := date("2027-01-08")
	tests := []struct {
		name string
		now  time.Time
		want bool
	}{
		{"DayBefore", time.Date(2027, 1, 7, 12, 0, 0, 0, FederationZone), false},
		{"LastMinuteInShanghai", time.Date(2027, 1, 8, 23, 59, 0, 0, FederationZone), false},
		{"MidnightInShanghai", time.Date(2027, 1, 9, 0, 0, 0, 0, FederationZone), true},
		// 16:30 UTC on the 8th is already the 9th in Shanghai.
		{"UTCAfternoonIsShanghaiNextDay", time.Date(2027, 1, 8, 16, 30, 0, 0, time.UTC), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DeadlinePassed(deadline, tt.now); got != tt.want {
				t.Errorf("DeadlinePassed(%s) = %v, want %v", tt.now, got, tt.want)
			}
		})
	}
}
