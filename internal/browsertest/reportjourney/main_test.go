// Package reportjourney drives the annual reports in Chromium: opening a cycle,
// writing, attaching, submitting and printing a report, reviewing and
// returning it, and the to-do lists and notifications that follow
// (internal/browsertest is the harness).
package reportjourney

import (
	"testing"

	"ngoportal/internal/browsertest"
)

// TestMain shares one Chromium per browser language among the tests.
func TestMain(m *testing.M) { browsertest.Main(m) }
