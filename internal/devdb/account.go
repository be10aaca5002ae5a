package devdb

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"strings"
	"syscall"
)

// Server accounts tried, in order, when the caller is root.
const (
	systemAccount  = "postgres"
	createdAccount = "ngoportal-pg"
)

// account is the operating-system user that runs initdb and pg_ctl.
type account struct {
	self     bool // the calling user; no credential switch
	uid, gid uint32
	name     string
	home     string
}

// serverAccount picks the account for the server. When dataDir exists, its
// owner is the answer. Otherwise a non-root caller uses itself, and root
// uses "postgres", or "ngoportal-pg" (created with useradd if create is set).
func serverAccount(ctx context.Context, dataDir string, create bool) (account, error) {
	euid := os.Geteuid()
	if dataDir != "" {
		fi, err := os.Stat(dataDir)
		if err != nil {
			return account{}, fmt.Errorf("devdb: %w", err)
		}
		st := fi.Sys().(*syscall.Stat_t)
		switch {
		case int(st.Uid) == euid && euid != 0:
			return account{self: true}, nil
		case st.Uid == 0:
			return account{}, fmt.Errorf("devdb: %s is owned by root; PostgreSQL cannot run as root", dataDir)
		case euid != 0:
			return account{}, fmt.Errorf("devdb: %s belongs to uid %d; run as that user or as root", dataDir, st.Uid)
		}
		a := account{uid: st.Uid, gid: st.Gid, name: strconv.Itoa(int(st.Uid))}
		if u, err := user.LookupId(a.name); err == nil {
			a.name, a.home = u.Username, u.HomeDir
		}
		return a, nil
	}
	if euid != 0 {
		return account{self: true}, nil
	}
	for _, name := range []string{systemAccount, createdAccount} {
		if u, err := user.Lookup(name); err == nil {
			return accountOf(u)
		}
	}
	if !create {
		return account{}, fmt.Errorf("devdb: neither user %q nor %q exists", systemAccount, createdAccount)
	}
	out, err := exec.CommandContext(ctx, "useradd", "--system", "--no-create-home",
		"--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", "--user-group", createdAccount).CombinedOutput()
	if err != nil {
		return account{}, fmt.Errorf("devdb: PostgreSQL refuses to run as root and there is no %q user; creating %q failed (create an unprivileged user named %q): %w\n%s",
			systemAccount, createdAccount, createdAccount, err, out)
	}
	u, err := user.Lookup(createdAccount)
	if err != nil {
		return account{}, fmt.Errorf("devdb: look up %q after useradd: %w", createdAccount, err)
	}
	return accountOf(u)
}

func accountOf(u *user.User) (account, error) {
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return account{}, fmt.Errorf("devdb: user %s: %w", u.Username, err)
	}
	return account{uid: uint32(uid), gid: uint32(gid), name: u.Username, home: u.HomeDir}, nil
}

// command prepares name to run as the account, from "/" (the caller's
// working directory may be closed to it) and without PG* variables that
// could point the tools at another server.
func (a account) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = "/"
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PG") || (!a.self && strings.HasPrefix(kv, "HOME=")) {
			continue
		}
		env = append(env, kv)
	}
	if !a.self {
		if a.home != "" {
			env = append(env, "HOME="+a.home)
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{
			Credential: &syscall.Credential{Uid: a.uid, Gid: a.gid, Groups: []uint32{}},
		}
	}
	cmd.Env = env
	return cmd
}

// run runs name as the account and returns its combined output.
func (a account) run(ctx context.Context, name string, args ...string) ([]byte, error) {
	out, err := a.command(ctx, name, args...).CombinedOutput()
	return out, err
}

// canEnter reports whether the account can search dir, asking the kernel by
// running test(1) as that account rather than reasoning about modes.
func (a account) canEnter(ctx context.Context, dir string) bool {
	if a.self {
		return true
	}
	testBin, err := exec.LookPath("test")
	if err != nil {
		testBin = "/usr/bin/test"
	}
	_, err = a.run(ctx, testBin, "-x", dir)
	return err == nil
}

// chown gives path to the account (a no-op when it is the caller).
func (a account) chown(path string) error {
	if a.self {
		return nil
	}
	if err := os.Lchown(path, int(a.uid), int(a.gid)); err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	return nil
}

// mkdir creates dir if needed and gives it to the account with mode perm.
func (a account) mkdir(dir string, perm os.FileMode) error {
	if err := os.MkdirAll(dir, perm); err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	// The socket directory may sit in a world-writable directory: never
	// chmod or chown through a planted symlink.
	if fi, err := os.Lstat(dir); err != nil {
		return fmt.Errorf("devdb: %w", err)
	} else if !fi.IsDir() {
		return fmt.Errorf("devdb: %s is not a directory; remove it", dir)
	}
	if err := os.Chmod(dir, perm); err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	return a.chown(dir)
}

// pgCtlStatus asks pg_ctl whether the server of dataDir is running.
func pgCtlStatus(ctx context.Context, bins binaries, a account, dataDir string) (bool, error) {
	out, err := a.run(ctx, bins.pgCtl, "status", "-D", dataDir)
	if err == nil {
		return true, nil
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) && exitErr.ExitCode() == 3 { // "no server running"
		return false, nil
	}
	return false, fmt.Errorf("devdb: pg_ctl status: %w\n%s", err, out)
}
