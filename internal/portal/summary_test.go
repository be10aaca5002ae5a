package portal

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestSummaryValidate(t *testing.T) {
	full := SummaryInput{
		ZH: SummaryText{Title: "标题", Lead: "导语", Body: "正文"},
		EN: SummaryText{Title: "Title", Lead: "Lead", Body: "Body"},
	}
	cases := []struct {
		name              string
		in                SummaryInput
		hasCover, publish bool
		want              map[string]string
	}{
		{"OK", full, false, true, map[string]string{}},
		{"DraftMayBeEmpty", SummaryInput{}, false, false, map[string]string{}},
		{"PublishedNeedsTitlesAndBodies", SummaryInput{ZH: SummaryText{Lead: "导语"}}, false, true, map[string]string{
			"title_zh": "summary.err.title_zh_required", "body_zh": "summary.err.body_zh_required",
			"title_en": "summary.err.title_en_required", "body_en": "summary.err.body_en_required"}},
		{"CoverNeedsAltTexts", full, true, false, map[string]string{
			"cover_alt_zh": "summary.err.cover_alt_zh_required", "cover_alt_en": "summary.err.cover_alt_en_required"}},
		{"TooLong", SummaryInput{ZH: SummaryText{Title: strings.Repeat("字", MaxSummaryTitleZH+1)},
			EN: SummaryText{Body: strings.Repeat("w", MaxSummaryBodyEN+1)}}, false, false, map[string]string{
			"title_zh": "summary.err.too_long", "body_en": "summary.err.too_long"}},
		{"LengthsCountCharacters", SummaryInput{ZH: SummaryText{Title: strings.Repeat("字", MaxSummaryTitleZH)}}, false, false,
			map[string]string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.in.Validate(c.hasCover, c.publish); !reflect.DeepEqual(got, c.want) {
				t.Errorf("Validate = %v, want %v", got, c.want)
			}
		})
	}
}

func TestSummaryInputNormalize(t *testing.T) {
	in := SummaryInput{ZH: SummaryText{Title: "  标题\n第二行 ", Body: "a\r\nb\rc\x00 "}, CoverAltEN: " a  b "}
	in.Normalize()
	if in.ZH.Title != "标题 第二行" || in.ZH.Body != "a\nb\nc" || in.CoverAltEN != "a b" {
		t.Errorf("Normalize = %+v", in)
	}
}

func TestSummaryEdited(t *testing.T) {
	zh, en := SummaryText{Title: "标题", Body: "正文"}, SummaryText{Title: "Title", Body: "Body"}
	s := Summary{ZH: zh, EN: en, ComposedHash: SummaryTextHash(zh, en)}
	if s.Edited() {
		t.Error("the composer's own text counts as edited")
	}
	s.EN.Body += "!"
	if !s.Edited() {
		t.Error("an edit does not count")
	}
	// Moving text between parts changes the hash.
	a := SummaryTextHash(SummaryText{Title: "ab", Lead: "c"}, SummaryText{})
	b := SummaryTextHash(SummaryText{Title: "a", Lead: "bc"}, SummaryText{})
	if bytes.Equal(a, b) {
		t.Error("hash ignores where a part ends")
	}
	if (Summary{}).Edited() {
		t.Error("an empty summary never composed counts as edited")
	}
	if !(Summary{ZH: SummaryText{Title: "手写"}}).Edited() {
		t.Error("a hand-written summary never composed does not count as edited")
	}
}

func TestCanSummaryStep(t *testing.T) {
	if !CanSummaryStep(SummaryDraft, SummaryPublished) || !CanSummaryStep(SummaryPublished, SummaryDraft) {
		t.Error("publish or unpublish refused")
	}
	if CanSummaryStep(SummaryDraft, SummaryDraft) || CanSummaryStep(SummaryPublished, SummaryPublished) {
		t.Error("a step to the same status allowed")
	}
}

func testPNG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCheckCover(t *testing.T) {
	if ct, err := CheckCover(testPNG(t)); err != nil || ct != TypePNG {
		t.Errorf("PNG: %q, %v", ct, err)
	}
	cases := map[string]struct {
		data []byte
		key  string
	}{
		"Empty":    {nil, "summary.err.cover_empty"},
		"PDF":      {[]byte("%PDF-1.7\n..."), "summary.err.cover_type"},
		"HTML":     {[]byte("<html><script>alert(1)</script></html>"), "summary.err.cover_type"},
		"SVG":      {[]byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), "summary.err.cover_type"},
		"TooLarge": {append(testPNG(t), make([]byte, MaxCoverBytes)...), "summary.err.cover_too_large"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := CheckCover(c.data)
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Fields["cover"] != c.key {
				t.Errorf("CheckCover: %v, want field cover = %s", err, c.key)
			}
		})
	}
}

func TestDiffText(t *testing.T) {
	render := func(d []DiffLine) string {
		var b strings.Builder
		for _, l := range d {
			b.WriteString([]string{" ", "-", "+"}[l.Op] + l.Text + "\n")
		}
		return b.String()
	}
	cases := []struct{ name, before, after, want string }{
		{"Same", "a\nb", "a\nb", " a\n b\n"},
		{"Changed", "a\nb\nc\nd", "a\nB\nc\nd\ne", " a\n-b\n+B\n c\n d\n+e\n"},
		{"FromNothing", "", "a\nb", "+a\n+b\n"},
		{"ToNothing", "a", "", "-a\n"},
		{"Moved", "x\ny\nz", "y\nz\nx", "-x\n y\n z\n+x\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := render(DiffText(c.before, c.after)); got != c.want {
				t.Errorf("DiffText(%q, %q) =\n%s\nwant\n%s", c.before, c.after, got, c.want)
			}
		})
	}
}

// Every lifecycle error has its message key, and every key is listed.
func TestSummaryErrorKey(t *testing.T) {
	for _, err := range []error{ErrSummaryEdited, ErrSummaryPublished, ErrSummaryIllegalStep, ErrSummaryStale, ErrSummarySessionNotHeld} {
		key := SummaryErrorKey(fmt.Errorf("wrapped: %w", err))
		if !strings.HasPrefix(key, "summary.err.") || !slices.Contains(SummaryErrorKeys, strings.TrimPrefix(key, "summary.err.")) {
			t.Errorf("%v: key %q", err, key)
		}
		if !errors.Is(err, ErrConflict) {
			t.Errorf("%v is no ErrConflict", err)
		}
	}
	if SummaryErrorKey(ErrNotFound) != "" {
		t.Error("ErrNotFound has a summary key")
	}
}
