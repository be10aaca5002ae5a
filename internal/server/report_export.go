package server

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/export"
	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// The export files of a reporting cycle, and an NGO's own report as a
// workbook.
func adminCycleExportPath(id int64, file string) string {
	return adminCyclePath(id) + "/export/" + file
}

// staffReportExportPath is the NGO's own report as a workbook.
func staffReportExportPath(id int64) string {
	return ngoHomePath + "/reports/" + strconv.FormatInt(id, 10) + "/export.xlsx"
}

// The export files' names in their URLs.
const (
	exportReportsCSV    = "reports.csv"
	exportActivitiesCSV = "activities.csv"
	exportPlanItemsCSV  = "plan-items.csv"
	exportCycleXLSX     = "cycle.xlsx"
)

// exportFederationRoutes are a cycle's exports, under /admin;
// routes.go has already required an official's role (admin or reviewer).
func (s *Server) exportFederationRoutes(r chi.Router) {
	r.Get("/cycles/{id}/export/"+exportReportsCSV, s.handle(s.cycleCSV("reports", export.ReportsTable)))
	r.Get("/cycles/{id}/export/"+exportActivitiesCSV, s.handle(s.cycleCSV("activities",
		func(t i18n.Translator, d export.CycleData) export.Table { return export.ActivitiesTable(t, d, true) })))
	r.Get("/cycles/{id}/export/"+exportPlanItemsCSV, s.handle(s.cycleCSV("plan-items",
		func(t i18n.Translator, d export.CycleData) export.Table { return export.PlanItemsTable(t, d, true) })))
	r.Get("/cycles/{id}/export/"+exportCycleXLSX, s.handle(s.handleCycleXLSX))
}

// staffExportRoutes is the NGO's own report as a workbook, under /ngo;
// staffRoutes' group has already required the staff role.
func (s *Server) staffExportRoutes(r chi.Router) {
	r.Get("/reports/{id}/export.xlsx", s.handle(s.handleReportXLSX))
}

// translator is the request's translator, for files (s.page would take the
// login session's flash message, meant for the next page).
func (s *Server) translator(r *http.Request) i18n.Translator {
	return s.cat.Translator(localeFrom(r.Context()))
}

// cycleCSV serves one CSV file of a cycle's reports, built by table.
func (s *Server) cycleCSV(part string, table func(i18n.Translator, export.CycleData) export.Table) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := idParam(r)
		if err != nil {
			return err
		}
		d, err := s.db.CycleExport(r.Context(), id)
		if err != nil {
			return err
		}
		body, err := export.CSV(table(s.translator(r), d))
		if err != nil {
			return err
		}
		name := export.CycleFileName(d.ReviewYear, part, "csv")
		if err := s.db.RecordReportsExport(r.Context(), s.actor(r), postgres.ReportsExport{
			CycleID: id, File: name, Format: "csv", Reports: len(d.Reports)}); err != nil {
			return err
		}
		s.sendFile(w, r, name, "text/csv; charset=utf-8", body)
		return nil
	}
}

func (s *Server) handleCycleXLSX(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	d, err := s.db.CycleExport(r.Context(), id)
	if err != nil {
		return err
	}
	ind, err := s.db.CycleIndicators(r.Context(), id)
	if err != nil {
		return err
	}
	body, err := export.CycleWorkbook(s.translator(r), d, ind)
	if err != nil {
		return err
	}
	name := export.CycleFileName(d.ReviewYear, "", "xlsx")
	if err := s.db.RecordReportsExport(r.Context(), s.actor(r), postgres.ReportsExport{
		CycleID: id, File: name, Format: "xlsx", Reports: len(d.Reports)}); err != nil {
		return err
	}
	s.sendFile(w, r, name, portal.TypeXLSX, body)
	return nil
}

func (s *Server) handleReportXLSX(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	ngoID := viewerFrom(r.Context()).NGOID
	d, err := s.db.ReportExport(r.Context(), ngoID, id)
	if err != nil {
		return err
	}
	body, err := export.ReportWorkbook(s.translator(r), d)
	if err != nil {
		return err
	}
	name := export.ReportFileName(d.ReviewYear, d.Reports[0].NGOSlug)
	if err := s.db.RecordReportsExport(r.Context(), s.actor(r), postgres.ReportsExport{
		CycleID: d.CycleID, NGOID: ngoID, ReportID: id, File: name, Format: "xlsx", Reports: 1}); err != nil {
		return err
	}
	s.sendFile(w, r, name, portal.TypeXLSX, body)
	return nil
}

// sendFile sends body as a download named name (ASCII), never cached.
func (s *Server) sendFile(w http.ResponseWriter, r *http.Request, name, contentType string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write(body); err != nil {
		// The client went away; nothing more can be sent.
		s.log.Debug("write download", "request_id", requestID(r.Context()), "err", err)
	}
}
