// Package layers holds no code: its test keeps the import rules of
// docs/architecture.md true, failing when a package imports a layer it
// may not, or when a new package appears without a rule.
package layers
