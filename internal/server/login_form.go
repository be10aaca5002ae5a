package server

import (
	"net/http"
	"strings"

	"ngoportal/internal/password"
	"ngoportal/internal/portal"
	"ngoportal/web/account"
)

// parseLoginForm reads the sign-in form in one pass: the values to show
// again, the password typed, and a message key per missing or oversized
// field. Whether the email and password match an account is the
// handler's question, asked only when there are no field errors.
func parseLoginForm(r *http.Request) (account.LoginValues, string, map[string]string, error) {
	p, err := parsePostForm(r)
	if err != nil {
		return account.LoginValues{}, "", nil, err
	}
	v := account.LoginValues{
		Email: strings.ToLower(strings.TrimSpace(p.Get("email"))),
		Next:  p.Get("next"),
	}
	pw := p.Get("password")
	errs := map[string]string{}
	if v.Email == "" {
		errs["email"] = "auth.email_required"
	} else if len(v.Email) > portal.MaxUserEmailLen {
		errs["email"] = "auth.email_invalid"
	}
	if pw == "" {
		errs["password"] = "auth.password_required"
	} else if len(pw) > 4*password.MaxLength {
		errs["password"] = "password.too_long"
	}
	return v, pw, errs, nil
}

// passwordForm is a new password typed twice, and for a change of one's
// own password the current one. None of it is ever shown again.
type passwordForm struct {
	Current  string
	Password string
	Confirm  string
}

// parsePasswordForm reads a new password in one pass: the passwords, and a
// message key where the new one breaks the policy for the account's email
// or was not typed the same twice. The current password is the handler's
// to check, against the stored hash.
func parsePasswordForm(r *http.Request, email string) (passwordForm, map[string]string, error) {
	p, err := parsePostForm(r)
	if err != nil {
		return passwordForm{}, nil, err
	}
	f := passwordForm{Current: p.Get("current"), Password: p.Get("password"), Confirm: p.Get("confirm")}
	errs := map[string]string{}
	if problem := password.Check(f.Password, email); problem != "" {
		errs["password"] = string(problem)
	}
	if f.Confirm != f.Password {
		errs["confirm"] = "auth.confirm_mismatch"
	}
	return f, errs, nil
}
