package portal

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
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

// validForm is a form that passes; each case below breaks one field.
func validForm() NGOForm {
	return NGOForm{
		NameZH:          "上海市女性公益发展中心",
		NameEN:          "Shanghai Women's Public Welfare Centre",
		ShortName:       "女性公益中心",
		CreditCode:      "52310000MJ49210686",
		FocusAreas:      "女性创业，公益培训、家庭教育\n心理健康",
		FoundedYear:     "2012",
		ContactPerson:   "李静",
		Phone:           "+86 (21) 6321-0000",
		Email:           "contact@welfare.example.org",
		Website:         "https://welfare.example.org/about",
		Address:         "上海市黄浦区延安东路100号",
		ProfileZH:       "服务女性。",
		ProfileEN:       "Serves women.",
		ShowInDirectory: true,
	}
}

func TestNGOFormValidate(t *testing.T) {
	long := func(n int) string { return strings.Repeat("字", n) }
	thisYear := time.Now().Year()
	cases := []struct {
		name      string
		change    func(f *NGOForm)
		field     string // "" when the form must pass
		wantError string
	}{
		{"OK", func(f *NGOForm) {}, "", ""},
		{"OKOnlyNames", func(f *NGOForm) { *f = NGOForm{NameZH: "甲", NameEN: "A"} }, "", ""},
		{"OKLongestValues", func(f *NGOForm) {
			f.NameZH, f.NameEN, f.ShortName = long(100), long(100), long(30)
			f.Address, f.ProfileZH, f.ProfileEN, f.ContactPerson = long(200), long(4000), long(4000), long(50)
		}, "", ""},
		{"OKThisYear", func(f *NGOForm) { f.FoundedYear = strconv.Itoa(thisYear) }, "", ""},
		{"OKYear1900", func(f *NGOForm) { f.FoundedYear = "1900" }, "", ""},
		{"OKHttpWebsite", func(f *NGOForm) { f.Website = "http://example.org" }, "", ""},
		{"OKTenFocusAreas", func(f *NGOForm) { f.FocusAreas = "a,b,c,d,e,f,g,h,i,j" }, "", ""},
		{"ErrNameZHRequired", func(f *NGOForm) { f.NameZH = "" }, "name_zh", "ngo.error.name_zh_required"},
		{"ErrNameZHTooLong", func(f *NGOForm) { f.NameZH = long(101) }, "name_zh", "ngo.error.name_zh_too_long"},
		{"ErrNameENRequired", func(f *NGOForm) { f.NameEN = "" }, "name_en", "ngo.error.name_en_required"},
		{"ErrNameENTooLong", func(f *NGOForm) { f.NameEN = strings.Repeat("a", 101) }, "name_en", "ngo.error.name_en_too_long"},
		{"ErrShortNameTooLong", func(f *NGOForm) { f.ShortName = long(31) }, "short_name", "ngo.error.short_name_too_long"},
		{"ErrCreditCodeLength", func(f *NGOForm) { f.CreditCode = "5231" }, "credit_code", "ngo.error.credit_code_length"},
		{"ErrCreditCodeChars", func(f *NGOForm) { f.CreditCode = "52310000MJ4921068O" }, "credit_code", "ngo.error.credit_code_chars"},
		{"ErrCreditCodeRegion", func(f *NGOForm) { f.CreditCode = "5231000AMJ49210686" }, "credit_code", "ngo.error.credit_code_region"},
		{"ErrCreditCodeCheck", func(f *NGOForm) { f.CreditCode = "52310000MJ49210687" }, "credit_code", "ngo.error.credit_code_check"},
		{"ErrFocusAreasTooMany", func(f *NGOForm) { f.FocusAreas = "a,b,c,d,e,f,g,h,i,j,k" }, "focus_areas", "ngo.error.focus_areas_too_many"},
		{"ErrFocusAreaTooLong", func(f *NGOForm) { f.FocusAreas = "短\n" + long(31) }, "focus_areas", "ngo.error.focus_area_too_long"},
		{"ErrFoundedYearNotNumber", func(f *NGOForm) { f.FoundedYear = "二〇一二" }, "founded_year", "ngo.error.founded_year_number"},
		{"ErrFoundedYearFraction", func(f *NGOForm) { f.FoundedYear = "2012.5" }, "founded_year", "ngo.error.founded_year_number"},
		{"ErrFoundedYearSigned", func(f *NGOForm) { f.FoundedYear = "+2012" }, "founded_year", "ngo.error.founded_year_number"},
		{"ErrFoundedYearTooEarly", func(f *NGOForm) { f.FoundedYear = "1899" }, "founded_year", "ngo.error.founded_year_range"},
		{"ErrFoundedYearFuture", func(f *NGOForm) { f.FoundedYear = strconv.Itoa(thisYear + 1) }, "founded_year", "ngo.error.founded_year_range"},
		{"ErrContactPersonTooLong", func(f *NGOForm) { f.ContactPerson = long(51) }, "contact_person", "ngo.error.contact_person_too_long"},
		{"ErrPhoneLetters", func(f *NGOForm) { f.Phone = "021-CALL-NOW" }, "phone", "ngo.error.phone_invalid"},
		{"ErrPhoneTooShort", func(f *NGOForm) { f.Phone = "12345" }, "phone", "ngo.error.phone_invalid"},
		{"ErrPhoneTooLong", func(f *NGOForm) { f.Phone = "0213456789012345678901" }, "phone", "ngo.error.phone_invalid"},
		{"ErrPhonePunctuationOnly", func(f *NGOForm) { f.Phone = "(((---)))" }, "phone", "ngo.error.phone_invalid"},
		{"ErrEmailNoAt", func(f *NGOForm) { f.Email = "contact.example.org" }, "email", "ngo.error.email_invalid"},
		{"ErrEmailNoDomainDot", func(f *NGOForm) { f.Email = "contact@localhost" }, "email", "ngo.error.email_invalid"},
		{"ErrEmailWithName", func(f *NGOForm) { f.Email = "Li <li@example.org>" }, "email", "ngo.error.email_invalid"},
		{"ErrEmailTwoAddresses", func(f *NGOForm) { f.Email = "a@example.org,b@example.org" }, "email", "ngo.error.email_invalid"},
		{"ErrWebsiteJavaScript", func(f *NGOForm) { f.Website = "javascript:alert(1)" }, "website", "ngo.error.website_invalid"},
		{"ErrWebsiteJavaScriptSlashes", func(f *NGOForm) { f.Website = "javascript://example.org/%0aalert(1)" }, "website", "ngo.error.website_invalid"},
		{"ErrWebsiteData", func(f *NGOForm) { f.Website = "data:text/html,<p>x" }, "website", "ngo.error.website_invalid"},
		{"ErrWebsiteNoScheme", func(f *NGOForm) { f.Website = "www.example.org" }, "website", "ngo.error.website_invalid"},
		{"ErrWebsiteFTP", func(f *NGOForm) { f.Website = "ftp://example.org" }, "website", "ngo.error.website_invalid"},
		{"ErrWebsiteCredentials", func(f *NGOForm) { f.Website = "https://user:pw@example.org" }, "website", "ngo.error.website_invalid"},
		{"ErrWebsiteTooLong", func(f *NGOForm) { f.Website = "https://example.org/" + strings.Repeat("a", 200) }, "website", "ngo.error.website_invalid"},
		{"ErrAddressTooLong", func(f *NGOForm) { f.Address = long(201) }, "address", "ngo.error.address_too_long"},
		{"ErrProfileZHTooLong", func(f *NGOForm) { f.ProfileZH = long(4001) }, "profile_zh", "ngo.error.profile_zh_too_long"},
		{"ErrProfileENTooLong", func(f *NGOForm) { f.ProfileEN = strings.Repeat("a", 4001) }, "profile_en", "ngo.error.profile_en_too_long"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := validForm()
			tc.change(&f)
			errs := f.Validate()
			for _, k := range errs {
				if !slices.Contains(NGOValidationKeys, k) {
					t.Errorf("NGOValidationKeys lacks %s, so no test proves it is translated", k)
				}
			}
			wantOnlyError(t, errs, tc.field, tc.wantError)
		})
	}
}

func TestNGOFormNormalize(t *testing.T) {
	f := NGOForm{
		NameZH:     "  甲\x00组织 ",
		CreditCode: " 52310000mj4921 0686 ",
		ProfileEN:  "line one\r\nline two\xff",
	}
	f.Normalize()
	if f.NameZH != "甲组织" {
		t.Errorf("NameZH = %q", f.NameZH)
	}
	if f.CreditCode != "52310000MJ49210686" {
		t.Errorf("CreditCode = %q, want upper case without spaces", f.CreditCode)
	}
	if f.ProfileEN != "line one\nline two" {
		t.Errorf("ProfileEN = %q", f.ProfileEN)
	}
}

func TestParseFocusAreas(t *testing.T) {
	cases := []struct {
		name, in string
		want     []string
	}{
		{"OKEmpty", "", []string{}},
		{"OKLines", "女性创业\r\n家庭教育\n\n", []string{"女性创业", "家庭教育"}},
		{"OKMixedCommas", "女性创业, 家庭教育，心理健康、法律援助；志愿服务", []string{"女性创业", "家庭教育", "心理健康", "法律援助", "志愿服务"}},
		{"OKRepeatsDropped", "a, a ,b", []string{"a", "b"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, problem := ParseFocusAreas(tc.in)
			if problem != "" || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseFocusAreas(%q) = %q, %q; want %q", tc.in, got, problem, tc.want)
			}
		})
	}
}

func TestNGOFormRoundTrip(t *testing.T) {
	f := validForm()
	f.Normalize()
	if errs := f.Validate(); len(errs) != 0 {
		t.Fatal(errs)
	}
	n := f.NGO()
	if n.FoundedYear != 2012 || !reflect.DeepEqual(n.FocusAreas, []string{"女性创业", "公益培训", "家庭教育", "心理健康"}) {
		t.Errorf("NGO() = %+v", n)
	}
	back := NGOFormFrom(n)
	if back.FocusAreas != "女性创业\n公益培训\n家庭教育\n心理健康" || back.FoundedYear != "2012" || back.Email != f.Email {
		t.Errorf("NGOFormFrom = %+v", back)
	}
	if d := Diff(n.AuditFields(), back.NGO().AuditFields()); len(d) != 0 {
		t.Errorf("form → NGO → form → NGO changed %v", d)
	}
	n.FoundedYear = 0
	if got := n.AuditFields()["founded_year"]; got != nil {
		t.Errorf("unknown founding year audits as %v, want nil", got)
	}
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
