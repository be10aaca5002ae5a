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

// Validate checks the official against the roster's rules, returning
// field name → message key: both names, a known position, a term start,
// and a term end, if any, not before the start.
func (o Official) Validate() map[string]string {
	errs := map[string]string{}
	name := func(field, value string) {
		switch {
		case value == "":
			errs[field] = "official.err." + field + "_required"
		case utf8.RuneCountInString(value) > MaxOfficialName:
			errs[field] = "official.err.name_too_long"
		}
	}
	name("name_zh", o.NameZH)
	name("name_en", o.NameEN)
	if !o.Position.Valid() {
		errs["position"] = "official.err.position_invalid"
	}
	if o.TermStart.IsZero() {
		errs["term_start"] = "official.err.term_start_required"
	} else if o.TermEnd != nil && o.TermEnd.Before(o.TermStart) {
		errs["term_end"] = "official.err.term_end_before_start"
	}
	return errs
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
