package portal

import "errors"

// RequiresSecondFactor reports whether accounts of the role must sign in
// with a second factor. The federation's officials (admins and reviewers)
// read every NGO's reports, so one without it is made to set it up at the
// next sign-in, and may not turn it off; for staff it is their choice.
func (r Role) RequiresSecondFactor() bool { return r.Official() }

// ChallengePurpose is what a sign-in still needs after a right password.
type ChallengePurpose string

// Sign-in challenges: a code from the user's authenticator (or a recovery
// code), or setting one up first.
const (
	ChallengeCode  ChallengePurpose = "code"
	ChallengeEnrol ChallengePurpose = "enrol"
)

// Errors of the second factor.
var (
	// ErrCodeRejected: the one-time or recovery code is wrong, or a
	// recovery code was already used.
	ErrCodeRejected = errors.New("code rejected")
	// ErrCodeReused: the one-time code is right but its time step (or a
	// later one) was already used: wait for the next code.
	ErrCodeReused = errors.New("code already used")
	// ErrSecondFactorRequired: the role may not go without a second factor.
	ErrSecondFactorRequired = errors.New("second factor required for the role")
)

// Audit actions of the second factor; their object is the user.
const (
	AuditSecondFactorEnrolled = "auth.second_factor_enrolled"
	AuditSecondFactorDisabled = "auth.second_factor_disabled"
	AuditSecondFactorReset    = "user.second_factor_reset"
	AuditRecoveryCodeUsed     = "auth.recovery_code_used"
	AuditRecoveryCodesRenewed = "auth.recovery_codes_renewed"
)
