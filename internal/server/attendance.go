package server

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"ngoportal/internal/portal"
	"ngoportal/web/session"
)

func (s *Server) handleCheckin(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	return s.renderCheckin(w, r, http.StatusOK, id, session.CheckinView{})
}

// parseCheckIn reads one check-in tap; an attendance value no button of
// ours sends is a bad request.
func parseCheckIn(r *http.Request) (portal.CheckIn, error) {
	if err := r.ParseForm(); err != nil {
		return portal.CheckIn{}, err
	}
	c := portal.CheckIn{
		Attendance:   portal.Attendance(r.PostForm.Get("attendance")),
		ExcuseReason: portal.CleanText(r.PostForm.Get("excuse_reason")),
	}
	switch c.Attendance {
	case portal.AttendancePresent, portal.AttendanceAbsent, portal.AttendanceExcused:
	default:
		return portal.CheckIn{}, errBadRequest
	}
	for _, raw := range r.PostForm["present_rep"] {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n <= 0 {
			return portal.CheckIn{}, errBadRequest
		}
		c.Present = append(c.Present, n)
	}
	return c, nil
}

func (s *Server) handleCheckinUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	invID, err := namedIDParam(r, "invID")
	if err != nil {
		return err
	}
	c, err := parseCheckIn(r)
	if err != nil {
		return err
	}
	back := session.CheckinView{ErrorInv: invID, Reason: c.ExcuseReason}
	if back.Errors = c.Validate(); len(back.Errors) > 0 {
		return s.renderCheckin(w, r, http.StatusUnprocessableEntity, id, back)
	}
	err = s.db.RecordAttendance(r.Context(), s.actor(r), id, invID, c, time.Now())
	var ve *portal.ValidationError
	if errors.As(err, &ve) {
		back.Errors = ve.Fields
		return s.renderCheckin(w, r, http.StatusUnprocessableEntity, id, back)
	}
	if err != nil {
		return err
	}
	return s.redirectFlash(w, r, adminCheckinPath(id)+"#ngo-"+strconv.FormatInt(invID, 10), "invitation.flash.checked_in."+string(c.Attendance))
}

// handleCheckinWalkIn records a person who came for an invited NGO without
// being named in its reply.
func (s *Server) handleCheckinWalkIn(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	invID, err := namedIDParam(r, "invID")
	if err != nil {
		return err
	}
	values, walkIn, errs, err := parseWalkInForm(r)
	if err != nil {
		return err
	}
	back := session.CheckinView{ErrorInv: invID, WalkIn: values, Errors: errs}
	if len(errs) > 0 {
		return s.renderCheckin(w, r, http.StatusUnprocessableEntity, id, back)
	}
	err = s.db.RecordWalkIn(r.Context(), s.actor(r), id, invID, values.Version, walkIn, time.Now())
	var ve *portal.ValidationError
	switch {
	case errors.As(err, &ve):
		back.Errors = ve.Fields
		return s.renderCheckin(w, r, http.StatusUnprocessableEntity, id, back)
	case errors.Is(err, portal.ErrConflict):
		// Keep what was typed and show the NGO as it is now; the form
		// carries the new version, so sending it again is deliberate.
		back.Errors = map[string]string{"walkin_name": "invitation.error.walkin_conflict"}
		return s.renderCheckin(w, r, http.StatusConflict, id, back)
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, adminCheckinPath(id)+"#ngo-"+strconv.FormatInt(invID, 10), "invitation.flash.walk_in")
}

// renderCheckin shows the check-in page; v carries a refused tap's errors.
func (s *Server) renderCheckin(w http.ResponseWriter, r *http.Request, status int, id int64, v session.CheckinView) error {
	sess, invs, err := s.sessionInvitations(r.Context(), id)
	if err != nil {
		return err
	}
	portal.SortByName(invs, readsEnglish(r), invitationNameZH, invitationNameEN)
	if v.ErrorInv != 0 {
		found := false
		for _, inv := range invs {
			found = found || inv.ID == v.ErrorInv && inv.WithdrawnAt == nil
		}
		if !found {
			return fmt.Errorf("check-in of invitation %d: %w", v.ErrorInv, portal.ErrNotFound)
		}
	}
	v.Session, v.Counts = sess, session.CountInvitations(invs)
	v.State = portal.CheckinStateOf(sess.Status, sess.HeldOn, time.Now())
	v.Open = v.State == portal.CheckinIsOpen
	v.SessionPath, v.BoardPath, v.AttendancePath = adminSessionPath(id), adminInvitationsPath(id), adminAttendancePath(id)
	var rows []session.CheckinRow
	for _, inv := range invs {
		if inv.WithdrawnAt == nil {
			rows = append(rows, session.CheckinRow{Invitation: inv, Action: adminCheckinNGOPath(id, inv.ID),
				WalkInAction: adminCheckinWalkInPath(id, inv.ID), Anchor: "ngo-" + strconv.FormatInt(inv.ID, 10)})
		}
	}
	v.Groups = session.GroupCheckinRows(rows)
	v.Page = s.page(r, "")
	v.Title = v.T.T("invitation.checkin.title", "Session", v.T.Pick(sess.TitleZH, sess.TitleEN))
	return s.render(w, r, status, session.Checkin(v))
}

func (s *Server) handleAttendanceReview(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	sess, invs, err := s.sessionInvitations(r.Context(), id)
	if err != nil {
		return err
	}
	portal.SortByName(invs, readsEnglish(r), invitationNameZH, invitationNameEN)
	v := session.AttendanceReviewView{Session: sess, Counts: session.CountInvitations(invs),
		CSVPath: adminAttendanceCSVPath(id), BoardPath: adminInvitationsPath(id), SessionPath: adminSessionPath(id)}
	for _, inv := range invs {
		switch {
		case inv.WithdrawnAt != nil:
		case inv.Attendance == portal.AttendancePresent:
			v.Came = append(v.Came, inv)
		default:
			v.NotCame = append(v.NotCame, inv)
		}
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("invitation.review.title", "Session", v.T.Pick(sess.TitleZH, sess.TitleEN))
	return s.render(w, r, http.StatusOK, session.AttendanceReview(v))
}

// csvSafe neutralises a cell a spreadsheet would run as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func (s *Server) handleAttendanceCSV(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	sess, invs, err := s.sessionInvitations(r.Context(), id)
	if err != nil {
		return err
	}
	t := s.page(r, "").T
	var buf bytes.Buffer
	buf.WriteString("\uFEFF") // so spreadsheet programs read the Chinese as UTF-8
	cw := csv.NewWriter(&buf)
	header := []string{}
	for _, k := range []string{"name_zh", "name_en", "reply", "representatives", "attendance", "present", "excuse"} {
		header = append(header, t.T("invitation.csv."+k))
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	rows := 0
	for _, inv := range invs {
		if inv.WithdrawnAt != nil {
			continue
		}
		reply := t.T("invitation.reply." + string(inv.Reply))
		if inv.Reply == portal.ReplyDeclined {
			reply += ": " + inv.DeclineReason
		}
		rec := []string{inv.NGONameZH, inv.NGONameEN, reply,
			session.RepresentativeNames(t, inv.Representatives, "; "),
			t.T("invitation.attendance." + string(inv.Attendance)),
			session.PresentNames(t, inv.Representatives, "; "), inv.ExcuseReason}
		for i := range rec {
			rec[i] = csvSafe(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
		rows++
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if err := s.db.RecordAttendanceExport(r.Context(), s.actor(r), id, rows); err != nil {
		return err
	}
	ascii := fmt.Sprintf("attendance-session-%d.csv", id)
	name := t.T("invitation.csv.filename", "Session", t.Pick(sess.TitleZH, sess.TitleEN)) + ".csv"
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition",
		fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, url.PathEscape(name)))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = buf.WriteTo(w) // a client that went away cannot be told
	return nil
}

func (s *Server) handleNGOAttendance(w http.ResponseWriter, r *http.Request) error {
	n, err := rowFromURL(r, s.db.NGOByID)
	if err != nil {
		return err
	}
	id := n.ID
	hist, err := s.db.NGOAttendanceHistory(r.Context(), id)
	if err != nil {
		return err
	}
	v := session.AttendanceHistoryView{NGO: n, NGOPath: adminNGOPath(id)}
	for _, si := range hist {
		v.Rows = append(v.Rows, session.AttendanceHistoryRow{SessionInvitation: si, Link: adminInvitationsPath(si.Session.ID)})
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("invitation.history.title", "Name", v.T.Pick(n.NameZH, n.NameEN))
	return s.render(w, r, http.StatusOK, session.AttendanceHistory(v))
}
