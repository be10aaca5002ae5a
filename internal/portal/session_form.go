package portal

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Bounds of the session form.
const (
	MaxSessionTitle = 200
	MaxSessionVenue = 200
	MaxAgendaTitle  = 200
	MaxAgendaRows   = 30
	MaxAgendaMinute = 600
)

// AgendaRow is one agenda row of the session form, as typed.
type AgendaRow struct {
	TitleZH string
	TitleEN string
	NGO     string // NGO id, or "" for no speaking slot
	Minutes string
}

// SessionForm is the session form as submitted: every value as typed, so
// that a form sent back (with errors, or after adding or moving an agenda
// row) shows exactly what the admin wrote.
type SessionForm struct {
	TitleZH      string
	TitleEN      string
	Level        string
	HeldOn       string // yyyy-mm-dd
	StartsAt     string // hh:mm
	VenueZH      string
	VenueEN      string
	Cycle        string // reporting cycle id, or ""
	DeadlineDate string // yyyy-mm-dd
	DeadlineTime string // hh:mm
	Officials    []string
	Agenda       []AgendaRow
	Version      int
}

// SessionFormFrom fills the form from a saved session.
func SessionFormFrom(d SessionDetail) SessionForm {
	f := SessionForm{
		TitleZH: d.TitleZH, TitleEN: d.TitleEN, Level: string(d.Level),
		HeldOn: d.HeldOn.Format(time.DateOnly), StartsAt: d.StartsAt,
		VenueZH: d.VenueZH, VenueEN: d.VenueEN, Version: d.Version,
	}
	if d.CycleID != 0 {
		f.Cycle = strconv.FormatInt(d.CycleID, 10)
	}
	if d.ReplyDeadline != nil {
		t := d.ReplyDeadline.In(FederationZone)
		f.DeadlineDate, f.DeadlineTime = t.Format(time.DateOnly), t.Format("15:04")
	}
	for _, o := range d.Officials {
		f.Officials = append(f.Officials, strconv.FormatInt(o.ID, 10))
	}
	for _, a := range d.Agenda {
		row := AgendaRow{TitleZH: a.TitleZH, TitleEN: a.TitleEN}
		if a.NGOID != 0 {
			row.NGO = strconv.FormatInt(a.NGOID, 10)
		}
		if a.DurationMinutes != 0 {
			row.Minutes = strconv.Itoa(a.DurationMinutes)
		}
		f.Agenda = append(f.Agenda, row)
	}
	return f
}

// Normalize cleans every value; the parse function calls it.
func (f *SessionForm) Normalize() {
	for _, p := range []*string{&f.TitleZH, &f.TitleEN, &f.Level, &f.HeldOn, &f.StartsAt,
		&f.VenueZH, &f.VenueEN, &f.Cycle, &f.DeadlineDate, &f.DeadlineTime} {
		*p = CleanText(*p)
	}
	for i := range f.Agenda {
		a := &f.Agenda[i]
		for _, p := range []*string{&a.TitleZH, &a.TitleEN, &a.NGO, &a.Minutes} {
			*p = CleanText(*p)
		}
	}
	for i := range f.Officials {
		f.Officials[i] = CleanText(f.Officials[i])
	}
}

// HasOfficial reports whether official id is ticked.
func (f SessionForm) HasOfficial(id int64) bool {
	s := strconv.FormatInt(id, 10)
	for _, o := range f.Officials {
		if o == s {
			return true
		}
	}
	return false
}

// SessionChoices are the values the form's selects and checkboxes offer;
// anything else is refused.
type SessionChoices struct {
	Cycles    map[int64]bool
	Officials map[int64]bool
	NGOs      map[int64]bool
}

// AgendaField names the form field of agenda row i (0-based), e.g.
// agenda_2_title_zh.
func AgendaField(i int, name string) string {
	return "agenda_" + strconv.Itoa(i) + "_" + name
}

func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0 && strconv.FormatInt(id, 10) == s
}

// Validate checks the form against the choices offered, returning field
// name → message key. A reply deadline is needed once the session is
// scheduled (status), and must fall on or before the session's date.
func (f SessionForm) Validate(c SessionChoices, status SessionStatus) map[string]string {
	errs := map[string]string{}
	text := func(field, value string, required bool, max int, tooLong string) {
		switch {
		case required && value == "":
			errs[field] = "session.err." + field + "_required"
		case utf8.RuneCountInString(value) > max:
			errs[field] = tooLong
		}
	}
	text("title_zh", f.TitleZH, true, MaxSessionTitle, "session.err.title_too_long")
	text("title_en", f.TitleEN, true, MaxSessionTitle, "session.err.title_too_long")
	text("venue_zh", f.VenueZH, false, MaxSessionVenue, "session.err.venue_too_long")
	text("venue_en", f.VenueEN, false, MaxSessionVenue, "session.err.venue_too_long")
	if f.Level != string(LevelMunicipal) && f.Level != string(LevelDistrict) {
		errs["level"] = "session.err.level_invalid"
	}
	held, heldErr := time.ParseInLocation(time.DateOnly, f.HeldOn, FederationZone)
	switch {
	case f.HeldOn == "":
		errs["held_on"] = "session.err.held_on_required"
	case heldErr != nil || held.Year() < 1949 || held.Year() > 2200:
		errs["held_on"] = "session.err.date_invalid"
	}
	if f.StartsAt != "" {
		if _, err := time.Parse("15:04", f.StartsAt); err != nil {
			errs["starts_at"] = "session.err.time_invalid"
		}
	}
	if f.Cycle != "" {
		if id, ok := parseID(f.Cycle); !ok || !c.Cycles[id] {
			errs["cycle"] = "session.err.cycle_invalid"
		}
	}
	switch {
	case f.DeadlineDate == "" && f.DeadlineTime != "":
		errs["deadline_date"] = "session.err.deadline_date_required"
	case f.DeadlineDate == "" && status == SessionScheduled:
		errs["deadline_date"] = "session.err.deadline_required"
	case f.DeadlineDate != "":
		d, err := time.ParseInLocation(time.DateOnly, f.DeadlineDate, FederationZone)
		switch {
		case err != nil:
			errs["deadline_date"] = "session.err.date_invalid"
		case heldErr == nil && d.After(held):
			errs["deadline_date"] = "session.err.deadline_after_session"
		}
		if f.DeadlineTime != "" {
			if _, err := time.Parse("15:04", f.DeadlineTime); err != nil {
				errs["deadline_time"] = "session.err.time_invalid"
			}
		}
	}
	for _, o := range f.Officials {
		if id, ok := parseID(o); !ok || !c.Officials[id] {
			errs["officials"] = "session.err.official_invalid"
		}
	}
	if len(f.Agenda) > MaxAgendaRows {
		errs["agenda"] = "session.err.agenda_too_many"
	}
	for i, a := range f.Agenda {
		switch {
		case a.TitleZH == "":
			errs[AgendaField(i, "title_zh")] = "session.err.agenda_title_required"
		case utf8.RuneCountInString(a.TitleZH) > MaxAgendaTitle:
			errs[AgendaField(i, "title_zh")] = "session.err.title_too_long"
		}
		if utf8.RuneCountInString(a.TitleEN) > MaxAgendaTitle {
			errs[AgendaField(i, "title_en")] = "session.err.title_too_long"
		}
		if a.NGO != "" {
			if id, ok := parseID(a.NGO); !ok || !c.NGOs[id] {
				errs[AgendaField(i, "ngo")] = "session.err.ngo_invalid"
			}
		}
		if a.Minutes != "" {
			n, err := strconv.Atoi(a.Minutes)
			if err != nil || strconv.Itoa(n) != a.Minutes || n < 1 || n > MaxAgendaMinute {
				errs[AgendaField(i, "minutes")] = "session.err.minutes_invalid"
			}
		}
	}
	return errs
}

// Plan returns the session plan the form describes. Call it only on a
// form that passed Validate. A deadline without a time is the end of that
// day (23:59) in Shanghai.
func (f SessionForm) Plan() SessionPlan {
	p := SessionPlan{Session: Session{
		TitleZH: f.TitleZH, TitleEN: f.TitleEN, Level: SessionLevel(f.Level),
		StartsAt: f.StartsAt, VenueZH: f.VenueZH, VenueEN: f.VenueEN, Version: f.Version,
	}}
	held, _ := time.Parse(time.DateOnly, f.HeldOn)
	p.HeldOn = held
	p.CycleID, _ = parseID(f.Cycle)
	if f.DeadlineDate != "" {
		clock := f.DeadlineTime
		if clock == "" {
			clock = "23:59"
		}
		d, _ := time.ParseInLocation(time.DateOnly+" 15:04", f.DeadlineDate+" "+clock, FederationZone)
		p.ReplyDeadline = &d
	}
	for _, o := range f.Officials {
		if id, ok := parseID(o); ok {
			p.OfficialIDs = append(p.OfficialIDs, id)
		}
	}
	for _, a := range f.Agenda {
		item := AgendaItem{TitleZH: a.TitleZH, TitleEN: a.TitleEN}
		item.NGOID, _ = parseID(a.NGO)
		item.DurationMinutes, _ = strconv.Atoi(a.Minutes)
		p.Agenda = append(p.Agenda, item)
	}
	return p
}

// ApplyOp edits the agenda rows for a post-back without JavaScript: op is
// "add-row", "remove-row-N", "up-N" or "down-N" (N counts rows from 1). It
// reports whether op was one of these; anything else changes nothing.
func (f *SessionForm) ApplyOp(op string) bool {
	if op == "add-row" {
		if len(f.Agenda) < MaxAgendaRows {
			f.Agenda = append(f.Agenda, AgendaRow{})
		}
		return true
	}
	for _, prefix := range []string{"remove-row-", "up-", "down-"} {
		rest, ok := strings.CutPrefix(op, prefix)
		if !ok {
			continue
		}
		n, err := strconv.Atoi(rest)
		if err != nil || n < 1 || n > len(f.Agenda) {
			return true // a stale button: just show the form again
		}
		i := n - 1
		switch prefix {
		case "remove-row-":
			f.Agenda = append(f.Agenda[:i], f.Agenda[i+1:]...)
		case "up-":
			if i > 0 {
				f.Agenda[i-1], f.Agenda[i] = f.Agenda[i], f.Agenda[i-1]
			}
		case "down-":
			if i < len(f.Agenda)-1 {
				f.Agenda[i+1], f.Agenda[i] = f.Agenda[i], f.Agenda[i+1]
			}
		}
		return true
	}
	return false
}
