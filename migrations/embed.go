// Package migrations embeds the portal's forward-only SQL migrations.
package migrations

import "embed"

// FS holds every numbered migration file.
//
//go:embed *.sql
var FS embed.FS
