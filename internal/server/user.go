package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
	"ngoportal/web/account"
	"ngoportal/web/ui"
)

// usersPerPage is the length of a page of the admin's list of accounts.
const usersPerPage = 25

// userHistoryLength is how many audit entries an account's page shows.
const userHistoryLength = 10

// The user administration's own paths, next to the shared ones in paths.go.
const adminUserNewPath = adminUsersPath + "/new"

func adminUserActionPath(id int64, action string) string { return adminUserPath(id) + "/" + action }

// userAdminRoutes are the admin's pages for accounts, under /admin;
// routes.go has already required the admin role.
func (s *Server) userAdminRoutes(r chi.Router) {
	r.Get("/users", s.handle(s.handleUserIndex))
	r.Get("/users/new", s.handle(s.handleUserNew))
	r.Post("/users", s.handle(s.handleUserCreate))
	r.Get("/users/{id}", s.handle(s.handleUserShow))
	r.Post("/users/{id}", s.handle(s.handleUserUpdate))
	r.Post("/users/{id}/disable", s.handle(s.handleUserDisable))
	r.Post("/users/{id}/enable", s.handle(s.handleUserEnable))
	r.Post("/users/{id}/reset", s.handle(s.handleUserReset))
	r.Post("/users/{id}/reinvite", s.handle(s.handleUserReinvite))
	r.Post("/users/{id}/second-factor/reset", s.handle(s.handleUserSecondFactorReset))
}

// parseUserRole accepts the three roles; anything else is "".
func parseUserRole(s string) portal.Role {
	switch r := portal.Role(s); r {
	case portal.RoleAdmin, portal.RoleReviewer, portal.RoleStaff:
		return r
	}
	return portal.RolePublic
}

// parseUserStatus accepts the three statuses; anything else is "".
func parseUserStatus(s string) portal.UserStatus {
	switch st := portal.UserStatus(s); st {
	case portal.UserInvited, portal.UserActive, portal.UserDisabled:
		return st
	}
	return ""
}

// parseSelectID reads an id from a select: 0 for empty or malformed.
func parseSelectID(s string) int64 {
	id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

func userRoleOptions(t i18n.Translator, selected portal.Role, all bool) []ui.Option {
	var out []ui.Option
	if all {
		out = append(out, ui.Option{Value: "", Label: t.T("filter.all"), Selected: selected == ""})
	}
	for _, r := range []portal.Role{portal.RoleStaff, portal.RoleReviewer, portal.RoleAdmin} {
		out = append(out, ui.Option{Value: string(r), Label: t.T("user.role." + string(r)), Selected: r == selected})
	}
	return out
}

func userStatusOptions(t i18n.Translator, selected portal.UserStatus) []ui.Option {
	out := []ui.Option{{Value: "", Label: t.T("filter.all"), Selected: selected == ""}}
	for _, st := range []portal.UserStatus{portal.UserActive, portal.UserInvited, portal.UserDisabled} {
		out = append(out, ui.Option{Value: string(st), Label: t.T("user.status." + string(st)), Selected: st == selected})
	}
	return out
}

// userNGOOptions is a select of every NGO, inactive ones marked; blank is the
// label of the empty choice.
func userNGOOptions(t i18n.Translator, ngos []postgres.NGOChoice, selected int64, blank string) []ui.Option {
	out := []ui.Option{{Value: "", Label: blank, Selected: selected == 0}}
	for _, n := range ngos {
		label := t.Pick(n.NameZH, n.NameEN)
		if !n.Active {
			label = t.T("user.ngo_inactive_suffix", "Name", label)
		}
		out = append(out, ui.Option{Value: strconv.FormatInt(n.ID, 10), Label: label, Selected: n.ID == selected})
	}
	return out
}

// handleUserIndex lists accounts, filtered by role, NGO, status and a
// search on name and email.
func (s *Server) handleUserIndex(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := postgres.UserFilter{
		Role:   parseUserRole(q.Get("role")),
		NGOID:  parseSelectID(q.Get("ngo")),
		Status: parseUserStatus(q.Get("status")),
		Query:  strings.TrimSpace(q.Get("q")),
		Limit:  usersPerPage,
	}
	kept := url.Values{}
	if f.Role != "" {
		kept.Set("role", string(f.Role))
	}
	if f.NGOID != 0 {
		kept.Set("ngo", strconv.FormatInt(f.NGOID, 10))
	}
	if f.Status != "" {
		kept.Set("status", string(f.Status))
	}
	if f.Query != "" {
		kept.Set("q", f.Query)
	}
	pager := ui.Pager{Page: ui.ParsePage(q), PerPage: usersPerPage, Path: adminUsersPath, Query: kept}
	f.Offset = pager.Offset()
	users, total, err := s.db.ListUsers(r.Context(), f)
	if err != nil {
		return err
	}
	pager.Total = total
	ngos, err := s.db.AdminNGOChoices(r.Context())
	if err != nil {
		return err
	}
	p := s.page(r, "")
	p.Title = p.T.T("user.index.title")
	v := account.UserIndexView{
		Page:          p,
		Role:          ui.Field{Name: "role", Label: "user.filter.role", Value: string(f.Role)},
		NGO:           ui.Field{Name: "ngo", Label: "user.filter.ngo"},
		Status:        ui.Field{Name: "status", Label: "user.filter.status", Value: string(f.Status)},
		Query:         ui.Field{Name: "q", Label: "user.filter.query", Type: "search", Value: f.Query, MaxLength: 254},
		RoleOptions:   userRoleOptions(p.T, f.Role, true),
		NGOOptions:    userNGOOptions(p.T, ngos, f.NGOID, p.T.T("filter.all")),
		StatusOptions: userStatusOptions(p.T, f.Status),
		Pager:         pager,
		ListPath:      adminUsersPath,
		NewPath:       adminUserNewPath,
	}
	for _, u := range users {
		v.Users = append(v.Users, account.UserRow{
			Path:      adminUserPath(u.ID),
			Name:      u.Name,
			NameEN:    u.NameEN,
			Email:     u.Email,
			Role:      u.Role,
			NGOName:   p.T.Pick(u.NGONameZH, u.NGONameEN),
			Status:    u.Status,
			UpdatedAt: u.UpdatedAt.In(portal.FederationZone),
		})
	}
	return s.render(w, r, http.StatusOK, account.UserIndex(v))
}

// mergeRefusal moves a repository's refusal into the form's messages;
// false when err is not a refusal.
func mergeRefusal(err error, errs map[string]string) bool {
	var ve *portal.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	for k, v := range ve.Fields {
		errs[k] = v
	}
	return true
}

func (s *Server) userNewView(r *http.Request, f account.UserValues, errs map[string]string) (account.UserNewView, error) {
	ngos, err := s.db.AdminNGOChoices(r.Context())
	if err != nil {
		return account.UserNewView{}, err
	}
	p := s.page(r, "")
	p.Title = p.T.T("user.new.title")
	v := account.UserNewView{
		Page:        p,
		Email:       ui.Field{Name: "email", Label: "user.email", Type: "email", Value: f.Email, Error: errs["email"], Required: true, Autocomplete: "off", MaxLength: 254},
		Name:        ui.Field{Name: "name", Label: "user.name", Value: f.Name, Error: errs["name"], Required: true, Autocomplete: "off", MaxLength: 100},
		NameEN:      userNameENField(f.NameEN, errs["name_en"]),
		Role:        ui.Field{Name: "role", Label: "user.role", Error: errs["role"]},
		NGO:         ui.Field{Name: "ngo", Label: "user.ngo", Hint: "user.ngo_hint", Error: errs["ngo"]},
		RoleOptions: userRoleOptions(p.T, f.Role, false),
		NGOOptions:  userNGOOptions(p.T, ngos, f.NGOID, p.T.T("user.ngo_none")),
		Action:      adminUsersPath,
		CancelPath:  adminUsersPath,
	}
	v.Errors = ui.Errors(v.Email, v.Name, v.NameEN, v.Role, v.NGO)
	return v, nil
}

// handleUserNew shows the invitation form; staff is the usual choice.
func (s *Server) handleUserNew(w http.ResponseWriter, r *http.Request) error {
	v, err := s.userNewView(r, account.UserValues{Role: portal.RoleStaff}, nil)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, account.UserNew(v))
}

// handleUserCreate invites an account: the user, the invitation link and
// the audit entry are written together; the link is then mailed when a
// mailer is configured, and shown to the admin once in every case.
func (s *Server) handleUserCreate(w http.ResponseWriter, r *http.Request) error {
	f, u, errs, err := parseUserForm(r, true)
	if err != nil {
		return err
	}
	var id int64
	token := newToken()
	if len(errs) == 0 {
		id, err = s.db.InviteUser(r.Context(), s.actor(r), postgres.UserInvite{Email: u.Email, Name: u.Name, NameEN: u.NameEN, Role: u.Role, NGOID: u.NGOID}, token, s.cfg.InviteTTL)
		switch {
		case errors.Is(err, portal.ErrConflict):
			// The only unique value of a new account is its email.
			errs["email"] = "user.error.email_taken"
		case mergeRefusal(err, errs):
		case err != nil:
			return err
		}
	}
	if len(errs) > 0 {
		v, err := s.userNewView(r, f, errs)
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, account.UserNew(v))
	}
	u.ID = id
	return s.redirectWithFlash(w, r, adminUserPath(id), s.deliverLink(r, u, portal.TokenInvite, token))
}

// absoluteURL is path on the portal's public address, for links that
// leave the browser (mailed or passed on by hand).
func (s *Server) absoluteURL(path string) string {
	return strings.TrimRight(s.cfg.BaseURL.String(), "/") + path
}

// linkFlashKeys are the flash messages after a link was issued: without a
// mailer, mailed, and mailing failed. The link is shown in every case.
var linkFlashKeys = map[portal.TokenPurpose][3]string{
	portal.TokenInvite: {"user.invited_link", "user.invited_link_mailed", "user.invited_link_mail_failed"},
	portal.TokenReset:  {"user.reset_link", "user.reset_link_mailed", "user.reset_link_mail_failed"},
}

// deliverLink mails a freshly issued link when a mailer is configured and
// returns the flash that shows it to the admin once. A failed mail is
// logged and said in the flash; the link stays valid.
func (s *Server) deliverLink(r *http.Request, u portal.User, purpose portal.TokenPurpose, token string) flash {
	path := resetPath(token)
	if purpose == portal.TokenInvite {
		path = invitePath(token)
	}
	link := s.absoluteURL(path)
	keys := linkFlashKeys[purpose]
	if s.mailer == nil {
		return flash{Key: keys[0], Link: link}
	}
	// Accounts have no language of their own yet; the portal's default
	// language is the best guess for the person invited.
	err := s.mailer.SendLink(r.Context(), LinkMail{To: u.Email, Name: u.Name, Purpose: string(purpose), Link: link, Locale: i18n.ZhCN})
	if err != nil {
		s.log.Error("mail link", "request_id", requestID(r.Context()), "purpose", purpose, "user_id", u.ID, "err", err)
		return flash{Key: keys[2], Link: link}
	}
	return flash{Key: keys[1], Link: link}
}

// userShowState is what an account's page shows besides the stored
// account: the edit form as sent, and why something was refused.
type userShowState struct {
	form       *account.UserValues // nil: the stored values
	errs       map[string]string
	conflict   bool
	actionErr  string
	keepPosted bool // keep the form's version (a 422), rather than the stored one (a 409)
}

func (s *Server) renderUserShow(w http.ResponseWriter, r *http.Request, status int, id int64, st userShowState) error {
	ctx := r.Context()
	u, err := s.db.UserByID(ctx, id)
	if err != nil {
		return err
	}
	ngos, err := s.db.AdminNGOChoices(ctx)
	if err != nil {
		return err
	}
	history, _, err := s.db.ListAudit(ctx, postgres.AuditFilter{UserID: id, Limit: userHistoryLength})
	if err != nil {
		return err
	}
	historyRows, err := s.auditRows(ctx, s.translator(r), history)
	if err != nil {
		return err
	}
	f := userValuesFrom(u.User)
	if st.form != nil {
		f = *st.form
		if !st.keepPosted {
			f.Version = u.Version
		}
	}
	p := s.page(r, "")
	p.Title = p.T.Pick(u.Name, u.NameEN)
	v := account.UserShowView{
		Page:         p,
		Email:        u.Email,
		Name:         u.Name,
		NameEN:       u.NameEN,
		Role:         u.Role,
		NGOName:      p.T.Pick(u.NGOName, u.NGONameEN),
		Status:       u.Status,
		HasPassword:  u.HasPassword,
		CreatedAt:    u.CreatedAt.In(portal.FederationZone),
		UpdatedAt:    u.UpdatedAt.In(portal.FederationZone),
		Self:         viewerFrom(ctx).UserID == id,
		NameField:    ui.Field{Name: "name", Label: "user.name", Value: f.Name, Error: st.errs["name"], Required: true, Autocomplete: "off", MaxLength: 100},
		NameENField:  userNameENField(f.NameEN, st.errs["name_en"]),
		RoleField:    ui.Field{Name: "role", Label: "user.role", Error: st.errs["role"]},
		NGOField:     ui.Field{Name: "ngo", Label: "user.ngo", Hint: "user.ngo_hint", Error: st.errs["ngo"]},
		RoleOptions:  userRoleOptions(p.T, f.Role, false),
		NGOOptions:   userNGOOptions(p.T, ngos, f.NGOID, p.T.T("user.ngo_none")),
		Version:      f.Version,
		Conflict:     st.conflict,
		ActionError:  st.actionErr,
		UpdatePath:   adminUserPath(id),
		DisablePath:  adminUserActionPath(id, "disable"),
		EnablePath:   adminUserActionPath(id, "enable"),
		ResetPath:    adminUserActionPath(id, "reset"),
		ReinvitePath: adminUserActionPath(id, "reinvite"),
		ListPath:     adminUsersPath,
		AuditPath:    adminAuditPath + "?" + url.Values{"actor": {u.Email}}.Encode(),
		Audit:        historyRows,
	}
	v.SecondFactor, v.SecondFactorRequired = u.SecondFactor, u.Role.RequiresSecondFactor()
	v.SecondFactorResetPath = adminUserActionPath(id, "second-factor/reset")
	if v.Self {
		v.RoleField.Hint = "user.own_role_hint"
	}
	if u.PasswordChangedAt != nil {
		at := u.PasswordChangedAt.In(portal.FederationZone)
		v.PasswordChangedAt = &at
	}
	v.Errors = ui.Errors(v.NameField, v.NameENField, v.RoleField, v.NGOField)
	for _, l := range u.Links {
		v.Links = append(v.Links, account.UserLinkRow{Purpose: l.Purpose, CreatedAt: l.CreatedAt.In(portal.FederationZone), ExpiresAt: l.ExpiresAt.In(portal.FederationZone)})
	}
	return s.render(w, r, status, account.UserShow(v))
}

// handleUserShow is an account's page.
func (s *Server) handleUserShow(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	return s.renderUserShow(w, r, http.StatusOK, id, userShowState{})
}

// handleUserUpdate saves the name, role and NGO of an account.
func (s *Server) handleUserUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	f, u, errs, err := parseUserForm(r, false)
	if err != nil {
		return err
	}
	if f.Version <= 0 {
		return errBadRequest
	}
	if len(errs) == 0 {
		err = s.db.UpdateUser(r.Context(), s.actor(r), postgres.UserUpdate{ID: id, Version: u.Version, Name: u.Name, NameEN: u.NameEN, Role: u.Role, NGOID: u.NGOID})
		switch {
		case errors.Is(err, portal.ErrConflict):
			return s.renderUserShow(w, r, http.StatusConflict, id, userShowState{form: &f, errs: errs, conflict: true})
		case mergeRefusal(err, errs):
		case err != nil:
			return err
		}
	}
	if len(errs) > 0 {
		return s.renderUserShow(w, r, http.StatusUnprocessableEntity, id, userShowState{form: &f, errs: errs, keepPosted: true})
	}
	return s.redirectFlash(w, r, adminUserPath(id), "user.flash.updated")
}

// userAction runs a button's change on an account: a refusal is shown on
// the account's page (422), success goes back to it with a flash.
func (s *Server) userAction(w http.ResponseWriter, r *http.Request, do func(id int64) error, flashKey string) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	err = do(id)
	var ve *portal.ValidationError
	if errors.As(err, &ve) {
		return s.renderUserShow(w, r, http.StatusUnprocessableEntity, id, userShowState{actionErr: ve.Fields[postgres.UserFieldStatus]})
	}
	if err != nil {
		return err
	}
	return s.redirectFlash(w, r, adminUserPath(id), flashKey)
}

// handleUserDisable stops an account: its login sessions end and its open
// links close.
func (s *Server) handleUserDisable(w http.ResponseWriter, r *http.Request) error {
	return s.userAction(w, r, func(id int64) error { return s.db.DisableUser(r.Context(), s.actor(r), id) }, "user.flash.disabled")
}

// handleUserEnable lets a disabled account back in.
func (s *Server) handleUserEnable(w http.ResponseWriter, r *http.Request) error {
	return s.userAction(w, r, func(id int64) error { return s.db.EnableUser(r.Context(), s.actor(r), id) }, "user.flash.enabled")
}

// handleUserReset issues a password-reset link for an active account.
func (s *Server) handleUserReset(w http.ResponseWriter, r *http.Request) error {
	return s.issueLink(w, r, portal.TokenReset, s.cfg.ResetTTL)
}

// handleUserReinvite issues a fresh invitation link for an invited account.
func (s *Server) handleUserReinvite(w http.ResponseWriter, r *http.Request) error {
	return s.issueLink(w, r, portal.TokenInvite, s.cfg.InviteTTL)
}

func (s *Server) issueLink(w http.ResponseWriter, r *http.Request, purpose portal.TokenPurpose, ttl time.Duration) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	token := newToken()
	u, err := s.db.IssueLink(r.Context(), s.actor(r), id, purpose, token, ttl)
	if err != nil {
		return err
	}
	return s.redirectWithFlash(w, r, adminUserPath(id), s.deliverLink(r, u, purpose, token))
}

// userNameENField is the optional English name of the account forms.
func userNameENField(value, errKey string) ui.Field {
	return ui.Field{Name: "name_en", Label: "user.name_en", Hint: "user.name_en_hint", Value: value, Error: errKey,
		Autocomplete: "off", MaxLength: portal.MaxUserNameLen, Lang: "en"}
}
