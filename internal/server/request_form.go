package server

import (
	"net/http"
	"slices"
	"strconv"

	"ngoportal/internal/portal"
	"ngoportal/web/session"
)

// parseRequestForm reads the chair's-request form in one pass: the values
// as typed, the request of session sessionID (requestID, 0 for a new one)
// they describe and the field errors. officials and ngos are the choices
// the form offered; any other is refused. Recipients are read only when the
// request is addressed to named NGOs, but kept as ticked either way. A
// malformed version is 400; a missing one is 0 (the new-request form has
// none).
func parseRequestForm(r *http.Request, officials []session.RequestOfficialOption, ngos []session.RequestNGOOption, sessionID, requestID int64) (session.RequestValues, portal.Request, map[string]string, error) {
	if err := r.ParseForm(); err != nil {
		return session.RequestValues{}, portal.Request{}, nil, err
	}
	p := r.PostForm
	v := session.RequestValues{
		Number: portal.CleanText(p.Get("number")), TextZH: portal.CleanText(p.Get("text_zh")),
		TextEN: portal.CleanText(p.Get("text_en")), MadeBy: portal.CleanText(p.Get("made_by")),
		AddressedTo: portal.CleanText(p.Get("addressed_to")),
	}
	for _, id := range p["recipients"] {
		if id = portal.CleanText(id); id != "" && !slices.Contains(v.Recipients, id) {
			v.Recipients = append(v.Recipients, id)
		}
	}
	if _, ok := p["version"]; ok {
		n, err := parseVersion(r)
		if err != nil {
			return session.RequestValues{}, portal.Request{}, nil, err
		}
		v.Version = n
	}

	req := portal.Request{ID: requestID, SessionID: sessionID, TextZH: v.TextZH, TextEN: v.TextEN,
		AddressedToAll: v.AddressedTo == session.RequestToAll, Version: v.Version}
	errs := map[string]string{}
	var ok bool
	req.Number, ok = formInt(v.Number)
	switch {
	case v.Number == "":
		errs["number"] = "request.error.number_required"
	case !ok:
		errs["number"] = "request.error.number_invalid"
	}
	if v.TextZH == "" {
		errs["text_zh"] = "request.error.text_zh_required"
	}
	req.MadeBy, ok = formID(v.MadeBy)
	switch {
	case v.MadeBy == "":
		errs["made_by"] = "request.error.made_by_required"
	case !ok || !slices.ContainsFunc(officials, func(o session.RequestOfficialOption) bool { return o.ID == req.MadeBy }):
		errs["made_by"] = "request.error.made_by_invalid"
	}
	switch v.AddressedTo {
	case session.RequestToAll:
	case session.RequestToNamed:
		if len(v.Recipients) == 0 {
			errs["recipients"] = "request.error.recipients_required"
		}
		for _, raw := range v.Recipients {
			id, ok := formID(raw)
			if !ok || !slices.ContainsFunc(ngos, func(n session.RequestNGOOption) bool { return n.ID == id }) {
				errs["recipients"] = "request.error.recipients_invalid"
				continue
			}
			req.Recipients = append(req.Recipients, id)
		}
	default:
		errs["addressed_to"] = "request.error.addressed_to_required"
	}
	mergeErrors(errs, req.Validate())
	return v, req, errs, nil
}

// requestValuesFrom fills the request form with a saved request.
func requestValuesFrom(q portal.Request) session.RequestValues {
	v := session.RequestValues{Number: strconv.Itoa(q.Number), TextZH: q.TextZH, TextEN: q.TextEN,
		AddressedTo: session.RequestToAll, Version: q.Version}
	if q.MadeBy != 0 {
		v.MadeBy = strconv.FormatInt(q.MadeBy, 10)
	}
	if !q.AddressedToAll {
		v.AddressedTo = session.RequestToNamed
		for _, id := range q.Recipients {
			v.Recipients = append(v.Recipients, strconv.FormatInt(id, 10))
		}
	}
	return v
}
