package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/portal"
	"ngoportal/web/session"
)

// The sessions' admin paths.
const (
	adminSessionsPath   = "/admin/sessions"
	adminSessionNewPath = adminSessionsPath + "/new"
)

// adminSessionPath is the admin page of session id.
func adminSessionPath(id int64) string { return adminSessionsPath + "/" + strconv.FormatInt(id, 10) }

func adminSessionEditPath(id int64) string   { return adminSessionPath(id) + "/edit" }
func adminSessionStatusPath(id int64) string { return adminSessionPath(id) + "/status" }
func adminSessionDeletePath(id int64) string { return adminSessionPath(id) + "/delete" }
func adminSessionCopyPath(id int64) string   { return adminSessionPath(id) + "/copy" }

// sessionFederationRoutes are the sessions' pages every federation official
// may read, under /admin.
func (s *Server) sessionFederationRoutes(r chi.Router) {
	r.Get("/sessions", s.handle(s.handleSessionIndex))
	r.Get("/sessions/{id}", s.handle(s.handleSessionShow))
}

// sessionAdminRoutes are the sessions' forms and writes, under /admin;
// routes.go has already required the admin role.
func (s *Server) sessionAdminRoutes(r chi.Router) {
	r.Post("/sessions", s.handle(s.handleSessionCreate))
	r.Get("/sessions/new", s.handle(s.handleSessionNew))
	r.Post("/sessions/{id}", s.handle(s.handleSessionUpdate))
	r.Get("/sessions/{id}/edit", s.handle(s.handleSessionEdit))
	r.Post("/sessions/{id}/status", s.handle(s.handleSessionStatus))
	r.Post("/sessions/{id}/delete", s.handle(s.handleSessionDelete))
	r.Post("/sessions/{id}/copy", s.handle(s.handleSessionCopy))
}

func (s *Server) handleSessionIndex(w http.ResponseWriter, r *http.Request) error {
	list, err := s.db.ListSessions(r.Context())
	if err != nil {
		return err
	}
	v := session.SessionListView{NewPath: adminSessionNewPath}
	for _, it := range list {
		v.Rows = append(v.Rows, session.SessionRow{SessionListItem: it, Link: adminSessionPath(it.ID)})
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("session.list.title")
	return s.render(w, r, http.StatusOK, session.SessionList(v))
}

func (s *Server) handleSessionShow(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	return s.renderSessionShow(w, r, http.StatusOK, id, "", "")
}

// renderSessionShow shows session id's page; problem is the message key of
// an action just refused, cancelError that of a missing cancel reason.
func (s *Server) renderSessionShow(w http.ResponseWriter, r *http.Request, status int, id int64, problem, cancelError string) error {
	d, err := s.db.SessionDetail(r.Context(), id)
	if err != nil {
		return err
	}
	base := adminSessionPath(id)
	v := session.SessionShowView{
		Session: d, ListPath: adminSessionsPath, EditPath: adminSessionEditPath(id),
		StatusPath: adminSessionStatusPath(id), DeletePath: adminSessionDeletePath(id),
		CopyPath: adminSessionCopyPath(id), Problem: problem, CancelError: cancelError,
		Links: []session.SessionLink{
			{Label: "session.link.invitations", Path: base + "/invitations"},
			{Label: "session.link.checkin", Path: base + "/checkin"},
			{Label: "session.link.attendance", Path: base + "/attendance"},
			{Label: "session.link.requests", Path: base + "/requests"},
			{Label: "response.session_link", Path: adminResponsesPath(id)},
			{Label: "summary.session_link", Path: adminSummaryPath(id)},
		},
	}
	if err := s.sessionResultsLinks(r, &v); err != nil {
		return err
	}
	v.Page = s.page(r, "")
	v.Title = v.T.Pick(d.TitleZH, d.TitleEN)
	return s.render(w, r, status, session.SessionShow(v))
}

func (s *Server) handleSessionNew(w http.ResponseWriter, r *http.Request) error {
	values := session.SessionValues{Level: string(portal.LevelMunicipal), Agenda: []session.AgendaValues{{}}}
	return s.renderSessionForm(w, r, http.StatusOK, session.SessionFormView{Values: values})
}

func (s *Server) handleSessionCreate(w http.ResponseWriter, r *http.Request) error {
	var v session.SessionFormView
	if err := s.loadSessionChoices(r, &v); err != nil {
		return err
	}
	values, plan, errs, err := parseSessionForm(r, sessionChoicesOf(v), portal.SessionDraft)
	if err != nil {
		return err
	}
	v.Values = values
	if op := sessionOp(r); op != "save" {
		// A post-back to edit the agenda rows: show the form again, save nothing.
		if !applyAgendaOp(&v.Values, op) {
			return errBadRequest
		}
		return s.renderSessionForm(w, r, http.StatusOK, v)
	}
	if v.Errors = errs; len(v.Errors) > 0 {
		return s.renderSessionForm(w, r, http.StatusUnprocessableEntity, v)
	}
	id, err := s.db.CreateSession(r.Context(), s.actor(r), plan)
	var ve *portal.ValidationError
	if errors.As(err, &ve) {
		v.Errors = ve.Fields
		return s.renderSessionForm(w, r, http.StatusUnprocessableEntity, v)
	}
	if err != nil {
		return err
	}
	return s.redirectFlash(w, r, adminSessionPath(id), "session.flash.created")
}

func (s *Server) handleSessionEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	d, err := s.db.SessionDetail(r.Context(), id)
	if err != nil {
		return err
	}
	if !d.Editable() {
		return s.renderSessionShow(w, r, http.StatusConflict, id, "session.err.read_only", "")
	}
	return s.renderSessionForm(w, r, http.StatusOK, session.SessionFormView{Editing: true, Session: d.Session, Values: sessionValuesFrom(d)})
}

func (s *Server) handleSessionUpdate(w http.ResponseWriter, r *http.Request) error {
	sess, err := rowFromURL(r, s.db.SessionByID)
	if err != nil {
		return err
	}
	id := sess.ID
	if !sess.Editable() {
		return s.renderSessionShow(w, r, http.StatusConflict, id, "session.err.read_only", "")
	}
	v := session.SessionFormView{Editing: true, Session: sess}
	if err := s.loadSessionChoices(r, &v); err != nil {
		return err
	}
	values, plan, errs, err := parseSessionForm(r, sessionChoicesOf(v), sess.Status)
	if err != nil {
		return err
	}
	if values.Version == 0 {
		return errBadRequest
	}
	v.Values = values
	if op := sessionOp(r); op != "save" {
		if !applyAgendaOp(&v.Values, op) {
			return errBadRequest
		}
		return s.renderSessionForm(w, r, http.StatusOK, v)
	}
	if v.Errors = errs; len(v.Errors) > 0 {
		return s.renderSessionForm(w, r, http.StatusUnprocessableEntity, v)
	}
	err = s.db.UpdateSession(r.Context(), s.actor(r), id, plan)
	var ve *portal.ValidationError
	switch {
	case errors.As(err, &ve):
		v.Errors = ve.Fields
		return s.renderSessionForm(w, r, http.StatusUnprocessableEntity, v)
	case errors.Is(err, portal.ErrSessionReadOnly):
		return s.renderSessionShow(w, r, http.StatusConflict, id, "session.err.read_only", "")
	case errors.Is(err, portal.ErrConflict):
		latest, err := s.db.SessionByID(r.Context(), id)
		if err != nil {
			return err
		}
		// Keep what the admin typed; saving again is a deliberate overwrite.
		v.Conflict, v.Session, v.Values.Version = true, latest, latest.Version
		return s.renderSessionForm(w, r, http.StatusConflict, v)
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, adminSessionPath(id), "session.flash.updated")
}

func (s *Server) handleSessionStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	to := portal.SessionStatus(portal.CleanText(r.PostForm.Get("to")))
	reason := portal.CleanText(r.PostForm.Get("reason"))
	if to == portal.SessionCancelled {
		switch {
		case reason == "":
			return s.renderSessionShow(w, r, http.StatusUnprocessableEntity, id, "session.err.reason_required", "session.err.reason_required")
		case len([]rune(reason)) > 500:
			return s.renderSessionShow(w, r, http.StatusUnprocessableEntity, id, "session.err.reason_too_long", "session.err.reason_too_long")
		}
	}
	err = s.db.SetSessionStatus(r.Context(), s.actor(r), id, to, reason)
	switch {
	case errors.Is(err, portal.ErrIllegalStep):
		return s.renderSessionShow(w, r, http.StatusConflict, id, "session.err.illegal_step", "")
	case errors.Is(err, portal.ErrScheduleIncomplete):
		return s.renderSessionShow(w, r, http.StatusUnprocessableEntity, id, "session.err.schedule_incomplete", "")
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, adminSessionPath(id), "session.flash.status."+string(to))
}

func (s *Server) handleSessionDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	err = s.db.DeleteSession(r.Context(), s.actor(r), id)
	switch {
	case errors.Is(err, portal.ErrSessionHasInvitations):
		return s.renderSessionShow(w, r, http.StatusConflict, id, "session.err.has_invitations", "")
	case errors.Is(err, portal.ErrIllegalStep):
		return s.renderSessionShow(w, r, http.StatusConflict, id, "session.err.delete_not_draft", "")
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, adminSessionsPath, "session.flash.deleted")
}

// handleSessionCopy makes next year's draft from a session and opens it,
// saying what was copied.
func (s *Server) handleSessionCopy(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	c, err := s.db.CopySession(r.Context(), s.actor(r), id)
	if err != nil {
		return err
	}
	return s.redirectWithFlash(w, r, adminSessionEditPath(c.ID), flash{Key: "session.flash.copied_summary", Args: copyFlashArgs(c)})
}

// copyFlashArgs are the numbers the page after a copy says: what was
// copied, what was left out, whether the titles' years changed (1 or 0).
func copyFlashArgs(c portal.SessionCopy) map[string]int {
	titles := 0
	if c.TitlesChanged {
		titles = 1
	}
	return map[string]int{"Agenda": c.Agenda, "Officials": c.Officials, "Invitations": c.Invitations,
		"OfficialsLeftOut": c.OfficialsLeftOut, "NGOsLeftOut": c.NGOsLeftOut, "Titles": titles}
}

// loadSessionChoices fills the form's cycles, officials and NGOs. When
// editing, the officials already present stay offered even if retired.
func (s *Server) loadSessionChoices(r *http.Request, v *session.SessionFormView) error {
	if v.Cycles != nil {
		return nil
	}
	var err error
	if v.Cycles, err = s.db.AvailableCycles(r.Context(), v.Session.ID); err != nil {
		return err
	}
	if v.Officials, err = s.db.ListOfficials(r.Context(), true); err != nil {
		return err
	}
	portal.SortOfficials(v.Officials, readsEnglish(r))
	if v.Editing {
		present, err := s.db.SessionOfficials(r.Context(), v.Session.ID)
		if err != nil {
			return err
		}
		for _, o := range present {
			if !o.Active {
				v.Officials = append(v.Officials, o)
			}
		}
	}
	if v.NGOs, err = s.db.SpeakingSlotNGOs(r.Context()); err != nil {
		return err
	}
	portal.SortByName(v.NGOs, readsEnglish(r), ngoNameZH, ngoNameEN)
	if v.Cycles == nil {
		v.Cycles = []portal.CycleOption{}
	}
	return nil
}

// sessionChoicesOf are the ids the loaded form offers.
func sessionChoicesOf(v session.SessionFormView) sessionChoices {
	c := sessionChoices{cycles: map[int64]bool{}, officials: map[int64]bool{}, ngos: map[int64]bool{}}
	for _, x := range v.Cycles {
		c.cycles[x.ID] = true
	}
	for _, x := range v.Officials {
		c.officials[x.ID] = true
	}
	for _, x := range v.NGOs {
		c.ngos[x.ID] = true
	}
	return c
}

// sessionOp is the button that sent the session form: "save" (also when
// none was sent), or an agenda row operation for applyAgendaOp.
func sessionOp(r *http.Request) string {
	if op := r.PostForm.Get("op"); op != "" {
		return op
	}
	return "save"
}

func (s *Server) renderSessionForm(w http.ResponseWriter, r *http.Request, status int, v session.SessionFormView) error {
	if err := s.loadSessionChoices(r, &v); err != nil {
		return err
	}
	v.Page = s.page(r, "")
	if v.Editing {
		v.Action, v.CancelPath = adminSessionPath(v.Session.ID), adminSessionPath(v.Session.ID)
		v.Title = v.T.T("session.form.edit_title", "Title", v.T.Pick(v.Session.TitleZH, v.Session.TitleEN))
	} else {
		v.Action, v.CancelPath = adminSessionsPath, adminSessionsPath
		v.Title = v.T.T("session.form.new_title")
	}
	return s.render(w, r, status, session.SessionFormPage(v))
}
