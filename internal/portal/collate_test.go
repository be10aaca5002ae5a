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

func TestSortOfficials(t *testing.T) {
	// Precedence first; within a post, pinyin (许 xǔ before 张 zhāng) or
	// the English names alphabetically (Élodie before Zhang, which
	// code-point order reverses).
	list := []portal.Official{
		{NameZH: "张丽", NameEN: "Zhang Li", Position: portal.PositionViceChair},
		{NameZH: "王敏", NameEN: "Wang Min", Position: portal.PositionOther},
		{NameZH: "许埃洛迪", NameEN: "Élodie Xu", Position: portal.PositionViceChair},
		{NameZH: "徐峰", NameEN: "Xu Feng", Position: portal.PositionChair},
	}
	for _, tc := range []struct {
		name    string
		english bool
		want    []string
	}{
		{"ChineseByPinyin", false, []string{"徐峰", "许埃洛迪", "张丽", "王敏"}},
		{"EnglishAlphabetically", true, []string{"Xu Feng", "Élodie Xu", "Zhang Li", "Wang Min"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := slices.Clone(list)
			portal.SortOfficials(l, tc.english)
			var got []string
			for _, o := range l {
				got = append(got, map[bool]string{false: o.NameZH, true: o.NameEN}[tc.english])
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
