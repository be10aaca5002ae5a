package report

import (
	"log/slog"
	"reflect"
	"testing"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
)

func TestGroupOutcomes(t *testing.T) {
	answers := []portal.RequestAnswer{{RequestID: 10, Number: 1}, {RequestID: 20, Number: 2}, {RequestID: 30, Number: 3}}
	progress := []portal.Progress{
		{Title: "a", RequestIDs: []int64{30, 20}}, // asked under 2, listed under 3
		{Title: "b"}, // other
		{Title: "c", RequestIDs: []int64{10}, FromAddendum: true},
		{Title: "d", RequestIDs: []int64{99}}, // a request not addressed: other
	}
	type group struct {
		Number         int
		Other          bool
		Asked, Listed  []string
		Also           [][]int
		AskedUnderList []int
	}
	summarize := func(gs []OutcomeGroup) []group {
		var out []group
		for _, g := range gs {
			x := group{Number: g.Number, Other: g.Other}
			for _, it := range g.Asked {
				x.Asked = append(x.Asked, it.Title)
				x.Also = append(x.Also, it.Also)
			}
			for _, it := range g.Listed {
				x.Listed = append(x.Listed, it.Title)
				x.AskedUnderList = append(x.AskedUnderList, it.AskedUnder)
			}
			out = append(out, x)
		}
		return out
	}
	t.Run("OK", func(t *testing.T) {
		got := summarize(GroupOutcomes(progress, answers))
		want := []group{
			{Number: 1, Asked: []string{"c"}, Also: [][]int{nil}},
			{Number: 2, Asked: []string{"a"}, Also: [][]int{{3}}},
			{Number: 3, Listed: []string{"a"}, AskedUnderList: []int{2}},
			{Other: true, Asked: []string{"b", "d"}, Also: [][]int{nil, nil}},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("groups\n%+v\nwant\n%+v", got, want)
		}
	})
	t.Run("NoOtherWhenEmpty", func(t *testing.T) {
		gs := GroupOutcomes(progress[2:3], answers)
		if len(gs) != 3 || gs[2].Other {
			t.Errorf("groups %+v", gs)
		}
	})
	t.Run("Indexes", func(t *testing.T) {
		gs := GroupOutcomes(progress, answers)
		if gs[0].Asked[0].Index != 2 || gs[1].AnswerIndex != 1 || gs[3].AnswerIndex != -1 || gs[3].Asked[1].Index != 3 {
			t.Errorf("indexes %+v", gs)
		}
	})
}

func TestWithOutcomeLinks(t *testing.T) {
	current := []portal.Progress{{PreviousPlanItemID: 5, RequestIDs: []int64{10}, FromAddendum: true}}
	old := portal.ReportContent{Progress: []portal.Progress{{PreviousPlanItemID: 5}, {PreviousPlanItemID: 6}}}
	got := WithOutcomeLinks(old, current)
	if !reflect.DeepEqual(got.Progress[0].RequestIDs, []int64{10}) || !got.Progress[0].FromAddendum || got.Progress[1].RequestIDs != nil {
		t.Errorf("filled %+v", got.Progress)
	}
	if old.Progress[0].RequestIDs != nil {
		t.Error("the snapshot itself changed")
	}
}

// TestProgressChangeNamesRequests: the comparison of two submissions names
// the requests a changed progress row's item answers, and its origin.
func TestProgressChangeNamesRequests(t *testing.T) {
	cat, err := i18n.Load(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	tr := cat.Translator(i18n.En)
	answers := []portal.RequestAnswer{{RequestID: 10, Number: 1}, {RequestID: 20, Number: 2}}
	row := portal.Progress{PreviousPlanItemID: 5, Title: "Exchange week", RequestIDs: []int64{20, 10}, FromAddendum: true}
	prev := portal.ReportContent{Progress: []portal.Progress{row}, Answers: answers}
	cur := prev
	cur.Progress = []portal.Progress{row}
	cur.Progress[0].Status = portal.ProgressDone
	changes := ReportChanges(prev, cur)
	if len(changes) != 1 || changes[0].Section != portal.SectionProgress {
		t.Fatalf("changes %+v", changes)
	}
	tbl := ChangeTable(tr, portal.ReportLabels{}, changes[0])
	if len(tbl.Headers) != 4 || tbl.Headers[1] != tr.T("review.view.request") {
		t.Fatalf("headers %v", tbl.Headers)
	}
	want := tr.T("review.view.request_number", "Number", 1) + tr.T("review.view.list_sep") +
		tr.T("review.view.request_number", "Number", 2) + tr.T("review.view.list_sep") + tr.T("outcome.addendum")
	if got := outcomeRequests(tr, row, answers); got != want {
		t.Errorf("requests cell %q, want %q", got, want)
	}
}
