package server

import (
	"net/http"

	"ngoportal/internal/portal"
	"ngoportal/web/session"
)

// parseWalkInForm reads the walk-in form of one NGO on the check-in page in
// one pass: the values as typed, the walk-in they describe and the field
// errors. The mobile is cleaned like a named representative's. A missing
// or malformed version is a request no page of ours sends: 400.
func parseWalkInForm(r *http.Request) (session.WalkInValues, portal.WalkIn, map[string]string, error) {
	p, err := parsePostForm(r)
	if err != nil {
		return session.WalkInValues{}, portal.WalkIn{}, nil, err
	}
	version, err := formVersion(p)
	if err != nil {
		return session.WalkInValues{}, portal.WalkIn{}, nil, err
	}
	if version == 0 {
		return session.WalkInValues{}, portal.WalkIn{}, nil, errBadRequest
	}
	v := session.WalkInValues{
		Version: version,
		Name:    portal.CleanText(p.Get("walkin_name")),
		Title:   portal.CleanText(p.Get("walkin_title")),
		Mobile:  cleanMobile(p.Get("walkin_mobile")),
	}
	w := portal.WalkIn{Name: v.Name, Title: v.Title, Mobile: v.Mobile}
	errs := map[string]string{}
	mergeErrors(errs, w.Validate())
	return v, w, errs, nil
}
