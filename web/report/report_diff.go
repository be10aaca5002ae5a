package report

import (
	"strconv"

	"github.com/rivo/uniseg"
	"github.com/sergi/go-diff/diffmatchpatch"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// DiffOp says whether a run of text is in both versions, only the earlier
// (deleted) or only the later (inserted).
type DiffOp int8

// The runs of a word diff.
const (
	DiffSame DiffOp = iota
	DiffDeleted
	DiffInserted
)

// DiffPart is one run of a word diff.
type DiffPart struct {
	Op   DiffOp
	Text string
}

// diffTokens splits s at the word boundaries of Unicode's text
// segmentation (UAX #29): a run of Latin letters or digits is one word,
// while Chinese, which has no spaces, falls apart into its characters, so
// one changed character of a Chinese sentence is marked alone.
func diffTokens(s string) []string {
	var out []string
	state := -1
	for len(s) > 0 {
		var w string
		w, s, state = uniseg.FirstWordInString(s, state)
		out = append(out, w)
	}
	return out
}

// tokenRune encodes token number i as one rune, skipping the surrogate
// range, which a Go string cannot hold.
func tokenRune(i int) rune {
	r := rune(i)
	if r >= 0xD800 {
		r += 0x800
	}
	return r
}

func runeToken(r rune) int {
	if r >= 0xD800+0x800 {
		r -= 0x800
	}
	return int(r)
}

// WordDiff compares before and after word by word (character by character
// in Chinese): the runs both share, and those deleted and inserted, in
// reading order.
func WordDiff(before, after string) []DiffPart {
	index := map[string]int{}
	var tokens []string
	encode := func(s string) []rune {
		var rs []rune
		for _, w := range diffTokens(s) {
			i, ok := index[w]
			if !ok {
				i = len(tokens)
				index[w] = i
				tokens = append(tokens, w)
			}
			rs = append(rs, tokenRune(i))
		}
		return rs
	}
	a, b := encode(before), encode(after)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // texts are short (a few thousand characters at most): the exact diff
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMainRunes(a, b, false))
	var out []DiffPart
	for _, d := range diffs {
		var text string
		for _, r := range d.Text {
			text += tokens[runeToken(r)]
		}
		op := DiffSame
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = DiffDeleted
		case diffmatchpatch.DiffInsert:
			op = DiffInserted
		}
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += text
			continue
		}
		out = append(out, DiffPart{Op: op, Text: text})
	}
	return out
}

// keep is the parts of a word diff one side shows: the earlier version
// (without the insertions) or the later one (without the deletions).
func keep(parts []DiffPart, drop DiffOp) []DiffPart {
	var out []DiffPart
	for _, p := range parts {
		if p.Op != drop {
			out = append(out, p)
		}
	}
	return out
}

// BeforeParts is the earlier text with its deleted runs marked.
func (c TextChange) BeforeParts() []DiffPart { return keep(WordDiff(c.Before, c.After), DiffInserted) }

// AfterParts is the later text with its inserted runs marked.
func (c TextChange) AfterParts() []DiffPart { return keep(WordDiff(c.Before, c.After), DiffDeleted) }

// RowChange says how a row of a changed table differs.
type RowChange string

// The kinds of row change.
const (
	RowChanged RowChange = "changed"
	RowRemoved RowChange = "removed"
	RowAdded   RowChange = "added"
)

// DiffCell is one cell of a changed row: its word diff, and whether it
// changed at all.
type DiffCell struct {
	Parts   []DiffPart
	Changed bool
	Num     bool // a number column: aligned right
}

// DiffRow is one row of a changes table.
type DiffRow struct {
	Change RowChange
	Cells  []DiffCell
}

// DiffTable is a section's changed rows with the section's columns.
type DiffTable struct {
	Headers []string
	Num     []bool // per column: a number
	Rows    []DiffRow
}

// rowTable is the section's column headings and its rows as the read-only
// tables show them, one text per cell.
func rowTable(t i18n.Translator, l portal.ReportLabels, section string, c portal.ReportContent) (headers []string, num []bool, rows [][]string) {
	h := func(keys ...string) {
		for _, k := range keys {
			headers = append(headers, t.T(k))
		}
	}
	n := ui.GroupDigits
	switch section {
	case portal.SectionActivities:
		h("report.field.title", "report.field.kind", "report.field.mode", "review.view.dates",
			"report.field.people_reached", "report.field.women_reached", "report.field.partners", "report.field.themes")
		num = []bool{false, false, false, false, true, true, false, false}
		for _, a := range c.Activities {
			rows = append(rows, []string{a.Title, t.T("report.kind." + string(a.Kind)), t.T("report.mode." + string(a.Mode)),
				ui.CalendarDay(t, a.StartsOn) + " – " + ui.CalendarDay(t, a.EndsOn), n(int64(a.PeopleReached)), n(int64(a.WomenReached)),
				a.Partners, joinNames(t, l.ThemeNames(a.ThemeIDs, t.Pick))})
		}
	case portal.SectionMedia:
		h("report.field.channel", "report.field.items", "report.field.reads")
		num = []bool{false, true, true}
		for _, m := range c.Media {
			rows = append(rows, []string{t.T("report.channel." + string(m.Channel)), n(int64(m.Items)), n(m.Reads)})
		}
	case portal.SectionPlan:
		h("report.field.title", "report.field.description", "report.field.quarter", "report.field.key_project",
			"report.field.themes", "report.field.requests")
		num = make([]bool, 6)
		for _, p := range c.PlanItems {
			var reqs []string
			for _, id := range p.RequestIDs {
				reqs = append(reqs, requestLabel(t, l, id))
			}
			rows = append(rows, []string{p.Title, p.Description, t.T("report.quarter." + strconv.Itoa(p.Quarter)),
				l.ProjectName(p.KeyProjectID, t.Pick), joinNames(t, l.ThemeNames(p.ThemeIDs, t.Pick)), joinNames(t, reqs)})
		}
	case portal.SectionProgress:
		h("report.field.title", "review.view.request", "report.field.status", "report.field.note")
		num = make([]bool, 4)
		for _, p := range c.Progress {
			status := t.T("review.view.unanswered")
			if p.Status != portal.ProgressUnanswered {
				status = t.T("report.progress." + string(p.Status))
			}
			rows = append(rows, []string{p.Title, outcomeRequests(t, p, c.Answers), status, p.Note})
		}
	case portal.SectionAnswers:
		h("review.view.request", "report.field.answer")
		num = make([]bool, 2)
		for _, a := range c.Answers {
			answer := a.Answer
			if answer == "" {
				answer = t.T("review.view.unanswered")
			}
			rows = append(rows, []string{t.T("review.view.request_number", "Number", a.Number) + " " + t.Pick(a.TextZH, a.TextEN), answer})
		}
	}
	return headers, num, rows
}

// ChangeTable lays out a section's changed rows: a row only the earlier
// version has is paired with one only the later has (first those with the
// same first cell, then in order) and shown as changed, its changed cells
// marked word by word; the rest are shown as removed or added.
func ChangeTable(t i18n.Translator, l portal.ReportLabels, c SectionChange) DiffTable {
	headers, num, removed := rowTable(t, l, c.Section, c.Removed)
	_, _, added := rowTable(t, l, c.Section, c.Added)
	tbl := DiffTable{Headers: headers, Num: num}
	pairOf := make([]int, len(removed)) // removed row → added row, -1 for none
	used := make([]bool, len(added))
	for i := range removed {
		pairOf[i] = -1
		for j := range added {
			if !used[j] && removed[i][0] == added[j][0] {
				pairOf[i], used[j] = j, true
				break
			}
		}
	}
	for i := range removed {
		for j := range added {
			if pairOf[i] < 0 && !used[j] {
				pairOf[i], used[j] = j, true
			}
		}
	}
	whole := func(change RowChange, cells []string, op DiffOp) DiffRow {
		r := DiffRow{Change: change}
		for k, s := range cells {
			r.Cells = append(r.Cells, DiffCell{Parts: []DiffPart{{Op: op, Text: s}}, Changed: s != "", Num: num[k]})
		}
		return r
	}
	for i, before := range removed {
		if pairOf[i] < 0 {
			tbl.Rows = append(tbl.Rows, whole(RowRemoved, before, DiffDeleted))
			continue
		}
		after := added[pairOf[i]]
		r := DiffRow{Change: RowChanged}
		for k := range before {
			cell := DiffCell{Num: num[k], Changed: before[k] != after[k]}
			switch {
			case !cell.Changed:
				cell.Parts = []DiffPart{{Op: DiffSame, Text: after[k]}}
			case num[k]:
				// A number changes as a whole: "1200" to "1500", not "1[2→5]00".
				cell.Parts = []DiffPart{{Op: DiffDeleted, Text: before[k]}, {Op: DiffInserted, Text: after[k]}}
			default:
				cell.Parts = WordDiff(before[k], after[k])
			}
			r.Cells = append(r.Cells, cell)
		}
		tbl.Rows = append(tbl.Rows, r)
	}
	for j, after := range added {
		if !used[j] {
			tbl.Rows = append(tbl.Rows, whole(RowAdded, after, DiffInserted))
		}
	}
	return tbl
}
