package report

import (
	"slices"
	"strconv"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
)

// OutcomeGroup is one group of the outcomes section of a report of cycle
// N+1: a request the session of cycle N addressed to the NGO, with the
// NGO's answer to it and the plan items that answer it, or (Other) the
// plan items that answer none of those requests.
type OutcomeGroup struct {
	Other       bool
	AnswerIndex int // index of the request's answer in Report.Answers; -1 for Other
	portal.RequestAnswer
	// Asked are the items whose outcome is given in this group; Listed the
	// items that also answer this request but are asked under a
	// lower-numbered one, named here only.
	Asked  []OutcomeItem
	Listed []OutcomeItem
}

// OutcomeItem is one progress row in a group.
type OutcomeItem struct {
	Index int // index in Report.Progress (and in the form's progress rows)
	portal.Progress
	// AskedUnder is the number of the request the item is asked under;
	// Also the numbers of the other requests it answers, lowest first.
	AskedUnder int
	Also       []int
}

// GroupOutcomes groups a report's progress rows by the request each plan
// item answers, in the order of the answers (the requests by number). An
// item answering several requests is asked once, under the lowest-numbered,
// and listed under the others; items answering none of the answered
// requests come last, in the Other group, which is left out when empty.
// Every request has its group, with or without items.
func GroupOutcomes(progress []portal.Progress, answers []portal.RequestAnswer) []OutcomeGroup {
	groupOf := map[int64]int{} // request id → group index
	groups := make([]OutcomeGroup, 0, len(answers)+1)
	for i, a := range answers {
		groupOf[a.RequestID] = len(groups)
		groups = append(groups, OutcomeGroup{AnswerIndex: i, RequestAnswer: a})
	}
	other := OutcomeGroup{Other: true, AnswerIndex: -1}
	for i, p := range progress {
		var in []int // group indexes, in request number order
		for _, id := range p.RequestIDs {
			if g, ok := groupOf[id]; ok {
				in = append(in, g)
			}
		}
		slices.SortFunc(in, func(a, b int) int {
			if groups[a].Number != groups[b].Number {
				return groups[a].Number - groups[b].Number
			}
			return a - b
		})
		in = slices.Compact(in)
		item := OutcomeItem{Index: i, Progress: p}
		if len(in) == 0 {
			other.Asked = append(other.Asked, item)
			continue
		}
		item.AskedUnder = groups[in[0]].Number
		for _, g := range in[1:] {
			item.Also = append(item.Also, groups[g].Number)
		}
		groups[in[0]].Asked = append(groups[in[0]].Asked, item)
		for _, g := range in[1:] {
			groups[g].Listed = append(groups[g].Listed, item)
		}
	}
	if len(other.Asked) > 0 {
		groups = append(groups, other)
	}
	return groups
}

// requestNumbers names requests by number in a list: "2、3" / "2, 3".
func requestNumbers(t i18n.Translator, numbers []int) string {
	var names []string
	for _, n := range numbers {
		names = append(names, strconv.Itoa(n))
	}
	return joinNames(t, names)
}

// progressInput is progress row i as typed in the form; blank past the
// form's rows.
func (v StaffReportView) progressInput(i int) ReportProgressInput {
	if i < len(v.Form.Progress) {
		return v.Form.Progress[i]
	}
	return ReportProgressInput{}
}

// answerInput is the answer to request row i as typed in the form.
func (v StaffReportView) answerInput(i int) string {
	if i < len(v.Form.Answers) {
		return v.Form.Answers[i].Answer
	}
	return ""
}

// sectionHeading is the heading of section s on the report's pages: the
// progress section holds the answers to the requests too.
func sectionHeading(t i18n.Translator, s string) string {
	if s == portal.SectionProgress {
		return t.T("outcome.section")
	}
	return t.T("report.section." + s)
}

// WithOutcomeLinks returns snapshot c with the requests and origin of each
// progress row that the snapshot does not hold, taken from the report's
// current rows (matched by plan item): submissions made before the
// snapshots kept them group by request too.
func WithOutcomeLinks(c portal.ReportContent, current []portal.Progress) portal.ReportContent {
	byItem := map[int64]portal.Progress{}
	for _, p := range current {
		if p.PreviousPlanItemID != 0 {
			byItem[p.PreviousPlanItemID] = p
		}
	}
	c.Progress = slices.Clone(c.Progress)
	for i, p := range c.Progress {
		if x, ok := byItem[p.PreviousPlanItemID]; ok && len(p.RequestIDs) == 0 && !p.FromAddendum {
			c.Progress[i].RequestIDs, c.Progress[i].FromAddendum = x.RequestIDs, x.FromAddendum
		}
	}
	return c
}

// outcomeRequests names, for a table cell, the requests (among answers)
// progress row p's plan item answers, and whether it came from the plan
// addendum: "Request 1, Request 2, added after the session".
func outcomeRequests(t i18n.Translator, p portal.Progress, answers []portal.RequestAnswer) string {
	var names []string
	for _, g := range GroupOutcomes([]portal.Progress{p}, answers) {
		if len(g.Asked) > 0 && !g.Other {
			names = append(names, t.T("review.view.request_number", "Number", g.Number))
			for _, n := range g.Asked[0].Also {
				names = append(names, t.T("review.view.request_number", "Number", n))
			}
		}
	}
	if p.FromAddendum {
		names = append(names, t.T("outcome.addendum"))
	}
	return joinNames(t, names)
}
