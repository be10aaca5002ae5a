package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/portal"
	"ngoportal/web/report"
)

// The reporting cycles' paths.
const (
	adminCyclesPath   = "/admin/cycles"
	adminCycleNewPath = adminCyclesPath + "/new"
)

func adminCyclePath(id int64) string           { return adminCyclesPath + "/" + strconv.FormatInt(id, 10) }
func adminCycleEditPath(id int64) string       { return adminCyclePath(id) + "/edit" }
func adminCycleClosePath(id int64) string      { return adminCyclePath(id) + "/close" }
func adminCycleExtensionsPath(id int64) string { return adminCyclePath(id) + "/extensions" }
func adminCycleExtensionDeletePath(id, ngoID int64) string {
	return adminCycleExtensionsPath(id) + "/" + strconv.FormatInt(ngoID, 10) + "/delete"
}

// cycleFederationRoutes are the reporting cycles' pages every federation
// official may read, under /admin.
func (s *Server) cycleFederationRoutes(r chi.Router) {
	r.Get("/cycles", s.handle(s.handleCycleIndex))
	r.Get("/cycles/{id}", s.handle(s.handleCycleShow))
}

// cycleAdminRoutes are the reporting cycles' forms and writes, under
// /admin; routes.go has already required the admin role.
func (s *Server) cycleAdminRoutes(r chi.Router) {
	r.Post("/cycles", s.handle(s.handleCycleCreate))
	r.Get("/cycles/new", s.handle(s.handleCycleNew))
	r.Get("/cycles/{id}/edit", s.handle(s.handleCycleEdit))
	r.Post("/cycles/{id}", s.handle(s.handleCycleUpdate))
	r.Post("/cycles/{id}/close", s.handle(s.handleCycleClose))
	r.Post("/cycles/{id}/extensions", s.handle(s.handleExtensionCreate))
	r.Post("/cycles/{id}/extensions/{ngoID}/delete", s.handle(s.handleExtensionDelete))
}

func (s *Server) handleCycleIndex(w http.ResponseWriter, r *http.Request) error {
	list, err := s.db.ListCycles(r.Context())
	if err != nil {
		return err
	}
	v := report.CycleListView{NewPath: adminCycleNewPath}
	for _, c := range list {
		v.Rows = append(v.Rows, report.CycleRow{Cycle: c, ShowPath: adminCyclePath(c.ID)})
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("cycle.list.title")
	return s.render(w, r, http.StatusOK, report.CycleList(v))
}

func (s *Server) handleCycleNew(w http.ResponseWriter, r *http.Request) error {
	return s.renderCycleForm(w, r, http.StatusOK, report.CycleFormView{Values: report.CycleValues{Status: string(portal.CycleDraft)}})
}

func (s *Server) handleCycleCreate(w http.ResponseWriter, r *http.Request) error {
	sessions, err := s.db.CycleSessionOptions(r.Context(), 0)
	if err != nil {
		return err
	}
	values, cycle, errs, err := parseCycleForm(r, sessions)
	if err != nil {
		return err
	}
	v := report.CycleFormView{Values: values, Errors: errs, Sessions: sessions}
	if len(v.Errors) > 0 {
		return s.renderCycleForm(w, r, http.StatusUnprocessableEntity, v)
	}
	c, err := s.db.CreateCycle(r.Context(), s.actor(r), cycle)
	var ve *portal.ValidationError
	if errors.As(err, &ve) {
		v.Errors = ve.Fields
		return s.renderCycleForm(w, r, http.StatusUnprocessableEntity, v)
	}
	if err != nil {
		return err
	}
	return s.redirectFlash(w, r, adminCyclePath(c.ID), "cycle.flash.created")
}

func (s *Server) handleCycleShow(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	return s.renderCycleShow(w, r, http.StatusOK, report.CycleShowView{Cycle: portal.Cycle{ID: id}})
}

func (s *Server) handleCycleEdit(w http.ResponseWriter, r *http.Request) error {
	c, err := rowFromURL(r, s.db.CycleByID)
	if err != nil {
		return err
	}
	if c.Closed() {
		return s.renderCycleShow(w, r, http.StatusConflict, report.CycleShowView{Cycle: c, Problem: "cycle.err.closed"})
	}
	return s.renderCycleForm(w, r, http.StatusOK, report.CycleFormView{Editing: true, Cycle: c, Values: cycleValuesFrom(c)})
}

func (s *Server) handleCycleUpdate(w http.ResponseWriter, r *http.Request) error {
	c, err := rowFromURL(r, s.db.CycleByID)
	if err != nil {
		return err
	}
	id := c.ID
	sessions, err := s.db.CycleSessionOptions(r.Context(), id)
	if err != nil {
		return err
	}
	values, cycle, errs, err := parseCycleForm(r, sessions)
	if err != nil {
		return err
	}
	if values.Version == 0 {
		return errBadRequest
	}
	if c.Closed() {
		return s.renderCycleShow(w, r, http.StatusConflict, report.CycleShowView{Cycle: c, Problem: "cycle.err.closed"})
	}
	v := report.CycleFormView{Editing: true, Cycle: c, Values: values, Errors: errs, Sessions: sessions}
	if len(v.Errors) > 0 {
		return s.renderCycleForm(w, r, http.StatusUnprocessableEntity, v)
	}
	_, err = s.db.UpdateCycle(r.Context(), s.actor(r), id, cycle)
	var ve *portal.ValidationError
	switch {
	case errors.As(err, &ve):
		v.Errors = ve.Fields
		return s.renderCycleForm(w, r, http.StatusUnprocessableEntity, v)
	case errors.Is(err, portal.ErrCycleClosed):
		latest, err := s.db.CycleByID(r.Context(), id)
		if err != nil {
			return err
		}
		return s.renderCycleShow(w, r, http.StatusConflict, report.CycleShowView{Cycle: latest, Problem: "cycle.err.closed"})
	case errors.Is(err, portal.ErrConflict):
		latest, err := s.db.CycleByID(r.Context(), id)
		if err != nil {
			return err
		}
		// Keep what the admin typed; saving again is a deliberate overwrite.
		v.Conflict, v.Cycle, v.Values.Version = true, latest, latest.Version
		return s.renderCycleForm(w, r, http.StatusConflict, v)
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, adminCyclePath(id), "cycle.flash.updated")
}

func (s *Server) handleCycleClose(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	if _, err := s.db.CycleByID(r.Context(), id); err != nil {
		return err
	}
	version, err := parseVersion(r)
	if err != nil {
		return err
	}
	err = s.db.CloseCycle(r.Context(), s.actor(r), id, version)
	switch {
	case errors.Is(err, portal.ErrCycleClosed):
		return s.renderCycleShow(w, r, http.StatusConflict, report.CycleShowView{Cycle: portal.Cycle{ID: id}, Problem: "cycle.err.closed"})
	case errors.Is(err, portal.ErrConflict):
		return s.renderCycleShow(w, r, http.StatusConflict, report.CycleShowView{Cycle: portal.Cycle{ID: id}, Problem: "cycle.err.changed"})
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, adminCyclePath(id), "cycle.flash.closed")
}

func (s *Server) handleExtensionCreate(w http.ResponseWriter, r *http.Request) error {
	c, err := rowFromURL(r, s.db.CycleByID)
	if err != nil {
		return err
	}
	id := c.ID
	candidates, err := s.db.ExtensionCandidates(r.Context(), id)
	if err != nil {
		return err
	}
	values, ext, errs, err := parseExtensionForm(r, c, candidates)
	if err != nil {
		return err
	}
	v := report.CycleShowView{Cycle: c, Values: values}
	if c.Closed() {
		v.Problem = "cycle.err.closed"
		return s.renderCycleShow(w, r, http.StatusConflict, v)
	}
	if v.Errors = errs; len(v.Errors) > 0 {
		return s.renderCycleShow(w, r, http.StatusUnprocessableEntity, v)
	}
	err = s.db.GrantExtension(r.Context(), s.actor(r), ext)
	var ve *portal.ValidationError
	switch {
	case errors.As(err, &ve):
		v.Errors = ve.Fields
		return s.renderCycleShow(w, r, http.StatusUnprocessableEntity, v)
	case errors.Is(err, portal.ErrCycleClosed):
		v.Problem = "cycle.err.closed"
		return s.renderCycleShow(w, r, http.StatusConflict, v)
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, adminCyclePath(id), "cycle.flash.extension_granted")
}

func (s *Server) handleExtensionDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	ngoID, err := namedIDParam(r, "ngoID")
	if err != nil {
		return err
	}
	err = s.db.RemoveExtension(r.Context(), s.actor(r), id, ngoID)
	if errors.Is(err, portal.ErrCycleClosed) {
		return s.renderCycleShow(w, r, http.StatusConflict, report.CycleShowView{Cycle: portal.Cycle{ID: id}, Problem: "cycle.err.closed"})
	}
	if err != nil {
		return err
	}
	return s.redirectFlash(w, r, adminCyclePath(id), "cycle.flash.extension_removed")
}

// renderCycleShow renders cycle v.Cycle.ID's page, reading the cycle again
// unless v already holds it, with its extensions and the extension form.
func (s *Server) renderCycleShow(w http.ResponseWriter, r *http.Request, status int, v report.CycleShowView) error {
	ctx := r.Context()
	if v.Cycle.Version == 0 {
		c, err := s.db.CycleByID(ctx, v.Cycle.ID)
		if err != nil {
			return err
		}
		v.Cycle = c
	}
	id := v.Cycle.ID
	list, err := s.db.ListExtensions(ctx, id)
	if err != nil {
		return err
	}
	portal.SortByName(list, readsEnglish(r),
		func(e portal.Extension) string { return e.NGONameZH }, func(e portal.Extension) string { return e.NGONameEN })
	for _, e := range list {
		v.Extensions = append(v.Extensions, report.ExtensionRow{Extension: e, DeletePath: adminCycleExtensionDeletePath(id, e.NGOID)})
	}
	if v.Candidates, err = s.db.ExtensionCandidates(ctx, id); err != nil {
		return err
	}
	portal.SortByName(v.Candidates, readsEnglish(r), ngoNameZH, ngoNameEN)
	v.ListPath, v.EditPath, v.ClosePath, v.ExtensionsPath = adminCyclesPath, adminCycleEditPath(id), adminCycleClosePath(id), adminCycleExtensionsPath(id)
	v.BoardPath, v.IndicatorsPath = reviewBoardPath(id), adminCycleIndicatorsPath(id)
	if v.Cycle.SessionID != 0 {
		v.SessionPath = adminSessionPath(v.Cycle.SessionID)
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("cycle.years", "ReviewYear", v.Cycle.ReviewYear, "PlanYear", v.Cycle.PlanYear)
	return s.render(w, r, status, report.CycleShow(v))
}

func (s *Server) renderCycleForm(w http.ResponseWriter, r *http.Request, status int, v report.CycleFormView) error {
	if v.Sessions == nil {
		sessions, err := s.db.CycleSessionOptions(r.Context(), v.Cycle.ID)
		if err != nil {
			return err
		}
		v.Sessions = sessions
	}
	v.Page = s.page(r, "")
	if v.Editing {
		v.Action = adminCyclePath(v.Cycle.ID)
		v.CancelPath = adminCyclePath(v.Cycle.ID)
		v.Title = v.T.T("cycle.form.edit_title", "ReviewYear", v.Cycle.ReviewYear, "PlanYear", v.Cycle.PlanYear)
	} else {
		v.Action = adminCyclesPath
		v.CancelPath = adminCyclesPath
		v.Title = v.T.T("cycle.form.new_title")
	}
	return s.render(w, r, status, report.CycleFormPage(v))
}
