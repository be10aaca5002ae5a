package precompress

import (
	"bytes"
	"compress/gzip"
	"io"
	"mime"
	"os"
	"path"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// staticDir is the portal's asset directory, whose variants are committed.
const staticDir = "../../web/ui/static"

func decodeBrotli(t *testing.T, b []byte) []byte {
	t.Helper()
	out, err := io.ReadAll(brotli.NewReader(bytes.NewReader(b)))
	if err != nil {
		t.Fatalf("brotli: %v", err)
	}
	return out
}

func decodeGzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	return out
}

// The committed variants decode to their assets and are byte for byte what
// make generate writes now: a stale one fails here as in make check-assets.
func TestCommittedVariants(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir(staticDir)
	if err != nil {
		t.Fatal(err)
	}
	var text int
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || IsVariant(name) || !Compressible(mime.TypeByExtension(path.Ext(name))) {
			continue
		}
		text++
		orig, err := os.ReadFile(filepath.Join(staticDir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []struct {
			suffix string
			decode func(*testing.T, []byte) []byte
		}{{BrotliSuffix, decodeBrotli}, {GzipSuffix, decodeGzip}} {
			b, err := os.ReadFile(filepath.Join(staticDir, name+v.suffix))
			if os.IsNotExist(err) {
				continue // not smaller: Stale below says whether it should be there
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(v.decode(t, b), orig) {
				t.Errorf("%s%s does not decode to %s", name, v.suffix, name)
			}
		}
	}
	if text == 0 {
		t.Fatal("no text asset found in " + staticDir)
	}
	for _, name := range []string{"app.css.br", "app.css.gz"} {
		if _, err := os.Stat(filepath.Join(staticDir, name)); err != nil {
			t.Errorf("the stylesheet has no committed %s: %v", name, err)
		}
	}
	stale, err := Stale(staticDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(stale) > 0 {
		t.Errorf("stale precompressed assets %v: run make generate and commit them", stale)
	}
}

// Write makes a variant only for text that gains from compression, the
// same bytes every time; Stale finds a changed, missing or left-over one,
// and a second Write changes nothing.
func TestWriteAndStale(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	css := bytes.Repeat([]byte(".a { color: red; }\n"), 200)
	files := map[string][]byte{
		"app.css":      css,
		"tiny.js":      []byte("x"),                       // larger compressed: no variant
		"logo.png":     bytes.Repeat([]byte{0}, 4096),     // not text: no variant
		"sub/page.svg": bytes.Repeat([]byte("<g/>"), 300), // nested
	}
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	variants := []string{"app.css.br", "app.css.gz", "sub/page.svg.br", "sub/page.svg.gz"}
	stale := func() []string {
		t.Helper()
		s, err := Stale(dir)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	write := func() []string {
		t.Helper()
		w, err := Write(dir)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}

	if got := stale(); !slices.Equal(got, variants) {
		t.Fatalf("before Write, stale %v, want %v", got, variants)
	}
	if got := write(); !slices.Equal(got, variants) {
		t.Fatalf("Write wrote %v, want %v", got, variants)
	}
	for _, name := range []string{"tiny.js.br", "tiny.js.gz", "logo.png.br", "logo.png.gz"} {
		if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Errorf("%s written", name)
		}
	}
	first, err := os.ReadFile(filepath.Join(dir, "app.css.gz"))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	if zr.Name != "" || !zr.ModTime.Equal(time.Time{}) {
		t.Errorf("gzip header carries name %q, time %v", zr.Name, zr.ModTime)
	}

	t.Run("Deterministic", func(t *testing.T) {
		if got := write(); len(got) != 0 {
			t.Errorf("a second Write rewrote %v", got)
		}
		br, gz, err := Encode(css)
		if err != nil {
			t.Fatal(err)
		}
		again, err := os.ReadFile(filepath.Join(dir, "app.css.br"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(gz, first) || !bytes.Equal(br, again) {
			t.Error("Encode gives other bytes for the same input")
		}
	})

	t.Run("ChangedMissingLeftOver", func(t *testing.T) {
		if err := os.WriteFile(filepath.Join(dir, "app.css"), append(css, "/* more */\n"...), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(filepath.Join(dir, "sub", "page.svg.gz")); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "gone.css.br"), []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
		want := []string{"app.css.br", "app.css.gz", "gone.css.br", "sub/page.svg.gz"}
		if got := stale(); !slices.Equal(got, want) {
			t.Fatalf("stale %v, want %v", got, want)
		}
		if got := write(); !slices.Equal(got, want) {
			t.Fatalf("Write changed %v, want %v", got, want)
		}
		if got := stale(); len(got) != 0 {
			t.Errorf("after Write, stale %v", got)
		}
		if _, err := os.Stat(filepath.Join(dir, "gone.css.br")); !os.IsNotExist(err) {
			t.Error("the left-over variant was not removed")
		}
	})
}

func TestCompressible(t *testing.T) {
	t.Parallel()
	for ct, want := range map[string]bool{
		"text/css; charset=utf-8":   true,
		"text/javascript":           true,
		"image/svg+xml":             true,
		"application/atom+xml":      true,
		"application/json":          true,
		"image/png":                 false,
		"application/pdf":           false,
		"application/zip":           false,
		"":                          false,
		"application/vnd.ms-excel":  false,
		"application/manifest+json": true,
	} {
		if got := Compressible(ct); got != want {
			t.Errorf("Compressible(%q) = %v, want %v", ct, got, want)
		}
	}
	for name, want := range map[string]bool{"a.css.br": true, "a.css.gz": true, "a.css": false, "br": false} {
		if got := IsVariant(name); got != want {
			t.Errorf("IsVariant(%q) = %v, want %v", name, got, want)
		}
	}
}
