package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/i18n"
	"ngoportal/internal/notify"
	"ngoportal/internal/portal"
	"ngoportal/web/notification"
	"ngoportal/web/ui"
)

// notificationsPerPage is how many notifications one page of the list shows.
const notificationsPerPage = 25

// notificationRoutes are a signed-in user's notifications and settings,
// under their role's area (/admin or /ngo): every handler works on the
// viewer's own notifications only, so another user's id is a page that
// does not exist.
func (s *Server) notificationRoutes(r chi.Router) {
	r.Get("/notifications", s.handle(s.handleNotificationIndex))
	r.Post("/notifications/read", s.handle(s.handleNotificationReadAll))
	r.Post("/notifications/{id}/read", s.handle(s.handleNotificationRead))
	r.Post("/notifications/{id}/open", s.handle(s.handleNotificationOpen))
	r.Get("/notifications/preferences", s.handle(s.handleNotificationPrefsEdit))
	r.Post("/notifications/preferences", s.handle(s.handleNotificationPrefsUpdate))
}

// notificationsPath is the viewer's list of notifications, in their area.
func notificationsPath(v portal.Viewer) string {
	if v.Role.Official() {
		return adminHomePath + "/notifications"
	}
	return ngoHomePath + "/notifications"
}

func notificationPath(v portal.Viewer, id int64, action string) string {
	return notificationsPath(v) + "/" + strconv.FormatInt(id, 10) + "/" + action
}

func (s *Server) handleNotificationIndex(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	q := r.URL.Query()
	pager := ui.Pager{Page: ui.ParsePage(q), PerPage: notificationsPerPage, Path: notificationsPath(v), Query: url.Values{}}
	list, total, err := s.db.Notifications(r.Context(), v.UserID, pager.PerPage, pager.Offset())
	if err != nil {
		return err
	}
	pager.Total = total
	p := s.page(r, "")
	p.Title = p.T.T("notification.title")
	view := notification.ListView{
		Page: p, Pager: pager, Unread: v.Unread,
		ReadAllPath: notificationsPath(v) + "/read",
		PrefsPath:   notify.PreferencesPath(v.Role),
	}
	if v.Role == portal.RoleAdmin {
		view.MailLogPath = adminMailPath
	}
	for _, n := range list {
		view.Items = append(view.Items, notification.Item{
			Notification: n,
			Message:      notify.Message(p.T, n),
			OpenPath:     notificationPath(v, n.ID, "open"),
			ReadPath:     notificationPath(v, n.ID, "read"),
		})
	}
	return s.render(w, r, http.StatusOK, notification.List(view))
}

func (s *Server) handleNotificationRead(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	v := viewerFrom(r.Context())
	if _, err := s.db.MarkNotificationRead(r.Context(), v.UserID, id); err != nil {
		return err
	}
	return s.redirectFlash(w, r, notificationsPath(v), "notification.flash.read")
}

// handleNotificationOpen marks the notification read and goes to what it
// is about: opening it is reading it, without JavaScript.
func (s *Server) handleNotificationOpen(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	v := viewerFrom(r.Context())
	link, err := s.db.MarkNotificationRead(r.Context(), v.UserID, id)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(link, "/") || strings.HasPrefix(link, "//") {
		link = notificationsPath(v) // the table allows only paths on this site; be sure anyway
	}
	http.Redirect(w, r, link, http.StatusSeeOther)
	return nil
}

func (s *Server) handleNotificationReadAll(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	n, err := s.db.MarkAllNotificationsRead(r.Context(), v.UserID)
	if err != nil {
		return err
	}
	return s.redirectWithFlash(w, r, notificationsPath(v), flash{Key: "notification.flash.all_read", Args: map[string]int{"Count": int(n)}})
}

func (s *Server) handleNotificationPrefsEdit(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	prefs, err := s.db.NotificationPrefs(r.Context(), v.UserID)
	if err != nil {
		return err
	}
	f := prefsForm{Locale: prefs.Locale, EmailOn: map[portal.NotificationKind]bool{}, Digest: prefs.Digest}
	for _, k := range portal.KindsFor(v.Role) {
		f.EmailOn[k] = !prefs.EmailOff[k]
	}
	return s.renderPrefs(w, r, http.StatusOK, f, nil)
}

func (s *Server) handleNotificationPrefsUpdate(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	form, err := parsePostForm(r)
	if err != nil {
		return err
	}
	f := parsePrefsForm(form, v.Role)
	if errs := f.Validate(); len(errs) > 0 {
		return s.renderPrefs(w, r, http.StatusUnprocessableEntity, f, errs)
	}
	prefs := portal.NotificationPrefs{Locale: f.Locale, EmailOff: map[portal.NotificationKind]bool{}, Digest: f.Digest}
	for _, k := range portal.KindsFor(v.Role) {
		// An unticked checkbox is not sent: absent means off.
		prefs.EmailOff[k] = !f.EmailOn[k]
	}
	if err := s.db.SaveNotificationPrefs(r.Context(), s.actor(r), v.UserID, v.Role, prefs); err != nil {
		return err
	}
	return s.redirectFlash(w, r, notify.PreferencesPath(v.Role), "notification.prefs.saved")
}

func (s *Server) renderPrefs(w http.ResponseWriter, r *http.Request, status int, f prefsForm, errs map[string]string) error {
	v := viewerFrom(r.Context())
	p := s.page(r, "")
	p.Title = p.T.T("notification.preferences")
	view := notification.PrefsView{
		Page: p,
		Language: ui.Field{Name: "locale", Label: "notification.prefs.language", Hint: "notification.prefs.language_hint",
			Value: f.Locale, Error: errs["locale"], Required: true},
		Action:   notify.PreferencesPath(v.Role),
		ListPath: notificationsPath(v),
	}
	for _, l := range i18n.Locales {
		view.Languages = append(view.Languages, ui.Option{Value: string(l), Label: p.T.T("notification.lang." + string(l)), Selected: string(l) == f.Locale})
	}
	fields := []ui.Field{view.Language}
	if v.Role.Official() {
		view.Digest = &ui.Field{Name: "daily_digest", Label: "notification.prefs.digest", Hint: "notification.prefs.digest_hint"}
		if f.Digest {
			view.Digest.Value = "on"
		}
	}
	for i, k := range portal.KindsFor(v.Role) {
		fd := ui.Field{Name: "email." + string(k), Label: "notification.kindlabel." + string(k)}
		if f.EmailOn[k] {
			fd.Value = "on"
		}
		if i == 0 {
			fd.Error = errs["email"]
		}
		view.Kinds = append(view.Kinds, notification.KindChoice{Kind: k, Field: fd})
		fields = append(fields, fd)
	}
	view.Errors = ui.Errors(fields...)
	return s.render(w, r, status, notification.Prefs(view))
}
