package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoad(t *testing.T) {
	t.Run("Defaults", func(t *testing.T) {
		c, err := Load(env(nil))
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if c.Env != Development || c.Production() {
			t.Errorf("Env = %q, want development", c.Env)
		}
		if c.Port != 8080 || c.Addr() != ":8080" {
			t.Errorf("Port = %d, Addr = %q; want 8080, :8080", c.Port, c.Addr())
		}
		if got := c.BaseURL.String(); got != "http://localhost:8080" {
			t.Errorf("BaseURL = %q", got)
		}
		if c.SecureCookies() {
			t.Error("SecureCookies = true over http")
		}
		if !c.MigrateOnStart {
			t.Error("MigrateOnStart = false by default")
		}
		if c.SessionKey != devSessionKey {
			t.Error("development should fall back to the development session key")
		}
		if c.RequestTimeout != 30*time.Second || c.ShutdownTimeout != 20*time.Second {
			t.Errorf("timeouts = %v, %v", c.RequestTimeout, c.ShutdownTimeout)
		}
		if c.MaxBodyBytes != 1<<20 {
			t.Errorf("MaxBodyBytes = %d", c.MaxBodyBytes)
		}
		if c.MaxUploadBytes != 10<<20 {
			t.Errorf("MaxUploadBytes = %d, want 10485760", c.MaxUploadBytes)
		}
		if c.PageCacheBytes != 32<<20 {
			t.Errorf("PageCacheBytes = %d, want 32 MB", c.PageCacheBytes)
		}
		if c.MaxFilesPerReport != 20 || c.NGOStorageQuota != 200<<20 {
			t.Errorf("MaxFilesPerReport = %d, NGOStorageQuota = %d; want 20, 209715200", c.MaxFilesPerReport, c.NGOStorageQuota)
		}
		if c.FederationZH != "上海市妇女联合会" || c.FederationEN != "Shanghai Women's Federation" {
			t.Errorf("federation = %q / %q", c.FederationZH, c.FederationEN)
		}
	})

	t.Run("SessionDefaults", func(t *testing.T) {
		c, err := Load(env(nil))
		if err != nil {
			t.Fatal(err)
		}
		if c.SessionIdle != 30*time.Minute || c.SessionLifetime != 12*time.Hour {
			t.Errorf("session idle %v, lifetime %v; want 30m, 12h", c.SessionIdle, c.SessionLifetime)
		}
		if c.InviteTTL != 7*24*time.Hour || c.ResetTTL != 2*time.Hour {
			t.Errorf("invite %v, reset %v", c.InviteTTL, c.ResetTTL)
		}
		if len(c.TrustedProxies) != 0 {
			t.Errorf("trusted proxies by default: %v", c.TrustedProxies)
		}
	})
	t.Run("TrustedProxies", func(t *testing.T) {
		c, err := Load(env(map[string]string{"PORTAL_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.7 ,::1"}))
		if err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprint(c.TrustedProxies)
		if got != "[10.0.0.0/8 192.168.1.7/32 ::1/128]" {
			t.Errorf("TrustedProxies = %s", got)
		}
	})

	t.Run("UploadLimit", func(t *testing.T) {
		c, err := Load(env(map[string]string{"PORTAL_MAX_UPLOAD_BYTES": "1024"}))
		if err != nil {
			t.Fatal(err)
		}
		if c.MaxUploadBytes != 1024 {
			t.Errorf("MaxUploadBytes = %d, want 1024", c.MaxUploadBytes)
		}
	})

	t.Run("PageCacheOff", func(t *testing.T) {
		c, err := Load(env(map[string]string{"PORTAL_PAGE_CACHE_MB": "0"}))
		if err != nil {
			t.Fatal(err)
		}
		if c.PageCacheBytes != 0 {
			t.Errorf("PageCacheBytes = %d, want 0", c.PageCacheBytes)
		}
	})

	t.Run("AttachmentLimits", func(t *testing.T) {
		c, err := Load(env(map[string]string{"PORTAL_MAX_FILES_PER_REPORT": "3", "PORTAL_NGO_STORAGE_QUOTA": "2048", "PORTAL_MAX_UPLOAD_BYTES": "2048"}))
		if err != nil {
			t.Fatal(err)
		}
		if c.MaxFilesPerReport != 3 || c.NGOStorageQuota != 2048 {
			t.Errorf("MaxFilesPerReport = %d, NGOStorageQuota = %d; want 3, 2048", c.MaxFilesPerReport, c.NGOStorageQuota)
		}
	})

	t.Run("PortFollowsIntoBaseURL", func(t *testing.T) {
		c, err := Load(env(map[string]string{"PORT": "9090"}))
		if err != nil {
			t.Fatal(err)
		}
		if c.BaseURL.String() != "http://localhost:9090" {
			t.Errorf("BaseURL = %q", c.BaseURL)
		}
	})

	t.Run("ProductionComplete", func(t *testing.T) {
		c, err := Load(env(map[string]string{
			"PORTAL_ENV":         "production",
			"DATABASE_URL":       "postgres://portal@db/portal",
			"PORTAL_SESSION_KEY": strings.Repeat("k", 40),
			"PORTAL_BASE_URL":    "https://portal.example.org/",
		}))
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if !c.Production() || !c.SecureCookies() || c.BaseURL.String() != "https://portal.example.org" {
			t.Errorf("got %+v", c)
		}
	})

	t.Run("FooterAndStatements", func(t *testing.T) {
		c, err := Load(env(nil))
		if err != nil {
			t.Fatal(err)
		}
		if c.Contact != (Contact{}) || c.ICP != "" || c.Statements != (Statements{}) {
			t.Errorf("defaults: contact %+v, ICP %q, statements %+v; want none (the shipped statements)", c.Contact, c.ICP, c.Statements)
		}
		dir := t.TempDir()
		privacy := filepath.Join(dir, "privacy.en.md")
		if err := os.WriteFile(privacy, []byte("# Privacy\n\nWe keep little."), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err = Load(env(map[string]string{
			"PORTAL_CONTACT_PHONE":      "+86 21-6248 0000",
			"PORTAL_CONTACT_EMAIL":      "portal@example.org",
			"PORTAL_CONTACT_ADDRESS_ZH": "上海市长乐路 1 号",
			"PORTAL_CONTACT_ADDRESS_EN": "1 Changle Road, Shanghai",
			"PORTAL_FOOTER_ICP":         "沪ICP备12345678号",
			"PORTAL_PRIVACY_FILE_EN":    privacy,
		}))
		if err != nil {
			t.Fatal(err)
		}
		want := Contact{Phone: "+86 21-6248 0000", Email: "portal@example.org", AddressZH: "上海市长乐路 1 号", AddressEN: "1 Changle Road, Shanghai"}
		if c.Contact != want || c.ICP != "沪ICP备12345678号" {
			t.Errorf("contact %+v, ICP %q", c.Contact, c.ICP)
		}
		if c.Statements != (Statements{PrivacyEN: "# Privacy\n\nWe keep little."}) {
			t.Errorf("statements %+v", c.Statements)
		}
	})

	emptyFile := filepath.Join(t.TempDir(), "empty.md")
	if err := os.WriteFile(emptyFile, []byte(" \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	refusals := []struct {
		name    string
		env     map[string]string
		mention []string
	}{
		{"ErrProductionMissingEverything", map[string]string{"PORTAL_ENV": "production"},
			[]string{"DATABASE_URL", "PORTAL_SESSION_KEY", "PORTAL_BASE_URL"}},
		{"ErrProductionDevKey", map[string]string{"PORTAL_ENV": "production", "DATABASE_URL": "postgres://x/y",
			"PORTAL_BASE_URL": "https://p.example.org", "PORTAL_SESSION_KEY": devSessionKey},
			[]string{"PORTAL_SESSION_KEY: the development key"}},
		{"ErrProductionShortKey", map[string]string{"PORTAL_ENV": "production", "DATABASE_URL": "postgres://x/y",
			"PORTAL_BASE_URL": "https://p.example.org", "PORTAL_SESSION_KEY": "short"},
			[]string{"PORTAL_SESSION_KEY: must be at least 32"}},
		{"ErrProductionShortOldKey", map[string]string{"PORTAL_ENV": "production", "DATABASE_URL": "postgres://x/y",
			"PORTAL_BASE_URL": "https://p.example.org", "PORTAL_SESSION_KEY": strings.Repeat("k", 32), "PORTAL_SESSION_KEY_OLD": "old"},
			[]string{"PORTAL_SESSION_KEY_OLD"}},
		{"ErrUnknownEnv", map[string]string{"PORTAL_ENV": "staging"}, []string{"PORTAL_ENV"}},
		{"ErrBadPort", map[string]string{"PORT": "eighty"}, []string{"PORT"}},
		{"ErrPortRange", map[string]string{"PORT": "70000"}, []string{"PORT"}},
		{"ErrBadBaseURL", map[string]string{"PORTAL_BASE_URL": "ftp://x"}, []string{"PORTAL_BASE_URL"}},
		{"ErrBadDuration", map[string]string{"PORTAL_REQUEST_TIMEOUT": "soon"}, []string{"PORTAL_REQUEST_TIMEOUT"}},
		{"ErrNegativeDuration", map[string]string{"PORTAL_SHUTDOWN_TIMEOUT": "-1s"}, []string{"PORTAL_SHUTDOWN_TIMEOUT"}},
		{"ErrBadBool", map[string]string{"PORTAL_MIGRATE_ON_START": "sometimes"}, []string{"PORTAL_MIGRATE_ON_START"}},
		{"ErrBadLogLevel", map[string]string{"PORTAL_LOG_LEVEL": "loud"}, []string{"PORTAL_LOG_LEVEL"}},
		{"ErrBadProxy", map[string]string{"PORTAL_TRUSTED_PROXIES": "10.0.0.1, nonsense"}, []string{"PORTAL_TRUSTED_PROXIES"}},
		{"ErrIdleLongerThanLifetime", map[string]string{"PORTAL_SESSION_IDLE_TIMEOUT": "13h"}, []string{"PORTAL_SESSION_IDLE_TIMEOUT"}},
		{"ErrTinyBodyLimit", map[string]string{"PORTAL_MAX_BODY_BYTES": "10"}, []string{"PORTAL_MAX_BODY_BYTES"}},
		{"ErrTinyUploadLimit", map[string]string{"PORTAL_MAX_UPLOAD_BYTES": "1023"}, []string{"PORTAL_MAX_UPLOAD_BYTES"}},
		{"ErrUploadLimitNotNumber", map[string]string{"PORTAL_MAX_UPLOAD_BYTES": "10MB"}, []string{"PORTAL_MAX_UPLOAD_BYTES"}},
		{"ErrPageCacheNegative", map[string]string{"PORTAL_PAGE_CACHE_MB": "-1"}, []string{"PORTAL_PAGE_CACHE_MB"}},
		{"ErrPageCacheNotNumber", map[string]string{"PORTAL_PAGE_CACHE_MB": "lots"}, []string{"PORTAL_PAGE_CACHE_MB"}},
		{"ErrPageCacheTooLarge", map[string]string{"PORTAL_PAGE_CACHE_MB": "4097"}, []string{"PORTAL_PAGE_CACHE_MB"}},
		{"ErrNoFilesPerReport", map[string]string{"PORTAL_MAX_FILES_PER_REPORT": "0"}, []string{"PORTAL_MAX_FILES_PER_REPORT"}},
		{"ErrFilesPerReportNotNumber", map[string]string{"PORTAL_MAX_FILES_PER_REPORT": "twenty"}, []string{"PORTAL_MAX_FILES_PER_REPORT"}},
		{"ErrTooManyFilesPerReport", map[string]string{"PORTAL_MAX_FILES_PER_REPORT": "1001"}, []string{"PORTAL_MAX_FILES_PER_REPORT"}},
		{"ErrQuotaNotNumber", map[string]string{"PORTAL_NGO_STORAGE_QUOTA": "200MB"}, []string{"PORTAL_NGO_STORAGE_QUOTA"}},
		{"ErrQuotaBelowUploadLimit", map[string]string{"PORTAL_NGO_STORAGE_QUOTA": "10485759"}, []string{"PORTAL_NGO_STORAGE_QUOTA", "PORTAL_MAX_UPLOAD_BYTES"}},
		{"ErrBadPhone", map[string]string{"PORTAL_CONTACT_PHONE": "call us"}, []string{"PORTAL_CONTACT_PHONE"}},
		{"ErrBadEmail", map[string]string{"PORTAL_CONTACT_EMAIL": "Office <office@example.org>"}, []string{"PORTAL_CONTACT_EMAIL"}},
		{"ErrMissingStatementFile", map[string]string{"PORTAL_PRIVACY_FILE_ZH": "/no/such/privacy.md"}, []string{"PORTAL_PRIVACY_FILE_ZH"}},
		{"ErrEmptyStatementFile", map[string]string{"PORTAL_ACCESSIBILITY_FILE_EN": emptyFile}, []string{"PORTAL_ACCESSIBILITY_FILE_EN", "empty"}},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(env(tc.env))
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			for _, m := range tc.mention {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not mention %q", err, m)
				}
			}
		})
	}
}

func TestVarsListsEveryVariableRead(t *testing.T) {
	read := map[string]bool{}
	_, _ = Load(func(k string) string { read[k] = true; return "" })
	documented := map[string]bool{}
	for _, v := range Vars {
		documented[v.Name] = true
		if !read[v.Name] {
			t.Errorf("Vars documents %s, which Load never reads", v.Name)
		}
	}
	for k := range read {
		if !documented[k] {
			t.Errorf("Load reads %s, which Vars does not document", k)
		}
	}
}

func TestREADMEListsEveryVariable(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, v := range Vars {
		row := "| `" + v.Name + "` | " + v.Default + " |"
		if !strings.Contains(readme, row) {
			t.Errorf("README.md lacks the row %q", row)
		}
	}
}

// The reminders' days before a deadline: a list, largest first, or none.
func TestLoadReminderDays(t *testing.T) {
	for _, tc := range []struct {
		name           string
		env            map[string]string
		report, replyD []int
	}{
		{"Defaults", nil, []int{14, 7, 1}, []int{3, 1}},
		{"SortedLargestFirst", map[string]string{"PORTAL_REPORT_REMINDER_DAYS": " 1, 30 ,7", "PORTAL_REPLY_REMINDER_DAYS": "0,2"}, []int{30, 7, 1}, []int{2, 0}},
		{"NoneTurnsOff", map[string]string{"PORTAL_REPORT_REMINDER_DAYS": "none", "PORTAL_REPLY_REMINDER_DAYS": "NONE"}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(env(tc.env))
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(c.ReportReminderDays) != fmt.Sprint(tc.report) || fmt.Sprint(c.ReplyReminderDays) != fmt.Sprint(tc.replyD) {
				t.Errorf("report %v, reply %v; want %v, %v", c.ReportReminderDays, c.ReplyReminderDays, tc.report, tc.replyD)
			}
		})
	}
	for _, tc := range []struct{ name, report, reply, mention string }{
		{"ErrNotANumber", "14,seven", "", "PORTAL_REPORT_REMINDER_DAYS"},
		{"ErrNegative", "", "-1", "PORTAL_REPLY_REMINDER_DAYS"},
		{"ErrMoreThanAYear", "400", "", "PORTAL_REPORT_REMINDER_DAYS"},
		{"ErrEmptyItem", "14,,1", "", "PORTAL_REPORT_REMINDER_DAYS"},
		{"ErrTwice", "", "3,1,3", "names 3 days twice"},
		{"ErrSign", "+7", "", "PORTAL_REPORT_REMINDER_DAYS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(env(map[string]string{"PORTAL_REPORT_REMINDER_DAYS": tc.report, "PORTAL_REPLY_REMINDER_DAYS": tc.reply}))
			if err == nil || !strings.Contains(err.Error(), tc.mention) {
				t.Errorf("error %v, want one mentioning %q", err, tc.mention)
			}
		})
	}
}
