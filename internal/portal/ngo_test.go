package portal

import (
	"strings"
	"testing"
)

func TestValidCreditCode(t *testing.T) {
	cases := []struct {
		name, code string
		want       string // "" valid, else the problem
	}{
		{"OKPublishedCompanyCode", "91440300708461136T", ""}, // a published code, checked by hand
		{"OKSocialGroup", "51310000501830272K", ""},
		{"OKFoundation", "53310000500491723W", ""},
		{"OKPrivateNonEnterprise", "52310000MJ49210686", ""},
		{"OKCheckCharIsZero", "513100005021746339", ""},
		{"OKLettersInOrgCode", "91310000MA1FL4XW18", ""},
		{"OKPublicInstitution", "12310000425012345C", ""},
		{"ErrEmpty", "", "length"},
		{"ErrTooShort", "51310000501830272", "length"},
		{"ErrTooLong", "51310000501830272KK", "length"},
		{"ErrLowerCaseNotNormalized", "51310000501830272k", "chars"},
		{"ErrLetterI", "51310000I01830272K", "chars"},
		{"ErrLetterO", "5131000050183027OK", "chars"},
		{"ErrLetterZ", "Z1310000501830272K", "chars"},
		{"ErrLetterS", "51310000S01830272K", "chars"},
		{"ErrLetterV", "51310000V01830272K", "chars"},
		{"ErrPunctuation", "51310000-01830272K", "chars"},
		{"ErrChinese", "51310000５01830272", "length"},
		{"ErrLetterInRegion", "5131A000501830272K", "region"},
		{"ErrWrongCheckChar", "51310000501830272J", "check"},
		{"ErrTwoDigitsSwapped", "51310000510830272K", "check"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := creditCodeProblem(tc.code); got != tc.want {
				t.Errorf("creditCodeProblem(%q) = %q, want %q", tc.code, got, tc.want)
			}
			if got := ValidCreditCode(tc.code); got != (tc.want == "") {
				t.Errorf("ValidCreditCode(%q) = %v", tc.code, got)
			}
		})
	}
	t.Run("CheckCharOfShortInput", func(t *testing.T) {
		if _, ok := CreditCodeCheckChar("5131"); ok {
			t.Error("a short prefix has a check character")
		}
		if _, ok := CreditCodeCheckChar("5131000050183027I"); ok {
			t.Error("a prefix with I has a check character")
		}
	})
}

func TestSlugify(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Shanghai Women's Federation", "shanghai-womens-federation"},
		{"  Women’s  Digital -- Skills!! Centre ", "womens-digital-skills-centre"},
		{"NGO 2021", "ngo-2021"},
		{"上海市妇女", "ngo"},
		{"Café Société", "cafe-societe"},
		{strings.Repeat("long-word ", 12), "long-word-long-word-long-word-long-word-long-word-long-word"},
	}
	for _, tc := range cases {
		if got := Slugify(tc.in); got != tc.want {
			t.Errorf("Slugify(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseNGOStatus(t *testing.T) {
	for in, want := range map[string]NGOStatus{"": NGOStatusActive, "active": NGOStatusActive, "inactive": NGOStatusInactive, "all": NGOStatusAll, "x": NGOStatusActive} {
		if got := ParseNGOStatus(in); got != want {
			t.Errorf("ParseNGOStatus(%q) = %q, want %q", in, got, want)
		}
	}
}
