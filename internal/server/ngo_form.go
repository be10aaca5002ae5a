package server

import (
	"net/http"
	"strconv"
	"strings"

	"ngoportal/internal/portal"
	"ngoportal/web/ngo"
)

// parseNGOForm reads the registry form in one pass: the values as typed
// (cleaned) to show again, the registry entry they describe, and a message
// key per field that is wrong, portal.NGO.Validate's findings included. A
// malformed version is a request no page of ours sends: 400.
func parseNGOForm(r *http.Request) (ngo.NGOValues, portal.NGO, map[string]string, error) {
	p, err := parsePostForm(r)
	if err != nil {
		return ngo.NGOValues{}, portal.NGO{}, nil, err
	}
	version, err := formVersion(p)
	if err != nil {
		return ngo.NGOValues{}, portal.NGO{}, nil, err
	}
	text := func(name string) string { return portal.CleanText(p.Get(name)) }
	// Line endings from browsers are CRLF; store and count LF only.
	long := func(name string) string { return strings.ReplaceAll(text(name), "\r\n", "\n") }
	v := ngo.NGOValues{
		NameZH:          text("name_zh"),
		NameEN:          text("name_en"),
		ShortName:       text("short_name"),
		CreditCode:      strings.ToUpper(strings.Join(strings.Fields(text("credit_code")), "")),
		FocusAreas:      text("focus_areas"),
		FocusAreasEN:    text("focus_areas_en"),
		FoundedYear:     text("founded_year"),
		ContactPerson:   text("contact_person"),
		Phone:           text("phone"),
		Email:           text("email"),
		Website:         text("website"),
		Address:         text("address"),
		AddressEN:       text("address_en"),
		ProfileZH:       long("profile_zh"),
		ProfileEN:       long("profile_en"),
		ShowInDirectory: p.Get("show_in_directory") == "on",
		Version:         version,
	}
	n := portal.NGO{
		NameZH: v.NameZH, NameEN: v.NameEN, ShortName: v.ShortName, ShowInDirectory: v.ShowInDirectory,
		CreditCode: v.CreditCode, FocusAreas: splitFocusAreas(v.FocusAreas), FocusAreasEN: splitFocusAreasEN(v.FocusAreasEN),
		ContactPerson: v.ContactPerson, Phone: v.Phone, Email: v.Email, Website: v.Website,
		Address: v.Address, AddressEN: v.AddressEN, ProfileZH: v.ProfileZH, ProfileEN: v.ProfileEN, Version: v.Version,
	}
	errs := map[string]string{}
	if v.FoundedYear != "" {
		y, err := strconv.Atoi(v.FoundedYear)
		switch {
		case err != nil || strconv.Itoa(y) != v.FoundedYear:
			errs["founded_year"] = "ngo.error.founded_year_number"
		case y == 0:
			// The entry holds 0 as "not recorded"; a typed 0 is a year out of range.
			errs["founded_year"] = portal.FoundedYearProblem(y)
		default:
			n.FoundedYear = y
		}
	}
	mergeErrors(errs, n.Validate())
	return v, n, errs, nil
}

// ngoValuesFrom fills the registry form with an NGO's saved values.
func ngoValuesFrom(n portal.NGO) ngo.NGOValues {
	v := ngo.NGOValues{
		NameZH:          n.NameZH,
		NameEN:          n.NameEN,
		ShortName:       n.ShortName,
		CreditCode:      n.CreditCode,
		FocusAreas:      strings.Join(n.FocusAreas, "\n"),
		FocusAreasEN:    strings.Join(n.FocusAreasEN, "\n"),
		ContactPerson:   n.ContactPerson,
		Phone:           n.Phone,
		Email:           n.Email,
		Website:         n.Website,
		Address:         n.Address,
		AddressEN:       n.AddressEN,
		ProfileZH:       n.ProfileZH,
		ProfileEN:       n.ProfileEN,
		ShowInDirectory: n.ShowInDirectory,
		Version:         n.Version,
	}
	if n.FoundedYear != 0 {
		v.FoundedYear = strconv.Itoa(n.FoundedYear)
	}
	return v
}

// splitFocusAreas splits free tags entered one per line or separated by
// commas (ASCII, full-width or the Chinese enumeration comma), dropping
// empty and repeated ones. How many there may be, and how long, is
// portal.NGO.Validate's to say.
func splitFocusAreas(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == ',' || r == '，' || r == '、' || r == ';' || r == '；'
	})
	areas := []string{}
	seen := map[string]bool{}
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		areas = append(areas, p)
	}
	return areas
}

// splitFocusAreasEN splits the English focus areas, entered one per line or
// separated by semicolons: not at commas, which English names may hold
// ("Arts, culture and sport"). Empty entries are dropped; repeated ones are
// kept, since the list runs parallel to the Chinese one (two Chinese areas
// may share an English name).
func splitFocusAreasEN(s string) []string {
	areas := []string{}
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == ';' || r == '；' }) {
		if p = strings.TrimSpace(p); p != "" {
			areas = append(areas, p)
		}
	}
	return areas
}
