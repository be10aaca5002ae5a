package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"ngoportal/internal/i18n"
)

// localeCookie stores the reader's explicit language choice (over https
// with the __Host- prefix: cookieName).
const localeCookie = "locale"

type localeKey struct{}

// localeFrom returns the request's locale; zh-CN when none was chosen.
func localeFrom(ctx context.Context) i18n.Locale {
	if l, ok := ctx.Value(localeKey{}).(i18n.Locale); ok {
		return l
	}
	return i18n.ZhCN
}

// langParam is the query parameter that names a page's language in its
// address (?lang=en): it wins over the cookie and Accept-Language, so that
// a link, a search engine or a shared address shows the language it names.
const langParam = "lang"

// readsEnglish reports whether the request's reader reads English: the
// lists a handler sorts (portal.SortByName) then go by the English names.
func readsEnglish(r *http.Request) bool { return localeFrom(r.Context()) == i18n.En }

// queryLocale is the locale the request's ?lang= names, if any.
func queryLocale(r *http.Request) (i18n.Locale, bool) {
	v := r.URL.Query().Get(langParam)
	if v == "" {
		return "", false
	}
	return i18n.Parse(v)
}

// cookieLocale is the locale the reader's cookie names, or "".
func (s *Server) cookieLocale(r *http.Request) i18n.Locale {
	if c, err := r.Cookie(s.cookieName(localeCookie)); err == nil {
		if l, ok := i18n.Parse(c.Value); ok {
			return l
		}
	}
	return ""
}

// acceptsHTML reports whether r asks for an HTML page, as a browser's
// navigation does.
func acceptsHTML(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

// setsCookieKey marks a request whose answer sets a cookie.
type setsCookieKey struct{}

// chooseLocale picks the locale: the ?lang= parameter, else an explicit
// choice stored in a cookie, else Accept-Language, else zh-CN.
func (s *Server) chooseLocale(r *http.Request) i18n.Locale {
	if l, ok := queryLocale(r); ok {
		return l
	}
	if l := s.cookieLocale(r); l != "" {
		return l
	}
	if h := r.Header.Get("Accept-Language"); h != "" {
		return s.cat.Match(h)
	}
	return i18n.ZhCN
}

// withLocale stores the chosen locale in the request context and says which
// request headers the answer depends on. A ?lang= naming a language is a
// reader's explicit choice: when a browser navigates to such an address
// (it asks for HTML; a feed reader does not) the choice is kept in a cookie
// for the visit, so the next click, wherever the link points, stays in that
// language. That one answer is private: a shared cache never stores a
// Set-Cookie.
func (s *Server) withLocale(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l := s.chooseLocale(r)
		if ql, ok := queryLocale(r); ok && s.cookieLocale(r) != ql && acceptsHTML(r) {
			s.setLocaleCookie(w, ql, 0)
			r = r.WithContext(context.WithValue(r.Context(), setsCookieKey{}, true))
		}
		w.Header().Set("Content-Language", string(l))
		w.Header().Add("Vary", "Accept-Language, Cookie")
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), localeKey{}, l)))
	})
}

// handleLocaleUpdate stores the reader's language choice and sends them back
// to the page they were reading; a ?lang= in that page's address is changed
// to the choice (removed for zh-CN, the default), or it would override it.
func (s *Server) handleLocaleUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	l, ok := i18n.Parse(r.PostForm.Get("locale"))
	if !ok {
		return errBadRequest
	}
	s.setLocaleCookie(w, l, 365*24*60*60)
	http.Redirect(w, r, withLang(localPath(r.PostForm.Get("next")), l), http.StatusSeeOther)
	return nil
}

// setLocaleCookie stores locale l as the reader's choice, for maxAge
// seconds, or for the visit when maxAge is 0.
func (s *Server) setLocaleCookie(w http.ResponseWriter, l i18n.Locale, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name:     s.cookieName(localeCookie),
		Value:    string(l),
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   s.cfg.SecureCookies(),
		SameSite: http.SameSiteLaxMode,
	})
}

// withLang returns the local path p with its lang parameter set to l, or
// removed for zh-CN; a path without one is returned as it is.
func withLang(p string, l i18n.Locale) string {
	u, err := url.Parse(p)
	if err != nil || !u.Query().Has(langParam) {
		return p
	}
	q := u.Query()
	if l == i18n.ZhCN {
		q.Del(langParam)
	} else {
		q.Set(langParam, string(l))
	}
	u.RawQuery = q.Encode()
	return localPath(u.RequestURI())
}

// localPath returns p when it is a path on this site, and "/" otherwise, so
// that a redirect can never leave the portal.
func localPath(p string) string {
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n\t") {
		return "/"
	}
	return p
}
