package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"
)

// Every URL the handlers redirect to or hand to a view is built here.
const (
	loginPath           = "/login"
	logoutPath          = "/logout"
	accountPasswordPath = "/account/password"
	adminHomePath       = "/admin"
	ngoHomePath         = "/ngo"
	adminNGOsPath       = "/admin/ngos"
	adminUsersPath      = "/admin/users"
	adminAuditPath      = "/admin/audit"
)

func loginPathWith(notice string) string {
	return loginPath + "?" + url.Values{"notice": {notice}}.Encode()
}

func invitePath(token string) string { return "/invite/" + token }
func resetPath(token string) string  { return "/reset/" + token }

func adminNGOPath(id int64) string     { return adminNGOsPath + "/" + strconv.FormatInt(id, 10) }
func adminNGOEditPath(id int64) string { return adminNGOPath(id) + "/edit" }
func adminUserPath(id int64) string    { return adminUsersPath + "/" + strconv.FormatInt(id, 10) }

// idParam reads the route's {id}. Anything but a positive whole number in
// its plain form (no sign, no leading zeros) is a page that does not exist.
func idParam(r *http.Request) (int64, error) {
	raw := chi.URLParam(r, "id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != raw {
		return 0, errNotFound
	}
	return id, nil
}

// rowFromURL reads, with load, the row the route's {id} names: a page that
// does not exist for an id that is not one or a row there is not.
func rowFromURL[T any](r *http.Request, load func(context.Context, int64) (T, error)) (T, error) {
	id, err := idParam(r)
	if err != nil {
		var zero T
		return zero, err
	}
	return load(r.Context(), id)
}
