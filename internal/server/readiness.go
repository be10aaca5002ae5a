package server

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/export"
	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
	"ngoportal/web/session"
	"ngoportal/web/ui"
)

// readinessPerPage is the readiness board's page size.
const readinessPerPage = 100

// The readiness board's paths, and the pages its cells link to.
func readinessPath(sessionID int64) string    { return adminSessionPath(sessionID) + "/readiness" }
func readinessCSVPath(sessionID int64) string { return adminSessionPath(sessionID) + "/readiness.csv" }

// readinessInvitationPath is an NGO's row on the session's invitation
// board (its rows are anchored by invitation, as on the check-in page).
func readinessInvitationPath(sessionID, invID int64) string {
	return adminInvitationsPath(sessionID) + "#ngo-" + strconv.FormatInt(invID, 10)
}

// readinessAnswersPath is the overview of an NGO's answers to a session's
// requests.
func readinessAnswersPath(sessionID, ngoID int64) string {
	return adminSessionPath(sessionID) + "/responses?" + url.Values{"ngo": {strconv.FormatInt(ngoID, 10)}}.Encode()
}

// readinessFederationRoutes are the readiness board and its CSV, under
// /admin; routes.go has already required an official's role.
func (s *Server) readinessFederationRoutes(r chi.Router) {
	r.Get("/sessions/{id}/readiness", s.handle(s.handleReadinessBoard))
	r.Get("/sessions/{id}/readiness.csv", s.handle(s.handleReadinessCSV))
}

// readinessQuery is the board's filter, sort and page as read from the URL.
type readinessQuery struct {
	Show  portal.ReadinessShow
	Query string
	Sort  portal.ReadinessSort
	Desc  bool
	Page  int
}

// parseReadinessQuery reads the board's query, falling back to the
// defaults (every NGO, by name, ascending, page 1) for anything unknown:
// a hand-edited URL never fails.
func parseReadinessQuery(q url.Values) readinessQuery {
	rq := readinessQuery{Show: portal.ShowAll, Sort: portal.SortReadinessNGO, Page: ui.ParsePage(q)}
	if sh := portal.ReadinessShow(q.Get("show")); slices.Contains(portal.ReadinessShows, sh) {
		rq.Show = sh
	}
	if so := portal.ReadinessSort(q.Get("sort")); slices.Contains(portal.ReadinessSorts, so) {
		rq.Sort = so
	}
	rq.Desc = q.Get("dir") == "desc"
	rq.Query = portal.CleanText(q.Get("q"))
	if len([]rune(rq.Query)) > 100 {
		rq.Query = string([]rune(rq.Query)[:100])
	}
	return rq
}

// values is the query without its page; defaults are left out.
func (rq readinessQuery) values() url.Values {
	v := url.Values{}
	if rq.Show != portal.ShowAll {
		v.Set("show", string(rq.Show))
	}
	if rq.Query != "" {
		v.Set("q", rq.Query)
	}
	if rq.Sort != portal.SortReadinessNGO {
		v.Set("sort", string(rq.Sort))
	}
	if rq.Desc {
		v.Set("dir", "desc")
	}
	return v
}

// path is base with this query (page 1).
func (rq readinessQuery) path(base string) string {
	if v := rq.values(); len(v) > 0 {
		return base + "?" + v.Encode()
	}
	return base
}

// filter is the repository's filter for this query; perPage 0 reads every
// row.
func (rq readinessQuery) filter(english bool, perPage int) portal.ReadinessFilter {
	f := portal.ReadinessFilter{Show: rq.Show, Query: rq.Query, Sort: rq.Sort, Desc: rq.Desc, English: english}
	if perPage > 0 {
		f.Limit, f.Offset = perPage, (rq.Page-1)*perPage
	}
	return f
}

// header is column col's header: its link keeps the filters and sorts by
// col, toggling the direction when col is the sort.
func (rq readinessQuery) header(base string, col portal.ReadinessSort) session.ReadinessSortHeader {
	next := rq
	next.Sort, next.Desc = col, false
	h := session.ReadinessSortHeader{Label: "readiness.col." + string(col)}
	if rq.Sort == col {
		h.AriaSort = "ascending"
		if rq.Desc {
			h.AriaSort = "descending"
		} else {
			next.Desc = true
		}
	}
	h.Path = next.path(base)
	return h
}

// readinessRows turns the board's rows into the view's, with their links
// and gaps.
func readinessRows(b portal.ReadinessBoard, now time.Time) []session.ReadinessRow {
	id := b.Session.ID
	overdue := b.Session.ReplyDeadline != nil && now.After(*b.Session.ReplyDeadline)
	rows := make([]session.ReadinessRow, 0, len(b.Rows))
	for _, r := range b.Rows {
		v := session.ReadinessRow{
			ReadinessRow:   r,
			Gaps:           r.Gaps(b.WithReport()),
			ReplyOverdue:   overdue && r.Reply == portal.ReplyNone,
			NGOPath:        adminNGOPath(r.NGOID),
			InvitationPath: readinessInvitationPath(id, r.InvitationID),
		}
		if b.WithReport() {
			v.ReportPath, v.PlanPath = reviewBoardPath(b.Session.CycleID), reviewBoardPath(b.Session.CycleID)
			if r.ReportID != 0 {
				v.ReportPath = reviewReportPath(r.ReportID)
				v.PlanPath = v.ReportPath + "#section-" + portal.SectionPlan
			}
		}
		if b.Previous != nil && r.Requests > 0 {
			v.AnswersPath = readinessAnswersPath(b.Previous.ID, r.NGOID)
		}
		rows = append(rows, v)
	}
	return rows
}

func (s *Server) handleReadinessBoard(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	rq := parseReadinessQuery(r.URL.Query())
	b, offset, err := s.db.ReadinessBoard(r.Context(), id, rq.filter(readsEnglish(r), readinessPerPage))
	if err != nil {
		return err
	}
	rq.Page = offset/readinessPerPage + 1
	base := readinessPath(id)
	p := s.page(r, "")
	p.Title = p.T.T("readiness.title", "Session", p.T.Pick(b.Session.TitleZH, b.Session.TitleEN))

	v := session.ReadinessBoardView{
		Page: p, Session: b.Session, Previous: b.Previous, WithReport: b.WithReport(),
		Rows: readinessRows(b, time.Now()),
		Labels: session.ReadinessLabels{
			NGO: p.T.T("readiness.col.ngo"), Report: p.T.T("readiness.col.report"), Plan: p.T.T("readiness.col.plan"),
			Reps: p.T.T("readiness.col.reps"), Reply: p.T.T("readiness.col.reply"), Answers: p.T.T("readiness.col.answers"),
			Ready: p.T.T("readiness.col.ready"),
		},
		Query:       ui.Field{Name: "q", Label: "readiness.filter.query", Value: rq.Query},
		Show:        ui.Field{Name: "show", Label: "readiness.filter.show", Value: string(rq.Show)},
		Sort:        ui.Field{Name: "sort", Label: "readiness.filter.sort", Value: string(rq.Sort)},
		Dir:         ui.Field{Name: "dir", Label: "readiness.filter.dir"},
		Filtered:    len(rq.values()) > 0,
		Pager:       ui.Pager{Page: rq.Page, PerPage: readinessPerPage, Total: b.Matching, Path: base, Query: rq.values()},
		ListPath:    base,
		CSVPath:     rq.path(readinessCSVPath(id)),
		SessionPath: adminSessionPath(id),
	}
	if b.Previous != nil {
		v.PreviousPath = adminSessionPath(b.Previous.ID)
	}
	// The summary: each figure filters the board (keeping the sort).
	countPath := func(show portal.ReadinessShow) string {
		next := readinessQuery{Show: show, Sort: rq.Sort, Desc: rq.Desc}
		return next.path(base)
	}
	v.Counts = []session.ReadinessCount{
		{Label: "readiness.count.invited", Count: b.Summary.Invited, Path: countPath(portal.ShowAll)},
		{Label: "readiness.count.ready", Count: b.Summary.Ready, Path: countPath(portal.ShowReady)},
		{Label: "readiness.count.not_ready", Count: b.Summary.Invited - b.Summary.Ready, Path: countPath(portal.ShowNotReady)},
	}
	for _, g := range portal.ReadinessGaps {
		if !b.WithReport() && (g == portal.GapReport || g == portal.GapPlan) {
			continue
		}
		v.Counts = append(v.Counts, session.ReadinessCount{
			Label: "readiness.gap." + string(g), Count: b.Summary.Gaps[g], Path: countPath(portal.ReadinessShow(g))})
	}
	for _, col := range portal.ReadinessSorts {
		v.Headers = append(v.Headers, rq.header(base, col))
		v.SortOptions = append(v.SortOptions, ui.Option{Value: string(col),
			Label: p.T.T("readiness.col." + string(col)), Selected: rq.Sort == col})
	}
	for _, sh := range portal.ReadinessShows {
		v.ShowOptions = append(v.ShowOptions, ui.Option{Value: string(sh),
			Label: p.T.T("readiness.show." + string(sh)), Selected: rq.Show == sh})
	}
	dir := "asc"
	if rq.Desc {
		dir = "desc"
	}
	v.Dir.Value = dir
	for _, d := range []string{"asc", "desc"} {
		v.DirOptions = append(v.DirOptions, ui.Option{Value: d, Label: p.T.T("readiness.dir." + d), Selected: d == dir})
	}
	v.SortCaption = p.T.T("readiness.caption", "Sort", p.T.T("readiness.col."+string(rq.Sort)), "Dir", p.T.T("readiness.dir."+dir))
	return s.render(w, r, http.StatusOK, session.ReadinessBoard(v))
}

// handleReadinessCSV sends every row of the board, with the page's filter
// and sort, as a CSV file: the same figures, with dates as YYYY-MM-DD.
func (s *Server) handleReadinessCSV(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	rq := parseReadinessQuery(r.URL.Query())
	b, _, err := s.db.ReadinessBoard(r.Context(), id, rq.filter(readsEnglish(r), 0))
	if err != nil {
		return err
	}
	t := s.translator(r)
	body, err := export.CSV(readinessTable(t, b))
	if err != nil {
		return err
	}
	name := t.T("readiness.csv.filename", "Session", t.Pick(b.Session.TitleZH, b.Session.TitleEN)) + ".csv"
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="readiness-session-%d.csv"; filename*=UTF-8''%s`, id, url.PathEscape(name)))
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write(body); err != nil {
		// The client went away; nothing more can be sent.
		s.log.Debug("write download", "request_id", requestID(r.Context()), "err", err)
	}
	return nil
}

// readinessTable is the board as a table for the CSV file. A column that
// does not apply (the report's, for a session with no cycle; the answers,
// when none were asked) is left empty.
func readinessTable(t i18n.Translator, b portal.ReadinessBoard) export.Table {
	tab := export.Table{Sheet: "readiness"}
	for _, k := range []string{"name_zh", "name_en", "report", "report_date", "plan_items", "representatives",
		"reply", "decline_reason", "late", "requests_answered", "requests", "ready", "missing"} {
		tab.Columns = append(tab.Columns, export.Column{Header: t.T("readiness.csv." + k)})
	}
	yesNo := func(b bool) string {
		if b {
			return t.T("readiness.csv.yes")
		}
		return t.T("readiness.csv.no")
	}
	for _, r := range b.Rows {
		var report, plan, date, answered, requests any
		if b.WithReport() {
			report, plan = t.T("report.status."+string(r.ReportStatus)), r.PlanItems
			if d := r.ReportDate(); !d.IsZero() {
				local := d.In(portal.FederationZone)
				date = time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
			}
		}
		if b.Previous != nil && r.Requests > 0 {
			answered, requests = r.Answered, r.Requests
		}
		gaps := r.Gaps(b.WithReport())
		var missing []string
		for _, g := range gaps {
			missing = append(missing, t.T("readiness.gap."+string(g)))
		}
		tab.Rows = append(tab.Rows, []any{r.NGONameZH, r.NGONameEN, report, date, plan, r.Representatives,
			t.T("invitation.reply." + string(r.Reply)), r.DeclineReason, yesNo(r.Late), answered, requests,
			yesNo(len(gaps) == 0), strings.Join(missing, "; ")})
	}
	return tab
}
