package portal

import (
	"slices"
	"testing"
	"time"
)

func TestDaysLeft(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	// 23:30 in Shanghai on 10 January is 15:30 UTC the same day; 00:30 on
	// 11 January is still 10 January in UTC.
	late := time.Date(2061, 1, 10, 23, 30, 0, 0, FederationZone)
	early := time.Date(2061, 1, 11, 0, 30, 0, 0, FederationZone)
	for _, c := range []struct {
		name     string
		deadline time.Time
		now      time.Time
		want     int
	}{
		{"OKToday", day("2061-01-10"), late, 0},
		{"OKTomorrow", day("2061-01-11"), late, 1},
		{"OKNextDayInShanghai", day("2061-01-10"), early, -1},
		{"OKOverdue", day("2061-01-05"), late, -5},
		{"OKMonthsAhead", day("2061-03-01"), late, 50},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := DaysLeft(c.deadline, c.now); got != c.want {
				t.Errorf("DaysLeft(%s, %s) = %d, want %d", c.deadline.Format(time.DateOnly), c.now, got, c.want)
			}
		})
	}
}

func TestSortByUrgency(t *testing.T) {
	d := func(day int) time.Time { return time.Date(2061, 1, day, 0, 0, 0, 0, time.UTC) }
	items := []TodoUrgency{
		{Due: d(20)}, {}, {Overdue: true, Due: d(5)}, {Due: d(12)}, {Overdue: true, Due: d(2)},
	}
	SortByUrgency(items, func(u TodoUrgency) TodoUrgency { return u })
	want := []TodoUrgency{{Overdue: true, Due: d(2)}, {Overdue: true, Due: d(5)}, {Due: d(12)}, {Due: d(20)}, {}}
	if !slices.Equal(items, want) {
		t.Errorf("got %v, want overdue first, then nearest, undated last: %v", items, want)
	}
}
