package ui

import (
	"testing"
	"time"

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

func TestTimestamp(t *testing.T) {
	at := time.Date(2021, 1, 19, 1, 30, 0, 0, time.UTC)
	if got, want := Timestamp(at), "2021-01-19 09:30"; got != want {
		t.Errorf("Timestamp = %q, want %q (Shanghai time)", got, want)
	}
	if got := Timestamp(time.Time{}); got != "" {
		t.Errorf("Timestamp(zero) = %q, want empty", got)
	}
}
