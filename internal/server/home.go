package server

import (
	"errors"
	"net/http"

	"ngoportal/internal/portal"
	"ngoportal/web"
)

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	v := web.HomeView{Page: s.page(r, "")}
	latest, err := s.db.LatestHeldSession(r.Context())
	switch {
	case err == nil:
		v.Latest = &latest
	case !errors.Is(err, portal.ErrNotFound):
		return err
	}
	return s.render(w, r, http.StatusOK, web.Home(v))
}
