// Package export builds the files the federation downloads from a reporting
// cycle: CSV files and XLSX workbooks of the NGOs' reports, and the
// indicators. Its functions are pure: they take the rows the repository
// read and the reader's translator, and return bytes.
package export

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Column is one column of a table: its header and, optionally, its width
// in a workbook (in characters; 0 sizes it to its contents).
type Column struct {
	Header string
	Width  float64
}

// Table is one CSV file or one sheet of a workbook: a header row and rows
// of cells. A cell is a string, an int or int64 (stored as a number), a
// time.Time (a calendar day, stored as a date; the zero time is an empty
// cell) or nil (empty).
type Table struct {
	Sheet   string // the sheet's name in a workbook: at most 31 characters, none of : \ / ? * [ ]
	Columns []Column
	Rows    [][]any
}

// SafeCell neutralises a text a spreadsheet program would run as a formula
// (CSV injection): one starting with = + - @, a tab or a carriage return
// gets a single quote in front. Only CSV needs this: a workbook stores
// text as text.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// csvCell formats one cell for CSV: numbers in digits, dates as
// YYYY-MM-DD, texts made safe.
func csvCell(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return SafeCell(x), nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case time.Time:
		if x.IsZero() {
			return "", nil
		}
		return x.Format(time.DateOnly), nil
	}
	return "", fmt.Errorf("export: cell of type %T", v)
}

// CSV writes t as a CSV file for spreadsheet programs: UTF-8 with a byte
// order mark (so that Excel reads the Chinese as UTF-8), CRLF line ends,
// the header row first.
func CSV(t Table) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	header := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = SafeCell(c.Header)
	}
	if err := w.Write(header); err != nil {
		return nil, fmt.Errorf("export %s: %w", t.Sheet, err)
	}
	for n, row := range t.Rows {
		if len(row) != len(t.Columns) {
			return nil, fmt.Errorf("export %s: row %d has %d cells, want %d", t.Sheet, n+1, len(row), len(t.Columns))
		}
		rec := make([]string, len(row))
		for i, v := range row {
			s, err := csvCell(v)
			if err != nil {
				return nil, err
			}
			rec[i] = s
		}
		if err := w.Write(rec); err != nil {
			return nil, fmt.Errorf("export %s: %w", t.Sheet, err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("export %s: %w", t.Sheet, err)
	}
	return buf.Bytes(), nil
}

// Bounds of a computed column width, in characters.
const (
	minWidth = 8
	maxWidth = 60
)

// textWidth is roughly how many character cells s takes in a spreadsheet:
// two for each wide (Chinese) character.
func textWidth(s string) float64 {
	w := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
			r >= 0xFF00 && r <= 0xFFEF || r >= 0x3000 && r <= 0x303F {
			w += 2
		} else {
			w++
		}
	}
	return float64(w)
}

// width is the column's width: the one set, else enough for its widest
// cell within bounds.
func width(t Table, col int) float64 {
	if w := t.Columns[col].Width; w > 0 {
		return w
	}
	w := textWidth(t.Columns[col].Header)
	for _, row := range t.Rows {
		var cw float64
		switch x := row[col].(type) {
		case string:
			cw = textWidth(x)
		case int, int64:
			s, _ := csvCell(x)
			cw = float64(utf8.RuneCountInString(s))
		case time.Time:
			cw = 10
		}
		w = max(w, cw)
	}
	return min(max(w+2, minWidth), maxWidth)
}

// XLSX writes the tables as the sheets of one workbook, in order: each with
// a bold header row that stays in view (frozen), numbers stored as numbers,
// dates as dates shown YYYY-MM-DD, and column widths set.
func XLSX(tables ...Table) ([]byte, error) {
	if len(tables) == 0 {
		return nil, fmt.Errorf("export: a workbook needs a sheet")
	}
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return nil, fmt.Errorf("export: header style: %w", err)
	}
	dateFmt := "yyyy-mm-dd"
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return nil, fmt.Errorf("export: date style: %w", err)
	}
	first := f.GetSheetName(0)
	for i, t := range tables {
		if i == 0 {
			err = f.SetSheetName(first, t.Sheet)
		} else {
			_, err = f.NewSheet(t.Sheet)
		}
		if err != nil {
			return nil, fmt.Errorf("export: sheet %q: %w", t.Sheet, err)
		}
		if err := writeSheet(f, t, bold, date); err != nil {
			return nil, fmt.Errorf("export: sheet %q: %w", t.Sheet, err)
		}
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("export: write workbook: %w", err)
	}
	return buf.Bytes(), nil
}

func writeSheet(f *excelize.File, t Table, bold, date int) error {
	name := t.Sheet
	if len(t.Columns) == 0 {
		return fmt.Errorf("no columns")
	}
	for i, c := range t.Columns {
		cell, err := excelize.CoordinatesToCellName(i+1, 1)
		if err != nil {
			return err
		}
		if err := f.SetCellStr(name, cell, c.Header); err != nil {
			return err
		}
	}
	last, err := excelize.CoordinatesToCellName(len(t.Columns), 1)
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(name, "A1", last, bold); err != nil {
		return err
	}
	for r, row := range t.Rows {
		if len(row) != len(t.Columns) {
			return fmt.Errorf("row %d has %d cells, want %d", r+1, len(row), len(t.Columns))
		}
		for c, v := range row {
			cell, err := excelize.CoordinatesToCellName(c+1, r+2)
			if err != nil {
				return err
			}
			switch x := v.(type) {
			case nil:
			case string:
				err = f.SetCellStr(name, cell, x)
			case int:
				err = f.SetCellInt(name, cell, int64(x))
			case int64:
				err = f.SetCellInt(name, cell, x)
			case time.Time:
				if x.IsZero() {
					break
				}
				// A calendar day: the same day at midnight, whatever zone
				// it was read in.
				day := time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC)
				if err = f.SetCellValue(name, cell, day); err == nil {
					err = f.SetCellStyle(name, cell, cell, date)
				}
			default:
				err = fmt.Errorf("cell of type %T", v)
			}
			if err != nil {
				return err
			}
		}
	}
	for i := range t.Columns {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := f.SetColWidth(name, col, col, width(t, i)); err != nil {
			return err
		}
	}
	return f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}
