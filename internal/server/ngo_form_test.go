package server

import (
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"ngoportal/internal/portal"
	"ngoportal/web/ngo"
)

// validNGOValues is a form that passes; each case below breaks one field.
func validNGOValues() ngo.NGOValues {
	return ngo.NGOValues{
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

func TestParseNGOForm(t *testing.T) {
	long := func(n int) string { return strings.Repeat("字", n) }
	thisYear := time.Now().Year()
	cases := []struct {
		name      string
		change    func(f *ngo.NGOValues)
		field     string // "" when the form must pass
		wantError string
	}{
		{"OK", func(f *ngo.NGOValues) {}, "", ""},
		{"OKOnlyNames", func(f *ngo.NGOValues) { *f = ngo.NGOValues{NameZH: "甲", NameEN: "A"} }, "", ""},
		{"OKLongestValues", func(f *ngo.NGOValues) {
			f.NameZH, f.NameEN, f.ShortName = long(100), long(100), long(30)
			f.Address, f.ProfileZH, f.ProfileEN, f.ContactPerson = long(200), long(4000), long(4000), long(50)
		}, "", ""},
		{"OKThisYear", func(f *ngo.NGOValues) { f.FoundedYear = strconv.Itoa(thisYear) }, "", ""},
		{"OKYear1900", func(f *ngo.NGOValues) { f.FoundedYear = "1900" }, "", ""},
		{"OKHttpWebsite", func(f *ngo.NGOValues) { f.Website = "http://example.org" }, "", ""},
		{"OKTenFocusAreas", func(f *ngo.NGOValues) { f.FocusAreas = "a,b,c,d,e,f,g,h,i,j" }, "", ""},
		{"ErrNameZHRequired", func(f *ngo.NGOValues) { f.NameZH = "" }, "name_zh", "ngo.error.name_zh_required"},
		{"ErrNameZHTooLong", func(f *ngo.NGOValues) { f.NameZH = long(101) }, "name_zh", "ngo.error.name_zh_too_long"},
		{"ErrNameENRequired", func(f *ngo.NGOValues) { f.NameEN = "" }, "name_en", "ngo.error.name_en_required"},
		{"ErrNameENTooLong", func(f *ngo.NGOValues) { f.NameEN = strings.Repeat("a", 101) }, "name_en", "ngo.error.name_en_too_long"},
		{"ErrShortNameTooLong", func(f *ngo.NGOValues) { f.ShortName = long(31) }, "short_name", "ngo.error.short_name_too_long"},
		{"ErrCreditCodeLength", func(f *ngo.NGOValues) { f.CreditCode = "5231" }, "credit_code", "ngo.error.credit_code_length"},
		{"ErrCreditCodeChars", func(f *ngo.NGOValues) { f.CreditCode = "52310000MJ4921068O" }, "credit_code", "ngo.error.credit_code_chars"},
		{"ErrCreditCodeRegion", func(f *ngo.NGOValues) { f.CreditCode = "5231000AMJ49210686" }, "credit_code", "ngo.error.credit_code_region"},
		{"ErrCreditCodeCheck", func(f *ngo.NGOValues) { f.CreditCode = "52310000MJ49210687" }, "credit_code", "ngo.error.credit_code_check"},
		{"ErrFocusAreasTooMany", func(f *ngo.NGOValues) { f.FocusAreas = "a,b,c,d,e,f,g,h,i,j,k" }, "focus_areas", "ngo.error.focus_areas_too_many"},
		{"ErrFocusAreaTooLong", func(f *ngo.NGOValues) { f.FocusAreas = "短\n" + long(31) }, "focus_areas", "ngo.error.focus_area_too_long"},
		{"ErrFoundedYearNotNumber", func(f *ngo.NGOValues) { f.FoundedYear = "二〇一二" }, "founded_year", "ngo.error.founded_year_number"},
		{"ErrFoundedYearFraction", func(f *ngo.NGOValues) { f.FoundedYear = "2012.5" }, "founded_year", "ngo.error.founded_year_number"},
		{"ErrFoundedYearSigned", func(f *ngo.NGOValues) { f.FoundedYear = "+2012" }, "founded_year", "ngo.error.founded_year_number"},
		{"ErrFoundedYearZero", func(f *ngo.NGOValues) { f.FoundedYear = "0" }, "founded_year", "ngo.error.founded_year_range"},
		{"ErrFoundedYearTooEarly", func(f *ngo.NGOValues) { f.FoundedYear = "1899" }, "founded_year", "ngo.error.founded_year_range"},
		{"ErrFoundedYearFuture", func(f *ngo.NGOValues) { f.FoundedYear = strconv.Itoa(thisYear + 1) }, "founded_year", "ngo.error.founded_year_range"},
		{"ErrContactPersonTooLong", func(f *ngo.NGOValues) { f.ContactPerson = long(51) }, "contact_person", "ngo.error.contact_person_too_long"},
		{"ErrPhoneLetters", func(f *ngo.NGOValues) { f.Phone = "021-CALL-NOW" }, "phone", "ngo.error.phone_invalid"},
		{"ErrPhoneTooShort", func(f *ngo.NGOValues) { f.Phone = "12345" }, "phone", "ngo.error.phone_invalid"},
		{"ErrPhoneTooLong", func(f *ngo.NGOValues) { f.Phone = "0213456789012345678901" }, "phone", "ngo.error.phone_invalid"},
		{"ErrPhonePunctuationOnly", func(f *ngo.NGOValues) { f.Phone = "(((---)))" }, "phone", "ngo.error.phone_invalid"},
		{"ErrEmailNoAt", func(f *ngo.NGOValues) { f.Email = "contact.example.org" }, "email", "ngo.error.email_invalid"},
		{"ErrEmailNoDomainDot", func(f *ngo.NGOValues) { f.Email = "contact@localhost" }, "email", "ngo.error.email_invalid"},
		{"ErrEmailWithName", func(f *ngo.NGOValues) { f.Email = "Li <li@example.org>" }, "email", "ngo.error.email_invalid"},
		{"ErrEmailTwoAddresses", func(f *ngo.NGOValues) { f.Email = "a@example.org,b@example.org" }, "email", "ngo.error.email_invalid"},
		{"ErrWebsiteJavaScript", func(f *ngo.NGOValues) { f.Website = "javascript:alert(1)" }, "website", "ngo.error.website_invalid"},
		{"ErrWebsiteJavaScriptSlashes", func(f *ngo.NGOValues) { f.Website = "javascript://example.org/%0aalert(1)" }, "website", "ngo.error.website_invalid"},
		{"ErrWebsiteData", func(f *ngo.NGOValues) { f.Website = "data:text/html,<p>x" }, "website", "ngo.error.website_invalid"},
		{"ErrWebsiteNoScheme", func(f *ngo.NGOValues) { f.Website = "www.example.org" }, "website", "ngo.error.website_invalid"},
		{"ErrWebsiteFTP", func(f *ngo.NGOValues) { f.Website = "ftp://example.org" }, "website", "ngo.error.website_invalid"},
		{"ErrWebsiteCredentials", func(f *ngo.NGOValues) { f.Website = "https://user:pw@example.org" }, "website", "ngo.error.website_invalid"},
		{"ErrWebsiteTooLong", func(f *ngo.NGOValues) { f.Website = "https://example.org/" + strings.Repeat("a", 200) }, "website", "ngo.error.website_invalid"},
		{"ErrAddressTooLong", func(f *ngo.NGOValues) { f.Address = long(201) }, "address", "ngo.error.address_too_long"},
		{"ErrProfileZHTooLong", func(f *ngo.NGOValues) { f.ProfileZH = long(4001) }, "profile_zh", "ngo.error.profile_zh_too_long"},
		{"ErrProfileENTooLong", func(f *ngo.NGOValues) { f.ProfileEN = strings.Repeat("a", 4001) }, "profile_en", "ngo.error.profile_en_too_long"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := validNGOValues()
			tc.change(&f)
			_, _, errs, err := parseNGOForm(postNGOValues(f))
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range errs {
				if !slices.Contains(portal.NGOValidationKeys, k) {
					t.Errorf("NGOValidationKeys lacks %s, so no test proves it is translated", k)
				}
			}
			wantOnlyError(t, errs, tc.field, tc.wantError)
		})
	}
}

func TestParseNGOFormCleans(t *testing.T) {
	f := ngo.NGOValues{
		NameZH:     "  甲\x00组织 ",
		CreditCode: " 52310000mj4921 0686 ",
		ProfileEN:  "line one\r\nline two\xff",
	}
	f, n, _, err := parseNGOForm(postNGOValues(f))
	if err != nil {
		t.Fatal(err)
	}
	if f.NameZH != "甲组织" || n.NameZH != f.NameZH {
		t.Errorf("NameZH = %q, %q", f.NameZH, n.NameZH)
	}
	if f.CreditCode != "52310000MJ49210686" || n.CreditCode != f.CreditCode {
		t.Errorf("CreditCode = %q, %q, want upper case without spaces", f.CreditCode, n.CreditCode)
	}
	if f.ProfileEN != "line one\nline two" || n.ProfileEN != f.ProfileEN {
		t.Errorf("ProfileEN = %q, %q", f.ProfileEN, n.ProfileEN)
	}
}

func TestSplitFocusAreas(t *testing.T) {
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
			got := splitFocusAreas(tc.in)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("splitFocusAreas(%q) = %q; want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestNGOFormRoundTrip(t *testing.T) {
	f, n, errs, err := parseNGOForm(postNGOValues(validNGOValues()))
	if err != nil || len(errs) != 0 {
		t.Fatal(err, errs)
	}
	if n.FoundedYear != 2012 || !reflect.DeepEqual(n.FocusAreas, []string{"女性创业", "公益培训", "家庭教育", "心理健康"}) {
		t.Errorf("parsed NGO = %+v", n)
	}
	back := ngoValuesFrom(n)
	if back.FocusAreas != "女性创业\n公益培训\n家庭教育\n心理健康" || back.FoundedYear != "2012" || back.Email != f.Email {
		t.Errorf("ngoValuesFrom = %+v", back)
	}
	_, again, _, err := parseNGOForm(postNGOValues(back))
	if err != nil {
		t.Fatal(err)
	}
	if d := portal.Diff(n.AuditFields(), again.AuditFields()); len(d) != 0 {
		t.Errorf("form → NGO → form → NGO changed %v", d)
	}
	n.FoundedYear = 0
	if got := n.AuditFields()["founded_year"]; got != nil {
		t.Errorf("unknown founding year audits as %v, want nil", got)
	}
}

func TestParseNGOFormVersion(t *testing.T) {
	f := validNGOValues()
	f.Version = 3
	got, n, _, err := parseNGOForm(postNGOValues(f))
	if err != nil || got.Version != 3 || n.Version != 3 {
		t.Errorf("version %d, %d, %v; want 3", got.Version, n.Version, err)
	}
	form := url.Values{"name_zh": {"甲"}, "name_en": {"A"}, "version": {"x"}}
	if _, _, _, err := parseNGOForm(postForm("/", form)); err != errBadRequest {
		t.Errorf("a malformed version gave %v, want errBadRequest", err)
	}
}

// postNGOValues is the registry form posted with f's values; a version of
// 0 is left out, as the create form leaves it out.
func postNGOValues(f ngo.NGOValues) *http.Request {
	form := url.Values{
		"name_zh": {f.NameZH}, "name_en": {f.NameEN}, "short_name": {f.ShortName},
		"credit_code": {f.CreditCode}, "focus_areas": {f.FocusAreas}, "founded_year": {f.FoundedYear},
		"contact_person": {f.ContactPerson}, "phone": {f.Phone}, "email": {f.Email},
		"website": {f.Website}, "address": {f.Address}, "profile_zh": {f.ProfileZH}, "profile_en": {f.ProfileEN},
	}
	if f.ShowInDirectory {
		form.Set("show_in_directory", "on")
	}
	if f.Version != 0 {
		form.Set("version", strconv.Itoa(f.Version))
	}
	return postForm("/", form)
}
