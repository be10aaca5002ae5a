package server

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/portal"
	"ngoportal/web/report"
)

// NGO staff's work reports: the list per cycle, starting a report, and the
// report itself (the form while it may change, else read-only).
const staffReportsPath = ngoHomePath + "/reports"

func staffReportPath(id int64) string { return staffReportsPath + "/" + strconv.FormatInt(id, 10) }
func staffReportFilesPath(id int64) string {
	return staffReportPath(id) + "/attachments"
}

// staffReportAddPath is the report with a new row at index i of table,
// scrolled to its field.
func staffReportAddPath(id int64, table string, i int, field string) string {
	return staffReportPath(id) + "?add=" + table + "#" + report.ReportFieldID(portal.RowField(table, i, field))
}

// staffReportRemovePath asks whether to remove row i of table.
func staffReportRemovePath(id int64, table string, i int) string {
	return staffReportPath(id) + "/remove?row=" + table + "." + strconv.Itoa(i)
}

func staffCycleReportPath(cycleID int64) string {
	return ngoHomePath + "/cycles/" + strconv.FormatInt(cycleID, 10) + "/report"
}

// staffReportRoutes are the NGO's reports, under /ngo; staffRoutes' group
// has already required the staff role. Every query takes the NGO from the
// signed-in user, never from the URL or the form.
func (s *Server) staffReportRoutes(r chi.Router) {
	r.Get("/reports", s.handle(s.handleReportIndex))
	r.Post("/cycles/{id}/report", s.handle(s.handleReportStart))
	r.Get("/reports/{id}", s.handle(s.handleReportShow))
	r.Post("/reports/{id}", s.handle(s.handleReportUpdate))
	r.Get("/reports/{id}/remove", s.handle(s.handleReportRemoveAsk))
	r.Post("/reports/{id}/remove", s.handle(s.handleReportRemove))
}

// handleReportIndex is the staff's list of their NGO's reports, one per
// reporting cycle.
func (s *Server) handleReportIndex(w http.ResponseWriter, r *http.Request) error {
	return s.renderReportList(w, r, http.StatusOK, "")
}

// renderReportList shows the NGO's reports, with problem (a message
// key) at the top when a start was refused.
func (s *Server) renderReportList(w http.ResponseWriter, r *http.Request, status int, problem string) error {
	list, err := s.db.StaffReportCycles(r.Context(), viewerFrom(r.Context()).NGOID)
	if err != nil {
		return err
	}
	now := time.Now()
	v := report.StaffReportListView{Problem: problem}
	for _, x := range list {
		row := report.StaffReportRow{
			ReviewYear: x.Cycle.ReviewYear, PlanYear: x.Cycle.PlanYear, CycleStatus: x.Cycle.Status,
			Deadline: x.Deadline, Extended: x.Extended, Passed: portal.DeadlinePassed(x.Deadline, now),
			Status: x.Status, SubmittedAt: x.SubmittedAt,
		}
		switch {
		case x.ReportID != 0:
			row.ReportPath = staffReportPath(x.ReportID)
		case x.Cycle.Status == portal.CycleOpen && !row.Passed:
			row.StartPath = staffCycleReportPath(x.Cycle.ID)
		}
		v.Rows = append(v.Rows, row)
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("reportform.list.title")
	return s.render(w, r, status, report.StaffReportList(v))
}

// handleReportStart starts the NGO's report for a cycle, or goes to the
// one already started.
func (s *Server) handleReportStart(w http.ResponseWriter, r *http.Request) error {
	cycleID, err := idParam(r)
	if err != nil {
		return err
	}
	ngoID := viewerFrom(r.Context()).NGOID
	// Started already (by a colleague, or in another tab): just go there.
	if rep, err := s.db.ReportFor(r.Context(), cycleID, ngoID); err == nil {
		http.Redirect(w, r, staffReportPath(rep.ID), http.StatusSeeOther)
		return nil
	} else if !errors.Is(err, portal.ErrNotFound) {
		return err
	}
	rep, err := s.db.StartReport(r.Context(), s.actor(r), cycleID, ngoID)
	switch {
	case errors.Is(err, portal.ErrCycleClosed):
		return s.renderReportList(w, r, http.StatusConflict, "reportform.problem.start_closed")
	case errors.Is(err, portal.ErrReportDeadlinePassed):
		return s.renderReportList(w, r, http.StatusConflict, "reportform.problem.start_deadline")
	case err != nil:
		// A draft cycle (ErrCycleNotOpen) or none at all: not found.
		return err
	}
	return s.redirectFlash(w, r, staffReportPath(rep.ID), "reportform.flash.started")
}

// handleReportShow is the NGO's report: the form while it may change,
// else the report read-only.
func (s *Server) handleReportShow(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	rep, err := s.db.ReportForNGO(r.Context(), viewerFrom(r.Context()).NGOID, id)
	if err != nil {
		return err
	}
	v, err := s.reportView(r, rep)
	if err != nil {
		return err
	}
	v.Form = reportFormFrom(rep)
	// ?add=activities shows a new, empty row at the end of that table (a
	// row button saved the draft and sent the browser here).
	if t := r.URL.Query().Get("add"); v.Editable && isRowTable(t) && rowsOf(v.Form, t) < portal.MaxReportRows {
		addRow(&v.Form, t)
		v.Focus = portal.RowField(t, rowsOf(v.Form, t)-1, firstRowField[t])
	}
	return s.renderReport(w, r, http.StatusOK, v)
}

// handleReportUpdate saves the form, then adds a row, asks before removing
// one, or submits the report, as the button pressed says. Every button saves
// first, so nothing typed is lost to a row button: a draft keeps incomplete
// rows (the page shows what they lack as notes); values that cannot be
// stored (a number that is not one, a text over its size) are left out of
// the save and come back on the form as typed, with their messages.
func (s *Server) handleReportUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	ngoID := viewerFrom(r.Context()).NGOID
	// Another NGO's report answers 404 whatever the form holds.
	stored, err := s.db.ReportForNGO(r.Context(), ngoID, id)
	if err != nil {
		return err
	}
	form, op, err := parseReportForm(r, stored)
	if err != nil {
		return err
	}
	if err := stored.EditBlock(time.Now()); err != nil {
		return s.renderReportRefusal(w, r, stored, reportRefusal(err))
	}

	// Rows left empty are dropped; the row a remove button names is found
	// among the rest.
	removeBlank := false
	if op.Kind == opRemove {
		op.Row, removeBlank = rowAfterBlanks(form, op.Table, op.Row)
	}
	dropBlankRows(&form)
	in, problems := reportFromForm(form, stored)
	in, dropped := in.Storable(stored)
	problems = mergeProblems(problems, dropped)

	if op.Kind == opSubmit && len(problems) == 0 {
		saved, err := s.db.SubmitReport(r.Context(), s.actor(r), ngoID, in, form.Version, time.Now())
		var incomplete *portal.ReportIncompleteError
		if errors.As(err, &incomplete) {
			// The draft is saved; show it as saved, with what is missing.
			v, err := s.reportView(r, saved)
			if err != nil {
				return err
			}
			v.Form, v.Missing = reportFormFrom(saved), incomplete.Missing
			return s.renderReport(w, r, http.StatusUnprocessableEntity, v)
		}
		if done, err := s.reportWriteRefused(w, r, err, id, form); done || err != nil {
			return err
		}
		return s.redirectFlash(w, r, staffReportPath(id), "reportform.flash.submitted")
	}

	// Save, add, remove, and a submission with values that cannot be
	// stored: save the draft first (what cannot be stored is left out).
	saved, err := s.db.SaveDraft(r.Context(), s.actor(r), ngoID, in, form.Version)
	if done, err := s.reportWriteRefused(w, r, err, id, form); done || err != nil {
		return err
	}
	if len(problems) > 0 {
		// Saved, except those values: the form shows them as typed, at the
		// saved version, so saving again after a fix is no conflict. A row
		// asked for is added; a removal waits until the values are fixed.
		v, err := s.reportView(r, saved)
		if err != nil {
			return err
		}
		v.Form, v.Errors, v.SavedExcept = form, problems, true
		v.Form.Version = saved.Version
		if op.Kind == opAdd && rowsOf(v.Form, op.Table) < portal.MaxReportRows {
			addRow(&v.Form, op.Table)
			v.Focus = portal.RowField(op.Table, rowsOf(v.Form, op.Table)-1, firstRowField[op.Table])
		}
		return s.renderReport(w, r, http.StatusUnprocessableEntity, v)
	}

	savedForm := reportFormFrom(saved)
	switch op.Kind {
	case opAdd:
		n := rowsOf(savedForm, op.Table)
		if n >= portal.MaxReportRows {
			v, err := s.reportView(r, saved)
			if err != nil {
				return err
			}
			v.Form, v.Errors = savedForm, map[string]string{op.Table: "report.err.too_many_rows"}
			return s.renderReport(w, r, http.StatusUnprocessableEntity, v)
		}
		// The new row is shown by the page the browser is sent to; it is
		// stored once something is typed in it and saved.
		return s.redirectFlash(w, r, staffReportAddPath(id, op.Table, n, firstRowField[op.Table]), "reportform.flash.saved")
	case opRemove:
		if removeBlank || op.Row >= rowsOf(savedForm, op.Table) {
			// An empty row is simply gone: it was never stored.
			return s.redirectFlash(w, r, staffReportPath(id), "reportform.flash.saved")
		}
		return s.redirectFlash(w, r, staffReportRemovePath(id, op.Table, op.Row), "reportform.flash.saved")
	}
	if len(saved.Incomplete(saved.ReviewYear)) > 0 {
		return s.redirectFlash(w, r, staffReportPath(id), "reportform.flash.saved_incomplete")
	}
	return s.redirectFlash(w, r, staffReportPath(id), "reportform.flash.saved")
}

// mergeProblems adds to unread, what reportFromForm could not read, the
// values Report.Storable left out; what could not be read says more.
func mergeProblems(unread, dropped map[string]string) map[string]string {
	for key, msg := range dropped {
		if _, ok := unread[key]; !ok {
			unread[key] = msg
		}
	}
	return unread
}

// reportWriteRefused renders the page for a refused save or submission of
// report id and reports whether it did; form is what the user sent. Invalid
// content comes back with its messages (422); a report that can no longer
// change is shown read-only with the reason (409); a colleague's save in
// between keeps the user's input on the form, carrying the latest
// version, so that saving again is a deliberate overwrite (409).
func (s *Server) reportWriteRefused(w http.ResponseWriter, r *http.Request, err error, id int64, form report.ReportValues) (bool, error) {
	if err == nil {
		return false, nil
	}
	var ve *portal.ValidationError
	if !errors.As(err, &ve) && !errors.Is(err, portal.ErrConflict) {
		return true, err
	}
	latest, lerr := s.db.ReportForNGO(r.Context(), viewerFrom(r.Context()).NGOID, id)
	if lerr != nil {
		return true, lerr
	}
	if problem := reportRefusal(err); problem != "" {
		return true, s.renderReportRefusal(w, r, latest, problem)
	}
	v, verr := s.reportView(r, latest)
	if verr != nil {
		return true, verr
	}
	v.Form = form
	if ve != nil {
		v.Errors = ve.Fields
		return true, s.renderReport(w, r, http.StatusUnprocessableEntity, v)
	}
	v.Conflict, v.Form.Version = true, latest.Version
	return true, s.renderReport(w, r, http.StatusConflict, v)
}

// reportRefusal is the message key for a write refused because the report
// can no longer change (Report.EditBlock's errors), "" for any other error.
func reportRefusal(err error) string {
	switch {
	case errors.Is(err, portal.ErrCycleClosed):
		return "reportform.problem.closed"
	case errors.Is(err, portal.ErrReportDeadlinePassed):
		return "reportform.problem.deadline"
	case errors.Is(err, portal.ErrReportReadOnly):
		return "reportform.problem.read_only"
	}
	return ""
}

// renderReportRefusal shows report rep read-only with problem at the top:
// 409, nothing was changed.
func (s *Server) renderReportRefusal(w http.ResponseWriter, r *http.Request, rep portal.Report, problem string) error {
	v, err := s.reportView(r, rep)
	if err != nil {
		return err
	}
	v.Editable, v.Problem = false, problem
	return s.renderReport(w, r, http.StatusConflict, v)
}

// reportReadOnly is the message key the page shows when staff may not
// change rep at now (Report.EditBlock refuses), "" while they may.
func reportReadOnly(rep portal.Report, now time.Time) string {
	err := rep.EditBlock(now)
	switch {
	case err == nil:
		return ""
	case errors.Is(err, portal.ErrCycleClosed):
		return "reportform.readonly.closed"
	case errors.Is(err, portal.ErrReportDeadlinePassed):
		return "reportform.readonly.deadline"
	case rep.Status == portal.ReportAccepted:
		return "reportform.readonly.accepted"
	}
	return "reportform.readonly.submitted"
}

// reportView loads what the report page shows around report rep,
// which the caller has read scoped to the signed-in user's NGO (the
// history and attachments are read by the report's id).
func (s *Server) reportView(r *http.Request, rep portal.Report) (report.StaffReportView, error) {
	ctx := r.Context()
	v := report.StaffReportView{
		Report: rep, Action: staffReportPath(rep.ID), ListPath: staffReportsPath, ReloadPath: staffReportPath(rep.ID),
		AttachmentsPath: staffReportFilesPath(rep.ID), DownloadBase: staffReportFilesPath(rep.ID),
		ExportPath: staffReportExportPath(rep.ID), VersionsPath: staffVersionsPath(rep.ID),
	}
	v.ReadOnly = reportReadOnly(rep, time.Now())
	v.Editable = v.ReadOnly == ""
	if v.Editable {
		v.Notes = rep.Incomplete(rep.ReviewYear)
	}

	cycle, err := s.db.CycleByID(ctx, rep.CycleID)
	if err != nil {
		return v, err
	}
	if v.Labels, err = s.db.ReportLabels(ctx, cycle.SessionID); err != nil {
		return v, err
	}
	v.Themes = sortedTerms(v.Labels.Themes)
	v.Projects = sortedTerms(v.Labels.Projects)
	if cycle.SessionID != 0 {
		if v.Requests, err = s.db.RequestsForNGO(ctx, cycle.SessionID, rep.NGOID); err != nil {
			return v, err
		}
	}
	if v.Attachments, err = s.db.ListAttachments(ctx, rep.ID); err != nil {
		return v, err
	}
	if v.History, err = s.db.ReportHistory(ctx, rep.ID); err != nil {
		return v, err
	}
	if rep.Status == portal.ReportReturned {
		for i := len(v.History) - 1; i >= 0; i-- {
			if v.History[i].Action == portal.EventReturned {
				v.Return = &v.History[i]
				break
			}
		}
		for i := len(v.History) - 1; i >= 0; i-- {
			if snap := v.History[i].Snapshot; snap != nil {
				v.Changed = portal.ChangedSections(*snap, rep.ReportContent)
				break
			}
		}
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("reportform.title", "Year", rep.ReviewYear)
	return v, nil
}

// sortedTerms lists terms in the federation's order.
func sortedTerms(m map[int64]portal.Term) []portal.Term {
	out := make([]portal.Term, 0, len(m))
	for _, t := range m {
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b portal.Term) int {
		return cmp.Or(cmp.Compare(a.Position, b.Position), cmp.Compare(a.ID, b.ID))
	})
	return out
}

func (s *Server) renderReport(w http.ResponseWriter, r *http.Request, status int, v report.StaffReportView) error {
	return s.render(w, r, status, report.StaffReport(v))
}

// handleReportRemoveAsk asks before a row is removed (?row=activities.1):
// the report button that leads here saved the draft first, so the page
// names the row as stored and shows what removing it deletes. A row that
// is no longer there sends the browser back to the report.
func (s *Server) handleReportRemoveAsk(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	rep, err := s.db.ReportForNGO(r.Context(), viewerFrom(r.Context()).NGOID, id)
	if err != nil {
		return err
	}
	op, ok := parseReportOp(opRemove + ":" + r.URL.Query().Get("row"))
	if !ok || op.Kind != opRemove {
		return errBadRequest
	}
	if err := rep.EditBlock(time.Now()); err != nil {
		return s.renderReportRefusal(w, r, rep, reportRefusal(err))
	}
	if op.Row >= rowsOf(reportFormFrom(rep), op.Table) {
		http.Redirect(w, r, staffReportPath(id), http.StatusSeeOther)
		return nil
	}
	return s.renderReportRemove(w, r, http.StatusOK, rep, op, "")
}

// handleReportRemove removes the row the page asked about, if the report
// is still at the version the page showed: otherwise nothing is removed
// and the page asks again about the row now at that place.
func (s *Server) handleReportRemove(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	ngoID := viewerFrom(r.Context()).NGOID
	if _, err := s.db.ReportForNGO(r.Context(), ngoID, id); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	version, err := strconv.Atoi(r.PostForm.Get("version"))
	op, ok := parseReportOp(opRemove + ":" + r.PostForm.Get("row"))
	if err != nil || version <= 0 || !ok || op.Kind != opRemove {
		return errBadRequest
	}
	_, err = s.db.RemoveReportRow(r.Context(), s.actor(r), ngoID, id, op.Table, op.Row, version)
	switch {
	case err == nil:
		return s.redirectFlash(w, r, staffReportPath(id)+"#section-"+report.ReportTableSection(op.Table), "reportform.flash.row_removed")
	case errors.Is(err, portal.ErrNotFound):
		// The row is gone already (a colleague removed it).
		http.Redirect(w, r, staffReportPath(id), http.StatusSeeOther)
		return nil
	case !errors.Is(err, portal.ErrConflict):
		return err
	}
	latest, lerr := s.db.ReportForNGO(r.Context(), ngoID, id)
	if lerr != nil {
		return lerr
	}
	if problem := reportRefusal(err); problem != "" {
		return s.renderReportRefusal(w, r, latest, problem)
	}
	if op.Row >= rowsOf(reportFormFrom(latest), op.Table) {
		http.Redirect(w, r, staffReportPath(id), http.StatusSeeOther)
		return nil
	}
	return s.renderReportRemove(w, r, http.StatusConflict, latest, op, "reportform.remove.conflict")
}

// renderReportRemove shows the question whether to remove row op.Row of
// op.Table from rep, with problem at the top.
func (s *Server) renderReportRemove(w http.ResponseWriter, r *http.Request, status int, rep portal.Report, op reportOp, problem string) error {
	cycle, err := s.db.CycleByID(r.Context(), rep.CycleID)
	if err != nil {
		return err
	}
	v := report.ReportRemoveView{Report: rep, Table: op.Table, Row: op.Row, Problem: problem,
		Action: staffReportPath(rep.ID) + "/remove", CancelPath: staffReportPath(rep.ID) + "#" +
			report.ReportFieldID(portal.RowField(op.Table, op.Row, firstRowField[op.Table]))}
	if v.Labels, err = s.db.ReportLabels(r.Context(), cycle.SessionID); err != nil {
		return err
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("reportform.remove.title", "Row", v.RowLabel())
	return s.render(w, r, status, report.StaffReportRemove(v))
}
