package password

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// The second factor is a time-based one-time password (RFC 6238) as every
// authenticator app computes it by default: SHA-1, six digits, a new code
// every 30 seconds. One step of clock drift either way is accepted.
const (
	TOTPDigits = 6
	totpPeriod = 30
	totpSkew   = 1
)

// totpSecretBytes is the secret's length: 160 bits, as RFC 4226 advises
// for HMAC-SHA-1; 32 characters of base32.
const totpSecretBytes = 20

// DemoTOTPSecret is the demo admin's authenticator secret. It is printed in
// the README so that anyone trying the demo can compute the codes; the demo
// is refused in production, and so is this secret (see the server's code
// check).
const DemoTOTPSecret = "DEMOADMINSECRETNOTFORPRODUCTIONX"

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Skew: totpSkew, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// NewTOTPSecret returns a fresh random secret in base32, without padding.
func NewTOTPSecret() string {
	b := make([]byte, totpSecretBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

// TOTPURL is the otpauth:// address an authenticator app reads from the QR
// code: the issuer (the portal's name) and the account's email label it.
func TOTPURL(secret, issuer, account string) (string, error) {
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		return "", fmt.Errorf("TOTP secret: %w", err)
	}
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer: issuer, AccountName: account, Period: totpPeriod,
		Secret: raw, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1,
	})
	if err != nil {
		return "", fmt.Errorf("TOTP address: %w", err)
	}
	return key.URL(), nil
}

// TOTPCode is the code for secret at t: what an authenticator app shows.
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totpOpts)
}

// TOTPStep returns the time step (Unix time / 30 s) whose code is code,
// looking one step either side of now; ok is false when none matches. The
// caller refuses a step at or before the last one it accepted, so that a
// code, once used, is never accepted again.
func TOTPStep(secret, code string, now time.Time) (step int64, ok bool) {
	code = strings.TrimSpace(code)
	if len(code) != TOTPDigits {
		return 0, false
	}
	current := now.Unix() / totpPeriod
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		s := current + d
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totpOpts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// LooksLikeTOTPCode reports whether s is six digits (spaces allowed), as
// opposed to a recovery code.
func LooksLikeTOTPCode(s string) bool {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if len(s) != TOTPDigits {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// CleanTOTPCode removes the spaces people type into a code ("123 456").
func CleanTOTPCode(s string) string { return strings.ReplaceAll(strings.TrimSpace(s), " ", "") }

// GroupSecret splits a base32 secret into groups of four for reading aloud
// or typing into an app by hand.
func GroupSecret(secret string) string {
	var b strings.Builder
	for i, c := range secret {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// RecoveryCodeCount is how many recovery codes a user holds at a time.
const RecoveryCodeCount = 10

// recoveryAlphabet is lower-case base32: no 0/O, 1/l or 8/B to confuse.
const recoveryAlphabet = "abcdefghijklmnopqrstuvwxyz234567"

// NewRecoveryCodes returns RecoveryCodeCount fresh codes of 16 characters
// (80 random bits each), written in groups of four: xxxx-xxxx-xxxx-xxxx.
func NewRecoveryCodes() []string {
	out := make([]string, RecoveryCodeCount)
	for i := range out {
		var raw [16]byte
		_, _ = rand.Read(raw[:])
		var b strings.Builder
		for j, x := range raw {
			if j > 0 && j%4 == 0 {
				b.WriteByte('-')
			}
			b.WriteByte(recoveryAlphabet[x&31])
		}
		out[i] = b.String()
	}
	return out
}

// HashRecoveryCode is how a recovery code is stored: the SHA-256 of the
// code without its dashes and spaces, in lower case. A fast hash is enough
// here, unlike for passwords: a code is 80 random bits, so a stolen copy
// of the table cannot be searched for the codes it holds, however fast
// each guess; and an online guess costs a throttled sign-in attempt.
func HashRecoveryCode(code string) []byte {
	h := sha256.Sum256([]byte(normaliseRecoveryCode(code)))
	return h[:]
}

func normaliseRecoveryCode(code string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '-', ' ', '\t':
			return -1
		}
		if r >= 'A' && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, code)
}
