package ui

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// The committed .br and .gz files are variants of their assets: they get
// no URL, leave the assets' hashes as the originals make them, and are
// returned by Encoded.
func TestAssetVariants(t *testing.T) {
	t.Parallel()
	a := loadAssets(t)
	for _, h := range a.Hashed() {
		if strings.HasSuffix(h, ".br") || strings.HasSuffix(h, ".gz") {
			t.Errorf("variant %s served as an asset", h)
		}
	}
	for _, name := range []string{"app.css", "unsaved.js", "favicon.svg"} {
		orig, err := os.ReadFile(filepath.Join("static", name))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(orig)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:12] + ext
		if got := a.URL(name); got != AssetPrefix+hashed {
			t.Errorf("URL(%s) = %s, want %s", name, got, AssetPrefix+hashed)
		}
		e := a.Encoded(hashed)
		for _, v := range []struct {
			suffix string
			got    []byte
		}{{".br", e.Brotli}, {".gz", e.Gzip}} {
			want, err := os.ReadFile(filepath.Join("static", name+v.suffix))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(v.got, want) {
				t.Errorf("Encoded(%s) does not give static/%s%s", hashed, name, v.suffix)
			}
		}
	}
	if e := a.Encoded("app.css"); e.Brotli != nil || e.Gzip != nil {
		t.Error("Encoded answers an unhashed name")
	}
}
