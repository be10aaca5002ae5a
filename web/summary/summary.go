// Package summary holds the federation's pages to compose, edit, preview,
// publish and follow the history of a session's public summary.
package summary

import (
	"strings"
	"time"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// SummaryPaths are the addresses of a session summary's admin pages and
// actions, built by the server.
type SummaryPaths struct {
	Session     string // the session's admin page
	Summary     string // the summary page; POST saves the edit form
	Compose     string
	Edit        string
	Publish     string
	Unpublish   string
	PreviewZH   string
	PreviewEN   string
	Cover       string // GET the image, POST a new one (multipart)
	CoverDelete string
	Versions    string
}

// SummaryShowView is a session summary's admin page: status and dates, the
// text in both languages, and the actions the summary allows.
type SummaryShowView struct {
	ui.Page
	Session portal.Session
	// Summary is nil while the session has none.
	Summary *portal.Summary
	// Held: the session was held (or closed), so it may have a summary.
	Held    bool
	Problem string // message key of a refused action
	// Missing lists what publishing found missing (field id → message key),
	// each entry linking to its field on the edit page.
	Missing   []ui.FieldError
	PublicURL string // the public page, when published
	CoverURL  string // the admin's address of the cover image, when there is one
	BodyZH    string // the Chinese body rendered and sanitised (markdown.Render)
	BodyEN    string
	Paths     SummaryPaths
	// Untranslated are the session's requests without English text: the
	// English page shows them in Chinese, so the page warns before
	// publishing.
	Untranslated []RequestLink
}

// RequestLink is one of the chair's requests with the address of its edit
// form.
type RequestLink struct {
	Number   int
	TextZH   string
	EditPath string
}

// SummaryEditView is the edit form of a summary's texts in both languages,
// with the cover image's upload form below it.
type SummaryEditView struct {
	ui.Page
	Session portal.Session
	// Summary is the saved summary; nil when there is none yet (the form
	// then creates it, with version 0).
	Summary *portal.Summary
	Form    portal.SummaryInput
	Version int
	Errors  map[string]string // field → message key
	// Conflict: someone saved meanwhile; Latest is what they saved, and
	// Version is already theirs, so that saving again is deliberate.
	Conflict bool
	Latest   *portal.Summary
	Problem  string // message key of a refused cover action
	// The cover form's values and problems (fields cover, cover_alt_zh,
	// cover_alt_en).
	CoverAltZH  string
	CoverAltEN  string
	CoverErrors map[string]string
	CoverURL    string // the current cover image, "" when none
	CoverLimit  string // the largest file accepted, for the hint
	Paths       SummaryPaths
}

// Published reports whether the saved summary is public (saving then goes
// live at once).
func (v SummaryEditView) Published() bool {
	return v.Summary != nil && v.Summary.Status == portal.SummaryPublished
}

// HasCover reports whether the saved summary has a cover image (its alt
// texts are then part of the text form).
func (v SummaryEditView) HasCover() bool { return v.Summary != nil && v.Summary.HasCover }

// summaryFieldSpec describes one control of the text form.
type summaryFieldSpec struct {
	name  string
	label string // message key
	hint  string // message key
	lang  string
	max   int
}

var summaryTextFields = []summaryFieldSpec{
	{"title_zh", "summary.field.title_zh", "", "zh-CN", portal.MaxSummaryTitleZH},
	{"lead_zh", "summary.field.lead_zh", "summary.edit.lead_hint", "zh-CN", portal.MaxSummaryLeadZH},
	{"body_zh", "summary.field.body_zh", "summary.edit.body_hint", "zh-CN", portal.MaxSummaryBodyZH},
	{"title_en", "summary.field.title_en", "", "en", portal.MaxSummaryTitleEN},
	{"lead_en", "summary.field.lead_en", "summary.edit.lead_hint", "en", portal.MaxSummaryLeadEN},
	{"body_en", "summary.field.body_en", "summary.edit.body_hint", "en", portal.MaxSummaryBodyEN},
	{"cover_alt_zh", "summary.field.cover_alt_zh", "summary.cover.alt_hint", "zh-CN", portal.MaxCoverAltZH},
	{"cover_alt_en", "summary.field.cover_alt_en", "summary.cover.alt_hint", "en", portal.MaxCoverAltEN},
}

// SummaryFieldLabels lists the message keys of the summary's field labels,
// for the catalogue checks.
func SummaryFieldLabels() []string {
	out := []string{"summary.field.cover"}
	for _, f := range summaryTextFields {
		out = append(out, f.label)
	}
	return out
}

func summarySpec(name string) summaryFieldSpec {
	for _, f := range summaryTextFields {
		if f.name == name {
			return f
		}
	}
	return summaryFieldSpec{name: name, label: "summary.field." + name}
}

// summaryValue is the form's value of a text field.
func summaryValue(in portal.SummaryInput, name string) string {
	switch name {
	case "title_zh":
		return in.ZH.Title
	case "lead_zh":
		return in.ZH.Lead
	case "body_zh":
		return in.ZH.Body
	case "title_en":
		return in.EN.Title
	case "lead_en":
		return in.EN.Lead
	case "body_en":
		return in.EN.Body
	case "cover_alt_zh":
		return in.CoverAltZH
	case "cover_alt_en":
		return in.CoverAltEN
	}
	return ""
}

// Field is the text form's control name, with its value and error. Titles
// and bodies are marked required once the summary is published (saving
// then needs them); alt texts while there is a cover.
func (v SummaryEditView) Field(name string) ui.Field {
	spec := summarySpec(name)
	required := false
	switch name {
	case "title_zh", "title_en", "body_zh", "body_en":
		required = v.Published()
	case "cover_alt_zh", "cover_alt_en":
		required = true
	}
	return ui.Field{Name: name, Label: spec.label, Hint: spec.hint, Value: summaryValue(v.Form, name),
		Error: v.Errors[name], Required: required, MaxLength: spec.max, Lang: spec.lang}
}

// FieldErrors lists the text form's problems in the form's order.
func (v SummaryEditView) FieldErrors() []ui.FieldError {
	var fields []ui.Field
	for _, f := range summaryTextFields {
		fields = append(fields, v.Field(f.name))
	}
	return ui.Errors(fields...)
}

// Names of the cover form's controls. The alt texts are named apart from
// the text form's own alt fields, so that both forms fit on one page with
// distinct ids.
const (
	CoverFileField  = "cover"
	CoverAltZHField = "cover_new_alt_zh"
	CoverAltENField = "cover_new_alt_en"
)

// CoverField is a control of the cover form with its value and error.
func (v SummaryEditView) CoverField(name string) ui.Field {
	f := ui.Field{Name: name, Error: v.CoverErrors[name], Required: true}
	switch name {
	case CoverFileField:
		f.Label, f.Hint, f.Type = "summary.field.cover", "summary.cover.file_hint", "file"
	case CoverAltZHField:
		spec := summarySpec("cover_alt_zh")
		f.Label, f.Hint, f.Value, f.MaxLength, f.Lang = spec.label, spec.hint, v.CoverAltZH, spec.max, spec.lang
	case CoverAltENField:
		spec := summarySpec("cover_alt_en")
		f.Label, f.Hint, f.Value, f.MaxLength, f.Lang = spec.label, spec.hint, v.CoverAltEN, spec.max, spec.lang
	}
	return f
}

// CoverFieldErrors lists the cover form's problems.
func (v SummaryEditView) CoverFieldErrors() []ui.FieldError {
	return ui.Errors(v.CoverField(CoverFileField), v.CoverField(CoverAltZHField), v.CoverField(CoverAltENField))
}

// SummaryMissing lists publishing's problems (field → message key) in the
// form's order, each to link to its control on the edit page.
func SummaryMissing(errs map[string]string) []ui.FieldError {
	var out []ui.FieldError
	for _, f := range summaryTextFields {
		if key, ok := errs[f.name]; ok {
			out = append(out, ui.FieldError{ID: ui.Field{Name: f.name}.ID(), Label: f.label, Error: key})
		}
	}
	return out
}

// SummaryDiffField is one part of a summary compared line by line.
type SummaryDiffField struct {
	Part    string // title, lead, body or cover_alt
	Lines   []portal.DiffLine
	Changed bool
}

// SummaryDiffLang is one language's parts compared.
type SummaryDiffLang struct {
	Lang   string // zh-CN or en
	Fields []SummaryDiffField
}

// SummarySide is what a comparison compares: the texts and, when WithAlt,
// the cover's alt texts.
type SummarySide struct {
	ZH, EN       portal.SummaryText
	AltZH, AltEN string
}

// SummaryDiffs compares two states of a summary, language by language and
// part by part; withAlt adds the cover's alt texts.
func SummaryDiffs(before, after SummarySide, withAlt bool) []SummaryDiffLang {
	lang := func(code string, b, a portal.SummaryText, altB, altA string) SummaryDiffLang {
		l := SummaryDiffLang{Lang: code}
		parts := []struct{ part, b, a string }{{"title", b.Title, a.Title}, {"lead", b.Lead, a.Lead}, {"body", b.Body, a.Body}}
		if withAlt {
			parts = append(parts, struct{ part, b, a string }{"cover_alt", altB, altA})
		}
		for _, p := range parts {
			f := SummaryDiffField{Part: p.part, Lines: portal.DiffText(p.b, p.a)}
			for _, line := range f.Lines {
				f.Changed = f.Changed || line.Op != portal.DiffSame
			}
			l.Fields = append(l.Fields, f)
		}
		return l
	}
	return []SummaryDiffLang{
		lang("zh-CN", before.ZH, after.ZH, before.AltZH, after.AltZH),
		lang("en", before.EN, after.EN, before.AltEN, after.AltEN),
	}
}

// summaryPartLabel is the heading of a compared part.
func summaryPartLabel(t i18n.Translator, part string) string {
	switch part {
	case "title":
		return t.T("summary.part.title")
	case "lead":
		return t.T("summary.part.lead")
	case "body":
		return t.T("summary.part.body")
	default:
		return t.T("summary.part.cover_alt")
	}
}

// langLabel is a language's name, in that language.
func langLabel(t i18n.Translator, code string) string {
	if code == "en" {
		return t.T("lang.en")
	}
	return t.T("lang.zh-CN")
}

// SummaryComposeConfirmView asks before composing over the admin's edits:
// what would change, and the buttons.
type SummaryComposeConfirmView struct {
	ui.Page
	Session portal.Session
	Diffs   []SummaryDiffLang // current text → the new draft
	Paths   SummaryPaths
}

// SummaryVersionRow is one line of the version history.
type SummaryVersionRow struct {
	portal.SummaryVersion
	Link string
}

// SummaryVersionsView is a summary's version history, newest first.
type SummaryVersionsView struct {
	ui.Page
	Session portal.Session
	Rows    []SummaryVersionRow
	Paths   SummaryPaths
}

// SummaryVersionView is one version compared with the one before it.
type SummaryVersionView struct {
	ui.Page
	Session portal.Session
	Version portal.SummaryVersion
	First   bool // no version before it: everything is new
	// CoverChanged: the cover image differs from the version before.
	CoverChanged bool
	Diffs        []SummaryDiffLang
	PrevPath     string // "" for the first version
	NextPath     string // "" for the latest
	Paths        SummaryPaths
}

// summaryDate formats an optional moment as a date in Shanghai, or the
// "not yet" text.
func summaryDate(t i18n.Translator, at *time.Time) string {
	if at == nil {
		return t.T("summary.show.never")
	}
	return ui.Date(t, *at)
}

// CoverDeleteView asks before a summary's cover image is removed: it shows
// the image that will be gone, with its description, format and size, and
// offers the remove button (posting to Action with the summary's version)
// and a way back (Cancel).
type CoverDeleteView struct {
	ui.Page
	Session  portal.Session
	Summary  portal.Summary
	CoverURL string // the admin's address of the image
	Size     int64  // bytes
	Action   string // the remove route, POST
	Cancel   string // the edit page's cover section
}

// Format is the image's file format as readers know it ("PNG", "JPEG").
func (v CoverDeleteView) Format() string {
	return ImageFormat(v.Summary.CoverType)
}

// Alt is the image's description in the page's language, or the other
// language's when that one is empty.
func (v CoverDeleteView) Alt() string {
	return v.T.Pick(v.Summary.CoverAltZH, v.Summary.CoverAltEN)
}

// ImageFormat names an image content type by its format ("image/png" is
// "PNG").
func ImageFormat(contentType string) string {
	f, ok := strings.CutPrefix(contentType, "image/")
	if !ok {
		return contentType
	}
	return strings.ToUpper(f)
}
