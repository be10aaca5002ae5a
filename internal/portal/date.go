package portal

import (
	"strconv"
	"strings"
	"time"
)

// ParseDay reads a calendar day as a date field sends it, midnight in loc.
// A browser's date control always sends 2027-01-08. Where a browser shows
// a plain text box instead (older ones, some embedded web views), people
// type the day as they write it: 2027-1-8, 2027/1/8, 2027.1.8 or
// 2027年1月8日, with ASCII or full-width digits. All of these put the year
// first and so cannot be misread; a day written with the year last
// (1/8/2027) could be either January or August and is refused.
func ParseDay(s string, loc *time.Location) (time.Time, bool) {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == '／' || r == '－' || r == '．':
			return r - '／' + '/'
		case r == ' ' || r == '\u3000':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	s = strings.NewReplacer("年", "-", "月", "-").Replace(strings.TrimSuffix(s, "日"))
	var parts []string
	for _, sep := range []string{"-", "/", "."} {
		if p := strings.Split(s, sep); len(p) == 3 {
			parts = p
			break
		}
	}
	if len(parts) != 3 || len(parts[0]) != 4 || len(parts[1]) > 2 || len(parts[2]) > 2 {
		return time.Time{}, false
	}
	var n [3]int
	for i, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return time.Time{}, false
		}
		n[i], _ = strconv.Atoi(p)
	}
	d := time.Date(n[0], time.Month(n[1]), n[2], 0, 0, 0, 0, loc)
	// time.Date normalises 2027-02-30 to 2 March: such a day does not exist.
	if n[0] < 1 || d.Year() != n[0] || int(d.Month()) != n[1] || d.Day() != n[2] {
		return time.Time{}, false
	}
	return d, true
}
