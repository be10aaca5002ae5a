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
	if compressible(w.Header().Get("Content-Type")) {
		// Precompressed at build time (staticVariant); compress leaves an
		// answer with a Content-Encoding alone.
		addVary(w.Header())
		v := s.staticVariant(chi.URLParam(r, "file"))
		a := accepted(r)
		switch {
		case a.chosen == encBrotli && v.br != nil:
			b = v.br
			w.Header().Set("Content-Encoding", encBrotli)
		case a.chosen != "" && a.gzip && v.gz != nil:
			b = v.gz
			w.Header().Set("Content-Encoding", encGzip)
		}
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}
