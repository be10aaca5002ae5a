// Package server is the portal's HTTP layer: router, middleware, handlers
// and the one renderer that turns errors into pages.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/gorilla/sessions"

	"ngoportal/internal/config"
	"ngoportal/internal/i18n"
	"ngoportal/internal/postgres"
	"ngoportal/web/ui"
)

// Readiness is what /readyz asks of the database.
type Readiness interface {
	Ping(ctx context.Context) error
	Pending(ctx context.Context) (bool, error)
}

// Deps are the server's collaborators, made once at start-up.
type Deps struct {
	Config    config.Config
	Log       *slog.Logger
	DB        *postgres.DB
	Mailer    Mailer // nil: links are shown to the admin to pass on
	Readiness Readiness
	Catalogue *i18n.Catalogue
	Assets    *ui.Assets
}

// Server serves the portal.
type Server struct {
	cfg     config.Config
	log     *slog.Logger
	db      *postgres.DB
	mailer  Mailer
	cookies *sessions.CookieStore
	ready   Readiness
	cat     *i18n.Catalogue
	assets  *ui.Assets
	router  *chi.Mux
	// statements are the privacy and accessibility statements, rendered:
	// kind → locale → HTML.
	statements map[string]map[i18n.Locale]string

	// The ETag seed, computed on first use (etagSeed).
	seedOnce sync.Once
	seed     []byte
	seedErr  error

	// Pooled encoders for compress.
	compressors *compressors

	// The security headers of every answer (fixedHeaders).
	fixed http.Header

	// The public pages kept rendered (page_cache.go); nil when
	// PORTAL_PAGE_CACHE_MB is 0. Off until RunPageCacheListener listens.
	pages *pageCache
}

// New builds the server and its routes.
func New(d Deps) *Server {
	s := &Server{
		cfg:     d.Config,
		log:     d.Log,
		db:      d.DB,
		mailer:  d.Mailer,
		cookies: newCookieStore(d.Config),
		ready:   d.Readiness,
		cat:     d.Catalogue,
		assets:  d.Assets,
		router:  chi.NewRouter(),

		compressors: newCompressors(),
	}
	if d.Config.PageCacheBytes > 0 {
		s.pages = newPageCache(d.Config.PageCacheBytes)
	}
	s.fixed = s.fixedHeaders()
	s.statements = s.renderStatements()
	s.router.Use(s.middleware()...)
	s.routes()
	return s
}

// ServeHTTP implements http.Handler. A public page the page cache holds
// is answered before routing (serveCached); everything else is routed.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.serveCached(w, r) {
		return
	}
	s.router.ServeHTTP(w, r)
}

// dbReadiness joins the pool and the migrator into the Readiness /readyz needs.
type dbReadiness struct {
	db *postgres.DB
	m  *postgres.Migrator
}

// NewReadiness reports the database reachable and its migrations current.
func NewReadiness(db *postgres.DB, m *postgres.Migrator) Readiness { return dbReadiness{db, m} }

func (d dbReadiness) Ping(ctx context.Context) error            { return d.db.Ping(ctx) }
func (d dbReadiness) Pending(ctx context.Context) (bool, error) { return d.m.Pending(ctx) }

// Serve answers requests on ln until ctx is cancelled, then stops accepting,
// lets in-flight requests finish within shutdownTimeout and returns. A clean
// shutdown returns nil.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, requestTimeout, shutdownTimeout time.Duration, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       requestTimeout,
		WriteTimeout:      requestTimeout + 5*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", shutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("stopped")
	return nil
}

// Build wires a server over db the way the binary runs it: the embedded
// catalogues and assets, and readiness from the pool and the migrations.
// The returned func releases what Build opened (not db).
func Build(cfg config.Config, log *slog.Logger, db *postgres.DB) (*Server, func(), error) {
	m, err := db.NewMigrator()
	if err != nil {
		return nil, nil, err
	}
	cat, err := i18n.Load(log)
	if err != nil {
		m.Close()
		return nil, nil, err
	}
	assets, err := ui.LoadAssets()
	if err != nil {
		m.Close()
		return nil, nil, err
	}
	s := New(Deps{
		Config:    cfg,
		Log:       log,
		DB:        db,
		Readiness: NewReadiness(db, m),
		Catalogue: cat,
		Assets:    assets,
	})
	return s, func() { m.Close() }, nil
}
