package server

import (
	"errors"
	"net/http"
	"time"

	"ngoportal/internal/portal"
	"ngoportal/web/public"
)

// handleHome is the public front page: the latest session with a published
// summary (its date, cover, key figures and the chair's requests), then the
// summaries of earlier sessions. Nothing about a session reaches it before
// its summary is published. Two reads: the list (one query) and the latest
// summary's page (one snapshot of four queries).
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	v := public.HomeView{Page: s.publicPage(r, "", "/")}
	v.Head.Description = v.T.T("public.home.description", "Federation", v.Federation)
	v.Head.OGType, v.Head.OGTitle = "website", v.T.T("site.name")
	latest, err := s.db.LatestPublished(r.Context(), homeEarlier+1)
	if err != nil {
		return err
	}
	v.Earlier = latest
	if len(latest) > 0 {
		ps, err := s.db.PublishedSummaryBySlug(r.Context(), latest[0].SessionSlug)
		switch {
		case err == nil:
			v.Latest, v.Earlier = &ps, latest[1:]
			if ps.Summary.HasCover {
				v.LatestCoverURL = coverURL(ps.Session.Slug, ps.Summary.CoverSHA256)
				v.Head.OGImage = s.absURL(v.LatestCoverURL)
				v.Head.OGAlt = ps.Summary.CoverAltZH
				if v.T.Locale == "en" && ps.Summary.CoverAltEN != "" {
					v.Head.OGAlt = ps.Summary.CoverAltEN
				}
			}
		case !errors.Is(err, portal.ErrNotFound): // unpublished meanwhile: the list alone
			return err
		}
	}
	return s.renderPublic(w, r, v.Page, time.Time{}, public.Home(v))
}
