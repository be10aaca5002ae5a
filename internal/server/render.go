package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/a-h/templ"

	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
	"ngoportal/web/ui"
)

// handlerFunc is the signature of every page handler: it returns an error
// instead of writing one, and handle turns the error into a page.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// statusError carries an HTTP status for failures that have no domain meaning.
type statusError struct{ status int }

func (e statusError) Error() string { return http.StatusText(e.status) }

var (
	errNotFound         = fmt.Errorf("route: %w", portal.ErrNotFound)
	errMethodNotAllowed = statusError{http.StatusMethodNotAllowed}
	errBadRequest       = statusError{http.StatusBadRequest}
)

// statusOf maps an error onto a status, in one table.
func statusOf(err error) int {
	var se statusError
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &se):
		return se.status
	case errors.Is(err, portal.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, portal.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, portal.ErrConflict):
		return http.StatusConflict
	case errors.As(err, &tooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, context.DeadlineExceeded), postgres.Unavailable(err):
		return http.StatusServiceUnavailable
	case postgres.InvalidText(err):
		// A NUL or a character the database cannot hold: checkInput
		// refuses these at the edge, this is the backstop.
		return http.StatusBadRequest
	default:
		return http.StatusInternalServerError
	}
}

// handle adapts a handlerFunc to net/http. Every page passes it after
// routing, so it applies the body cap the route chose (bodyLimit): a body
// announced over it is refused at once with 413, one discovered while
// reading fails the handler's read, which renders 413 too. An upload route
// gets its body either way and shows its own page (readUploadForm).
func (s *Server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		limit, upload := s.bodyLimit(r)
		if r.ContentLength > limit && !upload {
			s.renderError(w, r, &http.MaxBytesError{Limit: limit})
			return
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		if err := checkInput(r); err != nil {
			s.renderError(w, r, err)
			return
		}
		if err := h(w, r); err != nil {
			s.renderError(w, r, err)
		}
	}
}

// renderError logs err with the request ID and shows the reader a plain page
// in their language. The error's text never reaches the page. A read whose
// database connection broke is not answered here but run once more
// (retryReads); a database that cannot be reached is a warning, not an
// error of ours: the 503 page says the portal will be back shortly.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	if s.retryLater(r, err) {
		return
	}
	status := statusOf(err)
	level := slog.LevelInfo
	switch {
	case postgres.Unavailable(err):
		level = slog.LevelWarn
	case status >= 500:
		level = slog.LevelError
	}
	s.log.Log(r.Context(), level, "request failed",
		"request_id", requestID(r.Context()), "method", r.Method, "route", routePattern(r),
		"status", status, "err", err)
	s.renderStatus(w, r, status)
}

// renderStatus writes the error page for status.
func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int) {
	key := strconv.Itoa(status)
	switch status {
	case 400, 403, 404, 405, 409, 413, 500, 503:
	default:
		if status >= 500 {
			key = "500"
		} else {
			key = "400"
		}
	}
	p := s.page(r, "")
	p.Title = p.T.T("error." + key + ".title")
	v := ui.ErrorView{
		Page:      p,
		Status:    status,
		Heading:   p.Title,
		Message:   p.T.T("error." + key + ".message"),
		RequestID: requestID(r.Context()),
	}
	w.Header().Set("Cache-Control", "no-store")
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds))
		v.RetryURL, v.Resend = s.againForm(w, r)
	}
	if err := s.render(w, r, status, ui.Error(v)); err != nil {
		s.log.Error("render error page", "request_id", requestID(r.Context()), "err", err)
		http.Error(w, http.StatusText(status), status)
	}
}

// render renders c into a buffer first, so that a failing template becomes a
// clean 500 page instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) error {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	if err != nil {
		// The client went away; nothing more can be sent.
		s.log.Debug("write response", "request_id", requestID(r.Context()), "err", err)
	}
	return nil
}

// page builds the layout data every page shares.
func (s *Server) page(r *http.Request, title string) ui.Page {
	t := s.cat.Translator(localeFrom(r.Context()))
	path := r.URL.Path
	if r.URL.RawQuery != "" {
		path += "?" + r.URL.RawQuery
	}
	p := ui.Page{
		T:          t,
		Title:      title,
		Path:       path,
		Viewer:     viewerFrom(r.Context()),
		Federation: t.Pick(s.cfg.FederationZH, s.cfg.FederationEN),
		Assets:     s.assets,
		Footer:     s.footer(t.Locale),
	}
	if f := s.takeFlash(r); f.Key != "" {
		var args []any
		for k, n := range f.Args {
			args = append(args, k, n)
		}
		p.Flash, p.FlashLink, p.FlashCodes = t.T(f.Key, args...), f.Link, f.Codes
	}
	return p
}
