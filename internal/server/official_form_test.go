package server

import (
	"net/url"
	"strings"
	"testing"
)

func TestParseOfficialForm(t *testing.T) {
	valid := func() url.Values {
		return url.Values{"name_zh": {"李华"}, "name_en": {"Li Hua"}, "position": {"other"},
			"term_start": {"2024-01-01"}, "active": {"on"}}
	}
	tests := []struct{ name, field, value, wantField, wantKey string }{
		{"OK", "", "", "", ""},
		{"OKTermEnd", "term_end", "2024-12-31", "", ""},
		{"ErrNameZHRequired", "name_zh", " ", "name_zh", "official.err.name_zh_required"},
		{"ErrNameENRequired", "name_en", "", "name_en", "official.err.name_en_required"},
		{"ErrNameTooLong", "name_en", strings.Repeat("a", 101), "name_en", "official.err.name_too_long"},
		{"ErrPositionInvalid", "position", "king", "position", "official.err.position_invalid"},
		{"ErrTermStartRequired", "term_start", "", "term_start", "official.err.term_start_required"},
		{"ErrTermStartInvalid", "term_start", "2024-13-01", "term_start", "official.err.date_invalid"},
		{"ErrTermEndInvalid", "term_end", "soon", "term_end", "official.err.date_invalid"},
		{"ErrTermEndBeforeStart", "term_end", "2023-01-01", "term_end", "official.err.term_end_before_start"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := valid()
			if tc.field != "" {
				f.Set(tc.field, tc.value)
			}
			v, o, errs, err := parseOfficialForm(postForm("/", f))
			if err != nil {
				t.Fatal(err)
			}
			wantOnlyError(t, errs, tc.wantField, tc.wantKey)
			if tc.wantField == "" && (o.TermStart.IsZero() || !o.Active || v.NameZH != "李华") {
				t.Errorf("parsed %+v from %+v", o, v)
			}
		})
	}
	t.Run("RoundTrip", func(t *testing.T) {
		f := valid()
		f.Set("term_end", "2025-06-30")
		f.Set("version", "4")
		v, o, _, err := parseOfficialForm(postForm("/", f))
		if err != nil {
			t.Fatal(err)
		}
		if back := officialValuesFrom(o); back != v {
			t.Errorf("officialValuesFrom = %+v, want %+v", back, v)
		}
	})
}
