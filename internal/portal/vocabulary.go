package portal

import "unicode/utf8"

// VocabularyKind is one list of the federation's vocabulary.
type VocabularyKind string

// The two lists: themes (e.g. epidemic response) and key projects. Report
// activities and plan items are tagged from them.
const (
	KindTheme   VocabularyKind = "theme"
	KindProject VocabularyKind = "project"
)

// VocabularyKinds lists the kinds in the order the pages show them.
var VocabularyKinds = []VocabularyKind{KindTheme, KindProject}

// Valid reports whether k is a known kind.
func (k VocabularyKind) Valid() bool { return k == KindTheme || k == KindProject }

// Term is one theme or key project. Terms are never deleted, because
// reports reference them; one no longer offered is retired (Active false)
// and may be restored.
type Term struct {
	ID            int64
	Kind          VocabularyKind
	NameZH        string
	NameEN        string
	DescriptionZH string
	DescriptionEN string
	Position      int // 1 is first
	Active        bool
	Version       int
}

// Theme is one of the federation's themes.
type Theme = Term

// KeyProject is one of the federation's key projects.
type KeyProject = Term

// AuditFields are the term's fields as the audit log records them.
func (t Term) AuditFields() map[string]any {
	return map[string]any{
		"name_zh": t.NameZH, "name_en": t.NameEN,
		"description_zh": t.DescriptionZH, "description_en": t.DescriptionEN,
		"active": t.Active,
	}
}

// Bounds of a term's texts, in characters.
const (
	MaxTermNameZH      = 60
	MaxTermNameEN      = 100
	MaxTermDescription = 500
)

// Validate checks the term's texts, returning field name → message key:
// both names are required, and every text has its bound.
func (t Term) Validate() map[string]string {
	errs := map[string]string{}
	check := func(field, value string, required bool, max int) {
		switch n := utf8.RuneCountInString(value); {
		case required && n == 0:
			errs[field] = "vocabulary.err." + field + "_required"
		case n > max:
			errs[field] = "vocabulary.err." + field + "_too_long"
		}
	}
	check("name_zh", t.NameZH, true, MaxTermNameZH)
	check("name_en", t.NameEN, true, MaxTermNameEN)
	check("description_zh", t.DescriptionZH, false, MaxTermDescription)
	check("description_en", t.DescriptionEN, false, MaxTermDescription)
	return errs
}
