package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"ngoportal/internal/portal"
	"ngoportal/web/session"
)

// sessionChoices are the ids the session form's selects and checkboxes
// offered; anything else is refused.
type sessionChoices struct {
	cycles, officials, ngos map[int64]bool
}

// parseSessionForm reads the session form in one pass: the values as typed,
// the plan they describe and the field errors. A reply deadline is needed
// once the session is scheduled (status). The agenda rows are
// agenda_<i>_<field> for i below agenda_rows; a count past the limit by
// more than one is no form of ours (400), one more is kept so that the
// plan's rules can say there are too many. A malformed version is 400; a
// missing one is 0 (the new-session form has none). Which button sent the
// form is the "op" value, read by the handler.
func parseSessionForm(r *http.Request, c sessionChoices, status portal.SessionStatus) (session.SessionValues, portal.SessionPlan, map[string]string, error) {
	if err := r.ParseForm(); err != nil {
		return session.SessionValues{}, portal.SessionPlan{}, nil, err
	}
	p := r.PostForm
	get := func(name string) string { return portal.CleanText(p.Get(name)) }
	v := session.SessionValues{
		TitleZH: get("title_zh"), TitleEN: get("title_en"), Level: get("level"),
		HeldOn: get("held_on"), StartsAt: get("starts_at"),
		VenueZH: get("venue_zh"), VenueEN: get("venue_en"), Cycle: get("cycle"),
		DeadlineDate: get("deadline_date"), DeadlineTime: get("deadline_time"),
	}
	for _, o := range p["officials"] {
		v.Officials = append(v.Officials, portal.CleanText(o))
	}
	n, err := strconv.Atoi(strings.TrimSpace(p.Get("agenda_rows")))
	if err != nil || n < 0 || n > portal.MaxAgendaRows+1 {
		return session.SessionValues{}, portal.SessionPlan{}, nil, errBadRequest
	}
	for i := 0; i < n; i++ {
		row := func(name string) string { return get(portal.AgendaField(i, name)) }
		v.Agenda = append(v.Agenda, session.AgendaValues{TitleZH: row("title_zh"), TitleEN: row("title_en"), NGO: row("ngo"), Minutes: row("minutes")})
	}
	if ver, ok := p["version"]; ok {
		n, err := strconv.Atoi(strings.TrimSpace(ver[0]))
		if err != nil || n < 1 {
			return session.SessionValues{}, portal.SessionPlan{}, nil, errBadRequest
		}
		v.Version = n
	}

	plan := portal.SessionPlan{Session: portal.Session{
		TitleZH: v.TitleZH, TitleEN: v.TitleEN, Level: portal.SessionLevel(v.Level),
		StartsAt: v.StartsAt, VenueZH: v.VenueZH, VenueEN: v.VenueEN, Version: v.Version,
	}}
	errs := map[string]string{}
	for field, value := range map[string]string{"title_zh": v.TitleZH, "title_en": v.TitleEN} {
		if value == "" {
			errs[field] = "session.err." + field + "_required"
		}
	}
	if plan.Level != portal.LevelMunicipal && plan.Level != portal.LevelDistrict {
		errs["level"] = "session.err.level_invalid"
	}
	var ok bool
	plan.HeldOn, ok = formDate(v.HeldOn)
	switch {
	case v.HeldOn == "":
		errs["held_on"] = "session.err.held_on_required"
	case !ok:
		errs["held_on"] = "session.err.date_invalid"
	}
	if v.StartsAt != "" && !formClock(v.StartsAt) {
		errs["starts_at"] = "session.err.time_invalid"
	}
	if v.Cycle != "" {
		if plan.CycleID, ok = formID(v.Cycle); !ok || !c.cycles[plan.CycleID] {
			errs["cycle"] = "session.err.cycle_invalid"
		}
	}
	switch {
	case v.DeadlineDate == "" && v.DeadlineTime != "":
		errs["deadline_date"] = "session.err.deadline_date_required"
	case v.DeadlineDate == "" && status == portal.SessionScheduled:
		errs["deadline_date"] = "session.err.deadline_required"
	case v.DeadlineDate != "":
		// A deadline without a time is the end of that day (23:59) in
		// Shanghai; so is one whose time is wrong, for the date's own rule.
		clock := "23:59"
		if v.DeadlineTime != "" {
			if formClock(v.DeadlineTime) {
				clock = v.DeadlineTime
			} else {
				errs["deadline_time"] = "session.err.time_invalid"
			}
		}
		if d, ok := portal.ParseDay(v.DeadlineDate, portal.FederationZone); ok {
			hm, _ := time.Parse("15:04", clock)
			at := time.Date(d.Year(), d.Month(), d.Day(), hm.Hour(), hm.Minute(), 0, 0, portal.FederationZone)
			plan.ReplyDeadline = &at
		} else {
			errs["deadline_date"] = "session.err.date_invalid"
		}
	}
	for _, o := range v.Officials {
		id, ok := formID(o)
		if !ok || !c.officials[id] {
			errs["officials"] = "session.err.official_invalid"
			continue
		}
		plan.OfficialIDs = append(plan.OfficialIDs, id)
	}
	for i, a := range v.Agenda {
		item := portal.AgendaItem{TitleZH: a.TitleZH, TitleEN: a.TitleEN}
		if a.TitleZH == "" {
			errs[portal.AgendaField(i, "title_zh")] = "session.err.agenda_title_required"
		}
		if a.NGO != "" {
			if item.NGOID, ok = formID(a.NGO); !ok || !c.ngos[item.NGOID] {
				errs[portal.AgendaField(i, "ngo")] = "session.err.ngo_invalid"
			}
		}
		if a.Minutes != "" {
			// A typed duration is a whole number of minutes, at least one:
			// 0 is the plan's "not set".
			if item.DurationMinutes, ok = formInt(a.Minutes); !ok || item.DurationMinutes < 1 {
				errs[portal.AgendaField(i, "minutes")] = "session.err.minutes_invalid"
			}
		}
		plan.Agenda = append(plan.Agenda, item)
	}
	mergeErrors(errs, plan.Validate())
	return v, plan, errs, nil
}

// sessionValuesFrom fills the session form from a saved session.
func sessionValuesFrom(d portal.SessionDetail) session.SessionValues {
	v := session.SessionValues{
		TitleZH: d.TitleZH, TitleEN: d.TitleEN, Level: string(d.Level),
		HeldOn: d.HeldOn.Format(time.DateOnly), StartsAt: d.StartsAt,
		VenueZH: d.VenueZH, VenueEN: d.VenueEN, Version: d.Version,
	}
	if d.CycleID != 0 {
		v.Cycle = strconv.FormatInt(d.CycleID, 10)
	}
	if d.ReplyDeadline != nil {
		t := d.ReplyDeadline.In(portal.FederationZone)
		v.DeadlineDate, v.DeadlineTime = t.Format(time.DateOnly), t.Format("15:04")
	}
	for _, o := range d.Officials {
		v.Officials = append(v.Officials, strconv.FormatInt(o.ID, 10))
	}
	for _, a := range d.Agenda {
		row := session.AgendaValues{TitleZH: a.TitleZH, TitleEN: a.TitleEN}
		if a.NGOID != 0 {
			row.NGO = strconv.FormatInt(a.NGOID, 10)
		}
		if a.DurationMinutes != 0 {
			row.Minutes = strconv.Itoa(a.DurationMinutes)
		}
		v.Agenda = append(v.Agenda, row)
	}
	return v
}

// applyAgendaOp edits the agenda rows for a post-back without JavaScript:
// op is "add-row", "remove-row-N", "up-N" or "down-N" (N counts rows from
// 1). It reports whether op was one of these; anything else changes nothing.
func applyAgendaOp(v *session.SessionValues, op string) bool {
	if op == "add-row" {
		if len(v.Agenda) < portal.MaxAgendaRows {
			v.Agenda = append(v.Agenda, session.AgendaValues{})
		}
		return true
	}
	for _, prefix := range []string{"remove-row-", "up-", "down-"} {
		rest, ok := strings.CutPrefix(op, prefix)
		if !ok {
			continue
		}
		n, err := strconv.Atoi(rest)
		if err != nil || n < 1 || n > len(v.Agenda) {
			return true // a stale button: just show the form again
		}
		i := n - 1
		switch prefix {
		case "remove-row-":
			v.Agenda = append(v.Agenda[:i], v.Agenda[i+1:]...)
		case "up-":
			if i > 0 {
				v.Agenda[i-1], v.Agenda[i] = v.Agenda[i], v.Agenda[i-1]
			}
		case "down-":
			if i < len(v.Agenda)-1 {
				v.Agenda[i+1], v.Agenda[i] = v.Agenda[i], v.Agenda[i+1]
			}
		}
		return true
	}
	return false
}
