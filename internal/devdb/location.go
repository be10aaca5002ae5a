package devdb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// setup is the resolved form of Options.
type setup struct {
	dir string // absolute .data directory
	log io.Writer
}

// layout names the files of one cluster.
type layout struct {
	base, data, sock, logFile, password, port string
}

func newSetup(opts Options) (setup, error) {
	if opts.Dir == "" {
		return setup{}, errors.New("devdb: Options.Dir is empty")
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return setup{}, fmt.Errorf("devdb: %w", err)
	}
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	return setup{dir: dir, log: log}, nil
}

// maxSocketPath is the longest unix socket path Linux accepts (sun_path
// holds 108 bytes including the terminating NUL).
const maxSocketPath = 107

func layoutAt(base string) layout {
	l := layout{
		base:     base,
		data:     filepath.Join(base, "data"),
		sock:     filepath.Join(base, "sock"),
		logFile:  filepath.Join(base, "server.log"),
		password: filepath.Join(base, "password"),
		port:     filepath.Join(base, "port"),
	}
	// A deep checkout would make the socket path too long for the kernel;
	// the socket then lives in a short directory derived from base.
	if len(l.sock)+len("/.s.PGSQL.65535") > maxSocketPath {
		l.sock = filepath.Join(os.TempDir(), "ngoportal-pgsock-"+shortHash(base))
	}
	return l
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:12]
}

func (s setup) defaultBase() string  { return filepath.Join(s.dir, "pg") }
func (s setup) locationFile() string { return filepath.Join(s.dir, "pg-location") }
func (s setup) fallbackBase() string {
	return filepath.Join(os.TempDir(), "ngoportal-pg-"+shortHash(s.dir))
}

// currentBase returns the base directory recorded in pg-location, or the
// default one; it creates nothing.
func (s setup) currentBase() string {
	if b, err := os.ReadFile(s.locationFile()); err == nil {
		if loc := strings.TrimSpace(string(b)); loc != "" {
			return loc
		}
	}
	return s.defaultBase()
}

// chooseBase returns the base directory to use, creating it. When the server
// account is not the caller and cannot reach the default base directory, it
// switches to the fallback under the temporary directory and records that.
func (s setup) chooseBase(ctx context.Context, acct account) (string, error) {
	if b, err := os.ReadFile(s.locationFile()); err == nil {
		if loc := strings.TrimSpace(string(b)); loc != "" {
			return loc, ensureOwnDir(loc)
		}
	}
	base := s.defaultBase()
	if exists(filepath.Join(base, "data", "PG_VERSION")) || acct.self {
		return base, os.MkdirAll(base, 0o755)
	}
	created := !exists(base)
	if err := os.MkdirAll(base, 0o755); err != nil {
		return "", fmt.Errorf("devdb: %w", err)
	}
	if err := os.Chmod(base, 0o755); err != nil {
		return "", fmt.Errorf("devdb: %w", err)
	}
	if acct.canEnter(ctx, base) {
		return base, nil
	}
	if created {
		os.Remove(base)
	}
	fb := s.fallbackBase()
	fmt.Fprintf(s.log, "devdb: user %s cannot enter %s; using %s instead (recorded in %s)\n",
		acct.name, base, fb, s.locationFile())
	if err := ensureOwnDir(fb); err != nil {
		return "", err
	}
	if !acct.canEnter(ctx, fb) {
		return "", fmt.Errorf("devdb: user %s cannot enter %s either", acct.name, fb)
	}
	if err := writeFileAtomic(s.locationFile(), []byte(fb+"\n"), 0o644); err != nil {
		return "", err
	}
	return fb, nil
}

// ensureOwnDir creates dir (0755) and checks that it is a real directory
// owned by the caller: the fallback sits in a world-writable directory where
// someone else could have planted a symlink or a directory first.
func ensureOwnDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !fi.IsDir() || !ok || int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("devdb: %s is not a directory owned by uid %d; remove it", dir, os.Geteuid())
	}
	return nil
}

// lock takes the exclusive lock <.data>/pg.lock, waiting while ctx allows.
// The returned function releases it.
func (s setup) lock(ctx context.Context) (func(), error) {
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return nil, fmt.Errorf("devdb: %w", err)
	}
	// .data is meant to be ignored by the repository's .gitignore; this
	// keeps the password out of git even where it is not.
	ignore := filepath.Join(s.dir, ".gitignore")
	if !exists(ignore) {
		if err := os.WriteFile(ignore, []byte("# Written by ngoportal's devdb: nothing here belongs in git.\n*\n"), 0o644); err != nil {
			return nil, fmt.Errorf("devdb: %w", err)
		}
	}
	path := filepath.Join(s.dir, "pg.lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("devdb: lock: %w", err)
	}
	fd := int(f.Fd())
	if err := flock(fd, syscall.LOCK_EX|syscall.LOCK_NB); err == nil {
		return func() { f.Close() }, nil // closing releases the lock
	} else if !errors.Is(err, syscall.EWOULDBLOCK) {
		f.Close()
		return nil, fmt.Errorf("devdb: lock %s: %w", path, err)
	}
	fmt.Fprintf(s.log, "devdb: waiting for %s\n", path)
	// A blocking flock queues fairly behind the holder, where polling with
	// LOCK_NB could starve among many callers; it runs aside so that ctx
	// can still end the wait.
	got := make(chan error, 1)
	go func() { got <- flock(fd, syscall.LOCK_EX) }()
	select {
	case err := <-got:
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("devdb: lock %s: %w", path, err)
		}
		return func() { f.Close() }, nil
	case <-ctx.Done():
		go func() { <-got; f.Close() }() // release the lock once it comes
		return nil, fmt.Errorf("devdb: lock %s: %w", path, ctx.Err())
	}
}

// flock is syscall.Flock retried on EINTR.
func flock(fd, how int) error {
	for {
		err := syscall.Flock(fd, how)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}
