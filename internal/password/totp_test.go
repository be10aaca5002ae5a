package password

import (
	"bytes"
	"regexp"
	"testing"
	"time"
)

func TestTOTPStep(t *testing.T) {
	t.Parallel()
	secret := NewTOTPSecret()
	if len(secret) != 32 || !regexp.MustCompile(`^[A-Z2-7]{32}$`).MatchString(secret) {
		t.Fatalf("secret %q is not 32 characters of base32", secret)
	}
	now := time.Unix(1_800_000_000, 0)
	step := now.Unix() / 30
	for _, tc := range []struct {
		name string
		at   time.Time
		want int64
		ok   bool
	}{
		{"OKNow", now, step, true},
		{"OKOneStepBehind", now.Add(-30 * time.Second), step - 1, true},
		{"OKOneStepAhead", now.Add(30 * time.Second), step + 1, true},
		{"ErrTwoStepsBehind", now.Add(-60 * time.Second), 0, false},
		{"ErrTwoStepsAhead", now.Add(60 * time.Second), 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, err := TOTPCode(secret, tc.at)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := TOTPStep(secret, code, now)
			if ok != tc.ok || got != tc.want {
				t.Errorf("TOTPStep = %d, %v; want %d, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
	if _, ok := TOTPStep(secret, "12345", now); ok {
		t.Error("five digits accepted")
	}
}

// The RFC 6238 test vector for SHA-1 (appendix B), to six digits.
func TestTOTPCodeRFC6238(t *testing.T) {
	t.Parallel()
	const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // "12345678901234567890"
	code, err := TOTPCode(secret, time.Unix(59, 0))
	if err != nil || code != "287082" {
		t.Errorf("code at 59 s = %q (%v), want 287082", code, err)
	}
	if g := GroupSecret(secret); g != "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ" {
		t.Errorf("grouped %q", g)
	}
}

func TestRecoveryCodes(t *testing.T) {
	t.Parallel()
	codes := NewRecoveryCodes()
	if len(codes) != RecoveryCodeCount {
		t.Fatalf("%d codes", len(codes))
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if !regexp.MustCompile(`^[a-z2-7]{4}(-[a-z2-7]{4}){3}$`).MatchString(c) {
			t.Errorf("code %q is not xxxx-xxxx-xxxx-xxxx", c)
		}
		if seen[c] {
			t.Errorf("code %q twice", c)
		}
		seen[c] = true
		if LooksLikeTOTPCode(c) {
			t.Errorf("recovery code %q taken for a one-time code", c)
		}
	}
	if !bytes.Equal(HashRecoveryCode("ABCD efgh-ijkl-mnop"), HashRecoveryCode("abcd-efgh-ijkl-mnop")) {
		t.Error("case, spaces or dashes change a recovery code's hash")
	}
	if bytes.Equal(HashRecoveryCode("abcd-efgh-ijkl-mnop"), HashRecoveryCode("abcd-efgh-ijkl-mnoq")) {
		t.Error("two codes hash alike")
	}
	if !LooksLikeTOTPCode(" 123 456 ") || LooksLikeTOTPCode("12345a") {
		t.Error("LooksLikeTOTPCode")
	}
}
