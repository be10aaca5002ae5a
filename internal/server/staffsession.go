package server

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/portal"
	"ngoportal/web/session"
)

// NGO staff's sessions: their invitations and replies.
const staffSessionsPath = ngoHomePath + "/sessions"

func staffSessionPath(id int64) string      { return staffSessionsPath + "/" + strconv.FormatInt(id, 10) }
func staffSessionReplyPath(id int64) string { return staffSessionPath(id) + "/reply" }

// staffSessionRoutes are the NGO's invitations, under /ngo; staffRoutes'
// group has already required the staff role. Every query takes the NGO
// from the signed-in user, never from the URL or the form.
func (s *Server) staffSessionRoutes(r chi.Router) {
	r.Get("/sessions", s.handle(s.handleStaffSessionIndex))
	r.Get("/sessions/{id}", s.handle(s.handleStaffSessionShow))
	r.Post("/sessions/{id}/reply", s.handle(s.handleStaffReply))
}

func (s *Server) handleStaffSessionIndex(w http.ResponseWriter, r *http.Request) error {
	list, err := s.db.NGOInvitations(r.Context(), viewerFrom(r.Context()).NGOID)
	if err != nil {
		return err
	}
	var v session.StaffSessionListView
	for _, si := range list {
		v.Rows = append(v.Rows, session.StaffSessionRow{SessionInvitation: si, Link: staffSessionPath(si.Session.ID)})
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("invitation.staff.list_title")
	return s.render(w, r, http.StatusOK, session.StaffSessionList(v))
}

func (s *Server) handleStaffSessionShow(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	return s.renderStaffSession(w, r, http.StatusOK, id, func(v *session.StaffSessionView) {
		v.Form = portal.ReplyFormFrom(v.Invitation)
	})
}

func (s *Server) handleStaffReply(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	ngoID := viewerFrom(r.Context()).NGOID
	// Another NGO's session answers 404 whatever the form holds.
	if _, _, err := s.db.InvitedSession(r.Context(), id, ngoID); err != nil {
		return err
	}
	form, err := parseReplyForm(r)
	if err != nil {
		return err
	}
	if errs := form.Validate(); len(errs) > 0 {
		return s.renderStaffSession(w, r, http.StatusUnprocessableEntity, id, func(v *session.StaffSessionView) {
			v.Form, v.Errors = form, errs
		})
	}
	err = s.db.ReplyToInvitation(r.Context(), s.actor(r), id, ngoID, form.Version, form.Reply,
		form.DeclineReason, form.Representatives(), time.Now())
	var ve *portal.ValidationError
	switch {
	case errors.As(err, &ve):
		return s.renderStaffSession(w, r, http.StatusUnprocessableEntity, id, func(v *session.StaffSessionView) {
			v.Form, v.Errors = form, ve.Fields
		})
	case errors.Is(err, portal.ErrConflict):
		// Keep what they typed, show the reply saved meanwhile and carry
		// its version, so that saving again is a deliberate overwrite.
		return s.renderStaffSession(w, r, http.StatusConflict, id, func(v *session.StaffSessionView) {
			v.Form, v.Conflict = form, true
			v.Form.Version = v.Invitation.Version
		})
	case err != nil:
		return err
	}
	key := "invitation.flash.confirmed"
	if form.Reply == portal.ReplyDeclined {
		key = "invitation.flash.declined"
	}
	if err := s.setFlash(r, flash{Key: key}); err != nil {
		return err
	}
	http.Redirect(w, r, staffSessionPath(id), http.StatusSeeOther)
	return nil
}

// renderStaffSession loads the session as the signed-in NGO sees it (404
// when it holds no invitation) and lets fill set the form.
func (s *Server) renderStaffSession(w http.ResponseWriter, r *http.Request, status int, id int64, fill func(*session.StaffSessionView)) error {
	ngoID := viewerFrom(r.Context()).NGOID
	si, agenda, err := s.db.InvitedSession(r.Context(), id, ngoID)
	if err != nil {
		return err
	}
	v := session.StaffSessionView{
		Session: si.Session, Invitation: si.Invitation, Agenda: agenda,
		Open:   si.Session.RepliesOpen(time.Now()),
		Action: staffSessionReplyPath(id), ListPath: staffSessionsPath,
	}
	if si.Session.Status == portal.SessionHeld || si.Session.Status == portal.SessionClosed {
		v.ShowReqs = true
		if v.Requests, err = s.db.RequestsForNGO(r.Context(), id, ngoID); err != nil {
			return err
		}
	}
	fill(&v)
	v.Page = s.page(r, "")
	v.Title = v.T.Pick(si.Session.TitleZH, si.Session.TitleEN)
	return s.render(w, r, status, session.StaffSession(v))
}

// parseReplyForm reads the reply form. A missing or malformed version is a
// request no page of ours sends: 400.
func parseReplyForm(r *http.Request) (portal.ReplyForm, error) {
	if err := r.ParseForm(); err != nil {
		return portal.ReplyForm{}, err
	}
	p := r.PostForm
	f := portal.ReplyForm{Reply: portal.Reply(p.Get("reply")), DeclineReason: p.Get("decline_reason")}
	for i := range f.Reps {
		n := strconv.Itoa(i + 1)
		f.Reps[i] = portal.RepresentativeInput{Name: p.Get("rep_name_" + n), Title: p.Get("rep_title_" + n),
			Mobile: p.Get("rep_mobile_" + n)}
	}
	v, err := strconv.Atoi(p.Get("version"))
	if err != nil || v <= 0 {
		return portal.ReplyForm{}, errBadRequest
	}
	f.Version = v
	f.Normalize()
	return f, nil
}
