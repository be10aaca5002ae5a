package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

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
