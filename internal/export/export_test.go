package export

import (
	"bytes"
	"encoding/csv"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
)

func translators(t *testing.T) (zh, en i18n.Translator) {
	t.Helper()
	c, err := i18n.Load(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return c.Translator(i18n.ZhCN), c.Translator(i18n.En)
}

func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestSafeCell(t *testing.T) {
	for in, want := range map[string]string{
		"":                "",
		"plain":           "plain",
		"=SUM(A1:A2)":     "'=SUM(A1:A2)",
		"+86 21 1234":     "'+86 21 1234",
		"-1":              "'-1",
		"@cmd":            "'@cmd",
		"\tx":             "'\tx",
		"\rx":             "'\rx",
		"妇联":              "妇联",
		"a=b":             "a=b",
		"'already quoted": "'already quoted",
		" =leading space": " =leading space",
	} {
		if got := SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCSV(t *testing.T) {
	tb := Table{Sheet: "x", Columns: []Column{{Header: "名称"}, {Header: "人数"}, {Header: "日期"}, {Header: "=H"}},
		Rows: [][]any{
			{"=HYPERLINK(\"http://evil\")", 1200, date("2040-03-08"), nil},
			{"line\nbreak, comma", int64(-5), time.Time{}, "@x"},
		}}
	b, err := CSV(tb)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OKBOM", func(t *testing.T) {
		if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
			t.Errorf("no UTF-8 byte order mark: % x", b[:3])
		}
	})
	t.Run("OKCRLF", func(t *testing.T) {
		if !bytes.Contains(b, []byte("日期,'=H\r\n")) || bytes.Count(b, []byte("\n")) != bytes.Count(b, []byte("\r\n")) {
			t.Errorf("lines do not end in CRLF: %q", b)
		}
	})
	t.Run("OKCells", func(t *testing.T) {
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := [][]string{
			{"名称", "人数", "日期", "'=H"},
			{`'=HYPERLINK("http://evil")`, "1200", "2040-03-08", ""},
			// Numbers are written as numbers: only texts are neutralised.
			{"line\nbreak, comma", "-5", "", "'@x"},
		}
		if !reflect.DeepEqual(recs, want) {
			t.Errorf("got  %q\nwant %q", recs, want)
		}
	})
	t.Run("ErrRowLength", func(t *testing.T) {
		if _, err := CSV(Table{Columns: []Column{{Header: "a"}}, Rows: [][]any{{"a", "b"}}}); err == nil {
			t.Error("a row longer than the header was accepted")
		}
	})
	t.Run("ErrCellType", func(t *testing.T) {
		if _, err := CSV(Table{Columns: []Column{{Header: "a"}}, Rows: [][]any{{3.5}}}); err == nil {
			t.Error("a float cell was accepted")
		}
	})
}

// openXLSX reads a workbook back.
func openXLSX(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// numericCell checks that cell holds the number want, stored as a number.
func numericCell(t *testing.T, f *excelize.File, sheet, cell, want string) {
	t.Helper()
	typ, err := f.GetCellType(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("%s!%s has type %d, want a number", sheet, cell, typ)
	}
	raw, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if raw != want {
		t.Errorf("%s!%s = %q, want %s", sheet, cell, raw, want)
	}
}

func cellValue(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestXLSX(t *testing.T) {
	b, err := XLSX(
		Table{Sheet: "Reports", Columns: []Column{{Header: "名称"}, {Header: "People"}, {Header: "Day"}, {Header: "Note", Width: 44}},
			Rows: [][]any{{"=1+1", 1200, date("2040-03-08"), nil}, {"妇女联合会妇女联合会妇女联合会", int64(7), time.Time{}, "x"}}},
		Table{Sheet: "Plan items", Columns: []Column{{Header: "A"}}},
	)
	if err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, b)
	t.Run("OKSheets", func(t *testing.T) {
		if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"Reports", "Plan items"}) {
			t.Errorf("sheets %q", got)
		}
	})
	t.Run("OKHeaderBoldAndFrozen", func(t *testing.T) {
		for _, sheet := range []string{"Reports", "Plan items"} {
			id, err := f.GetCellStyle(sheet, "A1")
			if err != nil {
				t.Fatal(err)
			}
			st, err := f.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			if st.Font == nil || !st.Font.Bold {
				t.Errorf("%s: header not bold", sheet)
			}
			p, err := f.GetPanes(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if !p.Freeze || p.YSplit != 1 || p.TopLeftCell != "A2" {
				t.Errorf("%s: panes %+v, want the first row frozen", sheet, p)
			}
		}
		if v := cellValue(t, f, "Reports", "A1"); v != "名称" {
			t.Errorf("header A1 = %q", v)
		}
	})
	t.Run("OKValues", func(t *testing.T) {
		// A text that looks like a formula stays a text in a workbook.
		if typ, _ := f.GetCellType("Reports", "A2"); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
			t.Errorf("A2 type %d, want a string", typ)
		}
		if v := cellValue(t, f, "Reports", "A2"); v != "=1+1" {
			t.Errorf("A2 = %q", v)
		}
		if formula, _ := f.GetCellFormula("Reports", "A2"); formula != "" {
			t.Errorf("A2 holds the formula %q", formula)
		}
		numericCell(t, f, "Reports", "B2", "1200")
		numericCell(t, f, "Reports", "B3", "7")
		if v := cellValue(t, f, "Reports", "C2"); v != "2040-03-08" {
			t.Errorf("date shown as %q, want 2040-03-08", v)
		}
		if raw, _ := f.GetCellValue("Reports", "C2", excelize.Options{RawCellValue: true}); raw != "51203" {
			t.Errorf("date stored as %q, want the serial 51203", raw)
		}
		for _, cell := range []string{"D2", "C3"} {
			if v := cellValue(t, f, "Reports", cell); v != "" {
				t.Errorf("%s = %q, want empty", cell, v)
			}
		}
	})
	t.Run("OKWidths", func(t *testing.T) {
		for col, want := range map[string]float64{"A": 32, "B": 8, "D": 44} {
			if w, err := f.GetColWidth("Reports", col); err != nil || w != want {
				t.Errorf("column %s width %v (%v), want %v", col, w, err, want)
			}
		}
	})
	t.Run("ErrSheetName", func(t *testing.T) {
		for _, name := range []string{"", "a/b", strings.Repeat("长", 32)} {
			if _, err := XLSX(Table{Sheet: name, Columns: []Column{{Header: "a"}}}); err == nil {
				t.Errorf("sheet name %q accepted", name)
			}
		}
	})
}

// TestSheetNames: every sheet name, in both languages, is one Excel takes.
func TestSheetNames(t *testing.T) {
	zh, en := translators(t)
	for _, tr := range []i18n.Translator{zh, en} {
		for _, key := range []string{"export.sheet.reports", "export.sheet.activities", "export.sheet.media",
			"export.sheet.plan_items", "export.sheet.indicators"} {
			name := tr.T(key)
			if _, err := XLSX(Table{Sheet: name, Columns: []Column{{Header: "a"}}}); err != nil {
				t.Errorf("%s %s = %q: %v", tr.Locale, key, name, err)
			}
		}
	}
}

// fixture is a cycle with two reports: NGO A's (two activities, media,
// two plan items) and NGO B's (one plan item, nothing else).
func fixture() CycleData {
	return CycleData{
		CycleID: 7, ReviewYear: 2040, PlanYear: 2041,
		Labels: portal.ReportLabels{
			Themes: map[int64]portal.Theme{
				1: {ID: 1, NameZH: "抗击疫情", NameEN: "Epidemic response"},
				2: {ID: 2, NameZH: "女性职业发展", NameEN: "Women's careers"},
			},
			Projects: map[int64]portal.KeyProject{5: {ID: 5, NameZH: "巾帼导师", NameEN: "Mentoring"}},
			Requests: map[int64]portal.Request{8: {ID: 8, Number: 2}, 9: {ID: 9, Number: 1}},
		},
		Reports: []Report{
			{NGOSlug: "ngo-a", NGONameZH: "甲会", NGONameEN: "NGO A", Report: portal.Report{
				ID: 11, NGOID: 1, Status: portal.ReportAccepted,
				// 23:30 in Shanghai on 8 January is the 8th, though UTC says 15:30.
				SubmittedAt: time.Date(2041, 1, 8, 23, 30, 0, 0, portal.FederationZone),
				AcceptedAt:  time.Date(2041, 1, 12, 9, 0, 0, 0, portal.FederationZone),
				ReportContent: portal.ReportContent{
					Highlight: "=服务三千人", LegalRepresentative: "李静",
					Activities: []portal.Activity{
						{Title: "讲座", Kind: portal.KindLecture, Mode: portal.ModeOnline, StartsOn: date("2040-03-08"),
							EndsOn: date("2040-03-09"), PeopleReached: 1200, WomenReached: 1000, Partners: "社区", ThemeIDs: []int64{1, 2}},
						{Title: "-培训", Kind: portal.KindTraining, Mode: portal.ModeHybrid, StartsOn: date("2040-05-01"),
							EndsOn: date("2040-05-01"), PeopleReached: 300, WomenReached: 300},
					},
					Media: []portal.MediaWork{{Channel: portal.ChannelWeChat, Items: 10, Reads: 1000}, {Channel: portal.ChannelWeibo, Items: 5, Reads: 200}},
					PlanItems: []portal.PlanItem{
						{Title: "导师计划", Description: "结对", Quarter: 2, KeyProjectID: 5, ThemeIDs: []int64{2}, RequestIDs: []int64{8, 9}},
						{Title: "年会", Quarter: 0},
					},
				},
			}},
			{NGOSlug: "ngo-b", NGONameZH: "乙会", NGONameEN: "NGO B", Report: portal.Report{
				ID: 12, NGOID: 2, Status: portal.ReportReturned, SubmittedAt: time.Date(2041, 1, 5, 10, 0, 0, 0, portal.FederationZone),
				ReportContent: portal.ReportContent{PlanItems: []portal.PlanItem{{Title: "交流", Quarter: 4}}},
			}},
		},
	}
}

func TestReportsTable(t *testing.T) {
	_, en := translators(t)
	tb := ReportsTable(en, fixture())
	wantHeader := []string{"NGO name (Chinese)", "NGO name (English)", "Report status", "Submitted on", "Accepted on",
		"Legal representative", "Activities", "People reached", "Of whom women", "New-media items", "New-media reads or views",
		"Plan items", "Public highlight"}
	var header []string
	for _, c := range tb.Columns {
		header = append(header, c.Header)
	}
	if !reflect.DeepEqual(header, wantHeader) {
		t.Errorf("header %q", header)
	}
	want := [][]any{
		{"甲会", "NGO A", "Accepted", date("2041-01-08"), date("2041-01-12"), "李静", 2, int64(1500), int64(1300),
			int64(15), int64(1200), 2, "=服务三千人"},
		{"乙会", "NGO B", "Returned for changes", date("2041-01-05"), time.Time{}, "", 0, int64(0), int64(0),
			int64(0), int64(0), 1, ""},
	}
	if !reflect.DeepEqual(tb.Rows, want) {
		t.Errorf("rows\n got %v\nwant %v", tb.Rows, want)
	}
}

func TestActivitiesAndPlanItemsTables(t *testing.T) {
	zh, en := translators(t)
	d := fixture()
	t.Run("OKActivitiesEnglish", func(t *testing.T) {
		tb := ActivitiesTable(en, d, true)
		if len(tb.Columns) != 12 || tb.Columns[3].Header != "Title" || tb.Columns[11].Header != "Themes" {
			t.Errorf("columns %+v", tb.Columns)
		}
		want := [][]any{
			{"甲会", "NGO A", "Accepted", "讲座", "Lecture", "Online", date("2040-03-08"), date("2040-03-09"), 1200, 1000, "社区",
				"Epidemic response; Women's careers"},
			{"甲会", "NGO A", "Accepted", "-培训", "Training", "Online and offline", date("2040-05-01"), date("2040-05-01"), 300, 300, "", ""},
		}
		if !reflect.DeepEqual(tb.Rows, want) {
			t.Errorf("rows\n got %v\nwant %v", tb.Rows, want)
		}
	})
	t.Run("OKActivitiesChinese", func(t *testing.T) {
		tb := ActivitiesTable(zh, d, true)
		if tb.Sheet != "活动" || tb.Rows[0][4] != "讲座" || tb.Rows[0][11] != "抗击疫情、女性职业发展" {
			t.Errorf("sheet %q, row %v", tb.Sheet, tb.Rows[0])
		}
	})
	t.Run("OKPlanItems", func(t *testing.T) {
		tb := PlanItemsTable(en, d, true)
		want := [][]any{
			{"甲会", "NGO A", "Accepted", "导师计划", "结对", "Second quarter", "Mentoring", "Women's careers", "1, 2"},
			{"甲会", "NGO A", "Accepted", "年会", "", "Whole year", "", "", ""},
			{"乙会", "NGO B", "Returned for changes", "交流", "", "Fourth quarter", "", "", ""},
		}
		if !reflect.DeepEqual(tb.Rows, want) {
			t.Errorf("rows\n got %v\nwant %v", tb.Rows, want)
		}
	})
	t.Run("OKWithoutNGO", func(t *testing.T) {
		one := d
		one.Reports = d.Reports[:1]
		tb := MediaTable(en, one, false)
		want := [][]any{{"WeChat official account", 10, int64(1000)}, {"Weibo", 5, int64(200)}}
		if len(tb.Columns) != 3 || tb.Columns[0].Header != "Channel" || !reflect.DeepEqual(tb.Rows, want) {
			t.Errorf("columns %+v rows %v", tb.Columns, tb.Rows)
		}
	})
}

func TestIndicatorsTable(t *testing.T) {
	_, en := translators(t)
	a := portal.NewIndicatorSet()
	a.Activities, a.PeopleReached, a.WomenReached = 2, 200, 150
	a.ActivitiesByKind[portal.KindLecture] = 2
	a.ActivitiesByMode[portal.ModeOnline] = 2
	a.MediaItems, a.MediaReads = 3, 40
	a.MediaByChannel[portal.ChannelDouyin] = portal.MediaFigures{Items: 3, Reads: 40}
	a.PlanItems = 1
	a.PlanItemsByTheme[1] = 1
	a.PlanItemsByProject[0] = 1
	a.PlanItemsByRequest[9] = 1
	total := portal.NewIndicatorSet()
	total.Add(a)
	ind := portal.Indicators{CycleID: 7, NGOCount: 1, Total: total,
		NGOs:     []portal.NGOIndicators{{NGOID: 1, NGONameZH: "甲会", NGONameEN: "NGO A", IndicatorSet: a}},
		Themes:   []portal.IndicatorLabel{{ID: 1, NameZH: "抗击疫情", NameEN: "Epidemic response"}},
		Projects: []portal.IndicatorLabel{{ID: 5, NameZH: "巾帼导师", NameEN: "Mentoring"}},
		Requests: []portal.IndicatorRequest{{ID: 9, Number: 1}},
	}
	tb := IndicatorsTable(en, ind)
	if len(tb.Rows) != 2 || tb.Rows[1][0] != "Total" {
		t.Fatalf("rows %v", tb.Rows)
	}
	cell := func(row int, header string) any {
		for i, c := range tb.Columns {
			if c.Header == header {
				return tb.Rows[row][i]
			}
		}
		t.Fatalf("no column %q", header)
		return nil
	}
	for _, tc := range []struct {
		header string
		want   int64
	}{
		{"Activities", 2}, {"Activities: Lecture", 2}, {"Activities: Training", 0}, {"Mode: Online", 2},
		{"People reached", 200}, {"Of whom women", 150}, {"Women's share (%)", 75},
		{"Douyin: items", 3}, {"Douyin: reads", 40}, {"WeChat official account: reads", 0},
		{"Plan items", 1}, {"Theme: Epidemic response", 1}, {"No theme", 0},
		{"Key project: Mentoring", 0}, {"No key project", 1}, {"Answers request 1", 1}, {"Answers no request", 0},
	} {
		for row := range 2 {
			if got := cell(row, tc.header); got != tc.want {
				t.Errorf("row %d %q = %v, want %d", row, tc.header, got, tc.want)
			}
		}
	}
}

func TestWorkbooks(t *testing.T) {
	_, en := translators(t)
	d := fixture()
	t.Run("OKCycle", func(t *testing.T) {
		b, err := CycleWorkbook(en, d, portal.Indicators{CycleID: 7, Total: portal.NewIndicatorSet()})
		if err != nil {
			t.Fatal(err)
		}
		f := openXLSX(t, b)
		if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"Reports", "Activities", "Plan items", "Indicators"}) {
			t.Errorf("sheets %q", got)
		}
		numericCell(t, f, "Reports", "H2", "1500")
		if v := cellValue(t, f, "Reports", "D2"); v != "2041-01-08" {
			t.Errorf("submitted on %q", v)
		}
		if v := cellValue(t, f, "Indicators", "A2"); v != "Total" {
			t.Errorf("indicators A2 = %q", v)
		}
	})
	t.Run("ErrOtherCycle", func(t *testing.T) {
		if _, err := CycleWorkbook(en, d, portal.Indicators{CycleID: 8}); err == nil {
			t.Error("indicators of another cycle accepted")
		}
	})
	t.Run("OKReport", func(t *testing.T) {
		one := d
		one.Reports = d.Reports[:1]
		b, err := ReportWorkbook(en, one)
		if err != nil {
			t.Fatal(err)
		}
		f := openXLSX(t, b)
		if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"Activities", "New media", "Plan items"}) {
			t.Errorf("sheets %q", got)
		}
		if v := cellValue(t, f, "Activities", "A1"); v != "Title" {
			t.Errorf("activities A1 = %q, want the title (no NGO columns)", v)
		}
		numericCell(t, f, "New media", "C2", "1000")
	})
}

func TestFileNames(t *testing.T) {
	if got := CycleFileName(2020, "activities", "csv"); got != "cycle-2020-activities.csv" {
		t.Error(got)
	}
	if got := CycleFileName(2020, "", "xlsx"); got != "cycle-2020.xlsx" {
		t.Error(got)
	}
	if got := ReportFileName(2026, "women-lawyers"); got != "report-2026-women-lawyers.xlsx" {
		t.Error(got)
	}
}
