package server

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"net/netip"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"ngoportal/internal/portal"
)

func init() {
	for k, v := range map[string]access{
		"GET /admin/cycles/{id}/indicators":            officials,
		"GET /admin/cycles/{id}/export/reports.csv":    officials,
		"GET /admin/cycles/{id}/export/activities.csv": officials,
		"GET /admin/cycles/{id}/export/plan-items.csv": officials,
		"GET /admin/cycles/{id}/export/cycle.xlsx":     officials,
		"GET /ngo/reports/{id}/export.xlsx":            staffOfA,
	} {
		routeRules[k] = v
	}
	matrixFixtures = append(matrixFixtures, func(t *testing.T, h *harness, ngoA int64, ids, objectIDs map[string]string) {
		if _, ok := ids["/ngo/reports/{id}"]; ok {
			return
		}
		// NGO A's report in the open 2026 cycle: the demo's, or a new draft
		// (inserted directly, so the fixture does not depend on the deadline).
		ids["/ngo/reports/{id}"] = fmt.Sprint(cyQueryID(t, h, `
			WITH c AS (SELECT id FROM reporting_cycles WHERE review_year = 2026),
			     ins AS (INSERT INTO reports (cycle_id, ngo_id) SELECT id, $1 FROM c ON CONFLICT (cycle_id, ngo_id) DO NOTHING RETURNING id)
			SELECT id FROM ins
			UNION ALL
			SELECT r.id FROM reports r JOIN c ON c.id = r.cycle_id WHERE r.ngo_id = $1`, ngoA))
	})
}

// exFixture is a cycle of its own (2040, plans for 2041) with three
// accepted reports, one submitted and not yet accepted, and one draft, all
// made through the repository as staff and admins would.
type exFixture struct {
	h        *harness
	cycle    int64
	admin    *http.Cookie
	ngo      map[string]int64 // by slug
	staff    map[string]int64 // user id by NGO slug
	report   map[string]int64 // by NGO slug
	themes   [2]int64
	project  int64
	requests [2]int64
}

// The NGOs of the fixture: three accepted, one submitted, one draft.
const (
	exLawyers     = "women-lawyers"
	exProfessors  = "women-professors"
	exVolunteers  = "women-volunteers"
	exJournalists = "women-journalists" // submitted, not accepted
	exArchitects  = "women-architects"  // a draft
)

var exTestPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")

func exDay(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func newExFixture(t *testing.T) exFixture {
	t.Helper()
	h := newHarness(t, nil)
	ctx := t.Context()
	f := exFixture{h: h, ngo: map[string]int64{}, staff: map[string]int64{}, report: map[string]int64{}}
	adminID := createUser(t, h, portal.RoleAdmin, 0, "export-admin@example.org", "管理员")
	f.admin = h.sessionCookie(t, adminID)
	admin := portal.Actor{UserID: adminID, Email: "export-admin@example.org", ClientAddr: netip.MustParseAddr("192.0.2.9")}

	f.cycle = cyQueryID(t, h, `INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status)
		VALUES (2040, 2041, '2040-11-01', '2199-12-31', 'open') RETURNING id`)
	sessionID := cyQueryID(t, h, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, reply_deadline, cycle_id)
		VALUES ('export-2041', '2041年测试会议', '2041 test session', 'municipal', '2041-01-19', 'scheduled', '2041-01-12', $1)
		RETURNING id`, f.cycle)
	f.requests[0] = cyQueryID(t, h, `INSERT INTO session_requests (session_id, number, text_zh, text_en)
		VALUES ($1, 1, '拓宽女性发展指导服务平台', 'Broaden the guidance and service platform') RETURNING id`, sessionID)
	f.requests[1] = cyQueryID(t, h, `INSERT INTO session_requests (session_id, number, text_zh, text_en)
		VALUES ($1, 2, '讲好上海女性故事', 'Tell the story of Shanghai women well') RETURNING id`, sessionID)
	f.themes[0] = cyQueryID(t, h, `SELECT id FROM themes WHERE name_en = 'Epidemic response'`)
	f.themes[1] = cyQueryID(t, h, `SELECT id FROM themes WHERE name_en = 'Women''s career development'`)
	f.project = cyQueryID(t, h, `SELECT id FROM key_projects WHERE name_en = 'Women''s Career Mentoring Programme'`)

	t1, t2, k1, q1, q2 := f.themes[0], f.themes[1], f.project, f.requests[0], f.requests[1]
	contents := map[string]portal.ReportContent{
		exLawyers: {
			Highlight: "+3000人次", LegalRepresentative: "王律师",
			Activities: []portal.Activity{
				{Title: "法律讲座", Kind: portal.KindLecture, Mode: portal.ModeOnline, StartsOn: exDay("2040-03-08"), EndsOn: exDay("2040-03-08"),
					PeopleReached: 1200, WomenReached: 1000, Partners: "区司法局", ThemeIDs: []int64{t1}},
				{Title: `=HYPERLINK("http://evil.example")`, Kind: portal.KindTraining, Mode: portal.ModeOffline, StartsOn: exDay("2040-05-01"),
					EndsOn: exDay("2040-05-02"), PeopleReached: 300, WomenReached: 300, Partners: "@社区"},
			},
			Media: []portal.MediaWork{{Channel: portal.ChannelWeChat, Items: 10, Reads: 1000}, {Channel: portal.ChannelWeibo, Items: 5, Reads: 200}},
			PlanItems: []portal.PlanItem{
				{Title: "女性维权服务", Description: "-每季度一次", Quarter: 2, KeyProjectID: k1, ThemeIDs: []int64{t1, t2}, RequestIDs: []int64{q1}},
				{Title: "年度沙龙", RequestIDs: []int64{q1, q2}},
			},
		},
		exProfessors: {
			Activities: []portal.Activity{{Title: "学术沙龙", Kind: portal.KindService, Mode: portal.ModeHybrid, StartsOn: exDay("2040-06-01"),
				EndsOn: exDay("2040-06-01"), PeopleReached: 500, WomenReached: 100, ThemeIDs: []int64{t2}}},
			Media:     []portal.MediaWork{{Channel: portal.ChannelDouyin, Items: 3, Reads: 300}},
			PlanItems: []portal.PlanItem{{Title: "青年导师", Quarter: 3, KeyProjectID: k1, ThemeIDs: []int64{t2}}},
		},
		exVolunteers: {
			Activities: []portal.Activity{{Title: "社区讲座", Kind: portal.KindLecture, Mode: portal.ModeOffline, StartsOn: exDay("2040-09-01"),
				EndsOn: exDay("2040-09-02"), PeopleReached: 40, WomenReached: 40}},
			PlanItems: []portal.PlanItem{{Title: "社区服务", Quarter: 1, ThemeIDs: []int64{t1}, RequestIDs: []int64{q2}}},
		},
		exJournalists: {
			Activities: []portal.Activity{{Title: "未审活动", Kind: portal.KindLecture, Mode: portal.ModeOnline, StartsOn: exDay("2040-02-01"),
				EndsOn: exDay("2040-02-01"), PeopleReached: 9999, WomenReached: 9000}},
			Media:     []portal.MediaWork{{Channel: portal.ChannelWeChat, Items: 100, Reads: 77777}},
			PlanItems: []portal.PlanItem{{Title: "未审计划", KeyProjectID: k1, ThemeIDs: []int64{t1}, RequestIDs: []int64{q1}}},
		},
		exArchitects: {
			Activities: []portal.Activity{{Title: "草稿活动", Kind: portal.KindOther, Mode: portal.ModeOnline, StartsOn: exDay("2040-02-01"),
				EndsOn: exDay("2040-02-01"), PeopleReached: 1, WomenReached: 1}},
			PlanItems: []portal.PlanItem{{Title: "草稿计划"}},
		},
	}
	for _, slug := range []string{exLawyers, exProfessors, exVolunteers, exJournalists, exArchitects} {
		ngoID := ngoIDBySlug(t, h, slug)
		f.ngo[slug] = ngoID
		if _, err := h.db.Pool().Exec(ctx, `INSERT INTO invitations (session_id, ngo_id) VALUES ($1, $2)`, sessionID, ngoID); err != nil {
			t.Fatal(err)
		}
		f.staff[slug] = createUser(t, h, portal.RoleStaff, ngoID, "export-"+slug+"@example.org", "职员")
		staff := portal.Actor{UserID: f.staff[slug], Email: "export-" + slug + "@example.org"}
		r, err := h.db.StartReport(ctx, staff, f.cycle, ngoID)
		if err != nil {
			t.Fatal(err)
		}
		f.report[slug] = r.ID
		c := contents[slug]
		c.Narrative = "本年度工作综述。"
		if c.Highlight == "" {
			c.Highlight = "亮点"
		}
		if c.LegalRepresentative == "" {
			c.LegalRepresentative = "法定代表人"
		}
		r.ReportContent, r.Declaration = c, true
		saved, err := h.db.SaveDraft(ctx, staff, ngoID, r, r.Version)
		if err != nil {
			t.Fatalf("save %s: %v", slug, err)
		}
		if slug == exArchitects {
			continue
		}
		if _, err := h.db.AddAttachment(ctx, staff, ngoID, r.ID, portal.AttachmentCover, "cover.pdf", portal.TypePDF, exTestPDF, attRoomy); err != nil {
			t.Fatal(err)
		}
		submitted, err := h.db.SubmitReport(ctx, staff, ngoID, saved, saved.Version, time.Now())
		if err != nil {
			t.Fatalf("submit %s: %v", slug, err)
		}
		if slug == exJournalists {
			continue
		}
		if err := h.db.AcceptReport(ctx, admin, r.ID, submitted.Version); err != nil {
			t.Fatalf("accept %s: %v", slug, err)
		}
	}
	return f
}

func (f exFixture) path(suffix string) string { return adminCyclePath(f.cycle) + suffix }

// exTable returns the text of every cell of the page's table id, row by row.
func exTable(t *testing.T, body, id string) [][]string {
	t.Helper()
	table := regexp.MustCompile(`(?s)<table[^>]*\bid="` + regexp.QuoteMeta(id) + `"[^>]*>.*?</table>`).FindString(body)
	if table == "" {
		t.Fatalf("no table %q", id)
	}
	cell := regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
	tag := regexp.MustCompile(`<[^>]+>`)
	var out [][]string
	for _, tr := range regexp.MustCompile(`(?s)<tr>(.*?)</tr>`).FindAllStringSubmatch(table, -1) {
		var row []string
		for _, c := range cell.FindAllStringSubmatch(tr[1], -1) {
			row = append(row, strings.TrimSpace(html.UnescapeString(tag.ReplaceAllString(c[1], ""))))
		}
		out = append(out, row)
	}
	return out
}

func wantTable(t *testing.T, body, id string, want [][]string) {
	t.Helper()
	if got := exTable(t, body, id); !reflect.DeepEqual(got, want) {
		t.Errorf("table %s\n got %q\nwant %q", id, got, want)
	}
}

// exCSV fetches one of the cycle's CSV files in English and checks what
// every CSV download must be; it returns the records.
func exCSV(t *testing.T, f exFixture, file string) [][]string {
	t.Helper()
	res := f.h.as(t, f.admin, get(f.path("/export/"+file), "Accept-Language", "en"))
	if res.status != http.StatusOK {
		t.Fatalf("status %d", res.status)
	}
	if ct := res.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd, want := res.header.Get("Content-Disposition"), `attachment; filename="cycle-2040-`+file+`"`; cd != want {
		t.Errorf("Content-Disposition %q, want %q", cd, want)
	}
	if cc := res.header.Get("Cache-Control"); cc != "private, no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
	if !strings.HasPrefix(res.body, "\uFEFF") {
		t.Error("no byte order mark")
	}
	if strings.Count(res.body, "\n") != strings.Count(res.body, "\r\n") || !strings.HasSuffix(res.body, "\r\n") {
		t.Error("lines do not end in CRLF")
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestCycleCSVExports(t *testing.T) {
	t.Parallel()
	f := newExFixture(t)
	h := f.h
	shanghaiDay := func(col, slug string) string {
		var s string
		if err := h.db.Pool().QueryRow(t.Context(), `SELECT to_char(`+col+` AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') FROM reports WHERE id = $1`,
			f.report[slug]).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}

	// The exports list NGOs by Chinese name (pinyin): 巾帼 jīnguó (the
	// volunteers), 女记者 nǚjìzhě, 女教授 nǚjiàoshòu, 女律师 nǚlǜshī.
	t.Run("OKReports", func(t *testing.T) {
		recs := exCSV(t, f, "reports.csv")
		want := [][]string{
			{"NGO name (Chinese)", "NGO name (English)", "Report status", "Submitted on", "Accepted on", "Legal representative",
				"Activities", "People reached", "Of whom women", "New-media items", "New-media reads or views", "Plan items", "Public highlight"},
			{"上海市女律师联谊会", "Shanghai Women Lawyers Fellowship", "Accepted", shanghaiDay("submitted_at", exLawyers),
				shanghaiDay("accepted_at", exLawyers), "王律师", "2", "1500", "1300", "15", "1200", "2", "'+3000人次"},
		}
		if len(recs) != 5 || !reflect.DeepEqual([][]string{recs[0], recs[4]}, want) {
			t.Errorf("records %q\nwant the header, the last %q and 5 in all", recs, want[1])
		}
		var names []string
		for _, r := range recs[1:] {
			names = append(names, r[1]+"|"+r[2]+"|"+r[4])
		}
		// The submitted report is in (not yet accepted), the draft is not.
		if want := []string{"Shanghai Women Volunteers Association|Accepted|" + shanghaiDay("accepted_at", exVolunteers),
			"Shanghai Women Journalists Association|Submitted|",
			"Shanghai Women Professors Fellowship|Accepted|" + shanghaiDay("accepted_at", exProfessors),
			"Shanghai Women Lawyers Fellowship|Accepted|" + shanghaiDay("accepted_at", exLawyers)}; !reflect.DeepEqual(names, want) {
			t.Errorf("reports %q, want %q", names, want)
		}
	})
	t.Run("OKActivities", func(t *testing.T) {
		recs := exCSV(t, f, "activities.csv")
		wantHeader := []string{"NGO name (Chinese)", "NGO name (English)", "Report status", "Title", "Kind", "Mode", "Start date",
			"End date", "People reached", "Of whom women", "Partners", "Themes"}
		if len(recs) != 6 || !reflect.DeepEqual(recs[0], wantHeader) {
			t.Fatalf("records %q", recs)
		}
		if want := []string{"上海市女律师联谊会", "Shanghai Women Lawyers Fellowship", "Accepted", "法律讲座", "Lecture", "Online",
			"2040-03-08", "2040-03-08", "1200", "1000", "区司法局", "Epidemic response"}; !reflect.DeepEqual(recs[4], want) {
			t.Errorf("row 4 %q\nwant %q", recs[4], want)
		}
		// A title and a partner that a spreadsheet would run as formulas.
		if want := []string{"上海市女律师联谊会", "Shanghai Women Lawyers Fellowship", "Accepted", `'=HYPERLINK("http://evil.example")`,
			"Training", "Offline", "2040-05-01", "2040-05-02", "300", "300", "'@社区", ""}; !reflect.DeepEqual(recs[5], want) {
			t.Errorf("row 5 %q\nwant %q", recs[5], want)
		}
		if recs[2][3] != "未审活动" || recs[2][2] != "Submitted" {
			t.Errorf("row 2 %q, want the submitted report's activity", recs[2])
		}
		for _, r := range recs {
			if r[3] == "草稿活动" {
				t.Error("a draft's activity is in the export")
			}
		}
	})
	t.Run("OKPlanItemsChinese", func(t *testing.T) {
		res := h.as(t, f.admin, get(f.path("/export/plan-items.csv")))
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"组织名称（中文）", "组织名称（英文）", "报告状态", "名称", "说明", "季度", "重点项目", "主题", "回应的会议要求（编号）"}; len(recs) == 0 || !reflect.DeepEqual(recs[0], want) {
			t.Errorf("header %q", recs[0])
		}
		if want := []string{"上海市女律师联谊会", "Shanghai Women Lawyers Fellowship", "已通过", "女性维权服务", "'-每季度一次", "第二季度",
			"巾帼职场导师计划", "抗击疫情、女性职业发展", "1"}; len(recs) < 6 || !reflect.DeepEqual(recs[4], want) {
			t.Errorf("row 4 %q\nwant %q", recs[4], want)
		}
		if want := []string{"上海市女律师联谊会", "Shanghai Women Lawyers Fellowship", "已通过", "年度沙龙", "", "全年", "", "", "1, 2"}; len(recs) < 6 || !reflect.DeepEqual(recs[5], want) {
			t.Errorf("row 5 %q\nwant %q", recs[5], want)
		}
		if len(recs) != 6 {
			t.Errorf("%d records, want a header and 5 plan items", len(recs))
		}
	})
	t.Run("OKAudited", func(t *testing.T) {
		rows, err := h.db.Pool().Query(t.Context(), `
			SELECT changes->'file'->>'after', changes->'format'->>'after', (changes->'reports'->>'after')::int, coalesce(ngo_id, 0)
			FROM audit_log WHERE action = $1 AND object_type = 'cycle' AND object_id = $2 ORDER BY id`,
			portal.AuditReportsExported, f.cycle)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var file, format string
			var n int
			var ngoID int64
			if err := rows.Scan(&file, &format, &n, &ngoID); err != nil {
				t.Fatal(err)
			}
			got = append(got, fmt.Sprintf("%s %s %d %d", file, format, n, ngoID))
		}
		want := []string{"cycle-2040-reports.csv csv 4 0", "cycle-2040-activities.csv csv 4 0", "cycle-2040-plan-items.csv csv 4 0"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("audit rows %q, want %q", got, want)
		}
	})
	t.Run("ErrNoSuchCycle", func(t *testing.T) {
		if res := h.as(t, f.admin, get(adminCycleExportPath(f.cycle+1000, "reports.csv"))); res.status != http.StatusNotFound {
			t.Errorf("status %d, want 404", res.status)
		}
	})
}

// exXLSX opens a downloaded workbook after checking the download's headers.
func exXLSX(t *testing.T, res response, filename string) *excelize.File {
	t.Helper()
	if res.status != http.StatusOK {
		t.Fatalf("status %d", res.status)
	}
	if ct := res.header.Get("Content-Type"); ct != portal.TypeXLSX {
		t.Errorf("Content-Type %q", ct)
	}
	if cd, want := res.header.Get("Content-Disposition"), `attachment; filename="`+filename+`"`; cd != want {
		t.Errorf("Content-Disposition %q, want %q", cd, want)
	}
	if cc := res.header.Get("Cache-Control"); cc != "private, no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
	x, err := excelize.OpenReader(bytes.NewReader([]byte(res.body)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

// exCell is a cell's shown value; number says it must be stored as a number.
func exCell(t *testing.T, x *excelize.File, sheet, cell, want string, number bool) {
	t.Helper()
	v, err := x.GetCellValue(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	if v != want {
		t.Errorf("%s!%s = %q, want %q", sheet, cell, v, want)
	}
	typ, err := x.GetCellType(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	isNumber := typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber
	if number != isNumber {
		t.Errorf("%s!%s has type %d; number: %v", sheet, cell, typ, number)
	}
}

func TestCycleWorkbook(t *testing.T) {
	t.Parallel()
	f := newExFixture(t)
	h := f.h
	x := exXLSX(t, h.as(t, f.admin, get(f.path("/export/cycle.xlsx"), "Accept-Language", "en")), "cycle-2040.xlsx")

	t.Run("OKSheets", func(t *testing.T) {
		if got := x.GetSheetList(); !reflect.DeepEqual(got, []string{"Reports", "Activities", "Plan items", "Indicators"}) {
			t.Errorf("sheets %q", got)
		}
	})
	t.Run("OKHeaders", func(t *testing.T) {
		for sheet, first := range map[string]string{"Reports": "NGO name (Chinese)", "Activities": "NGO name (Chinese)",
			"Plan items": "NGO name (Chinese)", "Indicators": "NGO name (Chinese)"} {
			exCell(t, x, sheet, "A1", first, false)
			id, err := x.GetCellStyle(sheet, "A1")
			if err != nil {
				t.Fatal(err)
			}
			st, err := x.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			if st.Font == nil || !st.Font.Bold {
				t.Errorf("%s: header not bold", sheet)
			}
			if p, err := x.GetPanes(sheet); err != nil || !p.Freeze || p.YSplit != 1 {
				t.Errorf("%s: panes %+v (%v), want the header row frozen", sheet, p, err)
			}
			if w, err := x.GetColWidth(sheet, "A"); err != nil || w < 10 {
				t.Errorf("%s: column A width %v (%v)", sheet, w, err)
			}
		}
		exCell(t, x, "Reports", "H1", "People reached", false)
	})
	t.Run("OKReportsRow", func(t *testing.T) {
		// By Chinese name (pinyin), as the CSV files: the lawyers last, the
		// journalists' submitted report second.
		exCell(t, x, "Reports", "A5", "上海市女律师联谊会", false)
		exCell(t, x, "Reports", "C5", "Accepted", false)
		exCell(t, x, "Reports", "G5", "2", true)
		exCell(t, x, "Reports", "H5", "1500", true)
		exCell(t, x, "Reports", "I5", "1300", true)
		exCell(t, x, "Reports", "K5", "1200", true)
		exCell(t, x, "Reports", "M5", "+3000人次", false) // text in a workbook needs no quote
		exCell(t, x, "Reports", "C3", "Submitted", false)
		if rows, _ := x.GetRows("Reports"); len(rows) != 5 {
			t.Errorf("%d rows on Reports, want a header and 4", len(rows))
		}
	})
	t.Run("OKActivitiesRow", func(t *testing.T) {
		exCell(t, x, "Activities", "D5", "法律讲座", false)
		exCell(t, x, "Activities", "E5", "Lecture", false)
		exCell(t, x, "Activities", "G5", "2040-03-08", true) // a date: a number with a date format
		exCell(t, x, "Activities", "I5", "1200", true)
		exCell(t, x, "Activities", "D6", `=HYPERLINK("http://evil.example")`, false)
		if formula, _ := x.GetCellFormula("Activities", "D6"); formula != "" {
			t.Errorf("D6 holds the formula %q", formula)
		}
	})
	t.Run("OKIndicators", func(t *testing.T) {
		exCell(t, x, "Indicators", "C1", "Activities", false)
		exCell(t, x, "Indicators", "B4", "Shanghai Women Lawyers Fellowship", false)
		exCell(t, x, "Indicators", "C4", "2", true)
		exCell(t, x, "Indicators", "A5", "Total", false)
		exCell(t, x, "Indicators", "C5", "4", true)
		if rows, _ := x.GetRows("Indicators"); len(rows) != 5 {
			t.Errorf("%d rows on Indicators, want a header, the 3 accepted and the total", len(rows))
		}
	})
	t.Run("OKChineseSheets", func(t *testing.T) {
		zh := exXLSX(t, h.as(t, f.admin, get(f.path("/export/cycle.xlsx"))), "cycle-2040.xlsx")
		if got := zh.GetSheetList(); !reflect.DeepEqual(got, []string{"报告", "活动", "计划事项", "指标"}) {
			t.Errorf("sheets %q", got)
		}
	})
	t.Run("OKAudited", func(t *testing.T) {
		if n := cyQueryID(t, h, `SELECT count(*) FROM audit_log WHERE action = $1 AND object_id = $2
			AND changes->'file'->>'after' = 'cycle-2040.xlsx' AND changes->'format'->>'after' = 'xlsx'`,
			portal.AuditReportsExported, f.cycle); n != 2 {
			t.Errorf("%d audit rows, want one per download (2)", n)
		}
	})
}

func TestReportWorkbookForStaff(t *testing.T) {
	t.Parallel()
	f := newExFixture(t)
	h := f.h
	own := h.sessionCookie(t, f.staff[exLawyers])
	other := h.sessionCookie(t, f.staff[exProfessors])
	path := staffReportExportPath(f.report[exLawyers])

	t.Run("OKOwnReport", func(t *testing.T) {
		x := exXLSX(t, h.as(t, own, get(path, "Accept-Language", "en")), "report-2040-women-lawyers.xlsx")
		if got := x.GetSheetList(); !reflect.DeepEqual(got, []string{"Activities", "New media", "Plan items"}) {
			t.Errorf("sheets %q", got)
		}
		exCell(t, x, "Activities", "A1", "Title", false)
		exCell(t, x, "Activities", "A2", "法律讲座", false)
		exCell(t, x, "Activities", "F2", "1200", true)
		exCell(t, x, "New media", "A2", "WeChat official account", false)
		exCell(t, x, "New media", "C2", "1000", true)
		exCell(t, x, "Plan items", "A3", "年度沙龙", false)
		exCell(t, x, "Plan items", "F3", "1, 2", false)
		if n := cyQueryID(t, h, `SELECT count(*) FROM audit_log WHERE action = $1 AND object_type = 'cycle' AND object_id = $2
			AND ngo_id = $3 AND actor_id = $4 AND (changes->'report_id'->>'after')::bigint = $5`,
			portal.AuditReportsExported, f.cycle, f.ngo[exLawyers], f.staff[exLawyers], f.report[exLawyers]); n != 1 {
			t.Errorf("%d audit rows, want 1", n)
		}
	})
	t.Run("OKOwnDraft", func(t *testing.T) {
		draft := h.sessionCookie(t, f.staff[exArchitects])
		x := exXLSX(t, h.as(t, draft, get(staffReportExportPath(f.report[exArchitects]))), "report-2040-women-architects.xlsx")
		exCell(t, x, "活动", "A2", "草稿活动", false)
	})
	t.Run("ErrOtherNGO", func(t *testing.T) {
		if res := h.as(t, other, get(path)); res.status != http.StatusNotFound {
			t.Errorf("another NGO's staff: status %d, want 404", res.status)
		}
		if res := h.as(t, own, get(staffReportExportPath(f.report[exLawyers]+1000))); res.status != http.StatusNotFound {
			t.Errorf("no such report: status %d, want 404", res.status)
		}
	})
	t.Run("ErrStaffOnAdminExports", func(t *testing.T) {
		for _, p := range []string{f.path("/indicators"), f.path("/export/reports.csv"), f.path("/export/cycle.xlsx")} {
			if res := h.as(t, own, get(p)); res.status != http.StatusNotFound {
				t.Errorf("staff on %s: status %d, want 404", p, res.status)
			}
		}
		if res := h.as(t, f.admin, get(path)); res.status != http.StatusNotFound {
			t.Errorf("admin on the staff export: status %d, want 404", res.status)
		}
	})
}
