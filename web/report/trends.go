package report

import (
	"strconv"

	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// The trends page's charts, by the name their CSV file goes by.
const (
	TrendModes  = "modes"
	TrendKinds  = "kinds"
	TrendPeople = "people"
	TrendRates  = "rates"
)

// TrendCharts lists the charts in the order the page shows them.
var TrendCharts = []string{TrendModes, TrendKinds, TrendPeople, TrendRates}

// TrendsView is the federation's figures across the years: one chart per
// figure group, each followed by a table of the same numbers and a CSV
// download of that table.
type TrendsView struct {
	ui.Page
	Charts []TrendChart // none when there is no cycle
}

// TrendChart is one chart of the trends page with its table.
type TrendChart struct {
	Name    string // TrendModes…
	Heading string
	Line    bool // a line chart; else bars
	Chart   ui.Chart
	Table   TrendTable
	CSVPath string
}

// TrendTable is the data table that follows a chart: one row per cycle.
// The CSV download is this table, cell for cell.
type TrendTable struct {
	Caption   string
	RowHeader string
	Columns   []string
	Rows      []TrendRow
}

// TrendRow is one cycle's row.
type TrendRow struct {
	Label string
	Cells []TrendCell
}

// TrendCell is one cell: a count (Number), a share (Text "50%") or no
// value (Missing, Text says so).
type TrendCell struct {
	Text    string
	Value   int64
	Number  bool
	Missing bool
}

// NewTrendsView lays out tr's charts and tables in p's language; csvPath
// names each chart's download.
func NewTrendsView(p ui.Page, tr portal.Trends, csvPath func(chart string) string) TrendsView {
	v := TrendsView{Page: p}
	if len(tr.Cycles) == 0 {
		return v
	}
	b := trendBuilder{p: p, tr: tr}
	for _, name := range TrendCharts {
		var c TrendChart
		switch name {
		case TrendModes:
			c = b.modes()
		case TrendKinds:
			c = b.kinds()
		case TrendPeople:
			c = b.people()
		case TrendRates:
			c = b.rates()
		}
		c.Name, c.CSVPath = name, csvPath(name)
		c.Chart.ID = "trend-" + name
		c.Chart.Categories = b.categories()
		c.Chart.NoDataLabel = p.T.T("trends.no_value")
		c.Table.RowHeader = p.T.T("trends.col.year")
		for i, cat := range c.Chart.Categories {
			c.Table.Rows[i].Label = cat
		}
		v.Charts = append(v.Charts, c)
	}
	return v
}

// Chart returns the chart named name; ok is false for no such chart.
func (v TrendsView) Chart(name string) (TrendChart, bool) {
	for _, c := range v.Charts {
		if c.Name == name {
			return c, true
		}
	}
	return TrendChart{}, false
}

type trendBuilder struct {
	p  ui.Page
	tr portal.Trends
}

func (b trendBuilder) categories() []string {
	out := make([]string, len(b.tr.Cycles))
	for i, c := range b.tr.Cycles {
		out[i] = b.p.T.T("trends.year", "Year", c.ReviewYear)
	}
	return out
}

// years is the first and last review year, for the descriptions.
func (b trendBuilder) years() []any {
	return []any{"From", b.tr.Cycles[0].ReviewYear, "To", b.tr.Cycles[len(b.tr.Cycles)-1].ReviewYear}
}

func count(n int64) TrendCell { return TrendCell{Text: ui.GroupDigits(n), Value: n, Number: true} }

func (b trendBuilder) missing() TrendCell {
	return TrendCell{Text: b.p.T.T("trends.no_value"), Missing: true}
}

// counted is n as a cell and a chart value, or no value when the cycle has
// no accepted report.
func (b trendBuilder) counted(c portal.CycleTrend, n int64) (TrendCell, ui.ChartValue) {
	if !c.Counted() {
		return b.missing(), ui.ChartValue{}
	}
	return count(n), ui.Known(float64(n))
}

// rate is r's percent as a cell and a chart value.
func (b trendBuilder) rate(r portal.Rate) (TrendCell, ui.ChartValue) {
	p, ok := r.Percent()
	if !ok {
		return b.missing(), ui.ChartValue{}
	}
	return TrendCell{Text: percent(p)}, ui.Known(float64(p))
}

// known is a count cell, or no value when !ok.
func (b trendBuilder) known(n int, ok bool) TrendCell {
	if !ok {
		return b.missing()
	}
	return count(int64(n))
}

func percent(p int) string { return strconv.Itoa(p) + "%" }

func percentTick(f float64) string { return percent(int(f)) }

// activityChart is a bar chart of activities by one dimension: series
// names and each cycle's count for series i.
func (b trendBuilder) activityChart(names []string, value func(c portal.CycleTrend, i int) int) ([]ui.ChartSeries, []TrendRow) {
	series := make([]ui.ChartSeries, len(names))
	for i, n := range names {
		series[i].Name = n
	}
	rows := make([]TrendRow, len(b.tr.Cycles))
	for ci, c := range b.tr.Cycles {
		rows[ci].Cells = append(rows[ci].Cells, count(int64(c.Accepted)))
		for i := range names {
			cell, cv := b.counted(c, int64(value(c, i)))
			series[i].Values = append(series[i].Values, cv)
			rows[ci].Cells = append(rows[ci].Cells, cell)
		}
		total, _ := b.counted(c, int64(c.Activities))
		rows[ci].Cells = append(rows[ci].Cells, total)
	}
	return series, rows
}

func (b trendBuilder) modes() TrendChart {
	t := b.p.T
	names := make([]string, len(portal.ActivityModes))
	for i, m := range portal.ActivityModes {
		names[i] = t.T("report.mode." + string(m))
	}
	series, rows := b.activityChart(names, func(c portal.CycleTrend, i int) int { return c.ActivitiesByMode[portal.ActivityModes[i]] })
	heading := t.T("trends.modes.title")
	return TrendChart{
		Heading: heading,
		Chart: ui.Chart{Title: heading, Desc: t.T("trends.modes.desc", b.years()...), Series: series,
			AxisLabel: t.T("export.col.activities")},
		Table: TrendTable{Caption: t.T("trends.modes.caption"),
			Columns: append(append([]string{t.T("trends.col.accepted")}, names...), t.T("trends.col.activities_total")),
			Rows:    rows},
	}
}

func (b trendBuilder) kinds() TrendChart {
	t := b.p.T
	// The kinds that occur in some cycle, in the form's order: a stack of
	// seven mostly empty kinds would say nothing more.
	var kinds []portal.ActivityKind
	for _, k := range portal.ActivityKinds {
		for _, c := range b.tr.Cycles {
			if c.ActivitiesByKind[k] > 0 {
				kinds = append(kinds, k)
				break
			}
		}
	}
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = t.T("report.kind." + string(k))
	}
	series, rows := b.activityChart(names, func(c portal.CycleTrend, i int) int { return c.ActivitiesByKind[kinds[i]] })
	heading := t.T("trends.kinds.title")
	return TrendChart{
		Heading: heading,
		Chart: ui.Chart{Title: heading, Desc: t.T("trends.kinds.desc", b.years()...), Series: series, Stacked: true,
			AxisLabel: t.T("export.col.activities")},
		Table: TrendTable{Caption: t.T("trends.kinds.caption"),
			Columns: append(append([]string{t.T("trends.col.accepted")}, names...), t.T("trends.col.activities_total")),
			Rows:    rows},
	}
}

func (b trendBuilder) people() TrendChart {
	t := b.p.T
	people := ui.ChartSeries{Name: t.T("report.field.people_reached")}
	women := ui.ChartSeries{Name: t.T("trends.col.women_reached")}
	rows := make([]TrendRow, len(b.tr.Cycles))
	for i, c := range b.tr.Cycles {
		pc, pv := b.counted(c, c.PeopleReached)
		wc, wv := b.counted(c, c.WomenReached)
		people.Values = append(people.Values, pv)
		women.Values = append(women.Values, wv)
		rows[i].Cells = []TrendCell{pc, wc}
	}
	heading := t.T("trends.people.title")
	return TrendChart{
		Heading: heading, Line: true,
		Chart: ui.Chart{Title: heading, Desc: t.T("trends.people.desc", b.years()...),
			Series: []ui.ChartSeries{people, women}, AxisLabel: t.T("trends.axis.people")},
		Table: TrendTable{Caption: t.T("trends.people.caption"), Columns: []string{people.Name, women.Name}, Rows: rows},
	}
}

func (b trendBuilder) rates() TrendChart {
	t := b.p.T
	attendance := ui.ChartSeries{Name: t.T("trends.rate.attendance")}
	onTime := ui.ChartSeries{Name: t.T("trends.rate.on_time")}
	completion := ui.ChartSeries{Name: t.T("trends.rate.completion")}
	rows := make([]TrendRow, len(b.tr.Cycles))
	for i, c := range b.tr.Cycles {
		ac, av := b.rate(c.Attendance)
		oc, ov := b.rate(c.OnTime)
		cr := c.Completion()
		cc, cv := b.rate(cr)
		attendance.Values = append(attendance.Values, av)
		onTime.Values = append(onTime.Values, ov)
		completion.Values = append(completion.Values, cv)
		rows[i].Cells = []TrendCell{
			b.known(c.Attendance.Num, c.Attendance.Known), b.known(c.Attendance.Den, c.Attendance.Known), ac,
			b.known(c.OnTime.Num, c.OnTime.Known), b.known(c.OnTime.Den, c.OnTime.Known), oc,
			b.known(c.Plan.Done, cr.Known), b.known(c.Plan.Partly, cr.Known), b.known(c.Plan.NotDone, cr.Known),
			b.known(c.Plan.NotReported, cr.Known), b.known(c.Plan.Items(), cr.Known), cc,
		}
	}
	heading := t.T("trends.rates.title")
	return TrendChart{
		Heading: heading, Line: true,
		Chart: ui.Chart{Title: heading, Desc: t.T("trends.rates.desc", b.years()...),
			Series: []ui.ChartSeries{attendance, onTime, completion}, Max: 100, Format: percentTick,
			AxisLabel: t.T("trends.axis.percent")},
		Table: TrendTable{Caption: t.T("trends.rates.caption"), Columns: []string{
			t.T("trends.col.present"), t.T("trends.col.invited"), attendance.Name,
			t.T("trends.col.on_time"), t.T("trends.col.expected"), onTime.Name,
			t.T("report.progress.done"), t.T("report.progress.partly"), t.T("report.progress.not_done"),
			t.T("trends.col.not_reported"), t.T("trends.col.plan_items"), completion.Name,
		}, Rows: rows},
	}
}
