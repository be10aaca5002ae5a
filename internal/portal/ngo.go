package portal

import (
	"net/mail"
	"net/url"
	"strconv"
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
	FoundedYear     int // 0 when not recorded
	ContactPerson   string
	Phone           string
	Email           string
	Website         string
	Address         string
	ProfileZH       string
	ProfileEN       string
	Version         int
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// AuditFields are the registry's editable fields as the audit log records
// them, keyed by column name; Diff of two such maps is what an edit changed.
func (n NGO) AuditFields() map[string]any {
	var year any
	if n.FoundedYear != 0 {
		year = n.FoundedYear
	}
	areas := n.FocusAreas
	if areas == nil {
		areas = []string{}
	}
	return map[string]any{
		"name_zh":           n.NameZH,
		"name_en":           n.NameEN,
		"short_name":        n.ShortName,
		"credit_code":       n.CreditCode,
		"focus_areas":       areas,
		"founded_year":      year,
		"contact_person":    n.ContactPerson,
		"phone":             n.Phone,
		"email":             n.Email,
		"website":           n.Website,
		"address":           n.Address,
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
	Limit  int
	Offset int
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
	"ngo.error.founded_year_number", "ngo.error.founded_year_range",
	"ngo.error.contact_person_too_long",
	"ngo.error.phone_invalid", "ngo.error.email_invalid", "ngo.error.website_invalid",
	"ngo.error.address_too_long",
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
	MinFoundedYear      = 1900
)

// NGOForm is the registry form as the admin typed it: every value a string
// (trimmed), so that a refused form comes back exactly as sent.
type NGOForm struct {
	NameZH          string
	NameEN          string
	ShortName       string
	CreditCode      string
	FocusAreas      string // one per line or comma-separated
	FoundedYear     string
	ContactPerson   string
	Phone           string
	Email           string
	Website         string
	Address         string
	ProfileZH       string
	ProfileEN       string
	ShowInDirectory bool
	Version         int // the version the form was loaded at; 0 on create
}

// NGOFormFrom fills the form with an NGO's current values.
func NGOFormFrom(n NGO) NGOForm {
	f := NGOForm{
		NameZH:          n.NameZH,
		NameEN:          n.NameEN,
		ShortName:       n.ShortName,
		CreditCode:      n.CreditCode,
		FocusAreas:      strings.Join(n.FocusAreas, "\n"),
		ContactPerson:   n.ContactPerson,
		Phone:           n.Phone,
		Email:           n.Email,
		Website:         n.Website,
		Address:         n.Address,
		ProfileZH:       n.ProfileZH,
		ProfileEN:       n.ProfileEN,
		ShowInDirectory: n.ShowInDirectory,
		Version:         n.Version,
	}
	if n.FoundedYear != 0 {
		f.FoundedYear = strconv.Itoa(n.FoundedYear)
	}
	return f
}

// CleanText makes a submitted value safe to store: valid UTF-8, no NUL
// (PostgreSQL refuses both, which would surface as a 500), trimmed.
func CleanText(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.ReplaceAll(s, "\x00", "")
	return strings.TrimSpace(s)
}

// Normalize cleans every value and brings the credit code to its stored
// form (upper case, no spaces); the parse function calls it.
func (f *NGOForm) Normalize() {
	for _, p := range []*string{&f.NameZH, &f.NameEN, &f.ShortName, &f.FocusAreas, &f.FoundedYear,
		&f.ContactPerson, &f.Phone, &f.Email, &f.Website, &f.Address, &f.ProfileZH, &f.ProfileEN} {
		*p = CleanText(*p)
	}
	// Line endings from browsers are CRLF; store and count LF only.
	f.ProfileZH = strings.ReplaceAll(f.ProfileZH, "\r\n", "\n")
	f.ProfileEN = strings.ReplaceAll(f.ProfileEN, "\r\n", "\n")
	f.CreditCode = strings.ToUpper(strings.Join(strings.Fields(CleanText(f.CreditCode)), ""))
}

// Validate checks the form and returns a message key per field that is
// wrong; an empty map means the form may be saved. Only the two names are
// required.
func (f NGOForm) Validate() map[string]string {
	errs := map[string]string{}
	text := func(field, value string, required bool, max int) {
		switch {
		case required && value == "":
			errs[field] = "ngo.error." + field + "_required"
		case utf8.RuneCountInString(value) > max:
			errs[field] = "ngo.error." + field + "_too_long"
		}
	}
	text("name_zh", f.NameZH, true, MaxNGONameLen)
	text("name_en", f.NameEN, true, MaxNGONameLen)
	text("short_name", f.ShortName, false, MaxNGOShortNameLen)
	text("contact_person", f.ContactPerson, false, MaxContactPersonLen)
	text("address", f.Address, false, MaxAddressLen)
	text("profile_zh", f.ProfileZH, false, MaxProfileLen)
	text("profile_en", f.ProfileEN, false, MaxProfileLen)

	if f.CreditCode != "" {
		if p := creditCodeProblem(f.CreditCode); p != "" {
			errs["credit_code"] = "ngo.error.credit_code_" + p
		}
	}
	if _, problem := ParseFocusAreas(f.FocusAreas); problem != "" {
		errs["focus_areas"] = problem
	}
	if f.FoundedYear != "" {
		y, err := strconv.Atoi(f.FoundedYear)
		switch {
		case err != nil || strconv.Itoa(y) != f.FoundedYear:
			errs["founded_year"] = "ngo.error.founded_year_number"
		case y < MinFoundedYear || y > time.Now().Year():
			errs["founded_year"] = "ngo.error.founded_year_range"
		}
	}
	if f.Phone != "" && !validPhone(f.Phone) {
		errs["phone"] = "ngo.error.phone_invalid"
	}
	if f.Email != "" && !validEmail(f.Email) {
		errs["email"] = "ngo.error.email_invalid"
	}
	if f.Website != "" && !validWebsite(f.Website) {
		errs["website"] = "ngo.error.website_invalid"
	}
	return errs
}

// NGO returns the registry entry the form describes. Call it only on a form
// that passed Validate.
func (f NGOForm) NGO() NGO {
	areas, _ := ParseFocusAreas(f.FocusAreas)
	year, _ := strconv.Atoi(f.FoundedYear)
	return NGO{
		NameZH:          f.NameZH,
		NameEN:          f.NameEN,
		ShortName:       f.ShortName,
		ShowInDirectory: f.ShowInDirectory,
		CreditCode:      f.CreditCode,
		FocusAreas:      areas,
		FoundedYear:     year,
		ContactPerson:   f.ContactPerson,
		Phone:           f.Phone,
		Email:           f.Email,
		Website:         f.Website,
		Address:         f.Address,
		ProfileZH:       f.ProfileZH,
		ProfileEN:       f.ProfileEN,
		Version:         f.Version,
	}
}

// ParseFocusAreas splits free tags entered one per line or separated by
// commas (ASCII, full-width or the Chinese enumeration comma), dropping
// empty and repeated ones. problem is a message key when there are too many
// tags or one is too long.
func ParseFocusAreas(s string) (areas []string, problem string) {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == ',' || r == '，' || r == '、' || r == ';' || r == '；'
	})
	areas = []string{}
	seen := map[string]bool{}
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		if utf8.RuneCountInString(p) > MaxFocusAreaLen {
			problem = "ngo.error.focus_area_too_long"
		}
		areas = append(areas, p)
	}
	if problem == "" && len(areas) > MaxFocusAreas {
		problem = "ngo.error.focus_areas_too_many"
	}
	return areas, problem
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
