package portal

import "time"

// UserStatus is where an account stands.
type UserStatus string

// Account states: invited (no password yet), active, disabled.
const (
	UserInvited  UserStatus = "invited"
	UserActive   UserStatus = "active"
	UserDisabled UserStatus = "disabled"
)

// User is a signed-in person: a federation admin, or staff of one NGO.
type User struct {
	ID           int64
	Email        string
	Name         string
	Role         Role
	NGOID        int64 // staff only; 0 for admins
	NGOName      string
	Status       UserStatus
	PasswordHash string
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TokenPurpose says what a single-use link is for.
type TokenPurpose string

// Single-use link purposes.
const (
	TokenInvite TokenPurpose = "invite"
	TokenReset  TokenPurpose = "reset"
)
