package ui

import (
	"math"
	"testing"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"ngoportal/internal/i18n"
)

func TestGroupDigits(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{
		{0, "0"}, {999, "999"}, {1000, "1,000"}, {12345, "12,345"}, {1234567, "1,234,567"}, {-1234, "-1,234"},
	} {
		if got := GroupDigits(tc.n); got != tc.want {
			t.Errorf("GroupDigits(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	// What x/text's printer writes, in both of our languages.
	for _, tag := range []language.Tag{language.English, language.SimplifiedChinese} {
		p := message.NewPrinter(tag)
		for _, n := range []int64{1, 12, 123, 1234, 12345, 123456, 1234567, 100000000, math.MaxInt64, math.MinInt64 + 1, -5, -999999} {
			if got, want := GroupDigits(n), p.Sprint(number.Decimal(n)); got != want {
				t.Errorf("GroupDigits(%d) = %q, x/text (%s) %q", n, got, tag, want)
			}
		}
	}
}

func TestFileSize(t *testing.T) {
	cat := catalogue(t)
	en := cat.Translator(i18n.En)
	for _, tc := range []struct {
		n    int64
		want string
	}{
		{836, "836 bytes"},
		{1024, "1 KB"},
		{12800, "12.5 KB"},
		{150 * 1024, "150 KB"},
		{1258291, "1.2 MB"},
	} {
		if got := FileSize(en, tc.n); got != tc.want {
			t.Errorf("FileSize(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestDateTimeAndCalendarDay(t *testing.T) {
	c := catalogue(t)
	zh, en := c.Translator(i18n.ZhCN), c.Translator(i18n.En)
	at := time.Date(2021, 1, 19, 1, 30, 0, 0, time.UTC)
	if got, want := DateTime(zh, at), "2021年1月19日 09:30"; got != want {
		t.Errorf("DateTime(zh) = %q, want %q (Shanghai time)", got, want)
	}
	if got, want := DateTime(en, at), "19 January 2021 09:30"; got != want {
		t.Errorf("DateTime(en) = %q, want %q", got, want)
	}
	if got := DateTime(zh, time.Time{}); got != "" {
		t.Errorf("DateTime(zero) = %q, want empty", got)
	}
	// A calendar day is shown as stored: 8 January at UTC midnight is 8 January.
	day := time.Date(2027, 1, 8, 0, 0, 0, 0, time.UTC)
	if got, want := CalendarDay(zh, day), "2027年1月8日"; got != want {
		t.Errorf("CalendarDay(zh) = %q, want %q", got, want)
	}
	if got, want := CalendarDay(en, day), "8 January 2027"; got != want {
		t.Errorf("CalendarDay(en) = %q, want %q", got, want)
	}
	if got := CalendarDay(en, time.Time{}); got != "" {
		t.Errorf("CalendarDay(zero) = %q, want empty", got)
	}
}
