package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"ngoportal/web/ngo"
)

// The timeline's paths: an admin's of any NGO, staff's of their own (no
// NGO in the URL: the NGO is the signed-in user's).
const staffTimelinePath = ngoHomePath + "/timeline"

func adminNGOTimelinePath(id int64) string { return adminNGOPath(id) + "/timeline" }

// timelineFederationRoutes is any NGO's timeline, under /admin; routes.go
// has already required an official's role (admin or reviewer).
func (s *Server) timelineFederationRoutes(r chi.Router) {
	r.Get("/ngos/{id}/timeline", s.handle(s.handleNGOTimeline))
}

// timelineStaffRoutes is the staff's own NGO's timeline, under /ngo;
// staffRoutes' group has already required the staff role.
func (s *Server) timelineStaffRoutes(r chi.Router) {
	r.Get("/timeline", s.handle(s.handleStaffTimeline))
}

func (s *Server) handleNGOTimeline(w http.ResponseWriter, r *http.Request) error {
	tl, err := rowFromURL(r, s.db.NGOTimeline)
	if err != nil {
		return err
	}
	v := ngo.TimelineView{Timeline: tl, BackPath: adminNGOPath(tl.NGOID)}
	for _, y := range tl.Years {
		yv := ngo.TimelineYearView{TimelineYear: y}
		if y.Report != nil {
			yv.ReportPath = reviewReportPath(y.Report.ID)
		}
		for _, se := range y.Sessions {
			yv.Sessions = append(yv.Sessions, ngo.TimelineSessionView{TimelineSession: se, Link: adminSessionPath(se.ID)})
		}
		v.Years = append(v.Years, yv)
	}
	return s.renderTimeline(w, r, v)
}

// handleStaffTimeline shows the signed-in staff member's own NGO: the NGO
// comes from the login session, never from the request.
func (s *Server) handleStaffTimeline(w http.ResponseWriter, r *http.Request) error {
	tl, err := s.db.NGOTimeline(r.Context(), viewerFrom(r.Context()).NGOID)
	if err != nil {
		return err
	}
	v := ngo.TimelineView{Timeline: tl, BackPath: ngoHomePath}
	for _, y := range tl.Years {
		yv := ngo.TimelineYearView{TimelineYear: y}
		if y.Report != nil {
			yv.ReportPath = staffReportPath(y.Report.ID)
		}
		for _, se := range y.Sessions {
			sv := ngo.TimelineSessionView{TimelineSession: se}
			// Staff have a page only for the sessions their NGO is invited to.
			if se.Invited {
				sv.Link = staffSessionPath(se.ID)
			}
			yv.Sessions = append(yv.Sessions, sv)
		}
		v.Years = append(v.Years, yv)
	}
	return s.renderTimeline(w, r, v)
}

func (s *Server) renderTimeline(w http.ResponseWriter, r *http.Request, v ngo.TimelineView) error {
	v.Page = s.page(r, "")
	v.Title = v.T.T("timeline.title", "Name", v.T.Pick(v.Timeline.NameZH, v.Timeline.NameEN))
	return s.render(w, r, http.StatusOK, ngo.Timeline(v))
}
