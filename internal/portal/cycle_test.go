package portal

import (
	"testing"
	"time"
)

func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestEffectiveDeadline(t *testing.T) {
	cycle := date("2027-01-08")
	later, earlier := date("2027-01-15"), date("2027-01-01")
	tests := []struct {
		name      string
		extension *time.Time
		want      time.Time
	}{
		{"NoExtension", nil, cycle},
		{"Extension", &later, later},
		{"ExtensionOvertakenByCycle", &earlier, cycle},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EffectiveDeadline(cycle, tt.extension); !got.Equal(tt.want) {
				t.Errorf("EffectiveDeadline = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestDeadlinePassed(t *testing.T) {
	deadline := date("2027-01-08")
	tests := []struct {
		name string
		now  time.Time
		want bool
	}{
		{"DayBefore", time.Date(2027, 1, 7, 12, 0, 0, 0, FederationZone), false},
		{"LastMinuteInShanghai", time.Date(2027, 1, 8, 23, 59, 0, 0, FederationZone), false},
		{"MidnightInShanghai", time.Date(2027, 1, 9, 0, 0, 0, 0, FederationZone), true},
		// 16:30 UTC on the 8th is already the 9th in Shanghai.
		{"UTCAfternoonIsShanghaiNextDay", time.Date(2027, 1, 8, 16, 30, 0, 0, time.UTC), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DeadlinePassed(deadline, tt.now); got != tt.want {
				t.Errorf("DeadlinePassed(%s) = %v, want %v", tt.now, got, tt.want)
			}
		})
	}
}
