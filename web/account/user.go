package account

import (
	"time"

	"ngoportal/internal/portal"
	"ngoportal/web/federation"
	"ngoportal/web/ui"
)

// UserRow is one account in the admin's list.
type UserRow struct {
	Path      string // the account's page
	Name      string
	NameEN    string // "" when not given
	Email     string
	Role      portal.Role
	NGOName   string // in the page's language; "" for admins
	Status    portal.UserStatus
	UpdatedAt time.Time // in the federation's time zone
}

// UserIndexView is the admin's list of accounts, filtered and paginated.
type UserIndexView struct {
	ui.Page
	Role          ui.Field
	NGO           ui.Field
	Status        ui.Field
	Query         ui.Field
	RoleOptions   []ui.Option
	NGOOptions    []ui.Option
	StatusOptions []ui.Option
	Users         []UserRow
	Pager         ui.Pager
	ListPath      string // the list without filters
	NewPath       string // the invitation form
}

// UserValues are the invitation and edit forms' values as sent, to show
// again: the email (the invitation's only) and name as typed (cleaned), the
// role and NGO as chosen.
type UserValues struct {
	Email   string
	Name    string
	NameEN  string
	Role    portal.Role
	NGOID   int64 // 0: none chosen
	Version int   // the version the edit form was loaded at; 0 on the invitation
}

// UserNewView is the form that invites a new account.
type UserNewView struct {
	ui.Page
	Email       ui.Field
	Name        ui.Field
	NameEN      ui.Field
	Role        ui.Field
	NGO         ui.Field
	RoleOptions []ui.Option
	NGOOptions  []ui.Option
	Errors      []ui.FieldError
	Action      string // where the form posts
	CancelPath  string
}

// UserLinkRow is one open single-use link of an account; the token itself
// is never known after it was shown once.
type UserLinkRow struct {
	Purpose   portal.TokenPurpose
	CreatedAt time.Time // in the federation's time zone
	ExpiresAt time.Time // in the federation's time zone
}

// UserShowView is one account's page: its facts, the edit form, the
// actions its status allows, its open links and its recent audit entries.
type UserShowView struct {
	ui.Page
	Email             string
	Name              string
	NameEN            string
	Role              portal.Role
	NGOName           string
	Status            portal.UserStatus
	HasPassword       bool
	CreatedAt         time.Time
	UpdatedAt         time.Time
	PasswordChangedAt *time.Time
	Self              bool // the account is the viewer's own

	// The edit form, with the values sent when it comes back.
	NameField   ui.Field
	NameENField ui.Field
	RoleField   ui.Field
	NGOField    ui.Field
	RoleOptions []ui.Option
	NGOOptions  []ui.Option
	Version     int
	Errors      []ui.FieldError
	Conflict    bool   // the save was stale: show form.conflict
	ActionError string // message key: why a disable was refused

	UpdatePath   string
	DisablePath  string
	EnablePath   string
	ResetPath    string
	ReinvitePath string
	ListPath     string
	AuditPath    string // the audit log filtered to this account's actions

	// SecondFactor: the account has an authenticator set up; an admin may
	// reset it (a lost phone) from SecondFactorResetPath.
	SecondFactor          bool
	SecondFactorRequired  bool // the role must have one
	SecondFactorResetPath string

	Links []UserLinkRow
	Audit []federation.AuditRow
}
