package i18n

import (
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"ngoportal/internal/portal"
)

func load(t *testing.T) *Catalogue {
	t.Helper()
	c, err := Load(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

func TestCataloguesComplete(t *testing.T) {
	c := load(t)
	zh, en := set(c.Keys(ZhCN)), set(c.Keys(En))
	if len(zh) == 0 {
		t.Fatal("zh-CN catalogue is empty")
	}
	for k := range zh {
		if !en[k] {
			t.Errorf("key %q is in zh-CN but missing from en", k)
		}
	}
	for k := range en {
		if !zh[k] {
			t.Errorf("key %q is in en but missing from zh-CN", k)
		}
	}
	for _, l := range Locales {
		tr := c.Translator(l)
		for _, k := range c.Keys(l) {
			if got := tr.T(k); strings.TrimSpace(got) == "" || got == k {
				t.Errorf("%s: key %q translates to %q", l, k, got)
			}
		}
	}
}

// keyPattern finds literal message keys in components and handlers: T("a.b").
var keyPattern = regexp.MustCompile(`\.T\("([a-z0-9_.\-]+)"\s*[,)]`)

// dynamicFamilies are keys built at run time from a prefix and a value; each
// value must have a key.
var dynamicFamilies = map[string][]string{
	"lang.":                      {"zh-CN", "en"},
	"text.only_in.":              {"zh-CN", "en"},
	"session.level.":             {"municipal", "district"},
	"invitation.checkin.closed.": {"before", "after", "closed", "unscheduled"},
	"invitation.checkin.group.":  {"confirmed", "none", "declined"},
	"position.":                  {"chairperson", "vice_chairperson", "secretary_general", "other"},
	"error.":                     {"400.title", "400.message", "403.title", "403.message", "404.title", "404.message", "405.title", "405.message", "409.title", "409.message", "413.title", "413.message", "500.title", "500.message", "503.title", "503.message"},
	// The NGO registry: staff account states, validation messages (the
	// list mirrors portal.NGOValidationKeys) and field labels.
	"ngo.staff_status.": {"invited", "active", "disabled"},
	"ngo.error.": {"name_zh_required", "name_zh_too_long", "name_zh_taken", "name_en_required", "name_en_too_long",
		"short_name_too_long", "credit_code_length", "credit_code_chars", "credit_code_region", "credit_code_check",
		"credit_code_taken", "focus_areas_too_many", "focus_area_too_long", "founded_year_number", "founded_year_range",
		"focus_areas_en_too_many", "focus_area_en_too_long", "focus_areas_en_count", "address_en_too_long",
		"contact_person_too_long", "phone_invalid", "email_invalid", "website_invalid", "address_too_long",
		"profile_zh_too_long", "profile_en_too_long"},
	"ngo.field.": {"name_zh", "name_en", "short_name", "credit_code", "founded_year", "focus_areas", "contact_person",
		"focus_areas_en", "address_en", "phone", "email", "website", "address", "profile_zh", "profile_en", "show_in_directory"},
	// User administration and the audit log: labels built from stored
	// values, flash and validation keys the handlers and the repository
	// hand over without a literal T call, and one label per audit action.
	"user.role.":          {"admin", "staff"},
	"user.status.":        {"invited", "active", "disabled"},
	"user.links.purpose.": {"invite", "reset"},
	"user.invited_link":   {"", "_mailed", "_mail_failed"},
	"user.reset_link":     {"", "_mailed", "_mail_failed"},
	"user.flash.":         {"updated", "disabled", "enabled"},
	"user.error.": {"email_required", "email_invalid", "email_taken", "name_required", "name_too_long", "name_en_too_long",
		"role_required", "ngo_required", "ngo_for_admin", "ngo_inactive", "own_role", "last_admin",
		"last_admin_disable", "disable_self"},
	"user.filter.":  {"role", "ngo", "status", "query"},
	"user.":         {"email", "name", "role", "ngo", "ngo_hint", "own_role_hint"},
	"audit.filter.": {"actor", "actor_hint", "ngo", "action", "from", "to"},
	"audit.error.":  {"date_invalid", "date_order"},
	"audit.action.": portal.AuditActions,
	// Officials and sessions: validation keys built from the field name,
	// statuses, lifecycle steps and their flash messages.
	"official.err.":         {"name_zh_required", "name_en_required"},
	"session.err.":          {"title_zh_required", "title_en_required"},
	"session.status.":       {"draft", "scheduled", "held", "closed", "cancelled"},
	"session.step.":         {"draft", "scheduled", "held", "closed", "cancelled"},
	"session.flash.status.": {"draft", "scheduled", "held", "closed", "cancelled"},
	// Invitations, check-in and attendance: replies, attendance, session
	// states, CSV headers, check-in flashes and validation keys handed over
	// by the form and the repository.
	"invitation.reply.":            {"none", "confirmed", "declined"},
	"invitation.attendance.":       {"unknown", "present", "absent", "excused"},
	"invitation.status.":           {"draft", "scheduled", "held", "closed", "cancelled"},
	"invitation.flash.checked_in.": {"present", "absent", "excused"},
	"invitation.csv.":              {"name_zh", "name_en", "reply", "representatives", "attendance", "present", "excuse"},
	"invitation.error.": {"checkin_closed", "choose_ngos", "decline_reason_required", "excuse_reason_required",
		"invitations_closed", "reason_too_long", "rep_duplicate", "rep_mobile_duplicate", "rep_mobile_invalid",
		"rep_mobile_required", "rep_name_required", "rep_name_too_long", "rep_title_too_long", "replies_closed",
		"reply_required", "reps_required", "withdraw_closed"},
	// Reporting cycles and the vocabulary: statuses, kinds, and the flash
	// and validation keys the forms and repositories hand over.
	"cycle.status.": {"draft", "open", "closed"},
	"cycle.flash.":  {"created", "updated", "closed", "extension_granted", "extension_removed"},
	"cycle.err.": {"review_year_required", "review_year_invalid", "review_year_range", "review_year_taken",
		"opens_on_required", "date_invalid", "deadline_required", "deadline_before_opening", "session_invalid",
		"session_taken", "status_invalid", "ngo_required", "ngo_invalid", "extension_not_later", "extension_exists",
		"reason_required", "reason_too_long", "closed", "changed"},
	"vocabulary.kind.":            {"theme", "project"},
	"vocabulary.new.":             {"theme", "project"},
	"vocabulary.caption.":         {"theme", "project"},
	"vocabulary.form.new_title.":  {"theme", "project"},
	"vocabulary.form.edit_title.": {"theme", "project"},
	"vocabulary.flash.created.":   {"theme", "project"},
	"vocabulary.flash.":           {"updated", "retired", "restored", "moved"},
	"vocabulary.err.": {"name_zh_required", "name_en_required", "name_zh_too_long", "name_en_too_long",
		"description_zh_too_long", "description_en_too_long", "name_zh_taken"},
	// Work reports: sections, statuses, the form's choices, field labels,
	// and the validation and completeness keys portal.Report hands over.
	"report.section.":  portal.ReportSections,
	"report.status.":   {"not_started", "draft", "submitted", "returned", "accepted"},
	"report.kind.":     {"lecture", "themed_activity", "training", "service", "campaign", "epidemic_response", "other"},
	"report.mode.":     {"online", "offline", "hybrid"},
	"report.channel.":  {"wechat", "weibo", "douyin", "website", "other"},
	"report.progress.": {"done", "partly", "not_done"},
	"report.event.":    {"created", "submitted", "returned", "resubmitted", "accepted"},
	"report.quarter.":  {"0", "1", "2", "3", "4"},
	"report.field.": {"narrative", "highlight", "legal_representative", "declaration", "cover", "title", "kind",
		"mode", "starts_on", "ends_on", "people_reached", "women_reached", "partners", "themes", "channel", "items",
		"reads", "description", "quarter", "key_project", "requests", "status", "note", "answer"},
	"report.err.": {"channel_invalid", "comment_required", "date_invalid", "date_outside_year", "date_required",
		"ends_before_start", "kind_invalid", "mode_invalid", "number_negative", "number_too_large", "number_whole",
		"progress_status_invalid", "project_invalid", "quarter_invalid", "request_invalid", "section_invalid",
		"theme_invalid", "title_required", "too_long", "too_many_rows", "women_above_people"},
	"report.missing.": {"activities", "answer", "cover", "declaration", "highlight", "legal_representative",
		"narrative", "plan_items", "progress"},
	"attachment.err.":  {"cover_type", "empty", "read_only", "too_large", "type"},
	"attachment.kind.": {"cover", "supporting"},
	// Staff's report pages: flashes and the reasons a report is read-only.
	"reportform.flash.":    {"started", "saved", "submitted"},
	"reportform.readonly.": {"accepted", "submitted", "closed", "deadline"},
	"reportform.problem.":  {"read_only", "deadline", "closed", "start_closed", "start_deadline"},
	// The review of reports: flashes and refusals handed over by variable.
	"review.err.":   {"changed", "cycle_closed", "not_submitted"},
	"review.flash.": {"accepted", "returned"},
	// Session summaries: validation keys, statuses and version-history steps.
	"summary.err.":     portal.SummaryErrorKeys,
	"summary.status.":  {"draft", "published"},
	"summary.version.": {"composed", "edited", "published", "unpublished", "cover_set", "cover_removed"},
	"summary.field.": {"title_zh", "lead_zh", "body_zh", "title_en", "lead_en", "body_en", "cover_alt_zh",
		"cover_alt_en", "cover"},
	"summary.flash.":    {"composed", "saved", "saved_live", "published", "unpublished", "cover_set", "cover_removed"},
	"summary.cover.":    {"too_large", "alt_hint", "file_hint"},
	"summary.edit.":     {"lead_hint", "body_hint"},
	"public.statement.": {"privacy.title", "privacy.description", "accessibility.title", "accessibility.description"},
}

func TestEveryKeyUsedExists(t *testing.T) {
	c := load(t)
	known := set(c.Keys(ZhCN))
	root := filepath.Join("..", "..")
	used := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".data" || d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || strings.HasSuffix(p, "_templ.go") || strings.HasSuffix(p, "_test.go") ||
			!(strings.HasSuffix(p, ".templ") || strings.HasSuffix(p, ".go")) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range keyPattern.FindAllStringSubmatch(string(b), -1) {
			used++
			if !known[m[1]] {
				t.Errorf("%s uses key %q, which the catalogues lack", p, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if used < 20 {
		t.Fatalf("found only %d key uses; is the pattern still right?", used)
	}
	for prefix, values := range dynamicFamilies {
		for _, v := range values {
			if !known[prefix+v] {
				t.Errorf("key %q (built at run time) is missing", prefix+v)
			}
		}
	}
}

func TestMatch(t *testing.T) {
	c := load(t)
	cases := []struct {
		header string
		want   Locale
	}{
		{"", ZhCN},
		{"en-US,en;q=0.9", En},
		{"en-GB", En},
		{"zh-CN,zh;q=0.9,en;q=0.8", ZhCN},
		{"zh-TW", ZhCN},
		{"zh-Hans", ZhCN},
		{"fr-FR,en;q=0.5", En},
		{"fr-FR,de;q=0.5", ZhCN},
		{"not a header;;", ZhCN},
	}
	for _, tc := range cases {
		if got := c.Match(tc.header); got != tc.want {
			t.Errorf("Match(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
}

func TestTranslator(t *testing.T) {
	c := load(t)
	zh, en := c.Translator(ZhCN), c.Translator(En)
	d := time.Date(2021, 1, 19, 0, 0, 0, 0, time.UTC)
	if got := zh.Date(d); got != "2021年1月19日" {
		t.Errorf("zh Date = %q", got)
	}
	if got := en.Date(d); got != "19 January 2021" {
		t.Errorf("en Date = %q", got)
	}
	if got := en.T("session.cycle_years", "ReviewYear", 2020, "PlanYear", 2021); got != "Work of 2020, plans for 2021" {
		t.Errorf("en T with data = %q", got)
	}
	if got := en.TOr("audit.field.credit_code", "credit_code"); got != "Unified social credit code" {
		t.Errorf("TOr(known) = %q", got)
	}
	if got := en.TOr("audit.field.no_such_field", "no_such_field"); got != "no_such_field" {
		t.Errorf("TOr(unknown) = %q, want the fallback", got)
	}
	if got := zh.T("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key = %q, want the key itself", got)
	}
	if zh.Pick("中", "en") != "中" || en.Pick("中", "en") != "en" || en.Pick("中", "") != "中" || zh.Pick("", "en") != "en" {
		t.Error("Pick does not prefer the locale's text with a fallback to the other")
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]Locale{"zh-CN": ZhCN, "zh-cn": ZhCN, "EN": En} {
		if got, ok := Parse(in); !ok || got != want {
			t.Errorf("Parse(%q) = %q, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "fr", "zh", "en-US"} {
		if _, ok := Parse(in); ok {
			t.Errorf("Parse(%q) accepted an unsupported locale", in)
		}
	}
}

func set(keys []string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// TestOneVoice keeps each thing said one way in each language: the chair
// is 主席 (never the host, 主持人), the reporting cycle has one name, a
// session is a 年度会议 whose scheduled state is 已排定 wherever it shows.
func TestOneVoice(t *testing.T) {
	c := load(t)
	zh := c.Translator(ZhCN)
	for _, k := range c.Keys(ZhCN) {
		for _, banned := range []string{"主持人", "联席会议"} {
			if strings.Contains(zh.T(k), banned) {
				t.Errorf("zh-CN %q says %s: %q", k, banned, zh.T(k))
			}
		}
	}
	for _, l := range Locales {
		tr := c.Translator(l)
		names := map[string]string{
			"session.cycle_years":   tr.T("session.cycle_years", "ReviewYear", 2026, "PlanYear", 2027),
			"cycle.years":           tr.T("cycle.years", "ReviewYear", 2026, "PlanYear", 2027),
			"reportform.cycle_name": tr.T("reportform.cycle_name", "Year", 2026, "PlanYear", 2027),
		}
		for k, v := range names {
			if v != names["cycle.years"] {
				t.Errorf("%s: %s names the cycle %q, cycle.years %q", l, k, v, names["cycle.years"])
			}
		}
		if a, b := tr.T("session.status.scheduled"), tr.T("invitation.status.scheduled"); a != b {
			t.Errorf("%s: a scheduled session is %q on its page, %q on invitations", l, a, b)
		}
		if a, b := tr.T("session.list.title"), tr.T("nav.sessions"); l == ZhCN && a != b {
			t.Errorf("%s: the sessions list is headed %q, the navigation says %q", l, a, b)
		}
	}
}

// TestPlainMessagesAsGoI18n holds the shortcut for messages that are not
// templates to what go-i18n itself returns for every key of each locale,
// and checks that templates still go through go-i18n.
func TestPlainMessagesAsGoI18n(t *testing.T) {
	c := load(t)
	for _, l := range Locales {
		tr := c.Translator(l)
		if len(tr.plain) == 0 {
			t.Fatalf("%s: no plain messages: the shortcut is not in use", l)
		}
		if len(tr.simple) == 0 {
			t.Fatalf("%s: no simple templates: the shortcut is not in use", l)
		}
		slow := tr
		slow.plain, slow.simple = nil, nil
		for k, segs := range tr.simple {
			// Every kind of value the shortcut prints, and one it leaves to
			// go-i18n, each given under every name the template uses.
			for _, value := range []any{"«值 & <b>»", 12345, int64(-1234567), 2.5} {
				var kv []any
				for _, sg := range segs {
					if sg.name != "" {
						kv = append(kv, sg.name, value)
					}
				}
				if got, want := tr.T(k, kv...), slow.T(k, kv...); got != want {
					t.Errorf("%s %s with %v: T = %q, go-i18n gives %q", l, k, value, got, want)
				}
			}
			if got, want := tr.T(k), slow.T(k); got != want {
				t.Errorf("%s %s without values: T = %q, go-i18n gives %q", l, k, got, want)
			}
		}
		for _, k := range c.Keys(l) {
			if got, want := tr.T(k), slow.T(k); got != want {
				t.Errorf("%s %s: T = %q, go-i18n gives %q", l, k, got, want)
			}
			if got, want := tr.TOr(k, "-"), slow.TOr(k, "-"); got != want {
				t.Errorf("%s %s: TOr = %q, go-i18n gives %q", l, k, got, want)
			}
		}
	}
	if _, ok := c.Translator(En).plain["session.cycle_years"]; ok {
		t.Error("a template is among the plain messages")
	}
	if _, ok := c.Translator(En).simple["readiness.answers_count"]; !ok {
		t.Error("a template that only prints values is not among the simple ones")
	}
	if _, ok := c.Translator(En).simple["session.flash.copied_summary"]; ok {
		t.Error("a template with a condition is among the simple ones")
	}
}
