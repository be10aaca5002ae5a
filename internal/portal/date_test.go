package portal

import (
	"testing"
	"time"
)

func TestParseDay(t *testing.T) {
	for _, in := range []string{"2027-01-08", "2027-1-8", "2027/1/8", "2027/01/08", "2027.1.8", "2027年1月8日",
		"2027年01月08日", " 2027 年 1 月 8 日 ", "２０２７年１月８日", "２０２７／１／８"} {
		d, ok := ParseDay(in, FederationZone)
		if !ok || d.Year() != 2027 || d.Month() != time.January || d.Day() != 8 || d.Location() != FederationZone || d.Hour() != 0 {
			t.Errorf("ParseDay(%q) = %v, %v; want 8 January 2027", in, d, ok)
		}
	}
	if d, ok := ParseDay("2028-02-29", time.UTC); !ok || d.Day() != 29 {
		t.Errorf("a leap day: %v, %v", d, ok)
	}
	for _, in := range []string{"", "1/8/2027", "8/1/2027", "2027-02-30", "2027-13-01", "2027-00-10", "2027-01-00",
		"27-1-8", "2027-1", "2027-1-8-9", "2027/1-8", "2027-+1-8", "2027--8", "0000-01-01", "2027年1月", "明天", "2027-001-08"} {
		if d, ok := ParseDay(in, time.UTC); ok {
			t.Errorf("ParseDay(%q) = %v, want refused", in, d)
		}
	}
}
