// Command portal is the ngoportal binary: it serves the portal, applies
// migrations and loads the demo data.
//
//	portal serve          apply pending migrations (unless PORTAL_MIGRATE_ON_START=false) and serve
//	portal migrate        apply pending migrations and exit
//	portal seed --demo    load the demo federation (refused in production)
//	portal seed --scale [--ngos 2000 --years 10]
//	                      fill an empty database with a federation at scale (refused in production)
//
// Every command works on the database DATABASE_URL names; the binary never
// starts one. For development, cmd/devdb prints the URL of the project's
// private cluster, and `make run` passes it on.
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
	"ngoportal/internal/i18n"
	"ngoportal/internal/notify"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
	"ngoportal/internal/scale"
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
  seed --scale [--ngos 2000] [--years 10]
                 fill an empty, migrated database with NGOs, years of accepted reports and
                 the chair's requests, for benchmarks (refused when PORTAL_ENV=production)

Every command needs DATABASE_URL; for development, ` + "`make db-url`" + ` prints one.
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
		db, err := openDB(ctx, cfg)
		if err != nil {
			return err
		}
		defer db.Close()
		return migrate(ctx, db, log)
	case "seed":
		fs := flag.NewFlagSet("seed", flag.ContinueOnError)
		fs.SetOutput(stderr)
		withDemo := fs.Bool("demo", false, "load the demo federation")
		withScale := fs.Bool("scale", false, "fill an empty database with a federation at scale (for benchmarks)")
		ngos := fs.Int("ngos", scale.DefaultNGOs, "with --scale: number of NGOs")
		years := fs.Int("years", scale.DefaultYears, "with --scale: number of closed reporting cycles")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *withScale {
			if *withDemo {
				return errors.New("seed: --demo and --scale cannot be combined")
			}
			return seedScale(ctx, cfg, scale.Options{NGOs: *ngos, Years: *years}, stdout)
		}
		if !*withDemo {
			return errors.New("seed: nothing to load; use seed --demo or seed --scale")
		}
		if cfg.Production() {
			return errors.New("seed --demo: refused with PORTAL_ENV=production (demo accounts and data must never reach a live portal)")
		}
		db, err := openDB(ctx, cfg)
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
			"  %-40s federation reviewer (reads, reviews, checks in)\n"+
			"  %-40s staff of the 18 demo NGOs, in order\n"+
			"The two federation accounts sign in with a second step; their code: oathtool --totp -b %s\n",
			demo.Password, demo.AdminEmail, demo.ReviewerEmail,
			demo.StaffEmail(1)+" … "+demo.StaffEmail(18), demo.AdminTOTPSecret)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", args[0])
	}
}

// seedScale fills an empty database with the scale data and prints what it
// made and how long each part took.
func seedScale(ctx context.Context, cfg config.Config, o scale.Options, stdout io.Writer) error {
	if cfg.Production() {
		return errors.New("seed --scale: refused with PORTAL_ENV=production (generated data must never reach a live portal)")
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := requireMigrated(ctx, db); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seed --scale: %d NGOs, %d years\n", o.NGOs, o.Years)
	res, err := scale.Seed(ctx, db, o)
	if err != nil {
		return err
	}
	for _, s := range res.Steps {
		fmt.Fprintf(stdout, "  %-26s %10d rows %9.2fs\n", s.Name, s.Rows, s.Duration.Seconds())
	}
	fmt.Fprintf(stdout, "  %-26s %10d rows %9.2fs\n", "total", res.Rows(), res.Duration.Seconds())
	fmt.Fprintf(stdout, "\nSign in as %s with the password %s, then the code of the authenticator key %s\n"+
		"(oathtool --totp -b %[3]s); scale data only.\n", scale.AdminEmail, scale.Password, scale.TOTPSecret)
	return nil
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

// openDB connects to DATABASE_URL. Without one it stops and says how to get
// one: the binary is the server, and never starts or sets up a database
// itself (that is cmd/devdb's work, in development only).
func openDB(ctx context.Context, cfg config.Config) (*postgres.DB, error) {
	if cfg.DatabaseURL == "" {
		return nil, errors.New("DATABASE_URL is not set; set it to the PostgreSQL database to use " +
			"(for development, `make db-url` prints the URL of the project's private cluster, " +
			"starting it if needed: export DATABASE_URL=\"$(make -s db-url)\"; `make run` does this itself)")
	}
	return postgres.Open(ctx, cfg.DatabaseURL)
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
	// Summaries written before their HTML was stored get it now, so that
	// no public page has to render Markdown.
	rendered, err := db.RenderPendingSummaryHTML(ctx)
	if err != nil {
		return err
	}
	if rendered > 0 {
		log.Info("summary HTML rendered", "summaries", rendered)
	}
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
	db, err := openDB(ctx, cfg)
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

	// The mail worker delivers the notifications' outbox until the server
	// has shut down; it is waited for, so no send is cut off by exit.
	worker, err := newMailWorker(cfg, log, db)
	if err != nil {
		return err
	}
	// Beside it, the schedule writes the reminders and digests that are due
	// into that outbox: at once (catching up after downtime), then every
	// few minutes, one instance at a time.
	schedule := newSchedule(cfg, log, db)
	wctx, stopWorker := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); worker.Run(wctx) }()
	scheduled := make(chan struct{})
	go func() { defer close(scheduled); schedule.Run(wctx) }()
	// The public page cache is on while this listener hears the database's
	// change notices (internal/server/page_cache.go).
	listening := make(chan struct{})
	go func() { defer close(listening); srv.RunPageCacheListener(wctx) }()
	err = server.Serve(ctx, ln, srv, cfg.RequestTimeout, cfg.ShutdownTimeout, log)
	stopWorker()
	<-done
	<-scheduled
	<-listening
	return err
}

// newSchedule builds the schedule of reminders, with the days before each
// deadline from the configuration.
func newSchedule(cfg config.Config, log *slog.Logger, db *postgres.DB) *notify.Scheduler {
	rules := portal.DefaultReminderRules()
	rules.ReportDays, rules.ReplyDays = cfg.ReportReminderDays, cfg.ReplyReminderDays
	log.Info("reminder schedule started", "report_days", rules.ReportDays, "reply_days", rules.ReplyDays)
	return &notify.Scheduler{DB: db, Rules: rules, Log: log, Holder: notify.InstanceName()}
}

// newMailWorker builds the worker that delivers notification email: over
// SMTP when PORTAL_SMTP_HOST is set, else rendering and keeping each
// message in the mail log.
func newMailWorker(cfg config.Config, log *slog.Logger, db *postgres.DB) (*notify.Worker, error) {
	cat, err := i18n.Load(log)
	if err != nil {
		return nil, err
	}
	w := &notify.Worker{DB: db, Renderer: notify.Renderer{Catalogue: cat, BaseURL: cfg.BaseURL}, Log: log}
	if cfg.SMTP.Enabled() {
		w.Sender = notify.SMTPSender{Config: cfg.SMTP, HELO: cfg.BaseURL.Hostname()}
		log.Info("mail worker started", "smtp", fmt.Sprintf("%s:%d", cfg.SMTP.Host, cfg.SMTP.Port), "tls", cfg.SMTP.TLS)
	} else {
		log.Info("mail worker started without SMTP: messages are kept in the mail log (/admin/mail)")
	}
	return w, nil
}
