package portal

import (
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NGO is one women's NGO guided by the federation: its registry entry.
type NGO struct {
	ID              int64
	Slug            string
	NameZH          string
	NameEN          string
	ShortName       string
	Active          bool
	ShowInDirectory bool
	CreditCode      string // unified social credit code; "" when not recorded
	FocusAreas      []string
	// FocusAreasEN are the focus areas in English, in the same order as
	// FocusAreas; empty when not translated.
	FocusAreasEN  []string
	FoundedYear   int // 0 when not recorded
	ContactPerson string
	Phone         string
	Email         string
	Website       string
	Address       string
	AddressEN     string // the address in English; "" when not translated
	ProfileZH     string
	ProfileEN     string
	Version       int
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// AuditFields are the registry's editable fields as the audit log records
// them, keyed by column name; Diff of two such maps is what an edit changed.
func (n NGO) AuditFields() map[string]any {
	var year any
	if n.FoundedYear != 0 {
		year = n.FoundedYear
	}
	areas, areasEN := n.FocusAreas, n.FocusAreasEN
	if areas == nil {
		areas = []string{}
	}
	if areasEN == nil {
		areasEN = []string{}
	}
	return map[string]any{
		"name_zh":           n.NameZH,
		"name_en":           n.NameEN,
		"short_name":        n.ShortName,
		"credit_code":       n.CreditCode,
		"focus_areas":       areas,
		"focus_areas_en":    areasEN,
		"founded_year":      year,
		"contact_person":    n.ContactPerson,
		"phone":             n.Phone,
		"email":             n.Email,
		"website":           n.Website,
		"address":           n.Address,
		"address_en":        n.AddressEN,
		"profile_zh":        n.ProfileZH,
		"profile_en":        n.ProfileEN,
		"show_in_directory": n.ShowInDirectory,
	}
}

// NGOStatus filters the registry by whether an NGO is active.
type NGOStatus string

// The registry's status filters.
const (
	NGOStatusActive   NGOStatus = "active"
	NGOStatusInactive NGOStatus = "inactive"
	NGOStatusAll      NGOStatus = "all"
)

// ParseNGOStatus reads a status filter; anything unknown means active, the
// list an admin usually wants.
func ParseNGOStatus(s string) NGOStatus {
	switch NGOStatus(s) {
	case NGOStatusInactive, NGOStatusAll:
		return NGOStatus(s)
	default:
		return NGOStatusActive
	}
}

// NGOFilter selects a page of the registry.
type NGOFilter struct {
	Status NGOStatus
	Query  string // matched against both names and the short name
	// English orders the list by English name (alphabetically) rather
	// than by Chinese name (pinyin), for a reader of English pages.
	English bool
	Limit   int
	Offset  int
}

// NGOListItem is one row of the registry list.
type NGOListItem struct {
	NGO
	StaffCount int // staff accounts that are not disabled
}

// Message keys of the registry's uniqueness rules: the database's
// constraints decide them, the form shows them beside the field.
const (
	MsgNGONameZHTaken     = "ngo.error.name_zh_taken"
	MsgNGOCreditCodeTaken = "ngo.error.credit_code_taken"
)

// NGOValidationKeys lists every message key a registry form can come back
// with, so that tests can prove each is translated.
var NGOValidationKeys = []string{
	"ngo.error.name_zh_required", "ngo.error.name_zh_too_long", MsgNGONameZHTaken,
	"ngo.error.name_en_required", "ngo.error.name_en_too_long",
	"ngo.error.short_name_too_long",
	"ngo.error.credit_code_length", "ngo.error.credit_code_chars", "ngo.error.credit_code_region",
	"ngo.error.credit_code_check", MsgNGOCreditCodeTaken,
	"ngo.error.focus_areas_too_many", "ngo.error.focus_area_too_long",
	"ngo.error.focus_areas_en_too_many", "ngo.error.focus_area_en_too_long", "ngo.error.focus_areas_en_count",
	"ngo.error.founded_year_number", "ngo.error.founded_year_range",
	"ngo.error.contact_person_too_long",
	"ngo.error.phone_invalid", "ngo.error.email_invalid", "ngo.error.website_invalid",
	"ngo.error.address_too_long", "ngo.error.address_en_too_long",
	"ngo.error.profile_zh_too_long", "ngo.error.profile_en_too_long",
}

// Registry field limits, in characters.
const (
	MaxNGONameLen       = 100
	MaxNGOShortNameLen  = 30
	MaxContactPersonLen = 50
	MaxAddressLen       = 200
	MaxProfileLen       = 4000
	MaxEmailLen         = 254
	MaxWebsiteLen       = 200
	MinPhoneLen         = 7
	MaxPhoneLen         = 20
	MaxFocusAreas       = 10
	MaxFocusAreaLen     = 30
	MaxFocusAreaENLen   = 60 // English words run longer than Chinese ones
	MinFoundedYear      = 1900
)

// CleanText makes a submitted value safe to store: valid UTF-8, no NUL
// (PostgreSQL refuses both, which would surface as a 500), trimmed.
func CleanText(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.ReplaceAll(s, "\x00", "")
	return strings.TrimSpace(s)
}

// Validate checks the registry entry against the registry's rules and
// returns a message key per field that is wrong; an empty map means it may
// be saved. Only the two names are required. A FoundedYear of 0 is "not
// recorded".
func (n NGO) Validate() map[string]string {
	errs := map[string]string{}
	text := func(field, value string, required bool, max int) {
		switch {
		case required && value == "":
			errs[field] = "ngo.error." + field + "_required"
		case utf8.RuneCountInString(value) > max:
			errs[field] = "ngo.error." + field + "_too_long"
		}
	}
	text("name_zh", n.NameZH, true, MaxNGONameLen)
	text("name_en", n.NameEN, true, MaxNGONameLen)
	text("short_name", n.ShortName, false, MaxNGOShortNameLen)
	text("contact_person", n.ContactPerson, false, MaxContactPersonLen)
	text("address", n.Address, false, MaxAddressLen)
	text("address_en", n.AddressEN, false, MaxAddressLen)
	text("profile_zh", n.ProfileZH, false, MaxProfileLen)
	text("profile_en", n.ProfileEN, false, MaxProfileLen)

	if n.CreditCode != "" {
		if p := creditCodeProblem(n.CreditCode); p != "" {
			errs["credit_code"] = "ngo.error.credit_code_" + p
		}
	}
	if p := focusAreasProblem(n.FocusAreas, MaxFocusAreaLen, ""); p != "" {
		errs["focus_areas"] = p
	}
	switch {
	case focusAreasProblem(n.FocusAreasEN, MaxFocusAreaENLen, "_en") != "":
		errs["focus_areas_en"] = focusAreasProblem(n.FocusAreasEN, MaxFocusAreaENLen, "_en")
	case len(n.FocusAreasEN) > 0 && len(n.FocusAreasEN) != len(n.FocusAreas):
		// The lists are parallel: item i of each is the same area.
		errs["focus_areas_en"] = "ngo.error.focus_areas_en_count"
	}
	if n.FoundedYear != 0 {
		if p := FoundedYearProblem(n.FoundedYear); p != "" {
			errs["founded_year"] = p
		}
	}
	if n.Phone != "" && !validPhone(n.Phone) {
		errs["phone"] = "ngo.error.phone_invalid"
	}
	if n.Email != "" && !validEmail(n.Email) {
		errs["email"] = "ngo.error.email_invalid"
	}
	if n.Website != "" && !validWebsite(n.Website) {
		errs["website"] = "ngo.error.website_invalid"
	}
	return errs
}

// FoundedYearProblem is the message key when y cannot be a founding year
// (before MinFoundedYear or in the future), or "". Validate calls it for
// every recorded year; a form that reads a typed 0, which the NGO cannot
// hold as a year, calls it too.
func FoundedYearProblem(y int) string {
	if y < MinFoundedYear || y > time.Now().Year() {
		return "ngo.error.founded_year_range"
	}
	return ""
}

// focusAreasProblem is the message key when a tag is longer than maxLen or
// there are too many of them, or ""; suffix is "" for the Chinese list,
// "_en" for the English one.
func focusAreasProblem(areas []string, maxLen int, suffix string) string {
	for _, a := range areas {
		if utf8.RuneCountInString(a) > maxLen {
			return "ngo.error.focus_area" + suffix + "_too_long"
		}
	}
	if len(areas) > MaxFocusAreas {
		return "ngo.error.focus_areas" + suffix + "_too_many"
	}
	return ""
}

func validPhone(s string) bool {
	n := utf8.RuneCountInString(s)
	if n < MinPhoneLen || n > MaxPhoneLen {
		return false
	}
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '+' || r == '-' || r == '(' || r == ')':
		default:
			return false
		}
	}
	return digits >= MinPhoneLen-2 // "(021) 1" is not a number
}

func validEmail(s string) bool {
	if len(s) > MaxEmailLen || strings.ContainsFunc(s, unicode.IsSpace) {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	return at > 0 && strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// validWebsite accepts only absolute http(s) URLs with a host: nothing that
// a browser would run (javascript:, data:) can reach a link on a page.
func validWebsite(s string) bool {
	if len(s) > MaxWebsiteLen || strings.ContainsFunc(s, unicode.IsSpace) {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return (scheme == "http" || scheme == "https") && !strings.HasPrefix(u.Host, ".")
}

// creditCodeAlphabet is the character set of the unified social credit code
// (GB 32100-2015): digits and capital letters without I, O, Z, S, V. A
// character's value is its index here.
const creditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCodeWeights weigh the first 17 characters: 3^i mod 31.
var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCodeCheckChar returns the check character (the 18th) for the first
// 17 characters of a unified social credit code; ok is false when first17
// is not 17 characters of the code's alphabet.
func CreditCodeCheckChar(first17 string) (c byte, ok bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := range 17 {
		v := strings.IndexByte(creditCodeAlphabet, first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * creditCodeWeights[i]
	}
	check := 31 - sum%31
	if check == 31 {
		check = 0
	}
	return creditCodeAlphabet[check], true
}

// ValidCreditCode reports whether code is a well-formed unified social
// credit code in its stored form (upper case): 18 characters of the code's
// alphabet, characters 3 to 8 digits (the administrative division), and the
// right check character.
func ValidCreditCode(code string) bool { return creditCodeProblem(code) == "" }

// creditCodeProblem names what is wrong with code ("length", "chars",
// "check"), or returns "" when it is valid. The names end the message keys
// ngo.error.credit_code_*.
func creditCodeProblem(code string) string {
	if utf8.RuneCountInString(code) != 18 {
		return "length"
	}
	for i := range len(code) {
		if strings.IndexByte(creditCodeAlphabet, code[i]) < 0 {
			return "chars"
		}
		// The database insists on digits here too; say so before it does.
		if i >= 2 && i < 8 && (code[i] < '0' || code[i] > '9') {
			return "region"
		}
	}
	if c, _ := CreditCodeCheckChar(code[:17]); c != code[17] {
		return "check"
	}
	return ""
}

// Slugify turns an English name into the slug of the NGO's public address:
// lower-case letters, digits and single hyphens, at most 60 characters.
// Apostrophes vanish ("Women's" gives "womens"); a name with no Latin
// letters or digits at all gives "ngo".
func Slugify(name string) string {
	var b strings.Builder
	hyphen := false
	// Decomposing first turns "é" into "e" plus a mark, and the mark is dropped.
	for _, r := range norm.NFD.String(strings.ToLower(name)) {
		switch {
		case r == '\'' || r == '’' || unicode.Is(unicode.Mn, r):
			continue
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		default:
			hyphen = true
		}
	}
	s := b.String()
	if len(s) > 60 {
		s = s[:60]
		if i := strings.LastIndexByte(s, '-'); i > 30 {
			s = s[:i]
		}
		s = strings.TrimRight(s, "-")
	}
	if s == "" {
		return "ngo"
	}
	return s
}
