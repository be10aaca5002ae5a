package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
	"ngoportal/web/notification"
	"ngoportal/web/ui"
)

// mailPerPage is how many emails one page of the mail log shows.
const mailPerPage = 50

const adminMailPath = adminHomePath + "/mail"

func adminMailShowPath(id int64) string { return adminMailPath + "/" + strconv.FormatInt(id, 10) }

// mailLogAdminRoutes are the admins' mail log, under /admin; routes.go has
// already required the admin role: the outbox holds every user's mail and
// its retries are the admins' business.
func (s *Server) mailLogAdminRoutes(r chi.Router) {
	r.Get("/mail", s.handle(s.handleMailIndex))
	r.Get("/mail/{id}", s.handle(s.handleMailShow))
	r.Post("/mail/{id}/retry", s.handle(s.handleMailRetry))
}

func (s *Server) handleMailIndex(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	status := portal.DeliveryStatus(q.Get("status"))
	valid := status == ""
	for _, st := range portal.DeliveryStatuses {
		valid = valid || st == status
	}
	if !valid {
		status = ""
	}
	kept := url.Values{}
	if status != "" {
		kept.Set("status", string(status))
	}
	pager := ui.Pager{Page: ui.ParsePage(q), PerPage: mailPerPage, Path: adminMailPath, Query: kept}
	rows, total, counts, err := s.db.ListDeliveries(r.Context(), postgres.DeliveryFilter{Status: status, Limit: pager.PerPage, Offset: pager.Offset()})
	if err != nil {
		return err
	}
	pager.Total = total
	p := s.page(r, "")
	p.Title = p.T.T("notification.mail.title")
	all := 0
	for _, n := range counts {
		all += n
	}
	view := notification.MailLogView{Page: p, Pager: pager, SMTPEnabled: s.cfg.SMTP.Enabled()}
	view.Filters = append(view.Filters, notification.MailFilter{
		Label: p.T.T("notification.mail.filter_all", "Count", all), Path: adminMailPath, Current: status == ""})
	for _, st := range portal.DeliveryStatuses {
		view.Filters = append(view.Filters, notification.MailFilter{
			Label:   p.T.T("notification.mail.filter_status", "Status", p.T.T("notification.mail.status."+string(st)), "Count", counts[st]),
			Path:    adminMailPath + "?status=" + string(st),
			Current: status == st,
			Failed:  st == portal.DeliveryFailed && counts[st] > 0,
		})
	}
	for _, d := range rows {
		view.Rows = append(view.Rows, notification.MailRow{Delivery: d, ShowPath: adminMailShowPath(d.ID)})
	}
	return s.render(w, r, http.StatusOK, notification.MailLog(view))
}

func (s *Server) handleMailShow(w http.ResponseWriter, r *http.Request) error {
	d, err := rowFromURL(r, s.db.DeliveryByID)
	if err != nil {
		return err
	}
	p := s.page(r, "")
	p.Title = p.T.T("notification.mail.show_title", "ID", d.ID)
	view := notification.MailShowView{Page: p, Delivery: d, BackPath: adminMailPath}
	if d.Status == portal.DeliveryFailed {
		view.RetryPath = adminMailShowPath(d.ID) + "/retry"
	}
	return s.render(w, r, http.StatusOK, notification.MailShow(view))
}

func (s *Server) handleMailRetry(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	err = s.db.RetryDelivery(r.Context(), s.actor(r), id)
	if errors.Is(err, portal.ErrConflict) {
		return s.redirectFlash(w, r, adminMailShowPath(id), "notification.mail.not_failed")
	}
	if err != nil {
		return err
	}
	return s.redirectFlash(w, r, adminMailShowPath(id), "notification.mail.retried")
}
