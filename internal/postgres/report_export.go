package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/export"
	"ngoportal/internal/portal"
)

// CycleExport reads what the admin's exports of cycle cycleID hold: every
// report submitted at least once (export.ExportedStatuses), NGO by NGO in
// Chinese name order (pinyin), with its activities, media work and plan items as
// they stand, and the names those rows refer to (ErrNotFound when there is
// no such cycle). One query per table, whatever the number of reports, in
// one read-only repeatable-read transaction so that the files agree with
// each other.
func (db *DB) CycleExport(ctx context.Context, cycleID int64) (export.CycleData, error) {
	statuses := make([]string, len(export.ExportedStatuses))
	for i, s := range export.ExportedStatuses {
		statuses[i] = string(s)
	}
	d, err := readExport(ctx, db, cycleID, `r.cycle_id = $1 AND r.status = ANY($2)`, cycleID, statuses)
	if err != nil {
		return export.CycleData{}, fmt.Errorf("export of cycle %d: %w", cycleID, err)
	}
	return d, nil
}

// ReportExport reads report reportID of NGO ngoID for the NGO's own
// workbook, whatever its status: another NGO's report is ErrNotFound. The
// NGO is the signed-in user's, never the URL's.
func (db *DB) ReportExport(ctx context.Context, ngoID, reportID int64) (export.CycleData, error) {
	var cycleID int64
	err := db.pool.QueryRow(ctx, `SELECT cycle_id FROM reports WHERE id = $1 AND ngo_id = $2`, reportID, ngoID).Scan(&cycleID)
	if err != nil {
		return export.CycleData{}, fmt.Errorf("export of report %d of NGO %d: %w", reportID, ngoID, translate(err))
	}
	d, err := readExport(ctx, db, cycleID, `r.id = $1 AND r.ngo_id = $2`, reportID, ngoID)
	if err != nil {
		return export.CycleData{}, fmt.Errorf("export of report %d of NGO %d: %w", reportID, ngoID, err)
	}
	if len(d.Reports) != 1 {
		return export.CycleData{}, fmt.Errorf("export of report %d of NGO %d: %w", reportID, ngoID, portal.ErrNotFound)
	}
	return d, nil
}

// readExport reads cycle cycleID and the reports matching where (on
// reports r, with args), each with its rows, and the labels.
func readExport(ctx context.Context, db *DB, cycleID int64, where string, args ...any) (export.CycleData, error) {
	d := export.CycleData{CycleID: cycleID}
	err := db.readSnapshot(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT review_year, plan_year FROM reporting_cycles WHERE id = $1`, cycleID).
			Scan(&d.ReviewYear, &d.PlanYear); err != nil {
			return translate(err)
		}
		byID, err := exportReports(ctx, tx, &d, where, args)
		if err != nil {
			return err
		}
		if err := exportActivities(ctx, tx, byID, where, args); err != nil {
			return err
		}
		if err := exportMedia(ctx, tx, byID, where, args); err != nil {
			return err
		}
		if err := exportPlanItems(ctx, tx, byID, where, args); err != nil {
			return err
		}
		d.Labels, err = exportLabels(ctx, tx, where, args)
		return err
	})
	return d, err
}

// exportReports reads the reports and returns each by id (pointing into
// d.Reports, which is not grown after).
func exportReports(ctx context.Context, tx pgx.Tx, d *export.CycleData, where string, args []any) (map[int64]*export.Report, error) {
	rows, err := tx.Query(ctx, `
		SELECT r.id, r.cycle_id, r.ngo_id, r.status, r.highlight, r.legal_representative,
		       r.submitted_at, r.accepted_at, n.slug, n.name_zh, n.name_en
		FROM reports r JOIN ngos n ON n.id = r.ngo_id
		WHERE `+where+`
		ORDER BY n.name_zh, n.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	d.Reports, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (export.Report, error) {
		var r export.Report
		var submitted, accepted *time.Time
		err := row.Scan(&r.ID, &r.CycleID, &r.NGOID, &r.Status, &r.Highlight, &r.LegalRepresentative,
			&submitted, &accepted, &r.NGOSlug, &r.NGONameZH, &r.NGONameEN)
		if submitted != nil {
			r.SubmittedAt = *submitted
		}
		if accepted != nil {
			r.AcceptedAt = *accepted
		}
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	byID := make(map[int64]*export.Report, len(d.Reports))
	for i := range d.Reports {
		byID[d.Reports[i].ID] = &d.Reports[i]
	}
	return byID, nil
}

// exportActivities reads the activities of the reports, each report's in
// its order.
func exportActivities(ctx context.Context, tx pgx.Tx, byID map[int64]*export.Report, where string, args []any) error {
	return exportRows(ctx, tx, byID, "activities", `
		SELECT a.report_id, `+activityColumns+`
		FROM report_activities a JOIN reports r ON r.id = a.report_id
		WHERE `+where+`
		ORDER BY a.report_id, a.position`, args, activityScanArgs,
		func(r *export.Report, a portal.Activity) { r.Activities = append(r.Activities, a) })
}

// exportMedia reads the media work of the reports.
func exportMedia(ctx context.Context, tx pgx.Tx, byID map[int64]*export.Report, where string, args []any) error {
	return exportRows(ctx, tx, byID, "media", `
		SELECT m.report_id, `+mediaColumns+`
		FROM report_media m JOIN reports r ON r.id = m.report_id
		WHERE `+where+`
		ORDER BY m.report_id, m.position`, args, mediaScanArgs,
		func(r *export.Report, m portal.MediaWork) { r.Media = append(r.Media, m) })
}

// exportPlanItems reads the plan items of the reports with their themes
// and the requests they answer.
func exportPlanItems(ctx context.Context, tx pgx.Tx, byID map[int64]*export.Report, where string, args []any) error {
	return exportRows(ctx, tx, byID, "plan items", `
		SELECT p.report_id, `+planItemColumns+`
		FROM report_plan_items p JOIN reports r ON r.id = p.report_id
		WHERE `+where+`
		ORDER BY p.report_id, p.position`, args, planItemScanArgs,
		func(r *export.Report, p portal.PlanItem) { r.PlanItems = append(r.PlanItems, p) })
}

// exportRows runs query, whose first column is the report id and the rest
// what scanArgs scans, and hands each row to add with its report.
func exportRows[T any](ctx context.Context, tx pgx.Tx, byID map[int64]*export.Report, what, query string, args []any,
	scanArgs func(*T) []any, add func(r *export.Report, row T)) error {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	var reportID int64
	var row T
	_, err = pgx.ForEachRow(rows, append([]any{&reportID}, scanArgs(&row)...), func() error {
		add(byID[reportID], row)
		// The next row scans into slices of its own, not into the ones
		// just handed on.
		var zero T
		row = zero
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// exportLabels reads every theme and key project (retired ones too) and
// the requests the plan items of the reports answer.
func exportLabels(ctx context.Context, tx pgx.Tx, where string, args []any) (portal.ReportLabels, error) {
	l, err := termLabels(ctx, tx)
	if err != nil {
		return l, err
	}
	reqs, err := answeredRequests(ctx, tx, where, args...)
	if err != nil {
		return l, err
	}
	for _, q := range reqs {
		l.Requests[q.ID] = portal.Request{ID: q.ID, SessionID: q.SessionID, Number: q.Number, TextZH: q.TextZH, TextEN: q.TextEN}
	}
	return l, nil
}

// ReportsExport describes one download of report data for the audit log:
// the cycle (the audited object), the NGO and report for a staff member's
// own workbook (0 for the admin's exports), the file's name and format
// and how many reports it held.
type ReportsExport struct {
	CycleID  int64
	NGOID    int64
	ReportID int64
	File     string
	Format   string
	Reports  int
}

// RecordReportsExport writes the audit row of one export.
func (db *DB) RecordReportsExport(ctx context.Context, a portal.Actor, e ReportsExport) error {
	changes := map[string]portal.Change{
		"file":    {After: e.File},
		"format":  {After: e.Format},
		"reports": {After: e.Reports},
	}
	if e.ReportID != 0 {
		changes["report_id"] = portal.Change{After: e.ReportID}
	}
	return writeAudit(ctx, db.pool, a, portal.AuditEvent{
		Action: portal.AuditReportsExported, ObjectType: portal.AuditObjectCycle, ObjectID: e.CycleID,
		NGOID: e.NGOID, Changes: changes,
	})
}
