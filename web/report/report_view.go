package report

import (
	"strconv"
	"strings"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
)

// joinNames joins names with the locale's list separator.
func joinNames(t i18n.Translator, names []string) string {
	return strings.Join(names, t.T("review.view.list_sep"))
}

// requestLabel names one request of the cycle's session by number and text;
// an unknown id is shown by its number only.
func requestLabel(t i18n.Translator, l portal.ReportLabels, id int64) string {
	q, ok := l.Requests[id]
	if !ok {
		return "#" + strconv.FormatInt(id, 10)
	}
	return t.T("review.view.request_number", "Number", q.Number) + t.T("review.view.label_sep") + t.Pick(q.TextZH, q.TextEN)
}

// SectionComment is a reviewer's comment on one report section.
type SectionComment struct {
	Section string
	Comment string
}

// SectionComments lists a return's comments per section in page order,
// skipping unknown sections and empty comments.
func SectionComments(m map[string]string) []SectionComment {
	var out []SectionComment
	for _, s := range portal.ReportSections {
		if c := m[s]; c != "" {
			out = append(out, SectionComment{Section: s, Comment: c})
		}
	}
	return out
}

// reportRegionLabel names a report table's scrollable region: its caption
// when it has one, else the section's name.
func reportRegionLabel(t i18n.Translator, caption, sectionKey string) string {
	if caption != "" {
		return caption
	}
	return t.T(sectionKey)
}
