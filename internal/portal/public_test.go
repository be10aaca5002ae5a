package portal

import (
	"strings"
	"testing"
)

func TestMakeSnippet(t *testing.T) {
	text := "2021年1月19日，上海市妇女联合会召开2021年上海市女性社会组织负责人年度会议。"
	s := MakeSnippet(text, []string{"妇女联合会"}, 5)
	if s.Match != "妇女联合会" || s.Before != "…日，上海市" || s.After != "召开202…" {
		t.Errorf("zh snippet = %#v", s)
	}
	en := "The association organises women doctors for free clinics."
	s = MakeSnippet(en, []string{"organised", "organis"}, 10)
	if s.Match != "organises" || s.Before != "…sociation " || s.After != " women doc…" {
		t.Errorf("stem snippet = %#v", s)
	}
	s = MakeSnippet(en, []string{"DOCTORS"}, 100)
	if s.Match != "doctors" || s.String() != en {
		t.Errorf("case-insensitive snippet = %#v", s)
	}
	s = MakeSnippet(en, []string{"absent"}, 10)
	if s.Match != "" || s.Before != "The association orga…" {
		t.Errorf("no match = %#v", s)
	}
}

func TestNormalizeSearchQuery(t *testing.T) {
	if got := NormalizeSearchQuery("  妇联 \n  women\x00 "); got != "妇联 women" {
		t.Errorf("got %q", got)
	}
	if got := NormalizeSearchQuery(strings.Repeat("字", 300)); len([]rune(got)) != MaxSearchQuery {
		t.Errorf("long query kept %d characters", len([]rune(got)))
	}
}
