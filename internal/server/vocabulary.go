package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/portal"
	"ngoportal/web/federation"
)

// adminVocabularyPath is the page of the federation's themes and key
// projects; each kind's own pages live under a segment of it.
const adminVocabularyPath = "/admin/vocabulary"

// vocabularySegments names each kind in the URL.
var vocabularySegments = map[portal.VocabularyKind]string{
	portal.KindTheme:   "themes",
	portal.KindProject: "projects",
}

func adminTermsPath(k portal.VocabularyKind) string {
	return adminVocabularyPath + "/" + vocabularySegments[k]
}
func adminTermNewPath(k portal.VocabularyKind) string {
	return adminTermsPath(k) + "/new"
}
func adminTermPath(k portal.VocabularyKind, id int64) string {
	return adminTermsPath(k) + "/" + strconv.FormatInt(id, 10)
}
func adminTermEditPath(k portal.VocabularyKind, id int64) string {
	return adminTermPath(k, id) + "/edit"
}

// vocabularyFederationRoutes are the vocabulary as every federation
// official may read it, under /admin.
func (s *Server) vocabularyFederationRoutes(r chi.Router) {
	r.Get("/vocabulary", s.handle(s.handleVocabularyIndex))
}

// vocabularyAdminRoutes are the vocabulary's forms and writes, under
// /admin; routes.go has already required the admin role. Themes and key
// projects get the same routes, each under its own segment.
func (s *Server) vocabularyAdminRoutes(r chi.Router) {
	for _, k := range portal.VocabularyKinds {
		base := "/vocabulary/" + vocabularySegments[k]
		r.Get(base+"/new", s.handle(s.termHandler(k, s.handleTermNew)))
		r.Post(base, s.handle(s.termHandler(k, s.handleTermCreate)))
		r.Get(base+"/{id}/edit", s.handle(s.termHandler(k, s.handleTermEdit)))
		r.Post(base+"/{id}", s.handle(s.termHandler(k, s.handleTermUpdate)))
		r.Post(base+"/{id}/retire", s.handle(s.termHandler(k, s.termActiveHandler(false))))
		r.Post(base+"/{id}/restore", s.handle(s.termHandler(k, s.termActiveHandler(true))))
		r.Post(base+"/{id}/up", s.handle(s.termHandler(k, s.termMoveHandler(true))))
		r.Post(base+"/{id}/down", s.handle(s.termHandler(k, s.termMoveHandler(false))))
	}
}

// termHandlerFunc is a vocabulary handler for one kind of term.
type termHandlerFunc func(w http.ResponseWriter, r *http.Request, k portal.VocabularyKind) error

// termHandler binds a vocabulary handler to its kind.
func (s *Server) termHandler(k portal.VocabularyKind, h termHandlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error { return h(w, r, k) }
}

func (s *Server) handleVocabularyIndex(w http.ResponseWriter, r *http.Request) error {
	v := federation.VocabularyListView{Page: s.page(r, "")}
	v.Title = v.T.T("vocabulary.title")
	for _, k := range portal.VocabularyKinds {
		terms, err := s.db.ListTerms(r.Context(), k, false)
		if err != nil {
			return err
		}
		l := federation.VocabularyList{Kind: k, NewPath: adminTermNewPath(k)}
		for i, t := range terms {
			row := federation.TermRow{Term: t, EditPath: adminTermEditPath(k, t.ID), DisplayName: v.T.Pick(t.NameZH, t.NameEN)}
			if t.Active {
				row.ActivePath = adminTermPath(k, t.ID) + "/retire"
			} else {
				row.ActivePath = adminTermPath(k, t.ID) + "/restore"
			}
			if i > 0 {
				row.UpPath = adminTermPath(k, t.ID) + "/up"
			}
			if i < len(terms)-1 {
				row.DownPath = adminTermPath(k, t.ID) + "/down"
			}
			l.Rows = append(l.Rows, row)
		}
		v.Lists = append(v.Lists, l)
	}
	return s.render(w, r, http.StatusOK, federation.VocabularyPage(v))
}

func (s *Server) handleTermNew(w http.ResponseWriter, r *http.Request, k portal.VocabularyKind) error {
	return s.renderTermForm(w, r, http.StatusOK, federation.VocabularyFormView{Kind: k})
}

func (s *Server) handleTermCreate(w http.ResponseWriter, r *http.Request, k portal.VocabularyKind) error {
	values, in, errs, err := parseTermForm(r, k)
	if err != nil {
		return err
	}
	v := federation.VocabularyFormView{Kind: k, Values: values, Errors: errs}
	if len(errs) > 0 {
		return s.renderTermForm(w, r, http.StatusUnprocessableEntity, v)
	}
	_, err = s.db.CreateTerm(r.Context(), s.actor(r), in)
	var ve *portal.ValidationError
	if errors.As(err, &ve) {
		v.Errors = ve.Fields
		return s.renderTermForm(w, r, http.StatusUnprocessableEntity, v)
	}
	if err != nil {
		return err
	}
	return s.redirectFlash(w, r, adminVocabularyPath, "vocabulary.flash.created."+string(k))
}

func (s *Server) handleTermEdit(w http.ResponseWriter, r *http.Request, k portal.VocabularyKind) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	t, err := s.db.TermByID(r.Context(), k, id)
	if err != nil {
		return err
	}
	return s.renderTermForm(w, r, http.StatusOK, federation.VocabularyFormView{Kind: k, Editing: true, Term: t, Values: termValuesFrom(t)})
}

func (s *Server) handleTermUpdate(w http.ResponseWriter, r *http.Request, k portal.VocabularyKind) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	t, err := s.db.TermByID(r.Context(), k, id)
	if err != nil {
		return err
	}
	values, in, errs, err := parseTermForm(r, k)
	if err != nil {
		return err
	}
	if values.Version == 0 {
		return errBadRequest
	}
	v := federation.VocabularyFormView{Kind: k, Editing: true, Term: t, Values: values, Errors: errs}
	if len(errs) > 0 {
		return s.renderTermForm(w, r, http.StatusUnprocessableEntity, v)
	}
	_, err = s.db.UpdateTerm(r.Context(), s.actor(r), id, in)
	var ve *portal.ValidationError
	switch {
	case errors.As(err, &ve):
		v.Errors = ve.Fields
		return s.renderTermForm(w, r, http.StatusUnprocessableEntity, v)
	case errors.Is(err, portal.ErrConflict):
		latest, err := s.db.TermByID(r.Context(), k, id)
		if err != nil {
			return err
		}
		// Keep what the admin typed; saving again is a deliberate overwrite.
		v.Conflict, v.Term, v.Values.Version = true, latest, latest.Version
		return s.renderTermForm(w, r, http.StatusConflict, v)
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, adminVocabularyPath, "vocabulary.flash.updated")
}

// termActiveHandler retires (active false) or restores a term. A stale
// version answers 409: the list the admin acted on is out of date.
func (s *Server) termActiveHandler(active bool) termHandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, k portal.VocabularyKind) error {
		id, err := idParam(r)
		if err != nil {
			return err
		}
		if _, err := s.db.TermByID(r.Context(), k, id); err != nil {
			return err
		}
		version, err := parseVersion(r)
		if err != nil {
			return err
		}
		if err := s.db.SetTermActive(r.Context(), s.actor(r), k, id, version, active); err != nil {
			return err
		}
		key := "vocabulary.flash.retired"
		if active {
			key = "vocabulary.flash.restored"
		}
		return s.redirectFlash(w, r, adminVocabularyPath, key)
	}
}

// termMoveHandler moves a term one place up or down its list.
func (s *Server) termMoveHandler(up bool) termHandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, k portal.VocabularyKind) error {
		id, err := idParam(r)
		if err != nil {
			return err
		}
		if err := s.db.MoveTerm(r.Context(), s.actor(r), k, id, up); err != nil {
			return err
		}
		return s.redirectFlash(w, r, adminVocabularyPath+"#vocabulary-"+string(k), "vocabulary.flash.moved")
	}
}

func (s *Server) renderTermForm(w http.ResponseWriter, r *http.Request, status int, v federation.VocabularyFormView) error {
	v.Page = s.page(r, "")
	v.CancelPath = adminVocabularyPath
	if v.Editing {
		v.Action = adminTermPath(v.Kind, v.Term.ID)
		v.Title = v.T.T("vocabulary.form.edit_title."+string(v.Kind), "Name", v.T.Pick(v.Term.NameZH, v.Term.NameEN))
	} else {
		v.Action = adminTermsPath(v.Kind)
		v.Title = v.T.T("vocabulary.form.new_title." + string(v.Kind))
	}
	return s.render(w, r, status, federation.VocabularyFormPage(v))
}
