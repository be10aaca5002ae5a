package server

import (
	"net/http"
	"time"

	"ngoportal/internal/portal"
	"ngoportal/web/federation"
)

// parseOfficialForm reads the roster form in one pass: the values as typed
// (cleaned), the official they describe, and a message key per field that
// is wrong, portal.Official.Validate's findings included. A malformed
// version is 400.
func parseOfficialForm(r *http.Request) (federation.OfficialValues, portal.Official, map[string]string, error) {
	p, err := parsePostForm(r)
	if err != nil {
		return federation.OfficialValues{}, portal.Official{}, nil, err
	}
	version, err := formVersion(p)
	if err != nil {
		return federation.OfficialValues{}, portal.Official{}, nil, err
	}
	text := func(name string) string { return portal.CleanText(p.Get(name)) }
	v := federation.OfficialValues{
		NameZH: text("name_zh"), NameEN: text("name_en"), Position: text("position"),
		TermStart: text("term_start"), TermEnd: text("term_end"), Active: p.Get("active") == "on",
		Version: version,
	}
	o := portal.Official{NameZH: v.NameZH, NameEN: v.NameEN, Position: portal.Position(v.Position),
		Active: v.Active, Version: v.Version}
	errs := map[string]string{}
	if v.TermStart != "" {
		start, ok := formDate(v.TermStart)
		if !ok {
			errs["term_start"] = "official.err.date_invalid"
		}
		o.TermStart = start
	}
	if v.TermEnd != "" {
		end, ok := formDate(v.TermEnd)
		if !ok {
			errs["term_end"] = "official.err.date_invalid"
		} else {
			o.TermEnd = &end
		}
	}
	mergeErrors(errs, o.Validate())
	return v, o, errs, nil
}

// officialValuesFrom fills the roster form from a saved official.
func officialValuesFrom(o portal.Official) federation.OfficialValues {
	v := federation.OfficialValues{NameZH: o.NameZH, NameEN: o.NameEN, Position: string(o.Position),
		TermStart: o.TermStart.Format(time.DateOnly), Active: o.Active, Version: o.Version}
	if o.TermEnd != nil {
		v.TermEnd = o.TermEnd.Format(time.DateOnly)
	}
	return v
}
