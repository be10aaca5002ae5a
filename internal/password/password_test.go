package password

import (
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	h, err := Hash("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q does not carry its parameters", h)
	}
	h2, _ := Hash("correct horse battery staple")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	if ok, err := Verify("correct horse battery staple", h); !ok || err != nil {
		t.Errorf("Verify(right) = %v, %v", ok, err)
	}
	if ok, err := Verify("correct horse battery stapler", h); ok || err != nil {
		t.Errorf("Verify(wrong) = %v, %v", ok, err)
	}
	// Parameters come from the string: a hash made with other ones verifies.
	old := "$argon2id$v=19$m=8192,t=1,p=1$c2FsdHNhbHRzYWx0$"
	key := b64.EncodeToString(idKey("pw-with-old-params", "saltsaltsalt", 1, 8192, 1))
	if ok, err := Verify("pw-with-old-params", old+key); !ok || err != nil {
		t.Errorf("Verify with older parameters = %v, %v", ok, err)
	}
	for _, bad := range []string{"", "plain", "$2a$10$abc", "$argon2id$v=19$m=x$a$b", "$argon2i$v=19$m=1,t=1,p=1$YQ$YQ"} {
		if _, err := Verify("x", bad); err != ErrMalformedHash {
			t.Errorf("Verify(%q) err = %v, want ErrMalformedHash", bad, err)
		}
	}
}

func TestCheck(t *testing.T) {
	cases := []struct {
		name, pw, email string
		want            Problem
	}{
		{"OK", "violet-harbour-lantern", "li.hua@example.org", ""},
		{"OKChinese", "春眠不觉晓处处闻啼鸟夜来", "li.hua@example.org", ""},
		{"ErrTooShort", "short-pw-11", "", TooShort},
		{"ErrTooShortCountsCharacters", "春眠不觉晓处处闻啼鸟夜", "", TooShort},
		{"ErrTooLong", strings.Repeat("ab1", 90), "", TooLong},
		{"ErrOnList", "1qaz2wsx3edc", "", TooCommon},
		{"ErrOnListAnyCase", "QwertyUiop123", "", TooCommon},
		{"ErrListWordPadded", "password2021!", "", TooCommon},
		{"ErrRepeatedChar", "aaaaaaaaaaaaaaa", "", TooCommon},
		{"ErrRepeatedRun", "abcabcabcabc", "", TooCommon},
		{"ErrContainsEmail", "my-li.hua-password", "Li.Hua@example.org", HasEmail},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Check(tc.pw, tc.email); got != tc.want {
				t.Errorf("Check(%q) = %q, want %q", tc.pw, got, tc.want)
			}
		})
	}
	if len(common) < 29000 {
		t.Errorf("common list has %d entries", len(common))
	}
}
