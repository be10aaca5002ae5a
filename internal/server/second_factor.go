package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/gorilla/sessions"
	"github.com/skip2/go-qrcode"

	"ngoportal/internal/password"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
	"ngoportal/web/account"
	"ngoportal/web/ui"
)

// The second factor's paths: the sign-in's second step, and the sign-in
// security page of one's own account.
const (
	loginCodePath             = "/login/code"
	loginEnrolPath            = "/login/enrol"
	accountTwoStepPath        = "/account/two-step"
	accountTwoStepSetupPath   = accountTwoStepPath + "/setup"
	accountTwoStepEnablePath  = accountTwoStepPath + "/enable"
	accountTwoStepCodesPath   = accountTwoStepPath + "/recovery-codes"
	accountTwoStepDisablePath = accountTwoStepPath + "/disable"
)

// challengeCookie carries, signed, the random id of a sign-in waiting for
// its second step; only /login/… pages receive it. challengeTTL is how
// long the second step may take.
const (
	challengeCookie = "portal_sign_in"
	challengeIDKey  = "cid"
	challengeTTL    = 5 * time.Minute
)

// signInStepRoutes are the sign-in's second step: public pages, which
// need the challenge cookie a right password gave.
func (s *Server) signInStepRoutes(r chi.Router) {
	r.Get(loginCodePath, s.handle(s.handleLoginCodeNew))
	r.Post(loginCodePath, s.handle(s.handleLoginCodeCreate))
	r.Get(loginEnrolPath, s.handle(s.handleLoginEnrolNew))
	r.Post(loginEnrolPath, s.handle(s.handleLoginEnrolCreate))
}

// secondFactorRoutes are the sign-in security page of one's own account;
// routes() has already required a signed-in user.
func (s *Server) secondFactorRoutes(r chi.Router) {
	r.Get(accountTwoStepPath, s.handle(s.handleSecondFactorShow))
	r.Post(accountTwoStepSetupPath, s.handle(s.handleSecondFactorSetupCreate))
	r.Get(accountTwoStepSetupPath, s.handle(s.handleSecondFactorSetupShow))
	r.Post(accountTwoStepEnablePath, s.handle(s.handleSecondFactorEnable))
	r.Post(accountTwoStepCodesPath, s.handle(s.handleRecoveryCodesRenew))
	r.Post(accountTwoStepDisablePath, s.handle(s.handleSecondFactorDisable))
}

// beginSecondStep follows a right password for u: when u has a second
// factor, or must set one up, it records a challenge, sets its cookie and
// sends the browser to the second step (true). Nothing is recorded as a
// sign-in attempt yet: the second step records the attempt's outcome, so
// that a right password alone never counts as a success for the
// throttle (which spares addresses that signed in).
func (s *Server) beginSecondStep(w http.ResponseWriter, r *http.Request, actor portal.Actor, attempt int64, u portal.User, next string) (bool, error) {
	f, err := s.db.SecondFactorOf(r.Context(), u.ID)
	if err != nil {
		return false, err
	}
	purpose, target, secret := portal.ChallengeCode, loginCodePath, ""
	switch {
	case f.Enrolled:
	case u.Role.RequiresSecondFactor():
		purpose, target, secret = portal.ChallengeEnrol, loginEnrolPath, password.NewTOTPSecret()
	default:
		return false, nil
	}
	if next != "" && (localPath(next) != next || next == "/") {
		next = ""
	}
	id := newToken()
	actor.UserID = u.ID
	if err := s.db.CreateSignInChallenge(r.Context(), actor, attempt, u.ID, id, purpose, next, secret, challengeTTL); err != nil {
		return false, err
	}
	if err := s.setChallengeCookie(w, r, id); err != nil {
		return false, err
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, target, http.StatusSeeOther)
	return true, nil
}

// challengeCookieName is the challenge cookie's name: over https with the
// __Secure- prefix (Secure required), since its path, /login, rules out
// __Host-.
func (s *Server) challengeCookieName() string {
	if s.cfg.SecureCookies() {
		return secureCookiePrefix + challengeCookie
	}
	return challengeCookie
}

func (s *Server) setChallengeCookie(w http.ResponseWriter, r *http.Request, id string) error {
	sess := sessions.NewSession(s.cookies, s.challengeCookieName())
	opts := *s.cookies.Options
	opts.Path = loginPath
	opts.MaxAge = int(challengeTTL.Seconds())
	sess.Options = &opts
	sess.IsNew = true
	sess.Values[challengeIDKey] = id
	return s.cookies.Save(r, w, sess)
}

func (s *Server) clearChallengeCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name: s.challengeCookieName(), Value: "", Path: loginPath, MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.SecureCookies(), SameSite: http.SameSiteLaxMode,
	})
}

// challengeFrom loads the sign-in waiting for its second step in this
// browser; ErrNotFound when there is none (any more).
func (s *Server) challengeFrom(r *http.Request) (postgres.Challenge, error) {
	c, err := r.Cookie(s.challengeCookieName())
	if err != nil {
		return postgres.Challenge{}, portal.ErrNotFound
	}
	for _, codec := range s.cookies.Codecs {
		vals := map[any]any{}
		if err := codec.Decode(c.Name, c.Value, &vals); err == nil {
			if id, _ := vals[challengeIDKey].(string); id != "" {
				return s.db.SignInChallenge(r.Context(), id)
			}
		}
	}
	return postgres.Challenge{}, portal.ErrNotFound
}

// loadChallenge is challengeFrom for the second step's pages: nil and a
// redirect already sent when there is nothing to do here (signed in
// already, no challenge, or a challenge of the other kind).
func (s *Server) loadChallenge(w http.ResponseWriter, r *http.Request, purpose portal.ChallengePurpose) (*postgres.Challenge, error) {
	if v := viewerFrom(r.Context()); v.SignedIn() && r.Method == http.MethodGet {
		http.Redirect(w, r, homeOf(v), http.StatusSeeOther)
		return nil, nil
	}
	ch, err := s.challengeFrom(r)
	if errors.Is(err, portal.ErrNotFound) {
		s.clearChallengeCookie(w)
		http.Redirect(w, r, loginPathWith("sign_in_expired"), http.StatusSeeOther)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	w.Header().Set("Cache-Control", "no-store")
	if ch.Purpose != purpose {
		target := loginCodePath
		if ch.Purpose == portal.ChallengeEnrol {
			target = loginEnrolPath
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
		return nil, nil
	}
	return &ch, nil
}

// throttleCodeStep runs one try of a sign-in's second step under the
// sign-in throttle: refused (a wait > 0) while the account or address must
// wait, else counted as a sign-in attempt of the account from this
// address, failed when try says the code was wrong or used
// (ErrCodeRejected, ErrCodeReused), so that guessing codes costs what
// guessing passwords does. try's error comes back as it is.
func (s *Server) throttleCodeStep(r *http.Request, ch postgres.Challenge, try func() error) (time.Duration, error) {
	actor := s.actor(r)
	actor.Email = ch.Email
	verdict, err := s.db.BeginSignInAttempt(r.Context(), actor, ch.Email)
	if err != nil {
		return 0, err
	}
	if !verdict.Allowed {
		return max(verdict.RetryAfter, time.Second), nil
	}
	err = try()
	wrong := errors.Is(err, portal.ErrCodeRejected) || errors.Is(err, portal.ErrCodeReused)
	if err != nil && !wrong {
		return 0, err
	}
	if rerr := s.db.FinishSignInAttempt(r.Context(), actor, verdict.Attempt, ch.Email, err == nil, ch.UserID); rerr != nil {
		return 0, rerr
	}
	return 0, err
}

// codeFailure is the message for a second step that did not pass, and its
// status; ok false for an error that is not about the code.
func (s *Server) codeFailure(w http.ResponseWriter, r *http.Request, wait time.Duration, err error) (msg string, status int, ok bool) {
	t := s.translator(r)
	switch {
	case wait > 0:
		secs := setRetryAfter(w, wait)
		return t.T("auth.throttled", "Wait", waitText(t, secs)), http.StatusTooManyRequests, true
	case errors.Is(err, portal.ErrCodeReused):
		return t.T("mfa.error.code_used"), http.StatusUnprocessableEntity, true
	case errors.Is(err, portal.ErrCodeRejected):
		return t.T("mfa.error.code_wrong"), http.StatusUnprocessableEntity, true
	}
	return "", 0, false
}

// totpStep checks a one-time code against secret now. The demo admin's
// published secret never passes in production, whatever reached the
// database.
func (s *Server) totpStep(r *http.Request, secret, code string) (int64, error) {
	if s.cfg.Production() && secret == password.DemoTOTPSecret {
		s.log.Warn("the demo's second-factor secret refused in production", "request_id", requestID(r.Context()))
		return 0, portal.ErrCodeRejected
	}
	step, ok := password.TOTPStep(secret, password.CleanTOTPCode(code), time.Now())
	if !ok {
		return 0, portal.ErrCodeRejected
	}
	return step, nil
}

// afterSignIn is where a finished sign-in goes: the page asked for before
// signing in, else the role's home.
func afterSignIn(ch postgres.Challenge) string {
	if ch.Next != "" {
		return ch.Next
	}
	return homeOf(portal.Viewer{Role: ch.Role})
}

func (s *Server) codeView(r *http.Request, code ui.Field, failure string) account.SecondFactorCodeView {
	p := s.page(r, "")
	p.Title = p.T.T("mfa.code.title")
	v := account.SecondFactorCodeView{Page: p, Code: code, Action: loginCodePath, Failure: failure}
	v.Errors = ui.Errors(v.Code)
	return v
}

func codeField(errKey string) ui.Field {
	return ui.Field{Name: "code", Label: "mfa.code.label", Hint: "mfa.code.hint", Error: errKey, Required: true, Autocomplete: "one-time-code", MaxLength: 40}
}

// handleLoginCodeNew asks for the code after a right password.
func (s *Server) handleLoginCodeNew(w http.ResponseWriter, r *http.Request) error {
	ch, err := s.loadChallenge(w, r, portal.ChallengeCode)
	if ch == nil || err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, account.SecondFactorCode(s.codeView(r, codeField(""), "")))
}

// handleLoginCodeCreate checks a one-time or recovery code and opens the
// login session.
func (s *Server) handleLoginCodeCreate(w http.ResponseWriter, r *http.Request) error {
	ch, err := s.loadChallenge(w, r, portal.ChallengeCode)
	if ch == nil || err != nil {
		return err
	}
	code, errKey, err := parseCodeForm(r)
	if err != nil {
		return err
	}
	if errKey != "" {
		return s.render(w, r, http.StatusUnprocessableEntity, account.SecondFactorCode(s.codeView(r, codeField(errKey), "")))
	}
	id := newToken()
	wait, err := s.throttleCodeStep(r, *ch, func() error {
		var proof postgres.SignInProof
		if password.LooksLikeTOTPCode(code) {
			step, err := s.totpStep(r, ch.Secret, code)
			if err != nil {
				return err
			}
			proof.Step = step
		} else {
			proof.RecoveryHash = password.HashRecoveryCode(code)
		}
		actor := s.actor(r)
		actor.Email = ch.Email
		return s.db.CompleteSignIn(r.Context(), actor, *ch, proof, id, s.sessionID(r), s.cfg.SessionLifetime)
	})
	if msg, status, ok := s.codeFailure(w, r, wait, err); ok {
		return s.render(w, r, status, account.SecondFactorCode(s.codeView(r, codeField(""), msg)))
	}
	if errors.Is(err, portal.ErrNotFound) {
		s.clearChallengeCookie(w)
		http.Redirect(w, r, loginPathWith("sign_in_expired"), http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	return s.finishSignIn(w, r, id, afterSignIn(*ch), flash{})
}

// finishSignIn gives the browser its new login session, with f for its
// first page, and sends it to target.
func (s *Server) finishSignIn(w http.ResponseWriter, r *http.Request, id, target string, f flash) error {
	if err := s.setSessionCookie(w, r, id); err != nil {
		return err
	}
	s.clearChallengeCookie(w)
	if f.Key != "" {
		if err := s.storeFlash(r.Context(), id, f); err != nil {
			return err
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// qrOf draws content as a QR code's runs of dark modules.
func qrOf(content string) (account.QRCode, error) {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return account.QRCode{}, err
	}
	bm := q.Bitmap()
	out := account.QRCode{Size: len(bm)}
	for y, row := range bm {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			out.Runs = append(out.Runs, account.QRRun{X: start, Y: y, W: x - start})
		}
	}
	return out, nil
}

// setupView shows secret for the user's authenticator app.
func (s *Server) setupView(r *http.Request, email, secret string, code ui.Field, failure string) (account.SecondFactorSetupView, error) {
	p := s.page(r, "")
	p.Title = p.T.T("mfa.setup.title")
	link, err := password.TOTPURL(secret, p.Federation, email)
	if err != nil {
		return account.SecondFactorSetupView{}, err
	}
	qr, err := qrOf(link)
	if err != nil {
		return account.SecondFactorSetupView{}, err
	}
	v := account.SecondFactorSetupView{
		Page: p, Heading: "mfa.setup.title", Intro: "mfa.setup.intro", QR: qr, Secret: password.GroupSecret(secret),
		Email: email, Code: code, Failure: failure,
	}
	v.Code.Hint = "mfa.setup.code_hint"
	v.Code.Label = "mfa.setup.code_label"
	v.Errors = ui.Errors(v.Code)
	return v, nil
}

// loginEnrolView is the setup that a sign-in requires.
func (s *Server) loginEnrolView(r *http.Request, ch postgres.Challenge, code ui.Field, failure string) (account.SecondFactorSetupView, error) {
	v, err := s.setupView(r, ch.Email, ch.Secret, code, failure)
	if err != nil {
		return v, err
	}
	v.Intro = "mfa.setup.required_intro"
	v.Action = loginEnrolPath
	return v, nil
}

// handleLoginEnrolNew shows the setup of an authenticator app that the
// role requires before its first page.
func (s *Server) handleLoginEnrolNew(w http.ResponseWriter, r *http.Request) error {
	ch, err := s.loadChallenge(w, r, portal.ChallengeEnrol)
	if ch == nil || err != nil {
		return err
	}
	v, err := s.loginEnrolView(r, *ch, codeField(""), "")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, account.SecondFactorSetup(v))
}

// handleLoginEnrolCreate confirms the app's first code, sets up the second
// factor with new recovery codes, and opens the login session on the page
// that shows the codes once.
func (s *Server) handleLoginEnrolCreate(w http.ResponseWriter, r *http.Request) error {
	ch, err := s.loadChallenge(w, r, portal.ChallengeEnrol)
	if ch == nil || err != nil {
		return err
	}
	code, errKey, err := parseCodeForm(r)
	if err != nil {
		return err
	}
	if errKey == "" && !password.LooksLikeTOTPCode(code) {
		errKey = "mfa.error.code_digits"
	}
	if errKey != "" {
		v, err := s.loginEnrolView(r, *ch, codeField(errKey), "")
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, account.SecondFactorSetup(v))
	}
	id := newToken()
	codes := password.NewRecoveryCodes()
	wait, err := s.throttleCodeStep(r, *ch, func() error {
		step, err := s.totpStep(r, ch.Secret, code)
		if err != nil {
			return err
		}
		actor := s.actor(r)
		return s.db.CompleteEnrolmentSignIn(r.Context(), actor, *ch, step, recoveryHashes(codes), id, s.sessionID(r), s.cfg.SessionLifetime)
	})
	if msg, status, ok := s.codeFailure(w, r, wait, err); ok {
		v, err := s.loginEnrolView(r, *ch, codeField(""), msg)
		if err != nil {
			return err
		}
		return s.render(w, r, status, account.SecondFactorSetup(v))
	}
	if errors.Is(err, portal.ErrNotFound) || errors.Is(err, portal.ErrConflict) {
		s.clearChallengeCookie(w)
		http.Redirect(w, r, loginPathWith("sign_in_expired"), http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	target := accountTwoStepPath
	if ch.Next != "" {
		target += "?" + url.Values{"next": {ch.Next}}.Encode()
	}
	return s.finishSignIn(w, r, id, target, flash{Key: "mfa.flash.enrolled", Codes: codes})
}

func recoveryHashes(codes []string) [][]byte {
	out := make([][]byte, len(codes))
	for i, c := range codes {
		out[i] = password.HashRecoveryCode(c)
	}
	return out
}

// secondFactorView is the sign-in security page.
func (s *Server) secondFactorView(ctx context.Context, r *http.Request, proofErr string) (account.SecondFactorView, error) {
	v := viewerFrom(ctx)
	f, err := s.db.SecondFactorOf(ctx, v.UserID)
	if err != nil {
		return account.SecondFactorView{}, err
	}
	p := s.page(r, "")
	p.Title = p.T.T("mfa.page.title")
	out := account.SecondFactorView{
		Page: p, Enrolled: f.Enrolled, EnrolledAt: f.EnrolledAt.In(portal.FederationZone), RecoveryLeft: f.RecoveryLeft,
		Required:  v.Role.RequiresSecondFactor(),
		SetupPath: accountTwoStepSetupPath, RenewPath: accountTwoStepCodesPath, DisablePath: accountTwoStepDisablePath,
		PasswordPath: accountPasswordPath,
		ContinuePath: homeOf(v),
		Proof: ui.Field{Name: "proof", Label: "mfa.page.proof", Hint: "mfa.page.proof_hint", Type: "password", Error: proofErr,
			Required: true, Autocomplete: "current-password"},
	}
	if next := r.URL.Query().Get("next"); next != "" && localPath(next) == next && next != "/" {
		out.ContinuePath = next
	}
	out.Errors = ui.Errors(out.Proof)
	return out, nil
}

// handleSecondFactorShow is the sign-in security page of one's account.
func (s *Server) handleSecondFactorShow(w http.ResponseWriter, r *http.Request) error {
	v, err := s.secondFactorView(r.Context(), r, "")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, account.SecondFactor(v))
}

// handleSecondFactorSetupCreate starts setting up an authenticator app
// with a new secret.
func (s *Server) handleSecondFactorSetupCreate(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	f, err := s.db.SecondFactorOf(r.Context(), v.UserID)
	if err != nil {
		return err
	}
	if f.Enrolled {
		return s.redirectFlash(w, r, accountTwoStepPath, "mfa.flash.already_on")
	}
	if err := s.db.StartEnrolment(r.Context(), v.UserID, password.NewTOTPSecret()); err != nil {
		return err
	}
	http.Redirect(w, r, accountTwoStepSetupPath, http.StatusSeeOther)
	return nil
}

// accountSetupView is the setup started from the sign-in security page.
func (s *Server) accountSetupView(r *http.Request, secret string, code ui.Field, failure string) (account.SecondFactorSetupView, error) {
	v, err := s.setupView(r, viewerFrom(r.Context()).Email, secret, code, failure)
	if err != nil {
		return v, err
	}
	v.Action, v.CancelPath = accountTwoStepEnablePath, accountTwoStepPath
	return v, nil
}

// handleSecondFactorSetupShow shows the secret being set up.
func (s *Server) handleSecondFactorSetupShow(w http.ResponseWriter, r *http.Request) error {
	f, err := s.db.SecondFactorOf(r.Context(), viewerFrom(r.Context()).UserID)
	if err != nil {
		return err
	}
	if f.Enrolled || f.PendingSecret == "" {
		http.Redirect(w, r, accountTwoStepPath, http.StatusSeeOther)
		return nil
	}
	v, err := s.accountSetupView(r, f.PendingSecret, codeField(""), "")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, account.SecondFactorSetup(v))
}

// handleSecondFactorEnable confirms the app's first code and turns the
// second factor on, showing the new recovery codes once.
func (s *Server) handleSecondFactorEnable(w http.ResponseWriter, r *http.Request) error {
	f, err := s.db.SecondFactorOf(r.Context(), viewerFrom(r.Context()).UserID)
	if err != nil {
		return err
	}
	if f.Enrolled || f.PendingSecret == "" {
		return s.redirectFlash(w, r, accountTwoStepPath, "mfa.flash.setup_stale")
	}
	code, errKey, err := parseCodeForm(r)
	if err != nil {
		return err
	}
	if errKey == "" && !password.LooksLikeTOTPCode(code) {
		errKey = "mfa.error.code_digits"
	}
	var step int64
	failure := ""
	if errKey == "" {
		step, err = s.totpStep(r, f.PendingSecret, code)
		if err != nil {
			failure = s.translator(r).T("mfa.error.code_wrong")
		}
	}
	if errKey != "" || failure != "" {
		v, err := s.accountSetupView(r, f.PendingSecret, codeField(errKey), failure)
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, account.SecondFactorSetup(v))
	}
	codes := password.NewRecoveryCodes()
	err = s.db.ConfirmEnrolment(r.Context(), s.actor(r), f.PendingSecret, step, recoveryHashes(codes))
	if errors.Is(err, portal.ErrConflict) {
		return s.redirectFlash(w, r, accountTwoStepPath, "mfa.flash.setup_stale")
	}
	if err != nil {
		return err
	}
	return s.redirectWithFlash(w, r, accountTwoStepPath, flash{Key: "mfa.flash.enabled", Codes: codes})
}

// handleRecoveryCodesRenew replaces one's recovery codes, showing the new
// ones once.
func (s *Server) handleRecoveryCodesRenew(w http.ResponseWriter, r *http.Request) error {
	codes := password.NewRecoveryCodes()
	err := s.db.RenewRecoveryCodes(r.Context(), s.actor(r), recoveryHashes(codes))
	if errors.Is(err, portal.ErrNotFound) {
		return s.redirectFlash(w, r, accountTwoStepPath, "mfa.flash.setup_stale")
	}
	if err != nil {
		return err
	}
	return s.redirectWithFlash(w, r, accountTwoStepPath, flash{Key: "mfa.flash.codes_renewed", Codes: codes})
}

// handleSecondFactorDisable turns the second factor off for a role that
// may go without, after the user typed their password or a code.
func (s *Server) handleSecondFactorDisable(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	proof, err := parseProofForm(r)
	if err != nil {
		return err
	}
	f, err := s.db.SecondFactorOf(r.Context(), v.UserID)
	if err != nil {
		return err
	}
	var step int64
	proofErr := ""
	if proof == "" {
		proofErr = "mfa.error.proof_required"
	} else {
		// A password or code typed here is guessed like one at sign-in
		// (by whoever holds a stolen login session), so it goes under the
		// same throttle and counts as an attempt of the account.
		actor := s.actor(r)
		actor.Email = v.Email
		verdict, err := s.db.BeginSignInAttempt(r.Context(), actor, v.Email)
		if err != nil {
			return err
		}
		if !verdict.Allowed {
			setRetryAfter(w, verdict.RetryAfter)
			view, err := s.secondFactorView(r.Context(), r, "mfa.error.proof_throttled")
			if err != nil {
				return err
			}
			return s.render(w, r, http.StatusTooManyRequests, account.SecondFactor(view))
		}
		if step, err = s.checkProof(r, v, f.Secret, proof); err != nil {
			return err
		}
		if step < 0 {
			proofErr = "mfa.error.proof_wrong"
		}
		if err := s.db.FinishSignInAttempt(r.Context(), actor, verdict.Attempt, v.Email, proofErr == "", v.UserID); err != nil {
			return err
		}
	}
	if proofErr == "" {
		err = s.db.DisableSecondFactor(r.Context(), s.actor(r), step)
		switch {
		case errors.Is(err, portal.ErrSecondFactorRequired):
			proofErr = "mfa.page.off_required"
		case errors.Is(err, portal.ErrCodeReused):
			proofErr = "mfa.error.code_used"
		case errors.Is(err, portal.ErrNotFound):
			return s.redirectFlash(w, r, accountTwoStepPath, "mfa.flash.setup_stale")
		case err != nil:
			return err
		}
	}
	if proofErr != "" {
		view, err := s.secondFactorView(r.Context(), r, proofErr)
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, account.SecondFactor(view))
	}
	return s.redirectFlash(w, r, accountTwoStepPath, "mfa.flash.disabled")
}

// checkProof checks what was typed to turn the second factor off: a code
// from the app (its time step back) or the account's password (step 0);
// step -1 when it is neither.
func (s *Server) checkProof(r *http.Request, v portal.Viewer, secret, proof string) (int64, error) {
	if password.LooksLikeTOTPCode(proof) {
		step, err := s.totpStep(r, secret, proof)
		if err != nil {
			return -1, nil
		}
		return step, nil
	}
	u, _, err := s.db.SignInUser(r.Context(), v.Email)
	if err != nil {
		return -1, err
	}
	ok, verr := password.Verify(proof, u.PasswordHash)
	if verr != nil {
		s.log.Error("stored password hash unreadable", "request_id", requestID(r.Context()), "user_id", u.ID, "err", verr)
	}
	if !ok {
		return -1, nil
	}
	return 0, nil
}

// handleUserSecondFactorReset is an admin removing another account's
// second factor, once confirmed: its login sessions end.
func (s *Server) handleUserSecondFactorReset(w http.ResponseWriter, r *http.Request) error {
	confirmed, err := parseConfirmForm(r)
	if err != nil {
		return err
	}
	return s.userAction(w, r, func(id int64) error {
		if !confirmed {
			return &portal.ValidationError{Fields: map[string]string{postgres.UserFieldStatus: "user.second_factor.confirm_required"}}
		}
		return s.db.ResetSecondFactor(r.Context(), s.actor(r), id)
	}, "user.flash.second_factor_reset")
}
