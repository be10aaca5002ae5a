package server

import (
	"bytes"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/i18n"
	"ngoportal/internal/markdown"
	"ngoportal/internal/portal"
	"ngoportal/web/public"
	"ngoportal/web/summary"
	"ngoportal/web/ui"
)

// Session summaries: the federation's pages to compose, edit, preview,
// publish and follow the history of a session's public summary, under
// /admin/sessions/{id}/summary. The repository records a version and an
// audit row for every write.

func adminSummaryPath(sessionID int64) string        { return adminSessionPath(sessionID) + "/summary" }
func adminSummaryComposePath(sessionID int64) string { return adminSummaryPath(sessionID) + "/compose" }
func adminSummaryEditPath(sessionID int64) string    { return adminSummaryPath(sessionID) + "/edit" }
func adminSummaryCoverPath(sessionID int64) string   { return adminSummaryPath(sessionID) + "/cover" }
func adminSummaryVersionsPath(sessionID int64) string {
	return adminSummaryPath(sessionID) + "/versions"
}
func adminSummaryVersionPath(sessionID int64, n int) string {
	return adminSummaryVersionsPath(sessionID) + "/" + strconv.Itoa(n)
}

// adminSummaryPreviewPath is the preview in locale l; the language is in
// the address, so each preview link shows the language it names.
func adminSummaryPreviewPath(sessionID int64, l i18n.Locale) string {
	return adminSummaryPath(sessionID) + "/preview?" + langParam + "=" + string(l)
}

// adminSummaryCoverURL is the admin's address of a cover image, versioned
// by its checksum so that a replaced cover is a new address.
func adminSummaryCoverURL(sessionID int64, sum []byte) string {
	u := adminSummaryCoverPath(sessionID)
	if len(sum) >= 6 {
		u += "?v=" + hex.EncodeToString(sum[:6])
	}
	return u
}

func summaryPaths(sessionID int64) summary.SummaryPaths {
	base := adminSummaryPath(sessionID)
	return summary.SummaryPaths{
		Session:     adminSessionPath(sessionID),
		Summary:     base,
		Compose:     adminSummaryComposePath(sessionID),
		Edit:        adminSummaryEditPath(sessionID),
		Publish:     base + "/publish",
		Unpublish:   base + "/unpublish",
		PreviewZH:   adminSummaryPreviewPath(sessionID, i18n.ZhCN),
		PreviewEN:   adminSummaryPreviewPath(sessionID, i18n.En),
		Cover:       adminSummaryCoverPath(sessionID),
		CoverDelete: adminSummaryCoverPath(sessionID) + "/delete",
		Versions:    adminSummaryVersionsPath(sessionID),
	}
}

// summaryFederationRoutes are a session's summary as every federation
// official may read it: the draft, its preview, cover and versions.
func (s *Server) summaryFederationRoutes(r chi.Router) {
	r.Get("/sessions/{id}/summary", s.handle(s.handleSummaryShow))
	r.Get("/sessions/{id}/summary/preview", s.handle(s.handleSummaryPreview))
	r.Get("/sessions/{id}/summary/cover", s.handle(s.handleSummaryCoverShow))
	r.Get("/sessions/{id}/summary/versions", s.handle(s.handleSummaryVersions))
	r.Get("/sessions/{id}/summary/versions/{n}", s.handle(s.handleSummaryVersion))
}

// summaryAdminRoutes compose, edit, publish and illustrate a summary;
// routes.go has already required the admin role.
func (s *Server) summaryAdminRoutes(r chi.Router) {
	r.Post("/sessions/{id}/summary", s.handle(s.handleSummaryUpdate))
	r.Post("/sessions/{id}/summary/compose", s.handle(s.handleSummaryCompose))
	r.Get("/sessions/{id}/summary/edit", s.handle(s.handleSummaryEdit))
	r.Post("/sessions/{id}/summary/publish", s.handle(s.handleSummaryPublish))
	r.Post("/sessions/{id}/summary/unpublish", s.handle(s.handleSummaryUnpublish))
	r.With(s.uploadLimit).Post("/sessions/{id}/summary/cover", s.handle(s.handleSummaryCoverCreate))
	r.Get("/sessions/{id}/summary/cover/delete", s.handle(s.handleSummaryCoverDeleteConfirm))
	r.Post("/sessions/{id}/summary/cover/delete", s.handle(s.handleSummaryCoverDelete))
}

// federation is the federation's names, as configured, for the composer.
func (s *Server) federation() portal.Federation {
	return portal.Federation{NameZH: s.cfg.FederationZH, NameEN: s.cfg.FederationEN}
}

// summaryAllowed reports whether a session in status st may have a
// summary: it must have been held (the repository enforces the same).
func summaryAllowed(st portal.SessionStatus) bool {
	return st == portal.SessionHeld || st == portal.SessionClosed
}

// sessionTitle is a session's title in the page's language.
func sessionTitle(t i18n.Translator, sess portal.Session) string {
	return t.Pick(sess.TitleZH, sess.TitleEN)
}

// summaryOf returns the session's summary, or nil when it has none yet.
func (s *Server) summaryOf(r *http.Request, sessionID int64) (*portal.Summary, error) {
	sum, err := s.db.SummaryForSession(r.Context(), sessionID)
	switch {
	case errors.Is(err, portal.ErrNotFound):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return &sum, nil
}

// summaryVersionParam reads a form's version: required, and at least min.
// Anything else is no form of ours (400).
func summaryVersionParam(raw []string, min int) (int, error) {
	if len(raw) == 0 {
		return 0, errBadRequest
	}
	n, err := strconv.Atoi(strings.TrimSpace(raw[0]))
	if err != nil || n < min {
		return 0, errBadRequest
	}
	return n, nil
}

func (s *Server) handleSummaryShow(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	return s.renderSummaryShow(w, r, http.StatusOK, id, "", nil)
}

// renderSummaryShow shows the summary page of session id; problem is the
// message key of a refused action, missing what publishing found missing.
func (s *Server) renderSummaryShow(w http.ResponseWriter, r *http.Request, status int, id int64, problem string, missing map[string]string) error {
	sess, err := s.db.SessionByID(r.Context(), id)
	if err != nil {
		return err
	}
	v := summary.SummaryShowView{Session: sess, Held: summaryAllowed(sess.Status), Problem: problem,
		Missing: summary.SummaryMissing(missing), Paths: summaryPaths(id)}
	if v.Summary, err = s.summaryOf(r, id); err != nil {
		return err
	}
	if sum := v.Summary; sum != nil {
		v.BodyZH, v.BodyEN = markdown.Render(sum.ZH.Body), markdown.Render(sum.EN.Body)
		if sum.Status == portal.SummaryPublished {
			v.PublicURL = public.PublicSessionPath(sess.Slug)
		}
		if sum.HasCover {
			v.CoverURL = adminSummaryCoverURL(id, sum.CoverSHA256)
		}
	}
	requests, err := s.db.ListRequests(r.Context(), id)
	if err != nil {
		return err
	}
	for _, q := range requests {
		if strings.TrimSpace(q.TextEN) == "" {
			v.Untranslated = append(v.Untranslated, summary.RequestLink{Number: q.Number, TextZH: q.TextZH,
				EditPath: adminRequestEditPath(id, q.ID)})
		}
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("summary.show.title", "Title", sessionTitle(v.T, sess))
	return s.render(w, r, status, summary.SummaryShow(v))
}

func (s *Server) handleSummaryCompose(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	overwrite := r.PostForm.Get("overwrite") == "1"
	_, err = s.db.ComposeSummary(r.Context(), s.actor(r), id, s.federation(), overwrite)
	switch {
	case errors.Is(err, portal.ErrSummaryEdited):
		return s.renderSummaryComposeConfirm(w, r, id)
	case portal.SummaryErrorKey(err) != "":
		return s.renderSummaryShow(w, r, http.StatusConflict, id, portal.SummaryErrorKey(err), nil)
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, adminSummaryPath(id), "summary.flash.composed")
}

// renderSummaryComposeConfirm asks before composing over the admin's
// edits: the current text against the draft the composer would write.
// Nothing has changed yet, so the page answers 200.
func (s *Server) renderSummaryComposeConfirm(w http.ResponseWriter, r *http.Request, id int64) error {
	sess, err := s.db.SessionByID(r.Context(), id)
	if err != nil {
		return err
	}
	cur, err := s.db.SummaryForSession(r.Context(), id)
	if err != nil {
		return err
	}
	facts, err := s.db.SummaryFacts(r.Context(), id)
	if err != nil {
		return err
	}
	facts.Federation = s.federation()
	zh, en := portal.ComposeSummary(facts)
	v := summary.SummaryComposeConfirmView{
		Session: sess,
		Diffs:   summary.SummaryDiffs(summary.SummarySide{ZH: cur.ZH, EN: cur.EN}, summary.SummarySide{ZH: zh, EN: en}, false),
		Paths:   summaryPaths(id),
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("summary.compose.title")
	return s.render(w, r, http.StatusOK, summary.SummaryComposeConfirm(v))
}

func (s *Server) handleSummaryEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	sess, err := s.db.SessionByID(r.Context(), id)
	if err != nil {
		return err
	}
	if !summaryAllowed(sess.Status) {
		return s.renderSummaryShow(w, r, http.StatusConflict, id, "summary.err.not_held", nil)
	}
	v, err := s.summaryEditView(r, sess)
	if err != nil {
		return err
	}
	return s.renderSummaryEdit(w, r, http.StatusOK, v)
}

// summaryEditView is the edit page of sess's summary filled with what is
// saved (an empty form at version 0 when there is no summary yet).
func (s *Server) summaryEditView(r *http.Request, sess portal.Session) (summary.SummaryEditView, error) {
	v := summary.SummaryEditView{Session: sess}
	var err error
	if v.Summary, err = s.summaryOf(r, sess.ID); err != nil {
		return v, err
	}
	if v.Summary != nil {
		v.Form, v.Version = v.Summary.Input(), v.Summary.Version
	}
	return v, nil
}

func (s *Server) renderSummaryEdit(w http.ResponseWriter, r *http.Request, status int, v summary.SummaryEditView) error {
	id := v.Session.ID
	v.Paths = summaryPaths(id)
	if v.Summary != nil && v.Summary.HasCover {
		v.CoverURL = adminSummaryCoverURL(id, v.Summary.CoverSHA256)
	}
	v.Page = s.page(r, "")
	v.CoverLimit = ui.FileSize(v.T, s.coverLimit())
	v.Title = v.T.T("summary.edit.title", "Title", sessionTitle(v.T, v.Session))
	return s.render(w, r, status, summary.SummaryEdit(v))
}

func (s *Server) handleSummaryUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	sess, err := s.db.SessionByID(r.Context(), id)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	p := r.PostForm
	version, err := summaryVersionParam(p["version"], 0)
	if err != nil {
		return err
	}
	in := portal.SummaryInput{
		ZH:         portal.SummaryText{Title: p.Get("title_zh"), Lead: p.Get("lead_zh"), Body: p.Get("body_zh")},
		EN:         portal.SummaryText{Title: p.Get("title_en"), Lead: p.Get("lead_en"), Body: p.Get("body_en")},
		CoverAltZH: p.Get("cover_alt_zh"),
		CoverAltEN: p.Get("cover_alt_en"),
	}
	saved, err := s.db.SaveSummary(r.Context(), s.actor(r), id, in, version)
	var ve *portal.ValidationError
	switch {
	case errors.As(err, &ve):
		v, err := s.summaryEditView(r, sess)
		if err != nil {
			return err
		}
		// Keep what the admin typed, and the version they typed it over.
		v.Form, v.Version, v.Errors = in, version, ve.Fields
		return s.renderSummaryEdit(w, r, http.StatusUnprocessableEntity, v)
	case errors.Is(err, portal.ErrSummaryStale):
		v, err := s.summaryEditView(r, sess)
		if err != nil {
			return err
		}
		// Keep what the admin typed over the latest version: saving again
		// is a deliberate overwrite.
		v.Form, v.Conflict, v.Latest = in, true, v.Summary
		return s.renderSummaryEdit(w, r, http.StatusConflict, v)
	case portal.SummaryErrorKey(err) != "":
		return s.renderSummaryShow(w, r, http.StatusConflict, id, portal.SummaryErrorKey(err), nil)
	case err != nil:
		return err
	}
	key := "summary.flash.saved"
	if saved.Status == portal.SummaryPublished {
		key = "summary.flash.saved_live"
	}
	return s.redirectFlash(w, r, adminSummaryPath(id), key)
}

func (s *Server) handleSummaryPublish(w http.ResponseWriter, r *http.Request) error {
	return s.stepSummary(w, r, portal.SummaryPublished)
}

func (s *Server) handleSummaryUnpublish(w http.ResponseWriter, r *http.Request) error {
	return s.stepSummary(w, r, portal.SummaryDraft)
}

// stepSummary publishes or unpublishes the summary at the form's version.
// Publishing a summary that lacks a title or a body in either language is
// refused with 422 and the list of what is missing.
func (s *Server) stepSummary(w http.ResponseWriter, r *http.Request, to portal.SummaryStatus) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	version, err := summaryVersionParam(r.PostForm["version"], 1)
	if err != nil {
		return err
	}
	key := "summary.flash.unpublished"
	if to == portal.SummaryPublished {
		key = "summary.flash.published"
		_, err = s.db.PublishSummary(r.Context(), s.actor(r), id, version)
	} else {
		_, err = s.db.UnpublishSummary(r.Context(), s.actor(r), id, version)
	}
	var ve *portal.ValidationError
	switch {
	case errors.As(err, &ve):
		return s.renderSummaryShow(w, r, http.StatusUnprocessableEntity, id, "", ve.Fields)
	case portal.SummaryErrorKey(err) != "":
		return s.renderSummaryShow(w, r, http.StatusConflict, id, portal.SummaryErrorKey(err), nil)
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, adminSummaryPath(id), key)
}

// handleSummaryPreview shows the summary exactly as the public page will,
// whatever its status, under a preview banner; never cached or indexed.
func (s *Server) handleSummaryPreview(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	ps, err := s.db.SummaryPreview(r.Context(), id)
	if err != nil {
		return err
	}
	v := s.publicSummaryView(r, ps, true)
	if ps.Summary.HasCover {
		// The public cover address answers 404 for a draft.
		v.CoverURL = adminSummaryCoverURL(id, ps.Summary.CoverSHA256)
	}
	h := w.Header()
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Robots-Tag", "noindex")
	return s.render(w, r, http.StatusOK, public.PublicSummaryPage(v))
}

func (s *Server) handleSummaryCoverShow(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	c, err := s.db.SummaryCover(r.Context(), id)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", c.ContentType) // found from the content when it was uploaded
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Disposition", "inline")
	h.Set("Cache-Control", "private, no-store")

	h.Set("Content-Security-Policy", downloadPolicy) // an image for <img>, never a page
	h.Set("Content-Length", strconv.Itoa(len(c.Data)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(c.Data) // a client that went away cannot be told
	return nil
}

func (s *Server) handleSummaryCoverCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	sess, err := s.db.SessionByID(r.Context(), id)
	if err != nil {
		return err
	}
	form, err := s.readUploadForm(r, summary.CoverFileField, s.coverLimit())
	if err != nil {
		return err
	}
	version, err := summaryVersionParam(form.values["version"], 1)
	if err != nil {
		return err
	}
	altZH, altEN := form.values.Get(summary.CoverAltZHField), form.values.Get(summary.CoverAltENField)
	data, fileErr := form.data, ""
	switch {
	case form.tooLarge:
		fileErr = "summary.cover.too_large"
	case form.filename == "":
		fileErr = "summary.err.cover_empty"
	}
	// Without a usable file, the repository still checks the alt texts
	// (and touches nothing), so that every problem shows at once.
	_, err = s.db.SetSummaryCover(r.Context(), s.actor(r), id, data, altZH, altEN, version)
	var ve *portal.ValidationError
	switch {
	case errors.As(err, &ve):
		v, err := s.summaryEditView(r, sess)
		if err != nil {
			return err
		}
		v.CoverAltZH, v.CoverAltEN = altZH, altEN
		v.CoverErrors = map[string]string{}
		for field, key := range ve.Fields {
			switch field {
			case "cover":
				v.CoverErrors[summary.CoverFileField] = key
			case "cover_alt_zh":
				v.CoverErrors[summary.CoverAltZHField] = key
			case "cover_alt_en":
				v.CoverErrors[summary.CoverAltENField] = key
			}
		}
		status := http.StatusUnprocessableEntity
		if fileErr != "" {
			v.CoverErrors[summary.CoverFileField] = fileErr
		}
		if form.tooLarge {
			status = http.StatusRequestEntityTooLarge
		}
		return s.renderSummaryEdit(w, r, status, v)
	case portal.SummaryErrorKey(err) != "":
		return s.renderSummaryRefusal(w, r, sess, portal.SummaryErrorKey(err))
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, adminSummaryEditPath(id)+"#cover", "summary.flash.cover_set")
}

// renderSummaryRefusal shows the summary's edit page as it is now, with
// the reason (a message key) a cover change was refused: 409.
func (s *Server) renderSummaryRefusal(w http.ResponseWriter, r *http.Request, sess portal.Session, problem string) error {
	v, err := s.summaryEditView(r, sess)
	if err != nil {
		return err
	}
	v.Problem = problem
	return s.renderSummaryEdit(w, r, http.StatusConflict, v)
}

// coverLimit is the largest cover image accepted: the upload limit, or
// the cover's own when that is smaller.
func (s *Server) coverLimit() int64 { return min(s.cfg.MaxUploadBytes, portal.MaxCoverBytes) }

// handleSummaryCoverDeleteConfirm asks before the cover image is removed:
// it shows the image that will be gone, its description and, for a
// published summary, that the public page loses it at once. A summary
// without a cover sends the admin back to the edit page.
func (s *Server) handleSummaryCoverDeleteConfirm(w http.ResponseWriter, r *http.Request) error {
	sess, sum, err := s.summaryOfRoute(r)
	if err != nil {
		return err
	}
	if !sum.HasCover {
		return s.redirectFlash(w, r, adminSummaryEditPath(sess.ID)+"#cover", "summary.flash.cover_none")
	}
	c, err := s.db.SummaryCover(r.Context(), sess.ID)
	if err != nil {
		return err
	}
	v := summary.CoverDeleteView{
		Session:  sess,
		Summary:  sum,
		CoverURL: adminSummaryCoverURL(sess.ID, sum.CoverSHA256),
		Size:     int64(len(c.Data)),
		Action:   adminSummaryCoverPath(sess.ID) + "/delete",
		Cancel:   adminSummaryEditPath(sess.ID) + "#cover",
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("summary.cover.confirm.title", "Title", sessionTitle(v.T, sess))
	return s.render(w, r, http.StatusOK, summary.CoverDelete(v))
}

func (s *Server) handleSummaryCoverDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	sess, err := s.db.SessionByID(r.Context(), id)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	version, err := summaryVersionParam(r.PostForm["version"], 1)
	if err != nil {
		return err
	}
	_, err = s.db.RemoveSummaryCover(r.Context(), s.actor(r), id, version)
	switch {
	case portal.SummaryErrorKey(err) != "":
		return s.renderSummaryRefusal(w, r, sess, portal.SummaryErrorKey(err))
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, adminSummaryEditPath(id)+"#cover", "summary.flash.cover_removed")
}

// summaryOfRoute loads the route's session and its summary; ErrNotFound
// when either is missing.
func (s *Server) summaryOfRoute(r *http.Request) (portal.Session, portal.Summary, error) {
	id, err := idParam(r)
	if err != nil {
		return portal.Session{}, portal.Summary{}, err
	}
	sess, err := s.db.SessionByID(r.Context(), id)
	if err != nil {
		return sess, portal.Summary{}, err
	}
	sum, err := s.db.SummaryForSession(r.Context(), id)
	return sess, sum, err
}

func (s *Server) handleSummaryVersions(w http.ResponseWriter, r *http.Request) error {
	sess, sum, err := s.summaryOfRoute(r)
	if err != nil {
		return err
	}
	list, err := s.db.SummaryVersions(r.Context(), sum.ID)
	if err != nil {
		return err
	}
	v := summary.SummaryVersionsView{Session: sess, Paths: summaryPaths(sess.ID)}
	for _, ver := range list {
		v.Rows = append(v.Rows, summary.SummaryVersionRow{SummaryVersion: ver, Link: adminSummaryVersionPath(sess.ID, ver.Number)})
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("summary.history.title", "Title", sessionTitle(v.T, sess))
	return s.render(w, r, http.StatusOK, summary.SummaryVersions(v))
}

// versionParam reads the route's {n} by idParam's rules.
func versionParam(r *http.Request) (int, error) {
	raw := chi.URLParam(r, "n")
	n, err := strconv.Atoi(raw)
	if err != nil || n <= 0 || strconv.Itoa(n) != raw {
		return 0, errNotFound
	}
	return n, nil
}

func (s *Server) handleSummaryVersion(w http.ResponseWriter, r *http.Request) error {
	sess, sum, err := s.summaryOfRoute(r)
	if err != nil {
		return err
	}
	n, err := versionParam(r)
	if err != nil {
		return err
	}
	ver, err := s.db.SummaryVersion(r.Context(), sum.ID, n)
	if err != nil {
		return err
	}
	v := summary.SummaryVersionView{Session: sess, Version: ver, First: true, Paths: summaryPaths(sess.ID)}
	var before summary.SummarySide
	var beforeCover []byte
	if n > 1 {
		prev, err := s.db.SummaryVersion(r.Context(), sum.ID, n-1)
		switch {
		case errors.Is(err, portal.ErrNotFound):
		case err != nil:
			return err
		default:
			v.First = false
			before = summary.SummarySide{ZH: prev.ZH, EN: prev.EN, AltZH: prev.CoverAltZH, AltEN: prev.CoverAltEN}
			beforeCover = prev.CoverSHA256
			v.PrevPath = adminSummaryVersionPath(sess.ID, n-1)
		}
	}
	if n < sum.Version {
		v.NextPath = adminSummaryVersionPath(sess.ID, n+1)
	}
	v.CoverChanged = !bytes.Equal(beforeCover, ver.CoverSHA256)
	after := summary.SummarySide{ZH: ver.ZH, EN: ver.EN, AltZH: ver.CoverAltZH, AltEN: ver.CoverAltEN}
	v.Diffs = summary.SummaryDiffs(before, after, true)
	v.Page = s.page(r, "")
	v.Title = v.T.T("summary.history.version_title", "Number", n, "Title", sessionTitle(v.T, sess))
	return s.render(w, r, http.StatusOK, summary.SummaryVersion(v))
}
