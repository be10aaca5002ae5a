package ui

import (
	"math"
	"sort"
	"strconv"
)

// Chart is the data of a bar or line chart drawn on the server as SVG:
// one value per category (the x axis) for each series. Every text comes
// translated from the caller; the components hold none of their own. The
// page shows the same numbers in a table after the chart, so the chart
// itself need not be read exactly.
type Chart struct {
	ID          string   // prefix of the ids inside the SVG, unique on the page
	Title       string   // the accessible name (<title>)
	Desc        string   // the accessible description (<desc>)
	Categories  []string // along the x axis, in order
	Series      []ChartSeries
	Stacked     bool   // bars: stacked on each other rather than side by side
	AxisLabel   string // what the y axis counts
	Max         float64
	NoDataLabel string // shown where a category has no value ("no data")
	// Format writes a value, a tick or a label ("1,234", "50%"); nil
	// writes whole numbers with grouped digits.
	Format func(float64) string
}

// ChartSeries is one series: its name (the legend) and one value per
// category.
type ChartSeries struct {
	Name   string
	Values []ChartValue
}

// ChartValue is one value; OK false is a missing value, drawn as a gap,
// never as zero.
type ChartValue struct {
	V  float64
	OK bool
}

// Known is a value that is there.
func Known(v float64) ChartValue { return ChartValue{V: v, OK: true} }

// The chart's canvas, in viewBox units: the SVG scales to its container.
const (
	chartW      = 560.0
	chartH      = 320.0
	chartLeft   = 64.0 // room for the tick labels and the axis label
	chartRight  = 24.0 // room for the last line label
	chartBottom = 36.0 // room for the category labels
	legendRowH  = 20.0 // one row of the legend
	labelFont   = 12.0 // value labels, ticks, legend
	charW       = 7.0  // width of a Latin character or digit at labelFont, about
	wideCharW   = 12.5 // width of a CJK character at labelFont, about
	minLabelGap = 13.0 // vertical room a value label needs
	textColour  = "#1f2328"
	mutedColour = "#555d66" // 6.4:1 on white
	gridColour  = "#d5d9de"
)

// seriesStyles tell series apart without colour: each has a fill pattern
// (bars), a dash and a marker (lines) of its own, as well as a colour of at
// least 3:1 on white.
var seriesStyles = []struct {
	Colour  string
	Pattern string // solid, diagonal, dots, horizontal, cross, vertical, backdiagonal
	Dash    string
	Marker  string // circle, square, triangle, diamond
}{
	{"#1f4e79", "solid", "", "circle"},
	{"#a34400", "diagonal", "8 4", "square"},
	{"#2e6b30", "dots", "2 3", "triangle"},
	{"#6a3d9a", "horizontal", "12 4 2 4", "diamond"},
	{"#8c1d40", "cross", "", "circle"},
	{"#005f73", "vertical", "8 4", "square"},
	{"#5c5c5c", "backdiagonal", "2 3", "triangle"},
}

// ChartStyle is how series i is drawn.
type ChartStyle struct {
	Colour  string
	Pattern string
	Dash    string
	Marker  string
}

func styleOf(i int) ChartStyle {
	s := seriesStyles[i%len(seriesStyles)]
	return ChartStyle{Colour: s.Colour, Pattern: s.Pattern, Dash: s.Dash, Marker: s.Marker}
}

// PatternID is the id of series i's fill pattern.
func (c Chart) PatternID(i int) string { return c.ID + "-p" + strconv.Itoa(i) }

// PatternFill is series i's fill, referring to its pattern.
func (c Chart) PatternFill(i int) string { return "url(#" + c.PatternID(i) + ")" }

// TitleID and DescID are the ids aria-labelledby names.
func (c Chart) TitleID() string { return c.ID + "-title" }

// DescID is the id of the chart's <desc>.
func (c Chart) DescID() string { return c.ID + "-desc" }

// ViewBox is the SVG's viewBox.
func (c Chart) ViewBox() string { return "0 0 " + num(chartW) + " " + num(chartH) }

func (c Chart) format(v float64) string {
	if c.Format != nil {
		return c.Format(v)
	}
	return GroupDigits(int64(math.Round(v)))
}

// num writes a coordinate with at most one decimal.
func num(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		s = s[:len(s)-2]
	}
	return s
}

// textWidth estimates the width of s at labelFont.
func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r < 0x2E80 {
			w += charW
		} else {
			w += wideCharW
		}
	}
	return w
}

// ChartText is a text placed on the chart.
type ChartText struct {
	X, Y   string
	Text   string
	Anchor string // start, middle, end
}

// ChartTick is one tick of the y axis with its grid line.
type ChartTick struct {
	Y     string
	Label ChartText
}

// ChartLegendItem is one entry of the legend: a swatch (bars) or a line
// and marker (lines) of series Series, or the no-data marker (Series -1).
type ChartLegendItem struct {
	Series int
	Style  ChartStyle
	X, Y   float64 // top left of the swatch
	Label  ChartText
}

// SwatchX and the others place the parts of a legend item.
func (l ChartLegendItem) SwatchX() string { return num(l.X) }

// SwatchY is the swatch's top.
func (l ChartLegendItem) SwatchY() string { return num(l.Y) }

// LineX1 and LineX2 bound a line series' legend stroke.
func (l ChartLegendItem) LineX1() string { return num(l.X) }

// LineX2 is the end of the legend stroke.
func (l ChartLegendItem) LineX2() string { return num(l.X + 22) }

// MidY is the middle of the swatch.
func (l ChartLegendItem) MidY() string { return num(l.Y + 7) }

// Marker is the legend's marker shape, in the middle of its stroke.
func (l ChartLegendItem) Marker() ChartMarker {
	m := markerAt(l.Style.Marker, l.X+11, l.Y+7)
	m.Series, m.Style = l.Series, l.Style
	return m
}

// ChartFrame is what bar and line charts share: the plot area, the axis,
// ticks, categories and legend.
type ChartFrame struct {
	Ticks                                    []ChartTick
	Categories                               []ChartText
	Legend                                   []ChartLegendItem
	NoData                                   []ChartText
	AxisLabel                                ChartText
	AxisTransform                            string
	PlotLeft, PlotRight, PlotTop, PlotBottom string

	top, bottom, left, right, max float64
	slot                          float64 // width of one category
}

// y is the vertical position of value v.
func (f ChartFrame) y(v float64) float64 {
	if f.max <= 0 {
		return f.bottom
	}
	return f.bottom - v/f.max*(f.bottom-f.top)
}

// centre is the middle of category i.
func (f ChartFrame) centre(i int) float64 { return f.left + f.slot*(float64(i)+0.5) }

// NiceTicks returns a round step (1, 2 or 5 times a power of ten, at least
// 1) and the top of an axis from 0 showing max in about five steps.
func NiceTicks(max float64) (step, top float64) {
	if max <= 0 {
		return 1, 1
	}
	raw := max / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	switch n := raw / mag; {
	case n <= 1:
		step = mag
	case n <= 2:
		step = 2 * mag
	case n <= 5:
		step = 5 * mag
	default:
		step = 10 * mag
	}
	step = math.Max(step, 1)
	return step, step * math.Ceil(max/step-1e-9)
}

// frame lays out what both chart kinds share; legendMissing adds the
// legend's no-data entry (lines draw a hollow marker where a value is
// missing).
func (c Chart) frame(dataMax float64, line bool) ChartFrame {
	f := ChartFrame{left: chartLeft, right: chartW - chartRight, bottom: chartH - chartBottom}
	// The legend: as many items per row as fit.
	x, y := f.left, 8.0
	add := func(series int, style ChartStyle, text string) {
		w := 22 + 6 + textWidth(text) + 18
		if x+w > chartW-8 && x > f.left {
			x, y = f.left, y+legendRowH
		}
		f.Legend = append(f.Legend, ChartLegendItem{Series: series, Style: style, X: x, Y: y,
			Label: ChartText{X: num(x + 28), Y: num(y + 11.5), Text: text, Anchor: "start"}})
		x += w
	}
	for i, s := range c.Series {
		add(i, styleOf(i), s.Name)
	}
	if line && c.NoDataLabel != "" && c.anyMissing() {
		add(-1, ChartStyle{Colour: mutedColour, Marker: "circle"}, c.NoDataLabel)
	}
	f.top = y + legendRowH + 16

	max := c.Max
	if max <= 0 {
		max = dataMax
	}
	step, top := NiceTicks(max)
	if c.Max > 0 {
		top = c.Max
	}
	f.max = top
	for v := 0.0; v <= top+1e-9; v += step {
		yy := num(f.y(v))
		f.Ticks = append(f.Ticks, ChartTick{Y: yy, Label: ChartText{X: num(f.left - 6), Y: num(f.y(v) + 4), Text: c.format(v), Anchor: "end"}})
	}
	n := max1(len(c.Categories))
	f.slot = (f.right - f.left) / float64(n)
	for i, cat := range c.Categories {
		f.Categories = append(f.Categories, ChartText{X: num(f.centre(i)), Y: num(f.bottom + 20), Text: cat, Anchor: "middle"})
	}
	midY := (f.top + f.bottom) / 2
	f.AxisLabel = ChartText{X: "14", Y: num(midY), Text: c.AxisLabel, Anchor: "middle"}
	f.AxisTransform = "rotate(-90 14 " + num(midY) + ")"
	f.PlotLeft, f.PlotRight, f.PlotTop, f.PlotBottom = num(f.left), num(f.right), num(f.top), num(f.bottom)
	return f
}

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}

func (c Chart) anyMissing() bool {
	for _, s := range c.Series {
		for i := range c.Categories {
			if i >= len(s.Values) || !s.Values[i].OK {
				return true
			}
		}
	}
	return false
}

// value is series s's value at category i.
func (c Chart) value(s, i int) ChartValue {
	if i < len(c.Series[s].Values) {
		return c.Series[s].Values[i]
	}
	return ChartValue{}
}

// BarLayout is a bar chart laid out.
type BarLayout struct {
	ChartFrame
	Bars   []ChartBar
	Labels []ChartText // value labels on white
}

// ChartBar is one bar (or one segment of a stack).
type ChartBar struct {
	Series     int
	X, Y, W, H string
}

// Bars lays the chart out as bars, grouped or stacked.
func (c Chart) Bars() BarLayout {
	dataMax := 0.0
	for i := range c.Categories {
		sum := 0.0
		for s := range c.Series {
			if v := c.value(s, i); v.OK {
				sum += v.V
				dataMax = math.Max(dataMax, v.V)
			}
		}
		if c.Stacked {
			dataMax = math.Max(dataMax, sum)
		}
	}
	l := BarLayout{ChartFrame: c.frame(dataMax, false)}
	f := l.ChartFrame
	inner := f.slot * 0.7
	for i := range c.Categories {
		left := f.centre(i) - inner/2
		known, base := 0, 0.0
		for s := range c.Series {
			v := c.value(s, i)
			if !v.OK {
				continue
			}
			known++
			if c.Stacked {
				y0, y1 := f.y(base), f.y(base+v.V)
				base += v.V
				l.Bars = append(l.Bars, ChartBar{Series: s, X: num(left), Y: num(y1), W: num(inner), H: num(y0 - y1)})
				if text := c.format(v.V); v.V > 0 && y0-y1 >= minLabelGap+2 && textWidth(text)+6 <= inner {
					l.Labels = append(l.Labels, ChartText{X: num(left + inner/2), Y: num((y0+y1)/2 + 4), Text: text, Anchor: "middle"})
				}
				continue
			}
			w := inner / float64(len(c.Series))
			x := left + w*float64(s)
			y := f.y(v.V)
			l.Bars = append(l.Bars, ChartBar{Series: s, X: num(x), Y: num(y), W: num(w), H: num(f.bottom - y)})
			if text := c.format(v.V); textWidth(text) <= w+4 {
				l.Labels = append(l.Labels, ChartText{X: num(x + w/2), Y: num(y - 4), Text: text, Anchor: "middle"})
			}
		}
		switch {
		case known == 0 && c.NoDataLabel != "":
			l.NoData = append(l.NoData, ChartText{X: num(f.centre(i)), Y: num(f.bottom - 6), Text: c.NoDataLabel, Anchor: "middle"})
		case c.Stacked && known > 0:
			if text := c.format(base); textWidth(text) <= f.slot {
				l.Labels = append(l.Labels, ChartText{X: num(f.centre(i)), Y: num(f.y(base) - 4), Text: text, Anchor: "middle"})
			}
		}
	}
	return l
}

// LineLayout is a line chart laid out.
type LineLayout struct {
	ChartFrame
	Lines   []ChartLine
	Markers []ChartMarker
	Missing []ChartMarker // hollow markers on the axis where a value is missing
	Labels  []ChartText
}

// ChartLine is one unbroken run of a series: a gap ends it.
type ChartLine struct {
	Series int
	Style  ChartStyle
	Points string // the polyline's points
}

// ChartMarker is one marker: a circle (CX, CY, R) or a polygon (Points).
type ChartMarker struct {
	Series    int
	Style     ChartStyle
	Shape     string // circle or polygon
	CX, CY, R string
	Points    string
}

func markerAt(shape string, x, y float64) ChartMarker {
	m := ChartMarker{Shape: "polygon"}
	const r = 4.5
	switch shape {
	case "square":
		m.Points = pts(x-r, y-r, x+r, y-r, x+r, y+r, x-r, y+r)
	case "triangle":
		m.Points = pts(x, y-r-1, x+r+1, y+r, x-r-1, y+r)
	case "diamond":
		m.Points = pts(x, y-r-1, x+r+1, y, x, y+r+1, x-r-1, y)
	default:
		m = ChartMarker{Shape: "circle", CX: num(x), CY: num(y), R: num(r)}
	}
	return m
}

func pts(xy ...float64) string {
	s := ""
	for i := 0; i+1 < len(xy); i += 2 {
		if i > 0 {
			s += " "
		}
		s += num(xy[i]) + "," + num(xy[i+1])
	}
	return s
}

// Lines lays the chart out as lines with markers, broken at missing
// values; each value is labelled above its marker, labels of one category
// moved apart so that none overlaps another.
func (c Chart) Lines() LineLayout {
	dataMax := 0.0
	for s := range c.Series {
		for i := range c.Categories {
			if v := c.value(s, i); v.OK {
				dataMax = math.Max(dataMax, v.V)
			}
		}
	}
	l := LineLayout{ChartFrame: c.frame(dataMax, true)}
	f := l.ChartFrame
	type label struct {
		y    float64
		text string
	}
	perCategory := make([][]label, len(c.Categories))
	for s := range c.Series {
		style := styleOf(s)
		run := ""
		flush := func() {
			if run != "" {
				l.Lines = append(l.Lines, ChartLine{Series: s, Style: style, Points: run})
			}
			run = ""
		}
		for i := range c.Categories {
			v := c.value(s, i)
			x := f.centre(i)
			if !v.OK {
				flush()
				m := markerAt(style.Marker, x+float64(s-len(c.Series)/2)*12, f.bottom)
				m.Series, m.Style = s, style
				l.Missing = append(l.Missing, m)
				continue
			}
			y := f.y(v.V)
			if run != "" {
				run += " "
			}
			run += num(x) + "," + num(y)
			m := markerAt(style.Marker, x, y)
			m.Series, m.Style = s, style
			l.Markers = append(l.Markers, m)
			perCategory[i] = append(perCategory[i], label{y: y - 9, text: c.format(v.V)})
		}
		flush()
	}
	for i, labels := range perCategory {
		sort.Slice(labels, func(a, b int) bool { return labels[a].y < labels[b].y })
		for j := 1; j < len(labels); j++ {
			if labels[j].y-labels[j-1].y < minLabelGap {
				labels[j].y = labels[j-1].y + minLabelGap
			}
		}
		for _, lb := range labels {
			l.Labels = append(l.Labels, ChartText{X: num(f.centre(i) + 8), Y: num(math.Max(lb.y, f.top-4)), Text: lb.text, Anchor: "start"})
		}
	}
	return l
}

// ChartBox is a rectangle.
type ChartBox struct{ X, Y, W, H string }

// Box is the white box behind a value label, so that it reads on any
// pattern or line.
func (t ChartText) Box() ChartBox {
	tw := textWidth(t.Text) + 4
	cx, _ := strconv.ParseFloat(t.X, 64)
	cy, _ := strconv.ParseFloat(t.Y, 64)
	left := cx - 2
	switch t.Anchor {
	case "middle":
		left = cx - tw/2
	case "end":
		left = cx - tw + 2
	}
	return ChartBox{X: num(left), Y: num(cy - 11), W: num(tw), H: "14"}
}

// patternTurn turns a striped pattern's vertical stripes to its direction.
func patternTurn(pattern string) string {
	switch pattern {
	case "diagonal":
		return "rotate(45)"
	case "backdiagonal":
		return "rotate(-45)"
	case "horizontal":
		return "rotate(90)"
	}
	return "rotate(0)"
}

// dashOrNone is a stroke-dasharray value: none for a solid line.
func dashOrNone(dash string) string {
	if dash == "" {
		return "none"
	}
	return dash
}
