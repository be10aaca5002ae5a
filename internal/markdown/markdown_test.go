package markdown

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"ngoportal/internal/portal"
)

// allowedAttrs are the only attributes rendered content may carry.
var allowedAttrs = map[string]bool{
	"href": true, "rel": true, "title": true, "src": true, "alt": true,
	"scope": true, "start": true, "class": true,
}

// allowedTags are the only elements rendered content may hold.
var allowedTags = map[string]bool{
	"p": true, "br": true, "hr": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"em": true, "strong": true, "del": true, "code": true, "pre": true, "blockquote": true,
	"ul": true, "ol": true, "li": true, "table": true, "thead": true, "tbody": true, "tr": true,
	"th": true, "td": true, "div": true, "a": true, "img": true,
}

// inert parses out as a browser would and fails for any element, attribute
// or URL that could run code, load something from elsewhere or style the
// page.
func inert(t *testing.T, src, out string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt == html.CommentToken {
			t.Errorf("%q: comment survived: %s", src, out)
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken && tt != html.EndTagToken {
			continue
		}
		tok := z.Token()
		if !allowedTags[tok.Data] {
			t.Errorf("%q: element <%s> survived: %s", src, tok.Data, out)
		}
		for _, a := range tok.Attr {
			v := strings.ToLower(strings.Map(func(r rune) rune {
				if r <= ' ' {
					return -1
				}
				return r
			}, a.Val))
			switch {
			case !allowedAttrs[a.Key]:
				t.Errorf("%q: attribute %s=%q survived: %s", src, a.Key, a.Val, out)
			case a.Key == "class" && a.Val != TableWrapClass:
				t.Errorf("%q: class %q survived: %s", src, a.Val, out)
			case a.Key == "href" && !(strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") ||
				strings.HasPrefix(v, "mailto:") || !strings.Contains(strings.SplitN(v, "/", 2)[0], ":")):
				t.Errorf("%q: href %q survived: %s", src, a.Val, out)
			case a.Key == "src" && (!strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//") || strings.HasPrefix(v, `/\`)):
				t.Errorf("%q: src %q survived: %s", src, a.Val, out)
			}
		}
	}
}

func TestRenderXSS(t *testing.T) {
	payloads := []string{
		`<script>alert(1)</script>`,
		`<SCRIPT SRC=//evil.example/x.js></SCRIPT>`,
		"<scr<script>ipt>alert(1)</script>",
		`<img src=x onerror=alert(1)>`,
		`<IMG SRC="/x.png" ONERROR="alert(1)">`,
		`![x](/a.png" onerror="alert(1))`,
		`![x](/a.png "t\" onerror=\"alert(1)")`,
		`[click](javascript:alert(1))`,
		`[click](JaVaScRiPt:alert(1))`,
		`[click](&#106;avascript:alert(1))`,
		`[click](&#x6A;&#x61;vascript&colon;alert(1))`,
		`[click](java&#9;script:alert(1))`,
		`[click](<javascript:alert(1)>)`,
		`<javascript:alert(1)>`,
		`[click](vbscript:msgbox(1))`,
		`[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
		`[ref][1]` + "\n\n[1]: javascript:alert(1)",
		`<a href="javascript:alert(1)">raw</a>`,
		`<p style="background:url(javascript:alert(1))">styled</p>`,
		`<span style="color:red">red</span>`,
		`![pixel](data:image/png;base64,iVBORw0KGgo=)`,
		`![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)`,
		`![remote](https://tracker.example/p.gif)`,
		`![remote](//tracker.example/p.gif)`,
		`![remote](/\tracker.example/p.gif)`,
		`![remote](/&#47;tracker.example/p.gif)`,
		`<iframe src="https://evil.example"></iframe>`,
		`<svg onload=alert(1)><circle r=1 /></svg>`,
		`<svg><script>alert(1)</script></svg>`,
		`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
		`<object data="x.swf"></object><embed src="x.swf">`,
		`<form action="https://evil.example"><input name=q></form>`,
		`<meta http-equiv="refresh" content="0;url=https://evil.example">`,
		`<base href="https://evil.example/">`,
		`<link rel=stylesheet href=https://evil.example/x.css>`,
		`<div class="table-wrap" id="main" onclick="alert(1)">x</div>`,
		`<details open ontoggle=alert(1)>`,
		"```html\n<script>alert(1)</script>\n```",
		"`<img src=x onerror=alert(1)>`",
		`<!-- <script>alert(1)</script> -->`,
		"| a | b |\n|--|--|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
		"~~<img src=x onerror=alert(1)>~~",
		"**[x](javascript:alert(1))**",
		"> <iframe srcdoc=\"<script>alert(1)</script>\">",
	}
	for _, p := range payloads {
		out := Render(p)
		inert(t, p, out)
		for _, tag := range tags(out) {
			low := strings.ToLower(tag)
			for _, bad := range []string{"script", "javascript:", "vbscript:", "data:", "onerror", "onload",
				"onclick", "ontoggle", "style", "iframe", "svg", "object", "embed", "form", "meta", "base",
				"link", "id="} {
				if strings.Contains(low, bad) {
					t.Errorf("%q: %q survived in %s: %s", p, bad, tag, out)
				}
			}
		}
	}
}

// tags returns the raw text of every tag in out (text and attribute values
// as the tokenizer reads them are checked by inert).
func tags(out string) []string {
	var list []string
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return list
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			tok := z.Token()
			s := "<" + tok.Data
			for _, a := range tok.Attr {
				if a.Key != "title" && a.Key != "alt" { // free text, shown as text
					s += " " + a.Key + "=" + a.Val
				} else {
					s += " " + a.Key
				}
			}
			list = append(list, s+">")
		}
	}
}

// Escaped text stays visible as text: a reader sees the characters written.
func TestRenderKeepsEscapedTextAsText(t *testing.T) {
	out := Render("`<script>alert(1)</script>`")
	if !strings.Contains(out, "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>") {
		t.Errorf("code span: %s", out)
	}
}

func TestRenderMarkdown(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string
		absent    []string
	}{
		{"HeadingsStartAtH2", "# 会议概况\n\n## 参会组织\n\n### 名单",
			[]string{"<h2>会议概况</h2>", "<h3>参会组织</h3>", "<h4>名单</h4>"}, []string{"<h1"}},
		{"HeadingsKeepOrder", "### A\n\n#### B", []string{"<h2>A</h2>", "<h3>B</h3>"}, nil},
		{"Emphasis", "**粗体** *斜体* ~~删除~~", []string{"<strong>粗体</strong>", "<em>斜体</em>", "<del>删除</del>"}, nil},
		{"CJKLineBreak", "第一行\n第二行", []string{"<p>第一行第二行</p>"}, nil},
		{"Link", "[妇联](https://www.example.org/a?b=1&c=2)",
			[]string{`<a href="https://www.example.org/a?b=1&amp;c=2" rel="nofollow noopener">妇联</a>`}, nil},
		{"Autolink", "See www.example.org and https://example.org/x.",
			[]string{`<a href="http://www.example.org" rel="nofollow noopener">www.example.org</a>`,
				`<a href="https://example.org/x" rel="nofollow noopener">https://example.org/x</a>`}, nil},
		{"Mailto", "<mailto:info@example.org>", []string{`href="mailto:info@example.org"`}, nil},
		{"RefusedLinkBecomesText", "[点这里](javascript:alert(1))", []string{"<p>点这里</p>"}, []string{"<a"}},
		{"SiteImage", "![封面](/static/cover.png)", []string{`<img src="/static/cover.png" alt="封面">`}, nil},
		{"RemoteImageBecomesText", "![远程图片](https://example.org/x.png)", []string{"<p>远程图片</p>"}, []string{"<img"}},
		{"Table", "| 组织 | 人次 |\n|:--|--:|\n| 甲 | 12 |",
			[]string{`<div class="table-wrap"><table>`, `<th scope="col">组织</th>`, "<td>12</td>", "</table></div>"},
			[]string{"style", "align"}},
		{"OrderedListStart", "3. c\n4. d", []string{`<ol start="3">`}, nil},
		{"CodeHasNoClass", "```go\nx := 1\n```", []string{"<pre><code>x := 1\n</code></pre>"}, []string{"class"}},
		{"RawHTMLDropped", "before <b>bold</b> after", []string{"before bold after"}, []string{"<b>"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := Render(c.src)
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("Render(%q) = %s\nwant it to contain %s", c.src, out, w)
				}
			}
			for _, a := range c.absent {
				if strings.Contains(out, a) {
					t.Errorf("Render(%q) = %s\nwant no %s", c.src, out, a)
				}
			}
			inert(t, c.src, out)
		})
	}
}

func TestPlainText(t *testing.T) {
	src := "## 参会组织\n\n**上海市女性创业促进会**参加了[会议](https://example.org)。\n\n- 甲\n- 乙\n\n`code` and ~~old~~ text\n"
	want := "参会组织\n上海市女性创业促进会参加了会议。\n甲\n乙\ncode and old text"
	if got := PlainText(src); got != want {
		t.Errorf("PlainText = %q\nwant %q", got, want)
	}
	if got := PlainText("<script>alert(1)</script>正文"); strings.Contains(got, "<") {
		t.Errorf("PlainText kept markup: %q", got)
	}
}

// The composer escapes every fact it writes into Markdown: hostile or
// merely odd names and texts come out as the same text, never as markup.
func TestComposedSummaryRendersFactsAsText(t *testing.T) {
	hostile := []string{
		`<script>alert(1)</script>`,
		`[click](javascript:alert(1))`,
		`![x](/static/x.png)`,
		"*bold* _it_ ~~del~~ `code`",
		`# heading`,
		`1. item`,
		`&lt;b&gt;`,
		`a\*b`,
	}
	f := portal.SessionFacts{
		Federation: portal.Federation{NameZH: "联合会", NameEN: "Federation"},
		Session: portal.Session{TitleZH: "会议", TitleEN: "Session", Level: portal.LevelMunicipal,
			HeldOn: time.Date(2021, 1, 19, 0, 0, 0, 0, time.UTC), VenueZH: hostile[1], VenueEN: hostile[0],
			CycleID: 1, ReviewYear: 2020, PlanYear: 2021},
		Reports: &portal.ReportFacts{ReviewYear: 2020, PlanYear: 2021, AcceptedCount: 1, Total: portal.NewIndicatorSet()},
	}
	for i, h := range hostile {
		f.Attendees = append(f.Attendees, portal.NGOName{ID: int64(i + 1), NameZH: h, NameEN: h})
		f.Requests = append(f.Requests, portal.Request{Number: i + 1, TextZH: h, TextEN: h})
		f.Reports.Highlights = append(f.Reports.Highlights, portal.Highlight{NGONameZH: h, NGONameEN: h, Text: h})
	}
	zh, en := portal.ComposeSummary(f)
	for _, body := range []string{zh.Body, en.Body} {
		out := Render(body)
		inert(t, body, out)
		for _, tag := range tags(out) {
			for _, bad := range []string{"<a", "<img", "<em", "<del", "<code", "<h1", "<b>"} {
				if strings.HasPrefix(tag, bad+" ") || tag == bad+">" {
					t.Errorf("a fact became markup %s:\n%s", tag, out)
				}
			}
		}
		// The composer's own: the NGO's name before its highlight.
		if n := strings.Count(out, "<strong>"); n != len(hostile) {
			t.Errorf("%d strong elements, want %d:\n%s", n, len(hostile), out)
		}
		text := html.UnescapeString(out)
		for _, h := range hostile {
			if !strings.Contains(text, h) {
				t.Errorf("%q is not shown as written:\n%s", h, out)
			}
		}
	}
}
