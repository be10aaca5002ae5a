// Package account holds the pages of the login session (sign in, change
// one's password, choose a password from an invitation or reset link) and
// the federation's administration of user accounts.
package account

import "ngoportal/web/ui"

// LoginValues are the sign-in form's values shown again: the email as
// typed (cleaned, lower case) and where to go after signing in. The
// password never comes back into a page.
type LoginValues struct {
	Email string
	Next  string
}

// LoginView is the sign-in page.
type LoginView struct {
	ui.Page
	Email    ui.Field
	Password ui.Field
	Next     string
	Notice   string // message key of a notice, e.g. after signing out
	Failure  string // translated failure message (wrong credentials, throttled)
	Errors   []ui.FieldError
}

// PasswordView is the form to change one's own password.
type PasswordView struct {
	ui.Page
	Current  ui.Field
	Password ui.Field
	Confirm  ui.Field
	Errors   []ui.FieldError
}

// SetPasswordView is the page of an invitation or password-reset link.
type SetPasswordView struct {
	ui.Page
	Heading  string // message key
	Intro    string // message key
	Name     string
	Email    string
	Action   string
	Password ui.Field
	Confirm  ui.Field
	Errors   []ui.FieldError
}

// LinkInvalidView is shown for an unknown, used or expired link.
type LinkInvalidView struct {
	ui.Page
}
