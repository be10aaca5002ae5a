// Package session holds the pages of the annual leadership session: the
// federation's scheduling, invitations, check-in, attendance and the
// chair's requests, and the NGO staff's view of their invitations and
// replies.
package session

import (
	"slices"
	"strconv"

	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// SessionRow is one session in the admin's list, with its link.
type SessionRow struct {
	portal.SessionListItem
	Link string
}

// SessionListView is the admin's list of sessions, newest first.
type SessionListView struct {
	ui.Page
	Rows    []SessionRow
	NewPath string
}

// SessionLink is a link from a session's page to one of its other pages.
type SessionLink struct {
	Label string // message key
	Path  string
}

// SessionShowView is a session's admin page: facts, agenda, officials
// present, the lifecycle buttons and the links to its other pages.
type SessionShowView struct {
	ui.Page
	Session     portal.SessionDetail
	ListPath    string
	EditPath    string
	StatusPath  string
	DeletePath  string
	CopyPath    string
	Links       []SessionLink
	CanDelete   bool
	Problem     string // message key of a refused action, shown at the top
	CancelError string // message key of a missing cancel reason
	// The requests to results page and each request's results.
	ResultsPath    string
	RequestResults []RequestResultLink
}

// Steps are the lifecycle steps the session may take now.
func (v SessionShowView) Steps() []portal.SessionStatus { return portal.NextSteps(v.Session.Status) }

// Deadline formats the reply deadline in Shanghai time, or "" when unset.
func (v SessionShowView) Deadline() string {
	if v.Session.ReplyDeadline == nil {
		return ""
	}
	return ui.DateTime(v.T, *v.Session.ReplyDeadline)
}

// SessionValues are the session form's values as the admin typed them, so
// that a form sent back (with errors, or after adding or moving an agenda
// row) shows exactly what was written.
type SessionValues struct {
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
	Agenda       []AgendaValues
	Version      int
}

// AgendaValues are one agenda row of the session form, as typed.
type AgendaValues struct {
	TitleZH string
	TitleEN string
	NGO     string // NGO id, or "" for no speaking slot
	Minutes string
}

// HasOfficial reports whether official id is ticked.
func (v SessionValues) HasOfficial(id int64) bool {
	return slices.Contains(v.Officials, strconv.FormatInt(id, 10))
}

// SessionFormView creates or edits a session, with its agenda rows.
type SessionFormView struct {
	ui.Page
	Editing    bool
	Session    portal.Session // the saved session when editing
	Values     SessionValues
	Errors     map[string]string
	Conflict   bool
	Action     string
	CancelPath string
	Cycles     []portal.CycleOption
	Officials  []portal.Official
	NGOs       []portal.NGO
}

// SessionFields are the session form's controls, besides the agenda.
type SessionFields struct {
	TitleZH, TitleEN, Level, HeldOn, StartsAt, VenueZH, VenueEN, Cycle, DeadlineDate, DeadlineTime, Officials, Agenda ui.Field
}

// Fields builds the form's controls with the values and errors.
func (v SessionFormView) Fields() SessionFields {
	f, e := v.Values, v.Errors
	return SessionFields{
		TitleZH:      ui.Field{Name: "title_zh", Label: "session.field.title_zh", Value: f.TitleZH, Error: e["title_zh"], Required: true, MaxLength: portal.MaxSessionTitle, Lang: "zh-CN"},
		TitleEN:      ui.Field{Name: "title_en", Label: "session.field.title_en", Value: f.TitleEN, Error: e["title_en"], Required: true, MaxLength: portal.MaxSessionTitle, Lang: "en"},
		Level:        ui.Field{Name: "level", Label: "session.field.level", Value: f.Level, Error: e["level"], Required: true},
		HeldOn:       ui.Field{Name: "held_on", Label: "session.field.held_on", Value: f.HeldOn, Error: e["held_on"], Required: true, Type: "date"},
		StartsAt:     ui.Field{Name: "starts_at", Label: "session.field.starts_at", Value: f.StartsAt, Error: e["starts_at"], Type: "time"},
		VenueZH:      ui.Field{Name: "venue_zh", Label: "session.field.venue_zh", Value: f.VenueZH, Error: e["venue_zh"], MaxLength: portal.MaxSessionVenue, Lang: "zh-CN"},
		VenueEN:      ui.Field{Name: "venue_en", Label: "session.field.venue_en", Value: f.VenueEN, Error: e["venue_en"], MaxLength: portal.MaxSessionVenue, Lang: "en"},
		Cycle:        ui.Field{Name: "cycle", Label: "session.field.cycle", Hint: "session.hint.cycle", Value: f.Cycle, Error: e["cycle"]},
		DeadlineDate: ui.Field{Name: "deadline_date", Label: "session.field.deadline_date", Hint: "session.hint.deadline", Value: f.DeadlineDate, Error: e["deadline_date"], Type: "date"},
		DeadlineTime: ui.Field{Name: "deadline_time", Label: "session.field.deadline_time", Value: f.DeadlineTime, Error: e["deadline_time"], Type: "time"},
		Officials:    ui.Field{Name: "officials", Label: "session.field.officials", Error: e["officials"]},
		Agenda:       ui.Field{Name: "agenda", Label: "session.field.agenda", Error: e["agenda"]},
	}
}

// AgendaFields are the controls of one agenda row.
type AgendaFields struct {
	N                              int // 1-based row number
	TitleZH, TitleEN, NGO, Minutes ui.Field
}

// AgendaRows builds the controls of every agenda row.
func (v SessionFormView) AgendaRows() []AgendaFields {
	rows := make([]AgendaFields, 0, len(v.Values.Agenda))
	for i, a := range v.Values.Agenda {
		name := func(n string) string { return portal.AgendaField(i, n) }
		rows = append(rows, AgendaFields{
			N:       i + 1,
			TitleZH: ui.Field{Name: name("title_zh"), Label: "session.agenda.title_zh", Value: a.TitleZH, Error: v.Errors[name("title_zh")], Required: true, MaxLength: portal.MaxAgendaTitle, Lang: "zh-CN"},
			TitleEN: ui.Field{Name: name("title_en"), Label: "session.agenda.title_en", Value: a.TitleEN, Error: v.Errors[name("title_en")], MaxLength: portal.MaxAgendaTitle, Lang: "en"},
			NGO:     ui.Field{Name: name("ngo"), Label: "session.agenda.ngo", Value: a.NGO, Error: v.Errors[name("ngo")]},
			Minutes: ui.Field{Name: name("minutes"), Label: "session.agenda.minutes", Value: a.Minutes, Error: v.Errors[name("minutes")], Type: "number"},
		})
	}
	return rows
}

// ErrorList is the form's error summary, in the order of the fields.
func (v SessionFormView) ErrorList() []ui.FieldError {
	f := v.Fields()
	list := []ui.Field{f.TitleZH, f.TitleEN, f.Level, f.HeldOn, f.StartsAt, f.VenueZH, f.VenueEN, f.Cycle,
		f.DeadlineDate, f.DeadlineTime, f.Officials, f.Agenda}
	for _, r := range v.AgendaRows() {
		list = append(list, r.TitleZH, r.TitleEN, r.NGO, r.Minutes)
	}
	errs := ui.Errors(list...)
	// The officials and agenda have no single control: point at their fieldsets.
	for i := range errs {
		switch errs[i].ID {
		case f.Officials.ID():
			errs[i].ID = "officials"
		case f.Agenda.ID():
			errs[i].ID = "agenda"
		}
	}
	return errs
}

// LevelOptions are the level select's choices.
func (v SessionFormView) LevelOptions() []ui.Option {
	opts := []ui.Option{{Value: "", Label: v.T.T("session.choose")}}
	for _, l := range portal.SessionLevels {
		opts = append(opts, ui.Option{Value: string(l), Label: v.T.T("session.level." + string(l)), Selected: v.Values.Level == string(l)})
	}
	return opts
}

// CycleOptions are the reporting cycles the session may close.
func (v SessionFormView) CycleOptions() []ui.Option {
	opts := []ui.Option{{Value: "", Label: v.T.T("session.cycle.none")}}
	for _, c := range v.Cycles {
		id := strconv.FormatInt(c.ID, 10)
		opts = append(opts, ui.Option{Value: id, Label: v.T.T("session.cycle_years", "ReviewYear", c.ReviewYear, "PlanYear", c.PlanYear), Selected: v.Values.Cycle == id})
	}
	return opts
}

// NGOOptions are an agenda row's speaking-slot choices, value selected.
func (v SessionFormView) NGOOptions(value string) []ui.Option {
	opts := []ui.Option{{Value: "", Label: v.T.T("session.agenda.no_ngo")}}
	for _, n := range v.NGOs {
		id := strconv.FormatInt(n.ID, 10)
		opts = append(opts, ui.Option{Value: id, Label: v.T.Pick(n.NameZH, n.NameEN), Selected: value == id})
	}
	return opts
}

// OfficialID is an official's id as a form value.
func OfficialID(o portal.Official) string { return strconv.FormatInt(o.ID, 10) }

// sessionBadgeClass is the badge colour of a status; the badge's word
// carries the meaning.
func sessionBadgeClass(s portal.SessionStatus) string {
	switch s {
	case portal.SessionScheduled:
		return "ok"
	case portal.SessionDraft:
		return "warn"
	default:
		return "off"
	}
}
