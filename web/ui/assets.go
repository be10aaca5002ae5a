package ui

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"ngoportal/internal/precompress"
)

// The static files and, next to the text ones, their brotli and gzip
// variants, written at build time by make generate (internal/precompress).
//
//go:embed static
var staticFS embed.FS

// Assets maps static files to content-hashed URLs, so that they can be cached
// for a year and still change the moment their content does.
type Assets struct {
	byName   map[string]string  // "app.css" -> "app.3f2a9c1b0d.css"
	byHashed map[string]string  // "app.3f2a9c1b0d.css" -> "app.css"
	encoded  map[string]Encoded // "app.3f2a9c1b0d.css" -> its variants
	fsys     fs.FS
}

// Encoded is an asset's precompressed variants, each nil when the asset has
// none (not text, or not smaller compressed).
type Encoded struct {
	Brotli, Gzip []byte
}

// AssetPrefix is the URL path under which hashed assets are served.
const AssetPrefix = "/static/"

// LoadAssets hashes every embedded static file and loads its variants. A
// variant (a name ending .br or .gz) is no asset of its own: it has no URL
// and no part in the hashes.
func LoadAssets() (*Assets, error) {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("static assets: %w", err)
	}
	a := &Assets{byName: map[string]string{}, byHashed: map[string]string{}, encoded: map[string]Encoded{}, fsys: sub}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || precompress.IsVariant(p) {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(p)
		hashed := strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:])[:12] + ext
		a.byName[p] = hashed
		a.byHashed[hashed] = p
		var e Encoded
		if e.Brotli, err = readVariant(sub, p+precompress.BrotliSuffix); err != nil {
			return err
		}
		if e.Gzip, err = readVariant(sub, p+precompress.GzipSuffix); err != nil {
			return err
		}
		if e.Brotli != nil || e.Gzip != nil {
			a.encoded[hashed] = e
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("hash static assets: %w", err)
	}
	return a, nil
}

// readVariant reads a variant, nil when there is none.
func readVariant(fsys fs.FS, name string) ([]byte, error) {
	b, err := fs.ReadFile(fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return b, err
}

// URL returns the content-hashed URL of a static file. An unknown name is a
// programming error and panics at first render, which the tests catch.
func (a *Assets) URL(name string) string {
	h, ok := a.byName[name]
	if !ok {
		panic("ui: unknown static asset " + name)
	}
	return AssetPrefix + h
}

// Open returns the file behind a hashed name, and false for any other name.
func (a *Assets) Open(hashed string) ([]byte, string, bool) {
	name, ok := a.byHashed[hashed]
	if !ok {
		return nil, "", false
	}
	b, err := fs.ReadFile(a.fsys, name)
	if err != nil {
		return nil, "", false
	}
	return b, name, true
}

// Encoded returns the precompressed variants of the file behind a hashed
// name (none for any other name).
func (a *Assets) Encoded(hashed string) Encoded {
	return a.encoded[hashed]
}

// Fingerprint names the set of assets by their content: it changes when
// any asset does.
func (a *Assets) Fingerprint() string {
	return strings.Join(a.Hashed(), " ")
}

// Hashed returns the content-hashed names of every asset, sorted.
func (a *Assets) Hashed() []string {
	return slices.Sorted(maps.Values(a.byName))
}
