package server

import (
	"context"
	"maps"
	"mime"
	"net/http"
	"slices"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"ngoportal/internal/postgres"
	"ngoportal/web/ui"
)

// retryAfterSeconds is what a 503 answer asks the client to wait: a
// database restart takes a few seconds.
const retryAfterSeconds = 5

type retryKey struct{}

// retryState is a read's one retry, kept in its context by retryReads.
type retryState struct {
	w     middleware.WrapResponseWriter // Status() is 0 until something is written
	again bool                          // renderError left the answer to a second run
	used  bool                          // the retry is spent (or being run)
}

// retryReads runs a GET or HEAD once more when its database connection
// broke before anything was written: a restarted database or a terminated
// backend leaves the pool holding dead connections, and the reader should
// not see that. renderError decides (retryLater), since every failure of
// a page passes through it, the login-session lookup's included; this
// middleware then drops the pool's connections, restores the headers and
// the routing state of the first run, and serves the request again, within
// the same deadline. Nothing is written before a page is rendered in full
// (render), so a failed run leaves no trace. Writes are never run twice.
func (s *Server) retryReads(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		header := maps.Clone(w.Header()) // shallow: set headers are replaced, never changed in place
		rctx := chi.RouteContext(r.Context())
		routes, routePath, routeMethod := rctx.Routes, rctx.RoutePath, rctx.RouteMethod
		st := &retryState{w: middleware.NewWrapResponseWriter(w, r.ProtoMajor)}
		r = r.WithContext(context.WithValue(r.Context(), retryKey{}, st))
		next.ServeHTTP(st.w, r)
		if !st.again {
			return
		}
		s.db.Reset()
		h := w.Header()
		clear(h)
		maps.Copy(h, header)
		rctx.Reset()
		rctx.Routes, rctx.RoutePath, rctx.RouteMethod = routes, routePath, routeMethod
		next.ServeHTTP(st.w, r)
	})
}

// retryLater reports whether renderError should leave err unanswered
// because retryReads will run the request again: the request is a read,
// its connection was lost (postgres.ConnectionLost), nothing was written
// yet, its deadline has not passed, and this was the first run.
func (s *Server) retryLater(r *http.Request, err error) bool {
	st, _ := r.Context().Value(retryKey{}).(*retryState)
	if st == nil || st.used || st.w.Status() != 0 || r.Context().Err() != nil || !postgres.ConnectionLost(err) {
		return false
	}
	st.used, st.again = true, true
	s.log.Warn("database connection lost; running the request again",
		"request_id", requestID(r.Context()), "method", r.Method, "route", routePattern(r), "err", err)
	return true
}

// againForm is what the 503 page offers to try again with: for a read, its
// own address; for a form, the fields it sent (never a password, never a
// file), to send again to the same address, so nothing typed is lost. A
// form the handler had not read yet (the login-session lookup failed
// first) is read here, within the body cap.
func (s *Server) againForm(w http.ResponseWriter, r *http.Request) (retryURL string, resend *ui.Resend) {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return localPath(r.URL.RequestURI()), nil
	}
	if r.Method != http.MethodPost {
		return "", nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	multipart := mt == "multipart/form-data"
	if r.PostForm == nil && r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
		if multipart {
			_, _ = s.readUploadForm(r, "", 0) // the text fields only; what was read is offered
		} else {
			_ = r.ParseForm()
		}
	}
	resend = &ui.Resend{Action: localPath(r.URL.RequestURI()), Multipart: multipart}
	for _, name := range slices.Sorted(maps.Keys(r.PostForm)) {
		if secretField(name) {
			continue
		}
		for _, v := range r.PostForm[name] {
			resend.Fields = append(resend.Fields, ui.ResendField{Name: name, Value: v})
		}
	}
	return "", resend
}

// secretField reports whether a form field carries a password, which the
// 503 page never repeats: the names of every password input
// (TestSecretFieldsCoverPasswordInputs keeps this list complete) and the
// second step's code, which may be a one-use recovery code.
func secretField(name string) bool {
	switch name {
	case "password", "current", "confirm", "proof", "code":
		return true
	}
	return false
}
