package server

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"ngoportal/internal/portal"
	"ngoportal/web/session"
)

func TestParseSessionForm(t *testing.T) {
	choices := sessionChoices{cycles: map[int64]bool{4: true}, officials: map[int64]bool{2: true}, ngos: map[int64]bool{7: true}}
	valid := func() url.Values {
		f := sessionFormValues("save")
		f.Set("cycle", "4")
		f["officials"] = []string{"2"}
		f.Set("agenda_1_ngo", "7")
		return f
	}
	long := strings.Repeat("长", 201)
	tests := []struct {
		name   string
		status portal.SessionStatus
		change func(url.Values)
		field  string // "" when the form is valid
		key    string
	}{
		{"OK", portal.SessionDraft, func(url.Values) {}, "", ""},
		{"OKDeadlineOnSessionDay", portal.SessionDraft, func(f url.Values) { f.Set("deadline_date", "2030-01-18") }, "", ""},
		{"OKNoDeadlineInDraft", portal.SessionDraft, func(f url.Values) { f.Del("deadline_date"); f.Del("deadline_time") }, "", ""},
		{"ErrTitleRequired", portal.SessionDraft, func(f url.Values) { f.Set("title_en", " ") }, "title_en", "session.err.title_en_required"},
		{"ErrTitleTooLong", portal.SessionDraft, func(f url.Values) { f.Set("title_zh", long) }, "title_zh", "session.err.title_too_long"},
		{"ErrVenueTooLong", portal.SessionDraft, func(f url.Values) { f.Set("venue_en", long) }, "venue_en", "session.err.venue_too_long"},
		{"ErrLevel", portal.SessionDraft, func(f url.Values) { f.Set("level", "national") }, "level", "session.err.level_invalid"},
		{"ErrHeldOnRequired", portal.SessionDraft, func(f url.Values) { f.Set("held_on", "") }, "held_on", "session.err.held_on_required"},
		{"ErrHeldOnInvalid", portal.SessionDraft, func(f url.Values) { f.Set("held_on", "2030-02-30") }, "held_on", "session.err.date_invalid"},
		{"ErrHeldOnYear", portal.SessionDraft, func(f url.Values) { f.Set("held_on", "1900-01-18"); f.Set("deadline_date", "1900-01-10") }, "held_on", "session.err.date_invalid"},
		{"ErrStartsAt", portal.SessionDraft, func(f url.Values) { f.Set("starts_at", "25:00") }, "starts_at", "session.err.time_invalid"},
		{"ErrCycleNotOffered", portal.SessionDraft, func(f url.Values) { f.Set("cycle", "5") }, "cycle", "session.err.cycle_invalid"},
		{"ErrDeadlineDateRequired", portal.SessionDraft, func(f url.Values) { f.Set("deadline_date", "") }, "deadline_date", "session.err.deadline_date_required"},
		{"ErrDeadlineRequiredWhenScheduled", portal.SessionScheduled, func(f url.Values) { f.Del("deadline_date"); f.Del("deadline_time") }, "deadline_date", "session.err.deadline_required"},
		{"ErrDeadlineDateInvalid", portal.SessionDraft, func(f url.Values) { f.Set("deadline_date", "soon") }, "deadline_date", "session.err.date_invalid"},
		{"ErrDeadlineAfterSession", portal.SessionDraft, func(f url.Values) { f.Set("deadline_date", "2030-01-19") }, "deadline_date", "session.err.deadline_after_session"},
		{"ErrDeadlineTime", portal.SessionDraft, func(f url.Values) { f.Set("deadline_time", "5pm") }, "deadline_time", "session.err.time_invalid"},
		{"ErrOfficialNotOffered", portal.SessionDraft, func(f url.Values) { f["officials"] = []string{"2", "3"} }, "officials", "session.err.official_invalid"},
		{"ErrAgendaTitleRequired", portal.SessionDraft, func(f url.Values) { f.Set("agenda_0_title_zh", "") }, "agenda_0_title_zh", "session.err.agenda_title_required"},
		{"ErrAgendaTitleTooLong", portal.SessionDraft, func(f url.Values) { f.Set("agenda_1_title_en", long) }, "agenda_1_title_en", "session.err.title_too_long"},
		{"ErrAgendaNGONotOffered", portal.SessionDraft, func(f url.Values) { f.Set("agenda_1_ngo", "8") }, "agenda_1_ngo", "session.err.ngo_invalid"},
		{"ErrMinutesZero", portal.SessionDraft, func(f url.Values) { f.Set("agenda_0_minutes", "0") }, "agenda_0_minutes", "session.err.minutes_invalid"},
		{"ErrMinutesTooMany", portal.SessionDraft, func(f url.Values) { f.Set("agenda_0_minutes", "601") }, "agenda_0_minutes", "session.err.minutes_invalid"},
		{"ErrMinutesText", portal.SessionDraft, func(f url.Values) { f.Set("agenda_0_minutes", "ten") }, "agenda_0_minutes", "session.err.minutes_invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := valid()
			tt.change(f)
			_, _, errs, err := parseSessionForm(postForm("/", f), choices, tt.status)
			if err != nil {
				t.Fatal(err)
			}
			wantOnlyError(t, errs, tt.field, tt.key)
		})
	}
	t.Run("ErrAgendaTooMany", func(t *testing.T) {
		f := valid()
		f.Set("agenda_rows", "31")
		for i := 2; i < 31; i++ {
			f.Set(portal.AgendaField(i, "title_zh"), "议程")
		}
		_, _, errs, _ := parseSessionForm(postForm("/", f), choices, portal.SessionDraft)
		wantOnlyError(t, errs, "agenda", "session.err.agenda_too_many")
	})
	t.Run("ErrRowCountMalformed", func(t *testing.T) {
		f := valid()
		f.Set("agenda_rows", "32")
		if _, _, _, err := parseSessionForm(postForm("/", f), choices, portal.SessionDraft); err != errBadRequest {
			t.Errorf("err = %v, want errBadRequest", err)
		}
	})
	t.Run("PlanAndRoundTrip", func(t *testing.T) {
		v, plan, errs, err := parseSessionForm(postForm("/", valid()), choices, portal.SessionDraft)
		if err != nil || len(errs) != 0 {
			t.Fatalf("errs %v, err %v", errs, err)
		}
		want := time.Date(2030, 1, 10, 17, 0, 0, 0, portal.FederationZone)
		if plan.TitleZH != "2030年度联席会议" || plan.Level != portal.LevelMunicipal || !plan.HeldOn.Equal(mustDate("2030-01-18")) ||
			plan.CycleID != 4 || plan.ReplyDeadline == nil || !plan.ReplyDeadline.Equal(want) || len(plan.OfficialIDs) != 1 || plan.OfficialIDs[0] != 2 ||
			len(plan.Agenda) != 2 || plan.Agenda[1].NGOID != 7 || plan.Agenda[1].DurationMinutes != 60 {
			t.Errorf("plan = %+v", plan)
		}
		d := portal.SessionDetail{Session: plan.Session, Agenda: plan.Agenda, Officials: []portal.Official{{ID: 2}}}
		back := sessionValuesFrom(d)
		if back.TitleZH != v.TitleZH || back.HeldOn != v.HeldOn || back.DeadlineDate != v.DeadlineDate || back.DeadlineTime != v.DeadlineTime ||
			back.Cycle != v.Cycle || !back.HasOfficial(2) || len(back.Agenda) != 2 || back.Agenda[1] != v.Agenda[1] {
			t.Errorf("sessionValuesFrom = %+v, want %+v", back, v)
		}
	})
	t.Run("DeadlineWithoutTimeIsEndOfDay", func(t *testing.T) {
		f := valid()
		f.Del("deadline_time")
		_, plan, _, _ := parseSessionForm(postForm("/", f), choices, portal.SessionDraft)
		if want := time.Date(2030, 1, 10, 23, 59, 0, 0, portal.FederationZone); plan.ReplyDeadline == nil || !plan.ReplyDeadline.Equal(want) {
			t.Errorf("deadline %v, want %v", plan.ReplyDeadline, want)
		}
	})
}

func TestApplyAgendaOp(t *testing.T) {
	rows := func(titles ...string) session.SessionValues {
		var v session.SessionValues
		for _, s := range titles {
			v.Agenda = append(v.Agenda, session.AgendaValues{TitleZH: s})
		}
		return v
	}
	tests := []struct {
		op   string
		ok   bool
		want string
	}{
		{"add-row", true, "a,b,c,"},
		{"remove-row-2", true, "a,c"},
		{"up-2", true, "b,a,c"},
		{"down-2", true, "a,c,b"},
		{"up-1", true, "a,b,c"},
		{"remove-row-9", true, "a,b,c"},
		{"delete", false, "a,b,c"},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			v := rows("a", "b", "c")
			ok := applyAgendaOp(&v, tt.op)
			var got []string
			for _, a := range v.Agenda {
				got = append(got, a.TitleZH)
			}
			if ok != tt.ok || strings.Join(got, ",") != tt.want {
				t.Errorf("applyAgendaOp(%q) = %v, %q; want %v, %q", tt.op, ok, strings.Join(got, ","), tt.ok, tt.want)
			}
		})
	}
}
