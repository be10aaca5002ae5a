package server

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"

	"ngoportal/internal/precompress"
)

// Compression of text answers. Every answer passes compress (in the root
// chain): an answer whose Content-Type is text (HTML, CSS, JavaScript, XML,
// the Atom feed, CSV, plain text, JSON, SVG) carries Vary: Accept-Encoding,
// and is sent with brotli or gzip when the client accepts one and the body
// is at least compressMinBytes. Already compressed types (XLSX, PDF,
// images, zip) and answers that carry a Content-Encoding are left alone.
// Static assets are precompressed at build time, at the best levels, and
// embedded (staticVariant).

// compressMinBytes is the smallest body worth compressing.
const compressMinBytes = 1024

// Levels for answers compressed while they are sent.
const (
	gzipLevel   = gzip.DefaultCompression
	brotliLevel = 5
)

// Content-coding names, and the ETag suffix of each variant.
const (
	encGzip   = "gzip"
	encBrotli = "br"
)

// compressors pools the encoders of one server.
type compressors struct {
	gz sync.Pool // *gzip.Writer
	br sync.Pool // *brotli.Writer
}

func newCompressors() *compressors {
	c := &compressors{}
	c.gz.New = func() any {
		w, _ := gzip.NewWriterLevel(io.Discard, gzipLevel)
		return w
	}
	c.br.New = func() any { return brotli.NewWriterLevel(io.Discard, brotliLevel) }
	return c
}

// encoder is a pooled encoder writing to w; put returns it.
type encoder interface {
	io.WriteCloser
	Flush() error
	Reset(io.Writer)
}

func (c *compressors) get(enc string, w io.Writer) encoder {
	var e encoder
	if enc == encBrotli {
		e = c.br.Get().(*brotli.Writer)
	} else {
		e = c.gz.Get().(*gzip.Writer)
	}
	e.Reset(w)
	return e
}

func (c *compressors) put(enc string, e encoder) {
	e.Reset(io.Discard)
	if enc == encBrotli {
		c.br.Put(e)
	} else {
		c.gz.Put(e)
	}
}

// acceptedEncodings is what a request's Accept-Encoding allows, with the
// coding chosen for it ("" for none).
type acceptedEncodings struct {
	gzip, br bool
	chosen   string
}

type acceptKey struct{}

// accepted returns the negotiation of r, made by compress ("" chosen, nothing
// accepted, outside it).
func accepted(r *http.Request) acceptedEncodings {
	a, _ := r.Context().Value(acceptKey{}).(acceptedEncodings)
	return a
}

// negotiate reads Accept-Encoding (RFC 9110 §12.5.3): a coding's weight is
// its own q, else that of "*", else 0; brotli wins a tie with gzip; an
// identity weighted above both keeps the body as it is.
func negotiate(header []string) acceptedEncodings {
	// Each coding's weight, and whether it was named (no map: this runs
	// for every request).
	type weight struct {
		q   float64
		set bool
	}
	var gz, xgz, br, star, id weight
	for _, v := range header {
		for v != "" {
			var part string
			part, v, _ = strings.Cut(v, ",")
			name, params, _ := strings.Cut(part, ";")
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			w := 1.0
			for params != "" {
				var p string
				p, params, _ = strings.Cut(params, ";")
				k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
					if err != nil || f < 0 || f > 1 {
						f = 0
					}
					w = f
				}
			}
			switch {
			case strings.EqualFold(name, encGzip):
				gz = weight{w, true}
			case strings.EqualFold(name, "x-gzip"):
				xgz = weight{w, true}
			case strings.EqualFold(name, encBrotli):
				br = weight{w, true}
			case name == "*":
				star = weight{w, true}
			case strings.EqualFold(name, "identity"):
				id = weight{w, true}
			}
		}
	}
	of := func(w weight) float64 {
		switch {
		case w.set:
			return w.q
		case star.set:
			return star.q
		}
		return 0
	}
	gzq, brq := of(gz), of(br)
	if xgz.set && xgz.q > gzq {
		gzq = xgz.q
	}
	a := acceptedEncodings{gzip: gzq > 0, br: brq > 0}
	best, enc := brq, encBrotli
	if gzq > brq {
		best, enc = gzq, encGzip
	}
	if best <= 0 {
		return a
	}
	if id.set && id.q > best {
		return a
	}
	a.chosen = enc
	return a
}

// compressible reports whether a Content-Type is text worth compressing
// (the rule the static assets are precompressed by, too).
func compressible(contentType string) bool {
	return precompress.Compressible(contentType)
}

// addVary adds Accept-Encoding to Vary, once.
func addVary(h http.Header) {
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), "Accept-Encoding") {
				return
			}
		}
	}
	h.Add("Vary", "Accept-Encoding")
}

// variantETag is the ETag of etag's variant in coding enc: the suffix goes
// inside the quotes, so a weak or strong tag stays one.
func variantETag(etag, enc string) string {
	if enc == "" || !strings.HasSuffix(etag, `"`) || len(etag) < 2 {
		return etag
	}
	suffix := "-gz"
	if enc == encBrotli {
		suffix = "-br"
	}
	return etag[:len(etag)-1] + suffix + `"`
}

// compress negotiates the coding of every answer (see above).
func (s *Server) compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := negotiate(r.Header.Values("Accept-Encoding"))
		r = r.WithContext(context.WithValue(r.Context(), acceptKey{}, a))
		cw := &compressWriter{ResponseWriter: w, s: s, enc: a.chosen, head: r.Method == http.MethodHead}
		defer cw.finish()
		next.ServeHTTP(cw, r)
	})
}

// compressWriter holds back the first compressMinBytes of a body to decide
// whether to compress it, then either compresses or passes through.
type compressWriter struct {
	http.ResponseWriter
	s      *Server
	enc    string // the chosen coding, "" for none
	head   bool
	status int  // set by WriteHeader, not yet sent
	sent   bool // the status line went out
	pass   bool // decided: the body goes as it is
	buf    []byte
	e      encoder
}

// eligible decides, from the headers, whether this answer could be
// compressed at all, and sets Vary when so.
func (cw *compressWriter) eligible() bool {
	h := cw.Header()
	if h.Get("Content-Encoding") != "" || !compressible(h.Get("Content-Type")) {
		return false
	}
	addVary(h)
	switch {
	case cw.status < 200, cw.status == http.StatusNoContent, cw.status == http.StatusNotModified,
		cw.status == http.StatusPartialContent, h.Get("Content-Range") != "":
		return false
	}
	return cw.enc != "" && !cw.head
}

func (cw *compressWriter) WriteHeader(status int) {
	if cw.sent || cw.status != 0 {
		if status < 200 && !cw.sent {
			cw.ResponseWriter.WriteHeader(status)
		}
		return
	}
	if status < 200 {
		cw.ResponseWriter.WriteHeader(status) // informational: not the answer
		return
	}
	cw.status = status
	if !cw.eligible() {
		cw.passThrough()
	}
}

// passThrough sends the status and whatever was held back, uncompressed.
func (cw *compressWriter) passThrough() {
	cw.pass = true
	cw.sent = true
	cw.ResponseWriter.WriteHeader(cw.status)
	if len(cw.buf) > 0 {
		_, _ = cw.ResponseWriter.Write(cw.buf)
		cw.buf = nil
	}
}

// start sends the headers of a compressed answer and what was held back.
func (cw *compressWriter) start() error {
	h := cw.Header()
	h.Set("Content-Encoding", cw.enc)
	h.Del("Content-Length")
	h.Del("Accept-Ranges")
	if etag := h.Get("ETag"); etag != "" {
		h.Set("ETag", variantETag(etag, cw.enc))
	}
	cw.sent = true
	cw.ResponseWriter.WriteHeader(cw.status)
	cw.e = cw.s.compressors.get(cw.enc, cw.ResponseWriter)
	b := cw.buf
	cw.buf = nil
	_, err := cw.e.Write(b)
	return err
}

func (cw *compressWriter) Write(p []byte) (int, error) {
	if cw.status == 0 {
		cw.WriteHeader(http.StatusOK)
	}
	switch {
	case cw.pass:
		return cw.ResponseWriter.Write(p)
	case cw.e != nil:
		return cw.e.Write(p)
	}
	cw.buf = append(cw.buf, p...)
	if len(cw.buf) >= compressMinBytes {
		if err := cw.start(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// Flush sends what is held back (compressed when it is large enough).
func (cw *compressWriter) Flush() {
	if cw.status == 0 {
		cw.WriteHeader(http.StatusOK)
	}
	switch {
	case cw.e != nil:
		_ = cw.e.Flush()
	case !cw.pass:
		cw.passThrough()
	}
	if f, ok := cw.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (cw *compressWriter) Unwrap() http.ResponseWriter { return cw.ResponseWriter }

// finish ends the answer: a small held-back body goes as it is, an encoder
// is closed and returned to its pool.
func (cw *compressWriter) finish() {
	switch {
	case cw.e != nil:
		if err := cw.e.Close(); err != nil {
			cw.s.log.Debug("write compressed response", "err", err)
		}
		cw.s.compressors.put(cw.enc, cw.e)
		cw.e = nil
	case cw.status != 0 && !cw.pass:
		cw.passThrough()
	}
}

// staticVariant is one asset's precompressed codings (nil when not
// smaller, or not text): written at build time by make generate
// (internal/precompress) and embedded with the assets.
type staticVariant struct {
	gz, br []byte
}

func (s *Server) staticVariant(hashed string) staticVariant {
	e := s.assets.Encoded(hashed)
	return staticVariant{gz: e.Gzip, br: e.Brotli}
}
