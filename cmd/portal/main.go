// Command portal is the ngoportal binary: it serves the portal, applies
// migrations and loads the demo data.
//
//	portal serve          apply pending migrations (unless PORTAL_MIGRATE_ON_START=false) and serve
//	portal migrate        apply pending migrations and exit
//	portal seed --demo    load the demo federation (refused in production)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"ngoportal/internal/config"
	"ngoportal/internal/demo"
	"ngoportal/internal/devdb"
	"ngoportal/internal/postgres"
	"ngoportal/internal/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "portal: %v\n", err)
		os.Exit(1)
	}
}

const usage = `usage: portal <command>

commands:
  serve          apply pending migrations (unless PORTAL_MIGRATE_ON_START=false) and serve
  migrate        apply pending migrations and exit
  seed --demo    load the demo federation (idempotent; refused when PORTAL_ENV=production)
`

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)

	switch args[0] {
	case "serve":
		return serve(ctx, cfg, log, stdout)
	case "migrate":
		db, err := openDB(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer db.Close()
		return migrate(ctx, db, log)
	case "seed":
		fs := flag.NewFlagSet("seed", flag.ContinueOnError)
		fs.SetOutput(stderr)
		withDemo := fs.Bool("demo", false, "load the demo federation")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if !*withDemo {
			return errors.New("seed: nothing to load; use seed --demo")
		}
		if cfg.Production() {
			return errors.New("seed --demo: refused with PORTAL_ENV=production (demo accounts and data must never reach a live portal)")
		}
		db, err := openDB(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer db.Close()
		if err := requireMigrated(ctx, db); err != nil {
			return err
		}
		if err := demo.Seed(ctx, db); err != nil {
			return err
		}
		log.Info("demo data loaded")
		fmt.Fprintf(stdout, "\nDemo sign-ins, all with the demo-only password %s:\n"+
			"  %-40s federation admin\n"+
			"  %-40s staff of the 18 demo NGOs, in order\n",
			demo.Password, demo.AdminEmail,
			demo.StaffEmail(1)+" … "+demo.StaffEmail(18))
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", args[0])
	}
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel)) // validated by config.Load
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Production() {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openDB connects to DATABASE_URL, or in development, when it is unset, to
// the private cluster under the checkout's .data/ directory.
func openDB(ctx context.Context, cfg config.Config, log *slog.Logger) (*postgres.DB, error) {
	url := cfg.DatabaseURL
	if url == "" {
		dir, err := devdb.FindRepoData()
		if err != nil {
			return nil, fmt.Errorf("DATABASE_URL is not set and no ngoportal checkout was found for a private cluster: %w", err)
		}
		cluster, err := devdb.Ensure(ctx, devdb.Options{Dir: dir, Log: io.Discard})
		if err != nil {
			return nil, fmt.Errorf("private PostgreSQL cluster: %w", err)
		}
		if err := devdb.CreateDatabase(ctx, cluster, "ngoportal"); err != nil {
			return nil, err
		}
		url = cluster.URL("ngoportal")
		log.Info("using the private development cluster", "dir", dir, "port", cluster.Port)
	}
	return postgres.Open(ctx, url)
}

func migrate(ctx context.Context, db *postgres.DB, log *slog.Logger) error {
	m, err := db.NewMigrator()
	if err != nil {
		return err
	}
	defer m.Close()
	if err := m.Up(ctx, log); err != nil {
		return err
	}
	current, _, err := m.Version(ctx)
	if err != nil {
		return err
	}
	log.Info("database schema is current", "version", current)
	return nil
}

func requireMigrated(ctx context.Context, db *postgres.DB) error {
	m, err := db.NewMigrator()
	if err != nil {
		return err
	}
	defer m.Close()
	pending, err := m.Pending(ctx)
	if err != nil {
		return err
	}
	if pending {
		return errors.New("the database has pending migrations: run `portal migrate` first")
	}
	return nil
}

func serve(ctx context.Context, cfg config.Config, log *slog.Logger, stdout io.Writer) error {
	db, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if cfg.MigrateOnStart {
		if err := migrate(ctx, db, log); err != nil {
			return err
		}
	}
	srv, release, err := server.Build(cfg, log, db)
	if err != nil {
		return err
	}
	defer release()
	ln, err := net.Listen("tcp", cfg.Addr())
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr(), err)
	}
	log.Info("listening", "addr", ln.Addr().String(), "url", cfg.BaseURL.String(), "env", cfg.Env)
	fmt.Fprintf(stdout, "\nngoportal is serving at %s (Ctrl-C stops it)\n\n", cfg.BaseURL)
	return server.Serve(ctx, ln, srv, cfg.RequestTimeout, cfg.ShutdownTimeout, log)
}
