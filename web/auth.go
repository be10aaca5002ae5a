package web

// LoginView is the sign-in page.
type LoginView struct {
	Page
	Email    Field
	Password Field
	Next     string
	Notice   string // message key of a notice, e.g. after signing out
	Failure  string // translated failure message (wrong credentials, throttled)
	Errors   []FieldError
}

// PasswordView is the form to change one's own password.
type PasswordView struct {
	Page
	Current  Field
	Password Field
	Confirm  Field
	Errors   []FieldError
}

// SetPasswordView is the page of an invitation or password-reset link.
type SetPasswordView struct {
	Page
	Heading  string // message key
	Intro    string // message key
	Name     string
	Email    string
	Action   string
	Password Field
	Confirm  Field
	Errors   []FieldError
}

// LinkInvalidView is shown for an unknown, used or expired link.
type LinkInvalidView struct {
	Page
}
