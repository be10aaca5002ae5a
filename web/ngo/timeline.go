package ngo

import (
	"strconv"
	"strings"

	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// TimelineView is one NGO's history year by year, newest first: for
// admins any NGO's, for staff their own. The same view serves both; the
// server fills in the links each one may follow.
type TimelineView struct {
	ui.Page
	Timeline portal.Timeline
	Years    []TimelineYearView
	BackPath string // the admin's NGO page, or the staff home
}

// TimelineYearView is one year of the timeline with its links.
type TimelineYearView struct {
	portal.TimelineYear
	ReportPath string // "" when there is no report
	Sessions   []TimelineSessionView
}

// TimelineSessionView is a session of the year with the link to its page;
// Link is "" when the reader has no page for it (staff of an NGO that was
// not invited).
type TimelineSessionView struct {
	portal.TimelineSession
	Link string
}

// Anchor is the id of the year's heading, which the overview links to.
func (y TimelineYearView) Anchor() string { return "year-" + strconv.Itoa(y.Year) }

// Heading is the year's heading: the year under review.
func (v TimelineView) Heading(y TimelineYearView) string {
	return v.T.T("timeline.year.heading", "Year", y.Year)
}

// CycleName names the year's reporting cycle, as everywhere else.
func (v TimelineView) CycleName(y TimelineYearView) string {
	return v.T.T("cycle.years", "ReviewYear", y.Year, "PlanYear", y.PlanYear())
}

// ReportStatus is the year's report status in words, or that there is none.
func (v TimelineView) ReportStatus(y TimelineYearView) string {
	if y.Report == nil {
		return v.T.T("timeline.report.none")
	}
	return v.T.T("report.status." + string(y.Report.Status))
}

// NoFigures says why the year shows no figures.
func (v TimelineView) NoFigures(y TimelineYearView) string {
	if y.Report == nil {
		return v.T.T("timeline.figures.no_report")
	}
	return v.T.T("timeline.figures.not_accepted", "Status", v.ReportStatus(y))
}

// Figure formats one count of the year as the indicators page does, or a
// dash when the year has no accepted report to count.
func (v TimelineView) Figure(y TimelineYearView, n int64) string {
	if !y.Counted {
		return "—"
	}
	return ui.GroupDigits(n)
}

// FigureRow is one line of a year's figures.
type FigureRow struct {
	Label string
	Value string
	Sub   bool // a part of the line before it ("of which online")
}

// Figures are the lines of the year's figures table.
func (v TimelineView) Figures(y TimelineYearView) []FigureRow {
	f := y.Figures
	rows := []FigureRow{{Label: v.T.T("timeline.figures.activities"), Value: ui.GroupDigits(int64(f.Activities))}}
	for _, m := range portal.ActivityModes {
		rows = append(rows, FigureRow{Label: v.T.T("timeline.figures.of_mode", "Mode", v.T.T("report.mode."+string(m))),
			Value: ui.GroupDigits(int64(f.ActivitiesByMode[m])), Sub: true})
	}
	return append(rows,
		FigureRow{Label: v.T.T("report.field.people_reached"), Value: ui.GroupDigits(f.PeopleReached)},
		FigureRow{Label: v.T.T("report.field.women_reached"), Value: ui.GroupDigits(f.WomenReached)},
		FigureRow{Label: v.T.T("timeline.figures.media_items"), Value: ui.GroupDigits(f.MediaItems)},
		FigureRow{Label: v.T.T("timeline.figures.media_reads"), Value: ui.GroupDigits(f.MediaReads)},
	)
}

// Attended is the overview's attendance cell: present at a session of
// the year, invited but not present, or not invited at all.
func (v TimelineView) Attended(y TimelineYearView) string {
	switch {
	case y.Attended():
		return v.T.T("invitation.attendance.present")
	case y.Invited():
		return v.T.T("timeline.summary.not_present")
	default:
		return v.T.T("timeline.session.not_invited")
	}
}

// Invited reports whether the NGO was invited to any session of the year.
func (y TimelineYearView) Invited() bool {
	for _, s := range y.Sessions {
		if s.Invited {
			return true
		}
	}
	return false
}

// Rate is the year's plan completion rate in whole percent, rounded down,
// or a dash when there are no plan items.
func (v TimelineView) Rate(y TimelineYearView) string {
	rate, ok := y.Outcomes.CompletionRate()
	if !ok {
		return "—"
	}
	return v.T.T("timeline.plan.percent", "Percent", int(rate*100+1e-9))
}

// RateSentence is the year's completion rate with the counts behind it.
func (v TimelineView) RateSentence(y TimelineYearView) string {
	c := y.Outcomes
	return v.T.T("timeline.plan.rate", "PlanYear", y.PlanYear(), "Rate", v.Rate(y), "Done", c.Done, "Partly", c.Partly,
		"NotDone", c.NotDone, "NotReported", c.NotReported, "Items", c.Items())
}

// NoPlanItems says why the year lists no plan items.
func (v TimelineView) NoPlanItems(y TimelineYearView) string {
	if y.Report != nil && y.Report.Status != portal.ReportAccepted {
		return v.T.T("timeline.plan.not_accepted")
	}
	return v.T.T("timeline.plan.none", "PlanYear", y.PlanYear())
}

// Outcome names a plan item's outcome.
func (v TimelineView) Outcome(o portal.Outcome) string {
	switch o {
	case portal.OutcomeDone:
		return v.T.T("report.progress.done")
	case portal.OutcomePartly:
		return v.T.T("report.progress.partly")
	case portal.OutcomeNotDone:
		return v.T.T("report.progress.not_done")
	default:
		return v.T.T("timeline.outcome.not_reported")
	}
}

// Response names an NGO's answer to a request.
func (v TimelineView) Response(s portal.ResponseStatus) string {
	switch s {
	case portal.ResponsePlanned:
		return v.T.T("timeline.response.planned")
	case portal.ResponseNothing:
		return v.T.T("timeline.response.nothing")
	default:
		return v.T.T("timeline.response.none")
	}
}

// RequestNumbers lists the numbers of the requests a plan item answers:
// "1、2" or "1, 2"; "" for none.
func (v TimelineView) RequestNumbers(p portal.TimelinePlanItem) string {
	if len(p.Requests) == 0 {
		return ""
	}
	parts := make([]string, len(p.Requests))
	for i, n := range p.Requests {
		parts[i] = strconv.Itoa(n)
	}
	return v.T.T("timeline.plan.answers", "Numbers", strings.Join(parts, v.T.T("timeline.list_sep")))
}

// ItemTitle is a plan item's title, or a note that it has none yet.
func (v TimelineView) ItemTitle(title string) string {
	if strings.TrimSpace(title) == "" {
		return v.T.T("timeline.plan.untitled")
	}
	return title
}

// JoinNames lists names the way the page's language does: "李红、王芳",
// "Li Hong, Wang Fang".
func (v TimelineView) JoinNames(names []string) string {
	return strings.Join(names, v.T.T("timeline.list_sep"))
}
