package report

import (
	"context"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/a-h/templ"

	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// IndicatorsView is a reporting cycle's indicators over its accepted
// reports, in total and NGO by NGO, with the links to the export files.
type IndicatorsView struct {
	ui.Page
	Ind         portal.Indicators
	NGOsOnBoard int // NGOs on the cycle's review board
	Exported    int // reports submitted at least once: those the files hold
	CyclePath   string
	// Pager is the page of NGOs the per-NGO tables show (their total row
	// and the breakdowns above count every NGO); the export files list
	// every NGO.
	Pager ui.Pager

	ReportsCSVPath    string
	ActivitiesCSVPath string
	PlanItemsCSVPath  string
	WorkbookPath      string
}

// IndicatorColumn is one figure column of a per-NGO table.
type IndicatorColumn struct {
	Label   string
	Value   func(portal.IndicatorSet) int64
	Percent bool // the value is a share in whole percent
}

// Cell is the column's value for one set of figures, formatted.
func (c IndicatorColumn) Cell(s portal.IndicatorSet) string {
	return string(c.appendCell(nil, s))
}

// appendCell appends Cell's text to b: digits, commas, a minus sign or a
// percent sign, nothing HTML escapes.
func (c IndicatorColumn) appendCell(b []byte, s portal.IndicatorSet) []byte {
	if c.Percent {
		return append(strconv.AppendInt(b, c.Value(s), 10), '%')
	}
	return ui.AppendGroupDigits(b, c.Value(s))
}

// numCells writes the figure cells of one row of a per-NGO table, a
// <td class="num"> per column, as the template would: in Go, because templ
// passes each { value } through fmt.Sprint, which was a third of the cost of
// the 3,800 cells of a page.
func numCells(cols []IndicatorColumn, s portal.IndicatorSet) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		b := make([]byte, 0, 32*len(cols))
		for _, c := range cols {
			b = append(b, `<td class="num">`...)
			b = c.appendCell(b, s)
			b = append(b, `</td>`...)
		}
		_, err := w.Write(b)
		return err
	})
}

// IndicatorCount is one line of a breakdown of the totals: what is
// counted, and its figures, formatted.
type IndicatorCount struct {
	Label  string
	Values []string
}

// Counted reports whether any accepted report is counted.
func (v IndicatorsView) Counted() bool { return v.Ind.NGOCount > 0 }

// ActivityColumns are the per-NGO activity table's figures: activities in
// all, by each kind and mode that occurs, people and women reached.
func (v IndicatorsView) ActivityColumns() []IndicatorColumn {
	total := v.Ind.Total
	cols := []IndicatorColumn{{Label: v.T.T("export.col.activities"), Value: func(s portal.IndicatorSet) int64 { return int64(s.Activities) }}}
	for _, k := range portal.ActivityKinds {
		if total.ActivitiesByKind[k] > 0 {
			cols = append(cols, IndicatorColumn{Label: v.T.T("export.ind.by_kind", "Name", v.T.T("report.kind."+string(k))),
				Value: func(s portal.IndicatorSet) int64 { return int64(s.ActivitiesByKind[k]) }})
		}
	}
	for _, m := range portal.ActivityModes {
		if total.ActivitiesByMode[m] > 0 {
			cols = append(cols, IndicatorColumn{Label: v.T.T("export.ind.by_mode", "Name", v.T.T("report.mode."+string(m))),
				Value: func(s portal.IndicatorSet) int64 { return int64(s.ActivitiesByMode[m]) }})
		}
	}
	return append(cols,
		IndicatorColumn{Label: v.T.T("report.field.people_reached"), Value: func(s portal.IndicatorSet) int64 { return s.PeopleReached }},
		IndicatorColumn{Label: v.T.T("report.field.women_reached"), Value: func(s portal.IndicatorSet) int64 { return s.WomenReached }},
		IndicatorColumn{Label: v.T.T("export.col.women_share"), Percent: true,
			Value: func(s portal.IndicatorSet) int64 { return int64(s.WomenSharePercent()) }},
	)
}

// MediaColumns are the per-NGO new-media table's figures: items and reads
// in all and on each channel used.
func (v IndicatorsView) MediaColumns() []IndicatorColumn {
	cols := []IndicatorColumn{
		{Label: v.T.T("export.col.media_items"), Value: func(s portal.IndicatorSet) int64 { return s.MediaItems }},
		{Label: v.T.T("export.col.media_reads"), Value: func(s portal.IndicatorSet) int64 { return s.MediaReads }},
	}
	for _, c := range portal.MediaChannels {
		if _, used := v.Ind.Total.MediaByChannel[c]; !used {
			continue
		}
		name := v.T.T("report.channel." + string(c))
		cols = append(cols,
			IndicatorColumn{Label: v.T.T("export.ind.channel_items", "Name", name),
				Value: func(s portal.IndicatorSet) int64 { return s.MediaByChannel[c].Items }},
			IndicatorColumn{Label: v.T.T("export.ind.channel_reads", "Name", name),
				Value: func(s portal.IndicatorSet) int64 { return s.MediaByChannel[c].Reads }})
	}
	return cols
}

// planColumns are plan items in all, then one column per key (a theme, key
// project or request) that occurs in the totals, in labels' order, then
// one for plan items with none.
func (v IndicatorsView) planColumns(counts func(portal.IndicatorSet) map[int64]int, keys []int64, label func(i int) string, none string) []IndicatorColumn {
	cols := []IndicatorColumn{{Label: v.T.T("export.col.plan_items"), Value: func(s portal.IndicatorSet) int64 { return int64(s.PlanItems) }}}
	total := counts(v.Ind.Total)
	for i, id := range keys {
		if total[id] > 0 {
			cols = append(cols, IndicatorColumn{Label: label(i), Value: func(s portal.IndicatorSet) int64 { return int64(counts(s)[id]) }})
		}
	}
	if total[0] > 0 {
		cols = append(cols, IndicatorColumn{Label: none, Value: func(s portal.IndicatorSet) int64 { return int64(counts(s)[0]) }})
	}
	return cols
}

// ThemeColumns are the per-NGO plan items by theme.
func (v IndicatorsView) ThemeColumns() []IndicatorColumn {
	ids := make([]int64, len(v.Ind.Themes))
	for i, t := range v.Ind.Themes {
		ids[i] = t.ID
	}
	return v.planColumns(func(s portal.IndicatorSet) map[int64]int { return s.PlanItemsByTheme }, ids,
		func(i int) string { return v.T.Pick(v.Ind.Themes[i].NameZH, v.Ind.Themes[i].NameEN) }, v.T.T("export.ind.no_theme"))
}

// ProjectColumns are the per-NGO plan items by key project.
func (v IndicatorsView) ProjectColumns() []IndicatorColumn {
	ids := make([]int64, len(v.Ind.Projects))
	for i, p := range v.Ind.Projects {
		ids[i] = p.ID
	}
	return v.planColumns(func(s portal.IndicatorSet) map[int64]int { return s.PlanItemsByProject }, ids,
		func(i int) string { return v.T.Pick(v.Ind.Projects[i].NameZH, v.Ind.Projects[i].NameEN) }, v.T.T("export.ind.no_project"))
}

// RequestColumns are the per-NGO plan items by the request they answer.
func (v IndicatorsView) RequestColumns() []IndicatorColumn {
	ids := make([]int64, len(v.Ind.Requests))
	for i, q := range v.Ind.Requests {
		ids[i] = q.ID
	}
	return v.planColumns(func(s portal.IndicatorSet) map[int64]int { return s.PlanItemsByRequest }, ids,
		func(i int) string { return v.T.T("export.ind.request_label", "Number", v.Ind.Requests[i].Number) }, v.T.T("export.ind.no_request"))
}

// Breakdown lists the totals of columns (but the first, the count in all)
// one per line: the totals tables beside the per-NGO ones.
func (v IndicatorsView) Breakdown(cols []IndicatorColumn) []IndicatorCount {
	var out []IndicatorCount
	for _, c := range cols[1:] {
		out = append(out, IndicatorCount{Label: c.Label, Values: []string{c.Cell(v.Ind.Total)}})
	}
	return out
}

// KindBreakdown is the total activities of each kind that occurs.
func (v IndicatorsView) KindBreakdown() []IndicatorCount {
	var out []IndicatorCount
	for _, k := range portal.ActivityKinds {
		if n := v.Ind.Total.ActivitiesByKind[k]; n > 0 {
			out = append(out, IndicatorCount{Label: v.T.T("report.kind." + string(k)), Values: []string{ui.GroupDigits(int64(n))}})
		}
	}
	return out
}

// ModeBreakdown is the total activities of each mode that occurs.
func (v IndicatorsView) ModeBreakdown() []IndicatorCount {
	var out []IndicatorCount
	for _, m := range portal.ActivityModes {
		if n := v.Ind.Total.ActivitiesByMode[m]; n > 0 {
			out = append(out, IndicatorCount{Label: v.T.T("report.mode." + string(m)), Values: []string{ui.GroupDigits(int64(n))}})
		}
	}
	return out
}

// ChannelBreakdown is the total items and reads of each channel used.
func (v IndicatorsView) ChannelBreakdown() []IndicatorCount {
	var out []IndicatorCount
	for _, c := range portal.MediaChannels {
		if f, used := v.Ind.Total.MediaByChannel[c]; used {
			out = append(out, IndicatorCount{Label: v.T.T("report.channel." + string(c)),
				Values: []string{ui.GroupDigits(f.Items), ui.GroupDigits(f.Reads)}})
		}
	}
	return out
}

// RequestBreakdown is the total plan items answering each request, with
// the request's text shortened, and those answering none.
func (v IndicatorsView) RequestBreakdown() []IndicatorCount {
	var out []IndicatorCount
	for _, q := range v.Ind.Requests {
		if n := v.Ind.Total.PlanItemsByRequest[q.ID]; n > 0 {
			out = append(out, IndicatorCount{Label: v.T.T("export.ind.request_label", "Number", q.Number),
				Values: []string{indicatorShorten(v.T.Pick(q.TextZH, q.TextEN), 60), ui.GroupDigits(int64(n))}})
		}
	}
	if n := v.Ind.Total.PlanItemsByRequest[0]; n > 0 {
		out = append(out, IndicatorCount{Label: v.T.T("export.ind.no_request"), Values: []string{"", ui.GroupDigits(int64(n))}})
	}
	return out
}

// indicatorShorten cuts s to at most n characters, marking the cut.
func indicatorShorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
