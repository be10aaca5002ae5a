package server

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/i18n"
	"ngoportal/internal/password"
	"ngoportal/internal/portal"
	"ngoportal/web/account"
	"ngoportal/web/ui"
)

func (s *Server) loginView(r *http.Request, f account.LoginValues, errs map[string]string) account.LoginView {
	p := s.page(r, "")
	p.Title = p.T.T("auth.sign_in")
	return account.LoginView{
		Page:     p,
		Email:    ui.Field{Name: "email", Label: "auth.email", Type: "email", Value: f.Email, Error: errs["email"], Required: true, Autocomplete: "username", MaxLength: 254},
		Password: ui.Field{Name: "password", Label: "auth.password", Type: "password", Error: errs["password"], Required: true, Autocomplete: "current-password"},
		Next:     localPath(f.Next),
	}
}

func (s *Server) handleLoginNew(w http.ResponseWriter, r *http.Request) error {
	if v := viewerFrom(r.Context()); v.SignedIn() {
		http.Redirect(w, r, homeOf(v), http.StatusSeeOther)
		return nil
	}
	v := s.loginView(r, account.LoginValues{Next: r.URL.Query().Get("next")}, nil)
	switch r.URL.Query().Get("notice") {
	case "signed_out":
		v.Notice = "auth.signed_out"
	case "password_set":
		v.Notice = "auth.password_set"
	case "session_ended":
		v.Notice = "auth.session_ended"
	case "sign_in_expired":
		v.Notice = "mfa.notice.expired"
	}
	return s.render(w, r, http.StatusOK, account.Login(v))
}

// failedSignInMessage is one message for every failure, so that nobody can
// learn which emails have accounts.
const failedSignInMessage = "auth.failed"

func (s *Server) handleLoginCreate(w http.ResponseWriter, r *http.Request) error {
	f, pw, errs, err := parseLoginForm(r)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		v := s.loginView(r, f, errs)
		v.Errors = ui.Errors(v.Email, v.Password)
		return s.render(w, r, http.StatusUnprocessableEntity, account.Login(v))
	}
	actor := s.actor(r)
	actor.Email = f.Email

	// The throttle decides and records the attempt in one step, before the
	// password is hashed, so that attempts sent at once are counted too.
	verdict, err := s.db.BeginSignInAttempt(r.Context(), actor, f.Email)
	if err != nil {
		return err
	}
	if !verdict.Allowed {
		secs := setRetryAfter(w, verdict.RetryAfter)
		v := s.loginView(r, f, nil)
		v.Failure = v.T.T("auth.throttled", "Wait", waitText(v.T, secs))
		return s.render(w, r, http.StatusTooManyRequests, account.Login(v))
	}

	u, ngoActive, err := s.db.SignInUser(r.Context(), f.Email)
	ok := false
	switch {
	case errors.Is(err, portal.ErrNotFound):
		password.VerifyNothing(pw)
	case err != nil:
		return err
	case u.PasswordHash == "":
		password.VerifyNothing(pw)
	default:
		match, verr := password.Verify(pw, u.PasswordHash)
		if verr != nil {
			s.log.Error("stored password hash unreadable", "request_id", requestID(r.Context()), "user_id", u.ID, "err", verr)
		}
		ok = match && u.Status == portal.UserActive && ngoActive
	}
	if ok {
		// A second factor, or setting one up, comes first; the password's
		// attempt is set aside and that step records its own
		// (throttleCodeStep).
		if started, err := s.beginSecondStep(w, r, actor, verdict.Attempt, u, f.Next); started || err != nil {
			return err
		}
	}
	if err := s.db.FinishSignInAttempt(r.Context(), actor, verdict.Attempt, f.Email, ok, u.ID); err != nil {
		return err
	}
	if !ok {
		v := s.loginView(r, f, nil)
		v.Failure = v.T.T(failedSignInMessage)
		return s.render(w, r, http.StatusUnprocessableEntity, account.Login(v))
	}

	id := newToken()
	actor.UserID = u.ID
	if err := s.db.CreateLoginSession(r.Context(), actor, u.ID, id, s.sessionID(r), s.cfg.SessionLifetime, s.cfg.SessionIdle); err != nil {
		return err
	}
	if err := s.setSessionCookie(w, r, id); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	target := homeOf(portal.Viewer{Role: u.Role})
	if f.Next != "" && localPath(f.Next) == f.Next && f.Next != "/" {
		target = f.Next
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// setRetryAfter sets Retry-After to wait in whole seconds, rounded up and
// at least one, and returns them.
func setRetryAfter(w http.ResponseWriter, wait time.Duration) int {
	secs := max(int(math.Ceil(wait.Seconds())), 1)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return secs
}

// waitText says how long to wait: seconds up to a minute and a half, then
// whole minutes.
func waitText(t i18n.Translator, secs int) string {
	if secs <= 90 {
		return t.T("auth.wait_seconds", "N", secs)
	}
	return t.T("auth.wait_minutes", "N", (secs+59)/60)
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) error {
	a := authFrom(r.Context())
	if err := s.db.EndLoginSession(r.Context(), s.actor(r), a.idHash); err != nil {
		return err
	}
	s.clearSessionCookie(w)
	http.Redirect(w, r, loginPathWith("signed_out"), http.StatusSeeOther)
	return nil
}

func (s *Server) passwordView(r *http.Request, errs map[string]string) account.PasswordView {
	p := s.page(r, "")
	p.Title = p.T.T("auth.change_password")
	v := account.PasswordView{
		Page:     p,
		Current:  ui.Field{Name: "current", Label: "auth.current_password", Type: "password", Error: errs["current"], Required: true, Autocomplete: "current-password"},
		Password: ui.Field{Name: "password", Label: "auth.new_password", Hint: "auth.password_rules", Type: "password", Error: errs["password"], Required: true, Autocomplete: "new-password"},
		Confirm:  ui.Field{Name: "confirm", Label: "auth.confirm_password", Type: "password", Error: errs["confirm"], Required: true, Autocomplete: "new-password"},
	}
	v.Errors = ui.Errors(v.Current, v.Password, v.Confirm)
	return v
}

func (s *Server) handlePasswordEdit(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, account.Password(s.passwordView(r, nil)))
}

func (s *Server) handlePasswordUpdate(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	f, errs, err := parsePasswordForm(r, v.Email)
	if err != nil {
		return err
	}
	// The current password is guessed like one at sign-in (by whoever
	// holds a stolen login session): the same throttle, the same count.
	actor := s.actor(r)
	actor.Email = v.Email
	verdict, err := s.db.BeginSignInAttempt(r.Context(), actor, v.Email)
	if err != nil {
		return err
	}
	if !verdict.Allowed {
		setRetryAfter(w, verdict.RetryAfter)
		return s.render(w, r, http.StatusTooManyRequests, account.Password(s.passwordView(r, map[string]string{"current": "auth.current_throttled"})))
	}
	u, _, err := s.db.SignInUser(r.Context(), v.Email)
	if err != nil {
		return err
	}
	ok, verr := password.Verify(f.Current, u.PasswordHash)
	if verr != nil {
		s.log.Error("stored password hash unreadable", "request_id", requestID(r.Context()), "user_id", u.ID, "err", verr)
	}
	if err := s.db.FinishSignInAttempt(r.Context(), actor, verdict.Attempt, v.Email, ok, u.ID); err != nil {
		return err
	}
	if !ok {
		errs["current"] = "auth.current_wrong"
	} else if f.Password == f.Current && errs["password"] == "" {
		errs["password"] = "auth.password_unchanged"
	}
	if len(errs) > 0 {
		// Passwords are never sent back into the form.
		return s.render(w, r, http.StatusUnprocessableEntity, account.Password(s.passwordView(r, errs)))
	}
	hash, err := password.Hash(f.Password)
	if err != nil {
		return err
	}
	id := newToken()
	if err := s.db.ChangeOwnPassword(r.Context(), s.actor(r), hash, id, s.cfg.SessionLifetime); err != nil {
		return err
	}
	if err := s.setSessionCookie(w, r, id); err != nil {
		return err
	}
	// The old login session is gone; the flash goes on the new one.
	if err := s.db.SetFlash(r.Context(), hashOf(id), `{"key":"auth.password_changed"}`); err != nil {
		return err
	}
	http.Redirect(w, r, homeOf(v), http.StatusSeeOther)
	return nil
}

// linkFlow is what differs between accepting an invitation and using a
// password-reset link.
type linkFlow struct {
	purpose portal.TokenPurpose
	title   string // message key
	intro   string // message key
}

var (
	inviteFlow = linkFlow{portal.TokenInvite, "auth.invite_title", "auth.invite_intro"}
	resetFlow  = linkFlow{portal.TokenReset, "auth.reset_title", "auth.reset_intro"}
)

func (s *Server) handleInviteEdit(w http.ResponseWriter, r *http.Request) error {
	return s.linkEdit(w, r, inviteFlow)
}
func (s *Server) handleInviteUpdate(w http.ResponseWriter, r *http.Request) error {
	return s.linkUpdate(w, r, inviteFlow)
}
func (s *Server) handleResetEdit(w http.ResponseWriter, r *http.Request) error {
	return s.linkEdit(w, r, resetFlow)
}
func (s *Server) handleResetUpdate(w http.ResponseWriter, r *http.Request) error {
	return s.linkUpdate(w, r, resetFlow)
}

func (s *Server) linkView(r *http.Request, fl linkFlow, u portal.User, errs map[string]string) account.SetPasswordView {
	p := s.page(r, "")
	p.Title = p.T.T(fl.title)
	v := account.SetPasswordView{
		Page:     p,
		Heading:  fl.title,
		Intro:    fl.intro,
		Name:     u.Name,
		Email:    u.Email,
		Action:   r.URL.Path,
		Password: ui.Field{Name: "password", Label: "auth.new_password", Hint: "auth.password_rules", Type: "password", Error: errs["password"], Required: true, Autocomplete: "new-password"},
		Confirm:  ui.Field{Name: "confirm", Label: "auth.confirm_password", Type: "password", Error: errs["confirm"], Required: true, Autocomplete: "new-password"},
	}
	v.Errors = ui.Errors(v.Password, v.Confirm)
	return v
}

// linkInvalid is the page for an unknown, used or expired link.
func (s *Server) linkInvalid(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "")
	p.Title = p.T.T("auth.link_invalid_title")
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, http.StatusNotFound, account.LinkInvalid(account.LinkInvalidView{Page: p}))
}

func (s *Server) linkEdit(w http.ResponseWriter, r *http.Request, fl linkFlow) error {
	// The token is in the URL: keep it out of Referer headers and caches.
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-store")
	u, err := s.db.TokenUser(r.Context(), chi.URLParam(r, "token"), fl.purpose)
	if errors.Is(err, portal.ErrNotFound) {
		return s.linkInvalid(w, r)
	}
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, account.SetPassword(s.linkView(r, fl, u, nil)))
}

func (s *Server) linkUpdate(w http.ResponseWriter, r *http.Request, fl linkFlow) error {
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-store")
	token := chi.URLParam(r, "token")
	u, err := s.db.TokenUser(r.Context(), token, fl.purpose)
	if errors.Is(err, portal.ErrNotFound) {
		return s.linkInvalid(w, r)
	}
	if err != nil {
		return err
	}
	f, errs, err := parsePasswordForm(r, u.Email)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return s.render(w, r, http.StatusUnprocessableEntity, account.SetPassword(s.linkView(r, fl, u, errs)))
	}
	hash, err := password.Hash(f.Password)
	if err != nil {
		return err
	}
	if _, err := s.db.UseToken(r.Context(), s.actor(r), token, fl.purpose, hash); errors.Is(err, portal.ErrNotFound) {
		return s.linkInvalid(w, r)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, loginPathWith("password_set"), http.StatusSeeOther)
	return nil
}
