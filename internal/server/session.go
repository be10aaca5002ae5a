package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

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

// sessionAdminRoutes are the sessions' admin pages, under /admin.
func (s *Server) sessionAdminRoutes(r chi.Router) {
	r.Get("/sessions", s.handle(s.handleSessionIndex))
	r.Post("/sessions", s.handle(s.handleSessionCreate))
	r.Get("/sessions/new", s.handle(s.handleSessionNew))
	r.Get("/sessions/{id}", s.handle(s.handleSessionShow))
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
			{Label: "summary.session_link", Path: adminSummaryPath(id)},
		},
	}
	v.Page = s.page(r, "")
	v.Title = v.T.Pick(d.TitleZH, d.TitleEN)
	return s.render(w, r, status, session.SessionShow(v))
}

func (s *Server) handleSessionNew(w http.ResponseWriter, r *http.Request) error {
	form := portal.SessionForm{Level: string(portal.LevelMunicipal), Agenda: []portal.AgendaRow{{}}}
	return s.renderSessionForm(w, r, http.StatusOK, session.SessionFormView{Form: form})
}

func (s *Server) handleSessionCreate(w http.ResponseWriter, r *http.Request) error {
	form, op, err := parseSessionForm(r)
	if err != nil {
		return err
	}
	v := session.SessionFormView{Form: form}
	if op != "save" {
		// A post-back to edit the agenda rows: show the form again, save nothing.
		if !v.Form.ApplyOp(op) {
			return errBadRequest
		}
		return s.renderSessionForm(w, r, http.StatusOK, v)
	}
	if err := s.loadSessionChoices(r, &v); err != nil {
		return err
	}
	if v.Errors = form.Validate(s.sessionChoices(v), portal.SessionDraft); len(v.Errors) > 0 {
		return s.renderSessionForm(w, r, http.StatusUnprocessableEntity, v)
	}
	id, err := s.db.CreateSession(r.Context(), s.actor(r), form.Plan())
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
	return s.renderSessionForm(w, r, http.StatusOK, session.SessionFormView{Editing: true, Session: d.Session, Form: portal.SessionFormFrom(d)})
}

func (s *Server) handleSessionUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	sess, err := s.db.SessionByID(r.Context(), id)
	if err != nil {
		return err
	}
	if !sess.Editable() {
		return s.renderSessionShow(w, r, http.StatusConflict, id, "session.err.read_only", "")
	}
	form, op, err := parseSessionForm(r)
	if err != nil {
		return err
	}
	if form.Version == 0 {
		return errBadRequest
	}
	v := session.SessionFormView{Editing: true, Session: sess, Form: form}
	if op != "save" {
		if !v.Form.ApplyOp(op) {
			return errBadRequest
		}
		return s.renderSessionForm(w, r, http.StatusOK, v)
	}
	if err := s.loadSessionChoices(r, &v); err != nil {
		return err
	}
	if v.Errors = form.Validate(s.sessionChoices(v), sess.Status); len(v.Errors) > 0 {
		return s.renderSessionForm(w, r, http.StatusUnprocessableEntity, v)
	}
	err = s.db.UpdateSession(r.Context(), s.actor(r), id, form.Plan())
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
		v.Conflict, v.Session, v.Form.Version = true, latest, latest.Version
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

func (s *Server) handleSessionCopy(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	newID, err := s.db.CopySession(r.Context(), s.actor(r), id)
	if err != nil {
		return err
	}
	return s.redirectFlash(w, r, adminSessionEditPath(newID), "session.flash.copied")
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

// sessionChoices are the ids the loaded form offered.
func (s *Server) sessionChoices(v session.SessionFormView) portal.SessionChoices {
	c := portal.SessionChoices{Cycles: map[int64]bool{}, Officials: map[int64]bool{}, NGOs: map[int64]bool{}}
	for _, x := range v.Cycles {
		c.Cycles[x.ID] = true
	}
	for _, x := range v.Officials {
		c.Officials[x.ID] = true
	}
	for _, x := range v.NGOs {
		c.NGOs[x.ID] = true
	}
	return c
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

// parseSessionForm reads the session form and which button sent it. The
// agenda rows are agenda_<i>_<field> for i below agenda_rows; a count
// past the limit by more than one is no form of ours (400), one more is
// kept so that Validate can say there are too many.
func parseSessionForm(r *http.Request) (portal.SessionForm, string, error) {
	if err := r.ParseForm(); err != nil {
		return portal.SessionForm{}, "", err
	}
	p := r.PostForm
	f := portal.SessionForm{
		TitleZH: p.Get("title_zh"), TitleEN: p.Get("title_en"), Level: p.Get("level"),
		HeldOn: p.Get("held_on"), StartsAt: p.Get("starts_at"),
		VenueZH: p.Get("venue_zh"), VenueEN: p.Get("venue_en"), Cycle: p.Get("cycle"),
		DeadlineDate: p.Get("deadline_date"), DeadlineTime: p.Get("deadline_time"),
		Officials: p["officials"],
	}
	n, err := strconv.Atoi(strings.TrimSpace(p.Get("agenda_rows")))
	if err != nil || n < 0 || n > portal.MaxAgendaRows+1 {
		return portal.SessionForm{}, "", errBadRequest
	}
	for i := 0; i < n; i++ {
		get := func(name string) string { return p.Get(portal.AgendaField(i, name)) }
		f.Agenda = append(f.Agenda, portal.AgendaRow{TitleZH: get("title_zh"), TitleEN: get("title_en"), NGO: get("ngo"), Minutes: get("minutes")})
	}
	if v, ok := p["version"]; ok {
		n, err := strconv.Atoi(strings.TrimSpace(v[0]))
		if err != nil || n < 1 {
			return portal.SessionForm{}, "", errBadRequest
		}
		f.Version = n
	}
	f.Normalize()
	op := p.Get("op")
	if op == "" {
		op = "save"
	}
	return f, op, nil
}
