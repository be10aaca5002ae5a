package server

import (
	"net/url"
	"strconv"
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
