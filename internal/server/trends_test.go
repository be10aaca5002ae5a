package server

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"ngoportal/internal/pgtest"
	"ngoportal/internal/portal"
)

func init() {
	for k, v := range map[string]access{
		"GET /admin/trends":             officials,
		"GET /admin/trends/{chart}.csv": officials,
	} {
		routeRules[k] = v
	}
	matrixFixtures = append(matrixFixtures, func(t *testing.T, h *harness, ngoA int64, ids, objectIDs map[string]string) {
		objectIDs["{chart}"] = "rates"
	})
}

// trendsHarness is a server on an empty database holding only the trends
// fixture of the repository tests (testdata/trends_fixture.sql) and an
// admin; fixture false leaves the database without any cycle.
func trendsHarness(t *testing.T, fixture bool) (*harness, *http.Cookie) {
	t.Helper()
	db := pgtest.New(t)
	m, err := db.NewMigrator()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	h := newHarnessWith(t, nil, db, NewReadiness(db, m))
	if fixture {
		sql, err := os.ReadFile("../postgres/testdata/trends_fixture.sql")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Pool().Exec(t.Context(), string(sql)); err != nil {
			t.Fatal(err)
		}
	}
	admin := createUser(t, h, portal.RoleAdmin, 0, "trends-admin@example.org", "趋势")
	return h, h.sessionCookie(t, admin)
}

// xmlTable is a data table read back as XML.
type xmlTable struct {
	Caption string `xml:"caption"`
	Head    []struct {
		Text string `xml:",chardata"`
	} `xml:"thead>tr>th"`
	Rows []struct {
		Label string `xml:"th"`
		Cells []struct {
			Text  string `xml:",chardata"`
			Label string `xml:"data-label,attr"`
		} `xml:"td"`
	} `xml:"tbody>tr"`
}

// cells is the table's body as text, the row header first.
func (x xmlTable) cells() [][]string {
	var out [][]string
	for _, r := range x.Rows {
		row := []string{r.Label}
		for _, c := range r.Cells {
			row = append(row, c.Text)
		}
		out = append(out, row)
	}
	return out
}

var (
	svgRE   = regexp.MustCompile(`(?s)<svg class="chart".*?</svg>`)
	tableRE = regexp.MustCompile(`(?s)<table class="data stack-on-phone" id="(trend-[a-z]+)-table">.*?</table>`)
	csvRE   = regexp.MustCompile(`href="(/admin/trends/[a-z]+\.csv)"`)
)

// trendsExpected is each chart's table, written out from the repository's
// figures independently of the view: counts with grouped digits, shares in
// whole percent, "无数据" for no value.
func trendsExpected(tr portal.Trends) map[string][][]string {
	const none = "无数据"
	n := func(v int64) string { return fmt.Sprint(v) }
	counted := func(c portal.CycleTrend, v int64) string {
		if !c.Counted() {
			return none
		}
		return n(v)
	}
	pct := func(r portal.Rate) string {
		if !r.Known || r.Den == 0 {
			return none
		}
		return strconv.Itoa(r.Num*100/r.Den) + "%"
	}
	known := func(v int, ok bool) string {
		if !ok {
			return none
		}
		return n(int64(v))
	}
	var kinds []portal.ActivityKind
	for _, k := range portal.ActivityKinds {
		for _, c := range tr.Cycles {
			if c.ActivitiesByKind[k] > 0 {
				kinds = append(kinds, k)
				break
			}
		}
	}
	out := map[string][][]string{}
	for _, c := range tr.Cycles {
		year := strconv.Itoa(c.ReviewYear) + "年"
		modes := []string{year, n(int64(c.Accepted))}
		for _, m := range portal.ActivityModes {
			modes = append(modes, counted(c, int64(c.ActivitiesByMode[m])))
		}
		out["trend-modes"] = append(out["trend-modes"], append(modes, counted(c, int64(c.Activities))))
		ks := []string{year, n(int64(c.Accepted))}
		for _, k := range kinds {
			ks = append(ks, counted(c, int64(c.ActivitiesByKind[k])))
		}
		out["trend-kinds"] = append(out["trend-kinds"], append(ks, counted(c, int64(c.Activities))))
		out["trend-people"] = append(out["trend-people"], []string{year, counted(c, c.PeopleReached), counted(c, c.WomenReached)})
		p := c.PlanKnown
		out["trend-rates"] = append(out["trend-rates"], []string{year,
			known(c.Attendance.Num, c.Attendance.Known), known(c.Attendance.Den, c.Attendance.Known), pct(c.Attendance),
			known(c.OnTime.Num, c.OnTime.Known), known(c.OnTime.Den, c.OnTime.Known), pct(c.OnTime),
			known(c.Plan.Done, p), known(c.Plan.Partly, p), known(c.Plan.NotDone, p), known(c.Plan.NotReported, p),
			known(c.Plan.Items(), p), pct(c.Completion()),
		})
	}
	return out
}

// TestTrendsPage: every chart on the page is an SVG that parses as XML,
// is named by its title and description, and is followed by a table
// holding exactly the repository's figures (and, for the fixture, the
// figures counted by hand); each table's CSV download holds the same.
func TestTrendsPage(t *testing.T) {
	t.Parallel()
	h, admin := trendsHarness(t, true)
	res := h.as(t, admin, get(adminTrendsPath))
	if res.status != http.StatusOK {
		t.Fatalf("status %d", res.status)
	}
	checkMarkup(t, res.body)
	if strings.Contains(res.body, ` style="`) {
		t.Error("an inline style attribute: the CSP forbids it")
	}

	svgs := svgRE.FindAllString(res.body, -1)
	if len(svgs) != 4 {
		t.Fatalf("%d charts, want 4", len(svgs))
	}
	svgTexts := map[string]string{}
	for _, s := range svgs {
		var doc struct {
			ID     string   `xml:"id,attr"`
			Role   string   `xml:"role,attr"`
			Labels string   `xml:"aria-labelledby,attr"`
			Title  string   `xml:"title"`
			Desc   string   `xml:"desc"`
			Texts  []string `xml:"text"`
		}
		if err := xml.Unmarshal([]byte(s), &doc); err != nil {
			t.Fatalf("a chart is not XML: %v\n%s", err, s)
		}
		if doc.Role != "img" || doc.Labels != doc.ID+"-title "+doc.ID+"-desc" || doc.Title == "" || doc.Desc == "" {
			t.Errorf("chart %s: role %q, aria-labelledby %q, title %q, desc %q", doc.ID, doc.Role, doc.Labels, doc.Title, doc.Desc)
		}
		svgTexts[doc.ID] = "|" + strings.Join(doc.Texts, "|") + "|"
	}

	tr, err := h.db.Trends(t.Context(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	want := trendsExpected(tr)
	tables := map[string]xmlTable{}
	for _, m := range tableRE.FindAllStringSubmatch(res.body, -1) {
		var x xmlTable
		if err := xml.Unmarshal([]byte(m[0]), &x); err != nil {
			t.Fatalf("table %s is not XML: %v", m[1], err)
		}
		tables[m[1]] = x
		got := x.cells()
		for i := range got {
			for j := range got[i] {
				got[i][j] = strings.ReplaceAll(got[i][j], ",", "")
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want[m[1]]) {
			t.Errorf("table %s:\n got %v\nwant %v", m[1], got, want[m[1]])
		}
		for _, r := range x.Rows {
			for j, c := range r.Cells {
				if c.Label != x.Head[j+1].Text {
					t.Errorf("table %s: data-label %q under column %q", m[1], c.Label, x.Head[j+1].Text)
				}
			}
		}
	}
	if len(tables) != 4 {
		t.Fatalf("%d tables, want 4", len(tables))
	}

	t.Run("HandCounted", func(t *testing.T) {
		// The fixture's 2020 row, counted by hand (see the repository test).
		rates := tables["trend-rates"].cells()
		if got, want := strings.Join(rates[0], " "), "2020年 2 4 50% 3 4 75% 2 1 0 2 5 40%"; got != want {
			t.Errorf("2020 rates %q, want %q", got, want)
		}
		// 2021: no session, one of three on time, next year not accepted yet.
		if got, want := strings.Join(rates[1], " "), "2021年 无数据 无数据 无数据 1 3 33% 无数据 无数据 无数据 无数据 无数据 无数据"; got != want {
			t.Errorf("2021 rates %q, want %q", got, want)
		}
		if got, want := strings.Join(tables["trend-modes"].cells()[0], " "), "2020年 3 2 2 1 5"; got != want {
			t.Errorf("2020 modes %q, want %q", got, want)
		}
		if got, want := strings.Join(tables["trend-people"].cells()[2], " "), "2022年 无数据 无数据"; got != want {
			t.Errorf("2022 people %q, want %q", got, want)
		}
	})

	t.Run("ChartsShowTheTablesNumbers", func(t *testing.T) {
		for _, v := range []string{"50%", "75%", "40%", "33%"} {
			if !strings.Contains(svgTexts["trend-rates"], "|"+v+"|") {
				t.Errorf("the rates chart does not show %s: %s", v, svgTexts["trend-rates"])
			}
		}
		for _, v := range []string{"105", "88", "120", "70"} {
			if !strings.Contains(svgTexts["trend-people"], "|"+v+"|") {
				t.Errorf("the people chart does not show %s: %s", v, svgTexts["trend-people"])
			}
		}
	})

	t.Run("CSVEqualsTable", func(t *testing.T) {
		links := csvRE.FindAllStringSubmatch(res.body, -1)
		if len(links) != 4 {
			t.Fatalf("%d CSV links, want one per chart", len(links))
		}
		for _, l := range links {
			name := strings.TrimSuffix(strings.TrimPrefix(l[1], adminTrendsPath+"/"), ".csv")
			res := h.as(t, admin, get(l[1]))
			if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") ||
				res.header.Get("Content-Disposition") != `attachment; filename="trends-`+name+`.csv"` {
				t.Fatalf("%s: %d %q %q", l[1], res.status, res.header.Get("Content-Type"), res.header.Get("Content-Disposition"))
			}
			if !strings.HasPrefix(res.body, "\uFEFF") {
				t.Errorf("%s: no byte order mark", l[1])
			}
			records, err := csv.NewReader(bytes.NewReader([]byte(strings.TrimPrefix(res.body, "\uFEFF")))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			x := tables["trend-"+name]
			var head []string
			for _, th := range x.Head {
				head = append(head, th.Text)
			}
			wantRows := [][]string{head}
			for _, r := range x.cells() {
				row := make([]string, len(r))
				for i, c := range r {
					row[i] = strings.ReplaceAll(c, ",", "")
					if c == "无数据" {
						row[i] = ""
					}
				}
				wantRows = append(wantRows, row)
			}
			if fmt.Sprint(records) != fmt.Sprint(wantRows) {
				t.Errorf("%s:\n got %v\nwant %v", l[1], records, wantRows)
			}
		}
		if res := h.as(t, admin, get(adminTrendsPath+"/nothing.csv")); res.status != http.StatusNotFound {
			t.Errorf("an unknown chart's CSV: %d, want 404", res.status)
		}
	})

	t.Run("StaffRefused", func(t *testing.T) {
		var ngo int64
		if err := h.db.Pool().QueryRow(t.Context(), `SELECT id FROM ngos WHERE slug = 'ngo-a'`).Scan(&ngo); err != nil {
			t.Fatal(err)
		}
		staff := h.sessionCookie(t, createUser(t, h, portal.RoleStaff, ngo, "trends-staff@example.org", "员工"))
		for _, p := range []string{adminTrendsPath, adminTrendsCSVPath("rates")} {
			if res := h.as(t, staff, get(p)); res.status != http.StatusNotFound {
				t.Errorf("staff GET %s: %d, want 404", p, res.status)
			}
		}
	})

	t.Run("English", func(t *testing.T) {
		res := h.as(t, admin, get(adminTrendsPath, "Accept-Language", "en"))
		if res.status != http.StatusOK || !strings.Contains(res.body, "Trends across years") || !strings.Contains(res.body, "no value") {
			t.Errorf("English page: %d", res.status)
		}
	})
}

// TestTrendsEmpty: with no cycle the page says so and draws nothing.
func TestTrendsEmpty(t *testing.T) {
	t.Parallel()
	h, admin := trendsHarness(t, false)
	res := h.as(t, admin, get(adminTrendsPath))
	if res.status != http.StatusOK || !strings.Contains(res.body, `id="trends-empty"`) || strings.Contains(res.body, `<svg class="chart"`) {
		t.Errorf("empty trends page: %d\n%s", res.status, res.body)
	}
	if res := h.as(t, admin, get(adminTrendsCSVPath("rates"))); res.status != http.StatusNotFound {
		t.Errorf("a CSV with no cycle: %d, want 404", res.status)
	}
}
