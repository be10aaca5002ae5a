package postgres

import (
	"context"
	"fmt"

	"ngoportal/internal/portal"
)

// ReportByID returns report id with every section, whichever NGO it
// belongs to; ErrNotFound when there is none. For the federation's review
// pages only: staff pages read through ReportFor with their own NGO.
func (db *DB) ReportByID(ctx context.Context, id int64) (portal.Report, error) {
	r, err := loadReport(ctx, db.pool, false, `r.id = $1`, id)
	if err != nil {
		return portal.Report{}, fmt.Errorf("report %d: %w", id, err)
	}
	return r, nil
}
