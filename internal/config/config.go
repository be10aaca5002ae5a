// Package config reads the portal's configuration from the environment.
package config

import (
	"errors"
	"fmt"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Environment names the mode the portal runs in.
type Environment string

// The two environments. Production refuses development defaults for secrets.
const (
	Development Environment = "development"
	Production  Environment = "production"
)

// devSessionKey signs login-session cookies in development only; production
// refuses to start without a key of its own.
const devSessionKey = "development-only-session-key-do-not-use-in-production"

// minSessionKeyLen is the shortest session key accepted in production.
const minSessionKeyLen = 32

// Config is the portal's whole configuration.
type Config struct {
	Env             Environment
	Host            string // interface to listen on; empty means all
	Port            int
	BaseURL         *url.URL
	DatabaseURL     string // required by every command of bin/portal; `make run` sets the private cluster's
	MigrateOnStart  bool
	SessionKey      string
	SessionKeyOld   string // previous key, still accepted while keys rotate
	LogLevel        string
	RequestTimeout  time.Duration
	ShutdownTimeout time.Duration
	MaxBodyBytes    int64
	MaxUploadBytes  int64 // largest attachment accepted, each file
	FederationZH    string
	FederationEN    string
	SessionIdle     time.Duration // a login session ends after this long without a request
	SessionLifetime time.Duration // and after this long in any case
	InviteTTL       time.Duration // how long an invitation link works
	ResetTTL        time.Duration // how long a password-reset link works
	TrustedProxies  []netip.Prefix
	Contact         Contact    // shown in every page's footer
	ICP             string     // the site's ICP filing number (ICP备案号); "" shows none
	Statements      Statements // the privacy and accessibility statements, when replaced
	SMTP            SMTP       // where email goes; Host "" keeps every message in the mail log instead
	// Days before a deadline at which NGO staff are reminded, largest
	// first; empty: no reminders of that kind.
	ReportReminderDays []int // before the report deadline
	ReplyReminderDays  []int // before a session's reply deadline

	// Bounds on what an NGO keeps in the database: files on one report
	// (the cover included) and bytes of all its reports' files.
	MaxFilesPerReport int
	NGOStorageQuota   int64
	// PageCacheBytes bounds the memory of the public page cache; 0 turns
	// the cache off.
	PageCacheBytes int64
}

// SMTP is the mail server notifications are sent through.
type SMTP struct {
	Host     string // "": no server; messages are rendered and kept (status logged)
	Port     int
	User     string // "": no authentication
	Password string
	TLS      string // none, starttls or tls
	From     string // the sender's address
}

// Enabled reports whether a mail server is configured.
func (s SMTP) Enabled() bool { return s.Host != "" }

// Contact is how the public reaches the federation about the portal; an
// empty field is not shown.
type Contact struct {
	Phone     string
	Email     string
	AddressZH string
	AddressEN string
}

// Statements are the Markdown texts that replace the privacy and
// accessibility statements shipped with the portal, read from the files
// the configuration names; "" keeps the shipped text of that language.
type Statements struct {
	PrivacyZH, PrivacyEN             string
	AccessibilityZH, AccessibilityEN string
}

// Production reports whether the portal runs in production mode.
func (c Config) Production() bool { return c.Env == Production }

// Addr is the listen address for net/http.
func (c Config) Addr() string { return fmt.Sprintf("%s:%d", c.Host, c.Port) }

// SecureCookies reports whether cookies must carry the Secure flag, which
// browsers only send back over https.
func (c Config) SecureCookies() bool { return c.BaseURL.Scheme == "https" }

// Var documents one environment variable; the README table is built from the
// same list, so the two cannot drift apart.
type Var struct {
	Name    string
	Default string
	Meaning string
}

// Vars lists every environment variable the portal reads, with its default.
var Vars = []Var{
	{"PORTAL_ENV", "development", "`development` or `production`; production refuses missing secrets and `DATABASE_URL`, and logs JSON"},
	{"PORT", "8080", "TCP port to listen on"},
	{"PORTAL_HOST", "(all interfaces)", "interface to listen on, e.g. `127.0.0.1`"},
	{"PORTAL_BASE_URL", "http://localhost:$PORT", "public address of the portal; `https://` turns on Secure cookies and HSTS (required in production)"},
	{"DATABASE_URL", "(none; `make run` sets it)", "PostgreSQL connection URL, required by every `bin/portal` command; `make run` and `make load` set it to the private cluster (`make db-url`) when it is unset"},
	{"PORTAL_MIGRATE_ON_START", "true", "apply pending migrations when `serve` starts"},
	{"PORTAL_SESSION_KEY", "(development key)", "secret of at least 32 characters that signs login-session cookies (required in production)"},
	{"PORTAL_SESSION_KEY_OLD", "(none)", "the previous session key, still accepted while keys rotate"},
	{"PORTAL_LOG_LEVEL", "info", "`debug`, `info`, `warn` or `error`"},
	{"PORTAL_REQUEST_TIMEOUT", "30s", "longest time a request may take"},
	{"PORTAL_SHUTDOWN_TIMEOUT", "20s", "how long in-flight requests may finish after SIGTERM/SIGINT"},
	{"PORTAL_MAX_BODY_BYTES", "1048576", "largest request body accepted; larger ones get 413"},
	{"PORTAL_MAX_UPLOAD_BYTES", "10485760", "largest report attachment accepted (each file, at least 1024); larger ones are refused with a message"},
	{"PORTAL_MAX_FILES_PER_REPORT", "20", "most files one report may have, the cover page included (1–1000); one more is refused with a message"},
	{"PORTAL_NGO_STORAGE_QUOTA", "209715200", "most bytes all of one NGO's report attachments may take together (200 MB; at least `PORTAL_MAX_UPLOAD_BYTES`); a file that would pass it is refused with a message"},
	{"PORTAL_PAGE_CACHE_MB", "32", "memory for the public pages kept rendered (0–4096 MB; 0 renders every request); see README, \"Public pages\""},
	{"PORTAL_FEDERATION_NAME_ZH", "上海市妇女联合会", "the federation's name in Chinese"},
	{"PORTAL_FEDERATION_NAME_EN", "Shanghai Women's Federation", "the federation's name in English"},
	{"PORTAL_SESSION_IDLE_TIMEOUT", "30m", "a login session ends after this long without a request"},
	{"PORTAL_SESSION_LIFETIME", "12h", "a login session ends this long after sign-in, however active"},
	{"PORTAL_INVITE_TTL", "168h", "how long an invitation link works"},
	{"PORTAL_RESET_TTL", "2h", "how long a password-reset link works"},
	{"PORTAL_TRUSTED_PROXIES", "(none)", "comma-separated addresses or CIDR ranges of reverse proxies whose `X-Forwarded-For` is believed; from anyone else it is ignored"},
	{"PORTAL_CONTACT_PHONE", "(none)", "telephone number shown in every page's footer, e.g. `021-12345678` (digits, spaces, `+ - ( )`)"},
	{"PORTAL_CONTACT_EMAIL", "(none)", "e-mail address shown in every page's footer"},
	{"PORTAL_CONTACT_ADDRESS_ZH", "(none)", "postal address shown in the footer of Chinese pages"},
	{"PORTAL_CONTACT_ADDRESS_EN", "(none)", "postal address shown in the footer of English pages"},
	{"PORTAL_FOOTER_ICP", "(none)", "the site's ICP filing number (ICP备案号), e.g. `沪ICP备12345678号`, shown in the footer and linked to https://beian.miit.gov.cn/"},
	{"PORTAL_PRIVACY_FILE_ZH", "(shipped statement)", "path of a Markdown file whose text replaces the Chinese privacy statement (`/privacy`)"},
	{"PORTAL_PRIVACY_FILE_EN", "(shipped statement)", "path of a Markdown file whose text replaces the English privacy statement (`/privacy?lang=en`)"},
	{"PORTAL_ACCESSIBILITY_FILE_ZH", "(shipped statement)", "path of a Markdown file whose text replaces the Chinese accessibility statement (`/accessibility`)"},
	{"PORTAL_ACCESSIBILITY_FILE_EN", "(shipped statement)", "path of a Markdown file whose text replaces the English accessibility statement (`/accessibility?lang=en`)"},
	{"PORTAL_SMTP_HOST", "(none)", "mail server notifications are sent through; without one every message is rendered and kept in the mail log (`/admin/mail`) with status \"logged\""},
	{"PORTAL_SMTP_PORT", "587", "the mail server's port"},
	{"PORTAL_SMTP_USER", "(none)", "user name for SMTP authentication; none: no authentication"},
	{"PORTAL_SMTP_PASSWORD", "(none)", "password for SMTP authentication"},
	{"PORTAL_SMTP_TLS", "starttls", "`starttls` (required), `tls` (implicit TLS, usually port 465) or `none` (plain text, for a relay on the same host only)"},
	{"PORTAL_MAIL_FROM", "(none)", "sender address of notification email, e.g. `portal@example.org` (required with `PORTAL_SMTP_HOST`)"},
	{"PORTAL_REPORT_REMINDER_DAYS", "14,7,1", "days before an NGO's report deadline at which its staff are reminded, while the report is not submitted (whole numbers 0–365, comma-separated; `0` is the day itself; `none` turns these reminders off)"},
	{"PORTAL_REPLY_REMINDER_DAYS", "3,1", "days before a session's reply deadline at which the staff of an NGO that has not replied are reminded (as above)"},
}

// maxFilesPerReport bounds PORTAL_MAX_FILES_PER_REPORT: a report's
// attachments page lists every file on one page.
const maxFilesPerReport = 1000

// maxStatementBytes bounds a statement file: a statement is a page of text.
const maxStatementBytes = 256 << 10

// Load reads the configuration through getenv (os.Getenv in production code,
// a map in tests). Every problem found is reported at once, naming the
// variable.
func Load(getenv func(string) string) (Config, error) {
	var errs []error
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	dur := func(name, def string) time.Duration {
		s := get(name, def)
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("%s: %q is not a positive duration such as 30s", name, s))
			return 0
		}
		return d
	}
	boolean := func(name string, def bool) bool {
		s := get(name, strconv.FormatBool(def))
		b, err := strconv.ParseBool(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %q is not true or false", name, s))
		}
		return b
	}

	c := Config{
		Env:            Environment(get("PORTAL_ENV", string(Development))),
		Host:           get("PORTAL_HOST", ""),
		DatabaseURL:    get("DATABASE_URL", ""),
		SessionKey:     get("PORTAL_SESSION_KEY", ""),
		SessionKeyOld:  get("PORTAL_SESSION_KEY_OLD", ""),
		LogLevel:       strings.ToLower(get("PORTAL_LOG_LEVEL", "info")),
		FederationZH:   get("PORTAL_FEDERATION_NAME_ZH", "上海市妇女联合会"),
		FederationEN:   get("PORTAL_FEDERATION_NAME_EN", "Shanghai Women's Federation"),
		MigrateOnStart: boolean("PORTAL_MIGRATE_ON_START", true),
	}
	if c.Env != Development && c.Env != Production {
		errs = append(errs, fmt.Errorf("PORTAL_ENV: %q is neither development nor production", c.Env))
	}

	port, err := strconv.Atoi(get("PORT", "8080"))
	if err != nil || port < 1 || port > 65535 {
		errs = append(errs, fmt.Errorf("PORT: %q is not a port number", get("PORT", "8080")))
	}
	c.Port = port

	base := get("PORTAL_BASE_URL", "")
	if base == "" {
		if c.Env == Production {
			errs = append(errs, errors.New("PORTAL_BASE_URL: required in production (e.g. https://portal.example.org)"))
		}
		base = fmt.Sprintf("http://localhost:%d", port)
	}
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("PORTAL_BASE_URL: %q is not an http(s) URL", base))
		u = &url.URL{Scheme: "http", Host: "localhost"}
	}
	c.BaseURL = u

	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("PORTAL_LOG_LEVEL: %q is not debug, info, warn or error", c.LogLevel))
	}

	c.RequestTimeout = dur("PORTAL_REQUEST_TIMEOUT", "30s")
	c.SessionIdle = dur("PORTAL_SESSION_IDLE_TIMEOUT", "30m")
	c.SessionLifetime = dur("PORTAL_SESSION_LIFETIME", "12h")
	c.InviteTTL = dur("PORTAL_INVITE_TTL", "168h")
	c.ResetTTL = dur("PORTAL_RESET_TTL", "2h")
	if c.SessionIdle > 0 && c.SessionLifetime > 0 && c.SessionIdle > c.SessionLifetime {
		errs = append(errs, errors.New("PORTAL_SESSION_IDLE_TIMEOUT: may not exceed PORTAL_SESSION_LIFETIME"))
	}
	for _, f := range strings.Split(get("PORTAL_TRUSTED_PROXIES", ""), ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				errs = append(errs, fmt.Errorf("PORTAL_TRUSTED_PROXIES: %q is neither an address nor a CIDR range", f))
				continue
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		c.TrustedProxies = append(c.TrustedProxies, p.Masked())
	}
	c.ShutdownTimeout = dur("PORTAL_SHUTDOWN_TIMEOUT", "20s")

	c.Contact = Contact{
		Phone:     get("PORTAL_CONTACT_PHONE", ""),
		Email:     get("PORTAL_CONTACT_EMAIL", ""),
		AddressZH: get("PORTAL_CONTACT_ADDRESS_ZH", ""),
		AddressEN: get("PORTAL_CONTACT_ADDRESS_EN", ""),
	}
	if p := c.Contact.Phone; p != "" && !validPhone(p) {
		errs = append(errs, fmt.Errorf("PORTAL_CONTACT_PHONE: %q is not a telephone number (digits, spaces, + - ( ))", p))
	}
	if e := c.Contact.Email; e != "" {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e {
			errs = append(errs, fmt.Errorf("PORTAL_CONTACT_EMAIL: %q is not an e-mail address such as office@example.org", e))
		}
	}
	c.ICP = get("PORTAL_FOOTER_ICP", "")
	statement := func(name string) string {
		path := get(name, "")
		if path == "" {
			return ""
		}
		b, err := os.ReadFile(path)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		case len(b) > maxStatementBytes:
			errs = append(errs, fmt.Errorf("%s: %q is larger than %d bytes", name, path, maxStatementBytes))
		case strings.TrimSpace(string(b)) == "":
			errs = append(errs, fmt.Errorf("%s: %q is empty", name, path))
		default:
			return string(b)
		}
		return ""
	}
	c.Statements = Statements{
		PrivacyZH:       statement("PORTAL_PRIVACY_FILE_ZH"),
		PrivacyEN:       statement("PORTAL_PRIVACY_FILE_EN"),
		AccessibilityZH: statement("PORTAL_ACCESSIBILITY_FILE_ZH"),
		AccessibilityEN: statement("PORTAL_ACCESSIBILITY_FILE_EN"),
	}

	c.SMTP = SMTP{
		Host:     get("PORTAL_SMTP_HOST", ""),
		User:     get("PORTAL_SMTP_USER", ""),
		Password: getenv("PORTAL_SMTP_PASSWORD"),
		TLS:      strings.ToLower(get("PORTAL_SMTP_TLS", "starttls")),
		From:     get("PORTAL_MAIL_FROM", ""),
	}
	smtpPort, err := strconv.Atoi(get("PORTAL_SMTP_PORT", "587"))
	if err != nil || smtpPort < 1 || smtpPort > 65535 {
		errs = append(errs, fmt.Errorf("PORTAL_SMTP_PORT: %q is not a port number", get("PORTAL_SMTP_PORT", "")))
	}
	c.SMTP.Port = smtpPort
	switch c.SMTP.TLS {
	case "none", "starttls", "tls":
	default:
		errs = append(errs, fmt.Errorf("PORTAL_SMTP_TLS: %q is not none, starttls or tls", c.SMTP.TLS))
	}
	if f := c.SMTP.From; f != "" {
		if a, err := mail.ParseAddress(f); err != nil || a.Address != f {
			errs = append(errs, fmt.Errorf("PORTAL_MAIL_FROM: %q is not an e-mail address such as portal@example.org", f))
		}
	} else if c.SMTP.Host != "" {
		errs = append(errs, errors.New("PORTAL_MAIL_FROM: required when PORTAL_SMTP_HOST is set"))
	}

	c.ReportReminderDays = reminderDays("PORTAL_REPORT_REMINDER_DAYS", get("PORTAL_REPORT_REMINDER_DAYS", "14,7,1"), &errs)
	c.ReplyReminderDays = reminderDays("PORTAL_REPLY_REMINDER_DAYS", get("PORTAL_REPLY_REMINDER_DAYS", "3,1"), &errs)

	maxBody, err := strconv.ParseInt(get("PORTAL_MAX_BODY_BYTES", "1048576"), 10, 64)
	if err != nil || maxBody < 1024 {
		errs = append(errs, fmt.Errorf("PORTAL_MAX_BODY_BYTES: %q is not a whole number of at least 1024", get("PORTAL_MAX_BODY_BYTES", "")))
	}
	c.MaxBodyBytes = maxBody

	maxUpload, err := strconv.ParseInt(get("PORTAL_MAX_UPLOAD_BYTES", "10485760"), 10, 64)
	if err != nil || maxUpload < 1024 {
		errs = append(errs, fmt.Errorf("PORTAL_MAX_UPLOAD_BYTES: %q is not a whole number of at least 1024", get("PORTAL_MAX_UPLOAD_BYTES", "")))
	}
	c.MaxUploadBytes = maxUpload

	maxFiles, err := strconv.Atoi(get("PORTAL_MAX_FILES_PER_REPORT", "20"))
	if err != nil || maxFiles < 1 || maxFiles > maxFilesPerReport {
		errs = append(errs, fmt.Errorf("PORTAL_MAX_FILES_PER_REPORT: %q is not a whole number from 1 to %d", get("PORTAL_MAX_FILES_PER_REPORT", ""), maxFilesPerReport))
	}
	c.MaxFilesPerReport = maxFiles

	quota, err := strconv.ParseInt(get("PORTAL_NGO_STORAGE_QUOTA", "209715200"), 10, 64)
	switch {
	case err != nil || quota < 1024:
		errs = append(errs, fmt.Errorf("PORTAL_NGO_STORAGE_QUOTA: %q is not a whole number of at least 1024", get("PORTAL_NGO_STORAGE_QUOTA", "")))
	case maxUpload >= 1024 && quota < maxUpload:
		// Else a file the upload limit accepts could never fit.
		errs = append(errs, fmt.Errorf("PORTAL_NGO_STORAGE_QUOTA: %d is less than PORTAL_MAX_UPLOAD_BYTES (%d)", quota, maxUpload))
	}
	c.NGOStorageQuota = quota

	cacheMB, err := strconv.Atoi(get("PORTAL_PAGE_CACHE_MB", "32"))
	if err != nil || cacheMB < 0 || cacheMB > 4096 {
		errs = append(errs, fmt.Errorf("PORTAL_PAGE_CACHE_MB: %q is not a whole number from 0 to 4096", get("PORTAL_PAGE_CACHE_MB", "")))
	}
	c.PageCacheBytes = int64(cacheMB) << 20

	if c.Env == Production {
		if c.DatabaseURL == "" {
			errs = append(errs, errors.New("DATABASE_URL: required in production"))
		}
		switch {
		case c.SessionKey == "":
			errs = append(errs, errors.New("PORTAL_SESSION_KEY: required in production (at least 32 random characters)"))
		case c.SessionKey == devSessionKey:
			errs = append(errs, errors.New("PORTAL_SESSION_KEY: the development key may not be used in production"))
		case len(c.SessionKey) < minSessionKeyLen:
			errs = append(errs, fmt.Errorf("PORTAL_SESSION_KEY: must be at least %d characters", minSessionKeyLen))
		}
		if c.SessionKeyOld != "" && len(c.SessionKeyOld) < minSessionKeyLen {
			errs = append(errs, fmt.Errorf("PORTAL_SESSION_KEY_OLD: must be at least %d characters", minSessionKeyLen))
		}
	} else if c.SessionKey == "" {
		c.SessionKey = devSessionKey
	}

	if len(errs) > 0 {
		return Config{}, fmt.Errorf("configuration: %w", errors.Join(errs...))
	}
	return c, nil
}

// validPhone reports whether s looks like a telephone number: at least
// five digits, and nothing but digits, spaces and + - ( ).
func validPhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +-()", r):
		default:
			return false
		}
	}
	return digits >= 5
}

// maxReminderDays bounds a reminder's distance from its deadline: a year.
const maxReminderDays = 365

// reminderDays reads variable name's list of days before a deadline
// ("14,7,1"), largest first: whole numbers from 0 to 365, each once; "none"
// is the empty list. A problem is added to errs.
func reminderDays(name, s string, errs *[]error) []int {
	if strings.EqualFold(s, "none") {
		return nil
	}
	var days []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		d, err := strconv.Atoi(f)
		if err != nil || d < 0 || d > maxReminderDays || strings.HasPrefix(f, "+") {
			*errs = append(*errs, fmt.Errorf("%s: %q is not a list of whole numbers of days from 0 to %d, such as 14,7,1 (or none)", name, s, maxReminderDays))
			return nil
		}
		if slices.Contains(days, d) {
			*errs = append(*errs, fmt.Errorf("%s: %q names %d days twice", name, s, d))
			return nil
		}
		days = append(days, d)
	}
	slices.SortFunc(days, func(a, b int) int { return b - a })
	return days
}
