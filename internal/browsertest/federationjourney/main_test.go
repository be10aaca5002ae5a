// Package federationjourney drives the federation's work in Chromium: sessions,
// officials, invitations, check-in, requests and their results,
// summaries, the NGO registry, accounts and the audit log
// (internal/browsertest is the harness).
package federationjourney

import (
	"testing"

	"ngoportal/internal/browsertest"
)

// TestMain shares one Chromium per browser language among the tests.
func TestMain(m *testing.M) { browsertest.Main(m) }
