package portal

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// UserStatus is where an account stands.
type UserStatus string

// Account states: invited (no password yet), active, disabled.
const (
	UserInvited  UserStatus = "invited"
	UserActive   UserStatus = "active"
	UserDisabled UserStatus = "disabled"
)

// User is a signed-in person: a federation admin or reviewer, or staff of
// one NGO.
type User struct {
	ID           int64
	Email        string
	Name         string // the display name in Chinese
	NameEN       string // the display name in English; "" when not given
	Role         Role
	NGOID        int64 // staff only; 0 for admins
	NGOName      string
	Status       UserStatus
	PasswordHash string
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// MaxUserNameLen bounds an account's name, in characters; MaxUserEmailLen
// its email, in bytes, as the column does.
const (
	MaxUserNameLen  = 100
	MaxUserEmailLen = 254
)

// Validate checks an account's name, role and NGO, returning field name →
// message key: staff belong to one NGO, admins to none. Whether the NGO is
// active, and the rules about one's own role and the last admin, are the
// repository's: they need the database.
func (u User) Validate() map[string]string {
	errs := map[string]string{}
	switch n := utf8.RuneCountInString(u.Name); {
	case n == 0:
		errs["name"] = "user.error.name_required"
	case n > MaxUserNameLen:
		errs["name"] = "user.error.name_too_long"
	}
	switch u.Role {
	case RoleStaff:
		if u.NGOID == 0 {
			errs["ngo"] = "user.error.ngo_required"
		}
	case RoleAdmin, RoleReviewer:
		if u.NGOID != 0 {
			errs["ngo"] = "user.error.ngo_for_admin"
		}
	default:
		errs["role"] = "user.error.role_required"
	}
	if utf8.RuneCountInString(u.NameEN) > MaxUserNameLen {
		errs["name_en"] = "user.error.name_en_too_long"
	}
	return errs
}

// ValidateInvite is Validate for a new account, which also needs an email:
// a bare address (no display name) that fits the column.
func (u User) ValidateInvite() map[string]string {
	errs := u.Validate()
	switch {
	case u.Email == "":
		errs["email"] = "user.error.email_required"
	case !validUserEmail(u.Email):
		errs["email"] = "user.error.email_invalid"
	}
	return errs
}

func validUserEmail(s string) bool {
	if len(s) < 3 || len(s) > MaxUserEmailLen || strings.ContainsAny(s, " <>") {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

// TokenPurpose says what a single-use link is for.
type TokenPurpose string

// Single-use link purposes.
const (
	TokenInvite TokenPurpose = "invite"
	TokenReset  TokenPurpose = "reset"
)
