package portal_test

import (
	"slices"
	"testing"

	"ngoportal/internal/portal"
)

func TestSortByName(t *testing.T) {
	type ngo struct{ zh, en string }
	// Code-point order of the Chinese names is 女医师, 女建筑师, 女律师; byte
	// order of the English ones puts capitals first.
	ngos := []ngo{
		{"女医师", "Women Physicians"},
		{"女建筑师", "women architects"},
		{"女律师", "Women lawyers"},
		{"妇女儿童", "Élan for Children"},
	}
	zh := func(n ngo) string { return n.zh }
	en := func(n ngo) string { return n.en }
	for _, tc := range []struct {
		name    string
		english bool
		want    []string
	}{
		{"ChineseByPinyin", false, []string{"妇女儿童", "女建筑师", "女律师", "女医师"}},
		{"EnglishAlphabetically", true, []string{"Élan for Children", "women architects", "Women lawyers", "Women Physicians"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list := slices.Clone(ngos)
			portal.SortByName(list, tc.english, zh, en)
			var got []string
			for _, n := range list {
				got = append(got, map[bool]string{false: n.zh, true: n.en}[tc.english])
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
