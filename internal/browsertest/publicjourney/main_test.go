// Package publicjourney drives the public site in Chromium: the home page, the
// published sessions and NGOs, the languages, the layout on a phone and
// signing in
// (internal/browsertest is the harness).
package publicjourney

import (
	"testing"

	"ngoportal/internal/browsertest"
)

// TestMain shares one Chromium per browser language among the tests.
func TestMain(m *testing.M) { browsertest.Main(m) }
