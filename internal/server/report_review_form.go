package server

import (
	"net/http"

	"ngoportal/internal/portal"
	"ngoportal/web/report"
)

// parseReviewForm reads the review form: the version the reviewer saw and
// the comments as typed (overall and per section), to send or to show
// again. The rules about the comments are portal.ValidateReturn's, applied
// by the repository.
func parseReviewForm(r *http.Request) (report.ReviewValues, int, error) {
	version, err := parseVersion(r)
	if err != nil {
		return report.ReviewValues{}, 0, err
	}
	p := r.PostForm
	v := report.ReviewValues{Comment: p.Get("comment"), Sections: map[string]string{}}
	for _, s := range portal.ReportSections {
		v.Sections[s] = p.Get("section_" + s)
	}
	return v, version, nil
}
