package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/export"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
	"ngoportal/web/session"
	"ngoportal/web/ui"
)

// From requests to results, under /admin/sessions/{id}/results: what the
// NGOs planned for the session's requests and how it turned out in the
// next year's reports.

func adminResultsPath(sessionID int64) string { return adminSessionPath(sessionID) + "/results" }
func adminResultsRequestPath(sessionID, requestID int64) string {
	return adminResultsPath(sessionID) + "/requests/" + strconv.FormatInt(requestID, 10)
}
func adminResultsNGOPath(sessionID, ngoID int64) string {
	return adminResultsPath(sessionID) + "/ngos/" + strconv.FormatInt(ngoID, 10)
}

// The results' CSV files in their URLs.
const (
	resultsNGOsCSV  = "ngos.csv"
	resultsItemsCSV = "items.csv"
)

// resultsFederationRoutes are the results pages and files; routes.go has
// already required an official's role (admin or reviewer).
func (s *Server) resultsFederationRoutes(r chi.Router) {
	r.Get("/sessions/{id}/results", s.handle(s.handleResultsIndex))
	r.Get("/sessions/{id}/results/"+resultsNGOsCSV, s.handle(s.handleResultsNGOsCSV))
	r.Get("/sessions/{id}/results/"+resultsItemsCSV, s.handle(s.handleResultsItemsCSV))
	r.Get("/sessions/{id}/results/requests/{reqID}", s.handle(s.handleResultsRequest))
	r.Get("/sessions/{id}/results/ngos/{ngoID}", s.handle(s.handleResultsNGO))
}

func (s *Server) handleResultsIndex(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requestSession(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	sort := portal.ParseResultsSort(q.Get("sort"))
	base := adminResultsPath(sess.ID)
	pager := ui.Pager{Page: ui.ParsePage(q), PerPage: portal.ResultsPerPage, Path: base, Query: url.Values{}}
	if sort != portal.ResultsByName {
		pager.Query.Set("sort", string(sort))
	}
	reqs, err := s.db.ResultsRequests(r.Context(), sess.ID, 0)
	if err != nil {
		return err
	}
	totals, err := s.db.ResultsTotals(r.Context(), sess.ID)
	if err != nil {
		return err
	}
	filter := postgres.ResultsNGOFilter{SessionID: sess.ID, Sort: sort, English: readsEnglish(r),
		Limit: portal.ResultsPerPage, Offset: pager.Offset()}
	ngos, total, err := s.db.ResultsNGOs(r.Context(), filter)
	if err != nil {
		return err
	}
	if pager.Total = total; pager.Page > pager.Pages() {
		// A page past the end (a hand-made link): show the last one.
		pager.Page = pager.Pages()
		filter.Offset = pager.Offset()
		if ngos, pager.Total, err = s.db.ResultsNGOs(r.Context(), filter); err != nil {
			return err
		}
	}
	v := session.ResultsIndexView{
		Session: sess, SessionPath: adminSessionPath(sess.ID), Totals: totals, Pager: pager, Sort: sort,
		SortByName: base, SortByRate: base + "?sort=" + string(portal.ResultsByRate),
		NGOsCSV: base + "/" + resultsNGOsCSV, ItemsCSV: base + "/" + resultsItemsCSV,
	}
	for _, q := range reqs {
		v.Requests = append(v.Requests, session.ResultsRequestRow{RequestResult: q, Link: adminResultsRequestPath(sess.ID, q.ID)})
	}
	for _, n := range ngos {
		v.NGOs = append(v.NGOs, session.ResultsNGORow{NGOResult: n, Link: adminResultsNGOPath(sess.ID, n.NGOID)})
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("results.title", "Title", v.T.Pick(sess.TitleZH, sess.TitleEN))
	return s.render(w, r, http.StatusOK, session.ResultsIndex(v))
}

func (s *Server) handleResultsRequest(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requestSession(r)
	if err != nil {
		return err
	}
	reqID, err := requestIDParam(r)
	if err != nil {
		return err
	}
	figures, err := s.db.ResultsRequests(r.Context(), sess.ID, reqID)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	pager := ui.Pager{Page: ui.ParsePage(q), PerPage: portal.ResultsPerPage, Path: adminResultsRequestPath(sess.ID, reqID)}
	ngos, total, err := s.db.ResultsRequestNGOs(r.Context(), sess.ID, reqID, readsEnglish(r), pager.PerPage, pager.Offset())
	if err != nil {
		return err
	}
	if pager.Total = total; pager.Page > pager.Pages() {
		pager.Page = pager.Pages()
		if ngos, pager.Total, err = s.db.ResultsRequestNGOs(r.Context(), sess.ID, reqID, readsEnglish(r), pager.PerPage, pager.Offset()); err != nil {
			return err
		}
	}
	planners := make([]int64, 0, len(ngos))
	for _, n := range ngos {
		if n.Status == portal.ResponsePlanned {
			planners = append(planners, n.NGOID)
		}
	}
	items, err := s.db.ResultsItems(r.Context(), postgres.ResultsItemFilter{SessionID: sess.ID, RequestID: reqID, NGOIDs: planners})
	if err != nil {
		return err
	}
	byNGO := map[int64][]session.ResultsItemRow{}
	for _, it := range items {
		byNGO[it.NGOID] = append(byNGO[it.NGOID], s.resultsItemRow(sess.ID, reqs(figures), it))
	}
	v := session.ResultsRequestView{Session: sess, ResultsPath: adminResultsPath(sess.ID), Request: figures[0], Pager: pager}
	for _, n := range ngos {
		row := session.ResultsRequestNGO{RequestNGO: n, Link: adminResultsNGOPath(sess.ID, n.NGOID), Items: byNGO[n.NGOID]}
		switch n.Status {
		case portal.ResponsePlanned:
			v.Planned = append(v.Planned, row)
		case portal.ResponseNothing:
			v.Nothing = append(v.Nothing, row)
		default:
			v.None = append(v.None, row)
		}
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("results.request.title", "Number", figures[0].Number)
	return s.render(w, r, http.StatusOK, session.ResultsRequest(v))
}

// reqs is the figures' request ids by number, for the links of the items'
// requests.
func reqs(figures []portal.RequestResult) map[int]int64 {
	out := make(map[int]int64, len(figures))
	for _, q := range figures {
		out[q.Number] = q.ID
	}
	return out
}

// resultsItemRow is a plan item with links to the results of the requests
// it answers (those whose ids are known).
func (s *Server) resultsItemRow(sessionID int64, ids map[int]int64, it portal.ResultsItem) session.ResultsItemRow {
	row := session.ResultsItemRow{ResultsItem: it}
	for _, n := range it.Requests {
		if id, ok := ids[n]; ok {
			row.RequestLinks = append(row.RequestLinks, session.ResultsRequestLink{Number: n, Path: adminResultsRequestPath(sessionID, id)})
		}
	}
	return row
}

func (s *Server) handleResultsNGO(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requestSession(r)
	if err != nil {
		return err
	}
	ngoID, err := namedIDParam(r, "ngoID")
	if err != nil {
		return err
	}
	ngos, _, err := s.db.ResultsNGOs(r.Context(), postgres.ResultsNGOFilter{SessionID: sess.ID, NGOID: ngoID})
	if err != nil {
		return err
	}
	items, err := s.db.ResultsItems(r.Context(), postgres.ResultsItemFilter{SessionID: sess.ID, NGOID: ngoID})
	if err != nil {
		return err
	}
	responses, err := s.db.ResultsResponses(r.Context(), sess.ID, ngoID)
	if err != nil {
		return err
	}
	// The items name requests by number, some perhaps not addressed to
	// the NGO: the session's requests give their ids.
	all, err := s.db.ListRequests(r.Context(), sess.ID)
	if err != nil {
		return err
	}
	ids := make(map[int]int64, len(all))
	for _, q := range all {
		ids[q.Number] = q.ID
	}
	v := session.ResultsNGOView{Session: sess, ResultsPath: adminResultsPath(sess.ID), RecordPath: adminNGOPath(ngoID), NGO: ngos[0]}
	for _, it := range items {
		v.Items = append(v.Items, s.resultsItemRow(sess.ID, ids, it))
	}
	for _, q := range responses {
		v.Responses = append(v.Responses, session.ResultsResponseRow{RequestResponse: q, Link: adminResultsRequestPath(sess.ID, q.RequestID)})
	}
	v.Page = s.page(r, "")
	v.Title = v.T.T("results.ngo.title", "Name", v.T.Pick(v.NGO.NameZH, v.NGO.NameEN), "Year", sess.PlanYear)
	return s.render(w, r, http.StatusOK, session.ResultsNGO(v))
}

func (s *Server) handleResultsNGOsCSV(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requestSession(r)
	if err != nil {
		return err
	}
	ngos, _, err := s.db.ResultsNGOs(r.Context(), postgres.ResultsNGOFilter{SessionID: sess.ID, English: readsEnglish(r)})
	if err != nil {
		return err
	}
	body, err := export.CSV(export.ResultsNGOsTable(s.translator(r), ngos))
	if err != nil {
		return err
	}
	s.sendFile(w, r, export.ResultsFileName(sess.Slug, "ngos"), "text/csv; charset=utf-8", body)
	return nil
}

func (s *Server) handleResultsItemsCSV(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requestSession(r)
	if err != nil {
		return err
	}
	items, err := s.db.ResultsItems(r.Context(), postgres.ResultsItemFilter{SessionID: sess.ID, English: readsEnglish(r)})
	if err != nil {
		return err
	}
	body, err := export.CSV(export.ResultsItemsTable(s.translator(r), items))
	if err != nil {
		return err
	}
	s.sendFile(w, r, export.ResultsFileName(sess.Slug, "items"), "text/csv; charset=utf-8", body)
	return nil
}

// sessionResultsLinks fills in the session page's links to its requests to
// results and to each request's results.
func (s *Server) sessionResultsLinks(r *http.Request, v *session.SessionShowView) error {
	reqs, err := s.db.ListRequests(r.Context(), v.Session.ID)
	if err != nil {
		return err
	}
	v.ResultsPath = adminResultsPath(v.Session.ID)
	for _, q := range reqs {
		v.RequestResults = append(v.RequestResults, session.RequestResultLink{Number: q.Number, Path: adminResultsRequestPath(v.Session.ID, q.ID)})
	}
	return nil
}
