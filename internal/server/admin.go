package server

import "github.com/go-chi/chi/v5"

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
	s.exportAdminRoutes(r)
	s.attachmentAdminRoutes(r)
	s.summaryAdminRoutes(r)
}

// staffRoutes are NGO staff's pages, under /ngo; routes() has already
// required the staff role, and every handler reads the NGO from the viewer.
func (s *Server) staffRoutes(r chi.Router) {
	r.Get("/", s.handle(s.handleStaffHome))
	s.staffSessionRoutes(r)
	s.staffReportRoutes(r)
	s.staffAttachmentRoutes(r)
	s.staffExportRoutes(r)
}
