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
	AuditSignIn              = "auth.sign_in"
	AuditSignInFailed        = "auth.sign_in_failed"
	AuditSignOut             = "auth.sign_out"
	AuditPasswordChanged     = "auth.password_changed"
	AuditUserInvited         = "user.invited"
	AuditInviteAccepted      = "user.invitation_accepted"
	AuditResetIssued         = "user.reset_issued"
	AuditPasswordReset       = "user.password_reset"
	AuditUserUpdated         = "user.updated"
	AuditUserDisabled        = "user.disabled"
	AuditUserEnabled         = "user.enabled"
	AuditNGOCreated          = "ngo.created"
	AuditNGOUpdated          = "ngo.updated"
	AuditNGODeactivated      = "ngo.deactivated"
	AuditNGOReactivated      = "ngo.reactivated"
	AuditOfficialCreated     = "official.created"
	AuditOfficialUpdated     = "official.updated"
	AuditSessionCreated      = "session.created"
	AuditSessionUpdated      = "session.updated"
	AuditSessionStatus       = "session.status_changed"
	AuditSessionCopied       = "session.copied"
	AuditSessionDeleted      = "session.deleted"
	AuditInvitationSent      = "invitation.sent"
	AuditInvitationWithdrawn = "invitation.withdrawn"
	AuditInvitationReplied   = "invitation.replied"
	AuditAttendanceRecorded  = "attendance.recorded"
	AuditAttendanceExported  = "attendance.exported"
	AuditRequestCreated      = "request.created"
	AuditRequestUpdated      = "request.updated"
	AuditRequestDeleted      = "request.deleted"

	AuditObjectUser       = "user"
	AuditObjectNGO        = "ngo"
	AuditObjectOfficial   = "official"
	AuditObjectSession    = "session"
	AuditObjectInvitation = "invitation"
	AuditObjectRequest    = "request"
)

// Audit actions and object types of the reporting cycles and the
// federation's vocabulary (themes and key projects).
const (
	AuditCycleCreated          = "cycle.created"
	AuditCycleUpdated          = "cycle.updated"
	AuditCycleClosed           = "cycle.closed"
	AuditCycleExtensionGranted = "cycle.extension_granted"
	AuditCycleExtensionRemoved = "cycle.extension_removed"
	AuditThemeCreated          = "theme.created"
	AuditThemeUpdated          = "theme.updated"
	AuditThemeRetired          = "theme.retired"
	AuditThemeRestored         = "theme.restored"
	AuditThemeMoved            = "theme.moved"
	AuditProjectCreated        = "project.created"
	AuditProjectUpdated        = "project.updated"
	AuditProjectRetired        = "project.retired"
	AuditProjectRestored       = "project.restored"
	AuditProjectMoved          = "project.moved"
	AuditObjectCycle           = "cycle"
	AuditObjectTheme           = "theme"
	AuditObjectKeyProject      = "key_project"
)

// Audit actions and object type of report attachments (the cover page and
// supporting files). Replacing the cover is one action, recording the old
// and the new file.
const (
	AuditAttachmentAdded    = "attachment.added"
	AuditAttachmentReplaced = "attachment.replaced"
	AuditAttachmentDeleted  = "attachment.deleted"
	AuditObjectAttachment   = "attachment"
)

// Audit actions and object type of the annual work reports.
const (
	AuditReportCreated   = "report.created"
	AuditReportSaved     = "report.saved"
	AuditReportSubmitted = "report.submitted"
	AuditReportReturned  = "report.returned"
	AuditReportAccepted  = "report.accepted"
	// AuditReportsExported records an export of a cycle's reports (CSV or
	// XLSX); its object is the cycle.
	AuditReportsExported = "report.exported"
	AuditObjectReport    = "report"
)

// AuditActions lists every action, for the admin's filter.
var AuditActions = []string{
	AuditSignIn, AuditSignInFailed, AuditSignOut, AuditPasswordChanged,
	AuditUserInvited, AuditInviteAccepted, AuditResetIssued, AuditPasswordReset,
	AuditUserUpdated, AuditUserDisabled, AuditUserEnabled,
	AuditNGOCreated, AuditNGOUpdated, AuditNGODeactivated, AuditNGOReactivated,
	AuditOfficialCreated, AuditOfficialUpdated,
	AuditSessionCreated, AuditSessionUpdated, AuditSessionStatus, AuditSessionCopied, AuditSessionDeleted,
	AuditInvitationSent, AuditInvitationWithdrawn, AuditInvitationReplied,
	AuditAttendanceRecorded, AuditAttendanceExported,
	AuditRequestCreated, AuditRequestUpdated, AuditRequestDeleted,
	AuditCycleCreated, AuditCycleUpdated, AuditCycleClosed, AuditCycleExtensionGranted, AuditCycleExtensionRemoved,
	AuditThemeCreated, AuditThemeUpdated, AuditThemeRetired, AuditThemeRestored, AuditThemeMoved,
	AuditProjectCreated, AuditProjectUpdated, AuditProjectRetired, AuditProjectRestored, AuditProjectMoved,
	AuditReportCreated, AuditReportSaved, AuditReportSubmitted, AuditReportReturned, AuditReportAccepted, AuditReportsExported,
	AuditAttachmentAdded, AuditAttachmentReplaced, AuditAttachmentDeleted,
	AuditSummaryComposed, AuditSummarySaved, AuditSummaryPublished, AuditSummaryUnpublished,
	AuditSummaryCoverSet, AuditSummaryCoverRemoved,
	AuditSecondFactorEnrolled, AuditSecondFactorDisabled, AuditSecondFactorReset, AuditRecoveryCodeUsed, AuditRecoveryCodesRenewed,
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
