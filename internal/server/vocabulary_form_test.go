package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"ngoportal/internal/portal"
	"ngoportal/web/federation"
)

func TestParseTermForm(t *testing.T) {
	valid := func() federation.TermValues {
		return federation.TermValues{NameZH: "乡村振兴", NameEN: "Rural revitalisation", DescriptionZH: "", DescriptionEN: ""}
	}
	tests := []struct {
		name   string
		change func(*federation.TermValues)
		field  string
		key    string
	}{
		{"OK", func(*federation.TermValues) {}, "", ""},
		{"OKLongestNames", func(f *federation.TermValues) {
			f.NameZH, f.NameEN = strings.Repeat("乡", 60), strings.Repeat("r", 100)
			f.DescriptionZH, f.DescriptionEN = strings.Repeat("说", 500), strings.Repeat("d", 500)
		}, "", ""},
		{"ErrNameZHRequired", func(f *federation.TermValues) { f.NameZH = "" }, "name_zh", "vocabulary.err.name_zh_required"},
		{"ErrNameENRequired", func(f *federation.TermValues) { f.NameEN = "" }, "name_en", "vocabulary.err.name_en_required"},
		{"ErrNameZHTooLong", func(f *federation.TermValues) { f.NameZH = strings.Repeat("乡", 61) }, "name_zh", "vocabulary.err.name_zh_too_long"},
		{"ErrNameENTooLong", func(f *federation.TermValues) { f.NameEN = strings.Repeat("r", 101) }, "name_en", "vocabulary.err.name_en_too_long"},
		{"ErrDescriptionZHTooLong", func(f *federation.TermValues) { f.DescriptionZH = strings.Repeat("说", 501) }, "description_zh", "vocabulary.err.description_zh_too_long"},
		{"ErrDescriptionENTooLong", func(f *federation.TermValues) { f.DescriptionEN = strings.Repeat("d", 501) }, "description_en", "vocabulary.err.description_en_too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := valid()
			tt.change(&f)
			_, _, errs, err := parseTermForm(postTermValues(f), portal.KindTheme)
			if err != nil {
				t.Fatal(err)
			}
			wantOnlyError(t, errs, tt.field, tt.key)
		})
	}
	t.Run("CleansAndTrims", func(t *testing.T) {
		f, term, errs, err := parseTermForm(postTermValues(federation.TermValues{NameZH: "  乡村振兴 ", NameEN: "\tRural "}), portal.KindTheme)
		if err != nil || len(errs) != 0 || f.NameZH != "乡村振兴" || f.NameEN != "Rural" || term.NameZH != "乡村振兴" {
			t.Errorf("cleaned %+v, %+v, errors %v, %v", f, term, errs, err)
		}
		_, _, errs, _ = parseTermForm(postTermValues(federation.TermValues{NameZH: "   ", NameEN: "x"}), portal.KindTheme)
		if errs["name_zh"] != "vocabulary.err.name_zh_required" {
			t.Error("a name of spaces only passed")
		}
	})
	t.Run("TermKeepsKindAndIsActive", func(t *testing.T) {
		_, term, _, err := parseTermForm(postTermValues(valid()), portal.KindProject)
		if err != nil || term.Kind != portal.KindProject || !term.Active || term.NameZH != "乡村振兴" {
			t.Errorf("term = %+v, %v", term, err)
		}
	})
	t.Run("ErrBadVersion", func(t *testing.T) {
		form := url.Values{"name_zh": {"甲"}, "name_en": {"A"}, "version": {"0"}}
		if _, _, _, err := parseTermForm(postForm("/", form), portal.KindTheme); err != errBadRequest {
			t.Errorf("version 0 gave %v, want errBadRequest", err)
		}
	})
}

// postTermValues is the vocabulary form posted with f's values.
func postTermValues(f federation.TermValues) *http.Request {
	return postForm("/", url.Values{"name_zh": {f.NameZH}, "name_en": {f.NameEN},
		"description_zh": {f.DescriptionZH}, "description_en": {f.DescriptionEN}})
}
