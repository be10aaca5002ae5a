package portal

import (
	"testing"
	"time"
)

func TestNextYearTitle(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2026年工作总结和2027年工作计划", "2027年工作总结和2028年工作计划"},
		{"2027年上海市女性社会组织负责人年度会议", "2028年上海市女性社会组织负责人年度会议"},
		{"Review of 2026 and Plans for 2027", "Review of 2027 and Plans for 2028"},
		{"2027 Annual Leadership Session of Shanghai Women's NGOs", "2028 Annual Leadership Session of Shanghai Women's NGOs"},
		{"第18次会议，300人，编号20270119", "第18次会议，300人，编号20270119"},
		{"2199年与2200年", "2200年与2200年"},
		{"年度会议", "年度会议"},
		{"", ""},
	} {
		if got := NextYearTitle(c.in); got != c.want {
			t.Errorf("NextYearTitle(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNextYearDay(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, c := range []struct{ in, want string }{
		{"2027-01-19", "2028-01-19"},
		{"2028-02-29", "2029-02-28"},
		{"2027-02-28", "2028-02-28"},
		{"2027-12-31", "2028-12-31"},
	} {
		if got := NextYearDay(day(c.in)); !got.Equal(day(c.want)) {
			t.Errorf("NextYearDay(%s) = %s, want %s", c.in, got.Format(time.DateOnly), c.want)
		}
	}
}
