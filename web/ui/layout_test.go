package ui

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/a-h/templ"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
)

// catalogue loads the message catalogues, as the server does.
func catalogue(t *testing.T) *i18n.Catalogue {
	t.Helper()
	cat, err := i18n.Load(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// loadAssets hashes the embedded static files, as the server does.
func loadAssets(t *testing.T) *Assets {
	t.Helper()
	a, err := LoadAssets()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// render renders the layout around a stand-in page body.
func render(t *testing.T, p Page) string {
	t.Helper()
	var b bytes.Buffer
	ctx := templ.WithChildren(t.Context(), templ.Raw(`<p id="body">body</p>`))
	if err := Layout(p).Render(ctx, &b); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	if !strings.Contains(html, `<p id="body">body</p>`) {
		t.Fatal("the page body is missing")
	}
	return html
}

func TestLayoutNavigationByRole(t *testing.T) {
	cat, assets := catalogue(t), loadAssets(t)
	cases := []struct {
		name    string
		viewer  portal.Viewer
		want    []string
		notWant []string
	}{
		{"Public", portal.Viewer{},
			[]string{`href="/"`},
			[]string{`href="/admin"`, `href="/ngo"`, `action="/logout"`}},
		{"Staff", portal.Viewer{Role: portal.RoleStaff, Name: "李华", NGOID: 3, NGOName: "上海市女医师协会"},
			[]string{`href="/ngo"`, `action="/logout"`, "李华", "退出登录"},
			[]string{`href="/admin"`}},
		{"Admin", portal.Viewer{Role: portal.RoleAdmin, Name: "王芳"},
			[]string{`href="/admin"`, `action="/logout"`, "王芳", "管理后台"},
			[]string{`href="/ngo"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			html := render(t, Page{T: cat.Translator(i18n.ZhCN), Path: "/", Viewer: tc.viewer, Federation: "上海市妇女联合会", Assets: assets})
			for _, s := range tc.want {
				if !strings.Contains(html, s) {
					t.Errorf("lacks %q", s)
				}
			}
			for _, s := range append(tc.notWant, `aria-current=""`) {
				if strings.Contains(html, s) {
					t.Errorf("contains %q", s)
				}
			}
			if strings.Count(html, `aria-current="page"`) != 1 || !strings.Contains(html, `href="/" aria-current="page"`) {
				t.Error("the home link is not the one marked as the current page")
			}
		})
	}
}

func TestLayoutLanguageSwitcherKeepsPage(t *testing.T) {
	cat, assets := catalogue(t), loadAssets(t)
	html := render(t, Page{T: cat.Translator(i18n.En), Path: "/sessions?page=2&year=2021", Assets: assets})
	for _, s := range []string{
		`<html lang="en">`,
		`name="next" value="/sessions?page=2&amp;year=2021"`,
		`value="en" lang="en" aria-pressed="true"`,
		`value="zh-CN" lang="zh-CN" aria-pressed="false"`,
	} {
		if !strings.Contains(html, s) {
			t.Errorf("lacks %q", s)
		}
	}
}

func TestAssets(t *testing.T) {
	a, err := LoadAssets()
	if err != nil {
		t.Fatal(err)
	}
	u := a.URL("app.css")
	if !strings.HasPrefix(u, "/static/app.") || !strings.HasSuffix(u, ".css") || len(u) != len("/static/app..css")+12 {
		t.Errorf("URL(app.css) = %q, want a content-hashed name", u)
	}
	b, name, ok := a.Open(strings.TrimPrefix(u, AssetPrefix))
	if !ok || name != "app.css" || len(b) == 0 {
		t.Errorf("Open(hashed) = %d bytes, %q, %v", len(b), name, ok)
	}
	if _, _, ok := a.Open("app.css"); ok {
		t.Error("an unhashed name was served")
	}
}
