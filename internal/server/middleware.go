package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// middleware returns the chain every request passes, outermost first. It
// runs inside the router, so that the access log sees the matched pattern.
// What depends on the route comes after routing: the login session
// (withViewer, on the page routes only, see routes) and the body cap
// (uploadLimit on the upload routes, applied by handle).
func (s *Server) middleware() []func(http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.Warn("cross-origin request refused", "request_id", requestID(r.Context()),
			"method", r.Method, "path", r.URL.Path, "origin", r.Header.Get("Origin"))
		s.renderStatus(w, r, http.StatusForbidden)
	}))
	return []func(http.Handler) http.Handler{
		s.withRequestID,
		s.accessLog,
		s.securityHeaders,
		s.withLocale,
		// Outside everything that writes a page, the error pages included.
		s.compress,
		s.recoverPanic,
		// A write's answer waits until the page cache has heard of it.
		s.syncAfterWrite,
		s.timeout,
		// Inside the deadline, before routing: a retried read is routed
		// again from the start.
		s.retryReads,
		cop.Handler,
		// HEAD is answered by the GET handler (headers only), as crawlers and
		// link checkers expect.
		middleware.GetHead,
	}
}

type requestIDKey struct{}

// requestID returns the request's ID, or "" outside a request.
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// withRequestID gives each request a random ID, in the context, the logs and
// the X-Request-Id response header. An ID sent by the client is ignored, so
// nobody can write into the logs through it.
func (s *Server) withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := newRequestID()
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

// newRequestID is a request's random ID.
func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// routePattern is the chi pattern that matched, never the raw path (which
// may carry tokens once links are mailed).
func routePattern(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil {
		if p := rc.RoutePattern(); p != "" {
			return p
		}
	}
	return "(unmatched)"
}

// accessLog writes one structured line per request.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		status := ww.Status()
		if status == 0 {
			status = http.StatusOK
		}
		s.logRequest(r, requestID(r.Context()), routePattern(r), status, ww.BytesWritten(), start)
	})
}

// logRequest writes a request's access-log line.
func (s *Server) logRequest(r *http.Request, id, route string, status, bytes int, start time.Time) {
	level := slog.LevelInfo
	if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
		level = slog.LevelDebug
	}
	s.log.LogAttrs(r.Context(), level, "request",
		slog.String("request_id", id),
		slog.String("method", r.Method),
		slog.String("route", route),
		slog.Int("status", status),
		slog.Int("bytes", bytes),
		slog.Duration("duration", time.Since(start)),
		slog.String("client", s.clientAddr(r).String()),
	)
}

// recoverPanic turns a panic into the 500 page and a log line with the stack.
func (s *Server) recoverPanic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic", "request_id", requestID(r.Context()), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			s.renderStatus(w, r, http.StatusInternalServerError)
		}()
		next.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy allows nothing inline and nothing from elsewhere.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every answer carries.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range s.fixed {
			h[k] = v
		}
		next.ServeHTTP(w, r)
	})
}

// fixedHeaders are the security headers of every answer. The values are
// made once: every answer gets the same slices, which nothing changes in
// place (Header.Set replaces a slice, Add appends to a full one, which
// copies it).
func (s *Server) fixedHeaders() http.Header {
	fixed := http.Header{}
	fixed.Set("Content-Security-Policy", contentSecurityPolicy)
	fixed.Set("X-Content-Type-Options", "nosniff")
	fixed.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	fixed.Set("X-Frame-Options", "DENY")
	fixed.Set("Cross-Origin-Opener-Policy", "same-origin")
	fixed.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
	if s.cfg.BaseURL.Scheme == "https" {
		fixed.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	for k, v := range fixed {
		fixed[k] = v[:len(v):len(v)]
	}
	return fixed
}

type bodyLimitKey struct{}

// uploadLimit is worn by the routes that take a file (r.With): it raises
// their body cap by one file of MaxUploadBytes, so that a file over its own
// limit still reaches the handler and gets a message beside the field, and
// it lets a body announced over the cap reach the handler too, which reads
// at most the cap (readUploadForm) and answers with its own page naming
// the limit. Every other route keeps MaxBodyBytes and refuses a larger
// body outright; handle applies the cap.
func (s *Server) uploadLimit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), bodyLimitKey{}, s.cfg.MaxBodyBytes+s.cfg.MaxUploadBytes)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// bodyLimit is the body cap of the route r matched: MaxBodyBytes unless
// the route wears uploadLimit, which upload reports.
func (s *Server) bodyLimit(r *http.Request) (limit int64, upload bool) {
	if n, ok := r.Context().Value(bodyLimitKey{}).(int64); ok {
		return n, true
	}
	return s.cfg.MaxBodyBytes, false
}

// timeout bounds the work a request may cause: queries run with the
// request's context, so they stop at the deadline and the handler's error
// becomes the 503 page.
func (s *Server) timeout(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
