package account

import (
	"time"

	"ngoportal/web/ui"
)

// QRCode is a QR code's dark modules as horizontal runs on a Size × Size
// grid (quiet zone included), drawn as an inline SVG: no image request and
// nothing the content security policy would have to allow.
type QRCode struct {
	Size int
	Runs []QRRun
}

// QRRun is W dark modules from (X, Y) to the right.
type QRRun struct{ X, Y, W int }

// SecondFactorCodeView is the sign-in's second step: a code from the
// authenticator app, or a recovery code.
type SecondFactorCodeView struct {
	ui.Page
	Code    ui.Field
	Action  string
	Failure string // translated: wrong code, used code, throttled
	Errors  []ui.FieldError
}

// SecondFactorSetupView sets up an authenticator app: a QR code and the
// same secret as text, then a code to confirm. Used at a sign-in that
// requires it and from the sign-in security page.
type SecondFactorSetupView struct {
	ui.Page
	Heading    string // message key
	Intro      string // message key
	QR         QRCode
	Secret     string // base32, in groups of four
	Email      string
	Code       ui.Field
	Action     string
	CancelPath string // "" when there is nowhere to go back to
	Failure    string // translated
	Errors     []ui.FieldError
}

// SecondFactorView is the sign-in security page of one's own account.
type SecondFactorView struct {
	ui.Page
	Enrolled     bool
	EnrolledAt   time.Time
	RecoveryLeft int
	Required     bool // the role may not turn it off
	SetupPath    string
	RenewPath    string
	DisablePath  string
	PasswordPath string
	ContinuePath string   // the home page, or the page asked for before signing in
	Proof        ui.Field // the password or a code, to turn it off
	Errors       []ui.FieldError
}
