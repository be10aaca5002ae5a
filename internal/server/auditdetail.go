package server

import (
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
	"ngoportal/web/federation"
)

// The audit log records each change as field → {before, after}, with the
// values the writes chose (portal's AuditFields, the maps in postgres).
// This file turns them into sentences in the reader's language: every field
// name and every enumerated value through the audit catalogue, ids as the
// object's name or "Session #12", rows of a report's tables decoded into
// labelled parts, Markdown bodies as their length. A field or value the
// catalogue does not know (written by a later version) is shown as stored.

// auditNames names the objects an audit entry refers to by id.
type auditNames struct {
	ngos      map[int64]string // in the reader's language
	officials map[int64]string
}

// auditEnums are the enumerated values of the fields that hold one, by enum
// name; each value v is translated as "audit.value.<enum>.<v>".
var auditEnums = map[string][]string{
	"role":            {string(portal.RoleStaff), string(portal.RoleAdmin), string(portal.RoleReviewer)},
	"user_status":     {string(portal.UserInvited), string(portal.UserActive), string(portal.UserDisabled)},
	"session_status":  {string(portal.SessionDraft), string(portal.SessionScheduled), string(portal.SessionHeld), string(portal.SessionClosed), string(portal.SessionCancelled)},
	"session_level":   enumStrings(portal.SessionLevels),
	"cycle_status":    {string(portal.CycleDraft), string(portal.CycleOpen), string(portal.CycleClosed)},
	"report_status":   {string(portal.ReportDraft), string(portal.ReportSubmitted), string(portal.ReportReturned), string(portal.ReportAccepted)},
	"summary_status":  {string(portal.SummaryDraft), string(portal.SummaryPublished)},
	"position":        enumStrings(portal.Positions),
	"reply":           {string(portal.ReplyNone), string(portal.ReplyConfirmed), string(portal.ReplyDeclined)},
	"attendance":      {string(portal.AttendanceUnknown), string(portal.AttendancePresent), string(portal.AttendanceAbsent), string(portal.AttendanceExcused)},
	"attachment_kind": {string(portal.AttachmentCover), string(portal.AttachmentSupporting)},
	"format":          {"csv", "xlsx"},
	"activity_kind":   enumStrings(portal.ActivityKinds),
	"activity_mode":   enumStrings(portal.ActivityModes),
	"media_channel":   enumStrings(portal.MediaChannels),
	"progress_status": enumStrings(portal.ProgressStatuses),
	"language":        {"zh-CN", "en"},
	"email_status":    enumStrings(portal.DeliveryStatuses),
}

func enumStrings[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// auditEnumOf is the enum of field on an object of type objectType, or "".
func auditEnumOf(objectType, field string) string {
	switch field {
	case "role":
		return "role"
	case "status":
		switch objectType {
		case portal.AuditObjectUser:
			return "user_status"
		case portal.AuditObjectSession:
			return "session_status"
		case portal.AuditObjectCycle:
			return "cycle_status"
		case portal.AuditObjectReport:
			return "report_status"
		case portal.AuditObjectSummary:
			return "summary_status"
		case portal.AuditObjectDelivery:
			return "email_status"
		}
	case "language":
		return "language"
	case "level":
		return "session_level"
	case "position":
		if objectType == portal.AuditObjectOfficial {
			return "position"
		}
	case "reply":
		return "reply"
	case "attendance":
		return "attendance"
	case "kind":
		return "attachment_kind"
	case "format":
		return "format"
	}
	return ""
}

// auditRefs are the fields that hold the id of another object, and the
// object's type (its label is "audit.object.<type>").
var auditRefs = map[string]string{
	"cycle_id":    portal.AuditObjectCycle,
	"session_id":  portal.AuditObjectSession,
	"copied_from": portal.AuditObjectSession,
	"report_id":   portal.AuditObjectReport,
	"ngo_id":      portal.AuditObjectNGO,
	"made_by":     portal.AuditObjectOfficial,
	"officials":   portal.AuditObjectOfficial,
	"recipients":  portal.AuditObjectNGO,
	"id":          portal.AuditObjectAttachment, // attachment.replaced: the old and the new file
}

// auditRowFields hold one line per row of a table (portal.Report's
// AuditFields, a session's agenda); a change lists the rows added and
// removed rather than both whole tables.
var auditRowFields = map[string]bool{
	"activities": true, "media": true, "plan_items": true, "progress": true, "answers": true, "agenda": true,
	"representatives": true,
}

// auditLongText is how many characters of a long text a change shows.
const auditLongText = 160

// auditChanges turns an entry's changes into sentences, in field order.
func auditChanges(t i18n.Translator, n auditNames, e portal.AuditEntry) []federation.AuditChange {
	fields := make([]string, 0, len(e.Changes))
	for k := range e.Changes {
		fields = append(fields, k)
	}
	sort.Strings(fields)
	gone := auditRemoval(e.Action)
	var out []federation.AuditChange
	for _, k := range fields {
		c := e.Changes[k]
		label := auditFieldLabel(t, e.ObjectType, k)
		if auditRowFields[k] {
			out = append(out, auditRowChanges(t, n, e.ObjectType, k, label, c)...)
			continue
		}
		before := auditValue(t, n, e.ObjectType, k, c.Before)
		after := auditValue(t, n, e.ObjectType, k, c.After)
		var text string
		switch {
		case gone && c.After == nil:
			text = t.T("audit.change.was", "Field", label, "Value", before)
		case auditEmpty(c.Before):
			text = t.T("audit.change.set", "Field", label, "Value", after)
		case (k == "body_zh" || k == "body_en") && !auditEmpty(c.After):
			text = t.T("audit.change.body", "Field", label, "Value", after)
		default:
			text = t.T("audit.change.changed", "Field", label, "Before", before, "After", after)
		}
		out = append(out, federation.AuditChange{Text: text})
	}
	return out
}

// auditRemoval reports whether action removes its object, so that its
// changes record what was there.
func auditRemoval(action string) bool {
	switch action {
	case portal.AuditSessionDeleted, portal.AuditRequestDeleted, portal.AuditAttachmentDeleted,
		portal.AuditCycleExtensionRemoved, portal.AuditSummaryCoverRemoved:
		return true
	}
	return false
}

func auditEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	}
	return false
}

// auditFieldLabel names a field in the reader's language; a field without
// a label keeps its stored name. "comment.<section>" is the reviewer's
// comment on one section of a report; a theme's or key project's
// "position" is its place in the list, not an official's post.
func auditFieldLabel(t i18n.Translator, objectType, field string) string {
	if field == "position" && (objectType == portal.AuditObjectTheme || objectType == portal.AuditObjectKeyProject) {
		return t.T("audit.field.order")
	}
	if section, ok := strings.CutPrefix(field, "comment."); ok {
		return t.T("audit.field.comment_on", "Section", t.TOr("audit.section."+section, section))
	}
	return t.TOr("audit.field."+field, field)
}

// auditValue formats one side of a change in the reader's language.
func auditValue(t i18n.Translator, n auditNames, objectType, field string, v any) string {
	if auditEmpty(v) {
		if x, ok := v.([]any); ok && x != nil {
			return t.T("audit.value.none_listed")
		}
		return t.T("audit.value.none")
	}
	if field == "password" {
		// The log never holds a password; it records that one changed.
		if x, _ := v.(string); x == "(old)" || x == "(set)" {
			return t.T("audit.value.password_old")
		}
		return t.T("audit.value.password_new")
	}
	if list, ok := v.([]any); ok {
		parts := make([]string, 0, len(list))
		for _, e := range list {
			parts = append(parts, auditValue(t, n, objectType, field, e))
		}
		return strings.Join(parts, t.T("audit.value.list_separator"))
	}
	if typ, ok := auditRefs[field]; ok {
		if id, ok := auditID(v); ok {
			return auditRef(t, n, typ, id)
		}
		if v == float64(0) || v == "0" {
			return t.T("audit.value.none") // a link removed: cycle_id 0
		}
	}
	switch x := v.(type) {
	case bool:
		if x {
			return t.T("audit.value.true")
		}
		return t.T("audit.value.false")
	case float64:
		return auditNumber(t, field, x)
	case string:
		return auditString(t, objectType, field, x)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// auditID reads an id recorded as a number or a string of digits; 0 is no
// id.
func auditID(v any) (int64, bool) {
	switch x := v.(type) {
	case float64:
		return int64(x), x > 0 && x == float64(int64(x))
	case string:
		id, err := strconv.ParseInt(x, 10, 64)
		return id, err == nil && id > 0
	}
	return 0, false
}

// auditRef names object id of type typ: by name when the page knows it,
// otherwise as "Session #12".
func auditRef(t i18n.Translator, n auditNames, typ string, id int64) string {
	switch typ {
	case portal.AuditObjectNGO:
		if name := n.ngos[id]; name != "" {
			return name
		}
	case portal.AuditObjectOfficial:
		if name := n.officials[id]; name != "" {
			return name
		}
	}
	if t.TOr("audit.object."+typ, "") == "" {
		return typ + " #" + strconv.FormatInt(id, 10)
	}
	return t.T("audit.object."+typ, "ID", id)
}

func auditNumber(t i18n.Translator, field string, x float64) string {
	if x != float64(int64(x)) {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	i := int64(x)
	switch field {
	case "size_bytes":
		return t.T("audit.value.bytes", "Size", auditDigits(i), "Count", i)
	case "founded_year", "review_year", "plan_year":
		return t.T("audit.value.year", "Year", i)
	case "number":
		return t.T("audit.value.number", "Number", i)
	}
	return strconv.FormatInt(i, 10)
}

// auditDigits groups an integer's digits by thousands.
func auditDigits(i int64) string {
	s := strconv.FormatInt(i, 10)
	for p := len(s) - 3; p > 0 && s[p-1] != '-'; p -= 3 {
		s = s[:p] + "," + s[p:]
	}
	return s
}

func auditString(t i18n.Translator, objectType, field, x string) string {
	if enum := auditEnumOf(objectType, field); enum != "" {
		return t.TOr("audit.value."+enum+"."+x, x)
	}
	switch field {
	case "held_on", "opens_on", "deadline", "term_start", "term_end", "extended_to":
		if d, err := time.Parse(time.DateOnly, x); err == nil {
			return t.Date(d)
		}
	case "reply_deadline":
		if d, err := time.Parse(time.RFC3339, x); err == nil {
			d = d.In(portal.FederationZone)
			return t.T("audit.value.date_time", "Date", t.Date(d), "Time", d.Format("15:04"))
		}
	case "body_zh", "body_en":
		// "1837 characters, sha256 …": the bodies are recorded by length.
		if n, _, ok := strings.Cut(x, " characters"); ok {
			if count, err := strconv.Atoi(n); err == nil {
				return t.T("audit.value.body", "Count", count)
			}
		}
	case "cover":
		// "image/png, sha256 …"
		ct, _, _ := strings.Cut(x, ",")
		if f, ok := strings.CutPrefix(ct, "image/"); ok {
			return t.T("audit.value.image", "Format", strings.ToUpper(f))
		}
	case "content_type":
		return t.TOr("audit.value.content_type."+x, x)
	case "sha256":
		// A checksum identifies a file; its first 12 digits are enough to read.
		if len(x) > 12 {
			return x[:12] + "…"
		}
	}
	return auditShort(t, x)
}

// auditShort cuts a long text to its first auditLongText characters and
// says how long it was.
func auditShort(t i18n.Translator, s string) string {
	n := utf8.RuneCountInString(s)
	if n <= auditLongText {
		return s
	}
	r := []rune(s)
	return t.T("audit.value.truncated", "Text", strings.TrimSpace(string(r[:auditLongText])), "Count", n)
}

// auditRowChanges lists the rows of a table field that a change added and
// removed, each decoded into its parts.
func auditRowChanges(t i18n.Translator, n auditNames, objectType, field, label string, c portal.Change) []federation.AuditChange {
	before, after := auditLines(c.Before), auditLines(c.After)
	var out []federation.AuditChange
	for _, l := range auditMinus(before, after) {
		out = append(out, federation.AuditChange{Text: t.T("audit.change.row_removed", "Field", label, "Value", auditRow(t, n, field, l))})
	}
	for _, l := range auditMinus(after, before) {
		out = append(out, federation.AuditChange{Text: t.T("audit.change.row_added", "Field", label, "Value", auditRow(t, n, field, l))})
	}
	if len(out) == 0 {
		// Only the order changed.
		out = append(out, federation.AuditChange{Text: t.T("audit.change.rows_reordered", "Field", label)})
	}
	return out
}

func auditLines(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// auditMinus is a without the lines of b, each line of b taken once.
func auditMinus(a, b []string) []string {
	left := slices.Clone(b)
	var out []string
	for _, l := range a {
		if i := slices.Index(left, l); i >= 0 {
			left = slices.Delete(left, i, i+1)
			continue
		}
		out = append(out, l)
	}
	return out
}

// auditSplit splits a row recorded as fields joined by sep into want parts;
// the free text at index free takes any extra separators. ok is false when
// the row has too few parts.
func auditSplit(line, sep string, want, free int) ([]string, bool) {
	parts := strings.Split(line, sep)
	if len(parts) < want {
		return nil, false
	}
	extra := len(parts) - want
	out := append([]string{}, parts[:free]...)
	out = append(out, strings.Join(parts[free:free+extra+1], sep))
	return append(out, parts[free+extra+1:]...), true
}

// auditRow decodes one row of a table field into a sentence with labelled
// parts; a row in a shape it does not know is shown as stored.
func auditRow(t i18n.Translator, n auditNames, field, line string) string {
	enum := func(name, v string) string {
		if v == "" {
			return t.T("audit.value.none")
		}
		return t.TOr("audit.value."+name+"."+v, v)
	}
	text := func(v string) string {
		if v == "" {
			return t.T("audit.value.none")
		}
		return auditShort(t, v)
	}
	ids := func(typ, v string) string {
		if v == "" {
			return t.T("audit.value.none")
		}
		var names []string
		for _, s := range strings.Split(v, ",") {
			if id, ok := auditID(s); ok {
				names = append(names, auditRef(t, n, typ, id))
			}
		}
		return strings.Join(names, t.T("audit.value.list_separator"))
	}
	date := func(v string) string {
		if d, err := time.Parse(time.DateOnly, v); err == nil {
			return t.Date(d)
		}
		return text(v)
	}
	switch field {
	case "activities":
		// title|kind|mode|starts|ends|people|women|partners|theme ids
		if p, ok := auditSplit(line, "|", 9, 0); ok {
			when := date(p[3])
			if p[4] != "" && p[4] != p[3] {
				when = t.T("audit.value.date_range", "From", when, "To", date(p[4]))
			}
			return t.T("audit.row.activity", "Title", text(p[0]), "Kind", enum("activity_kind", p[1]),
				"Mode", enum("activity_mode", p[2]), "When", when,
				"People", p[5], "Women", p[6], "Partners", text(p[7]), "Themes", ids(portal.AuditObjectTheme, p[8]))
		}
	case "media":
		// channel|items|reads
		if p, ok := auditSplit(line, "|", 3, 0); ok {
			return t.T("audit.row.media", "Channel", enum("media_channel", p[0]), "Items", p[1], "Reads", p[2])
		}
	case "plan_items":
		// title|description|quarter|key project id|theme ids|request ids:
		// the description takes any extra separators.
		if p, ok := auditSplit(line, "|", 6, 1); ok {
			quarter := t.T("audit.value.none")
			if p[2] != "0" && p[2] != "" {
				quarter = t.T("audit.value.quarter", "Quarter", p[2])
			}
			project := t.T("audit.value.none")
			if p[3] != "0" {
				project = ids(portal.AuditObjectKeyProject, p[3])
			}
			return t.T("audit.row.plan_item", "Title", text(p[0]), "Description", text(p[1]), "Quarter", quarter,
				"Project", project, "Themes", ids(portal.AuditObjectTheme, p[4]), "Requests", ids(portal.AuditObjectRequest, p[5]))
		}
	case "progress":
		// previous plan item id|status|note
		if p, ok := auditSplit(line, "|", 3, 2); ok {
			return t.T("audit.row.progress", "Item", p[0], "Status", enum("progress_status", p[1]), "Note", text(p[2]))
		}
	case "answers":
		// request id|answer
		if p, ok := auditSplit(line, "|", 2, 1); ok {
			return t.T("audit.row.answer", "Request", ids(portal.AuditObjectRequest, p[0]), "Answer", text(p[1]))
		}
	case "agenda":
		// "title zh | title en | ngo N | M min"
		if p, ok := auditSplit(line, " | ", 4, 0); ok {
			ngo := t.T("audit.value.none")
			if id, ok := auditID(strings.TrimPrefix(p[2], "ngo ")); ok {
				ngo = auditRef(t, n, portal.AuditObjectNGO, id)
			}
			return t.T("audit.row.agenda", "TitleZH", text(p[0]), "TitleEN", text(p[1]), "NGO", ngo,
				"Minutes", strings.TrimSuffix(p[3], " min"))
		}
	}
	return auditShort(t, line)
}
