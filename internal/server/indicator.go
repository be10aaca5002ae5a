package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/export"
	"ngoportal/internal/portal"
	"ngoportal/web/report"
)

// The indicators of a reporting cycle's accepted reports.
func adminCycleIndicatorsPath(id int64) string { return adminCyclePath(id) + "/indicators" }

// indicatorAdminRoutes are a cycle's indicators, under /admin;
// adminRoutes' group has already required the admin role.
func (s *Server) indicatorAdminRoutes(r chi.Router) {
	r.Get("/cycles/{id}/indicators", s.handle(s.handleCycleIndicators))
}

func (s *Server) handleCycleIndicators(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	ind, err := s.db.CycleIndicators(r.Context(), id)
	if err != nil {
		return err
	}
	portal.SortByName(ind.NGOs, readsEnglish(r),
		func(n portal.NGOIndicators) string { return n.NGONameZH }, func(n portal.NGOIndicators) string { return n.NGONameEN })
	board, err := s.db.CycleBoard(r.Context(), id)
	if err != nil {
		return err
	}
	v := report.IndicatorsView{
		Ind:            ind,
		NGOsOnBoard:    len(board),
		CyclePath:      adminCyclePath(id),
		ReportsCSVPath: adminCycleExportPath(id, exportReportsCSV), ActivitiesCSVPath: adminCycleExportPath(id, exportActivitiesCSV),
		PlanItemsCSVPath: adminCycleExportPath(id, exportPlanItemsCSV), WorkbookPath: adminCycleExportPath(id, exportCycleXLSX),
	}
	for _, b := range board {
		for _, st := range export.ExportedStatuses {
			if b.Status == st {
				v.Exported++
			}
		}
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("export.ind.title", "ReviewYear", ind.ReviewYear, "PlanYear", ind.PlanYear)
	return s.render(w, r, http.StatusOK, report.Indicators(v))
}
