// Package markdown turns the Markdown that admins write (the bodies of the
// public session summaries) into HTML that is safe to put into a page, and
// into plain text for excerpts.
//
// Two layers, so that a mistake in one is caught by the other: goldmark
// renders CommonMark with the GFM tables, strikethrough and autolinks and
// never passes raw HTML through (it is dropped, and dangerous link targets
// are emptied); bluemonday then keeps only the elements and attributes that
// rendering can produce, with URLs limited to http, https, mailto and
// relative ones. No script, event handler, style, class (but the table
// wrapper's), javascript: or data: URL survives.
package markdown

import (
	"bytes"
	"html"
	"net/url"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// LinkRel is the rel attribute every link gets: search engines are not
// asked to follow links written in content, and no opened page may reach
// back into the portal's window.
const LinkRel = "nofollow noopener"

// TableWrapClass is the class of the element every table is wrapped in, so
// that a wide table scrolls sideways on a phone instead of widening the page.
const TableWrapClass = "table-wrap"

// TopHeading is the level the largest heading of the content is rendered
// at: the page's own title is the one h1.
const TopHeading = 2

// Render returns the HTML of Markdown src, sanitised: safe to put into a
// page as it is (templ.Raw). Headings are shifted so that the largest one is
// an h2 and their order is kept; tables are wrapped for scrolling and their
// header cells are column headers.
func Render(src string) string {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		// goldmark fails only when writing to buf fails, which a bytes.Buffer
		// never does; render nothing rather than something unsanitised.
		return ""
	}
	return policy.Sanitize(buf.String())
}

// PlainText returns the text of Markdown src without markup: the words a
// reader sees, each block on a line of its own, for search excerpts and
// feeds.
func PlainText(src string) string {
	source := []byte(src)
	doc := md.Parser().Parse(text.NewReader(source))
	var b strings.Builder
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.Text:
			if entering {
				b.Write(n.Value(source))
				if n.SoftLineBreak() || n.HardLineBreak() {
					b.WriteByte(' ')
				}
			}
		case *ast.String:
			if entering {
				b.Write(n.Value)
			}
		case *ast.AutoLink:
			if entering {
				b.Write(n.Label(source))
			}
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			if entering {
				lines := n.Lines()
				for i := 0; i < lines.Len(); i++ {
					seg := lines.At(i)
					b.Write(seg.Value(source))
				}
			}
		case *east.TableCell:
			if !entering {
				b.WriteByte(' ')
			}
		}
		if !entering && n.Type() == ast.TypeBlock && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
		return ast.WalkContinue, nil
	})
	lines := strings.Split(b.String(), "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

var md = goldmark.New(
	goldmark.WithExtensions(
		extension.Table,
		extension.Strikethrough,
		extension.Linkify,
		// Chinese: no space where a line breaks between two Chinese
		// characters, and emphasis next to full-width punctuation.
		extension.CJK,
	),
	goldmark.WithParserOptions(
		parser.WithASTTransformers(util.Prioritized(transformer{}, 100)),
	),
	goldmark.WithRendererOptions(
		// Before the table extension's own renderer (priority 500).
		renderer.WithNodeRenderers(util.Prioritized(tableRenderer{}, 100)),
	),
)

// transformer shifts headings so that the largest is TopHeading, keeping
// their relative levels (at most h6), and gives every link LinkRel.
type transformer struct{}

// Transform implements parser.ASTTransformer.
func (transformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	source := reader.Source()
	top := 7
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering && h.Level < top {
			top = h.Level
		}
		return ast.WalkContinue, nil
	})
	shift := TopHeading - top
	var unwrap []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			n.Level = min(n.Level+shift, 6)
		case *ast.Link:
			if !safeLink(n.Destination) {
				unwrap = append(unwrap, n)
			}
			n.SetAttributeString("rel", []byte(LinkRel))
		case *ast.AutoLink:
			if !safeLink(n.URL(source)) {
				unwrap = append(unwrap, n)
			}
			n.SetAttributeString("rel", []byte(LinkRel))
		case *ast.Image:
			if !siteImage.MatchString(destination(n.Destination)) {
				unwrap = append(unwrap, n)
			}
		}
		return ast.WalkContinue, nil
	})
	// A link to a refused address, or an image from elsewhere, becomes its
	// text: a link without its target or an img without its src would be
	// invalid HTML.
	for _, n := range unwrap {
		parent := n.Parent()
		if a, ok := n.(*ast.AutoLink); ok {
			parent.ReplaceChild(parent, n, ast.NewString(a.Label(source)))
			continue
		}
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
}

// siteImage matches the images allowed: paths on this site.
var siteImage = regexp.MustCompile(`^/[^/\\]`)

// safeLink reports whether a link's target is an http, https or mailto
// URL, or a relative one.
func safeLink(dest []byte) bool {
	u, err := url.Parse(destination(dest))
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "", "http", "https", "mailto":
		return true
	}
	return false
}

// destination is a link or image target as a browser would read it: with
// character references decoded and without the tabs, line breaks and other
// control characters browsers skip ("java&#9;script:" is "javascript:").
func destination(dest []byte) string {
	return strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, html.UnescapeString(string(dest)))
}

// tableRenderer renders tables inside a scrolling wrapper, header cells as
// column headers and no alignment styles.
type tableRenderer struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (tableRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(east.KindTable, func(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(`<div class="` + TableWrapClass + `"><table>` + "\n")
		} else {
			_, _ = w.WriteString("</table></div>\n")
		}
		return ast.WalkContinue, nil
	})
	reg.Register(east.KindTableCell, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		header := n.Parent() != nil && n.Parent().Kind() == east.KindTableHeader
		switch {
		case entering && header:
			_, _ = w.WriteString(`<th scope="col">`)
		case entering:
			_, _ = w.WriteString("<td>")
		case header:
			_, _ = w.WriteString("</th>\n")
		default:
			_, _ = w.WriteString("</td>\n")
		}
		return ast.WalkContinue, nil
	})
}

// policy allows what rendering produces and nothing else: a UGC policy
// tightened (no id, class, style or data attributes; images only from this
// site, since the portal's content security policy would block others).
var policy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "hr", "h2", "h3", "h4", "h5", "h6",
		"em", "strong", "del", "code", "pre", "blockquote", "ul", "ol", "li",
		"table", "thead", "tbody", "tr", "th", "td")
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	p.AllowAttrs("scope").Matching(regexp.MustCompile(`^col$`)).OnElements("th")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^` + TableWrapClass + `$`)).OnElements("div")

	p.AllowStandardURLs() // http, https, mailto and relative; parseable only
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^` + LinkRel + `$`)).OnElements("a")
	p.RequireNoFollowOnLinks(true)
	p.AllowAttrs("title").OnElements("a", "img")
	p.AllowAttrs("src").Matching(siteImage).OnElements("img")
	p.AllowAttrs("alt").OnElements("img")
	return p
}()
