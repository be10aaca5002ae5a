package server

import (
	"errors"
	"net/http"
	"time"

	"ngoportal/internal/portal"
	"ngoportal/web/public"
)

// handleHome is the public front page: the latest published summaries and
// the key figures of the latest session that has one. Nothing about a
// session reaches it before its summary is published.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	v := public.HomeView{Page: s.publicPage(r, "", "/")}
	v.Head.Description = v.T.T("public.home.description", "Federation", v.Federation)
	v.Head.OGType, v.Head.OGTitle = "website", v.T.T("site.name")
	latest, err := s.db.LatestPublished(r.Context(), homeLatest)
	if err != nil {
		return err
	}
	v.Latest = latest
	if len(latest) > 0 {
		ps, err := s.db.PublishedSummaryBySlug(r.Context(), latest[0].SessionSlug)
		switch {
		case err == nil:
			v.Figures = &public.PublicFigures{
				Slug:      ps.Session.Slug,
				Title:     v.T.Pick(ps.Session.TitleZH, ps.Session.TitleEN),
				HeldOn:    ps.Session.HeldOn,
				Level:     ps.Session.Level,
				NGOs:      ps.AttendanceCount(),
				Officials: ps.Officials,
				Requests:  len(ps.Requests),
			}
		case !errors.Is(err, portal.ErrNotFound): // unpublished meanwhile: no figures
			return err
		}
	}
	return s.renderPublic(w, r, v.Page, time.Time{}, public.Home(v))
}
