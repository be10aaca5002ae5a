// Package devdb runs a private PostgreSQL cluster for development and tests.
//
// The cluster is created with the machine's own PostgreSQL server binaries
// (initdb, pg_ctl, postgres) under the repository's git-ignored .data
// directory, listens only on 127.0.0.1 on its own port (54329 or the first
// free port above it, or above $PORTAL_DEVDB_PORT) and on a private socket
// directory, and is started on demand and reused. It never touches another
// PostgreSQL running on the machine.
//
// Layout, below the base directory (normally <.data>/pg):
//
//	data/        PGDATA, owned by the server user
//	sock/        unix socket directory, 0700, owned by the server user
//	server.log   server log, owned by the server user
//	password     superuser password (user "ngoportal"), 0600, owned by the caller
//	port         TCP port chosen when the cluster was created
//
// <.data>/pg.lock serialises creation, start and stop between processes, so
// several test binaries may call Ensure at once.
//
// PostgreSQL refuses to run as root. When the caller is root, initdb and
// pg_ctl run as the "postgres" account; if it does not exist, as
// "ngoportal-pg", which is created with useradd (--system --no-create-home)
// when missing. If that account cannot traverse into .data (for example a
// repository under /root with mode 0700), the base directory moves to
// $TMPDIR/ngoportal-pg-<12 hex of sha256(.data path)> and that choice is
// recorded in <.data>/pg-location so later runs find it.
package devdb

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

const (
	superuser   = "ngoportal"
	defaultPort = 54329
	portEnv     = "PORTAL_DEVDB_PORT"
	listenHost  = "127.0.0.1"
)

// Options says where the cluster lives.
type Options struct {
	// Dir is the absolute path of the repository's .data directory.
	Dir string
	// Log receives progress messages; it may be nil.
	Log io.Writer
}

// Cluster is a running private cluster, reachable over TCP.
type Cluster struct {
	Host     string // always 127.0.0.1
	Port     int    // the cluster's own port, never another server's
	User     string // the superuser, "ngoportal"
	Password string // the superuser's password, from <base>/password
}

// URL returns a connection URL for database on c, with every part escaped.
func (c Cluster) URL(database string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(c.User, c.Password),
		Host:     net.JoinHostPort(c.Host, strconv.Itoa(c.Port)),
		Path:     "/" + database,
		RawPath:  "/" + url.PathEscape(database),
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// Ensure creates the cluster if needed, starts it if it is not running and
// returns how to reach it.
func Ensure(ctx context.Context, opts Options) (Cluster, error) {
	s, err := newSetup(opts)
	if err != nil {
		return Cluster{}, err
	}
	if c, ok := s.ready(ctx); ok {
		return c, nil
	}
	unlock, err := s.lock(ctx)
	if err != nil {
		return Cluster{}, err
	}
	defer unlock()

	bins, err := findBinaries(ctx, true, s.log)
	if err != nil {
		return Cluster{}, err
	}
	acct, err := serverAccount(ctx, "", true)
	if err != nil {
		return Cluster{}, err
	}
	base, err := s.chooseBase(ctx, acct)
	if err != nil {
		return Cluster{}, err
	}
	l := layoutAt(base)
	if !exists(filepath.Join(l.data, "PG_VERSION")) {
		if err := s.create(ctx, bins, acct, l); err != nil {
			return Cluster{}, err
		}
	}
	// The data directory's owner is the account that must run pg_ctl.
	acct, err = serverAccount(ctx, l.data, false)
	if err != nil {
		return Cluster{}, err
	}
	c, err := readCluster(l)
	if err != nil {
		return Cluster{}, err
	}
	running, err := pgCtlStatus(ctx, bins, acct, l.data)
	if err != nil {
		return Cluster{}, err
	}
	if running {
		return c, nil
	}
	c.Port, err = s.start(ctx, bins, acct, l, c.Port)
	if err != nil {
		return Cluster{}, err
	}
	return c, nil
}

// ready returns the cluster without taking the lock when it is up and
// accepting connections. pgtest calls Ensure for every test, and this keeps
// those calls from queueing on the lock. Any doubt (including a server that
// is still starting) sends the caller down the locked path.
func (s setup) ready(ctx context.Context) (Cluster, bool) {
	l := layoutAt(s.currentBase())
	// postmaster.pid: line 4 is the port, line 8 the state pg_ctl -w waits for.
	pid, err := os.ReadFile(filepath.Join(l.data, "postmaster.pid"))
	if err != nil {
		return Cluster{}, false
	}
	lines := strings.Split(string(pid), "\n")
	if len(lines) < 8 || strings.TrimSpace(lines[7]) != "ready" {
		return Cluster{}, false
	}
	c, err := readCluster(l)
	if err != nil || strings.TrimSpace(lines[3]) != strconv.Itoa(c.Port) {
		return Cluster{}, false
	}
	bins, ok := lookBinaries()
	if !ok {
		return Cluster{}, false
	}
	acct, err := serverAccount(ctx, l.data, false)
	if err != nil {
		return Cluster{}, false
	}
	// A stale postmaster.pid after a crash still says "ready"; pg_ctl
	// checks that the process is alive.
	if running, err := pgCtlStatus(ctx, bins, acct, l.data); err != nil || !running {
		return Cluster{}, false
	}
	return c, true
}

// readCluster reads the port and password files of l.
func readCluster(l layout) (Cluster, error) {
	port, err := readPort(l.port)
	if err != nil {
		return Cluster{}, err
	}
	pw, err := os.ReadFile(l.password)
	if err != nil {
		return Cluster{}, fmt.Errorf("devdb: read password (remove %s to recreate the cluster): %w", l.base, err)
	}
	return Cluster{Host: listenHost, Port: port, User: superuser, Password: strings.TrimSpace(string(pw))}, nil
}

// CreateDatabase creates the database name on c unless it already exists.
// Losing a race to create it is not an error.
func CreateDatabase(ctx context.Context, c Cluster, name string) error {
	if name == "" {
		return errors.New("devdb: create database: empty name")
	}
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return fmt.Errorf("devdb: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))

	var found bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&found); err != nil {
		return fmt.Errorf("devdb: look up database %q: %w", name, err)
	}
	if found {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // duplicate_database
		return nil
	}
	if err != nil {
		return fmt.Errorf("devdb: create database %q: %w", name, err)
	}
	return nil
}

// Stop shuts the cluster down (pg_ctl stop -m fast) if it is running.
func Stop(ctx context.Context, opts Options) error {
	s, err := newSetup(opts)
	if err != nil {
		return err
	}
	unlock, err := s.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()

	l := layoutAt(s.currentBase())
	if !exists(filepath.Join(l.data, "PG_VERSION")) {
		return nil
	}
	bins, err := findBinaries(ctx, false, s.log)
	if err != nil {
		return err
	}
	acct, err := serverAccount(ctx, l.data, false)
	if err != nil {
		return err
	}
	running, err := pgCtlStatus(ctx, bins, acct, l.data)
	if err != nil || !running {
		return err
	}
	fmt.Fprintf(s.log, "devdb: stopping PostgreSQL in %s\n", l.data)
	if out, err := acct.run(ctx, bins.pgCtl, "stop", "-D", l.data, "-m", "fast", "-w", "-t", "60"); err != nil {
		return fmt.Errorf("devdb: pg_ctl stop: %w\n%s", err, out)
	}
	return nil
}

// Status reports whether the cluster is running and where its data directory
// is (or would be). A cluster that was never created is simply not running.
func Status(ctx context.Context, opts Options) (running bool, dataDir string, err error) {
	s, err := newSetup(opts)
	if err != nil {
		return false, "", err
	}
	l := layoutAt(s.currentBase())
	if !exists(filepath.Join(l.data, "PG_VERSION")) {
		return false, l.data, nil
	}
	bins, err := findBinaries(ctx, false, s.log)
	if err != nil {
		return false, l.data, err
	}
	acct, err := serverAccount(ctx, l.data, false)
	if err != nil {
		return false, l.data, err
	}
	running, err = pgCtlStatus(ctx, bins, acct, l.data)
	return running, l.data, err
}

// FindRepoData walks up from the working directory to the directory holding
// the go.mod of module ngoportal and returns its .data subdirectory, which
// need not exist yet.
func FindRepoData() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("devdb: %w", err)
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && isPortalGoMod(b) {
			return filepath.Join(dir, ".data"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("devdb: no go.mod of module ngoportal in the working directory or above")
		}
		dir = parent
	}
}

// isPortalGoMod reports whether the first line of a go.mod (blank and
// comment lines skipped) declares module ngoportal.
func isPortalGoMod(b []byte) bool {
	for line := range strings.Lines(string(b)) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		return strings.Join(strings.Fields(line), " ") == "module ngoportal"
	}
	return false
}

// create runs initdb into a scratch directory beside data and renames it into
// place once postgresql.conf is complete, so a half-made cluster is never
// mistaken for a usable one.
func (s setup) create(ctx context.Context, bins binaries, acct account, l layout) error {
	fmt.Fprintf(s.log, "devdb: creating PostgreSQL cluster in %s\n", l.data)
	if err := s.prepareBase(acct, l); err != nil {
		return err
	}
	scratch := l.data + ".new"
	if err := os.RemoveAll(scratch); err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	if err := os.RemoveAll(l.data); err != nil { // a directory without PG_VERSION is debris
		return fmt.Errorf("devdb: %w", err)
	}

	secret := make([]byte, 24)
	if _, err := rand.Read(secret); err != nil {
		return fmt.Errorf("devdb: password: %w", err)
	}
	password := hex.EncodeToString(secret)
	port, err := firstFreePort(startPort())
	if err != nil {
		return err
	}
	if err := writeFileAtomic(l.password, []byte(password+"\n"), 0o600); err != nil {
		return err
	}
	if err := writeFileAtomic(l.port, []byte(strconv.Itoa(port)+"\n"), 0o644); err != nil {
		return err
	}

	// initdb reads the password as the server user; the file lives only
	// for the duration of initdb.
	pwfile, err := os.CreateTemp(l.base, "pwfile-*")
	if err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	defer os.Remove(pwfile.Name())
	_, werr := pwfile.WriteString(password + "\n")
	cerr := pwfile.Close()
	if err := errors.Join(werr, cerr, acct.chown(pwfile.Name())); err != nil {
		return fmt.Errorf("devdb: password file: %w", err)
	}

	var out []byte
	for _, locale := range []string{"C.UTF-8", "C"} {
		if err := os.RemoveAll(scratch); err != nil {
			return fmt.Errorf("devdb: %w", err)
		}
		if err := acct.mkdir(scratch, 0o700); err != nil {
			return err
		}
		out, err = acct.run(ctx, bins.initdb, "-D", scratch, "-U", superuser,
			"--pwfile="+pwfile.Name(), "--auth-host=scram-sha-256", "--auth-local=trust",
			"-E", "UTF8", "--locale="+locale)
		if err == nil || !bytes.Contains(bytes.ToLower(out), []byte("locale")) {
			break
		}
		fmt.Fprintf(s.log, "devdb: initdb refused --locale=%s, trying the next locale\n", locale)
	}
	if err != nil {
		os.RemoveAll(scratch)
		return fmt.Errorf("devdb: initdb: %w\n%s", err, out)
	}

	conf := fmt.Sprintf(`
# Added by ngoportal's devdb: a private, throw-away development cluster.
listen_addresses = '%s'
port = %d
unix_socket_directories = '%s'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
`, listenHost, port, confQuote(l.sock))
	if err := appendFile(filepath.Join(scratch, "postgresql.conf"), conf); err != nil {
		return err
	}
	if err := os.Rename(scratch, l.data); err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	return nil
}

// start starts the server and returns the port it listens on. If another
// program has taken the cluster's port since it was created, the cluster
// moves to the next free port.
func (s setup) start(ctx context.Context, bins binaries, acct account, l layout, port int) (int, error) {
	if err := s.prepareBase(acct, l); err != nil {
		return 0, err
	}
	if !portFree(port) {
		newPort, err := firstFreePort(port + 1)
		if err != nil {
			return 0, err
		}
		fmt.Fprintf(s.log, "devdb: port %d is taken by another program; moving the cluster to %d\n", port, newPort)
		if err := appendFile(filepath.Join(l.data, "postgresql.conf"), fmt.Sprintf("port = %d\n", newPort)); err != nil {
			return 0, err
		}
		if err := writeFileAtomic(l.port, []byte(strconv.Itoa(newPort)+"\n"), 0o644); err != nil {
			return 0, err
		}
		port = newPort
	}
	fmt.Fprintf(s.log, "devdb: starting PostgreSQL on %s:%d (data %s)\n", listenHost, port, l.data)
	out, err := acct.run(ctx, bins.pgCtl, "-D", l.data, "-l", l.logFile, "-w", "-t", "60", "start")
	if err != nil {
		return 0, fmt.Errorf("devdb: pg_ctl start: %w\n%s\n--- tail of %s ---\n%s", err, out, l.logFile, tail(l.logFile, 30))
	}
	return port, nil
}

// prepareBase makes the directories and files the server user writes, with
// the right owners; it is repeated before every start because the socket
// directory may sit in a temporary directory that gets cleaned.
func (s setup) prepareBase(acct account, l layout) error {
	if err := os.MkdirAll(l.base, 0o755); err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	if err := os.Chmod(l.base, 0o755); err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	if err := acct.mkdir(l.sock, 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(l.logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o640)
	if err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	f.Close()
	return acct.chown(l.logFile)
}

func startPort() int {
	if v := os.Getenv(portEnv); v != "" {
		if p, err := strconv.Atoi(v); err == nil && p > 0 && p < 65536 {
			return p
		}
	}
	return defaultPort
}

func portFree(port int) bool {
	ln, err := net.Listen("tcp", net.JoinHostPort(listenHost, strconv.Itoa(port)))
	if err != nil {
		return false
	}
	ln.Close()
	return true
}

func firstFreePort(from int) (int, error) {
	for p := from; p < from+200 && p < 65536; p++ {
		if portFree(p) {
			return p, nil
		}
	}
	return 0, fmt.Errorf("devdb: no free TCP port on %s from %d upward (set %s)", listenHost, from, portEnv)
}

func readPort(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("devdb: read port: %w", err)
	}
	p, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 0, fmt.Errorf("devdb: port file %s: %w", path, err)
	}
	return p, nil
}

// confQuote quotes a value for a single-quoted postgresql.conf string.
func confQuote(s string) string {
	return strings.ReplaceAll(s, "'", "''")
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func appendFile(path, text string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	_, werr := f.WriteString(text)
	if err := errors.Join(werr, f.Close()); err != nil {
		return fmt.Errorf("devdb: append to %s: %w", path, err)
	}
	return nil
}

func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	_, werr := f.Write(data)
	err = errors.Join(werr, f.Chmod(perm), f.Close())
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("devdb: write %s: %w", path, err)
	}
	return nil
}

// tail returns at most the last n lines of the file at path.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return lastLines(string(b), n)
}
