package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/portal"
)

// routes declares every route, grouped by who may use it. The group's
// middleware is the only place access is decided; the route × role matrix
// test walks this router and fails on a route it has no rule for.
func (s *Server) routes() {
	r := s.router
	// An unknown address still shows who is signed in, in the header.
	r.NotFound(s.withViewer(s.handle(func(w http.ResponseWriter, r *http.Request) error { return errNotFound })).ServeHTTP)
	r.MethodNotAllowed(s.withViewer(s.handle(func(w http.ResponseWriter, r *http.Request) error { return errMethodNotAllowed })).ServeHTTP)

	// Health checks and assets never depend on who asks: they are mounted
	// outside the login session, so that they cost no query when the
	// browser sends its cookie along.
	r.Get("/healthz", s.handleHealthz)
	r.Get("/readyz", s.handleReadyz)
	r.Get("/static/{file}", s.handleStatic)

	// Every page knows who is signed in (if anyone).
	r.Group(func(r chi.Router) {
		r.Use(s.withViewer)
		s.pageRoutes(r)
	})
}

// pageRoutes are every page, grouped by who may use it.
func (s *Server) pageRoutes(r chi.Router) {
	// Public: no sign-in.
	r.Get("/", s.handle(s.handleHome))
	s.publicRoutes(r)
	s.statementRoutes(r)
	r.Post("/locale", s.handle(s.handleLocaleUpdate))
	r.Get(loginPath, s.handle(s.handleLoginNew))
	r.Post(loginPath, s.handle(s.handleLoginCreate))
	s.signInStepRoutes(r)
	r.Get("/invite/{token}", s.handle(s.handleInviteEdit))
	r.Post("/invite/{token}", s.handle(s.handleInviteUpdate))
	r.Get("/reset/{token}", s.handle(s.handleResetEdit))
	r.Post("/reset/{token}", s.handle(s.handleResetUpdate))

	// Any signed-in user.
	r.Group(func(r chi.Router) {
		r.Use(s.requireSignedIn)
		r.Post(logoutPath, s.handle(s.handleLogout))
		r.Get(accountPasswordPath, s.handle(s.handlePasswordEdit))
		r.Post(accountPasswordPath, s.handle(s.handlePasswordUpdate))
		s.secondFactorRoutes(r)
	})

	// Federation admins.
	r.Route(adminHomePath, func(r chi.Router) {
		r.Use(s.requireRole(portal.RoleAdmin))
		s.adminRoutes(r)
	})

	// NGO staff: every route works on the signed-in user's own NGO only.
	r.Route(ngoHomePath, func(r chi.Router) {
		r.Use(s.requireRole(portal.RoleStaff))
		s.staffRoutes(r)
	})
}

// adminRoutes are the federation admin's pages, under /admin; routes()
// has already required the admin role.
func (s *Server) adminRoutes(r chi.Router) {
	r.Get("/", s.handle(s.handleAdminHome))
	s.ngoAdminRoutes(r)
	s.userAdminRoutes(r)
	s.auditRoutes(r)
	s.officialAdminRoutes(r)
	s.sessionAdminRoutes(r)
	s.invitationAdminRoutes(r)
	s.requestAdminRoutes(r)
	s.cycleAdminRoutes(r)
	s.vocabularyAdminRoutes(r)
	s.reviewAdminRoutes(r)
	s.indicatorAdminRoutes(r)
	s.exportAdminRoutes(r)
	s.attachmentAdminRoutes(r)
	s.summaryAdminRoutes(r)
	s.responseAdminRoutes(r)
	s.readinessAdminRoutes(r)
	s.resultsAdminRoutes(r)
	s.timelineAdminRoutes(r)
	s.trendsAdminRoutes(r)
	s.notificationRoutes(r)
	s.mailLogAdminRoutes(r)
	s.messageAdminRoutes(r)
}

// staffRoutes are NGO staff's pages, under /ngo; routes() has already
// required the staff role, and every handler reads the NGO from the viewer.
func (s *Server) staffRoutes(r chi.Router) {
	r.Get("/", s.handle(s.handleStaffHome))
	s.staffInvitationRoutes(r)
	s.staffReportRoutes(r)
	s.reviewStaffRoutes(r)
	s.staffAttachmentRoutes(r)
	s.staffExportRoutes(r)
	s.responseStaffRoutes(r)
	s.timelineStaffRoutes(r)
	s.notificationRoutes(r)
	s.messageStaffRoutes(r)
}
