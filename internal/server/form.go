package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"ngoportal/internal/portal"
)

// parsePostForm reads the request's form body. A body over the route's cap
// keeps its *http.MaxBytesError (413); any other unreadable body is a
// request no page of ours sends: 400.
func parsePostForm(r *http.Request) (url.Values, error) {
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, err
		}
		return nil, errBadRequest
	}
	return r.PostForm, nil
}

// formVersion reads the version an edit form carries: 0 when the form has
// none (a create form), errBadRequest when it is there but not a positive
// number.
func formVersion(p url.Values) (int, error) {
	v, ok := p["version"]
	if !ok {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v[0]))
	if err != nil || n < 1 {
		return 0, errBadRequest
	}
	return n, nil
}

// mergeErrors adds the findings of a domain rule to the field errors the
// parse recorded. A field whose value could not be read keeps that message:
// it says more than what the rule made of the unread value.
func mergeErrors(errs, rule map[string]string) {
	for k, msg := range rule {
		if _, ok := errs[k]; !ok {
			errs[k] = msg
		}
	}
}

// formInt reads a whole number written as such: digits, an optional minus,
// no leading zeros or plus sign.
func formInt(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && strconv.Itoa(n) == s
}

// formID reads a row id from a select or checkbox: a positive number
// written as such.
func formID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0 && strconv.FormatInt(id, 10) == s
}

// formDate reads a date field (UTC midnight, as dates are stored): what a
// date control sends, 2027-01-08, or a day typed year first where the
// browser shows a text box (portal.ParseDay).
func formDate(s string) (time.Time, bool) {
	return portal.ParseDay(s, time.UTC)
}

// formDateString writes a date for a date control: "" for none.
func formDateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// formClock reports whether s is a time of day, hh:mm.
func formClock(s string) bool {
	_, err := time.Parse("15:04", s)
	return err == nil
}

// parseVersion reads the version a one-button form (close, delete, move)
// carries; it must be there. A body over the route's cap stays 413.
func parseVersion(r *http.Request) (int, error) {
	p, err := parsePostForm(r)
	if err != nil {
		return 0, err
	}
	n, err := formVersion(p)
	if err != nil || n == 0 {
		return 0, errBadRequest
	}
	return n, nil
}
