package portal

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// SummaryStatus is whether the public may read a session's summary.
type SummaryStatus string

// Summary states. A summary is a draft until published; unpublishing makes
// it a draft again (its first publication date is kept).
const (
	SummaryDraft     SummaryStatus = "draft"
	SummaryPublished SummaryStatus = "published"
)

// CanSummaryStep reports whether a summary may go from one status to
// another: draft → published (publish), published → draft (unpublish).
func CanSummaryStep(from, to SummaryStatus) bool {
	return (from == SummaryDraft && to == SummaryPublished) || (from == SummaryPublished && to == SummaryDraft)
}

// SummaryText is a summary's text in one language: the title, the lead
// paragraph (plain text) and the body (Markdown, see internal/markdown).
type SummaryText struct {
	Title string
	Lead  string
	Body  string
}

// Empty reports whether every part is blank.
func (t SummaryText) Empty() bool {
	return strings.TrimSpace(t.Title) == "" && strings.TrimSpace(t.Lead) == "" && strings.TrimSpace(t.Body) == ""
}

// Summary is the public article about one leadership session, in Chinese
// and English, without the cover image's bytes.
type Summary struct {
	ID        int64
	SessionID int64
	ZH        SummaryText
	EN        SummaryText
	// The cover image, when HasCover.
	HasCover    bool
	CoverType   string
	CoverSHA256 []byte
	CoverAltZH  string
	CoverAltEN  string
	Status      SummaryStatus
	// FirstPublishedAt is the public "published" date (kept when the
	// summary is unpublished); nil until first published.
	FirstPublishedAt *time.Time
	// ContentUpdatedAt is the public "updated" date: when the text of the
	// summary last changed after its first publication; nil when never.
	ContentUpdatedAt *time.Time
	// ComposedHash is SummaryTextHash of what the composer last wrote; nil
	// when the summary was never composed.
	ComposedHash []byte
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Text returns the summary's text in locale ("en" for English, anything
// else for Chinese).
func (s Summary) Text(locale string) SummaryText {
	if locale == "en" {
		return s.EN
	}
	return s.ZH
}

// Edited reports whether the texts differ from what the composer last
// wrote: composing again would overwrite someone's work. A summary that was
// never composed counts as edited as soon as it has any text.
func (s Summary) Edited() bool {
	if s.ComposedHash == nil {
		return !s.ZH.Empty() || !s.EN.Empty()
	}
	h := SummaryTextHash(s.ZH, s.EN)
	return string(h) != string(s.ComposedHash)
}

// SummaryTextHash identifies the six texts of a summary: equal texts, equal
// hash. Each part is length-prefixed, so moving a character from one part
// to the next changes the hash.
func SummaryTextHash(zh, en SummaryText) []byte {
	h := sha256.New()
	for _, s := range []string{zh.Title, zh.Lead, zh.Body, en.Title, en.Lead, en.Body} {
		fmt.Fprintf(h, "%d:%s;", len(s), s)
	}
	return h.Sum(nil)
}

// AuditFields are the summary's fields as the audit log records them. The
// bodies are recorded by length and checksum only (the version history
// keeps the texts themselves), so that an audit row stays readable.
func (s Summary) AuditFields() map[string]any {
	body := func(b string) string {
		if b == "" {
			return ""
		}
		sum := sha256.Sum256([]byte(b))
		return fmt.Sprintf("%d characters, sha256 %x", utf8.RuneCountInString(b), sum[:6])
	}
	cover := ""
	if s.HasCover {
		cover = fmt.Sprintf("%s, sha256 %x", s.CoverType, s.CoverSHA256[:min(6, len(s.CoverSHA256))])
	}
	return map[string]any{
		"title_zh": s.ZH.Title, "title_en": s.EN.Title,
		"lead_zh": s.ZH.Lead, "lead_en": s.EN.Lead,
		"body_zh": body(s.ZH.Body), "body_en": body(s.EN.Body),
		"cover": cover, "cover_alt_zh": s.CoverAltZH, "cover_alt_en": s.CoverAltEN,
		"status": string(s.Status),
	}
}

// Bounds of a summary's texts, in characters, as the database checks them.
// English runs longer than Chinese for the same content.
const (
	MaxSummaryTitleZH = 200
	MaxSummaryTitleEN = 300
	MaxSummaryLeadZH  = 1000
	MaxSummaryLeadEN  = 2000
	MaxSummaryBodyZH  = 50000
	MaxSummaryBodyEN  = 100000
	MaxCoverAltZH     = 300
	MaxCoverAltEN     = 500
	// MaxCoverBytes is the largest cover image accepted.
	MaxCoverBytes = 5 << 20
)

// SummaryInput is what the admin's summary form saves: both texts and the
// cover's alternative text (the cover itself is set on its own).
type SummaryInput struct {
	ZH         SummaryText
	EN         SummaryText
	CoverAltZH string
	CoverAltEN string
}

// Input returns the summary's editable values, to fill the form.
func (s Summary) Input() SummaryInput {
	return SummaryInput{ZH: s.ZH, EN: s.EN, CoverAltZH: s.CoverAltZH, CoverAltEN: s.CoverAltEN}
}

// Normalize cleans every value: valid UTF-8 without NUL, trimmed, LF line
// endings, and a title and alt texts on one line.
func (in *SummaryInput) Normalize() {
	oneLine := func(s string) string { return strings.Join(strings.Fields(CleanText(s)), " ") }
	text := func(s string) string {
		return CleanText(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"))
	}
	for _, t := range []*SummaryText{&in.ZH, &in.EN} {
		t.Title, t.Lead, t.Body = oneLine(t.Title), text(t.Lead), text(t.Body)
	}
	in.CoverAltZH, in.CoverAltEN = oneLine(in.CoverAltZH), oneLine(in.CoverAltEN)
}

// Validate returns field name → message key for every problem. hasCover
// says whether the summary has a cover image (its alt text is then required
// in both languages); published says whether the summary is, or is about to
// be, public (titles and bodies are then required in both languages).
// Field names: title_zh, lead_zh, body_zh, title_en, ..., cover_alt_zh,
// cover_alt_en; keys "summary.err.<problem>".
func (in SummaryInput) Validate(hasCover, published bool) map[string]string {
	errs := map[string]string{}
	check := func(field, value string, max int, required bool) {
		switch {
		case required && strings.TrimSpace(value) == "":
			errs[field] = "summary.err." + field + "_required"
		case utf8.RuneCountInString(value) > max:
			errs[field] = "summary.err.too_long"
		}
	}
	check("title_zh", in.ZH.Title, MaxSummaryTitleZH, published)
	check("lead_zh", in.ZH.Lead, MaxSummaryLeadZH, false)
	check("body_zh", in.ZH.Body, MaxSummaryBodyZH, published)
	check("title_en", in.EN.Title, MaxSummaryTitleEN, published)
	check("lead_en", in.EN.Lead, MaxSummaryLeadEN, false)
	check("body_en", in.EN.Body, MaxSummaryBodyEN, published)
	check("cover_alt_zh", in.CoverAltZH, MaxCoverAltZH, hasCover)
	check("cover_alt_en", in.CoverAltEN, MaxCoverAltEN, hasCover)
	return errs
}

// SummaryErrorKeys lists the problems behind every "summary.err.<key>"
// message that Validate, CheckCover and SummaryErrorKey hand over, for the
// catalogues.
var SummaryErrorKeys = []string{
	"title_zh_required", "body_zh_required", "title_en_required", "body_en_required",
	"cover_alt_zh_required", "cover_alt_en_required", "too_long",
	"cover_empty", "cover_too_large", "cover_type",
	"edited", "published", "illegal_step", "stale", "not_held",
}

// CheckCover vets a cover image: not empty, at most MaxCoverBytes, and a
// PNG, JPEG, GIF or WebP image by its content (never by the name or the
// type a browser claims). It returns the content type to store and serve,
// or a ValidationError on the field "cover".
func CheckCover(data []byte) (string, error) {
	key := ""
	ct, err := SniffAttachment("cover", data)
	switch {
	case len(data) == 0:
		key = "summary.err.cover_empty"
	case len(data) > MaxCoverBytes:
		key = "summary.err.cover_too_large"
	case err != nil || !IsImage(ct):
		key = "summary.err.cover_type"
	}
	if key != "" {
		return "", &ValidationError{Fields: map[string]string{"cover": key}}
	}
	return ct, nil
}

// IsImage reports whether contentType is one of the images a page may show.
func IsImage(contentType string) bool {
	switch contentType {
	case TypePNG, TypeJPEG, TypeGIF, TypeWebP:
		return true
	}
	return false
}

// SummaryCover is a summary's cover image with its bytes.
type SummaryCover struct {
	ContentType string
	SHA256      []byte
	Data        []byte
}

// Errors of the summary lifecycle. Each wraps ErrConflict, so a page that
// does not handle one specially still answers 409.
var (
	// ErrSummaryEdited: composing again would overwrite texts the admin
	// changed since the last composition; ask, then compose with overwrite.
	ErrSummaryEdited = fmt.Errorf("summary was edited since it was composed: %w", ErrConflict)
	// ErrSummaryPublished: a published summary is not recomposed (that
	// would put unreviewed text before the public); unpublish it first.
	ErrSummaryPublished = fmt.Errorf("summary is published: %w", ErrConflict)
	// ErrSummaryIllegalStep: publishing a published summary, or
	// unpublishing a draft.
	ErrSummaryIllegalStep = fmt.Errorf("illegal summary step: %w", ErrConflict)
	// ErrSummaryStale: someone saved the summary since the form was loaded.
	ErrSummaryStale = fmt.Errorf("summary changed meanwhile: %w", ErrConflict)
	// ErrSummarySessionNotHeld: only a held or closed session has a summary.
	ErrSummarySessionNotHeld = fmt.Errorf("session has not been held: %w", ErrConflict)
)

// SummaryErrorKey is the message key for a summary lifecycle error, "" for
// an error that is none of them.
func SummaryErrorKey(err error) string {
	switch {
	case errors.Is(err, ErrSummaryEdited):
		return "summary.err.edited"
	case errors.Is(err, ErrSummaryPublished):
		return "summary.err.published"
	case errors.Is(err, ErrSummaryIllegalStep):
		return "summary.err.illegal_step"
	case errors.Is(err, ErrSummaryStale):
		return "summary.err.stale"
	case errors.Is(err, ErrSummarySessionNotHeld):
		return "summary.err.not_held"
	}
	return ""
}

// Audit actions and object type of the session summaries. The object is
// the summary; every write also keeps a SummaryVersion.
const (
	AuditSummaryComposed     = "summary.composed"
	AuditSummarySaved        = "summary.saved"
	AuditSummaryPublished    = "summary.published"
	AuditSummaryUnpublished  = "summary.unpublished"
	AuditSummaryCoverSet     = "summary.cover_set"
	AuditSummaryCoverRemoved = "summary.cover_removed"
	AuditObjectSummary       = "summary"
)

// SummaryVersionAction is what the write that made a version did.
type SummaryVersionAction string

// Version actions, as the database checks them.
const (
	VersionComposed     SummaryVersionAction = "composed"
	VersionEdited       SummaryVersionAction = "edited"
	VersionPublished    SummaryVersionAction = "published"
	VersionUnpublished  SummaryVersionAction = "unpublished"
	VersionCoverSet     SummaryVersionAction = "cover_set"
	VersionCoverRemoved SummaryVersionAction = "cover_removed"
)

// SummaryVersionActions lists the actions, for the catalogues.
var SummaryVersionActions = []SummaryVersionAction{VersionComposed, VersionEdited, VersionPublished,
	VersionUnpublished, VersionCoverSet, VersionCoverRemoved}

// SummaryVersion is one saved state of a summary: Number n is the state
// after the write that brought the summary to version n.
type SummaryVersion struct {
	SummaryID   int64
	Number      int
	Action      SummaryVersionAction
	Status      SummaryStatus
	ZH          SummaryText
	EN          SummaryText
	CoverSHA256 []byte // nil: no cover
	CoverAltZH  string
	CoverAltEN  string
	ActorID     int64 // 0: unknown
	ActorEmail  string
	At          time.Time
}

// DiffOp says whether a line is in both texts, only the old or only the new.
type DiffOp int

// Diff operations.
const (
	DiffSame DiffOp = iota
	DiffRemoved
	DiffAdded
)

// DiffLine is one line of a line-by-line comparison.
type DiffLine struct {
	Op   DiffOp
	Text string
}

// maxDiffCells bounds the work of DiffText (lines before × lines after);
// beyond it the texts are shown as wholly replaced.
const maxDiffCells = 4_000_000

// DiffText compares two texts line by line (a longest common subsequence),
// for the version history's diff view: lines in both are DiffSame, lines
// only in before DiffRemoved, lines only in after DiffAdded, in reading
// order with removals before additions. Equal texts give only DiffSame.
func DiffText(before, after string) []DiffLine {
	a, b := splitLines(before), splitLines(after)
	// Common head and tail first: most edits touch a few lines.
	head := 0
	for head < len(a) && head < len(b) && a[head] == b[head] {
		head++
	}
	tail := 0
	for tail < len(a)-head && tail < len(b)-head && a[len(a)-1-tail] == b[len(b)-1-tail] {
		tail++
	}
	out := make([]DiffLine, 0, len(a)+len(b))
	for _, l := range a[:head] {
		out = append(out, DiffLine{DiffSame, l})
	}
	out = append(out, diffMiddle(a[head:len(a)-tail], b[head:len(b)-tail])...)
	for _, l := range a[len(a)-tail:] {
		out = append(out, DiffLine{DiffSame, l})
	}
	return out
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

func diffMiddle(a, b []string) []DiffLine {
	var out []DiffLine
	if len(a)*len(b) > maxDiffCells || len(a) == 0 || len(b) == 0 {
		for _, l := range a {
			out = append(out, DiffLine{DiffRemoved, l})
		}
		for _, l := range b {
			out = append(out, DiffLine{DiffAdded, l})
		}
		return out
	}
	// lcs[i][j] is the length of the longest common subsequence of a[i:]
	// and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			out = append(out, DiffLine{DiffSame, a[i]})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, DiffLine{DiffRemoved, a[i]})
			i++
		default:
			out = append(out, DiffLine{DiffAdded, b[j]})
			j++
		}
	}
	for ; i < len(a); i++ {
		out = append(out, DiffLine{DiffRemoved, a[i]})
	}
	for ; j < len(b); j++ {
		out = append(out, DiffLine{DiffAdded, b[j]})
	}
	return out
}
