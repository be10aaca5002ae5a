package portal

import (
	"strings"
	"testing"
)

func TestRequestValidate(t *testing.T) {
	valid := func() Request { return Request{Number: 1, TextZH: "要求", AddressedToAll: true} }
	tests := []struct {
		name   string
		change func(*Request)
		field  string
		key    string
	}{
		{"OK", func(*Request) {}, "", ""},
		{"OKMax", func(q *Request) { q.Number = MaxRequestNumber }, "", ""},
		{"ErrNumberZero", func(q *Request) { q.Number = 0 }, "number", "request.error.number_invalid"},
		{"ErrNumberTooLarge", func(q *Request) { q.Number = MaxRequestNumber + 1 }, "number", "request.error.number_invalid"},
		{"ErrTextZHTooLong", func(q *Request) { q.TextZH = strings.Repeat("a", MaxRequestTextLen+1) }, "text_zh", "request.error.text_too_long"},
		{"ErrTextENTooLong", func(q *Request) { q.TextEN = strings.Repeat("é", MaxRequestTextLen+1) }, "text_en", "request.error.text_too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := valid()
			tt.change(&q)
			wantOnlyError(t, q.Validate(), tt.field, tt.key)
		})
	}
}
