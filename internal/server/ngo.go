package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/portal"
	"ngoportal/web/ngo"
	"ngoportal/web/ui"
)

// The registry's paths beyond those in paths.go.
const adminNGONewPath = adminNGOsPath + "/new"

func adminNGODeactivatePath(id int64) string { return adminNGOPath(id) + "/deactivate" }
func adminNGOReactivatePath(id int64) string { return adminNGOPath(id) + "/reactivate" }

// ngosPerPage is the registry list's page size.
const ngosPerPage = 20

// ngoFederationRoutes are the NGO registry's pages every federation
// official may read, under /admin.
func (s *Server) ngoFederationRoutes(r chi.Router) {
	r.Get("/ngos", s.handle(s.handleNGOIndex))
	r.Get("/ngos/{id}", s.handle(s.handleNGOShow))
}

// ngoAdminRoutes are the NGO registry's forms and writes, under /admin;
// routes.go has already required the admin role.
func (s *Server) ngoAdminRoutes(r chi.Router) {
	r.Post("/ngos", s.handle(s.handleNGOCreate))
	r.Get("/ngos/new", s.handle(s.handleNGONew))
	r.Post("/ngos/{id}", s.handle(s.handleNGOUpdate))
	r.Get("/ngos/{id}/edit", s.handle(s.handleNGOEdit))
	r.Post("/ngos/{id}/deactivate", s.handle(s.handleNGODeactivate))
	r.Post("/ngos/{id}/reactivate", s.handle(s.handleNGOReactivate))
}

func (s *Server) handleNGOIndex(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	status := portal.ParseNGOStatus(q.Get("status"))
	query := portal.CleanText(q.Get("q"))
	if len([]rune(query)) > 100 {
		query = string([]rune(query)[:100])
	}
	pager := ui.Pager{Page: ui.ParsePage(q), PerPage: ngosPerPage, Path: adminNGOsPath, Query: url.Values{}}
	if status != portal.NGOStatusActive {
		pager.Query.Set("status", string(status))
	}
	if query != "" {
		pager.Query.Set("q", query)
	}
	filter := portal.NGOFilter{Status: status, Query: query, English: readsEnglish(r), Limit: ngosPerPage, Offset: pager.Offset()}
	items, total, err := s.db.ListNGOs(r.Context(), filter)
	if err != nil {
		return err
	}
	pager.Total = total
	if pager.Page > pager.Pages() {
		// A page past the end (the list shrank, or a hand-made link):
		// show the last one rather than an empty table.
		pager.Page = pager.Pages()
		filter.Offset = pager.Offset()
		if items, _, err = s.db.ListNGOs(r.Context(), filter); err != nil {
			return err
		}
	}
	v := ngo.NGOListView{
		Status: status, Query: query, Pager: pager, ListPath: adminNGOsPath, NewPath: adminNGONewPath,
	}
	for _, it := range items {
		v.Rows = append(v.Rows, ngo.NGORow{NGOListItem: it, Link: adminNGOPath(it.ID)})
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("ngo.list.title")
	return s.render(w, r, http.StatusOK, ngo.NGOList(v))
}

func (s *Server) handleNGOShow(w http.ResponseWriter, r *http.Request) error {
	n, err := rowFromURL(r, s.db.NGOByID)
	if err != nil {
		return err
	}
	id := n.ID
	staff, err := s.db.NGOStaff(r.Context(), id, true)
	if err != nil {
		return err
	}
	v := ngo.NGOShowView{
		NGO: n, ListPath: adminNGOsPath, EditPath: adminNGOEditPath(id), AttendancePath: adminNGOAttendancePath(id),
		DeactivatePath: adminNGODeactivatePath(id), ReactivatePath: adminNGOReactivatePath(id),
	}
	v.TimelinePath = adminNGOTimelinePath(id)
	for _, u := range staff {
		v.Staff = append(v.Staff, ngo.NGOStaffRow{User: u, Link: adminUserPath(u.ID)})
	}
	v.Page = s.page(r, "")
	v.Title = v.T.Pick(n.NameZH, n.NameEN)
	return s.render(w, r, http.StatusOK, ngo.NGOShow(v))
}

func (s *Server) handleNGONew(w http.ResponseWriter, r *http.Request) error {
	// A new NGO appears in the public directory unless the admin says not.
	values := ngo.NGOValues{ShowInDirectory: true}
	return s.renderNGOForm(w, r, http.StatusOK, ngo.NGOFormView{Values: values})
}

func (s *Server) handleNGOCreate(w http.ResponseWriter, r *http.Request) error {
	values, in, errs, err := parseNGOForm(r)
	if err != nil {
		return err
	}
	v := ngo.NGOFormView{Values: values, Errors: errs}
	if len(errs) > 0 {
		return s.renderNGOForm(w, r, http.StatusUnprocessableEntity, v)
	}
	n, err := s.db.CreateNGO(r.Context(), s.actor(r), in)
	var ve *portal.ValidationError
	if errors.As(err, &ve) {
		v.Errors = ve.Fields
		return s.renderNGOForm(w, r, http.StatusUnprocessableEntity, v)
	}
	if err != nil {
		return err
	}
	return s.redirectFlash(w, r, adminNGOPath(n.ID), "ngo.flash.created")
}

func (s *Server) handleNGOEdit(w http.ResponseWriter, r *http.Request) error {
	n, err := rowFromURL(r, s.db.NGOByID)
	if err != nil {
		return err
	}
	return s.renderNGOForm(w, r, http.StatusOK, ngo.NGOFormView{Editing: true, NGO: n, Values: ngoValuesFrom(n)})
}

func (s *Server) handleNGOUpdate(w http.ResponseWriter, r *http.Request) error {
	n, err := rowFromURL(r, s.db.NGOByID)
	if err != nil {
		return err
	}
	id := n.ID
	values, in, errs, err := parseNGOForm(r)
	if err != nil {
		return err
	}
	if values.Version == 0 {
		return errBadRequest // every edit form carries its version
	}
	v := ngo.NGOFormView{Editing: true, NGO: n, Values: values, Errors: errs}
	if len(errs) > 0 {
		return s.renderNGOForm(w, r, http.StatusUnprocessableEntity, v)
	}
	saved, err := s.db.UpdateNGO(r.Context(), s.actor(r), id, in)
	var ve *portal.ValidationError
	switch {
	case errors.As(err, &ve):
		v.Errors = ve.Fields
		return s.renderNGOForm(w, r, http.StatusUnprocessableEntity, v)
	case errors.Is(err, portal.ErrConflict):
		// Keep what the admin typed, show what was saved meanwhile, and
		// carry the latest version so that saving again is a deliberate
		// overwrite rather than another conflict.
		latest, err := s.db.NGOByID(r.Context(), id)
		if err != nil {
			return err
		}
		v.Conflict, v.Latest, v.NGO, v.Posted = true, latest, latest, in
		v.Values.Version = latest.Version
		return s.renderNGOForm(w, r, http.StatusConflict, v)
	case err != nil:
		return err
	}
	key := "ngo.flash.updated"
	if saved.Version == values.Version {
		key = "ngo.flash.unchanged"
	}
	return s.redirectFlash(w, r, adminNGOPath(id), key)
}

func (s *Server) handleNGODeactivate(w http.ResponseWriter, r *http.Request) error {
	return s.setNGOActive(w, r, s.db.DeactivateNGO, "ngo.flash.deactivated")
}

func (s *Server) handleNGOReactivate(w http.ResponseWriter, r *http.Request) error {
	return s.setNGOActive(w, r, s.db.ReactivateNGO, "ngo.flash.reactivated")
}

// setNGOActive takes the route's NGO out of service or puts it back with
// step, then shows its page with flash.
func (s *Server) setNGOActive(w http.ResponseWriter, r *http.Request,
	step func(context.Context, portal.Actor, int64) error, flash string,
) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	if err := step(r.Context(), s.actor(r), id); err != nil {
		return err
	}
	return s.redirectFlash(w, r, adminNGOPath(id), flash)
}

// renderNGOForm fills in the page, title, action and cancel link of the
// registry form.
func (s *Server) renderNGOForm(w http.ResponseWriter, r *http.Request, status int, v ngo.NGOFormView) error {
	v.Page = s.page(r, "")
	if v.Editing {
		v.Action, v.CancelPath = adminNGOPath(v.NGO.ID), adminNGOPath(v.NGO.ID)
		v.Title = v.T.T("ngo.form.edit_title", "Name", v.T.Pick(v.NGO.NameZH, v.NGO.NameEN))
	} else {
		v.Action, v.CancelPath = adminNGOsPath, adminNGOsPath
		v.Title = v.T.T("ngo.form.new_title")
	}
	return s.render(w, r, status, ngo.NGOFormPage(v))
}

// handleStaffHome is NGO staff's home: what the NGO has to do now, then its
// registry entry and its staff. The NGO is the signed-in user's, never one
// named by the request.
func (s *Server) handleStaffHome(w http.ResponseWriter, r *http.Request) error {
	ngoID := viewerFrom(r.Context()).NGOID
	n, err := s.db.NGOByID(r.Context(), ngoID)
	if err != nil {
		return err
	}
	staff, err := s.db.NGOStaff(r.Context(), ngoID, false)
	if err != nil {
		return err
	}
	now := time.Now()
	todos, err := s.db.StaffTodos(r.Context(), ngoID, now)
	if err != nil {
		return err
	}
	v := ngo.StaffHomeView{NGO: n, Staff: staff, PasswordPath: accountPasswordPath}
	v.Page = s.page(r, "")
	v.Todos = unreadTodo(v.T, viewerFrom(r.Context()), staffTodoItems(v.T, todos, now))
	v.Title = v.T.Pick(n.NameZH, n.NameEN)
	return s.render(w, r, http.StatusOK, ngo.StaffHome(v))
}
