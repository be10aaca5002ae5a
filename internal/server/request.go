package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
	"ngoportal/web/session"
)

// The chair's requests of a session, under /admin/sessions/{id}/requests.

func adminRequestsPath(sessionID int64) string { return adminSessionPath(sessionID) + "/requests" }
func adminRequestPath(sessionID, requestID int64) string {
	return adminRequestsPath(sessionID) + "/" + strconv.FormatInt(requestID, 10)
}
func adminRequestEditPath(sessionID, requestID int64) string {
	return adminRequestPath(sessionID, requestID) + "/edit"
}
func adminRequestDeletePath(sessionID, requestID int64) string {
	return adminRequestPath(sessionID, requestID) + "/delete"
}

// requestFederationRoutes are a session's requests as every federation
// official may read them, under /admin.
func (s *Server) requestFederationRoutes(r chi.Router) {
	r.Get("/sessions/{id}/requests", s.handle(s.handleRequestIndex))
}

// requestAdminRoutes are the requests' forms and writes; routes.go has
// already required the admin role.
func (s *Server) requestAdminRoutes(r chi.Router) {
	r.Post("/sessions/{id}/requests", s.handle(s.handleRequestCreate))
	r.Get("/sessions/{id}/requests/{reqID}/edit", s.handle(s.handleRequestEdit))
	r.Post("/sessions/{id}/requests/{reqID}", s.handle(s.handleRequestUpdate))
	r.Get("/sessions/{id}/requests/{reqID}/delete", s.handle(s.handleRequestDeleteConfirm))
	r.Post("/sessions/{id}/requests/{reqID}/delete", s.handle(s.handleRequestDelete))
}

// requestIDParam reads the route's {reqID} by idParam's rules.
func requestIDParam(r *http.Request) (int64, error) {
	raw := chi.URLParam(r, "reqID")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != raw {
		return 0, errNotFound
	}
	return id, nil
}

// requestSession reads the session of the route; ErrNotFound when none.
func (s *Server) requestSession(r *http.Request) (portal.Session, error) {
	id, err := idParam(r)
	if err != nil {
		return portal.Session{}, err
	}
	return s.db.SessionByID(r.Context(), id)
}

// requestFormData loads the choices of the request form: the active
// roster (plus the official already named, should they have left it) and
// the session's invited NGOs (plus NGOs already named whose invitation was
// withdrawn since, so an edit does not silently drop them from view).
func (s *Server) requestFormData(r *http.Request, sessionID int64, current portal.Request) (session.RequestFormData, error) {
	var d session.RequestFormData
	officials, err := s.db.ListOfficials(r.Context(), true)
	if err != nil {
		return d, err
	}
	portal.SortOfficials(officials, readsEnglish(r))
	seen := false
	for _, o := range officials {
		seen = seen || o.ID == current.MadeBy
		d.Officials = append(d.Officials, session.RequestOfficialOption{ID: o.ID, NameZH: o.NameZH, NameEN: o.NameEN, Position: o.Position})
	}
	if current.MadeBy != 0 && !seen {
		d.Officials = append(d.Officials, session.RequestOfficialOption{
			ID: current.MadeBy, NameZH: current.MadeByNameZH, NameEN: current.MadeByNameEN, Position: current.MadeByPosition,
		})
	}
	ngos, err := s.db.RequestRecipientOptions(r.Context(), sessionID)
	if err != nil {
		return d, err
	}
	portal.SortByName(ngos, readsEnglish(r),
		func(n postgres.RequestRecipientOption) string { return n.NameZH }, func(n postgres.RequestRecipientOption) string { return n.NameEN })
	for _, n := range ngos {
		d.NGOs = append(d.NGOs, session.RequestNGOOption{ID: n.NGOID, NameZH: n.NameZH, NameEN: n.NameEN})
	}
	return d, nil
}

func (s *Server) handleRequestIndex(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requestSession(r)
	if err != nil {
		return err
	}
	next, err := s.db.NextRequestNumber(r.Context(), sess.ID)
	if err != nil {
		return err
	}
	v := session.RequestValues{Number: strconv.Itoa(next), AddressedTo: session.RequestToAll}
	return s.renderRequestIndex(w, r, http.StatusOK, sess, v, nil)
}

func (s *Server) handleRequestCreate(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requestSession(r)
	if err != nil {
		return err
	}
	d, err := s.requestFormData(r, sess.ID, portal.Request{})
	if err != nil {
		return err
	}
	v, req, errs, err := parseRequestForm(r, d.Officials, d.NGOs, sess.ID, 0)
	if err != nil {
		return err
	}
	v.Version, req.Version = 0, 0 // a new request has no version to send
	if !portal.RequestsEditable(sess.Status) {
		return s.renderRequestIndex(w, r, http.StatusConflict, sess, v, nil)
	}
	if len(errs) > 0 {
		return s.renderRequestIndex(w, r, http.StatusUnprocessableEntity, sess, v, errs)
	}
	_, err = s.db.CreateRequest(r.Context(), s.actor(r), req)
	var ve *portal.ValidationError
	switch {
	case errors.As(err, &ve):
		return s.renderRequestIndex(w, r, http.StatusUnprocessableEntity, sess, v, ve.Fields)
	case errors.Is(err, postgres.ErrRequestsReadOnly):
		// The session was closed while the form was open.
		sess.Status = portal.SessionClosed
		return s.renderRequestIndex(w, r, http.StatusConflict, sess, v, nil)
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, adminRequestsPath(sess.ID), "request.flash.created")
}

// renderRequestIndex shows the session's requests and the new-request form
// with its values and errs.
func (s *Server) renderRequestIndex(w http.ResponseWriter, r *http.Request, status int, sess portal.Session, values session.RequestValues, errs map[string]string) error {
	return s.renderRequestIndexWith(w, r, status, sess, values, errs, nil)
}

// renderRequestIndexWith is renderRequestIndex with the answers' date form
// due as sent back (nil: as stored).
func (s *Server) renderRequestIndexWith(w http.ResponseWriter, r *http.Request, status int, sess portal.Session, values session.RequestValues, errs map[string]string, due *session.ResponsesDueForm) error {
	reqs, err := s.db.ListRequests(r.Context(), sess.ID)
	if err != nil {
		return err
	}
	v := session.RequestIndexView{Session: sess, SessionPath: adminSessionPath(sess.ID), ReadOnly: !portal.RequestsEditable(sess.Status)}
	for _, q := range reqs {
		v.Rows = append(v.Rows, session.RequestRow{Request: q,
			EditPath: adminRequestEditPath(sess.ID, q.ID), DeletePath: adminRequestDeletePath(sess.ID, q.ID)})
	}
	if !v.ReadOnly {
		if v.New, err = s.requestFormData(r, sess.ID, portal.Request{}); err != nil {
			return err
		}
		v.New.Values, v.New.Errors, v.New.Action = values, errs, adminRequestsPath(sess.ID)
	}
	if due != nil {
		v.Due = *due
	} else if v.Due, err = s.responsesDueForm(r, sess); err != nil {
		return err
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("request.list.title", "Title", v.T.Pick(sess.TitleZH, sess.TitleEN))
	return s.render(w, r, status, session.RequestIndex(v))
}

// editableRequest loads the route's session and request; a request of
// another session is not found. A session that no longer takes requests
// sends the admin back to the list, which says why.
func (s *Server) editableRequest(r *http.Request) (portal.Session, portal.Request, error) {
	sess, err := s.requestSession(r)
	if err != nil {
		return sess, portal.Request{}, err
	}
	reqID, err := requestIDParam(r)
	if err != nil {
		return sess, portal.Request{}, err
	}
	req, err := s.db.RequestByID(r.Context(), sess.ID, reqID)
	return sess, req, err
}

func (s *Server) handleRequestEdit(w http.ResponseWriter, r *http.Request) error {
	sess, req, err := s.editableRequest(r)
	if err != nil {
		return err
	}
	if !portal.RequestsEditable(sess.Status) {
		return s.redirectReadOnly(w, r, sess.ID)
	}
	return s.renderRequestEdit(w, r, http.StatusOK, sess, req, session.RequestFormData{Values: requestValuesFrom(req)})
}

func (s *Server) handleRequestUpdate(w http.ResponseWriter, r *http.Request) error {
	sess, req, err := s.editableRequest(r)
	if err != nil {
		return err
	}
	d, err := s.requestFormData(r, sess.ID, req)
	if err != nil {
		return err
	}
	v, edited, errs, err := parseRequestForm(r, d.Officials, d.NGOs, sess.ID, req.ID)
	if err != nil {
		return err
	}
	if v.Version == 0 {
		return errBadRequest // every edit form carries its version
	}
	if !portal.RequestsEditable(sess.Status) {
		return s.redirectReadOnly(w, r, sess.ID)
	}
	if len(errs) > 0 {
		return s.renderRequestEdit(w, r, http.StatusUnprocessableEntity, sess, req, session.RequestFormData{Values: v, Errors: errs})
	}
	saved, err := s.db.UpdateRequest(r.Context(), s.actor(r), edited)
	var ve *portal.ValidationError
	switch {
	case errors.As(err, &ve):
		return s.renderRequestEdit(w, r, http.StatusUnprocessableEntity, sess, req, session.RequestFormData{Values: v, Errors: ve.Fields})
	case errors.Is(err, postgres.ErrRequestsReadOnly):
		return s.redirectReadOnly(w, r, sess.ID)
	case errors.Is(err, portal.ErrConflict):
		// Keep what the admin typed, show what was saved meanwhile, and
		// carry the latest version so that saving again is a deliberate
		// overwrite.
		latest, err := s.db.RequestByID(r.Context(), sess.ID, req.ID)
		if err != nil {
			return err
		}
		v.Version = latest.Version
		return s.renderRequestEditConflict(w, r, sess, latest, v)
	case err != nil:
		return err
	}
	key := "request.flash.updated"
	if saved.Version == v.Version {
		key = "request.flash.unchanged"
	}
	return s.redirectFlash(w, r, adminRequestsPath(sess.ID), key)
}

// handleRequestDeleteConfirm asks before a request is deleted: it quotes
// the request and says what goes with it, or that NGOs' reports refer to it
// and it cannot be deleted.
func (s *Server) handleRequestDeleteConfirm(w http.ResponseWriter, r *http.Request) error {
	sess, req, err := s.editableRequest(r)
	if err != nil {
		return err
	}
	if !portal.RequestsEditable(sess.Status) {
		return s.redirectReadOnly(w, r, sess.ID)
	}
	use, err := s.db.RequestUse(r.Context(), sess.ID, req.ID)
	if err != nil {
		return err
	}
	v := session.RequestDeleteView{
		Session: sess, Request: req, Use: use,
		Action: adminRequestDeletePath(sess.ID, req.ID), Cancel: adminRequestsPath(sess.ID),
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("request.confirm.title", "Number", req.Number)
	return s.render(w, r, http.StatusOK, session.RequestDelete(v))
}

func (s *Server) handleRequestDelete(w http.ResponseWriter, r *http.Request) error {
	sess, req, err := s.editableRequest(r)
	if err != nil {
		return err
	}
	version, err := parseVersion(r)
	if err != nil {
		return err
	}
	err = s.db.DeleteRequest(r.Context(), s.actor(r), sess.ID, req.ID, version)
	key := "request.flash.deleted"
	switch {
	case errors.Is(err, postgres.ErrRequestsReadOnly):
		return s.redirectReadOnly(w, r, sess.ID)
	case errors.Is(err, postgres.ErrRequestInUse):
		key = "request.flash.delete_in_use"
	case errors.Is(err, portal.ErrConflict):
		// Changed since the list was shown: do not delete what the admin
		// has not seen; show the list again with a message.
		key = "request.flash.delete_conflict"
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, adminRequestsPath(sess.ID), key)
}

// redirectReadOnly sends the admin to the list, which says why the
// session's requests cannot be changed.
func (s *Server) redirectReadOnly(w http.ResponseWriter, r *http.Request, sessionID int64) error {
	return s.redirectFlash(w, r, adminRequestsPath(sessionID), "request.flash.readonly")
}

func (s *Server) renderRequestEditConflict(w http.ResponseWriter, r *http.Request, sess portal.Session, latest portal.Request, v session.RequestValues) error {
	return s.renderRequestEditView(w, r, http.StatusConflict, sess, latest, session.RequestFormData{Values: v}, true)
}

func (s *Server) renderRequestEdit(w http.ResponseWriter, r *http.Request, status int, sess portal.Session, req portal.Request, d session.RequestFormData) error {
	return s.renderRequestEditView(w, r, status, sess, req, d, false)
}

// renderRequestEditView fills in the choices, page and title of the edit
// form.
func (s *Server) renderRequestEditView(w http.ResponseWriter, r *http.Request, status int, sess portal.Session, req portal.Request, d session.RequestFormData, conflict bool) error {
	choices, err := s.requestFormData(r, sess.ID, req)
	if err != nil {
		return err
	}
	d.Officials, d.NGOs = choices.Officials, choices.NGOs
	d.Editing, d.Action, d.CancelPath = true, adminRequestPath(sess.ID, req.ID), adminRequestsPath(sess.ID)
	v := session.RequestEditView{
		Session: sess, SessionPath: adminSessionPath(sess.ID), ListPath: adminRequestsPath(sess.ID),
		Request: req, Edit: d, Conflict: conflict,
	}
	if conflict {
		v.Latest = req
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("request.form.edit_title", "Number", req.Number)
	return s.render(w, r, status, session.RequestEdit(v))
}
