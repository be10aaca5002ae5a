package ui

import (
	"strconv"
	"time"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
)

// DateTime shows a moment as a date in the reader's language and a time
// of day, in the federation's time zone: deadlines, uploads, replies,
// histories (2027年1月8日 09:30, 8 January 2027 09:30); "" for none (the
// zero time).
func DateTime(t i18n.Translator, at time.Time) string {
	if at.IsZero() {
		return ""
	}
	local := at.In(portal.FederationZone)
	return t.Date(local) + " " + local.Format("15:04")
}

// Date shows a moment as its day in the federation's time zone, in the
// reader's language: 2027年1月8日, 8 January 2027.
func Date(t i18n.Translator, at time.Time) string { return t.Date(at.In(portal.FederationZone)) }

// Day is a moment's day in the federation's time zone as YYYY-MM-DD, for
// the datetime attribute of a <time> element.
func Day(at time.Time) string { return at.In(portal.FederationZone).Format(time.DateOnly) }

// CalendarDay shows a calendar day (a deadline, an activity's dates) in
// the reader's language, as stored: no time zone is applied; "" for none.
func CalendarDay(t i18n.Translator, d time.Time) string {
	if d.IsZero() {
		return ""
	}
	return t.Date(d)
}

// GroupDigits writes n with a comma between groups of three digits, as
// readers of both Chinese and English expect: 12,345. Both of our languages
// group by three with commas, so this is done by hand: x/text's printer
// (which knows every language's grouping) cost a third of the CPU of a page
// of figures (the indicators page at 2,000 NGOs, docs/benchmarks.md); a test
// checks the two agree.
func GroupDigits(n int64) string {
	return string(AppendGroupDigits(make([]byte, 0, 27), n))
}

// AppendGroupDigits appends n as GroupDigits writes it to b: for a page that
// writes thousands of figures without a string each.
func AppendGroupDigits(b []byte, n int64) []byte {
	var d [20]byte
	s := strconv.AppendInt(d[:0], n, 10)
	if n < 0 {
		b, s = append(b, '-'), s[1:]
	}
	if len(s) <= 3 {
		return append(b, s...)
	}
	head := len(s) % 3
	if head == 0 {
		head = 3
	}
	b = append(b, s[:head]...)
	for i := head; i < len(s); i += 3 {
		b = append(b, ',')
		b = append(b, s[i:i+3]...)
	}
	return b
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
