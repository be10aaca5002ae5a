package server

import (
	"net/http"

	"ngoportal/internal/portal"
	"ngoportal/web/federation"
)

// parseTermForm reads the theme or key project form in one pass: the
// values as typed (cleaned), the term of kind k they describe (active), and
// portal.Term.Validate's findings. A malformed version is 400.
func parseTermForm(r *http.Request, k portal.VocabularyKind) (federation.TermValues, portal.Term, map[string]string, error) {
	p, err := parsePostForm(r)
	if err != nil {
		return federation.TermValues{}, portal.Term{}, nil, err
	}
	version, err := formVersion(p)
	if err != nil {
		return federation.TermValues{}, portal.Term{}, nil, err
	}
	text := func(name string) string { return portal.CleanText(p.Get(name)) }
	v := federation.TermValues{NameZH: text("name_zh"), NameEN: text("name_en"),
		DescriptionZH: text("description_zh"), DescriptionEN: text("description_en"), Version: version}
	t := portal.Term{Kind: k, NameZH: v.NameZH, NameEN: v.NameEN, DescriptionZH: v.DescriptionZH,
		DescriptionEN: v.DescriptionEN, Active: true, Version: v.Version}
	return v, t, t.Validate(), nil
}

// termValuesFrom fills the form from a saved term.
func termValuesFrom(t portal.Term) federation.TermValues {
	return federation.TermValues{NameZH: t.NameZH, NameEN: t.NameEN, DescriptionZH: t.DescriptionZH,
		DescriptionEN: t.DescriptionEN, Version: t.Version}
}
