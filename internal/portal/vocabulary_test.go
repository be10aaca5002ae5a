package portal

import (
	"strings"
	"testing"
)

func TestTermFormValidate(t *testing.T) {
	valid := func() TermForm {
		return TermForm{NameZH: "乡村振兴", NameEN: "Rural revitalisation", DescriptionZH: "", DescriptionEN: ""}
	}
	tests := []struct {
		name   string
		change func(*TermForm)
		field  string
		key    string
	}{
		{"OK", func(*TermForm) {}, "", ""},
		{"OKLongestNames", func(f *TermForm) {
			f.NameZH, f.NameEN = strings.Repeat("乡", 60), strings.Repeat("r", 100)
			f.DescriptionZH, f.DescriptionEN = strings.Repeat("说", 500), strings.Repeat("d", 500)
		}, "", ""},
		{"ErrNameZHRequired", func(f *TermForm) { f.NameZH = "" }, "name_zh", "vocabulary.err.name_zh_required"},
		{"ErrNameENRequired", func(f *TermForm) { f.NameEN = "" }, "name_en", "vocabulary.err.name_en_required"},
		{"ErrNameZHTooLong", func(f *TermForm) { f.NameZH = strings.Repeat("乡", 61) }, "name_zh", "vocabulary.err.name_zh_too_long"},
		{"ErrNameENTooLong", func(f *TermForm) { f.NameEN = strings.Repeat("r", 101) }, "name_en", "vocabulary.err.name_en_too_long"},
		{"ErrDescriptionZHTooLong", func(f *TermForm) { f.DescriptionZH = strings.Repeat("说", 501) }, "description_zh", "vocabulary.err.description_zh_too_long"},
		{"ErrDescriptionENTooLong", func(f *TermForm) { f.DescriptionEN = strings.Repeat("d", 501) }, "description_en", "vocabulary.err.description_en_too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := valid()
			tt.change(&f)
			wantOnlyError(t, f.Validate(), tt.field, tt.key)
		})
	}
	t.Run("NormalizeTrims", func(t *testing.T) {
		f := TermForm{NameZH: "  乡村振兴 ", NameEN: "\tRural "}
		f.Normalize()
		if errs := f.Validate(); len(errs) != 0 || f.NameZH != "乡村振兴" || f.NameEN != "Rural" {
			t.Errorf("normalized %+v, errors %v", f, errs)
		}
		blank := TermForm{NameZH: "   ", NameEN: "x"}
		blank.Normalize()
		if blank.Validate()["name_zh"] != "vocabulary.err.name_zh_required" {
			t.Error("a name of spaces only passed")
		}
	})
	t.Run("TermKeepsKindAndIsActive", func(t *testing.T) {
		term := valid().Term(KindProject)
		if term.Kind != KindProject || !term.Active || term.NameZH != "乡村振兴" {
			t.Errorf("Term() = %+v", term)
		}
	})
}
