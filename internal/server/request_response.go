package server

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/portal"
	"ngoportal/web/session"
)

// The NGOs' answers to the chair's requests: the admin's date, overview,
// reminders and extensions under /admin/sessions/{id}/responses, and each
// NGO's page of answers and plan addendum under /ngo/sessions/{id}/responses.

func adminResponsesPath(sessionID int64) string    { return adminSessionPath(sessionID) + "/responses" }
func adminResponsesDuePath(sessionID int64) string { return adminResponsesPath(sessionID) + "/due" }
func adminResponsesRemindPath(sessionID int64) string {
	return adminResponsesPath(sessionID) + "/remind"
}
func adminResponsesNGOPath(sessionID, ngoID int64) string {
	return adminResponsesPath(sessionID) + "?ngo=" + strconv.FormatInt(ngoID, 10)
}
func adminResponseRemindPath(sessionID, ngoID int64) string {
	return adminResponsesPath(sessionID) + "/" + strconv.FormatInt(ngoID, 10) + "/remind"
}
func adminResponseExtensionPath(sessionID, ngoID int64) string {
	return adminResponsesPath(sessionID) + "/" + strconv.FormatInt(ngoID, 10) + "/extension"
}
func staffResponsesPath(sessionID int64) string     { return staffSessionPath(sessionID) + "/responses" }
func staffResponseItemsPath(sessionID int64) string { return staffResponsesPath(sessionID) + "/items" }
func staffResponseNothingPath(sessionID int64) string {
	return staffResponsesPath(sessionID) + "/nothing"
}
func staffAddendumPath(sessionID int64) string { return staffResponsesPath(sessionID) + "/addendum" }
func staffAddendumNewPath(sessionID, requestID int64) string {
	return staffAddendumPath(sessionID) + "/new?request=" + strconv.FormatInt(requestID, 10)
}
func staffAddendumItemPath(sessionID, itemID int64) string {
	return staffAddendumPath(sessionID) + "/" + strconv.FormatInt(itemID, 10)
}

// responseFederationRoutes are the answers to a session's requests as
// every federation official may read them, under /admin.
func (s *Server) responseFederationRoutes(r chi.Router) {
	r.Get("/sessions/{id}/responses", s.handle(s.handleResponseIndex))
}

// responseAdminRoutes set the answers' date, remind NGOs and extend their
// time; routes.go has already required the admin role.
func (s *Server) responseAdminRoutes(r chi.Router) {
	r.Post("/sessions/{id}/responses/due", s.handle(s.handleResponsesDueUpdate))
	r.Post("/sessions/{id}/responses/remind", s.handle(s.handleResponsesRemindAll))
	r.Post("/sessions/{id}/responses/{addresseeID}/remind", s.handle(s.handleResponseRemind))
	r.Get("/sessions/{id}/responses/{addresseeID}/extension", s.handle(s.handleResponseExtensionEdit))
	r.Post("/sessions/{id}/responses/{addresseeID}/extension", s.handle(s.handleResponseExtensionUpdate))
}

// responseStaffRoutes are the NGO's pages of answers; staffRoutes' group
// has already required the staff role, and every handler reads the NGO from
// the viewer.
func (s *Server) responseStaffRoutes(r chi.Router) {
	r.Get("/sessions/{id}/responses", s.handle(s.handleStaffResponses))
	r.Post("/sessions/{id}/responses/items", s.handle(s.handleStaffResponseItems))
	r.Post("/sessions/{id}/responses/nothing", s.handle(s.handleStaffResponseNothing))
	r.Get("/sessions/{id}/responses/addendum/new", s.handle(s.handleAddendumItemNew))
	r.Post("/sessions/{id}/responses/addendum", s.handle(s.handleAddendumItemCreate))
	r.Get("/sessions/{id}/responses/addendum/{itemID}/edit", s.handle(s.handleAddendumItemEdit))
	r.Post("/sessions/{id}/responses/addendum/{itemID}", s.handle(s.handleAddendumItemUpdate))
	r.Get("/sessions/{id}/responses/addendum/{itemID}/delete", s.handle(s.handleAddendumItemDeleteConfirm))
	r.Post("/sessions/{id}/responses/addendum/{itemID}/delete", s.handle(s.handleAddendumItemDelete))
}

// routeIDParam reads route parameter name as a row id; anything else is
// not found.
func routeIDParam(r *http.Request, name string) (int64, error) {
	raw := chi.URLParam(r, name)
	id, ok := formID(raw)
	if !ok {
		return 0, errNotFound
	}
	return id, nil
}

// --- The admin's side ---

// responsesDueForm is the requests page's form of the answers' date.
func (s *Server) responsesDueForm(r *http.Request, sess portal.Session) (session.ResponsesDueForm, error) {
	due, requests, err := s.db.ResponsesDue(r.Context(), sess.ID)
	if err != nil {
		return session.ResponsesDueForm{}, err
	}
	f := session.ResponsesDueForm{
		Show:     portal.ResponsesDueSettable(sess.Status, requests),
		Action:   adminResponsesDuePath(sess.ID),
		Overview: adminResponsesPath(sess.ID),
	}
	if due != nil {
		f.Current, f.Value, f.Was = *due, formDateString(*due), formDateString(*due)
	}
	return f, nil
}

func (s *Server) handleResponsesDueUpdate(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requestSession(r)
	if err != nil {
		return err
	}
	p, err := parsePostForm(r)
	if err != nil {
		return err
	}
	typed, wasRaw := portal.CleanText(p.Get("responses_due_on")), portal.CleanText(p.Get("was"))
	var was *time.Time
	if wasRaw != "" {
		d, ok := formDate(wasRaw)
		if !ok {
			return errBadRequest
		}
		was = &d
	}
	f, err := s.responsesDueForm(r, sess)
	if err != nil {
		return err
	}
	f.Value = typed
	due, ok := formDate(typed)
	switch {
	case typed == "":
		f.Error = "response.error.due_required"
	case !ok:
		f.Error = "response.error.date_invalid"
	}
	if f.Error != "" {
		return s.renderRequestIndexDue(w, r, http.StatusUnprocessableEntity, sess, f)
	}
	err = s.db.SetResponsesDue(r.Context(), s.actor(r), sess.ID, due, was)
	switch {
	case errors.Is(err, portal.ErrResponsesDueNotSettable):
		return s.redirectFlash(w, r, adminRequestsPath(sess.ID), "response.flash.due_not_settable")
	case errors.Is(err, portal.ErrConflict):
		f, err := s.responsesDueForm(r, sess)
		if err != nil {
			return err
		}
		f.Value, f.Conflict = typed, true
		return s.renderRequestIndexDue(w, r, http.StatusConflict, sess, f)
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, adminRequestsPath(sess.ID), "response.flash.due_set")
}

// renderRequestIndexDue shows the requests page with the date form f.
func (s *Server) renderRequestIndexDue(w http.ResponseWriter, r *http.Request, status int, sess portal.Session, f session.ResponsesDueForm) error {
	next, err := s.db.NextRequestNumber(r.Context(), sess.ID)
	if err != nil {
		return err
	}
	v := session.RequestValues{Number: strconv.Itoa(next), AddressedTo: session.RequestToAll}
	due := f
	return s.renderRequestIndexWith(w, r, status, sess, v, nil, &due)
}

// responseFilter reads the overview's query: ?ngo=, ?request=, ?status=,
// ?page=; values that cannot be read are ignored.
func responseFilter(q url.Values) portal.ResponseFilter {
	f := portal.ResponseFilter{Page: 1}
	f.NGOID, _ = formID(q.Get("ngo"))
	f.RequestID, _ = formID(q.Get("request"))
	if st := portal.ResponseStatus(q.Get("status")); slices.Contains(portal.ResponseStatuses, st) {
		f.Status = st
	}
	if n, ok := formInt(q.Get("page")); ok && n > 0 && n <= 1_000_000 {
		f.Page = n
	}
	return f
}

func (s *Server) handleResponseIndex(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requestSession(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	due, _, err := s.db.ResponsesDue(ctx, sess.ID)
	if err != nil {
		return err
	}
	f := responseFilter(r.URL.Query())
	counts, err := s.db.ResponseCounts(ctx, sess.ID)
	if err != nil {
		return err
	}
	page, err := s.db.SessionResponses(ctx, sess.ID, f)
	if err != nil {
		return err
	}
	base := adminResponsesPath(sess.ID)
	v := session.ResponseIndexView{
		Session: sess, SessionPath: adminSessionPath(sess.ID), RequestsPath: adminRequestsPath(sess.ID),
		DueOn: due, Filter: f, RemindAll: adminResponsesRemindPath(sess.ID), ClearPath: base, Path: base,
	}
	for _, c := range counts {
		v.Requests = append(v.Requests, session.ResponseRequestRow{RequestResponseCount: c,
			FilterPath: base + "?request=" + strconv.FormatInt(c.ID, 10)})
	}
	for _, n := range page.Rows {
		v.Rows = append(v.Rows, session.ResponseNGORow{NGOResponses: n,
			ShowPath: adminResponsesNGOPath(sess.ID, n.NGOID), RemindPath: adminResponseRemindPath(sess.ID, n.NGOID),
			ExtensionPath: adminResponseExtensionPath(sess.ID, n.NGOID)})
		if n.NGOID == f.NGOID {
			v.FilterNGO = n.NameZH
			if readsEnglish(r) {
				v.FilterNGO = n.NameEN
			}
		}
	}
	q := url.Values{}
	if f.NGOID != 0 {
		q.Set("ngo", strconv.FormatInt(f.NGOID, 10))
	}
	if f.RequestID != 0 {
		q.Set("request", strconv.FormatInt(f.RequestID, 10))
	}
	if f.Status != "" {
		q.Set("status", string(f.Status))
	}
	v.Pager.Page, v.Pager.PerPage, v.Pager.Total, v.Pager.Path, v.Pager.Query = f.Page, portal.ResponsesPageSize, page.Total, base, q
	v.Page = s.page(r, "")
	v.Title = v.T.T("response.overview.title", "Title", v.T.Pick(sess.TitleZH, sess.TitleEN))
	return s.render(w, r, http.StatusOK, session.ResponseIndex(v))
}

func (s *Server) handleResponsesRemindAll(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requestSession(r)
	if err != nil {
		return err
	}
	n, err := s.db.RemindUnanswered(r.Context(), s.actor(r), sess.ID)
	switch {
	case errors.Is(err, portal.ErrNotFound):
		return s.redirectFlash(w, r, adminResponsesPath(sess.ID), "response.flash.not_asked")
	case err != nil:
		return err
	}
	key := "response.flash.reminded_all"
	if n == 0 {
		key = "response.flash.reminded_none"
	}
	return s.redirectFlash(w, r, adminResponsesPath(sess.ID), key)
}

func (s *Server) handleResponseRemind(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requestSession(r)
	if err != nil {
		return err
	}
	ngoID, err := routeIDParam(r, "addresseeID")
	if err != nil {
		return err
	}
	if err := s.db.RemindNGO(r.Context(), s.actor(r), sess.ID, ngoID); err != nil {
		return err
	}
	return s.redirectFlash(w, r, adminResponsesNGOPath(sess.ID, ngoID), "response.flash.reminded")
}

// extensionTarget loads the route's session and the addressed NGO's
// extension; ErrNotFound when answers are not asked for or the NGO is not
// addressed.
func (s *Server) extensionTarget(r *http.Request) (portal.Session, portal.ResponseExtensionOf, error) {
	sess, err := s.requestSession(r)
	if err != nil {
		return sess, portal.ResponseExtensionOf{}, err
	}
	ngoID, err := routeIDParam(r, "addresseeID")
	if err != nil {
		return sess, portal.ResponseExtensionOf{}, err
	}
	e, err := s.db.ResponseExtensionFor(r.Context(), sess.ID, ngoID)
	return sess, e, err
}

func (s *Server) handleResponseExtensionEdit(w http.ResponseWriter, r *http.Request) error {
	sess, e, err := s.extensionTarget(r)
	if err != nil {
		return err
	}
	v := session.ResponseExtensionView{Session: sess, Extension: e, Reason: e.Reason}
	if e.DueOn != nil {
		v.DueOn, v.Was = formDateString(*e.DueOn), formDateString(*e.DueOn)
	}
	return s.renderResponseExtension(w, r, http.StatusOK, v)
}

func (s *Server) handleResponseExtensionUpdate(w http.ResponseWriter, r *http.Request) error {
	sess, e, err := s.extensionTarget(r)
	if err != nil {
		return err
	}
	p, err := parsePostForm(r)
	if err != nil {
		return err
	}
	v := session.ResponseExtensionView{Session: sess, Extension: e, Errors: map[string]string{},
		DueOn: portal.CleanText(p.Get("due_on")), Reason: portal.CleanText(p.Get("reason")), Was: portal.CleanText(p.Get("was"))}
	var was *time.Time
	if v.Was != "" {
		d, ok := formDate(v.Was)
		if !ok {
			return errBadRequest
		}
		was = &d
	}
	ext := portal.ResponseExtension{Reason: v.Reason}
	var ok bool
	ext.DueOn, ok = formDate(v.DueOn)
	switch {
	case v.DueOn == "":
		v.Errors["due_on"] = "response.error.due_required"
	case !ok:
		v.Errors["due_on"] = "response.error.date_invalid"
	}
	mergeErrors(v.Errors, ext.Validate(e.SessionDue))
	if len(v.Errors) > 0 {
		return s.renderResponseExtension(w, r, http.StatusUnprocessableEntity, v)
	}
	err = s.db.ExtendResponses(r.Context(), s.actor(r), sess.ID, e.NGOID, ext, was)
	var ve *portal.ValidationError
	switch {
	case errors.As(err, &ve):
		v.Errors = ve.Fields
		return s.renderResponseExtension(w, r, http.StatusUnprocessableEntity, v)
	case errors.Is(err, portal.ErrConflict):
		latest, err := s.db.ResponseExtensionFor(r.Context(), sess.ID, e.NGOID)
		if err != nil {
			return err
		}
		v.Extension, v.Conflict, v.Was = latest, true, ""
		if latest.DueOn != nil {
			v.Was = formDateString(*latest.DueOn)
		}
		return s.renderResponseExtension(w, r, http.StatusConflict, v)
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, adminResponsesNGOPath(sess.ID, e.NGOID), "response.flash.extended")
}

func (s *Server) renderResponseExtension(w http.ResponseWriter, r *http.Request, status int, v session.ResponseExtensionView) error {
	v.Action = adminResponseExtensionPath(v.Session.ID, v.Extension.NGOID)
	v.Cancel = adminResponsesNGOPath(v.Session.ID, v.Extension.NGOID)
	v.Page = s.page(r, "")
	v.Title = v.T.T("response.extension.title", "Name", v.T.Pick(v.Extension.NameZH, v.Extension.NameEN))
	return s.render(w, r, status, session.ResponseExtension(v))
}

// --- The NGO's side ---

// staffAnswerState is what a re-rendered answers page keeps for the one
// request whose form was sent back.
type staffAnswerState struct {
	requestID    int64
	items        []int64
	reason       string
	itemsError   string
	reasonError  string
	itemsConfl   bool
	nothingConfl bool
}

func (s *Server) handleStaffResponses(w http.ResponseWriter, r *http.Request) error {
	sessionID, err := idParam(r)
	if err != nil {
		return err
	}
	return s.renderStaffResponses(w, r, http.StatusOK, sessionID, nil)
}

// renderStaffResponses shows the NGO's answers to the session's requests;
// st, when not nil, keeps what was typed in one request's form.
func (s *Server) renderStaffResponses(w http.ResponseWriter, r *http.Request, status int, sessionID int64, st *staffAnswerState) error {
	ngoID := viewerFrom(r.Context()).NGOID
	d, err := s.db.StaffResponsesFor(r.Context(), sessionID, ngoID)
	if err != nil {
		return err
	}
	sess, err := s.db.SessionByID(r.Context(), sessionID)
	if err != nil {
		return err
	}
	v := session.StaffResponseView{Session: sess, Data: d, Open: portal.ResponsesOpen(d.DueOn, time.Now()), HomePath: ngoHomePath}
	numbers := map[int64]int{}
	for _, q := range d.Requests {
		numbers[q.ID] = q.Number
		a := d.Answers[q.ID]
		sec := session.AnswerSection{Request: q, Answer: a,
			ItemsAction: staffResponseItemsPath(sessionID), NothingPath: staffResponseNothingPath(sessionID),
			NewItemPath: staffAddendumNewPath(sessionID, q.ID)}
		ticked := a.ItemIDs
		if a.Status == portal.ResponseNothing {
			sec.Reason = a.Reason
		}
		if st != nil && st.requestID == q.ID {
			if st.itemsError != "" || st.itemsConfl {
				ticked = st.items
			}
			if st.reasonError != "" || st.nothingConfl {
				sec.Reason = st.reason
			}
			sec.ItemsError, sec.ReasonError, sec.ItemsConfl, sec.NothingConfl = st.itemsError, st.reasonError, st.itemsConfl, st.nothingConfl
		}
		for _, p := range d.ReportItems {
			sec.Choices = append(sec.Choices, session.AnswerChoice{ID: p.ID, Title: p.Title, Checked: slices.Contains(ticked, p.ID)})
		}
		for _, p := range d.AddendumItems {
			sec.Choices = append(sec.Choices, session.AnswerChoice{ID: p.ID, Title: p.Title, Addendum: true, Checked: slices.Contains(ticked, p.ID)})
		}
		v.Sections = append(v.Sections, sec)
	}
	for _, p := range d.AddendumItems {
		row := session.AddendumRow{Item: p, EditPath: staffAddendumItemPath(sessionID, p.ID) + "/edit",
			DeletePath: staffAddendumItemPath(sessionID, p.ID) + "/delete"}
		for _, q := range p.RequestIDs {
			if n, ok := numbers[q]; ok {
				row.Numbers = append(row.Numbers, n)
			}
		}
		slices.Sort(row.Numbers)
		v.AddendumItems = append(v.AddendumItems, row)
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("response.staff.title", "Title", v.T.Pick(sess.TitleZH, sess.TitleEN))
	return s.render(w, r, status, session.StaffResponses(v))
}

// answerForm reads the request and version an answer form carries, once
// the route's session is known to ask the signed-in NGO for answers (so
// that another NGO gets 404 whatever it sends).
func (s *Server) answerForm(r *http.Request, sessionID int64) (url.Values, int64, int, error) {
	if err := s.db.AskedToAnswer(r.Context(), sessionID, viewerFrom(r.Context()).NGOID); err != nil {
		return nil, 0, 0, err
	}
	p, err := parsePostForm(r)
	if err != nil {
		return nil, 0, 0, err
	}
	requestID, ok := formID(p.Get("request"))
	if !ok {
		return nil, 0, 0, errBadRequest
	}
	version, err := formVersion(p)
	if err != nil {
		return nil, 0, 0, err
	}
	return p, requestID, version, nil
}

// answerWriteResult turns the result of an answer's write into the page:
// the answers again with a flash, the form again with its message, or the
// error.
func (s *Server) answerWriteResult(w http.ResponseWriter, r *http.Request, sessionID int64, st *staffAnswerState, err error, fieldErr func(map[string]string), flash string) error {
	var ve *portal.ValidationError
	switch {
	case errors.Is(err, portal.ErrResponsesClosed):
		return s.redirectFlash(w, r, staffResponsesPath(sessionID), "response.flash.closed")
	case errors.As(err, &ve):
		fieldErr(ve.Fields)
		return s.renderStaffResponses(w, r, http.StatusUnprocessableEntity, sessionID, st)
	case errors.Is(err, portal.ErrConflict):
		return s.renderStaffResponses(w, r, http.StatusConflict, sessionID, st)
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, staffResponsesPath(sessionID)+"#request-"+strconv.FormatInt(st.requestID, 10), flash)
}

func (s *Server) handleStaffResponseItems(w http.ResponseWriter, r *http.Request) error {
	sessionID, err := idParam(r)
	if err != nil {
		return err
	}
	p, requestID, version, err := s.answerForm(r, sessionID)
	if err != nil {
		return err
	}
	st := &staffAnswerState{requestID: requestID}
	for _, raw := range p["items"] {
		id, ok := formID(raw)
		if !ok {
			return errBadRequest
		}
		st.items = append(st.items, id)
	}
	err = s.db.SaveResponseItems(r.Context(), s.actor(r), sessionID, viewerFrom(r.Context()).NGOID, requestID, st.items, version, time.Now())
	st.itemsConfl = errors.Is(err, portal.ErrConflict)
	return s.answerWriteResult(w, r, sessionID, st, err, func(f map[string]string) { st.itemsError = f["items"] }, "response.flash.saved")
}

func (s *Server) handleStaffResponseNothing(w http.ResponseWriter, r *http.Request) error {
	sessionID, err := idParam(r)
	if err != nil {
		return err
	}
	p, requestID, version, err := s.answerForm(r, sessionID)
	if err != nil {
		return err
	}
	st := &staffAnswerState{requestID: requestID, reason: portal.CleanText(p.Get("reason"))}
	err = s.db.SaveNothingPlanned(r.Context(), s.actor(r), sessionID, viewerFrom(r.Context()).NGOID, requestID,
		portal.NothingPlanned{Reason: st.reason}, version, time.Now())
	st.nothingConfl = errors.Is(err, portal.ErrConflict)
	return s.answerWriteResult(w, r, sessionID, st, err, func(f map[string]string) { st.reasonError = f["reason"] }, "response.flash.saved")
}

// parseAddendumItemForm reads the addendum item form: the values as typed,
// the plan item they describe and what could not be read.
func parseAddendumItemForm(r *http.Request) (session.AddendumItemValues, portal.PlanItem, map[string]string, error) {
	p, err := parsePostForm(r)
	if err != nil {
		return session.AddendumItemValues{}, portal.PlanItem{}, nil, err
	}
	v := session.AddendumItemValues{
		Title: portal.CleanText(p.Get("title")), Description: portal.CleanText(p.Get("description")),
		Quarter: portal.CleanText(p.Get("quarter")), KeyProject: portal.CleanText(p.Get("key_project")),
	}
	if v.Version, err = formVersion(p); err != nil {
		return v, portal.PlanItem{}, nil, err
	}
	item := portal.PlanItem{Title: v.Title, Description: v.Description}
	errs := map[string]string{}
	if v.Quarter != "" {
		q, ok := formInt(v.Quarter)
		if !ok {
			errs["quarter"] = "report.err.quarter_invalid"
		}
		item.Quarter = q
	}
	if v.KeyProject != "" {
		id, ok := formID(v.KeyProject)
		if !ok {
			errs["key_project"] = "report.err.project_invalid"
		}
		item.KeyProjectID = id
	}
	for _, pair := range []struct {
		name string
		dst  *[]int64
		raw  *[]string
		msg  string
	}{{"themes", &item.ThemeIDs, &v.Themes, "report.err.theme_invalid"}, {"requests", &item.RequestIDs, &v.Requests, "report.err.request_invalid"}} {
		for _, raw := range p[pair.name] {
			raw = portal.CleanText(raw)
			*pair.raw = append(*pair.raw, raw)
			id, ok := formID(raw)
			if !ok {
				errs[pair.name] = pair.msg
				continue
			}
			*pair.dst = append(*pair.dst, id)
		}
	}
	mergeErrors(errs, portal.ValidateAddendumItem(item))
	if len(item.RequestIDs) == 0 {
		mergeErrors(errs, map[string]string{"requests": "response.error.requests_required"})
	}
	return v, item, errs, nil
}

// renderAddendumItem shows the addendum item form with v's values; the
// NGO's answers data d says which requests may be ticked.
func (s *Server) renderAddendumItem(w http.ResponseWriter, r *http.Request, status int, sessionID int64, d portal.StaffResponses, v session.AddendumItemView) error {
	sess, err := s.db.SessionByID(r.Context(), sessionID)
	if err != nil {
		return err
	}
	labels, err := s.db.ReportLabels(r.Context(), sessionID)
	if err != nil {
		return err
	}
	v.Session, v.Requests = sess, d.Requests
	v.Themes, v.Projects = sortedTerms(labels.Themes), sortedTerms(labels.Projects)
	v.Cancel = staffResponsesPath(sessionID)
	v.Page = s.page(r, "")
	if v.Editing {
		v.Title = v.T.T("response.item.edit_title")
	} else {
		v.Title = v.T.T("response.item.new_title")
		v.Action = staffAddendumPath(sessionID)
	}
	return s.render(w, r, status, session.AddendumItemForm(v))
}

// openResponses loads the NGO's answers data for a form; a date passed
// sends the NGO back to its answers, which say why.
func (s *Server) openResponses(w http.ResponseWriter, r *http.Request) (int64, portal.StaffResponses, bool, error) {
	sessionID, err := idParam(r)
	if err != nil {
		return 0, portal.StaffResponses{}, false, err
	}
	d, err := s.db.StaffResponsesFor(r.Context(), sessionID, viewerFrom(r.Context()).NGOID)
	if err != nil {
		return 0, d, false, err
	}
	if !portal.ResponsesOpen(d.DueOn, time.Now()) {
		return sessionID, d, false, s.redirectFlash(w, r, staffResponsesPath(sessionID), "response.flash.closed")
	}
	return sessionID, d, true, nil
}

func (s *Server) handleAddendumItemNew(w http.ResponseWriter, r *http.Request) error {
	sessionID, d, ok, err := s.openResponses(w, r)
	if err != nil || !ok {
		return err
	}
	v := session.AddendumItemView{Values: session.AddendumItemValues{Quarter: "0", Version: d.AddendumVersion}}
	if id, ok := formID(r.URL.Query().Get("request")); ok {
		v.Values.Requests = []string{strconv.FormatInt(id, 10)}
	}
	return s.renderAddendumItem(w, r, http.StatusOK, sessionID, d, v)
}

func (s *Server) handleAddendumItemCreate(w http.ResponseWriter, r *http.Request) error {
	sessionID, d, ok, err := s.openResponses(w, r)
	if err != nil || !ok {
		return err
	}
	values, item, errs, err := parseAddendumItemForm(r)
	if err != nil {
		return err
	}
	v := session.AddendumItemView{Values: values, Errors: errs}
	if len(errs) > 0 {
		return s.renderAddendumItem(w, r, http.StatusUnprocessableEntity, sessionID, d, v)
	}
	_, err = s.db.AddAddendumItem(r.Context(), s.actor(r), sessionID, viewerFrom(r.Context()).NGOID, item, values.Version, time.Now())
	return s.addendumWriteResult(w, r, sessionID, d, v, err, "response.flash.item_added")
}

// addendumWriteResult turns the result of an addendum item's write into
// the page.
func (s *Server) addendumWriteResult(w http.ResponseWriter, r *http.Request, sessionID int64, d portal.StaffResponses, v session.AddendumItemView, err error, flash string) error {
	var ve *portal.ValidationError
	switch {
	case errors.Is(err, portal.ErrResponsesClosed):
		return s.redirectFlash(w, r, staffResponsesPath(sessionID), "response.flash.closed")
	case errors.As(err, &ve):
		v.Errors = ve.Fields
		return s.renderAddendumItem(w, r, http.StatusUnprocessableEntity, sessionID, d, v)
	case errors.Is(err, portal.ErrConflict):
		// Keep what was typed; carry the latest version, so that sending
		// again is a deliberate save over what changed.
		latest, err := s.db.StaffResponsesFor(r.Context(), sessionID, viewerFrom(r.Context()).NGOID)
		if err != nil {
			return err
		}
		v.Conflict, v.Values.Version = true, latest.AddendumVersion
		return s.renderAddendumItem(w, r, http.StatusConflict, sessionID, latest, v)
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, staffResponsesPath(sessionID), flash)
}

// addendumItemOf loads the route's addendum item of the NGO.
func (s *Server) addendumItemOf(r *http.Request, sessionID int64) (portal.PlanItem, error) {
	itemID, err := routeIDParam(r, "itemID")
	if err != nil {
		return portal.PlanItem{}, err
	}
	return s.db.AddendumItem(r.Context(), sessionID, viewerFrom(r.Context()).NGOID, itemID)
}

func (s *Server) handleAddendumItemEdit(w http.ResponseWriter, r *http.Request) error {
	sessionID, d, ok, err := s.openResponses(w, r)
	if err != nil || !ok {
		return err
	}
	p, err := s.addendumItemOf(r, sessionID)
	if err != nil {
		return err
	}
	v := session.AddendumItemView{Editing: true, Action: staffAddendumItemPath(sessionID, p.ID),
		Values: session.AddendumItemValues{Title: p.Title, Description: p.Description, Quarter: strconv.Itoa(p.Quarter),
			Version: d.AddendumVersion}}
	if p.KeyProjectID != 0 {
		v.Values.KeyProject = strconv.FormatInt(p.KeyProjectID, 10)
	}
	for _, id := range p.ThemeIDs {
		v.Values.Themes = append(v.Values.Themes, strconv.FormatInt(id, 10))
	}
	for _, id := range p.RequestIDs {
		v.Values.Requests = append(v.Values.Requests, strconv.FormatInt(id, 10))
	}
	return s.renderAddendumItem(w, r, http.StatusOK, sessionID, d, v)
}

func (s *Server) handleAddendumItemUpdate(w http.ResponseWriter, r *http.Request) error {
	sessionID, d, ok, err := s.openResponses(w, r)
	if err != nil || !ok {
		return err
	}
	p, err := s.addendumItemOf(r, sessionID)
	if err != nil {
		return err
	}
	values, item, errs, err := parseAddendumItemForm(r)
	if err != nil {
		return err
	}
	if values.Version == 0 {
		return errBadRequest // an edit form carries the addendum's version
	}
	item.ID = p.ID
	v := session.AddendumItemView{Editing: true, Action: staffAddendumItemPath(sessionID, p.ID), Values: values, Errors: errs}
	if len(errs) > 0 {
		return s.renderAddendumItem(w, r, http.StatusUnprocessableEntity, sessionID, d, v)
	}
	err = s.db.UpdateAddendumItem(r.Context(), s.actor(r), sessionID, viewerFrom(r.Context()).NGOID, item, values.Version, time.Now())
	return s.addendumWriteResult(w, r, sessionID, d, v, err, "response.flash.item_saved")
}

func (s *Server) handleAddendumItemDeleteConfirm(w http.ResponseWriter, r *http.Request) error {
	sessionID, d, ok, err := s.openResponses(w, r)
	if err != nil || !ok {
		return err
	}
	p, err := s.addendumItemOf(r, sessionID)
	if err != nil {
		return err
	}
	sess, err := s.db.SessionByID(r.Context(), sessionID)
	if err != nil {
		return err
	}
	v := session.AddendumDeleteView{Session: sess, Item: p, Version: d.AddendumVersion,
		Action: staffAddendumItemPath(sessionID, p.ID) + "/delete", Cancel: staffResponsesPath(sessionID)}
	v.Page = s.page(r, "")
	v.Title = v.T.T("response.item.remove_title", "Title", p.Title)
	return s.render(w, r, http.StatusOK, session.AddendumDelete(v))
}

func (s *Server) handleAddendumItemDelete(w http.ResponseWriter, r *http.Request) error {
	sessionID, err := idParam(r)
	if err != nil {
		return err
	}
	item, err := s.addendumItemOf(r, sessionID)
	if err != nil {
		return err
	}
	itemID := item.ID
	version, err := parseVersion(r)
	if err != nil {
		return err
	}
	err = s.db.DeleteAddendumItem(r.Context(), s.actor(r), sessionID, viewerFrom(r.Context()).NGOID, itemID, version, time.Now())
	key := "response.flash.item_removed"
	switch {
	case errors.Is(err, portal.ErrResponsesClosed):
		key = "response.flash.closed"
	case errors.Is(err, portal.ErrOutcomeOnRecord):
		key = "response.flash.item_outcome_on_record"
	case errors.Is(err, portal.ErrConflict):
		key = "response.flash.item_remove_conflict"
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, staffResponsesPath(sessionID), key)
}
