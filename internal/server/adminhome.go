package server

import (
	"net/http"
	"net/url"
	"time"

	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
	"ngoportal/web/federation"
)

// adminHomeLatest is how many audit entries the admin's home page shows.
const adminHomeLatest = 10

// handleAdminHome is the federation admin's home page: what needs doing
// now, then the figures, the areas of administration and the latest audit
// entries.
func (s *Server) handleAdminHome(w http.ResponseWriter, r *http.Request) error {
	now := time.Now()
	todos, err := s.db.AdminTodos(r.Context(), now)
	if err != nil {
		return err
	}
	c, err := s.db.AdminOverview(r.Context())
	if err != nil {
		return err
	}
	latest, _, err := s.db.ListAudit(r.Context(), postgres.AuditFilter{Limit: adminHomeLatest})
	if err != nil {
		return err
	}
	latestRows, err := s.auditRows(r.Context(), s.translator(r), latest)
	if err != nil {
		return err
	}
	p := s.page(r, "")
	p.Title = p.T.T("admin.home.title")
	byStatus := func(st portal.UserStatus) string {
		return adminUsersPath + "?" + url.Values{"status": {string(st)}}.Encode()
	}
	v := federation.AdminHomeView{
		Page:          p,
		ActiveNGOs:    c.ActiveNGOs,
		UsersActive:   c.UsersActive,
		UsersInvited:  c.UsersInvited,
		UsersDisabled: c.UsersDisabled,
		NGOsPath:      adminNGOsPath,
		UsersPath:     adminUsersPath,
		AuditPath:     adminAuditPath,
		ActivePath:    byStatus(portal.UserActive),
		InvitedPath:   byStatus(portal.UserInvited),
		DisabledPath:  byStatus(portal.UserDisabled),
		Latest:        latestRows,
		Todos:         unreadTodo(p.T, viewerFrom(r.Context()), adminTodoItems(p.T, todos, now)),
	}
	return s.render(w, r, http.StatusOK, federation.AdminHome(v))
}
