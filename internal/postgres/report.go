package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"ngoportal/internal/portal"
)

// reportColumns is the column list every report read uses, in
// scanReport's order: the report, its cycle and the NGO's extension.
const reportColumns = `r.id, r.cycle_id, r.ngo_id, r.status, r.narrative, r.highlight,
	r.legal_representative, r.declaration, coalesce(r.declared_by, 0), r.submitted_at, r.accepted_at,
	r.version, r.created_at, r.updated_at, c.review_year, c.status, c.deadline, e.deadline`

const reportFrom = ` FROM reports r
	JOIN reporting_cycles c ON c.id = r.cycle_id
	LEFT JOIN cycle_extensions e ON e.cycle_id = r.cycle_id AND e.ngo_id = r.ngo_id`

// reportHeader reads one report's own row (no section rows) matching where,
// whose arguments are args; forUpdate locks the report row.
func reportHeader(ctx context.Context, q querier, forUpdate bool, where string, args ...any) (portal.Report, error) {
	sql := `SELECT ` + reportColumns + reportFrom + ` WHERE ` + where
	if forUpdate {
		sql += ` FOR UPDATE OF r`
	}
	var r portal.Report
	var submitted, accepted, extension *time.Time
	var cycleDeadline time.Time
	err := q.QueryRow(ctx, sql, args...).Scan(&r.ID, &r.CycleID, &r.NGOID, &r.Status, &r.Narrative, &r.Highlight,
		&r.LegalRepresentative, &r.Declaration, &r.DeclaredBy, &submitted, &accepted,
		&r.Version, &r.CreatedAt, &r.UpdatedAt, &r.ReviewYear, &r.CycleStatus, &cycleDeadline, &extension)
	if err != nil {
		return portal.Report{}, translate(err)
	}
	if submitted != nil {
		r.SubmittedAt = *submitted
	}
	if accepted != nil {
		r.AcceptedAt = *accepted
	}
	r.Deadline = portal.EffectiveDeadline(cycleDeadline, extension)
	return r, nil
}

// loadReport reads a report with every section's rows.
func loadReport(ctx context.Context, q querier, forUpdate bool, where string, args ...any) (portal.Report, error) {
	r, err := reportHeader(ctx, q, forUpdate, where, args...)
	if err != nil {
		return portal.Report{}, err
	}
	if err := loadReportRows(ctx, q, &r); err != nil {
		return portal.Report{}, fmt.Errorf("rows of report %d: %w", r.ID, err)
	}
	return r, nil
}

// The column lists of the section rows a report and an export read, each
// in its scan-args function's order: a is report_activities, m
// report_media, p report_plan_items.
const (
	activityColumns = `a.id, a.title, coalesce(a.kind, ''), coalesce(a.mode, ''), a.starts_on, a.ends_on,
	a.people_reached, a.women_reached,
	a.partners, coalesce((SELECT array_agg(t.theme_id ORDER BY t.theme_id) FROM report_activity_themes t
	                      WHERE t.activity_id = a.id), '{}')`
	mediaColumns    = `m.id, coalesce(m.channel, ''), m.items, m.reads`
	planItemColumns = `p.id, p.title, p.description, coalesce(p.quarter, 0), coalesce(p.key_project_id, 0),
	coalesce((SELECT array_agg(t.theme_id ORDER BY t.theme_id) FROM report_plan_item_themes t
	          WHERE t.plan_item_id = p.id), '{}'),
	coalesce((SELECT array_agg(q.request_id ORDER BY q.request_id) FROM report_plan_item_requests q
	          WHERE q.plan_item_id = p.id), '{}')`
)

func activityScanArgs(a *portal.Activity) []any {
	return []any{&a.ID, &a.Title, &a.Kind, &a.Mode, &dayOrZero{&a.StartsOn}, &dayOrZero{&a.EndsOn},
		&a.PeopleReached, &a.WomenReached, &a.Partners, &a.ThemeIDs}
}

// dayOrZero scans a date column that may be NULL (a draft's activity not
// dated yet) into a time.Time, zero for NULL.
type dayOrZero struct{ t *time.Time }

// ScanDate implements pgtype.DateScanner.
func (d *dayOrZero) ScanDate(v pgtype.Date) error {
	switch {
	case !v.Valid:
		*d.t = time.Time{}
	case v.InfinityModifier != pgtype.Finite:
		return fmt.Errorf("infinite date")
	default:
		*d.t = v.Time
	}
	return nil
}

func mediaScanArgs(m *portal.MediaWork) []any {
	return []any{&m.ID, &m.Channel, &m.Items, &m.Reads}
}

func planItemScanArgs(p *portal.PlanItem) []any {
	return []any{&p.ID, &p.Title, &p.Description, &p.Quarter, &p.KeyProjectID, &p.ThemeIDs, &p.RequestIDs}
}

// loadReportRows fills in the sections of report r, each in its order.
func loadReportRows(ctx context.Context, q querier, r *portal.Report) error {
	rows, err := q.Query(ctx, `
		SELECT `+activityColumns+` FROM report_activities a WHERE a.report_id = $1 ORDER BY a.position`, r.ID)
	if err != nil {
		return err
	}
	if r.Activities, err = pgx.CollectRows(rows, rowTo(activityScanArgs)); err != nil {
		return err
	}

	rows, err = q.Query(ctx, `
		SELECT `+mediaColumns+` FROM report_media m WHERE m.report_id = $1 ORDER BY m.position`, r.ID)
	if err != nil {
		return err
	}
	if r.Media, err = pgx.CollectRows(rows, rowTo(mediaScanArgs)); err != nil {
		return err
	}

	rows, err = q.Query(ctx, `
		SELECT `+planItemColumns+` FROM report_plan_items p WHERE p.report_id = $1 ORDER BY p.position`, r.ID)
	if err != nil {
		return err
	}
	if r.PlanItems, err = pgx.CollectRows(rows, rowTo(planItemScanArgs)); err != nil {
		return err
	}

	rows, err = q.Query(ctx, `
		SELECT x.id, coalesce(x.previous_plan_item_id, 0), x.title, x.status, x.note,
		       coalesce((SELECT array_agg(q.request_id ORDER BY q.request_id) FROM report_plan_item_requests q
		                 WHERE q.plan_item_id = x.previous_plan_item_id), '{}'),
		       p.addendum_id IS NOT NULL
		FROM report_progress x LEFT JOIN report_plan_items p ON p.id = x.previous_plan_item_id
		WHERE x.report_id = $1 ORDER BY x.position`, r.ID)
	if err != nil {
		return err
	}
	if r.Progress, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.Progress, error) {
		var p portal.Progress
		err := row.Scan(&p.ID, &p.PreviousPlanItemID, &p.Title, &p.Status, &p.Note, &p.RequestIDs, &p.FromAddendum)
		return p, err
	}); err != nil {
		return err
	}

	rows, err = q.Query(ctx, `
		SELECT a.request_id, q.number, q.text_zh, q.text_en, a.answer
		FROM report_request_answers a JOIN session_requests q ON q.id = a.request_id
		WHERE a.report_id = $1 ORDER BY q.number, q.id`, r.ID)
	if err != nil {
		return err
	}
	r.Answers, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.RequestAnswer, error) {
		var a portal.RequestAnswer
		err := row.Scan(&a.RequestID, &a.Number, &a.TextZH, &a.TextEN, &a.Answer)
		return a, err
	})
	return err
}

// ReportFor returns NGO ngoID's report in cycle cycleID with every section;
// ErrNotFound when the NGO has not started one. Staff pages pass the
// signed-in user's NGO, admin pages the NGO of the board row.
func (db *DB) ReportFor(ctx context.Context, cycleID, ngoID int64) (portal.Report, error) {
	r, err := loadReport(ctx, db.pool, false, `r.cycle_id = $1 AND r.ngo_id = $2`, cycleID, ngoID)
	if err != nil {
		return portal.Report{}, fmt.Errorf("report of NGO %d in cycle %d: %w", ngoID, cycleID, err)
	}
	return r, nil
}

// StaffReportCycle is one reporting cycle as an NGO's staff see it on their
// list of reports: the cycle, the NGO's own deadline in it and the NGO's
// report, if started.
type StaffReportCycle struct {
	Cycle       portal.Cycle
	Deadline    time.Time           // the NGO's effective deadline
	Extended    bool                // the NGO has an extension in this cycle
	ReportID    int64               // 0 when the NGO has not started its report
	Status      portal.ReportStatus // portal.ReportNotStarted when there is no report
	SubmittedAt time.Time           // the latest submission; zero when never submitted
}

// ReportForNGO returns report reportID with every section when it belongs
// to NGO ngoID; another NGO's report, or none, is ErrNotFound. Staff pages
// pass the signed-in user's NGO.
func (db *DB) ReportForNGO(ctx context.Context, ngoID, reportID int64) (portal.Report, error) {
	if ngoID == 0 {
		return portal.Report{}, fmt.Errorf("report %d without an NGO: %w", reportID, portal.ErrNotFound)
	}
	r, err := loadReport(ctx, db.pool, false, `r.id = $1 AND r.ngo_id = $2`, reportID, ngoID)
	if err != nil {
		return portal.Report{}, fmt.Errorf("report %d of NGO %d: %w", reportID, ngoID, err)
	}
	return r, nil
}

// StaffReportCycles lists the reporting cycles NGO ngoID can see (open and
// closed, never drafts), the newest review year first, each with the NGO's
// effective deadline and its report's id and status.
func (db *DB) StaffReportCycles(ctx context.Context, ngoID int64) ([]StaffReportCycle, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT `+cycleColumns+`, e.deadline, coalesce(r.id, 0), coalesce(r.status, $2), r.submitted_at
		`+cycleFrom+`
		LEFT JOIN cycle_extensions e ON e.cycle_id = c.id AND e.ngo_id = $1
		LEFT JOIN reports r ON r.cycle_id = c.id AND r.ngo_id = $1
		WHERE c.status <> 'draft'
		ORDER BY c.review_year DESC`, ngoID, string(portal.ReportNotStarted))
	if err != nil {
		return nil, fmt.Errorf("report cycles of NGO %d: %w", ngoID, err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (StaffReportCycle, error) {
		var x StaffReportCycle
		var extension, submitted *time.Time
		err := row.Scan(append(cycleScanArgs(&x.Cycle), &extension, &x.ReportID, &x.Status, &submitted)...)
		if err != nil {
			return x, err
		}
		x.Deadline = portal.EffectiveDeadline(x.Cycle.Deadline, extension)
		// An extension earlier than the cycle's own deadline changes nothing.
		x.Extended = extension != nil && extension.After(x.Cycle.Deadline)
		if submitted != nil {
			x.SubmittedAt = *submitted
		}
		return x, nil
	})
	if err != nil {
		return nil, fmt.Errorf("report cycles of NGO %d: %w", ngoID, err)
	}
	return list, nil
}

// StartReport creates NGO ngoID's draft report in cycle cycleID, or returns
// the one it already has. The draft lists, for staff to answer, the plan
// items of the NGO's accepted report of the previous review year and the
// requests addressed to the NGO at the session tied to that year's cycle.
// A new report is refused when the cycle is a draft (ErrCycleNotOpen, a
// not-found), closed (ErrCycleClosed) or past the NGO's deadline
// (ErrReportDeadlinePassed).
func (db *DB) StartReport(ctx context.Context, a portal.Actor, cycleID, ngoID int64) (portal.Report, error) {
	existing, err := db.ReportFor(ctx, cycleID, ngoID)
	if err == nil || !errors.Is(err, portal.ErrNotFound) {
		return existing, err
	}
	cycle, err := cycleByID(ctx, db.pool, cycleID, false)
	if err != nil {
		return portal.Report{}, err
	}
	switch {
	case cycle.Status == portal.CycleDraft:
		return portal.Report{}, fmt.Errorf("start report in cycle %d: %w", cycleID, portal.ErrCycleNotOpen)
	case cycle.Closed():
		return portal.Report{}, fmt.Errorf("start report in cycle %d: %w", cycleID, portal.ErrCycleClosed)
	}
	deadline, err := db.NGODeadline(ctx, cycleID, ngoID)
	if err != nil {
		return portal.Report{}, err
	}
	if portal.DeadlinePassed(deadline, time.Now()) {
		return portal.Report{}, fmt.Errorf("start report in cycle %d: %w", cycleID, portal.ErrReportDeadlinePassed)
	}

	// The previous cycle (the latest before this one, years may be skipped)
	// and the session tied to it; either may be missing.
	prevCycleID, prevSessionID, err := previousCycle(ctx, db.pool, cycle.ReviewYear)
	if err != nil {
		return portal.Report{}, err
	}

	var started portal.Report
	err = db.Transact(ctx, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO reports (cycle_id, ngo_id) VALUES ($1, $2)
			ON CONFLICT (cycle_id, ngo_id) DO NOTHING
			RETURNING id`, cycleID, ngoID).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			// Another staff member started it a moment ago: theirs is the report.
			started, err = loadReport(ctx, tx, false, `r.cycle_id = $1 AND r.ngo_id = $2`, cycleID, ngoID)
			return err
		}
		if err != nil {
			return fmt.Errorf("start report of NGO %d in cycle %d: %w", ngoID, cycleID, err)
		}
		items, requests, err := carryOver(ctx, tx, id, ngoID, prevCycleID, prevSessionID)
		if err != nil {
			return err
		}
		if err := addReportEvent(ctx, tx, portal.ReportEvent{ReportID: id, ActorID: a.UserID, Action: portal.EventCreated}); err != nil {
			return err
		}
		if started, err = loadReport(ctx, tx, false, `r.id = $1`, id); err != nil {
			return err
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditReportCreated, ObjectType: portal.AuditObjectReport, ObjectID: id, NGOID: ngoID,
			Changes: map[string]portal.Change{
				"status":          {After: string(portal.ReportDraft)},
				"cycle_id":        {After: cycleID},
				"progress_items":  {After: items},
				"request_answers": {After: requests},
			},
		})
	})
	if err != nil {
		return portal.Report{}, err
	}
	return started, nil
}

// carryOver lists on new report reportID of NGO ngoID what its staff are
// to answer: the plan items the NGO made for the plan year of cycle
// prevCycleID (those of its accepted report in that cycle, then those of
// its plan addendum for session prevSessionID), to report progress on, and
// the requests that session addressed to the NGO (0 for either: none). It
// returns how many of each it listed.
func carryOver(ctx context.Context, q querier, reportID, ngoID, prevCycleID, prevSessionID int64) (items, requests int64, err error) {
	if items, err = addMissingProgress(ctx, q, reportID, ngoID, prevCycleID, prevSessionID); err != nil {
		return 0, 0, fmt.Errorf("carry over plan items to report %d: %w", reportID, err)
	}
	tag, err := q.Exec(ctx, `
		INSERT INTO report_request_answers (report_id, request_id)
		SELECT $3, r.id FROM session_requests r
		WHERE`+addressedToNGO, prevSessionID, ngoID, reportID)
	if err != nil {
		return 0, 0, fmt.Errorf("requests to answer in report %d: %w", reportID, err)
	}
	return items, tag.RowsAffected(), nil
}

// addReportEvent appends step e to the history of report e.ReportID: at
// e.At, or at the transaction's time when that is zero. ActorEmail is not
// stored.
func addReportEvent(ctx context.Context, q querier, e portal.ReportEvent) error {
	sections := e.SectionComments
	if sections == nil {
		sections = map[string]string{}
	}
	rawSections, err := json.Marshal(sections)
	if err != nil {
		return fmt.Errorf("report %d event %s: %w", e.ReportID, e.Action, err)
	}
	var rawSnapshot []byte
	if e.Snapshot != nil {
		if rawSnapshot, err = json.Marshal(e.Snapshot); err != nil {
			return fmt.Errorf("report %d event %s: %w", e.ReportID, e.Action, err)
		}
	}
	if _, err := q.Exec(ctx, `
		INSERT INTO report_events (report_id, at, actor_id, action, comment, section_comments, snapshot)
		VALUES ($1, coalesce($2::timestamptz, now()), $3, $4, $5, $6, $7)`,
		e.ReportID, optionalTime(e.At), nullIfZero(e.ActorID), string(e.Action), e.Comment, rawSections, rawSnapshot); err != nil {
		return fmt.Errorf("report %d event %s: %w", e.ReportID, e.Action, err)
	}
	return nil
}

// Report returns report id with every section, read in the transaction.
func (tx Tx) Report(ctx context.Context, id int64) (portal.Report, error) {
	r, err := loadReport(ctx, tx, false, `r.id = $1`, id)
	if err != nil {
		return portal.Report{}, fmt.Errorf("report %d: %w", id, err)
	}
	return r, nil
}

// CarryOver lists on new report reportID of NGO ngoID what StartReport
// lists for its staff to answer: the plan items of the NGO's accepted
// report in cycle prevCycleID and the requests that session prevSessionID
// addressed to the NGO (0 for either: none).
func (tx Tx) CarryOver(ctx context.Context, reportID, ngoID, prevCycleID, prevSessionID int64) error {
	_, _, err := carryOver(ctx, tx, reportID, ngoID, prevCycleID, prevSessionID)
	return err
}

// ReplaceReportRows writes the sections of report r as SaveDraft does:
// activities, media work and plan items replace the stored ones, progress
// and answers are saved on the listed rows. r is not checked: the caller
// has run Report.Validate.
func (tx Tx) ReplaceReportRows(ctx context.Context, r portal.Report) error {
	if err := replaceReportRows(ctx, tx.Tx, r); err != nil {
		return fmt.Errorf("rows of report %d: %w", r.ID, err)
	}
	return nil
}

// AddReportEvent appends step e to the history of report e.ReportID, as the
// report's lifecycle steps do: at e.At, or at the transaction's time when
// that is zero.
func (tx Tx) AddReportEvent(ctx context.Context, e portal.ReportEvent) error {
	return addReportEvent(ctx, tx, e)
}

// SaveDraft saves staff's edit of report in.ID, which must belong to NGO
// ngoID (otherwise ErrNotFound) and have been loaded at version (otherwise
// ErrConflict). It replaces the narrative, highlight, legal representative,
// declaration, activities, media work and plan items; of the progress rows
// and request answers it saves only the answers, matched by Progress.ID and
// RequestAnswer.RequestID (which items are listed was fixed when the report
// was started; others are ignored). Refused when Report.EditBlock refuses
// against the clock (ErrReportReadOnly, ErrCycleClosed,
// ErrReportDeadlinePassed). Rows may be incomplete (Report.Incomplete):
// a draft keeps them as they are. Content that cannot be stored (Report.Validate), or themes,
// key projects or requests that do not exist or are not addressed to the
// NGO, is a *ValidationError keyed as Report.Validate's. One audited
// transaction; a save that changes nothing writes nothing.
func (db *DB) SaveDraft(ctx context.Context, a portal.Actor, ngoID int64, in portal.Report, version int) (portal.Report, error) {
	var saved portal.Report
	err := db.Transact(ctx, func(tx pgx.Tx) error {
		before, err := loadReport(ctx, tx, true, `r.id = $1 AND r.ngo_id = $2`, in.ID, ngoID)
		if err != nil {
			return fmt.Errorf("save report %d of NGO %d: %w", in.ID, ngoID, err)
		}
		saved, err = saveReport(ctx, tx, a, ngoID, before, in, version, time.Now())
		return err
	})
	if err != nil {
		return portal.Report{}, err
	}
	return saved, nil
}

// RemoveReportRow removes row i of table ("activities", "media" or
// "plan_items") from report reportID, which must belong to NGO ngoID and
// be at version (else ErrConflict: the editor confirmed what was there at
// that version). Refused as SaveDraft is; a row that is not there is
// ErrNotFound. One audited transaction, the save of SaveDraft.
func (db *DB) RemoveReportRow(ctx context.Context, a portal.Actor, ngoID, reportID int64, table string, i, version int) (portal.Report, error) {
	var saved portal.Report
	err := db.Transact(ctx, func(tx pgx.Tx) error {
		before, err := loadReport(ctx, tx, true, `r.id = $1 AND r.ngo_id = $2`, reportID, ngoID)
		if err != nil {
			return fmt.Errorf("remove row of report %d of NGO %d: %w", reportID, ngoID, err)
		}
		if err := before.EditBlock(time.Now()); err != nil {
			return err
		}
		if before.Version != version {
			return fmt.Errorf("report %d at version %d, now %d: %w", before.ID, version, before.Version, portal.ErrConflict)
		}
		in, ok := before.WithoutRow(table, i)
		if !ok {
			return fmt.Errorf("report %d has no row %s.%d: %w", reportID, table, i, portal.ErrNotFound)
		}
		saved, err = saveReport(ctx, tx, a, ngoID, before, in, version, time.Now())
		return err
	})
	if err != nil {
		return portal.Report{}, err
	}
	return saved, nil
}

// saveReport is the save of SaveDraft and SubmitReport: it writes in's
// content over report before, which the caller has read with its rows FOR
// UPDATE in tx, checking first that staff may edit it at now
// (Report.EditBlock), that in can be stored (Report.Validate; a draft's
// rows may be incomplete) and refers to what exists, and that
// the editor's copy was version. It returns the report as stored: before
// itself when nothing changed (then nothing is written), else read back
// after the write, and audits the changes.
func saveReport(ctx context.Context, tx pgx.Tx, a portal.Actor, ngoID int64, before, in portal.Report,
	version int, now time.Time) (portal.Report, error) {
	if err := before.EditBlock(now); err != nil {
		return portal.Report{}, err
	}
	// Plan items that appeared since the report was started are asked for
	// from now on; the editor's answers to the other rows are unaffected.
	added, err := syncProgress(ctx, tx, a, before)
	if err != nil {
		return portal.Report{}, err
	}
	if added > 0 {
		if err := loadReportRows(ctx, tx, &before); err != nil {
			return portal.Report{}, fmt.Errorf("rows of report %d: %w", before.ID, err)
		}
	}
	// Invalid input is reported before a stale version: the form comes
	// back with its messages, and the conflict shows when it is saved again.
	errs := in.Validate()
	if err := checkReferences(ctx, tx, in, before.CycleID, ngoID, errs); err != nil {
		return portal.Report{}, err
	}
	if len(errs) > 0 {
		return portal.Report{}, &portal.ValidationError{Fields: errs}
	}
	if before.Version != version {
		return portal.Report{}, fmt.Errorf("report %d at version %d, now %d: %w", before.ID, version, before.Version, portal.ErrConflict)
	}

	after := before
	after.Narrative, after.Highlight, after.LegalRepresentative = in.Narrative, in.Highlight, in.LegalRepresentative
	after.Declaration = in.Declaration
	after.Activities, after.Media, after.PlanItems = in.Activities, in.Media, in.PlanItems
	after.Progress = mergeProgress(before.Progress, in.Progress)
	after.Answers = mergeAnswers(before.Answers, in.Answers)
	changes := portal.Diff(before.AuditFields(), after.AuditFields())
	if len(changes) == 0 {
		return before, nil
	}

	tag, err := tx.Exec(ctx, `
		UPDATE reports SET narrative = $3, highlight = $4, legal_representative = $5, declaration = $6,
		       declared_by = CASE WHEN $6 THEN coalesce(declared_by, $7) END,
		       version = version + 1, updated_at = now()
		WHERE id = $1 AND version = $2`,
		before.ID, version, after.Narrative, after.Highlight, after.LegalRepresentative, after.Declaration, nullIfZero(a.UserID))
	if err != nil {
		return portal.Report{}, fmt.Errorf("save report %d: %w", before.ID, err)
	}
	if tag.RowsAffected() != 1 {
		return portal.Report{}, fmt.Errorf("save report %d: %w", before.ID, portal.ErrConflict)
	}
	if err := replaceReportRows(ctx, tx, after); err != nil {
		return portal.Report{}, fmt.Errorf("save report %d: %w", before.ID, err)
	}
	// Read back, not after itself: the rows' new ids and the stored form of
	// dates and id lists are what a read (and a submission's snapshot) sees.
	saved, err := loadReport(ctx, tx, false, `r.id = $1`, before.ID)
	if err != nil {
		return portal.Report{}, err
	}
	err = writeAudit(ctx, tx, a, portal.AuditEvent{
		Action: portal.AuditReportSaved, ObjectType: portal.AuditObjectReport, ObjectID: before.ID, NGOID: ngoID,
		Changes: changes,
	})
	if err != nil {
		return portal.Report{}, err
	}
	return saved, nil
}

// checkReferences adds to errs a message for every theme or key project
// that does not exist and every request a plan item may not answer: the
// requests of the session tied to cycle cycleID addressed to NGO ngoID.
// Retired terms are accepted: a row tagged before the term was retired
// must stay saveable.
func checkReferences(ctx context.Context, tx pgx.Tx, in portal.Report, cycleID, ngoID int64, errs map[string]string) error {
	var themeIDs, projectIDs, requestIDs []int64
	for _, x := range in.Activities {
		themeIDs = append(themeIDs, x.ThemeIDs...)
	}
	for _, p := range in.PlanItems {
		themeIDs = append(themeIDs, p.ThemeIDs...)
		requestIDs = append(requestIDs, p.RequestIDs...)
		if p.KeyProjectID > 0 {
			projectIDs = append(projectIDs, p.KeyProjectID)
		}
	}
	themes, err := existingIDs(ctx, tx, `SELECT id FROM themes WHERE id = ANY($1)`, themeIDs)
	if err != nil {
		return err
	}
	projects, err := existingIDs(ctx, tx, `SELECT id FROM key_projects WHERE id = ANY($1)`, projectIDs)
	if err != nil {
		return err
	}
	allowedRequests, err := existingIDs(ctx, tx, `
		SELECT r.id FROM session_requests r
		WHERE r.id = ANY($1) AND r.session_id = (SELECT s.id FROM sessions s WHERE s.cycle_id = $3)
		  AND`+addressedTo, requestIDs, ngoID, cycleID)
	if err != nil {
		return err
	}
	allIn := func(ids []int64, set map[int64]bool) bool {
		for _, id := range ids {
			if !set[id] {
				return false
			}
		}
		return true
	}
	setIfNone := func(key, msg string) {
		if _, ok := errs[key]; !ok {
			errs[key] = msg
		}
	}
	for i, x := range in.Activities {
		if !allIn(x.ThemeIDs, themes) {
			setIfNone(portal.RowField("activities", i, "themes"), "report.err.theme_invalid")
		}
	}
	for i, p := range in.PlanItems {
		if !allIn(p.ThemeIDs, themes) {
			setIfNone(portal.RowField("plan_items", i, "themes"), "report.err.theme_invalid")
		}
		if p.KeyProjectID > 0 && !projects[p.KeyProjectID] {
			setIfNone(portal.RowField("plan_items", i, "key_project"), "report.err.project_invalid")
		}
		if !allIn(p.RequestIDs, allowedRequests) {
			setIfNone(portal.RowField("plan_items", i, "requests"), "report.err.request_invalid")
		}
	}
	return nil
}

// existingIDs runs sql, which selects the ids of ids ($1) that exist
// (more arguments from $2 on), and returns them as a set; no query when
// ids is empty.
func existingIDs(ctx context.Context, q querier, sql string, ids []int64, args ...any) (map[int64]bool, error) {
	set := map[int64]bool{}
	if len(ids) == 0 {
		return set, nil
	}
	rows, err := q.Query(ctx, sql, append([]any{ids}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("check references: %w", err)
	}
	found, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("check references: %w", err)
	}
	for _, id := range found {
		set[id] = true
	}
	return set, nil
}

// mergeProgress takes the answers of in onto the stored rows, by id.
func mergeProgress(stored, in []portal.Progress) []portal.Progress {
	byID := map[int64]portal.Progress{}
	for _, p := range in {
		byID[p.ID] = p
	}
	out := make([]portal.Progress, len(stored))
	for i, p := range stored {
		if x, ok := byID[p.ID]; ok {
			p.Status, p.Note = x.Status, x.Note
		}
		out[i] = p
	}
	return out
}

// mergeAnswers takes the answers of in onto the stored rows, by request.
func mergeAnswers(stored, in []portal.RequestAnswer) []portal.RequestAnswer {
	byID := map[int64]string{}
	for _, a := range in {
		byID[a.RequestID] = a.Answer
	}
	out := make([]portal.RequestAnswer, len(stored))
	for i, a := range stored {
		if x, ok := byID[a.RequestID]; ok {
			a.Answer = x
		}
		out[i] = a
	}
	return out
}

// replaceReportRows writes r's sections: activities, media and plan items
// are deleted and inserted again in r's order (a few statements whatever
// the row count, through arrays); progress and answers are updated in place.
func replaceReportRows(ctx context.Context, tx pgx.Tx, r portal.Report) error {
	for _, table := range []string{"report_activities", "report_media", "report_plan_items"} {
		if _, err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE report_id = $1`, r.ID); err != nil {
			return fmt.Errorf("clear %s: %w", table, err)
		}
	}

	if n := len(r.Activities); n > 0 {
		var (
			titles, kinds, modes, partners []string
			starts, ends                   []time.Time
			people, women                  []int64
		)
		for _, x := range r.Activities {
			titles, kinds, modes = append(titles, x.Title), append(kinds, string(x.Kind)), append(modes, string(x.Mode))
			starts, ends = append(starts, x.StartsOn), append(ends, x.EndsOn)
			people, women = append(people, int64(x.PeopleReached)), append(women, int64(x.WomenReached))
			partners = append(partners, x.Partners)
		}
		ids, err := insertRows(ctx, tx, `
			INSERT INTO report_activities (report_id, position, title, kind, mode, starts_on, ends_on,
			                               people_reached, women_reached, partners)
			SELECT $1, u.ord, u.title, nullif(u.kind, ''), nullif(u.mode, ''),
			       nullif(u.starts_on, '0001-01-01'), nullif(u.ends_on, '0001-01-01'), u.people, u.women, u.partners
			FROM unnest($2::text[], $3::text[], $4::text[], $5::date[], $6::date[], $7::int[], $8::int[], $9::text[])
			     WITH ORDINALITY AS u (title, kind, mode, starts_on, ends_on, people, women, partners, ord)
			RETURNING id, position`, n, r.ID, titles, kinds, modes, starts, ends, people, women, partners)
		if err != nil {
			return fmt.Errorf("insert activities: %w", err)
		}
		var rowIDs, termIDs []int64
		for i, x := range r.Activities {
			for _, t := range x.ThemeIDs {
				rowIDs, termIDs = append(rowIDs, ids[i]), append(termIDs, t)
			}
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO report_activity_themes (activity_id, theme_id)
			SELECT * FROM unnest($1::bigint[], $2::bigint[])`, rowIDs, termIDs); err != nil {
			return fmt.Errorf("insert activity themes: %w", err)
		}
	}

	if len(r.Media) > 0 {
		var channels []string
		var items, reads []int64
		for _, m := range r.Media {
			channels, items, reads = append(channels, string(m.Channel)), append(items, int64(m.Items)), append(reads, m.Reads)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO report_media (report_id, position, channel, items, reads)
			SELECT $1, u.ord, nullif(u.channel, ''), u.items, u.reads
			FROM unnest($2::text[], $3::int[], $4::bigint[]) WITH ORDINALITY AS u (channel, items, reads, ord)`,
			r.ID, channels, items, reads); err != nil {
			return fmt.Errorf("insert media: %w", err)
		}
	}

	if n := len(r.PlanItems); n > 0 {
		var titles, descriptions []string
		var quarters, projects []int64
		for _, p := range r.PlanItems {
			titles, descriptions = append(titles, p.Title), append(descriptions, p.Description)
			quarters, projects = append(quarters, int64(p.Quarter)), append(projects, p.KeyProjectID)
		}
		ids, err := insertRows(ctx, tx, `
			INSERT INTO report_plan_items (report_id, position, title, description, quarter, key_project_id)
			SELECT $1, u.ord, u.title, u.description, nullif(u.quarter, 0), nullif(u.project, 0)
			FROM unnest($2::text[], $3::text[], $4::int[], $5::bigint[])
			     WITH ORDINALITY AS u (title, description, quarter, project, ord)
			RETURNING id, position`, n, r.ID, titles, descriptions, quarters, projects)
		if err != nil {
			return fmt.Errorf("insert plan items: %w", err)
		}
		var themeRows, themeIDs, requestRows, requestIDs []int64
		for i, p := range r.PlanItems {
			for _, t := range p.ThemeIDs {
				themeRows, themeIDs = append(themeRows, ids[i]), append(themeIDs, t)
			}
			for _, q := range p.RequestIDs {
				requestRows, requestIDs = append(requestRows, ids[i]), append(requestIDs, q)
			}
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO report_plan_item_themes (plan_item_id, theme_id)
			SELECT * FROM unnest($1::bigint[], $2::bigint[])`, themeRows, themeIDs); err != nil {
			return fmt.Errorf("insert plan item themes: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO report_plan_item_requests (plan_item_id, request_id)
			SELECT * FROM unnest($1::bigint[], $2::bigint[])`, requestRows, requestIDs); err != nil {
			return fmt.Errorf("insert plan item requests: %w", err)
		}
		// An item now answers these requests: the NGO no longer plans
		// nothing for them (request_response.go keeps the same rule).
		if _, err := tx.Exec(ctx, `
			UPDATE request_responses SET nothing_planned = false, reason = '', version = version + 1
			WHERE ngo_id = (SELECT ngo_id FROM reports WHERE id = $1) AND request_id = ANY($2) AND nothing_planned`,
			r.ID, requestIDs); err != nil {
			return fmt.Errorf("answers of the linked requests: %w", err)
		}
	}

	for _, p := range r.Progress {
		if _, err := tx.Exec(ctx, `
			UPDATE report_progress SET status = $3, note = $4 WHERE report_id = $1 AND id = $2`,
			r.ID, p.ID, string(p.Status), p.Note); err != nil {
			return fmt.Errorf("save progress %d: %w", p.ID, err)
		}
	}
	for _, x := range r.Answers {
		if _, err := tx.Exec(ctx, `
			UPDATE report_request_answers SET answer = $3 WHERE report_id = $1 AND request_id = $2`,
			r.ID, x.RequestID, x.Answer); err != nil {
			return fmt.Errorf("save answer to request %d: %w", x.RequestID, err)
		}
	}
	return nil
}

// insertRows runs an INSERT … RETURNING id, position of n rows at
// positions 1..n and returns the ids in position order (RETURNING's order
// is not promised, so the position says which row an id belongs to).
func insertRows(ctx context.Context, tx pgx.Tx, sql string, n int, args ...any) ([]int64, error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, n)
	var id int64
	var position, count int
	_, err = pgx.ForEachRow(rows, []any{&id, &position}, func() error {
		if position < 1 || position > n || ids[position-1] != 0 {
			return fmt.Errorf("inserted row at unexpected position %d", position)
		}
		ids[position-1] = id
		count++
		return nil
	})
	if err != nil {
		return nil, err
	}
	if count != n {
		return nil, fmt.Errorf("inserted %d rows, want %d", count, n)
	}
	return ids, nil
}

// SubmitReport saves staff's edit in of report in.ID, as SaveDraft does
// (and is refused as it is), then submits the report at now, all in one
// transaction. The submitting user becomes the declarant; the history
// records a "submitted" (or, after a return, "resubmitted") event with a
// snapshot of the content. When the saved report is incomplete, the save
// still commits and SubmitReport returns the saved report together with a
// *portal.ReportIncompleteError listing what is missing.
func (db *DB) SubmitReport(ctx context.Context, a portal.Actor, ngoID int64, in portal.Report, version int, now time.Time) (portal.Report, error) {
	var out portal.Report
	var incomplete *portal.ReportIncompleteError
	err := db.Transact(ctx, func(tx pgx.Tx) error {
		out, incomplete = portal.Report{}, nil
		before, err := loadReport(ctx, tx, true, `r.id = $1 AND r.ngo_id = $2`, in.ID, ngoID)
		if err != nil {
			return fmt.Errorf("submit report %d of NGO %d: %w", in.ID, ngoID, err)
		}
		saved, err := saveReport(ctx, tx, a, ngoID, before, in, version, now)
		if err != nil {
			return err
		}
		cover, err := hasCover(ctx, tx, saved.ID)
		if err != nil {
			return err
		}
		if missing := saved.Missing(cover); len(missing) > 0 {
			// Commit the save: the user sees the saved form with what is missing.
			out, incomplete = saved, &portal.ReportIncompleteError{Missing: missing}
			return nil
		}
		action := portal.EventSubmitted
		if saved.Status == portal.ReportReturned {
			action = portal.EventResubmitted
		}
		submitted := saved
		submitted.Status = portal.ReportSubmitted
		if err := tx.QueryRow(ctx, `
			UPDATE reports SET status = 'submitted', submitted_at = $2, declared_by = $3,
			       version = version + 1, updated_at = now()
			WHERE id = $1
			RETURNING submitted_at, coalesce(declared_by, 0), version, updated_at`,
			saved.ID, now, nullIfZero(a.UserID)).Scan(
			&submitted.SubmittedAt, &submitted.DeclaredBy, &submitted.Version, &submitted.UpdatedAt); err != nil {
			return fmt.Errorf("submit report %d: %w", saved.ID, err)
		}
		content := saved.ReportContent
		if err := addReportEvent(ctx, tx, portal.ReportEvent{ReportID: saved.ID, ActorID: a.UserID, Action: action,
			Snapshot: &content}); err != nil {
			return err
		}
		kind, occasion := portal.NotifyReportSubmitted, ""
		if action == portal.EventResubmitted {
			kind, occasion = portal.NotifyReportResubmitted, portal.VersionOccasion(submitted.Version)
		}
		if err := notifyReport(ctx, tx, submitted, kind, occasion); err != nil {
			return err
		}
		out = submitted
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditReportSubmitted, ObjectType: portal.AuditObjectReport, ObjectID: saved.ID, NGOID: ngoID,
			Changes: map[string]portal.Change{"status": {Before: string(saved.Status), After: string(portal.ReportSubmitted)}},
		})
	})
	switch {
	case err != nil:
		return portal.Report{}, err
	case incomplete != nil:
		return out, incomplete
	}
	return out, nil
}

// ReportHistory returns the status history of report reportID, oldest
// first, with the actors' e-mail addresses. Not scoped to an NGO: a staff
// page reads the report with ReportFor first and passes its id.
func (db *DB) ReportHistory(ctx context.Context, reportID int64) ([]portal.ReportEvent, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT e.id, e.report_id, e.at, coalesce(e.actor_id, 0), coalesce(u.email::text, ''), e.action,
		       e.comment, e.section_comments, e.snapshot
		FROM report_events e LEFT JOIN users u ON u.id = e.actor_id
		WHERE e.report_id = $1
		ORDER BY e.at, e.id`, reportID)
	if err != nil {
		return nil, fmt.Errorf("history of report %d: %w", reportID, err)
	}
	events, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.ReportEvent, error) {
		var e portal.ReportEvent
		var sections, snapshot []byte
		if err := row.Scan(&e.ID, &e.ReportID, &e.At, &e.ActorID, &e.ActorEmail, &e.Action, &e.Comment,
			&sections, &snapshot); err != nil {
			return e, err
		}
		if err := json.Unmarshal(sections, &e.SectionComments); err != nil {
			return e, err
		}
		if snapshot != nil {
			e.Snapshot = &portal.ReportContent{}
			if err := json.Unmarshal(snapshot, e.Snapshot); err != nil {
				return e, err
			}
		}
		return e, nil
	})
	if err != nil {
		return nil, fmt.Errorf("history of report %d: %w", reportID, err)
	}
	return events, nil
}

// ReportLabels loads what the rows of a cycle's reports refer to: every
// theme and key project, retired or not, and the requests of the session
// (0 when the cycle has none).
func (db *DB) ReportLabels(ctx context.Context, sessionID int64) (portal.ReportLabels, error) {
	l, err := termLabels(ctx, db.pool)
	if err != nil || sessionID == 0 {
		return l, err
	}
	reqs, err := db.ListRequests(ctx, sessionID)
	if err != nil {
		return l, err
	}
	for _, q := range reqs {
		l.Requests[q.ID] = q
	}
	return l, nil
}

// termLabels returns labels holding every theme and key project, retired
// or not, and no request yet.
func termLabels(ctx context.Context, q querier) (portal.ReportLabels, error) {
	l := portal.ReportLabels{Themes: map[int64]portal.Theme{}, Projects: map[int64]portal.KeyProject{},
		Requests: map[int64]portal.Request{}}
	for kind, into := range map[portal.VocabularyKind]map[int64]portal.Term{
		portal.KindTheme: l.Themes, portal.KindProject: l.Projects} {
		terms, err := listTerms(ctx, q, kind, false)
		if err != nil {
			return l, err
		}
		for _, t := range terms {
			into[t.ID] = t
		}
	}
	return l, nil
}
