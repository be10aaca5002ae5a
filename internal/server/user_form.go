package server

import (
	"net/http"
	"strconv"
	"strings"

	"ngoportal/internal/portal"
	"ngoportal/web/account"
)

// parseUserForm reads the invitation form (invite set: the email too) or
// an account's edit form in one pass: the values to show again, the
// account they describe, and portal.User's findings (ValidateInvite or
// Validate). A malformed version or NGO choice is a request no page of
// ours sends: 400.
func parseUserForm(r *http.Request, invite bool) (account.UserValues, portal.User, map[string]string, error) {
	p, err := parsePostForm(r)
	if err != nil {
		return account.UserValues{}, portal.User{}, nil, err
	}
	version, err := formVersion(p)
	if err != nil {
		return account.UserValues{}, portal.User{}, nil, err
	}
	v := account.UserValues{
		Name:    portal.CleanText(p.Get("name")),
		NameEN:  portal.CleanText(p.Get("name_en")),
		Role:    parseUserRole(p.Get("role")),
		Version: version,
	}
	if invite {
		v.Email = strings.ToLower(portal.CleanText(p.Get("email")))
	}
	if s := strings.TrimSpace(p.Get("ngo")); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return account.UserValues{}, portal.User{}, nil, errBadRequest
		}
		v.NGOID = id
	}
	u := portal.User{Email: v.Email, Name: v.Name, NameEN: v.NameEN, Role: v.Role, NGOID: v.NGOID, Version: v.Version}
	if invite {
		return v, u, u.ValidateInvite(), nil
	}
	return v, u, u.Validate(), nil
}

// userValuesFrom fills an account's edit form from the saved account.
func userValuesFrom(u portal.User) account.UserValues {
	return account.UserValues{Name: u.Name, NameEN: u.NameEN, Role: u.Role, NGOID: u.NGOID, Version: u.Version}
}
