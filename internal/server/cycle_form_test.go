package server

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"ngoportal/internal/portal"
	"ngoportal/web/report"
)

func mustDate(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestParseCycleForm(t *testing.T) {
	valid := func() url.Values {
		return url.Values{"review_year": {"2027"}, "opens_on": {"2027-11-01"}, "deadline": {"2028-01-07"}, "session": {"5"}, "status": {"open"}}
	}
	sessions := []portal.CycleSessionOption{{ID: 5}}
	tests := []struct {
		name   string
		change func(url.Values)
		field  string // "" when the form is valid
		key    string
	}{
		{"OK", func(url.Values) {}, "", ""},
		{"OKNoSession", func(f url.Values) { f.Set("session", "") }, "", ""},
		{"OKDeadlineOnOpeningDay", func(f url.Values) { f.Set("deadline", f.Get("opens_on")) }, "", ""},
		{"ErrReviewYearRequired", func(f url.Values) { f.Set("review_year", "") }, "review_year", "cycle.err.review_year_required"},
		{"ErrReviewYearInvalid", func(f url.Values) { f.Set("review_year", "二〇二七") }, "review_year", "cycle.err.review_year_invalid"},
		{"ErrReviewYearLeadingZero", func(f url.Values) { f.Set("review_year", "02027") }, "review_year", "cycle.err.review_year_invalid"},
		{"ErrReviewYearRange", func(f url.Values) { f.Set("review_year", "1900") }, "review_year", "cycle.err.review_year_range"},
		{"ErrOpensOnRequired", func(f url.Values) { f.Set("opens_on", "") }, "opens_on", "cycle.err.opens_on_required"},
		{"ErrOpensOnInvalid", func(f url.Values) { f.Set("opens_on", "2027-02-30") }, "opens_on", "cycle.err.date_invalid"},
		{"ErrDeadlineRequired", func(f url.Values) { f.Set("deadline", "") }, "deadline", "cycle.err.deadline_required"},
		{"ErrDeadlineInvalid", func(f url.Values) { f.Set("deadline", "next week") }, "deadline", "cycle.err.date_invalid"},
		{"ErrDeadlineBeforeOpening", func(f url.Values) { f.Set("deadline", "2027-10-31") }, "deadline", "cycle.err.deadline_before_opening"},
		{"ErrSessionNotOffered", func(f url.Values) { f.Set("session", "6") }, "session", "cycle.err.session_invalid"},
		{"ErrSessionInvalid", func(f url.Values) { f.Set("session", "-5") }, "session", "cycle.err.session_invalid"},
		{"ErrStatusClosed", func(f url.Values) { f.Set("status", "closed") }, "status", "cycle.err.status_invalid"},
		{"ErrStatusMissing", func(f url.Values) { f.Set("status", "") }, "status", "cycle.err.status_invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := valid()
			tt.change(f)
			_, _, errs, err := parseCycleForm(postForm("/", f), sessions)
			if err != nil {
				t.Fatal(err)
			}
			wantOnlyError(t, errs, tt.field, tt.key)
		})
	}
	t.Run("ErrVersionMalformed", func(t *testing.T) {
		f := valid()
		f.Set("version", "x")
		if _, _, _, err := parseCycleForm(postForm("/", f), sessions); err != errBadRequest {
			t.Errorf("err = %v, want errBadRequest", err)
		}
	})
}

func TestCycleFormRoundTrip(t *testing.T) {
	f := url.Values{"review_year": {" 2027 "}, "opens_on": {"2027-11-01"}, "deadline": {"2028-01-07"}, "session": {"5"}, "status": {"draft"}, "version": {"3"}}
	v, c, errs, err := parseCycleForm(postForm("/", f), []portal.CycleSessionOption{{ID: 5}})
	if err != nil || len(errs) != 0 {
		t.Fatalf("errs %v, err %v", errs, err)
	}
	if v.PlanYear != 2028 {
		t.Errorf("PlanYear = %d, want 2028", v.PlanYear)
	}
	if c.ReviewYear != 2027 || c.PlanYear != 2028 || c.SessionID != 5 || c.Status != portal.CycleDraft || c.Version != 3 ||
		!c.OpensOn.Equal(mustDate("2027-11-01")) || !c.Deadline.Equal(mustDate("2028-01-07")) {
		t.Errorf("cycle = %+v", c)
	}
	want := report.CycleValues{ReviewYear: "2027", OpensOn: "2027-11-01", Deadline: "2028-01-07", Session: "5", Status: "draft", Version: 3, PlanYear: 2028}
	if v != want {
		t.Errorf("values = %+v, want %+v", v, want)
	}
	if back := cycleValuesFrom(c); back != v {
		t.Errorf("cycleValuesFrom(cycle) = %+v, want %+v", back, v)
	}
	for _, year := range []string{"abc", "1900"} {
		f.Set("review_year", year)
		if v, _, _, _ := parseCycleForm(postForm("/", f), nil); v.PlanYear != 0 {
			t.Errorf("review year %q has plan year %d", year, v.PlanYear)
		}
	}
}

func TestParseExtensionForm(t *testing.T) {
	cycle := portal.Cycle{ID: 3, Deadline: mustDate("2027-01-08")}
	ngos := []portal.NGO{{ID: 7}}
	valid := func() url.Values {
		return url.Values{"ngo": {"7"}, "deadline": {"2027-01-15"}, "reason": {"理事会换届"}}
	}
	tests := []struct {
		name   string
		change func(url.Values)
		field  string
		key    string
	}{
		{"OK", func(url.Values) {}, "", ""},
		{"OKDayAfter", func(f url.Values) { f.Set("deadline", "2027-01-09") }, "", ""},
		{"ErrNGORequired", func(f url.Values) { f.Set("ngo", "") }, "ngo", "cycle.err.ngo_required"},
		{"ErrNGONotOffered", func(f url.Values) { f.Set("ngo", "8") }, "ngo", "cycle.err.ngo_invalid"},
		{"ErrNGOInvalid", func(f url.Values) { f.Set("ngo", "seven") }, "ngo", "cycle.err.ngo_invalid"},
		{"ErrDeadlineRequired", func(f url.Values) { f.Set("deadline", "") }, "deadline", "cycle.err.deadline_required"},
		{"ErrDeadlineInvalid", func(f url.Values) { f.Set("deadline", "15/01/2027") }, "deadline", "cycle.err.date_invalid"},
		{"ErrDeadlineSameDay", func(f url.Values) { f.Set("deadline", "2027-01-08") }, "deadline", "cycle.err.extension_not_later"},
		{"ErrDeadlineEarlier", func(f url.Values) { f.Set("deadline", "2026-12-31") }, "deadline", "cycle.err.extension_not_later"},
		{"ErrReasonRequired", func(f url.Values) { f.Set("reason", "") }, "reason", "cycle.err.reason_required"},
		{"ErrReasonTooLong", func(f url.Values) { f.Set("reason", strings.Repeat("因", 501)) }, "reason", "cycle.err.reason_too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := valid()
			tt.change(f)
			_, e, errs, err := parseExtensionForm(postForm("/", f), cycle, ngos)
			if err != nil {
				t.Fatal(err)
			}
			wantOnlyError(t, errs, tt.field, tt.key)
			if tt.field == "" {
				if e.CycleID != 3 || e.NGOID != 7 || e.Reason != f.Get("reason") || e.Deadline.Format(time.DateOnly) != f.Get("deadline") {
					t.Errorf("extension = %+v", e)
				}
			}
		})
	}
	t.Run("ReasonOf500Characters", func(t *testing.T) {
		f := valid()
		f.Set("reason", strings.Repeat("因", 500))
		if _, _, errs, _ := parseExtensionForm(postForm("/", f), cycle, ngos); len(errs) != 0 {
			t.Errorf("errors %v", errs)
		}
	})
}
