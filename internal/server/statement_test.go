package server

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func init() {
	routeRules["GET /privacy"] = anyone
	routeRules["GET /accessibility"] = anyone
}

// section is the part of body from the element with the id to the end of
// its closing tag, for assertions about one part of a page.
func section(t *testing.T, body, id, closing string) string {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no element with id %q", id)
	}
	j := strings.Index(body[i:], closing)
	if j < 0 {
		t.Fatalf("no %s after id %q", closing, id)
	}
	return body[i : i+j]
}

// footerEnv configures every contact of the footer and the filing number.
var footerEnv = map[string]string{
	"PORTAL_CONTACT_PHONE":      "+86 21-6248 0000",
	"PORTAL_CONTACT_EMAIL":      "portal@example.org",
	"PORTAL_CONTACT_ADDRESS_ZH": "上海市静安区示例路 100 号",
	"PORTAL_CONTACT_ADDRESS_EN": "100 Example Road, Jing'an, Shanghai",
	"PORTAL_FOOTER_ICP":         "沪ICP备12345678号",
}

// Every page's footer shows the configured contacts and filing number in
// the page's language, and the links to the statements; what is not
// configured is not shown.
func TestFooterFromConfiguration(t *testing.T) {
	t.Parallel()
	h := newHarness(t, footerEnv)
	t.Run("Chinese", func(t *testing.T) {
		for _, p := range []string{"/", "/ngos", "/login", "/no-such-page"} {
			footer := section(t, h.do(t, get(p)).body, "footer-about-title", "</footer>")
			wantContains(t, footer, "联系我们", `href="tel:+862162480000"`, "+86 21-6248 0000",
				`href="mailto:portal@example.org"`, `<dd lang="zh-CN">上海市静安区示例路 100 号</dd>`,
				`<a href="https://beian.miit.gov.cn/" lang="zh-CN">沪ICP备12345678号</a>`,
				`href="/privacy"`, "隐私声明", `href="/accessibility"`, "无障碍声明", "主办单位：上海市妇女联合会")
			wantAbsent(t, footer, "100 Example Road")
		}
	})
	t.Run("English", func(t *testing.T) {
		footer := section(t, h.do(t, get("/?lang=en")).body, "footer-about-title", "</footer>")
		wantContains(t, footer, "Contact us", "Telephone", `<dd lang="en">100 Example Road, Jing&#39;an, Shanghai</dd>`,
			"沪ICP备12345678号", `href="/privacy?lang=en"`, "Privacy statement", "Accessibility statement")
		wantAbsent(t, footer, "示例路")
	})
	t.Run("OnlyTheChineseAddress", func(t *testing.T) {
		only := newHarnessWith(t, map[string]string{"PORTAL_CONTACT_ADDRESS_ZH": "上海市静安区示例路 100 号"}, h.db, nil)
		footer := section(t, only.do(t, get("/?lang=en")).body, "footer-about-title", "</footer>")
		wantContains(t, footer, `<dd lang="zh-CN">上海市静安区示例路 100 号</dd>`)
		wantAbsent(t, footer, "tel:", "mailto:", "beian.miit.gov.cn")
	})
	t.Run("NothingConfigured", func(t *testing.T) {
		plain := newHarnessWith(t, nil, h.db, nil)
		footer := section(t, plain.do(t, get("/")).body, "footer-about-title", "</footer>")
		wantContains(t, footer, `href="/privacy"`, `href="/accessibility"`)
		wantAbsent(t, footer, "联系我们", "beian.miit.gov.cn")
	})
	t.Run("ETagFollowsTheFooter", func(t *testing.T) {
		// A summary's page is tagged before it is rendered: the tag must
		// change with what the footer shows.
		const slug = "footer-etag-2052"
		pubSummary(t, h, slug, "2052-01-19", "women-lawyers")
		plain := newHarnessWith(t, nil, h.db, nil)
		a := h.do(t, get("/sessions/"+slug)).header.Get("ETag")
		b := plain.do(t, get("/sessions/"+slug)).header.Get("ETag")
		if a == "" || a == b {
			t.Errorf("ETag with and without the footer's configuration: %q, %q", a, b)
		}
	})
}

// The privacy and accessibility statements are public pages in both
// languages, shipped with the portal, replaceable by a configured file
// (rendered as sanitised Markdown), with the configured contacts, and
// listed in the sitemap.
func TestStatements(t *testing.T) {
	t.Parallel()
	h := newHarness(t, footerEnv)
	t.Run("Shipped", func(t *testing.T) {
		for _, c := range []struct {
			path string
			want []string
		}{
			{"/privacy", []string{"<h1 id=\"statement-title\">隐私声明</h1>", "审计日志", "手机号码", "保存多久", "联系我们", `href="mailto:portal@example.org"`}},
			{"/privacy?lang=en", []string{"Privacy statement</h1>", "Audit log", "mobile numbers", "For how long", "Contact us"}},
			{"/accessibility", []string{"无障碍声明</h1>", "WCAG", "2.1 AA", "反馈问题"}},
			{"/accessibility?lang=en", []string{"Accessibility statement</h1>", "WCAG", "Reporting a problem", `aria-current="page"`}},
		} {
			res := h.do(t, get(c.path))
			if res.status != http.StatusOK {
				t.Fatalf("%s: %d", c.path, res.status)
			}
			wantContains(t, res.body, c.want...)
			if cc := res.header.Get("Cache-Control"); !strings.HasPrefix(cc, "public") {
				t.Errorf("%s: Cache-Control %q", c.path, cc)
			}
		}
	})
	t.Run("Configured", func(t *testing.T) {
		dir := t.TempDir()
		file := filepath.Join(dir, "privacy.en.md")
		if err := os.WriteFile(file, []byte("## Our own policy\n\nWe keep <script>alert(1)</script> *little*."), 0o600); err != nil {
			t.Fatal(err)
		}
		own := newHarnessWith(t, map[string]string{"PORTAL_PRIVACY_FILE_EN": file}, h.db, nil)
		en := own.do(t, get("/privacy?lang=en")).body
		wantContains(t, en, "<h2>Our own policy</h2>", "<em>little</em>")
		wantAbsent(t, en, "<script>alert", "Audit log")
		wantContains(t, own.do(t, get("/privacy")).body, "审计日志")
	})
	t.Run("Sitemap", func(t *testing.T) {
		body := h.do(t, get("/sitemap.xml")).body
		wantContains(t, body, "<loc>"+testBase+"/privacy</loc>", "<loc>"+testBase+"/accessibility?lang=en</loc>")
	})
}
