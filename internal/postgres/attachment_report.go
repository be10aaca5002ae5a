package postgres

import (
	"context"
	"fmt"

	"ngoportal/internal/portal"
)

// ReportHeaderForNGO returns report id of NGO ngoID without its section
// rows (status, cycle, review year, deadline: what the attachments page
// needs); another NGO's report is ErrNotFound.
func (db *DB) ReportHeaderForNGO(ctx context.Context, ngoID, id int64) (portal.Report, error) {
	r, err := reportHeader(ctx, db.pool, false, `r.id = $1 AND r.ngo_id = $2`, id, ngoID)
	if err != nil {
		return portal.Report{}, fmt.Errorf("report %d of NGO %d: %w", id, ngoID, err)
	}
	return r, nil
}
