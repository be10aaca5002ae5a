// Package password hashes passwords with argon2id and decides which
// passwords are acceptable.
package password

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Parameters of new hashes (OWASP's argon2id minimum: 19 MiB, 2 passes, one
// lane); they travel inside every hash string, so raising them later does
// not break old hashes.
const (
	memoryKiB = 19 * 1024
	passes    = 2
	lanes     = 1
	saltLen   = 16
	keyLen    = 32
)

// Length limits, in characters.
const (
	MinLength = 12
	MaxLength = 256
)

// Hash returns a PHC string: $argon2id$v=19$m=19456,t=2,p=1$salt$key.
func Hash(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, passes, memoryKiB, lanes, keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, memoryKiB, passes, lanes,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var b64 = base64.RawStdEncoding

// ErrMalformedHash: the stored hash is not an argon2id PHC string.
var ErrMalformedHash = errors.New("malformed password hash")

// Verify reports whether pw matches the PHC string, in time independent of
// where the two differ.
func Verify(pw, phc string) (bool, error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrMalformedHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrMalformedHash
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 {
		return false, ErrMalformedHash
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, ErrMalformedHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, ErrMalformedHash
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is verified against when there is no user, so that an unknown
// email takes as long as a wrong password.
var dummyHash = func() string {
	h, err := Hash("no user has this password, it only spends the time a real check takes")
	if err != nil {
		panic(err)
	}
	return h
}()

// VerifyNothing spends the time of one Verify and reports false.
func VerifyNothing(pw string) {
	_, _ = Verify(pw, dummyHash)
}

// Problem says why a password is refused; its value is a message key.
type Problem string

// The reasons a password can be refused.
const (
	TooShort  Problem = "password.too_short"
	TooLong   Problem = "password.too_long"
	TooCommon Problem = "password.too_common"
	HasEmail  Problem = "password.has_email"
)

//go:embed common-passwords.txt
var commonList []byte

// common holds the 30,000 most common passwords (zxcvbn 4.4.2's list).
var common = func() map[string]struct{} {
	m := make(map[string]struct{}, 30000)
	s := bufio.NewScanner(bytes.NewReader(commonList))
	for s.Scan() {
		if w := strings.TrimSpace(s.Text()); w != "" {
			m[strings.ToLower(w)] = struct{}{}
		}
	}
	return m
}()

// Check returns the first reason pw is not acceptable for the account with
// this email, or "" when it is.
func Check(pw, email string) Problem {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinLength:
		return TooShort
	case n > MaxLength:
		return TooLong
	case isCommon(pw):
		return TooCommon
	}
	if local, _, ok := strings.Cut(strings.ToLower(email), "@"); ok && len(local) >= 4 &&
		strings.Contains(strings.ToLower(pw), local) {
		return HasEmail
	}
	return ""
}

// isCommon: on the list, or a list word padded with digits and punctuation
// ("password2021!"), or one character or a short run repeated.
func isCommon(pw string) bool {
	lower := strings.ToLower(pw)
	if _, ok := common[lower]; ok {
		return true
	}
	core := strings.TrimRightFunc(lower, func(r rune) bool { return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) })
	core = strings.TrimLeftFunc(core, func(r rune) bool { return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) })
	if _, ok := common[core]; ok && utf8.RuneCountInString(core) >= 4 {
		return true
	}
	runes := []rune(lower)
	for period := 1; period <= 4; period++ {
		repeated := len(runes)%period == 0
		for i := period; repeated && i < len(runes); i++ {
			repeated = runes[i] == runes[i-period]
		}
		if repeated {
			return true
		}
	}
	return false
}
