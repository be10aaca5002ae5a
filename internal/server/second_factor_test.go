package server

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"ngoportal/internal/demo"
	"ngoportal/internal/password"
	"ngoportal/internal/portal"
)

// passwordStep posts the sign-in form only, from remote ("" for the
// default), and returns the challenge cookie it set.
func (h *harness) passwordStep(t *testing.T, email, remote string) (response, *http.Cookie) {
	t.Helper()
	r := postForm("/login", url.Values{"email": {email}, "password": {testPassword}}, "Accept-Language", "en")
	if remote != "" {
		r.RemoteAddr = remote
	}
	res := h.do(t, r)
	if res.status != http.StatusSeeOther || cookieSet(res) {
		t.Fatalf("password step: %d %q, session cookie set: %v", res.status, res.header.Get("Location"), cookieSet(res))
	}
	return res, challengeCookieFrom(t, res)
}

// postCode sends a code to the code step with the challenge cookie.
func (h *harness) postCode(t *testing.T, path string, c *http.Cookie, code, remote string) response {
	t.Helper()
	r := postForm(path, url.Values{"code": {code}}, "Accept-Language", "en")
	if remote != "" {
		r.RemoteAddr = remote
	}
	return h.as(t, c, r)
}

var secretOnPage = regexp.MustCompile(`id="mfa-secret"[^>]*>([A-Z2-7 ]+)<`)

func TestSecondFactorForcedEnrolment(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := createUser(t, h, portal.RoleAdmin, 0, "new.admin@example.org", "新管理员")
	if _, err := h.db.Pool().Exec(t.Context(), `DELETE FROM user_second_factors WHERE user_id = $1`, admin); err != nil {
		t.Fatal(err)
	}

	res, ch := h.passwordStep(t, "new.admin@example.org", "")
	if loc := res.header.Get("Location"); loc != loginEnrolPath {
		t.Fatalf("an admin without a second factor went to %q", loc)
	}
	if got := h.as(t, ch, get("/admin/users")); got.status != http.StatusSeeOther || !strings.HasPrefix(got.header.Get("Location"), "/login") {
		t.Errorf("an admin page before the setup: %d %q", got.status, got.header.Get("Location"))
	}
	if got := h.as(t, ch, get(loginCodePath)); got.header.Get("Location") != loginEnrolPath {
		t.Errorf("the code step of a setup challenge: %d %q", got.status, got.header.Get("Location"))
	}
	page := h.as(t, ch, get(loginEnrolPath))
	if page.status != http.StatusOK {
		t.Fatalf("setup page: %d", page.status)
	}
	wantContains(t, page.body, `<svg class="qr-code"`, `role="img"`, `<title id="mfa-qr-title">`, "new.admin@example.org")
	if strings.Contains(page.body, "data:") {
		t.Error("the QR code is a data: URI, which the CSP does not allow")
	}
	m := secretOnPage.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no key on the setup page")
	}
	secret := strings.ReplaceAll(m[1], " ", "")

	if got := h.postCode(t, loginEnrolPath, ch, "12345", ""); got.status != http.StatusUnprocessableEntity || cookieSet(got) {
		t.Errorf("five digits: %d", got.status)
	}
	code, err := password.TOTPCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	done := h.postCode(t, loginEnrolPath, ch, code, "")
	if done.status != http.StatusSeeOther || done.header.Get("Location") != accountTwoStepPath {
		t.Fatalf("setup: %d %q", done.status, done.header.Get("Location"))
	}
	session := cookieFrom(t, done)
	shown := h.as(t, session, get(accountTwoStepPath, "Accept-Language", "en"))
	if n := strings.Count(shown.body, "<li><code>"); n != password.RecoveryCodeCount {
		t.Errorf("%d recovery codes shown after the setup", n)
	}
	if again := h.as(t, session, get(accountTwoStepPath)); strings.Contains(again.body, "<li><code>") {
		t.Error("the recovery codes are shown a second time")
	}
	if got := h.as(t, session, get("/admin/users")); got.status != http.StatusOK {
		t.Errorf("admin page after the setup: %d", got.status)
	}
	if auditCount(t, h, portal.AuditSecondFactorEnrolled, admin) != 1 {
		t.Error("the setup is not audited")
	}
	var stored int
	if err := h.db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, admin).Scan(&stored); err != nil || stored != password.RecoveryCodeCount {
		t.Errorf("%d recovery codes stored (%v)", stored, err)
	}
	if got := h.postCode(t, loginEnrolPath, ch, code, ""); got.status != http.StatusSeeOther || !strings.Contains(got.header.Get("Location"), "sign_in_expired") {
		t.Errorf("the challenge works twice: %d %q", got.status, got.header.Get("Location"))
	}
}

func TestSecondFactorCodeStep(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := createUser(t, h, portal.RoleAdmin, 0, "mfa.admin@example.org", "管理员")
	const email = "mfa.admin@example.org"

	t.Run("ErrSameStepTwice", func(t *testing.T) {
		code, err := password.TOTPCode(testTOTPSecret, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		_, ch := h.passwordStep(t, email, "")
		if res := h.postCode(t, loginCodePath, ch, code, ""); res.status != http.StatusSeeOther || !cookieSet(res) {
			t.Fatalf("first use: %d", res.status)
		}
		_, ch = h.passwordStep(t, email, "")
		res := h.postCode(t, loginCodePath, ch, code, "")
		if res.status != http.StatusUnprocessableEntity || cookieSet(res) {
			t.Fatalf("the same code twice: %d", res.status)
		}
		wantContains(t, res.body, "That code has already been used.")
	})

	t.Run("OKRecoveryCodeOnceUnderRace", func(t *testing.T) {
		const rc = "abcd-efgh-ijkl-mnop"
		if _, err := h.db.Pool().Exec(t.Context(), `
			INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)`, admin, password.HashRecoveryCode(rc)); err != nil {
			t.Fatal(err)
		}
		var chs []*http.Cookie
		for range 2 {
			_, ch := h.passwordStep(t, email, "")
			chs = append(chs, ch)
		}
		results := make([]response, 2)
		var wg sync.WaitGroup
		for i := range 2 {
			wg.Go(func() { results[i] = h.postCode(t, loginCodePath, chs[i], " ABCD EFGH-IJKL-MNOP ", "") })
		}
		wg.Wait()
		ok := 0
		for _, res := range results {
			switch {
			case res.status == http.StatusSeeOther && cookieSet(res):
				ok++
			case res.status != http.StatusUnprocessableEntity:
				t.Errorf("status %d", res.status)
			}
		}
		if ok != 1 {
			t.Fatalf("%d of two parallel uses of one recovery code succeeded", ok)
		}
		if auditCount(t, h, portal.AuditRecoveryCodeUsed, admin) != 1 {
			t.Error("the recovery code's use is not audited once")
		}
	})

	t.Run("ErrWrongCodeCountsAsFailedSignIn", func(t *testing.T) {
		const remote = "198.51.100.7:1234"
		_, ch := h.passwordStep(t, email, remote)
		before := auditCount(t, h, portal.AuditSignInFailed, admin)
		failed := func() int {
			var n int
			if err := h.db.Pool().QueryRow(t.Context(), `
				SELECT count(*) FROM login_attempts WHERE email = $1 AND client_addr = '198.51.100.7' AND NOT succeeded`, email).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if res := h.postCode(t, loginCodePath, ch, "000000", remote); res.status != http.StatusUnprocessableEntity || failed() != 1 {
			t.Fatalf("a wrong code: %d, %d failed attempts recorded", res.status, failed())
		} else {
			wantContains(t, res.body, "That code is not right.")
		}
		var status int
		for range 11 {
			status = h.postCode(t, loginCodePath, ch, "000000", remote).status
			if status == http.StatusTooManyRequests {
				break
			}
			if status != http.StatusUnprocessableEntity {
				t.Fatalf("a wrong code: %d", status)
			}
		}
		if status != http.StatusTooManyRequests {
			t.Errorf("wrong codes are not throttled: %d", status)
		}
		if auditCount(t, h, portal.AuditSignInFailed, admin) <= before {
			t.Error("wrong codes are not audited as failed sign-ins")
		}
	})

	t.Run("ErrExpiredChallenge", func(t *testing.T) {
		_, ch := h.passwordStep(t, email, "")
		if _, err := h.db.Pool().Exec(t.Context(), `UPDATE sign_in_challenges SET expires_at = now() - interval '1 second' WHERE user_id = $1`, admin); err != nil {
			t.Fatal(err)
		}
		code, _ := password.TOTPCode(testTOTPSecret, time.Now().Add(30*time.Second))
		res := h.postCode(t, loginCodePath, ch, code, "")
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/login?notice=sign_in_expired" || cookieSet(res) {
			t.Errorf("an expired challenge: %d %q", res.status, res.header.Get("Location"))
		}
	})
}

func TestDemoSecondFactorRefusedInProduction(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		env  map[string]string
		want int
	}{
		{"OKInDevelopment", nil, http.StatusSeeOther},
		{"ErrInProduction", map[string]string{
			"PORTAL_ENV": "production", "DATABASE_URL": "postgres://unused.example/portal",
			"PORTAL_SESSION_KEY": strings.Repeat("k", 40), "PORTAL_BASE_URL": "https://portal.example.org",
		}, http.StatusUnprocessableEntity},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tc.env)
			r := postForm("/login", url.Values{"email": {demo.AdminEmail}, "password": {demo.Password}})
			res := h.do(t, r)
			if res.header.Get("Location") != loginCodePath {
				t.Fatalf("password step: %d %q", res.status, res.header.Get("Location"))
			}
			code, err := password.TOTPCode(demo.AdminTOTPSecret, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if got := h.postCode(t, loginCodePath, challengeCookieFrom(t, res), code, ""); got.status != tc.want {
				t.Errorf("the demo key's code: %d, want %d", got.status, tc.want)
			}
		})
	}
}

func TestSecondFactorReset(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := createUser(t, h, portal.RoleAdmin, 0, "reset.admin@example.org", "管理员甲")
	other := createUser(t, h, portal.RoleAdmin, 0, "lost.phone@example.org", "管理员乙")
	if _, err := h.db.Pool().Exec(t.Context(), `
		INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)`, other, password.HashRecoveryCode("aaaa-aaaa-aaaa-aaaa")); err != nil {
		t.Fatal(err)
	}
	me := h.sessionCookie(t, admin)
	theirs := h.sessionCookie(t, other)
	path := adminUserActionPath(other, "second-factor/reset")

	if res := h.as(t, me, get(adminUserPath(other))); !strings.Contains(res.body, `action="`+path+`"`) {
		t.Error("the account's page offers no reset")
	}
	if res := h.as(t, me, postForm(path, url.Values{})); res.status != http.StatusUnprocessableEntity {
		t.Errorf("an unconfirmed reset: %d", res.status)
	}
	if res := h.as(t, me, postForm(adminUserActionPath(admin, "second-factor/reset"), url.Values{"confirm": {"on"}})); res.status != http.StatusUnprocessableEntity {
		t.Errorf("resetting one's own: %d", res.status)
	}
	res := h.as(t, me, postForm(path, url.Values{"confirm": {"on"}}))
	if res.status != http.StatusSeeOther || res.header.Get("Location") != adminUserPath(other) {
		t.Fatalf("reset: %d %q", res.status, res.header.Get("Location"))
	}
	var left int
	if err := h.db.Pool().QueryRow(t.Context(), `
		SELECT (SELECT count(*) FROM user_second_factors WHERE user_id = $1) + (SELECT count(*) FROM recovery_codes WHERE user_id = $1)`, other).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d rows of the second factor left (%v)", left, err)
	}
	if got := h.as(t, theirs, get("/admin/")); got.status != http.StatusSeeOther {
		t.Errorf("the user's session survived the reset: %d", got.status)
	}
	if auditCount(t, h, portal.AuditSecondFactorReset, other) != 1 {
		t.Error("the reset is not audited")
	}
	if res, _ := h.passwordStep(t, "lost.phone@example.org", ""); res.header.Get("Location") != loginEnrolPath {
		t.Errorf("after a reset the admin signs in to %q, want the setup", res.header.Get("Location"))
	}
}

func TestSecondFactorOptionalForStaff(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ngoA := ngoIDBySlug(t, h, "women-physicians")
	staff := createUser(t, h, portal.RoleStaff, ngoA, "careful.staff@example.org", "王静")
	admin := createUser(t, h, portal.RoleAdmin, 0, "keeps.it@example.org", "管理员")
	c := h.sessionCookie(t, staff)

	if res := h.signIn(t, "careful.staff@example.org", testPassword); res.header.Get("Location") != ngoHomePath {
		t.Fatalf("staff without a second factor: %q", res.header.Get("Location"))
	}
	if res := h.as(t, c, postForm(accountTwoStepSetupPath, url.Values{})); res.header.Get("Location") != accountTwoStepSetupPath {
		t.Fatalf("start setup: %d %q", res.status, res.header.Get("Location"))
	}
	page := h.as(t, c, get(accountTwoStepSetupPath))
	m := secretOnPage.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no key on the setup page: %d", page.status)
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	code, _ := password.TOTPCode(secret, time.Now())
	if res := h.as(t, c, postForm(accountTwoStepEnablePath, url.Values{"code": {code}})); res.header.Get("Location") != accountTwoStepPath {
		t.Fatalf("enable: %d %q", res.status, res.header.Get("Location"))
	}
	if n := strings.Count(h.as(t, c, get(accountTwoStepPath)).body, "<li><code>"); n != password.RecoveryCodeCount {
		t.Errorf("%d recovery codes shown", n)
	}
	if res, _ := h.passwordStep(t, "careful.staff@example.org", ""); res.header.Get("Location") != loginCodePath {
		t.Errorf("staff with a second factor: %q", res.header.Get("Location"))
	}
	if res := h.as(t, c, postForm(accountTwoStepCodesPath, url.Values{})); res.status != http.StatusSeeOther {
		t.Errorf("new recovery codes: %d", res.status)
	}
	if auditCount(t, h, portal.AuditRecoveryCodesRenewed, staff) != 1 {
		t.Error("new recovery codes are not audited")
	}
	if res := h.as(t, c, postForm(accountTwoStepDisablePath, url.Values{"proof": {"not-my-password-1"}})); res.status != http.StatusUnprocessableEntity {
		t.Errorf("turn off with a wrong password: %d", res.status)
	}
	if res := h.as(t, c, postForm(accountTwoStepDisablePath, url.Values{"proof": {testPassword}})); res.status != http.StatusSeeOther {
		t.Errorf("turn off with the password: %d", res.status)
	}
	if auditCount(t, h, portal.AuditSecondFactorDisabled, staff) != 1 {
		t.Error("turning it off is not audited")
	}

	ac := h.sessionCookie(t, admin)
	res := h.as(t, ac, postForm(accountTwoStepDisablePath, url.Values{"proof": {testPassword}}, "Accept-Language", "en"))
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("an admin turned it off: %d", res.status)
	}
	wantContains(t, res.body, "Federation officials (administrators and reviewers) must keep two-step sign-in on.")
}

// TestSecondFactorDisableThrottled: the password or code that turns the
// second factor off is guessed like one at sign-in (from a stolen login
// session), so it counts against the sign-in throttle: after five wrong
// ones the account waits (429 with Retry-After), even for the right one.
func TestSecondFactorDisableThrottled(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	staff := createUser(t, h, portal.RoleStaff, ngoIDBySlug(t, h, "women-physicians"), "guessed.staff@example.org", "李娜")
	c := h.sessionCookie(t, staff)
	if _, err := h.db.Pool().Exec(t.Context(), `
		INSERT INTO user_second_factors (user_id, totp_secret) VALUES ($1, $2)`, staff, password.NewTOTPSecret()); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if res := h.as(t, c, postForm(accountTwoStepDisablePath, url.Values{"proof": {fmt.Sprintf("wrong-password-%02d", i)}})); res.status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong proof %d: %d, want 422", i+1, res.status)
		}
	}
	res := h.as(t, c, postForm(accountTwoStepDisablePath, url.Values{"proof": {testPassword}}, "Accept-Language", "en"))
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" {
		t.Fatalf("after five wrong proofs: %d, Retry-After %q; want 429 with Retry-After", res.status, res.header.Get("Retry-After"))
	}
	wantContains(t, res.body, "Too many wrong passwords or codes for this account")
	if auditCount(t, h, portal.AuditSignInFailed, staff) != 5 {
		t.Errorf("%d failed attempts audited, want 5", auditCount(t, h, portal.AuditSignInFailed, staff))
	}
	var enrolled bool
	if err := h.db.Pool().QueryRow(t.Context(), `SELECT EXISTS (SELECT 1 FROM user_second_factors WHERE user_id = $1)`, staff).Scan(&enrolled); err != nil || !enrolled {
		t.Errorf("the second factor was turned off while throttled (%v)", err)
	}
}

// TestSecondFactorRequiredForReviewers: a reviewer reads every NGO's
// reports as an admin does, so the password alone sends a reviewer
// without a second factor to its setup, and a reviewer with one to the
// code, never to a federation page.
func TestSecondFactorRequiredForReviewers(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	reviewer := createUser(t, h, portal.RoleReviewer, 0, "new.reviewer@example.org", "新审阅员")
	createUser(t, h, portal.RoleReviewer, 0, "set.reviewer@example.org", "审阅员")
	if _, err := h.db.Pool().Exec(t.Context(), `DELETE FROM user_second_factors WHERE user_id = $1`, reviewer); err != nil {
		t.Fatal(err)
	}
	for email, want := range map[string]string{"new.reviewer@example.org": loginEnrolPath, "set.reviewer@example.org": loginCodePath} {
		res, ch := h.passwordStep(t, email, "")
		if loc := res.header.Get("Location"); loc != want {
			t.Errorf("%s: the password led to %q, want %q", email, loc, want)
		}
		if got := h.as(t, ch, get(adminHomePath)); got.status != http.StatusSeeOther || !strings.HasPrefix(got.header.Get("Location"), "/login") {
			t.Errorf("%s: the federation's home before the second step: %d %q", email, got.status, got.header.Get("Location"))
		}
	}
}
