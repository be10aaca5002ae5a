package server

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/portal"
	"ngoportal/web/report"
)

// Report attachments: the staff's list, upload, delete and download of
// their own report's files, and the admin's download.

func attachmentReportPath(reportID int64) string {
	return ngoHomePath + "/reports/" + strconv.FormatInt(reportID, 10)
}
func staffAttachmentsPath(reportID int64) string {
	return attachmentReportPath(reportID) + "/attachments"
}
func staffAttachmentsPathWith(reportID int64, param string, attID int64) string {
	return staffAttachmentsPath(reportID) + "?" + url.Values{param: {strconv.FormatInt(attID, 10)}}.Encode()
}
func adminAttachmentsPath(reportID int64) string {
	return adminHomePath + "/reports/" + strconv.FormatInt(reportID, 10) + "/attachments"
}

// uploadMemory is how much of a multipart form is held in memory; the rest
// of a file goes to a temporary file, removed when the request ends.
const uploadMemory = 1 << 20

// plainID reports whether s is a positive whole number in its plain form,
// as idParam accepts it.
func plainID(s string) bool {
	id, err := strconv.ParseInt(s, 10, 64)
	return err == nil && id > 0 && strconv.FormatInt(id, 10) == s
}

// attIDParam reads the route's {attID} like idParam reads {id}.
func attIDParam(r *http.Request) (int64, error) {
	raw := chi.URLParam(r, "attID")
	if !plainID(raw) {
		return 0, errNotFound
	}
	id, _ := strconv.ParseInt(raw, 10, 64)
	return id, nil
}

// staffAttachmentRoutes are the NGO's report attachments, under /ngo. The
// report and its files are always looked up with the signed-in user's NGO.
func (s *Server) staffAttachmentRoutes(r chi.Router) {
	r.Get("/reports/{id}/attachments", s.handle(s.handleAttachmentIndex))
	r.With(s.uploadLimit).Post("/reports/{id}/attachments", s.handle(s.handleAttachmentCreate))
	r.Get("/reports/{id}/attachments/{attID}", s.handle(s.handleAttachmentDownload))
	r.Get("/reports/{id}/attachments/{attID}/delete", s.handle(s.handleAttachmentDeleteConfirm))
	r.Post("/reports/{id}/attachments/{attID}/delete", s.handle(s.handleAttachmentDelete))
}

// attachmentFederationRoutes let federation officials (admins and
// reviewers) download any report's files.
func (s *Server) attachmentFederationRoutes(r chi.Router) {
	r.Get("/reports/{id}/attachments/{attID}", s.handle(s.handleAdminAttachmentDownload))
}

// staffReport reads report {id} of the viewer's NGO; another NGO's report
// is ErrNotFound.
func (s *Server) staffReport(r *http.Request) (portal.Report, error) {
	id, err := idParam(r)
	if err != nil {
		return portal.Report{}, err
	}
	return s.db.ReportHeaderForNGO(r.Context(), viewerFrom(r.Context()).NGOID, id)
}

// attachmentsReadOnly is the message key saying why a report's files can no
// longer change, "" while they can (the rule lockReportForAttachments
// enforces: a draft or returned report in a cycle that is not closed).
func attachmentsReadOnly(rep portal.Report) string {
	switch {
	case rep.CycleStatus == portal.CycleClosed:
		return "attachment.readonly.closed"
	case rep.Status == portal.ReportAccepted:
		return "attachment.readonly.accepted"
	case !rep.Status.Editable():
		return "attachment.readonly.submitted"
	}
	return ""
}

func (s *Server) handleAttachmentIndex(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.staffReport(r)
	if err != nil {
		return err
	}
	return s.renderAttachments(w, r, http.StatusOK, rep, nil)
}

func (s *Server) handleAttachmentCreate(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.staffReport(r)
	if err != nil {
		return err
	}
	form, err := s.readUploadForm(r, "file", s.cfg.MaxUploadBytes)
	if err != nil {
		return err
	}

	kind := portal.AttachmentKind(form.values.Get("kind"))
	var kindErr string
	if !kind.Valid() {
		kindErr = "attachment.err.kind"
	}
	if key := attachmentsReadOnly(rep); key != "" {
		return s.renderAttachments(w, r, http.StatusConflict, rep, func(v *report.AttachmentsView) {
			v.Problem = "attachment.err.read_only"
		})
	}
	contentType, fileErr, err := s.vetUpload(form, kind)
	if err != nil {
		return err
	}
	if kindErr != "" || fileErr != "" {
		status := http.StatusUnprocessableEntity
		if form.tooLarge {
			status = http.StatusRequestEntityTooLarge
		}
		return s.renderAttachments(w, r, status, rep, func(v *report.AttachmentsView) {
			v.Kind, v.KindError, v.FileError = kind, kindErr, fileErr
		})
	}

	replacing := false
	if kind == portal.AttachmentCover {
		if replacing, err = s.db.HasCover(r.Context(), rep.ID); err != nil {
			return err
		}
	}
	saved, err := s.db.AddAttachment(r.Context(), s.actor(r), rep.NGOID, rep.ID, kind, form.filename, contentType, form.data, s.attachmentLimits())
	switch {
	case errors.Is(err, portal.ErrAttachmentReadOnly):
		// Submitted by a colleague since the page was read.
		return s.renderAttachments(w, r, http.StatusConflict, rep, func(v *report.AttachmentsView) {
			v.Problem = "attachment.err.read_only"
		})
	case portal.AttachmentErrorKey(err) != "":
		// Among them a full report or quota: the page shows the room left
		// as it is now, and the size of the file that did not fit.
		return s.renderAttachments(w, r, http.StatusUnprocessableEntity, rep, func(v *report.AttachmentsView) {
			v.Kind, v.FileError, v.FileSize = kind, portal.AttachmentErrorKey(err), int64(len(form.data))
		})
	case err != nil:
		return err
	}
	key, param := "attachment.flash.added", "added"
	if replacing {
		key, param = "attachment.flash.cover_replaced", "replaced"
	}
	return s.redirectFlash(w, r, staffAttachmentsPathWith(rep.ID, param, saved.ID), key)
}

// attachmentLimits are the configured bounds on an NGO's stored files.
func (s *Server) attachmentLimits() portal.AttachmentLimits {
	return portal.AttachmentLimits{MaxFiles: s.cfg.MaxFilesPerReport, Quota: s.cfg.NGOStorageQuota}
}

// vetUpload vets the form's file for kind (a supporting file when the kind
// is missing, so that both problems show at once). A refusal is a message
// key in fileErr; err is a failure to check.
func (s *Server) vetUpload(form uploadForm, kind portal.AttachmentKind) (contentType, fileErr string, err error) {
	switch {
	case form.tooLarge:
		return "", "attachment.err.too_large", nil
	case form.filename == "":
		return "", "attachment.err.no_file", nil
	}
	if !kind.Valid() {
		kind = portal.AttachmentSupporting
	}
	contentType, err = portal.CheckAttachment(kind, form.filename, form.data, s.cfg.MaxUploadBytes)
	if key := portal.AttachmentErrorKey(err); key != "" {
		return "", key, nil
	}
	if err != nil {
		return "", "", err
	}
	return contentType, "", nil
}

// handleAttachmentDeleteConfirm asks before a file is deleted: a
// mis-click on the list must not delete the cover page.
func (s *Server) handleAttachmentDeleteConfirm(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.staffReport(r)
	if err != nil {
		return err
	}
	attID, err := attIDParam(r)
	if err != nil {
		return err
	}
	items, err := s.db.ListAttachments(r.Context(), rep.ID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(items, func(a portal.Attachment) bool { return a.ID == attID })
	if i < 0 {
		return errNotFound
	}
	if attachmentsReadOnly(rep) != "" {
		return s.renderAttachments(w, r, http.StatusConflict, rep, func(v *report.AttachmentsView) {
			v.Problem = "attachment.err.read_only"
		})
	}
	v := report.AttachmentDeleteView{
		ReviewYear: rep.ReviewYear,
		Item:       items[i],
		Action:     staffAttachmentsPath(rep.ID) + "/" + strconv.FormatInt(attID, 10) + "/delete",
		Cancel:     staffAttachmentsPath(rep.ID),
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("attachment.confirm.title", "Name", items[i].Filename)
	return s.render(w, r, http.StatusOK, report.AttachmentDelete(v))
}

func (s *Server) handleAttachmentDelete(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.staffReport(r)
	if err != nil {
		return err
	}
	attID, err := attIDParam(r)
	if err != nil {
		return err
	}
	// The attachment must be one of this report's, not merely the NGO's.
	items, err := s.db.ListAttachments(r.Context(), rep.ID)
	if err != nil {
		return err
	}
	if !hasAttachment(items, attID) {
		return errNotFound
	}
	if attachmentsReadOnly(rep) != "" {
		return s.renderAttachments(w, r, http.StatusConflict, rep, func(v *report.AttachmentsView) {
			v.Problem = "attachment.err.read_only"
		})
	}
	err = s.db.DeleteAttachment(r.Context(), s.actor(r), rep.NGOID, attID)
	switch {
	case errors.Is(err, portal.ErrAttachmentReadOnly):
		return s.renderAttachments(w, r, http.StatusConflict, rep, func(v *report.AttachmentsView) {
			v.Problem = "attachment.err.read_only"
		})
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, staffAttachmentsPath(rep.ID), "attachment.flash.deleted")
}

func hasAttachment(items []portal.Attachment, id int64) bool {
	for _, a := range items {
		if a.ID == id {
			return true
		}
	}
	return false
}

// renderAttachments renders the staff's attachments page of rep; fill
// (optional) sets the form's values and errors.
func (s *Server) renderAttachments(w http.ResponseWriter, r *http.Request, status int, rep portal.Report, fill func(*report.AttachmentsView)) error {
	items, err := s.db.ListAttachments(r.Context(), rep.ID)
	if err != nil {
		return err
	}
	usage, err := s.db.AttachmentUsage(r.Context(), rep.NGOID, rep.ID)
	if err != nil {
		return err
	}
	v := report.AttachmentsView{
		ReviewYear:   rep.ReviewYear,
		Items:        items,
		ReadOnly:     attachmentsReadOnly(rep),
		Kind:         portal.AttachmentCover,
		Limit:        s.cfg.MaxUploadBytes,
		Limits:       s.attachmentLimits(),
		Usage:        usage,
		ReportPath:   attachmentReportPath(rep.ID),
		Action:       staffAttachmentsPath(rep.ID),
		DownloadBase: staffAttachmentsPath(rep.ID),
	}
	v.Editable = v.ReadOnly == ""
	if v.Editable {
		v.DeleteBase = staffAttachmentsPath(rep.ID)
	}
	if len(items) > 0 && items[0].Kind == portal.AttachmentCover {
		v.Kind = portal.AttachmentSupporting // the cover is there: the next file is most likely evidence
	}
	if fill != nil {
		fill(&v)
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("attachment.title", "Year", rep.ReviewYear)
	if v.Flash != "" {
		s.nameUploadedFile(&v, r.URL.Query())
	}
	return s.render(w, r, status, report.Attachments(v))
}

// nameUploadedFile puts the file's name into the flash of a successful
// upload. The flash carries a message key only; the redirect's query names
// the new attachment, which is looked up among this report's own files, so
// the query alone can show nothing (and without a pending flash it is
// ignored).
func (s *Server) nameUploadedFile(v *report.AttachmentsView, q url.Values) {
	for _, c := range []struct{ param, key string }{
		{"added", "attachment.flash.added_named"},
		{"replaced", "attachment.flash.cover_replaced_named"},
	} {
		raw := q.Get(c.param)
		if raw == "" || !plainID(raw) {
			continue
		}
		id, _ := strconv.ParseInt(raw, 10, 64)
		for _, a := range v.Items {
			if a.ID == id {
				v.Flash = v.T.T(c.key, "Name", a.Filename)
				return
			}
		}
	}
}

func (s *Server) handleAttachmentDownload(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	attID, err := attIDParam(r)
	if err != nil {
		return err
	}
	f, err := s.db.AttachmentForNGO(r.Context(), viewerFrom(r.Context()).NGOID, attID)
	if err != nil {
		return err
	}
	if f.ReportID != id {
		return errNotFound
	}
	return writeAttachment(w, f)
}

func (s *Server) handleAdminAttachmentDownload(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	attID, err := attIDParam(r)
	if err != nil {
		return err
	}
	f, err := s.db.AttachmentForAdmin(r.Context(), attID)
	if err != nil {
		return err
	}
	if f.ReportID != id {
		return errNotFound
	}
	return writeAttachment(w, f)
}

// downloadPolicy is the Content-Security-Policy of a stored file served
// back: a file is checked by its first bytes only, so a PDF or GIF header
// followed by HTML and script is stored as that type. Should a browser
// still render one as a page (opened from its address, or an old browser
// that ignores the disposition), sandbox gives it a unique origin with
// scripts, forms and pop-ups off, and default-src 'none' lets it load
// nothing; it can reach neither the portal's cookies nor its pages.
const downloadPolicy = "sandbox; default-src 'none'"

// writeAttachment sends a stored file for saving, never for display: the
// type found from its content when it was uploaded, "attachment"
// disposition with the name shortened to what file systems take, a
// sandboxing policy, no sniffing and no caching outside the reader's
// browser.
func writeAttachment(w http.ResponseWriter, f portal.AttachmentFile) error {
	h := w.Header()
	h.Set("Content-Security-Policy", downloadPolicy)
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Disposition", portal.ContentDisposition(f.Filename, f.ContentType))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.Itoa(len(f.Data)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(f.Data) // a client that went away cannot be told
	return nil
}
