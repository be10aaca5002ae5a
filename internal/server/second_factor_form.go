package server

import (
	"net/http"
	"strings"
)

// maxCodeLen bounds what a code field takes: a recovery code with its
// dashes and some spaces.
const maxCodeLen = 40

// parseCodeForm reads a one-time or recovery code: the code, trimmed, and
// a message key when it is missing or too long.
func parseCodeForm(r *http.Request) (string, string, error) {
	p, err := parsePostForm(r)
	if err != nil {
		return "", "", err
	}
	code := strings.TrimSpace(p.Get("code"))
	switch {
	case code == "":
		return "", "mfa.error.code_required", nil
	case len(code) > maxCodeLen:
		return "", "mfa.error.code_wrong_form", nil
	}
	return code, "", nil
}

// parseProofForm reads what turning the second factor off needs: the
// password or a one-time code, as typed.
func parseProofForm(r *http.Request) (string, error) {
	p, err := parsePostForm(r)
	if err != nil {
		return "", err
	}
	return p.Get("proof"), nil
}

// parseConfirmForm reads the box an admin ticks to confirm a reset.
func parseConfirmForm(r *http.Request) (bool, error) {
	p, err := parsePostForm(r)
	if err != nil {
		return false, err
	}
	return p.Get("confirm") == "on", nil
}
