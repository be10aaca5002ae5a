package server

import (
	"net/http"
	"slices"
	"strconv"

	"ngoportal/internal/portal"
	"ngoportal/web/report"
)

// parseCycleForm reads the cycle form in one pass: the values as typed, the
// cycle they describe and the field errors. sessions are the sessions the
// form offered; any other is refused. A malformed version is 400; a missing
// one is 0 (the new-cycle form has none).
func parseCycleForm(r *http.Request, sessions []portal.CycleSessionOption) (report.CycleValues, portal.Cycle, map[string]string, error) {
	if err := r.ParseForm(); err != nil {
		return report.CycleValues{}, portal.Cycle{}, nil, errBadRequest
	}
	p := r.PostForm
	v := report.CycleValues{
		ReviewYear: portal.CleanText(p.Get("review_year")), OpensOn: portal.CleanText(p.Get("opens_on")),
		Deadline: portal.CleanText(p.Get("deadline")), Session: portal.CleanText(p.Get("session")),
		Status: portal.CleanText(p.Get("status")),
	}
	if _, ok := p["version"]; ok {
		n, err := parseVersion(r)
		if err != nil {
			return report.CycleValues{}, portal.Cycle{}, nil, err
		}
		v.Version = n
	}
	c := portal.Cycle{Status: portal.CycleStatus(v.Status), Version: v.Version}
	errs := map[string]string{}
	var ok bool
	switch c.ReviewYear, ok = formInt(v.ReviewYear); {
	case v.ReviewYear == "":
		errs["review_year"] = "cycle.err.review_year_required"
	case !ok:
		errs["review_year"] = "cycle.err.review_year_invalid"
	}
	c.PlanYear = c.ReviewYear + 1
	c.OpensOn, ok = formDate(v.OpensOn)
	switch {
	case v.OpensOn == "":
		errs["opens_on"] = "cycle.err.opens_on_required"
	case !ok:
		errs["opens_on"] = "cycle.err.date_invalid"
	}
	c.Deadline, ok = formDate(v.Deadline)
	switch {
	case v.Deadline == "":
		errs["deadline"] = "cycle.err.deadline_required"
	case !ok:
		errs["deadline"] = "cycle.err.date_invalid"
	}
	if v.Session != "" {
		c.SessionID, ok = formID(v.Session)
		if !ok || !slices.ContainsFunc(sessions, func(o portal.CycleSessionOption) bool { return o.ID == c.SessionID }) {
			errs["session"] = "cycle.err.session_invalid"
		}
	}
	if !slices.Contains(portal.CycleFormStatuses, c.Status) {
		errs["status"] = "cycle.err.status_invalid"
	}
	mergeErrors(errs, c.Validate())
	if errs["review_year"] == "" {
		v.PlanYear = c.PlanYear
	}
	return v, c, errs, nil
}

// cycleValuesFrom fills the cycle form from a saved cycle.
func cycleValuesFrom(c portal.Cycle) report.CycleValues {
	v := report.CycleValues{ReviewYear: strconv.Itoa(c.ReviewYear), OpensOn: formDateString(c.OpensOn),
		Deadline: formDateString(c.Deadline), Status: string(c.Status), Version: c.Version, PlanYear: c.PlanYear}
	if c.SessionID != 0 {
		v.Session = strconv.FormatInt(c.SessionID, 10)
	}
	return v
}

// parseExtensionForm reads the extension form of cycle c in one pass: the
// values as typed, the extension they describe and the field errors.
// candidates are the NGOs the form offered; any other is refused.
func parseExtensionForm(r *http.Request, c portal.Cycle, candidates []portal.NGO) (report.ExtensionValues, portal.Extension, map[string]string, error) {
	if err := r.ParseForm(); err != nil {
		return report.ExtensionValues{}, portal.Extension{}, nil, errBadRequest
	}
	p := r.PostForm
	v := report.ExtensionValues{NGO: portal.CleanText(p.Get("ngo")), Deadline: portal.CleanText(p.Get("deadline")),
		Reason: portal.CleanText(p.Get("reason"))}
	e := portal.Extension{CycleID: c.ID, Reason: v.Reason}
	errs := map[string]string{}
	var ok bool
	e.NGOID, ok = formID(v.NGO)
	switch {
	case v.NGO == "":
		errs["ngo"] = "cycle.err.ngo_required"
	case !ok || !slices.ContainsFunc(candidates, func(n portal.NGO) bool { return n.ID == e.NGOID }):
		errs["ngo"] = "cycle.err.ngo_invalid"
	}
	e.Deadline, ok = formDate(v.Deadline)
	switch {
	case v.Deadline == "":
		errs["deadline"] = "cycle.err.deadline_required"
	case !ok:
		errs["deadline"] = "cycle.err.date_invalid"
	}
	if v.Reason == "" {
		errs["reason"] = "cycle.err.reason_required"
	}
	mergeErrors(errs, e.Validate(c.Deadline))
	return v, e, errs, nil
}
