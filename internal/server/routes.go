package server

import "net/http"

func (s *Server) routes() {
	r := s.router
	r.NotFound(s.handle(func(w http.ResponseWriter, r *http.Request) error { return errNotFound }))
	r.MethodNotAllowed(s.handle(func(w http.ResponseWriter, r *http.Request) error { return errMethodNotAllowed }))

	r.Get("/healthz", s.handleHealthz)
	r.Get("/readyz", s.handleReadyz)
	r.Get("/static/{file}", s.handleStatic)

	r.Get("/", s.handle(s.handleHome))
	r.Post("/locale", s.handle(s.handleLocaleUpdate))
}
