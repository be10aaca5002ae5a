package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/portal"
	"ngoportal/web/session"
)

// The invitation, check-in and attendance pages of a session.
func adminInvitationsPath(sessionID int64) string {
	return adminSessionPath(sessionID) + "/invitations"
}

// adminInvitationsNoReplyPath is the board of the invited NGOs that have
// not replied.
func adminInvitationsNoReplyPath(sessionID int64) string {
	return adminInvitationsPath(sessionID) + "?reply=" + string(portal.ReplyNone)
}
func adminInvitationWithdrawPath(sessionID, invID int64) string {
	return adminInvitationsPath(sessionID) + "/" + strconv.FormatInt(invID, 10) + "/withdraw"
}
func adminCheckinPath(sessionID int64) string { return adminSessionPath(sessionID) + "/checkin" }
func adminCheckinNGOPath(sessionID, invID int64) string {
	return adminCheckinPath(sessionID) + "/" + strconv.FormatInt(invID, 10)
}
func adminCheckinWalkInPath(sessionID, invID int64) string {
	return adminCheckinNGOPath(sessionID, invID) + "/walk-ins"
}
func adminAttendancePath(sessionID int64) string { return adminSessionPath(sessionID) + "/attendance" }
func adminAttendanceCSVPath(sessionID int64) string {
	return adminSessionPath(sessionID) + "/attendance.csv"
}
func adminNGOAttendancePath(ngoID int64) string { return adminNGOPath(ngoID) + "/attendance" }

// invitationFederationRoutes are a session's invitations as every
// federation official may read them, and its check-in and attendance,
// which reviewers run as admins do; under /admin.
func (s *Server) invitationFederationRoutes(r chi.Router) {
	r.Get("/sessions/{id}/invitations", s.handle(s.handleInvitationBoard))
	r.Get("/sessions/{id}/checkin", s.handle(s.handleCheckin))
	r.Post("/sessions/{id}/checkin/{invID}", s.handle(s.handleCheckinUpdate))
	r.Post("/sessions/{id}/checkin/{invID}/walk-ins", s.handle(s.handleCheckinWalkIn))
	r.Get("/sessions/{id}/attendance", s.handle(s.handleAttendanceReview))
	r.Get("/sessions/{id}/attendance.csv", s.handle(s.handleAttendanceCSV))
	r.Get("/ngos/{id}/attendance", s.handle(s.handleNGOAttendance))
}

// invitationAdminRoutes send and withdraw invitations, under /admin;
// routes.go has already required the admin role.
func (s *Server) invitationAdminRoutes(r chi.Router) {
	r.Post("/sessions/{id}/invitations", s.handle(s.handleInvitationCreate))
	r.Post("/sessions/{id}/invitations/{invID}/withdraw", s.handle(s.handleInvitationWithdraw))
}

// namedIDParam reads a second id of a route by the same rules as idParam.
func namedIDParam(r *http.Request, name string) (int64, error) {
	raw := chi.URLParam(r, name)
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != raw {
		return 0, errNotFound
	}
	return id, nil
}

func (s *Server) handleInvitationBoard(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	return s.renderInvitationBoard(w, r, http.StatusOK, id, nil, nil)
}

func (s *Server) handleInvitationCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	all := false
	var chosen []int64
	switch r.PostForm.Get("scope") {
	case "all":
		all = true
	case "chosen":
		for _, raw := range r.PostForm["ngo"] {
			n, err := strconv.ParseInt(raw, 10, 64)
			if err != nil || n <= 0 {
				return errBadRequest
			}
			chosen = append(chosen, n)
		}
	default:
		return errBadRequest
	}
	keep := map[int64]bool{}
	for _, n := range chosen {
		keep[n] = true
	}
	if !all && len(chosen) == 0 {
		return s.renderInvitationBoard(w, r, http.StatusUnprocessableEntity, id,
			map[string]string{"scope": "invitation.error.choose_ngos"}, keep)
	}
	n, err := s.db.InviteNGOs(r.Context(), s.actor(r), id, all, chosen)
	var ve *portal.ValidationError
	if errors.As(err, &ve) {
		return s.renderInvitationBoard(w, r, http.StatusUnprocessableEntity, id, ve.Fields, keep)
	}
	if err != nil {
		return err
	}
	key := "invitation.flash.invited"
	if n == 0 {
		key = "invitation.flash.none_invited"
	}
	return s.redirectFlash(w, r, adminInvitationsPath(id), key)
}

func (s *Server) handleInvitationWithdraw(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	invID, err := namedIDParam(r, "invID")
	if err != nil {
		return err
	}
	err = s.db.WithdrawInvitation(r.Context(), s.actor(r), id, invID)
	var ve *portal.ValidationError
	if errors.As(err, &ve) {
		return s.renderInvitationBoard(w, r, http.StatusUnprocessableEntity, id, ve.Fields, nil)
	}
	if err != nil {
		return err
	}
	return s.redirectFlash(w, r, adminInvitationsPath(id), "invitation.flash.withdrawn")
}

// sessionInvitations reads session id and its invitations: the board,
// the check-in page, the attendance review and its CSV all start there.
func (s *Server) sessionInvitations(ctx context.Context, id int64) (portal.Session, []portal.Invitation, error) {
	sess, err := s.db.SessionByID(ctx, id)
	if err != nil {
		return portal.Session{}, nil, err
	}
	invs, err := s.db.SessionInvitations(ctx, id)
	if err != nil {
		return portal.Session{}, nil, err
	}
	return sess, invs, nil
}

// The names portal.SortByName sorts invitations and NGOs by.
func invitationNameZH(i portal.Invitation) string { return i.NGONameZH }
func invitationNameEN(i portal.Invitation) string { return i.NGONameEN }
func ngoNameZH(n portal.NGO) string               { return n.NameZH }
func ngoNameEN(n portal.NGO) string               { return n.NameEN }

// renderInvitationBoard shows the board; errs and chosen come back from a
// refused invite form.
func (s *Server) renderInvitationBoard(w http.ResponseWriter, r *http.Request, status int, id int64,
	errs map[string]string, chosen map[int64]bool,
) error {
	sess, invs, err := s.sessionInvitations(r.Context(), id)
	if err != nil {
		return err
	}
	portal.SortByName(invs, readsEnglish(r), invitationNameZH, invitationNameEN)
	v := session.InvitationBoardView{
		Session: sess, Counts: session.CountInvitations(invs), Errors: errs, Chosen: chosen,
		CanInvite:      sess.Status == portal.SessionDraft || sess.Status == portal.SessionScheduled,
		Late:           sess.Status == portal.SessionScheduled,
		ShowAttendance: sess.Status == portal.SessionHeld || sess.Status == portal.SessionClosed,
		SessionPath:    adminSessionPath(id), InvitePath: adminInvitationsPath(id),
		CheckinPath: adminCheckinPath(id), AttendancePath: adminAttendancePath(id),
	}
	if v.CanInvite {
		if v.Uninvited, err = s.db.UninvitedNGOs(r.Context(), id); err != nil {
			return err
		}
		portal.SortByName(v.Uninvited, readsEnglish(r), ngoNameZH, ngoNameEN)
	}
	// ?reply=none (the admin home's link to the replies still missing)
	// lists only the invited NGOs that have not replied.
	v.NoReplyOnly = r.URL.Query().Get("reply") == string(portal.ReplyNone)
	v.AllPath, v.NoReplyPath = adminInvitationsPath(id), adminInvitationsNoReplyPath(id)
	for _, inv := range invs {
		row := session.InvitationRow{Invitation: inv, WithdrawPath: adminInvitationWithdrawPath(id, inv.ID),
			HistoryPath: adminNGOAttendancePath(inv.NGOID)}
		switch {
		case inv.WithdrawnAt != nil:
			v.Withdrawn = append(v.Withdrawn, row)
		case !v.NoReplyOnly || inv.Reply == portal.ReplyNone:
			v.Rows = append(v.Rows, row)
		}
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("invitation.board.title", "Session", v.T.Pick(sess.TitleZH, sess.TitleEN))
	return s.render(w, r, status, session.InvitationBoard(v))
}

// NGO staff's side of an invitation: the sessions their NGO is invited to,
// and their reply to each, under /ngo/sessions.
const staffSessionsPath = ngoHomePath + "/sessions"

func staffSessionPath(id int64) string      { return staffSessionsPath + "/" + strconv.FormatInt(id, 10) }
func staffSessionReplyPath(id int64) string { return staffSessionPath(id) + "/reply" }

// staffInvitationRoutes are the NGO's invitations, under /ngo; staffRoutes'
// group has already required the staff role. Every query takes the NGO
// from the signed-in user, never from the URL or the form.
func (s *Server) staffInvitationRoutes(r chi.Router) {
	r.Get("/sessions", s.handle(s.handleInvitationIndex))
	r.Get("/sessions/{id}", s.handle(s.handleInvitationShow))
	r.Post("/sessions/{id}/reply", s.handle(s.handleInvitationReply))
}

// handleInvitationIndex lists the sessions the staff's NGO is invited to.
func (s *Server) handleInvitationIndex(w http.ResponseWriter, r *http.Request) error {
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

// handleInvitationShow is one invitation: the session, and the reply form
// with the reply saved so far.
func (s *Server) handleInvitationShow(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	return s.renderInvitation(w, r, http.StatusOK, id, func(v *session.StaffSessionView) {
		v.Values = replyValuesFrom(v.Invitation)
	})
}

// handleInvitationReply saves the NGO's reply: confirmed with its
// representatives, or declined with a reason.
func (s *Server) handleInvitationReply(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	ngoID := viewerFrom(r.Context()).NGOID
	// Another NGO's session answers 404 whatever the form holds.
	if _, _, err := s.db.InvitedSession(r.Context(), id, ngoID); err != nil {
		return err
	}
	values, reply, errs, err := parseReplyForm(r)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return s.renderInvitation(w, r, http.StatusUnprocessableEntity, id, func(v *session.StaffSessionView) {
			v.Values, v.Errors = values, errs
		})
	}
	err = s.db.ReplyToInvitation(r.Context(), s.actor(r), id, ngoID, reply.Version, reply.Reply,
		reply.DeclineReason, reply.Representatives, time.Now())
	var ve *portal.ValidationError
	switch {
	case errors.As(err, &ve):
		return s.renderInvitation(w, r, http.StatusUnprocessableEntity, id, func(v *session.StaffSessionView) {
			v.Values, v.Errors = values, ve.Fields
		})
	case errors.Is(err, portal.ErrConflict):
		// Keep what they typed, show the reply saved meanwhile and carry
		// its version, so that saving again is a deliberate overwrite.
		return s.renderInvitation(w, r, http.StatusConflict, id, func(v *session.StaffSessionView) {
			v.Values, v.Conflict = values, true
			v.Values.Version = v.Invitation.Version
		})
	case err != nil:
		return err
	}
	key := "invitation.flash.confirmed"
	if reply.Reply == portal.ReplyDeclined {
		key = "invitation.flash.declined"
	}
	return s.redirectFlash(w, r, staffSessionPath(id), key)
}

// renderInvitation loads the session as the signed-in NGO sees it (404
// when it holds no invitation) and lets fill set the form.
func (s *Server) renderInvitation(w http.ResponseWriter, r *http.Request, status int, id int64, fill func(*session.StaffSessionView)) error {
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
