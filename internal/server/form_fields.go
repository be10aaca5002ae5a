package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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
