package ui

import (
	"bytes"
	"strings"
	"testing"

	"ngoportal/internal/i18n"
)

// A required select whose first option is a real choice is invalid HTML;
// such selects drop the attribute (they always have a value).
func TestSelectFieldRequired(t *testing.T) {
	cat := catalogue(t)
	p := Page{T: cat.Translator(i18n.ZhCN)}
	render := func(opts []Option) string {
		var b bytes.Buffer
		if err := SelectField(p, Field{Name: "role", Label: "form.save", Required: true}, opts).Render(t.Context(), &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	if html := render([]Option{{Value: "", Label: "—"}, {Value: "a", Label: "A"}}); !strings.Contains(html, " required") {
		t.Error("a select with a placeholder lost its required attribute")
	}
	if html := render([]Option{{Value: "a", Label: "A"}, {Value: "b", Label: "B"}}); strings.Contains(html, " required") {
		t.Error("a select without a placeholder is marked required")
	}
}
