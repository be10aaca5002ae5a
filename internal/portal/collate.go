package portal

import (
	"cmp"
	"slices"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// NameCompare returns the comparison of names a reader expects: for a reader
// of Chinese (english false) Chinese names by pinyin (女建筑师, 女律师,
// 女医师, not the code-point order 女医师, 女建筑师, 女律师), for a reader of
// English English names alphabetically, ignoring case and accents. The
// database sorts its name columns the same way (their ICU collations); this
// is for lists sorted in Go.
func NameCompare(english bool) func(a, b string) int {
	// A Collator keeps a buffer and is not safe for concurrent use: one per call.
	c := collate.New(language.Chinese)
	if english {
		c = collate.New(language.English, collate.Loose)
	}
	return c.CompareString
}

// SortByName sorts items stably by name in the reader's language: by their
// Chinese name (zh) in pinyin order, or, for a reader of English, by their
// English name (en) alphabetically. Items with the same name keep their
// order.
func SortByName[T any](items []T, english bool, zh, en func(T) string) {
	name := zh
	if english {
		name = en
	}
	cmp := NameCompare(english)
	slices.SortStableFunc(items, func(a, b T) int { return cmp(name(a), name(b)) })
}

// SortOfficials sorts officials by precedence (Positions) and, within a
// post, by name in the reader's language, as SortByName does.
func SortOfficials(list []Official, english bool) {
	name := NameCompare(english)
	slices.SortStableFunc(list, func(a, b Official) int {
		if c := cmp.Compare(slices.Index(Positions, a.Position), slices.Index(Positions, b.Position)); c != 0 {
			return c
		}
		if english {
			return name(a.NameEN, b.NameEN)
		}
		return name(a.NameZH, b.NameZH)
	})
}
