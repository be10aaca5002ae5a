package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/export"
	"ngoportal/internal/portal"
	"ngoportal/web/report"
	"ngoportal/web/ui"
)

// The indicators of a reporting cycle's accepted reports.
func adminCycleIndicatorsPath(id int64) string { return adminCyclePath(id) + "/indicators" }

// indicatorFederationRoutes are a cycle's indicators, under /admin;
// routes.go has already required an official's role (admin or reviewer).
func (s *Server) indicatorFederationRoutes(r chi.Router) {
	r.Get("/cycles/{id}/indicators", s.handle(s.handleCycleIndicators))
}

// indicatorNGOsPerPage is how many NGOs the per-NGO tables of the
// indicators page list at a time: rendering every NGO of a large federation
// would cost more than all the page's queries.
const indicatorNGOsPerPage = 100

func (s *Server) handleCycleIndicators(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	pager := ui.Pager{Page: ui.ParsePage(r.URL.Query()), PerPage: indicatorNGOsPerPage, Path: adminCycleIndicatorsPath(id)}
	english := readsEnglish(r)
	ind, err := s.db.CycleIndicatorsPage(r.Context(), id, english, pager.Offset(), pager.PerPage)
	if err != nil {
		return err
	}
	pager.Total = ind.NGOCount
	if pager.Page > pager.Pages() {
		return errNotFound
	}
	portal.SortByName(ind.NGOs, english,
		func(n portal.NGOIndicators) string { return n.NGONameZH }, func(n portal.NGOIndicators) string { return n.NGONameEN })
	onBoard, exported, err := s.db.CycleBoardCounts(r.Context(), id, export.ExportedStatuses)
	if err != nil {
		return err
	}
	v := report.IndicatorsView{
		Ind:            ind,
		NGOsOnBoard:    onBoard,
		Exported:       exported,
		CyclePath:      adminCyclePath(id),
		Pager:          pager,
		ReportsCSVPath: adminCycleExportPath(id, exportReportsCSV), ActivitiesCSVPath: adminCycleExportPath(id, exportActivitiesCSV),
		PlanItemsCSVPath: adminCycleExportPath(id, exportPlanItemsCSV), WorkbookPath: adminCycleExportPath(id, exportCycleXLSX),
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("export.ind.title", "ReviewYear", ind.ReviewYear, "PlanYear", ind.PlanYear)
	return s.render(w, r, http.StatusOK, report.Indicators(v))
}
