package devdb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// debianBinGlob is where Debian and Ubuntu keep each PostgreSQL version's
// server binaries, outside PATH.
const debianBinGlob = "/usr/lib/postgresql/*/bin"

const installHint = "install PostgreSQL's server binaries, e.g. apt-get install postgresql, or set DATABASE_URL"

// binaries holds absolute, symlink-resolved paths of the server programs.
type binaries struct {
	initdb, pgCtl, postgres string
}

// findBinaries looks for initdb, pg_ctl and postgres in PATH, then in the
// newest /usr/lib/postgresql/*/bin. With install set, root on Debian installs
// the postgresql package when they are missing.
func findBinaries(ctx context.Context, install bool, log io.Writer) (binaries, error) {
	if b, ok := lookBinaries(); ok {
		return b, nil
	}
	if !install || os.Geteuid() != 0 || !exists("/etc/debian_version") {
		return binaries{}, errors.New("devdb: no initdb, pg_ctl and postgres in PATH or " + debianBinGlob + ": " + installHint)
	}
	if err := aptInstall(ctx, log); err != nil {
		return binaries{}, fmt.Errorf("devdb: %w (%s)", err, installHint)
	}
	if b, ok := lookBinaries(); ok {
		return b, nil
	}
	return binaries{}, errors.New("devdb: still no PostgreSQL server binaries after apt-get install postgresql: " + installHint)
}

func lookBinaries() (binaries, bool) {
	if b, ok := binariesIn(func(name string) (string, error) { return exec.LookPath(name) }); ok {
		return b, true
	}
	dirs, _ := filepath.Glob(debianBinGlob)
	for _, dir := range sortBinDirs(dirs) {
		if b, ok := binariesIn(func(name string) (string, error) {
			p := filepath.Join(dir, name)
			fi, err := os.Stat(p)
			if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
				return "", fmt.Errorf("no %s", p)
			}
			return p, nil
		}); ok {
			return b, true
		}
	}
	return binaries{}, false
}

// binariesIn resolves the three programs with look, following symlinks so
// that psql can be found beside the real pg_ctl.
func binariesIn(look func(string) (string, error)) (binaries, bool) {
	var paths [3]string
	for i, name := range []string{"initdb", "pg_ctl", "postgres"} {
		p, err := look(name)
		if err != nil {
			return binaries{}, false
		}
		if p, err = filepath.Abs(p); err != nil {
			return binaries{}, false
		}
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		paths[i] = p
	}
	return binaries{initdb: paths[0], pgCtl: paths[1], postgres: paths[2]}, true
}

// sortBinDirs orders directories like /usr/lib/postgresql/<version>/bin
// newest version first, comparing versions numerically (16 > 9.6); entries
// whose version is not numeric are dropped.
func sortBinDirs(dirs []string) []string {
	type entry struct {
		dir string
		ver []int
	}
	var es []entry
	for _, d := range dirs {
		if v, ok := parseVersion(filepath.Base(filepath.Dir(filepath.Clean(d)))); ok {
			es = append(es, entry{d, v})
		}
	}
	slices.SortStableFunc(es, func(a, b entry) int { return slices.Compare(b.ver, a.ver) })
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.dir
	}
	return out
}

func parseVersion(s string) ([]int, bool) {
	var v []int
	for part := range strings.SplitSeq(s, ".") {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return nil, false
		}
		v = append(v, n)
	}
	return v, true
}

// aptInstall installs Debian's postgresql package, refreshing the package
// lists only if the first attempt fails.
func aptInstall(ctx context.Context, log io.Writer) error {
	install := func() error {
		fmt.Fprintln(log, "devdb: PostgreSQL server binaries not found; running apt-get install -y postgresql")
		var buf bytes.Buffer
		cmd := exec.CommandContext(ctx, "apt-get", "install", "-y", "postgresql")
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		cmd.Stdout = io.MultiWriter(log, &buf)
		cmd.Stderr = cmd.Stdout
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("apt-get install postgresql: %w\n%s", err, lastLines(buf.String(), 15))
		}
		return nil
	}
	if install() == nil {
		return nil
	}
	fmt.Fprintln(log, "devdb: apt-get install failed; running apt-get update and trying again")
	cmd := exec.CommandContext(ctx, "apt-get", "update")
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("apt-get update: %w", err)
	}
	return install()
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// PsqlPath returns the psql that belongs with the server binaries devdb uses
// (the same directory as the real pg_ctl), else the first psql in PATH.
func PsqlPath() (string, error) {
	if b, ok := lookBinaries(); ok {
		p := filepath.Join(filepath.Dir(b.pgCtl), "psql")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
	}
	p, err := exec.LookPath("psql")
	if err != nil {
		return "", fmt.Errorf("devdb: psql not found: %w", err)
	}
	return p, nil
}
