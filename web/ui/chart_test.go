package ui

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/a-h/templ"
)

func TestChartNiceTicks(t *testing.T) {
	for _, tc := range []struct {
		max, step, top float64
	}{
		{0, 1, 1}, {3, 1, 3}, {7, 2, 8}, {10, 2, 10}, {105, 50, 150}, {120, 50, 150}, {100, 20, 100}, {1234, 500, 1500}, {0.4, 1, 1},
	} {
		step, top := NiceTicks(tc.max)
		if step != tc.step || top != tc.top {
			t.Errorf("NiceTicks(%v) = %v, %v; want %v, %v", tc.max, step, top, tc.step, tc.top)
		}
	}
}

// svgDoc is what the chart tests read back from the SVG.
type svgDoc struct {
	XMLName xml.Name
	Role    string `xml:"role,attr"`
	Labels  string `xml:"aria-labelledby,attr"`
	ViewBox string `xml:"viewBox,attr"`
	Title   struct {
		ID   string `xml:"id,attr"`
		Text string `xml:",chardata"`
	} `xml:"title"`
	Desc struct {
		ID   string `xml:"id,attr"`
		Text string `xml:",chardata"`
	} `xml:"desc"`
	Texts []string `xml:"text"`
	Rects []struct {
		Fill string `xml:"fill,attr"`
	} `xml:"rect"`
	Shapes []struct {
		XMLName xml.Name
		Fill    string `xml:"fill,attr"`
		Stroke  string `xml:"stroke,attr"`
	} `xml:",any"`
	Polylines []struct {
		Points string `xml:"points,attr"`
	} `xml:"polyline"`
}

func renderChart(t *testing.T, c templ.Component) svgDoc {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	var doc svgDoc
	dec := xml.NewDecoder(&buf)
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("the SVG is not XML: %v\n%s", err, buf.String())
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Errorf("more than one element: %v", err)
	}
	return doc
}

func testChart() Chart {
	return Chart{
		ID: "c1", Title: `Rates <&> "quoted"`, Desc: "A & B", AxisLabel: "%",
		Categories:  []string{"2020", "2021", "2022"},
		NoDataLabel: "no data",
		Series: []ChartSeries{
			{Name: "A<1>", Values: []ChartValue{Known(50), {}, Known(75)}},
			{Name: "B", Values: []ChartValue{Known(30), Known(40), {}}},
		},
		Max: 100,
	}
}

// TestChartSVG: both charts are one XML element, named by their title and
// description, with escaped texts, round ticks and gaps where values are
// missing.
func TestChartSVG(t *testing.T) {
	t.Run("Line", func(t *testing.T) {
		c := testChart()
		doc := renderChart(t, LineChart(c))
		if doc.XMLName.Local != "svg" || doc.Role != "img" || doc.ViewBox == "" {
			t.Errorf("root %s role %q viewBox %q", doc.XMLName.Local, doc.Role, doc.ViewBox)
		}
		if doc.Labels != doc.Title.ID+" "+doc.Desc.ID || doc.Title.Text != c.Title || doc.Desc.Text != c.Desc {
			t.Errorf("aria-labelledby %q, title %q %q, desc %q %q", doc.Labels, doc.Title.ID, doc.Title.Text, doc.Desc.ID, doc.Desc.Text)
		}
		// A has a gap in 2021: two runs of one point; B one run of two.
		if len(doc.Polylines) != 3 {
			t.Errorf("%d polylines, want 3 (runs broken at gaps): %+v", len(doc.Polylines), doc.Polylines)
		}
		// Two gaps and the legend's no-value entry: hollow markers, outlined.
		hollow := 0
		for _, sh := range doc.Shapes {
			if (sh.XMLName.Local == "circle" || sh.XMLName.Local == "polygon") && sh.Fill == "#ffffff" {
				hollow++
				if sh.Stroke == "" {
					t.Errorf("a hollow %s without an outline", sh.XMLName.Local)
				}
			}
		}
		if hollow != 3 {
			t.Errorf("%d hollow markers, want 3 (two gaps, one legend entry)", hollow)
		}
		texts := strings.Join(doc.Texts, "|")
		for _, want := range []string{"0", "20", "100", "2020", "2022", "A<1>", "no data", "50", "75", "30", "40"} {
			if !strings.Contains("|"+texts+"|", "|"+want+"|") {
				t.Errorf("no text %q in %s", want, texts)
			}
		}
	})
	t.Run("GroupedBars", func(t *testing.T) {
		c := testChart()
		c.Max = 0
		c.Series[0].Values[1] = ChartValue{}
		c.Series[1].Values[1] = ChartValue{}
		doc := renderChart(t, BarChart(c))
		bars := 0
		for _, r := range doc.Rects {
			if strings.HasPrefix(r.Fill, "url(#c1-p") {
				bars++
			}
		}
		if want := 3 + 2; bars != want { // three values, two legend swatches
			t.Errorf("%d patterned rects, want %d", bars, want)
		}
		if !strings.Contains(strings.Join(doc.Texts, "|"), "no data") {
			t.Error("a category with no value says nothing")
		}
	})
	t.Run("StackedBars", func(t *testing.T) {
		c := testChart()
		c.Max, c.Stacked = 0, true
		doc := renderChart(t, BarChart(c))
		texts := "|" + strings.Join(doc.Texts, "|") + "|"
		if !strings.Contains(texts, "|80|") { // 2020's stack: 50 + 30
			t.Errorf("no total 80 over the 2020 stack: %s", texts)
		}
	})
}
