package portal

import (
	"time"
	"unicode/utf8"
)

// Position is an official's post in the federation.
type Position string

// Positions, in order of precedence.
const (
	PositionChair     Position = "chairperson"
	PositionViceChair Position = "vice_chairperson"
	PositionSecretary Position = "secretary_general"
	PositionOther     Position = "other"
)

// Positions lists the posts in order of precedence, for forms.
var Positions = []Position{PositionChair, PositionViceChair, PositionSecretary, PositionOther}

// Valid reports whether p is one of the known posts.
func (p Position) Valid() bool {
	for _, q := range Positions {
		if p == q {
			return true
		}
	}
	return false
}

// Official is one of the federation's officials on the roster.
type Official struct {
	ID        int64
	NameZH    string
	NameEN    string
	Position  Position
	TermStart time.Time
	TermEnd   *time.Time
	// Active is false once the official has retired from the roster: the
	// row stays (past sessions name them) but new sessions cannot.
	Active  bool
	Version int
}

// MaxOfficialName bounds an official's name in either language, in characters.
const MaxOfficialName = 100

// OfficialForm is the roster form as submitted: every value as typed, so
// that a form sent back with errors shows exactly what the admin wrote.
type OfficialForm struct {
	NameZH    string
	NameEN    string
	Position  string
	TermStart string // yyyy-mm-dd
	TermEnd   string // yyyy-mm-dd, or "" while in office
	Active    bool
	Version   int
}

// OfficialFormFrom fills the form from a saved official.
func OfficialFormFrom(o Official) OfficialForm {
	f := OfficialForm{NameZH: o.NameZH, NameEN: o.NameEN, Position: string(o.Position),
		TermStart: o.TermStart.Format(time.DateOnly), Active: o.Active, Version: o.Version}
	if o.TermEnd != nil {
		f.TermEnd = o.TermEnd.Format(time.DateOnly)
	}
	return f
}

// Normalize cleans every value; the parse function calls it.
func (f *OfficialForm) Normalize() {
	for _, p := range []*string{&f.NameZH, &f.NameEN, &f.Position, &f.TermStart, &f.TermEnd} {
		*p = CleanText(*p)
	}
}

// Validate checks the form, returning field name → message key.
func (f OfficialForm) Validate() map[string]string {
	errs := map[string]string{}
	name := func(field, value string) {
		switch {
		case value == "":
			errs[field] = "official.err." + field + "_required"
		case utf8.RuneCountInString(value) > MaxOfficialName:
			errs[field] = "official.err.name_too_long"
		}
	}
	name("name_zh", f.NameZH)
	name("name_en", f.NameEN)
	if !Position(f.Position).Valid() {
		errs["position"] = "official.err.position_invalid"
	}
	start, startErr := time.Parse(time.DateOnly, f.TermStart)
	switch {
	case f.TermStart == "":
		errs["term_start"] = "official.err.term_start_required"
	case startErr != nil:
		errs["term_start"] = "official.err.date_invalid"
	}
	if f.TermEnd != "" {
		end, err := time.Parse(time.DateOnly, f.TermEnd)
		switch {
		case err != nil:
			errs["term_end"] = "official.err.date_invalid"
		case startErr == nil && end.Before(start):
			errs["term_end"] = "official.err.term_end_before_start"
		}
	}
	return errs
}

// Official returns the official the form describes. Call it only on a form
// that passed Validate.
func (f OfficialForm) Official() Official {
	o := Official{NameZH: f.NameZH, NameEN: f.NameEN, Position: Position(f.Position),
		Active: f.Active, Version: f.Version}
	o.TermStart, _ = time.Parse(time.DateOnly, f.TermStart)
	if f.TermEnd != "" {
		end, _ := time.Parse(time.DateOnly, f.TermEnd)
		o.TermEnd = &end
	}
	return o
}

// AuditFields are the official's fields as the audit log records them.
func (o Official) AuditFields() map[string]any {
	end := ""
	if o.TermEnd != nil {
		end = o.TermEnd.Format(time.DateOnly)
	}
	start := ""
	if !o.TermStart.IsZero() {
		start = o.TermStart.Format(time.DateOnly)
	}
	return map[string]any{
		"name_zh": o.NameZH, "name_en": o.NameEN, "position": string(o.Position),
		"term_start": start, "term_end": end, "active": o.Active,
	}
}
