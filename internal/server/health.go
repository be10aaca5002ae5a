package server

import (
	"context"
	"net/http"
	"time"
)

// handleHealthz answers 200 while the process is up; it touches nothing else.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	writePlain(w, http.StatusOK, "ok")
}

// handleReadyz answers 200 when the database is reachable and its migrations
// are current, else 503 with a short reason.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.ready.Ping(ctx); err != nil {
		s.log.Warn("not ready", "request_id", requestID(r.Context()), "err", err)
		writePlain(w, http.StatusServiceUnavailable, "database unreachable")
		return
	}
	pending, err := s.ready.Pending(ctx)
	if err != nil {
		s.log.Warn("not ready", "request_id", requestID(r.Context()), "err", err)
		writePlain(w, http.StatusServiceUnavailable, "migration status unknown")
		return
	}
	if pending {
		writePlain(w, http.StatusServiceUnavailable, "migrations pending")
		return
	}
	writePlain(w, http.StatusOK, "ready")
}

func writePlain(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body + "\n"))
}
