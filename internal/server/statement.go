package server

import (
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/i18n"
	"ngoportal/internal/markdown"
	"ngoportal/web/public"
	"ngoportal/web/ui"
)

// The privacy and accessibility statements: public pages whose texts are
// Markdown, shipped in both languages (web/public/statements) and
// replaceable by files named in the configuration. They are rendered once,
// when the server is built.

// statementRoutes registers the statements; called from routes().
func (s *Server) statementRoutes(r chi.Router) {
	r.Get(public.PrivacyPath, s.cachedPublic(s.handle(s.handleStatement(public.StatementPrivacy, public.PrivacyPath))))
	r.Get(public.AccessibilityPath, s.cachedPublic(s.handle(s.handleStatement(public.StatementAccessibility, public.AccessibilityPath))))
}

// renderStatements renders every statement in every language: the
// configuration's text where it gives one, else the shipped one, keyed by
// kind, then locale. A configured text that renders to nothing (only raw
// HTML, which is dropped) gives way to the shipped one, with an error in the
// log. The shipped texts are embedded: a missing one is a defect of the
// build, which the tests catch.
func (s *Server) renderStatements() map[string]map[i18n.Locale]string {
	st := s.cfg.Statements
	configured := map[string]map[i18n.Locale]string{
		public.StatementPrivacy:       {i18n.ZhCN: st.PrivacyZH, i18n.En: st.PrivacyEN},
		public.StatementAccessibility: {i18n.ZhCN: st.AccessibilityZH, i18n.En: st.AccessibilityEN},
	}
	out := map[string]map[i18n.Locale]string{}
	for _, kind := range public.Statements {
		out[kind] = map[i18n.Locale]string{}
		for _, l := range i18n.Locales {
			html := ""
			if src := configured[kind][l]; src != "" {
				if html = markdown.Render(src); strings.TrimSpace(html) == "" {
					s.log.Error("the configured statement shows nothing; the shipped one is used", "statement", kind, "locale", l)
				}
			}
			if strings.TrimSpace(html) == "" {
				src, err := public.DefaultStatement(kind, string(l))
				if err != nil {
					panic(err)
				}
				html = markdown.Render(src)
			}
			out[kind][l] = html
		}
	}
	return out
}

func (s *Server) handleStatement(kind, path string) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		t := s.cat.Translator(localeFrom(r.Context()))
		v := public.StatementView{
			Page:     s.publicPage(r, t.T("public.statement."+kind+".title"), path),
			Kind:     kind,
			BodyHTML: s.statements[kind][t.Locale],
		}
		v.Head.Description = t.T("public.statement."+kind+".description", "Federation", v.Federation)
		v.Head.OGType, v.Head.OGTitle = "website", v.Title
		return s.renderPublic(w, r, v.Page, time.Time{}, public.Statement(v))
	}
}

// footer is what every page's footer shows of the configuration, in l;
// the address in the other language when l's is not configured.
func (s *Server) footer(l i18n.Locale) ui.Footer {
	c := s.cfg.Contact
	f := ui.Footer{Phone: c.Phone, Email: c.Email, Address: c.AddressZH, AddressLang: string(i18n.ZhCN), ICP: s.cfg.ICP}
	if c.AddressEN != "" && (l == i18n.En || c.AddressZH == "") {
		f.Address, f.AddressLang = c.AddressEN, string(i18n.En)
	}
	return f
}
