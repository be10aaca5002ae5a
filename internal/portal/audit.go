package portal

import (
	"net/netip"
	"time"
)

// Actor is who causes a change, and from where; every audited write takes
// one. UserID 0 is nobody signed in (a failed sign-in, a link followed).
type Actor struct {
	UserID     int64
	Email      string
	ClientAddr netip.Addr
	RequestID  string
}

// Audit actions. The audit log stores these strings; the admin's view
// translates them as "audit.action.<action>".
const (
	AuditSignIn          = "auth.sign_in"
	AuditSignInFailed    = "auth.sign_in_failed"
	AuditSignOut         = "auth.sign_out"
	AuditPasswordChanged = "auth.password_changed"
	AuditUserInvited     = "user.invited"
	AuditInviteAccepted  = "user.invitation_accepted"
	AuditResetIssued     = "user.reset_issued"
	AuditPasswordReset   = "user.password_reset"
	AuditUserUpdated     = "user.updated"
	AuditUserDisabled    = "user.disabled"
	AuditUserEnabled     = "user.enabled"
	AuditNGOCreated      = "ngo.created"
	AuditNGOUpdated      = "ngo.updated"
	AuditNGODeactivated  = "ngo.deactivated"
	AuditNGOReactivated  = "ngo.reactivated"
	AuditObjectUser      = "user"
	AuditObjectNGO       = "ngo"
)

// AuditActions lists every action, for the admin's filter.
var AuditActions = []string{
	AuditSignIn, AuditSignInFailed, AuditSignOut, AuditPasswordChanged,
	AuditUserInvited, AuditInviteAccepted, AuditResetIssued, AuditPasswordReset,
	AuditUserUpdated, AuditUserDisabled, AuditUserEnabled,
	AuditNGOCreated, AuditNGOUpdated, AuditNGODeactivated, AuditNGOReactivated,
}

// Change is one field's value before and after a change; nil means absent.
type Change struct {
	Before any `json:"before"`
	After  any `json:"after"`
}

// AuditEvent is what a write records about itself.
type AuditEvent struct {
	Action     string
	ObjectType string
	ObjectID   int64 // 0: none
	NGOID      int64 // 0: none
	Changes    map[string]Change
}

// AuditEntry is one row of the audit log as admins read it.
type AuditEntry struct {
	ID         int64
	At         time.Time
	ActorID    int64
	ActorEmail string
	Action     string
	ObjectType string
	ObjectID   int64
	NGOID      int64
	NGOName    string // Chinese
	NGONameEN  string
	ClientAddr string
	RequestID  string
	Changes    map[string]Change
}

// Diff lists the fields whose values differ between before and after; a
// field present on one side only counts as changed.
func Diff(before, after map[string]any) map[string]Change {
	out := map[string]Change{}
	for k, b := range before {
		a, ok := after[k]
		if !ok || !equal(a, b) {
			out[k] = Change{Before: b, After: a}
		}
	}
	for k, a := range after {
		if _, ok := before[k]; !ok {
			out[k] = Change{After: a}
		}
	}
	return out
}

func equal(a, b any) bool {
	as, aok := a.([]string)
	bs, bok := b.([]string)
	if aok || bok {
		if len(as) != len(bs) {
			return false
		}
		for i := range as {
			if as[i] != bs[i] {
				return false
			}
		}
		return true
	}
	return a == b
}
