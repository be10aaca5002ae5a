package ui

import (
	"net/url"
	"strconv"
)

// Field is one form control: its name, label and hint as message keys, the
// value the user sent (kept when the form comes back), and the message key
// of what is wrong with it.
type Field struct {
	Name         string
	Label        string // message key
	Hint         string // message key, optional
	Value        string
	Error        string // message key, empty when the value is fine
	Type         string // input type; "text" when empty
	Required     bool
	Autocomplete string
	MaxLength    int
	Lang         string // lang of the value when it differs from the page's, e.g. "en" for an English name
}

// ID is the control's id, used by its label and the error summary.
func (f Field) ID() string { return "f-" + f.Name }

func (f Field) inputType() string {
	if f.Type == "" {
		return "text"
	}
	return f.Type
}

// DescribedBy links the control to its hint and error.
func (f Field) DescribedBy() string {
	s := ""
	if f.Hint != "" {
		s = f.ID() + "-hint"
	}
	if f.Error != "" {
		if s != "" {
			s += " "
		}
		s += f.ID() + "-error"
	}
	return s
}

// Option is one choice of a select; Label is already translated.
type Option struct {
	Value    string
	Label    string
	Selected bool
}

// FieldError is one entry of a form's error summary.
type FieldError struct {
	ID    string // the control's id
	Label string // message key of the field's label
	Error string // message key
}

// Errors lists the fields that have an error, in the order given.
func Errors(fields ...Field) []FieldError {
	var out []FieldError
	for _, f := range fields {
		if f.Error != "" {
			out = append(out, FieldError{ID: f.ID(), Label: f.Label, Error: f.Error})
		}
	}
	return out
}

// Pager is the position in a paginated list.
type Pager struct {
	Page    int // 1-based
	PerPage int
	Total   int
	Path    string     // the list's path
	Query   url.Values // the filters, kept on every page link
}

// Pages is the number of pages.
func (p Pager) Pages() int {
	if p.PerPage <= 0 || p.Total == 0 {
		return 1
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}

// Offset is the SQL offset of the current page.
func (p Pager) Offset() int { return (p.Page - 1) * p.PerPage }

// URL is the link to page n with the same filters.
func (p Pager) URL(n int) string {
	q := url.Values{}
	for k, v := range p.Query {
		if k != "page" {
			q[k] = v
		}
	}
	if n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	if len(q) == 0 {
		return p.Path
	}
	return p.Path + "?" + q.Encode()
}

// ParsePage reads ?page=N, defaulting to 1 for anything that is not a
// positive whole number.
func ParsePage(q url.Values) int {
	n, err := strconv.Atoi(q.Get("page"))
	if err != nil || n < 1 || n > 1_000_000 {
		return 1
	}
	return n
}
