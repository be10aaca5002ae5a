package server

import (
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/export"
	"ngoportal/web/report"
)

// The federation's figures across the years, and each chart's table as CSV.
const adminTrendsPath = adminHomePath + "/trends"

func adminTrendsCSVPath(chart string) string { return adminTrendsPath + "/" + chart + ".csv" }

// trendsFederationRoutes are the trends page and its downloads, under
// /admin; routes.go has already required an official's role.
func (s *Server) trendsFederationRoutes(r chi.Router) {
	r.Get("/trends", s.handle(s.handleTrends))
	r.Get("/trends/{chart}.csv", s.handle(s.handleTrendsCSV))
}

// trendsView reads the figures and lays out the charts and their tables;
// the page and the CSV files are made from the same view, so that a file
// always holds exactly its table.
func (s *Server) trendsView(r *http.Request) (report.TrendsView, error) {
	tr, err := s.db.Trends(r.Context(), time.Now())
	if err != nil {
		return report.TrendsView{}, err
	}
	p := s.page(r, "")
	p.Title = p.T.T("trends.title")
	return report.NewTrendsView(p, tr, adminTrendsCSVPath), nil
}

func (s *Server) handleTrends(w http.ResponseWriter, r *http.Request) error {
	v, err := s.trendsView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, report.Trends(v))
}

// handleTrendsCSV sends one chart's table; an unknown chart, or none while
// there is no cycle, is not found.
func (s *Server) handleTrendsCSV(w http.ResponseWriter, r *http.Request) error {
	v, err := s.trendsView(r)
	if err != nil {
		return err
	}
	c, ok := v.Chart(chi.URLParam(r, "chart"))
	if !ok {
		return errNotFound
	}
	body, err := export.CSV(trendsTable(c.Table))
	if err != nil {
		return err
	}
	s.sendFile(w, r, "trends-"+c.Name+".csv", "text/csv; charset=utf-8", body)
	return nil
}

// trendsTable is a chart's table as a file: the same header and cells,
// counts as numbers (without the digit grouping), shares as shown ("50%"),
// no value as an empty cell.
func trendsTable(t report.TrendTable) export.Table {
	out := export.Table{Sheet: "trends", Columns: []export.Column{{Header: t.RowHeader}}}
	for _, h := range t.Columns {
		out.Columns = append(out.Columns, export.Column{Header: h})
	}
	for _, r := range t.Rows {
		row := []any{strings.TrimSpace(r.Label)}
		for _, c := range r.Cells {
			switch {
			case c.Missing:
				row = append(row, nil)
			case c.Number:
				row = append(row, c.Value)
			default:
				row = append(row, c.Text)
			}
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}
