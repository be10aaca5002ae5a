package export

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
)

// Report is one NGO's report as the exports show it: its status and dates,
// its rows (activities, media work, plan items) and the NGO's names.
type Report struct {
	portal.Report
	NGOSlug   string
	NGONameZH string
	NGONameEN string
}

// CycleData is what a cycle's exports hold: the reports, in the registry's
// order (by NGO id), and the names their rows refer to.
type CycleData struct {
	CycleID    int64
	ReviewYear int
	PlanYear   int
	Reports    []Report
	Labels     portal.ReportLabels
}

// ExportedStatuses are the reports the admin's exports hold: every report
// submitted at least once. A draft never sent to the federation is left
// out; a returned one is in, as the NGO is revising it now.
var ExportedStatuses = []portal.ReportStatus{portal.ReportSubmitted, portal.ReportReturned, portal.ReportAccepted}

// CycleFileName is the name of one of a cycle's export files, such as
// cycle-2020-activities.csv; part "" names the whole workbook
// (cycle-2020.xlsx).
func CycleFileName(reviewYear int, part, ext string) string {
	name := "cycle-" + strconv.Itoa(reviewYear)
	if part != "" {
		name += "-" + part
	}
	return name + "." + ext
}

// ReportFileName is the name of one NGO's report workbook, such as
// report-2026-women-lawyers.xlsx.
func ReportFileName(reviewYear int, ngoSlug string) string {
	return "report-" + strconv.Itoa(reviewYear) + "-" + ngoSlug + ".xlsx"
}

// day is the calendar day of a moment in Shanghai, zero for zero.
func day(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	t = t.In(portal.FederationZone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// ngoColumns are the leading columns of every admin table.
func ngoColumns(t i18n.Translator) []Column {
	return []Column{{Header: t.T("export.col.ngo_zh")}, {Header: t.T("export.col.ngo_en")}}
}

// ReportsTable has one row per report: the NGO, the status, the dates, the
// legal representative, the totals of its rows and its public highlight.
func ReportsTable(t i18n.Translator, d CycleData) Table {
	tb := Table{Sheet: t.T("export.sheet.reports"), Columns: append(ngoColumns(t),
		Column{Header: t.T("export.col.status")},
		Column{Header: t.T("export.col.submitted_on")},
		Column{Header: t.T("export.col.accepted_on")},
		Column{Header: t.T("report.field.legal_representative")},
		Column{Header: t.T("export.col.activities")},
		Column{Header: t.T("report.field.people_reached")},
		Column{Header: t.T("report.field.women_reached")},
		Column{Header: t.T("export.col.media_items")},
		Column{Header: t.T("export.col.media_reads")},
		Column{Header: t.T("export.col.plan_items")},
		Column{Header: t.T("report.field.highlight"), Width: 50},
	)}
	for _, r := range d.Reports {
		var people, women, items, reads int64
		for _, a := range r.Activities {
			people += int64(a.PeopleReached)
			women += int64(a.WomenReached)
		}
		for _, m := range r.Media {
			items += int64(m.Items)
			reads += m.Reads
		}
		tb.Rows = append(tb.Rows, []any{r.NGONameZH, r.NGONameEN, t.T("report.status." + string(r.Status)),
			day(r.SubmittedAt), day(r.AcceptedAt), r.LegalRepresentative,
			len(r.Activities), people, women, items, reads, len(r.PlanItems), r.Highlight})
	}
	return tb
}

// leading returns the NGO and status cells of a row of report r, or none
// for a single NGO's workbook.
func leading(t i18n.Translator, r Report, withNGO bool) []any {
	if !withNGO {
		return nil
	}
	return []any{r.NGONameZH, r.NGONameEN, t.T("report.status." + string(r.Status))}
}

func leadingColumns(t i18n.Translator, withNGO bool) []Column {
	if !withNGO {
		return nil
	}
	return append(ngoColumns(t), Column{Header: t.T("export.col.status")})
}

// joined lists names with the locale's separator.
func joined(t i18n.Translator, names []string) string {
	return strings.Join(names, t.T("export.list_sep"))
}

// ActivitiesTable has one row per activity. withNGO adds the NGO's names
// and the report's status in front (the cycle's export); a single NGO's
// workbook leaves them out.
func ActivitiesTable(t i18n.Translator, d CycleData, withNGO bool) Table {
	tb := Table{Sheet: t.T("export.sheet.activities"), Columns: append(leadingColumns(t, withNGO),
		Column{Header: t.T("report.field.title"), Width: 40},
		Column{Header: t.T("report.field.kind")},
		Column{Header: t.T("report.field.mode")},
		Column{Header: t.T("report.field.starts_on")},
		Column{Header: t.T("report.field.ends_on")},
		Column{Header: t.T("report.field.people_reached")},
		Column{Header: t.T("report.field.women_reached")},
		Column{Header: t.T("report.field.partners"), Width: 30},
		Column{Header: t.T("report.field.themes"), Width: 30},
	)}
	for _, r := range d.Reports {
		for _, a := range r.Activities {
			tb.Rows = append(tb.Rows, append(leading(t, r, withNGO),
				a.Title, t.T("report.kind."+string(a.Kind)), t.T("report.mode."+string(a.Mode)),
				day(a.StartsOn), day(a.EndsOn), a.PeopleReached, a.WomenReached, a.Partners,
				joined(t, d.Labels.ThemeNames(a.ThemeIDs, t.Pick))))
		}
	}
	return tb
}

// MediaTable has one row per line of new-media work.
func MediaTable(t i18n.Translator, d CycleData, withNGO bool) Table {
	tb := Table{Sheet: t.T("export.sheet.media"), Columns: append(leadingColumns(t, withNGO),
		Column{Header: t.T("report.field.channel")},
		Column{Header: t.T("report.field.items")},
		Column{Header: t.T("report.field.reads")},
	)}
	for _, r := range d.Reports {
		for _, m := range r.Media {
			tb.Rows = append(tb.Rows, append(leading(t, r, withNGO),
				t.T("report.channel."+string(m.Channel)), m.Items, m.Reads))
		}
	}
	return tb
}

// PlanItemsTable has one row per plan item; the requests it answers are
// listed by number.
func PlanItemsTable(t i18n.Translator, d CycleData, withNGO bool) Table {
	tb := Table{Sheet: t.T("export.sheet.plan_items"), Columns: append(leadingColumns(t, withNGO),
		Column{Header: t.T("report.field.title"), Width: 40},
		Column{Header: t.T("report.field.description"), Width: 50},
		Column{Header: t.T("report.field.quarter")},
		Column{Header: t.T("report.field.key_project"), Width: 30},
		Column{Header: t.T("report.field.themes"), Width: 30},
		Column{Header: t.T("export.col.requests")},
	)}
	for _, r := range d.Reports {
		for _, p := range r.PlanItems {
			tb.Rows = append(tb.Rows, append(leading(t, r, withNGO),
				p.Title, p.Description, t.T("report.quarter."+strconv.Itoa(p.Quarter)),
				d.Labels.ProjectName(p.KeyProjectID, t.Pick),
				joined(t, d.Labels.ThemeNames(p.ThemeIDs, t.Pick)),
				requestNumbers(d.Labels, p.RequestIDs)))
		}
	}
	return tb
}

// requestNumbers lists the numbers of the requests, in order, such as
// "1, 2"; an unknown id is skipped.
func requestNumbers(l portal.ReportLabels, ids []int64) string {
	var nums []int
	for _, id := range ids {
		if q, ok := l.Requests[id]; ok {
			nums = append(nums, q.Number)
		}
	}
	slices.Sort(nums)
	parts := make([]string, len(nums))
	for i, n := range nums {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ", ")
}

// IndicatorsTable is the cycle's figures over its accepted reports: one
// row per NGO counted and a last row of totals; a column per activity kind
// and mode, media channel, theme, key project and request answered.
func IndicatorsTable(t i18n.Translator, ind portal.Indicators) Table {
	type col struct {
		header string
		value  func(s portal.IndicatorSet) int64
	}
	cols := []col{{t.T("export.col.activities"), func(s portal.IndicatorSet) int64 { return int64(s.Activities) }}}
	for _, k := range portal.ActivityKinds {
		cols = append(cols, col{t.T("export.ind.by_kind", "Name", t.T("report.kind."+string(k))),
			func(s portal.IndicatorSet) int64 { return int64(s.ActivitiesByKind[k]) }})
	}
	for _, m := range portal.ActivityModes {
		cols = append(cols, col{t.T("export.ind.by_mode", "Name", t.T("report.mode."+string(m))),
			func(s portal.IndicatorSet) int64 { return int64(s.ActivitiesByMode[m]) }})
	}
	cols = append(cols,
		col{t.T("report.field.people_reached"), func(s portal.IndicatorSet) int64 { return s.PeopleReached }},
		col{t.T("report.field.women_reached"), func(s portal.IndicatorSet) int64 { return s.WomenReached }},
		col{t.T("export.col.women_share"), func(s portal.IndicatorSet) int64 { return int64(s.WomenSharePercent()) }},
		col{t.T("export.col.media_items"), func(s portal.IndicatorSet) int64 { return s.MediaItems }},
		col{t.T("export.col.media_reads"), func(s portal.IndicatorSet) int64 { return s.MediaReads }},
	)
	for _, c := range portal.MediaChannels {
		name := t.T("report.channel." + string(c))
		cols = append(cols,
			col{t.T("export.ind.channel_items", "Name", name), func(s portal.IndicatorSet) int64 { return s.MediaByChannel[c].Items }},
			col{t.T("export.ind.channel_reads", "Name", name), func(s portal.IndicatorSet) int64 { return s.MediaByChannel[c].Reads }})
	}
	cols = append(cols, col{t.T("export.col.plan_items"), func(s portal.IndicatorSet) int64 { return int64(s.PlanItems) }})
	for _, th := range ind.Themes {
		cols = append(cols, col{t.T("export.ind.by_theme", "Name", t.Pick(th.NameZH, th.NameEN)),
			func(s portal.IndicatorSet) int64 { return int64(s.PlanItemsByTheme[th.ID]) }})
	}
	cols = append(cols, col{t.T("export.ind.no_theme"), func(s portal.IndicatorSet) int64 { return int64(s.PlanItemsByTheme[0]) }})
	for _, p := range ind.Projects {
		cols = append(cols, col{t.T("export.ind.by_project", "Name", t.Pick(p.NameZH, p.NameEN)),
			func(s portal.IndicatorSet) int64 { return int64(s.PlanItemsByProject[p.ID]) }})
	}
	cols = append(cols, col{t.T("export.ind.no_project"), func(s portal.IndicatorSet) int64 { return int64(s.PlanItemsByProject[0]) }})
	for _, q := range ind.Requests {
		cols = append(cols, col{t.T("export.ind.by_request", "Number", q.Number),
			func(s portal.IndicatorSet) int64 { return int64(s.PlanItemsByRequest[q.ID]) }})
	}
	cols = append(cols, col{t.T("export.ind.no_request"), func(s portal.IndicatorSet) int64 { return int64(s.PlanItemsByRequest[0]) }})

	tb := Table{Sheet: t.T("export.sheet.indicators"), Columns: ngoColumns(t)}
	for _, c := range cols {
		tb.Columns = append(tb.Columns, Column{Header: c.header})
	}
	row := func(zh, en string, s portal.IndicatorSet) []any {
		out := []any{zh, en}
		for _, c := range cols {
			out = append(out, c.value(s))
		}
		return out
	}
	for _, n := range ind.NGOs {
		tb.Rows = append(tb.Rows, row(n.NGONameZH, n.NGONameEN, n.IndicatorSet))
	}
	tb.Rows = append(tb.Rows, row(t.T("export.total"), "", ind.Total))
	return tb
}

// CycleWorkbook is the cycle's workbook: the reports, their activities and
// plan items (every report submitted at least once), and the indicators
// (accepted reports only).
func CycleWorkbook(t i18n.Translator, d CycleData, ind portal.Indicators) ([]byte, error) {
	if d.CycleID != ind.CycleID {
		return nil, fmt.Errorf("export: data of cycle %d, indicators of cycle %d", d.CycleID, ind.CycleID)
	}
	return XLSX(ReportsTable(t, d), ActivitiesTable(t, d, true), PlanItemsTable(t, d, true), IndicatorsTable(t, ind))
}

// ReportWorkbook is one NGO's report as a workbook: its activities, new-media
// work and plan items, without the NGO columns.
func ReportWorkbook(t i18n.Translator, d CycleData) ([]byte, error) {
	return XLSX(ActivitiesTable(t, d, false), MediaTable(t, d, false), PlanItemsTable(t, d, false))
}
