package portal

import (
	"time"
	"unicode/utf8"
)

// ValidateReturn checks a reviewer's return of a report: a comment, or at
// least one section comment (keyed by ReportSections), within bounds, on
// known sections. It returns the cleaned comment and section comments
// (empty ones dropped), or a *ValidationError.
func ValidateReturn(comment string, sections map[string]string) (string, map[string]string, error) {
	errs := map[string]string{}
	comment = CleanText(comment)
	if utf8.RuneCountInString(comment) > MaxReturnComment {
		errs["comment"] = "report.err.too_long"
	}
	clean := map[string]string{}
	for s, c := range sections {
		c = CleanText(c)
		switch {
		case !ValidSection(s):
			errs["comment"] = "report.err.section_invalid"
		case utf8.RuneCountInString(c) > MaxReturnSectionComment:
			errs["section_comments."+s] = "report.err.too_long"
		case c != "":
			clean[s] = c
		}
	}
	if comment == "" && len(clean) == 0 && len(errs) == 0 {
		errs["comment"] = "report.err.comment_required"
	}
	if len(errs) > 0 {
		return "", nil, &ValidationError{Fields: errs}
	}
	return comment, clean, nil
}

// ReportBoardRow is one NGO's line on a cycle's review board.
type ReportBoardRow struct {
	NGOID       int64
	NGONameZH   string
	NGONameEN   string
	ReportID    int64        // 0 when not started
	Status      ReportStatus // ReportNotStarted when there is no report
	SubmittedAt time.Time    // the latest submission; zero when never submitted
	Deadline    time.Time    // the NGO's effective deadline
	Extended    bool         // the NGO has an extension
	Overdue     bool         // the deadline has passed and no submission is waiting or accepted
}
