package server

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
	"ngoportal/web/report"
	"ngoportal/web/ui"
)

// The review pages' paths. Named review* so that they cannot clash with
// the helpers other report pages declare in this package.
func reviewBoardPath(cycleID int64) string      { return adminCyclePath(cycleID) + "/reports" }
func reviewIndicatorsPath(cycleID int64) string { return adminCyclePath(cycleID) + "/indicators" }
func reviewReportPath(id int64) string          { return "/admin/reports/" + strconv.FormatInt(id, 10) }
func reviewAcceptPath(id int64) string          { return reviewReportPath(id) + "/accept" }
func reviewReturnPath(id int64) string          { return reviewReportPath(id) + "/return" }
func reviewAttachmentsPath(id int64) string     { return reviewReportPath(id) + "/attachments" }

// reviewFederationRoutes are the federation's review of the work reports,
// under /admin: admins and reviewers alike read, return and accept them;
// routes.go has already required an official's role.
func (s *Server) reviewFederationRoutes(r chi.Router) {
	r.Get("/cycles/{id}/reports", s.handle(s.handleReviewBoard))
	r.Get("/reports/{id}", s.handle(s.handleReviewReport))
	r.Post("/reports/{id}/accept", s.handle(s.handleReviewAccept))
	r.Get("/reports/{id}/return", s.handle(s.handleReviewReturnForm)) // an old link: the form is on the report's page
	r.Post("/reports/{id}/return", s.handle(s.handleReviewReturn))
	r.Get("/reports/{id}/versions", s.handle(s.handleReviewVersions))
}

// The board's sort columns and directions; anything else falls back to
// the first of each.
var (
	reviewSorts = []string{"name", "status", "deadline", "submitted"}
	reviewDirs  = []string{"asc", "desc"}
)

// boardQuery is the board's filters and sort as read from the URL.
type boardQuery struct {
	Status  portal.ReportStatus // "" for every status
	Overdue bool
	Sort    string
	Dir     string
}

// parseBoardQuery reads the board's query, falling back to the defaults
// for anything unknown: a hand-edited URL never fails.
func parseBoardQuery(q url.Values) boardQuery {
	b := boardQuery{Sort: reviewSorts[0], Dir: reviewDirs[0]}
	if st := portal.ReportStatus(q.Get("status")); slices.Contains(portal.ReportStatuses, st) {
		b.Status = st
	}
	b.Overdue = q.Get("overdue") == "on"
	if s := q.Get("sort"); slices.Contains(reviewSorts, s) {
		b.Sort = s
	}
	if d := q.Get("dir"); slices.Contains(reviewDirs, d) {
		b.Dir = d
	}
	return b
}

// path is the board's URL with this query; defaults are left out.
func (b boardQuery) path(cycleID int64) string {
	v := url.Values{}
	if b.Status != "" {
		v.Set("status", string(b.Status))
	}
	if b.Overdue {
		v.Set("overdue", "on")
	}
	if b.Sort != reviewSorts[0] {
		v.Set("sort", b.Sort)
	}
	if b.Dir != reviewDirs[0] {
		v.Set("dir", b.Dir)
	}
	if len(v) == 0 {
		return reviewBoardPath(cycleID)
	}
	return reviewBoardPath(cycleID) + "?" + v.Encode()
}

// header is the column header of sort column col: its link keeps the
// filters and sorts by col, toggling the direction when col is the sort.
func (b boardQuery) header(cycleID int64, col string) report.ReviewSortHeader {
	next := b
	next.Sort, next.Dir = col, "asc"
	h := report.ReviewSortHeader{}
	if b.Sort == col {
		h.AriaSort = "ascending"
		if b.Dir == "desc" {
			h.AriaSort = "descending"
		} else {
			next.Dir = "desc"
		}
	}
	h.Path = next.path(cycleID)
	return h
}

// sortBoard sorts rows by the query's column; ties, and the name column,
// are in name order in the reader's language (pinyin, or the English names
// alphabetically).
func sortBoard(rows []report.ReviewBoardRow, b boardQuery, locale i18n.Locale) {
	rank := map[portal.ReportStatus]int{}
	for i, s := range portal.ReportStatuses {
		rank[s] = i
	}
	portal.SortByName(rows, locale == i18n.En,
		func(r report.ReviewBoardRow) string { return r.NGONameZH },
		func(r report.ReviewBoardRow) string { return r.NGONameEN })
	nameOrder := map[int64]int{}
	for i, r := range rows {
		nameOrder[r.NGOID] = i
	}
	byName := func(x, y report.ReviewBoardRow) int {
		return cmp.Compare(nameOrder[x.NGOID], nameOrder[y.NGOID])
	}
	slices.SortStableFunc(rows, func(x, y report.ReviewBoardRow) int {
		var c int
		switch b.Sort {
		case "status":
			c = cmp.Compare(rank[x.Status], rank[y.Status])
		case "deadline":
			c = x.Deadline.Compare(y.Deadline)
		case "submitted":
			c = x.SubmittedAt.Compare(y.SubmittedAt)
		default:
			c = byName(x, y)
		}
		if b.Dir == "desc" {
			c = -c
		}
		if c == 0 {
			c = byName(x, y)
		}
		return c
	})
}

func (s *Server) handleReviewBoard(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	cycle, err := s.db.CycleByID(ctx, id)
	if err != nil {
		return err
	}
	board, err := s.db.CycleBoard(ctx, id)
	if err != nil {
		return err
	}
	q := parseBoardQuery(r.URL.Query())
	p := s.page(r, "")
	p.Title = p.T.T("review.board.title", "ReviewYear", cycle.ReviewYear, "PlanYear", cycle.PlanYear)

	counts := map[portal.ReportStatus]int{}
	overdue := 0
	var rows []report.ReviewBoardRow
	for _, b := range board {
		counts[b.Status]++
		if b.Overdue {
			overdue++
		}
		if q.Status != "" && b.Status != q.Status || q.Overdue && !b.Overdue {
			continue
		}
		row := report.ReviewBoardRow{ReportBoardRow: b}
		if b.ReportID != 0 {
			row.ReportPath = reviewReportPath(b.ReportID)
		}
		rows = append(rows, row)
	}
	sortBoard(rows, q, p.T.Locale)

	v := report.ReviewBoardView{
		Page: p, Cycle: cycle, Rows: rows, Total: len(board), OverdueCount: overdue,
		OverduePath:    boardQuery{Overdue: true, Sort: q.Sort, Dir: q.Dir}.path(id),
		Status:         ui.Field{Name: "status", Label: "review.board.filter_status", Value: string(q.Status)},
		Overdue:        ui.Field{Name: "overdue", Label: "review.board.filter_overdue"},
		Filtered:       q.Status != "" || q.Overdue,
		Name:           q.header(id, "name"),
		StatusHeader:   q.header(id, "status"),
		Deadline:       q.header(id, "deadline"),
		Submitted:      q.header(id, "submitted"),
		ListPath:       reviewBoardPath(id),
		CyclePath:      adminCyclePath(id),
		IndicatorsPath: reviewIndicatorsPath(id),
	}
	if q.Overdue {
		v.Overdue.Value = "on"
	}
	v.SortField = ui.Field{Name: "sort", Label: "review.board.sort", Value: q.Sort}
	for _, col := range reviewSorts {
		v.SortOptions = append(v.SortOptions, ui.Option{Value: col, Label: p.T.T("review.sort." + col), Selected: q.Sort == col})
	}
	v.DirField = ui.Field{Name: "dir", Label: "review.board.dir", Value: q.Dir}
	for _, d := range reviewDirs {
		v.DirOptions = append(v.DirOptions, ui.Option{Value: d, Label: p.T.T("review.dir." + d), Selected: q.Dir == d})
	}
	v.SortCaption = p.T.T("review.board.caption", "Sort", p.T.T("review.sort."+q.Sort), "Dir", p.T.T("review.dir."+q.Dir))
	v.StatusOptions = append(v.StatusOptions, ui.Option{Value: "", Label: p.T.T("filter.all"), Selected: q.Status == ""})
	for _, st := range portal.ReportStatuses {
		v.StatusOptions = append(v.StatusOptions, ui.Option{Value: string(st), Label: p.T.T("report.status." + string(st)), Selected: q.Status == st})
		v.Counts = append(v.Counts, report.ReviewStatusCount{Status: st, Count: counts[st],
			Path: boardQuery{Status: st, Sort: q.Sort, Dir: q.Dir}.path(id)})
	}
	return s.render(w, r, http.StatusOK, report.ReviewBoard(v))
}

func (s *Server) handleReviewReport(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	return s.renderReviewReport(w, r, http.StatusOK, id, "", nil)
}

// reviewTyped is what a refused review form sent: the comments to show
// again, their errors, and the version the form sends next.
type reviewTyped struct {
	values  report.ReviewValues
	errors  map[string]string
	version int
}

// renderReviewReport renders report id's review page as it stands now,
// with problem (a message key, "" for none) at the top and, when typed is
// not nil, the review form as the reviewer sent it.
func (s *Server) renderReviewReport(w http.ResponseWriter, r *http.Request, status int, id int64, problem string, typed *reviewTyped) error {
	ctx := r.Context()
	rep, err := s.db.ReportByID(ctx, id)
	if err != nil {
		return err
	}
	cycle, err := s.db.CycleByID(ctx, rep.CycleID)
	if err != nil {
		return err
	}
	n, err := s.db.NGOByID(ctx, rep.NGOID)
	if err != nil {
		return err
	}
	labels, err := s.db.ReportLabels(ctx, cycle.SessionID)
	if err != nil {
		return err
	}
	attachments, err := s.db.ListAttachments(ctx, rep.ID)
	if err != nil {
		return err
	}
	history, err := s.db.ReportHistory(ctx, rep.ID)
	if err != nil {
		return err
	}
	p := s.page(r, "")
	name := p.T.Pick(n.NameZH, n.NameEN)
	p.Title = p.T.T("review.report.title", "NGO", name, "Year", rep.ReviewYear)
	v := report.ReviewReportView{
		Page: p, Report: rep, NGOName: name, Cycle: cycle, Labels: labels, Attachments: attachments,
		History: history, Problem: problem,
		CanReview:       rep.Status == portal.ReportSubmitted,
		CanReturn:       rep.Status == portal.ReportSubmitted && !cycle.Closed(),
		Version:         rep.Version,
		BoardPath:       reviewBoardPath(cycle.ID),
		CyclePath:       adminCyclePath(cycle.ID),
		AcceptPath:      reviewAcceptPath(rep.ID),
		ReturnPath:      reviewReturnPath(rep.ID),
		AttachmentsBase: reviewAttachmentsPath(rep.ID),
		VersionsPath:    reviewVersionsPath(rep.ID),
	}
	v.ShowComments = v.CanReturn
	if typed != nil {
		v.ShowComments, v.Values, v.Errors = true, typed.values, typed.errors
		if typed.version != 0 {
			v.Version = typed.version
		}
	}
	compareSubmissions(&v, history)
	return s.render(w, r, status, report.ReviewReport(v))
}

// compareSubmissions fills in what changed since the last submission.
// While a report is returned that is the revision in progress against the
// submission that was returned; once it is resubmitted, the latest
// submission against the one before. A report submitted once has nothing
// to compare.
func compareSubmissions(v *report.ReviewReportView, history []portal.ReportEvent) {
	var snaps []portal.ReportEvent
	for _, e := range history {
		if e.Snapshot != nil {
			snaps = append(snaps, e)
		}
	}
	n := len(snaps)
	switch {
	case v.Report.Status == portal.ReportReturned && n >= 1:
		v.Compared, v.ComparedWith = true, snaps[n-1].At
		v.Changes = report.ReportChanges(*snaps[n-1].Snapshot, v.Report.ReportContent)
	case v.Report.Status != portal.ReportReturned && n >= 2:
		v.Compared, v.ComparedWith = true, snaps[n-2].At
		v.Changes = report.ReportChanges(*snaps[n-2].Snapshot, *snaps[n-1].Snapshot)
	}
}

func (s *Server) handleReviewAccept(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	version, err := parseVersion(r)
	if err != nil {
		return err
	}
	err = s.db.AcceptReport(r.Context(), s.actor(r), id, version)
	switch {
	case errors.Is(err, portal.ErrNotFound):
		return err
	case errors.Is(err, portal.ErrConflict):
		return s.renderReviewReport(w, r, http.StatusConflict, id, "review.err.changed", nil)
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, reviewReportPath(id), "review.flash.accepted")
}

// handleReviewReturnForm answers the address the return form used to
// have: the comments are now written beside each section of the report's
// review page.
func (s *Server) handleReviewReturnForm(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	if _, err := s.db.ReportByID(r.Context(), id); err != nil {
		return err
	}
	http.Redirect(w, r, reviewReportPath(id)+"#review-decision", http.StatusSeeOther)
	return nil
}

// handleReviewReturn returns the report with the comments of the review
// form. A refusal renders the review page again with every comment typed:
// 422 with a message per field, or 409 when the report changed meanwhile
// (the form then carries the current version) or its cycle has closed.
func (s *Server) handleReviewReturn(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	values, version, err := parseReviewForm(r)
	if err != nil {
		return err
	}
	err = s.db.ReturnReport(r.Context(), s.actor(r), id, version, values.Comment, values.Sections)
	var ve *portal.ValidationError
	switch {
	case errors.As(err, &ve):
		return s.renderReviewReport(w, r, http.StatusUnprocessableEntity, id, "",
			&reviewTyped{values: values, errors: ve.Fields, version: version})
	case errors.Is(err, portal.ErrCycleClosed):
		return s.renderReviewReport(w, r, http.StatusConflict, id, "review.err.cycle_closed", &reviewTyped{values: values})
	case errors.Is(err, portal.ErrConflict), errors.Is(err, portal.ErrReportIllegalStep):
		return s.renderReviewReport(w, r, http.StatusConflict, id, "review.err.changed", &reviewTyped{values: values})
	case err != nil:
		return err
	}
	return s.redirectFlash(w, r, reviewReportPath(id), "review.flash.returned")
}

// The submissions' pages of a report, for the federation and for the
// report's NGO.
func reviewVersionsPath(id int64) string { return reviewReportPath(id) + "/versions" }
func staffVersionsPath(id int64) string  { return staffReportPath(id) + "/versions" }

// reviewStaffRoutes are the NGO's view of its report's submissions, under
// /ngo; staffRoutes' group has already required the staff role.
func (s *Server) reviewStaffRoutes(r chi.Router) {
	r.Get("/reports/{id}/versions", s.handle(s.handleStaffReportVersions))
}

func (s *Server) handleReviewVersions(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	rep, err := s.db.ReportByID(r.Context(), id)
	if err != nil {
		return err
	}
	return s.renderReportVersions(w, r, rep, reviewVersionsPath(id), reviewReportPath(id))
}

// handleStaffReportVersions is handleReviewVersions for the report's own
// NGO: another NGO's report is not found.
func (s *Server) handleStaffReportVersions(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	rep, err := s.db.ReportForNGO(r.Context(), viewerFrom(r.Context()).NGOID, id)
	if err != nil {
		return err
	}
	return s.renderReportVersions(w, r, rep, staffVersionsPath(id), staffReportPath(id))
}

// renderReportVersions renders the submissions of report rep at path:
// ?v=EVENT opens one, ?from=EVENT&to=EVENT compares two. An event that is
// not one of this report's submissions is not found.
func (s *Server) renderReportVersions(w http.ResponseWriter, r *http.Request, rep portal.Report, path, back string) error {
	ctx := r.Context()
	history, err := s.db.ReportHistory(ctx, rep.ID)
	if err != nil {
		return err
	}
	cycle, err := s.db.CycleByID(ctx, rep.CycleID)
	if err != nil {
		return err
	}
	labels, err := s.db.ReportLabels(ctx, cycle.SessionID)
	if err != nil {
		return err
	}
	n, err := s.db.NGOByID(ctx, rep.NGOID)
	if err != nil {
		return err
	}
	p := s.page(r, "")
	v := report.ReportVersionsView{Page: p, NGOName: p.T.Pick(n.NameZH, n.NameEN), Year: rep.ReviewYear, Labels: labels,
		Action: path, BackPath: back}
	v.Title = p.T.T("review.versions.title", "NGO", v.NGOName, "Year", rep.ReviewYear)
	byID := map[string]*report.ReportVersion{}
	for _, e := range history {
		if e.Snapshot == nil {
			continue
		}
		key := strconv.FormatInt(e.ID, 10)
		v.Versions = append(v.Versions, report.ReportVersion{EventID: e.ID, At: e.At, ActorEmail: e.ActorEmail,
			Content: report.WithOutcomeLinks(*e.Snapshot, rep.Progress), Path: path + "?v=" + key})
		v.Options = append(v.Options, report.ReportVersionOption{Value: key, At: e.At})
	}
	for i := range v.Versions {
		byID[strconv.FormatInt(v.Versions[i].EventID, 10)] = &v.Versions[i]
	}
	q := r.URL.Query()
	v.From = ui.Field{Name: "from", Label: "review.versions.from"}
	v.To = ui.Field{Name: "to", Label: "review.versions.to"}
	if k := len(v.Versions); k >= 2 {
		v.From.Value, v.To.Value = v.Options[k-2].Value, v.Options[k-1].Value
	}
	if q.Has("v") {
		if v.Shown = byID[q.Get("v")]; v.Shown == nil {
			return portal.ErrNotFound
		}
	}
	if q.Has("from") || q.Has("to") {
		from, to := byID[q.Get("from")], byID[q.Get("to")]
		if from == nil || to == nil {
			return portal.ErrNotFound
		}
		v.From.Value, v.To.Value = q.Get("from"), q.Get("to")
		v.Compared, v.FromAt, v.ToAt = true, from.At, to.At
		v.Changes = report.ReportChanges(from.Content, to.Content)
	}
	return s.render(w, r, http.StatusOK, report.ReportVersions(v))
}
