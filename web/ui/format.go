package ui

import (
	"strconv"
	"strings"
	"time"

	"ngoportal/internal/i18n"
)

// FederationZone is Asia/Shanghai, where the federation works (no summer
// time): every moment a page shows is shown in it.
var FederationZone = time.FixedZone("Asia/Shanghai", 8*60*60)

// DateTime shows a moment as a date in the reader's language and a time
// of day, in the federation's time zone: deadlines, uploads, replies.
func DateTime(t i18n.Translator, at time.Time) string {
	local := at.In(FederationZone)
	return t.Date(local) + " " + local.Format("15:04")
}

// Timestamp shows a moment as YYYY-MM-DD HH:MM in the federation's time
// zone, for tables and histories; "" for none (the zero time).
func Timestamp(at time.Time) string {
	if at.IsZero() {
		return ""
	}
	return at.In(FederationZone).Format("2006-01-02 15:04")
}

// GroupDigits writes n with a comma between groups of three digits, as
// readers of both Chinese and English expect: 12,345.
func GroupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// FileSize shows a byte count the way people read file sizes: "836 bytes",
// "12.5 KB", "1.2 MB" (binary multiples, one decimal below 100).
func FileSize(t i18n.Translator, n int64) string {
	const kb, mb = 1024, 1024 * 1024
	switch {
	case n < kb:
		return t.T("attachment.size.bytes", "N", n)
	case n < mb:
		return t.T("attachment.size.kb", "N", sizeNumber(float64(n)/kb))
	default:
		return t.T("attachment.size.mb", "N", sizeNumber(float64(n)/mb))
	}
}

// sizeNumber keeps one decimal for small numbers and drops a trailing ".0".
func sizeNumber(f float64) string {
	if f >= 100 {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	s := strconv.FormatFloat(f, 'f', 1, 64)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		s = s[:len(s)-2]
	}
	return s
}
