package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/portal"
	"ngoportal/web/federation"
)

// The roster's paths.
const (
	adminOfficialsPath   = "/admin/officials"
	adminOfficialNewPath = adminOfficialsPath + "/new"
)

func adminOfficialPath(id int64) string     { return adminOfficialsPath + "/" + strconv.FormatInt(id, 10) }
func adminOfficialEditPath(id int64) string { return adminOfficialPath(id) + "/edit" }

// officialFederationRoutes are the officials roster as every federation
// official may read it, under /admin.
func (s *Server) officialFederationRoutes(r chi.Router) {
	r.Get("/officials", s.handle(s.handleOfficialIndex))
}

// officialAdminRoutes are the officials roster's forms and writes, under
// /admin; routes.go has already required the admin role. Officials are
// never deleted: they retire with an end date or inactive.
func (s *Server) officialAdminRoutes(r chi.Router) {
	r.Post("/officials", s.handle(s.handleOfficialCreate))
	r.Get("/officials/new", s.handle(s.handleOfficialNew))
	r.Get("/officials/{id}/edit", s.handle(s.handleOfficialEdit))
	r.Post("/officials/{id}", s.handle(s.handleOfficialUpdate))
}

func (s *Server) handleOfficialIndex(w http.ResponseWriter, r *http.Request) error {
	list, err := s.db.ListOfficials(r.Context(), false)
	if err != nil {
		return err
	}
	portal.SortOfficials(list, readsEnglish(r))
	v := federation.OfficialListView{NewPath: adminOfficialNewPath}
	for _, o := range list {
		v.Rows = append(v.Rows, federation.OfficialRow{Official: o, EditPath: adminOfficialEditPath(o.ID)})
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("official.list.title")
	return s.render(w, r, http.StatusOK, federation.OfficialList(v))
}

func (s *Server) handleOfficialNew(w http.ResponseWriter, r *http.Request) error {
	return s.renderOfficialForm(w, r, http.StatusOK, federation.OfficialFormView{Values: federation.OfficialValues{Active: true}})
}

func (s *Server) handleOfficialCreate(w http.ResponseWriter, r *http.Request) error {
	values, in, errs, err := parseOfficialForm(r)
	if err != nil {
		return err
	}
	v := federation.OfficialFormView{Values: values, Errors: errs}
	if len(errs) > 0 {
		return s.renderOfficialForm(w, r, http.StatusUnprocessableEntity, v)
	}
	_, err = s.db.CreateOfficial(r.Context(), s.actor(r), in)
	var ve *portal.ValidationError
	if errors.As(err, &ve) {
		v.Errors = ve.Fields
		return s.renderOfficialForm(w, r, http.StatusUnprocessableEntity, v)
	}
	if err != nil {
		return err
	}
	return s.redirectFlash(w, r, adminOfficialsPath, "official.flash.created")
}

func (s *Server) handleOfficialEdit(w http.ResponseWriter, r *http.Request) error {
	o, err := rowFromURL(r, s.db.OfficialByID)
	if err != nil {
		return err
	}
	return s.renderOfficialForm(w, r, http.StatusOK, federation.OfficialFormView{Editing: true, Official: o, Values: officialValuesFrom(o)})
}

func (s *Server) handleOfficialUpdate(w http.ResponseWriter, r *http.Request) error {
	o, err := rowFromURL(r, s.db.OfficialByID)
	if err != nil {
		return err
	}
	id := o.ID
	values, in, errs, err := parseOfficialForm(r)
	if err != nil {
		return err
	}
	if values.Version == 0 {
		return errBadRequest
	}
	v := federation.OfficialFormView{Editing: true, Official: o, Values: values, Errors: errs}
	if len(errs) > 0 {
		return s.renderOfficialForm(w, r, http.StatusUnprocessableEntity, v)
	}
	_, err = s.db.UpdateOfficial(r.Context(), s.actor(r), id, in)
	var ve *portal.ValidationError
	switch {
	case errors.As(err, &ve):
		v.Errors = ve.Fields
		return s.renderOfficialForm(w, r, http.StatusUnprocessableEntity, v)
	case errors.Is(err, portal.ErrConflict):
		latest, err := s.db.OfficialByID(r.Context(), id)
		if err != nil {
			return err
		}
		// Keep what the admin typed; saving again is a deliberate overwrite.
		v.Conflict, v.Official, v.Values.Version = true, latest, latest.Version
		return s.renderOfficialForm(w, r, http.StatusConflict, v)
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, adminOfficialsPath, "official.flash.updated")
}

func (s *Server) renderOfficialForm(w http.ResponseWriter, r *http.Request, status int, v federation.OfficialFormView) error {
	v.Page = s.page(r, "")
	v.CancelPath = adminOfficialsPath
	if v.Editing {
		v.Action = adminOfficialPath(v.Official.ID)
		v.Title = v.T.T("official.form.edit_title", "Name", v.T.Pick(v.Official.NameZH, v.Official.NameEN))
	} else {
		v.Action = adminOfficialsPath
		v.Title = v.T.T("official.form.new_title")
	}
	return s.render(w, r, status, federation.OfficialFormPage(v))
}
