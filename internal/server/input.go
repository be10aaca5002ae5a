package server

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// checkInput refuses, before any handler sees them, bytes no page of ours
// sends and PostgreSQL would refuse: a NUL (SQLSTATE 22021) or text that is
// not UTF-8. A path with them names no page (404); a query or a urlencoded
// form with them is a bad request (400). handle runs it for every page,
// after the route's body cap is in place, so that a form over the cap is
// still 413 and the error page still shows who is signed in. A multipart
// form is streamed by its handler: readUploadForm checks its text fields.
func checkInput(r *http.Request) error {
	if !cleanText(r.URL.Path) {
		return errNotFound
	}
	q, _ := url.ParseQuery(r.URL.RawQuery) // a malformed pair is dropped, as r.URL.Query drops it
	if !cleanValues(q) {
		return errBadRequest
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return errBadRequest
	}
	if !cleanValues(r.PostForm) {
		return errBadRequest
	}
	return nil
}

// cleanText reports whether s is UTF-8 without a NUL byte.
func cleanText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// cleanValues reports whether every name and value in v is cleanText.
func cleanValues(v url.Values) bool {
	for k, vs := range v {
		if !cleanText(k) {
			return false
		}
		for _, s := range vs {
			if !cleanText(s) {
				return false
			}
		}
	}
	return true
}
