// Package portal holds the portal's domain types, its error vocabulary and
// validation. It imports nothing from the other layers.
package portal

import "errors"

// The error vocabulary shared by every layer. Repositories translate driver
// errors into these; the HTTP layer maps them to statuses in one table.
var (
	// ErrNotFound: the row does not exist, or the viewer may not see it.
	ErrNotFound = errors.New("not found")
	// ErrConflict: a uniqueness rule or an optimistic-concurrency check failed.
	ErrConflict = errors.New("conflict")
	// ErrForbidden: the viewer is known but the action is not theirs to take.
	ErrForbidden = errors.New("forbidden")
)

// ValidationError carries one translated message key per form field.
type ValidationError struct {
	Fields map[string]string
}

// Error implements error.
func (e *ValidationError) Error() string { return "validation failed" }
