package server

import (
	"bytes"
	"mime"
	"net/http"
	"path"
	"time"

	"github.com/go-chi/chi/v5"
)

// handleStatic serves content-hashed assets for a year: the URL changes when
// the content does. Any other name is a 404.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	b, name, ok := s.assets.Open(chi.URLParam(r, "file"))
	if !ok {
		s.renderStatus(w, r, http.StatusNotFound)
		return
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}
