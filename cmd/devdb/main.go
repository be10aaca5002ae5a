// Command devdb manages the private development PostgreSQL cluster kept in
// the repository's .data directory.
//
//	devdb url [DBNAME]    start the cluster if needed, create DBNAME (default ngoportal), print its URL
//	devdb start           start the cluster if needed
//	devdb stop            stop the cluster
//	devdb status          say whether it is running and where its data lives
//	devdb psql [DBNAME]   open psql on DBNAME (default ngoportal)
//
// Only the URL goes to standard output, so DATABASE_URL=$(go run ./cmd/devdb url)
// works; progress goes to standard error.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"

	"ngoportal/internal/devdb"
)

const usage = "usage: devdb url [DBNAME] | start | stop | status | psql [DBNAME]"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) && exitErr.ExitCode() > 0 {
			os.Exit(exitErr.ExitCode()) // psql has already said why
		}
		fmt.Fprintf(os.Stderr, "devdb: %s\n", strings.TrimPrefix(err.Error(), "devdb: "))
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	dir, err := devdb.FindRepoData()
	if err != nil {
		return err
	}
	opts := devdb.Options{Dir: dir, Log: stderr}
	cmd, rest := args[0], args[1:]

	dbName := func() (string, error) {
		switch len(rest) {
		case 0:
			return "ngoportal", nil
		case 1:
			return rest[0], nil
		}
		return "", errors.New(usage)
	}
	ensureDB := func() (devdb.Cluster, string, error) {
		name, err := dbName()
		if err != nil {
			return devdb.Cluster{}, "", err
		}
		c, err := devdb.Ensure(ctx, opts)
		if err != nil {
			return devdb.Cluster{}, "", err
		}
		if err := devdb.CreateDatabase(ctx, c, name); err != nil {
			return devdb.Cluster{}, "", err
		}
		return c, name, nil
	}
	noArgs := func() error {
		if len(rest) != 0 {
			return errors.New(usage)
		}
		return nil
	}

	switch cmd {
	case "url":
		c, name, err := ensureDB()
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(stdout, c.URL(name))
		return err
	case "start":
		if err := noArgs(); err != nil {
			return err
		}
		c, err := devdb.Ensure(ctx, opts)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "running on %s:%d\n", c.Host, c.Port)
		return err
	case "stop":
		if err := noArgs(); err != nil {
			return err
		}
		return devdb.Stop(ctx, opts)
	case "status":
		if err := noArgs(); err != nil {
			return err
		}
		running, dataDir, err := devdb.Status(ctx, opts)
		if err != nil {
			return err
		}
		state := "stopped"
		if running {
			state = "running"
		}
		_, err = fmt.Fprintf(stdout, "%s\t%s\n", state, dataDir)
		return err
	case "psql":
		c, name, err := ensureDB()
		if err != nil {
			return err
		}
		psql, err := devdb.PsqlPath()
		if err != nil {
			return err
		}
		// Not tied to ctx: psql handles Ctrl-C itself (it cancels the
		// running query) and must outlive the interrupt.
		p := exec.Command(psql, c.URL(name))
		p.Stdin, p.Stdout, p.Stderr = os.Stdin, stdout, stderr
		return p.Run()
	default:
		return fmt.Errorf("unknown command %q; %s", cmd, usage)
	}
}
