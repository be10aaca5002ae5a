package layers

import (
	"go/build"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "ngoportal"

// allowed lists, for every package of the module, the module's packages
// its non-test code may import. docs/architecture.md explains the layers;
// change both together.
var allowed = map[string][]string{
	"migrations":           nil,
	"internal/config":      nil,
	"internal/i18n":        nil,
	"internal/markdown":    nil,
	"internal/password":    nil,
	"internal/portal":      nil,
	"internal/devdb":       nil,
	"internal/layers":      nil,
	"internal/precompress": nil,
	"internal/export":      {"internal/portal", "internal/i18n"},
	"internal/postgres":    {"internal/portal", "internal/export", "internal/markdown", "migrations"},
	"internal/demo":        {"internal/portal", "internal/postgres", "internal/password"},
	"internal/scale":       {"internal/postgres", "internal/password"},
	"web/ui":               {"internal/portal", "internal/i18n", "internal/precompress"},
	"web/public":           webArea(),
	"web/summary":          webArea(),
	"web/report":           webArea(),
	"web/session":          webArea(),
	"web/ngo":              webArea(),
	"web/federation":       webArea(),
	"web/account":          webArea("web/federation"),
	"web/notification":     webArea(),
	"web/message":          webArea(),
	"internal/notify":      {"internal/config", "internal/i18n", "internal/markdown", "internal/portal", "internal/postgres"},
	"internal/server":      server(),
	"internal/pgtest":      {"internal/devdb", "internal/postgres", "internal/demo", "migrations"},
	"internal/browsertest": {"internal/config", "internal/demo", "internal/pgtest", "internal/postgres", "internal/server", "internal/portal"},
	"cmd/portal":           {"internal/config", "internal/demo", "internal/i18n", "internal/notify", "internal/portal", "internal/postgres", "internal/scale", "internal/server"},
	"cmd/devdb":            {"internal/devdb"},
	"cmd/loadgen":          nil,
	"cmd/precompress":      {"internal/precompress"},

	// The browser journeys are test files only (internal/browsertest is
	// their harness): they import nothing outside their tests.
	"internal/browsertest/publicjourney":     nil,
	"internal/browsertest/reportjourney":     nil,
	"internal/browsertest/federationjourney": nil,
}

// webArea is what a view package may import: the domain, the catalogues,
// the shared ui package and the areas named (never the server, never the
// database).
func webArea(areas ...string) []string {
	return append([]string{"internal/portal", "internal/i18n", "web/ui"}, areas...)
}

// server may import every layer below it: never the development cluster,
// the demo data or the test helpers.
func server() []string {
	return []string{"internal/config", "internal/i18n", "internal/portal", "internal/postgres", "internal/export",
		"internal/markdown", "internal/password", "web/ui", "web/public", "web/summary", "web/report",
		"web/session", "web/ngo", "web/federation", "web/account", "web/notification", "web/message", "internal/notify",
		"internal/precompress"}
}

func TestImportRules(t *testing.T) {
	root := moduleRoot(t)
	var seen []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "bin" || name == "docs") {
			return filepath.SkipDir
		}
		pkg, err := build.ImportDir(path, 0)
		if err != nil {
			if _, ok := err.(*build.NoGoError); ok {
				return nil
			}
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		seen = append(seen, rel)
		rules, ok := allowed[rel]
		if !ok {
			t.Errorf("package %s has no import rule: add it to allowed and to docs/architecture.md", rel)
			return nil
		}
		for _, imp := range pkg.Imports {
			own, ok := strings.CutPrefix(imp, module+"/")
			if ok && !slices.Contains(rules, own) {
				t.Errorf("%s imports %s, which its layer may not (see docs/architecture.md)", rel, own)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for pkg := range allowed {
		if !slices.Contains(seen, pkg) {
			t.Errorf("the rules name %s, which no longer exists", pkg)
		}
	}
}

// moduleRoot finds go.mod upwards from the test's directory.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's directory")
		}
		dir = parent
	}
}
