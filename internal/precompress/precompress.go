// Package precompress writes and checks the brotli and gzip variants of the
// static assets, made once at build time (make generate) and committed next
// to them: app.css beside app.css.br and app.css.gz. It also holds the rule
// of which content types are text worth compressing, which the server
// applies to every answer.
package precompress

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/andybalholm/brotli"
)

// The suffixes of the variants. A file of the asset directory with one of
// them is a variant, never an asset of its own.
const (
	BrotliSuffix = ".br"
	GzipSuffix   = ".gz"
)

// IsVariant reports whether name is a precompressed variant.
func IsVariant(name string) bool {
	return strings.HasSuffix(name, BrotliSuffix) || strings.HasSuffix(name, GzipSuffix)
}

// Compressible reports whether a Content-Type is text worth compressing.
func Compressible(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"),
		strings.HasSuffix(mt, "+xml"), strings.HasSuffix(mt, "+json"):
		return true
	}
	switch mt {
	case "application/xml", "application/json", "application/javascript",
		"application/x-javascript", "application/ecmascript", "image/svg+xml":
		return true
	}
	return false
}

// Encode compresses b at the best brotli and gzip levels; a variant that
// is not smaller than b is nil. The gzip header carries no name and a zero
// time, so the same b always gives the same bytes.
func Encode(b []byte) (br, gz []byte, err error) {
	var bb bytes.Buffer
	bw := brotli.NewWriterLevel(&bb, brotli.BestCompression)
	if _, err := bw.Write(b); err != nil {
		return nil, nil, fmt.Errorf("brotli: %w", err)
	}
	if err := bw.Close(); err != nil {
		return nil, nil, fmt.Errorf("brotli: %w", err)
	}
	var gb bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gb, gzip.BestCompression)
	if err != nil {
		return nil, nil, fmt.Errorf("gzip: %w", err)
	}
	if _, err := zw.Write(b); err != nil {
		return nil, nil, fmt.Errorf("gzip: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, nil, fmt.Errorf("gzip: %w", err)
	}
	if bb.Len() < len(b) {
		br = bb.Bytes()
	}
	if gb.Len() < len(b) {
		gz = gb.Bytes()
	}
	return br, gz, nil
}

// Want returns the variants the assets of fsys should have: slash-separated
// path → content, for every asset whose type (by its extension) is
// Compressible.
func Want(fsys fs.FS) (map[string][]byte, error) {
	want := map[string][]byte{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || IsVariant(p) || !Compressible(mime.TypeByExtension(path.Ext(p))) {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		br, gz, err := Encode(b)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if br != nil {
			want[p+BrotliSuffix] = br
		}
		if gz != nil {
			want[p+GzipSuffix] = gz
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("precompress: %w", err)
	}
	return want, nil
}

// variants lists the variant files present in fsys.
func variants(fsys fs.FS) ([]string, error) {
	var have []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && IsVariant(p) {
			have = append(have, p)
		}
		return err
	})
	return have, err
}

// Stale lists, sorted, the variants of dir that differ from what Write
// would make: changed, missing, or left over from an asset that is gone or
// no longer gains from compression.
func Stale(dir string) ([]string, error) {
	fsys := os.DirFS(dir)
	want, err := Want(fsys)
	if err != nil {
		return nil, err
	}
	return stale(fsys, want)
}

func stale(fsys fs.FS, want map[string][]byte) ([]string, error) {
	have, err := variants(fsys)
	if err != nil {
		return nil, fmt.Errorf("precompress: %w", err)
	}
	var out []string
	for _, p := range have {
		if _, ok := want[p]; !ok {
			out = append(out, p)
		}
	}
	for p, b := range want {
		got, err := fs.ReadFile(fsys, p)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("precompress: %w", err)
		}
		if err != nil || !bytes.Equal(got, b) {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Write brings the variants of dir up to date, rewriting only those that
// changed (so a second run touches nothing) and removing those left over.
// It returns what it wrote or removed, sorted.
func Write(dir string) ([]string, error) {
	fsys := os.DirFS(dir)
	want, err := Want(fsys)
	if err != nil {
		return nil, err
	}
	changed, err := stale(fsys, want)
	if err != nil {
		return nil, err
	}
	for _, p := range changed {
		file := filepath.Join(dir, filepath.FromSlash(p))
		b, ok := want[p]
		if !ok {
			if err := os.Remove(file); err != nil {
				return nil, fmt.Errorf("precompress: %w", err)
			}
			continue
		}
		if err := os.WriteFile(file, b, 0o644); err != nil {
			return nil, fmt.Errorf("precompress: %w", err)
		}
	}
	return changed, nil
}
