package server

import (
	"errors"
	"io"
	"net/http"
	"net/url"
)

// uploadForm is a multipart form read by readUploadForm: its text fields
// and its one file.
type uploadForm struct {
	values   url.Values
	filename string // "" when no file was chosen
	data     []byte
	// tooLarge is set when the file is over its limit or the body over the
	// route's cap: the file is then not kept, and the fields sent after
	// the point where reading stopped are missing.
	tooLarge bool
}

// readUploadForm reads r's multipart form as a stream: the text fields
// (MaxBodyBytes of them in all), and the file of fileField up to limit
// bytes. A file over limit is not an error but tooLarge, and so is a body
// over the route's cap (handle's MaxBytesReader, which uploadLimit
// raises): the handler shows its own page with the limit, the reader
// signed in and what they chose kept, instead of the bare 413 page. The
// server reads at most the cap; what the client sends beyond it is left
// unread and the connection is closed after the answer. A text field or
// file name that is not clean UTF-8 (a NUL, a stray byte: checkInput's
// rule) makes the form a bad request; the file's contents are not looked
// at. The fields read are r.PostForm too, for the 503 page (againForm).
func (s *Server) readUploadForm(r *http.Request, fileField string, limit int64) (uploadForm, error) {
	f := uploadForm{values: url.Values{}}
	r.PostForm = f.values
	mr, err := r.MultipartReader()
	if err != nil {
		return f, errBadRequest // not a form of ours
	}
	textLeft := s.cfg.MaxBodyBytes
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		if err != nil {
			return f, readErr(&f, err)
		}
		name := p.FormName()
		if !cleanText(name) {
			return f, errBadRequest
		}
		switch {
		case name == "":
			// A part without a form name: not a form of ours; skipped.
		case p.FileName() == "":
			b, err := io.ReadAll(io.LimitReader(p, textLeft+1))
			if err != nil {
				return f, readErr(&f, err)
			}
			if textLeft -= int64(len(b)); textLeft < 0 || !cleanText(string(b)) {
				return f, errBadRequest
			}
			f.values.Add(name, string(b))
		case name == fileField && f.filename == "" && !f.tooLarge:
			if !cleanText(p.FileName()) {
				return f, errBadRequest
			}
			b, err := io.ReadAll(io.LimitReader(p, limit+1))
			if err != nil {
				return f, readErr(&f, err)
			}
			if int64(len(b)) > limit {
				// The rest of the file is skipped by the next NextPart, up
				// to the route's cap, for the fields that may follow.
				f.tooLarge = true
				continue
			}
			f.filename, f.data = p.FileName(), b
		}
	}
}

// readErr is what readUploadForm returns for a failed read: a body over
// the route's cap makes the form tooLarge and is no error; anything else
// is a malformed form (400) or a client gone away.
func readErr(f *uploadForm, err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		f.tooLarge, f.filename, f.data = true, "", nil
		return nil
	}
	return errBadRequest
}
