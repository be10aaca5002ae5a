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
	r.Get("/", s.cachedPublic(s.handle(s.handleHome)))
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

	// The federation's officials: admins and reviewers read everything of
	// the federation, review reports and run check-in; the rest is the
	// admins' alone (a reviewer gets 403 there).
	r.Route(adminHomePath, func(r chi.Router) {
		r.Use(s.requireRole(portal.RoleAdmin, portal.RoleReviewer))
		s.federationRoutes(r)
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(portal.RoleAdmin))
			s.adminRoutes(r)
		})
	})

	// NGO staff: every route works on the signed-in user's own NGO only.
	r.Route(ngoHomePath, func(r chi.Router) {
		r.Use(s.requireRole(portal.RoleStaff))
		s.staffRoutes(r)
	})
}

// federationRoutes are the pages of every federation official, admin or
// reviewer, under /admin: every page that reads the federation's data
// (except accounts and the mail log), the review of reports, a session's
// check-in, and the official's own notifications. routes() has already
// required an official's role.
func (s *Server) federationRoutes(r chi.Router) {
	r.Get("/", s.handle(s.handleAdminHome))
	s.ngoFederationRoutes(r)
	s.auditRoutes(r)
	s.officialFederationRoutes(r)
	s.sessionFederationRoutes(r)
	s.invitationFederationRoutes(r) // with check-in and attendance
	s.requestFederationRoutes(r)
	s.cycleFederationRoutes(r)
	s.vocabularyFederationRoutes(r)
	s.reviewFederationRoutes(r) // with returning and accepting
	s.indicatorFederationRoutes(r)
	s.exportFederationRoutes(r)
	s.attachmentFederationRoutes(r)
	s.summaryFederationRoutes(r)
	s.responseFederationRoutes(r)
	s.readinessFederationRoutes(r)
	s.resultsFederationRoutes(r)
	s.timelineFederationRoutes(r)
	s.trendsFederationRoutes(r)
	s.messageFederationRoutes(r)
	s.notificationRoutes(r)
}

// adminRoutes are what only federation admins may do under /admin:
// manage accounts, the NGO registry, the officials roster, sessions,
// invitations, requests, cycles, the vocabulary, summaries, the answers'
// dates and reminders, messages, and read the mail log. routes() has
// already required the admin role.
func (s *Server) adminRoutes(r chi.Router) {
	s.userAdminRoutes(r)
	s.ngoAdminRoutes(r)
	s.officialAdminRoutes(r)
	s.sessionAdminRoutes(r)
	s.invitationAdminRoutes(r)
	s.requestAdminRoutes(r)
	s.cycleAdminRoutes(r)
	s.vocabularyAdminRoutes(r)
	s.summaryAdminRoutes(r)
	s.responseAdminRoutes(r)
	s.messageAdminRoutes(r)
	s.mailLogAdminRoutes(r)
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
