package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// DeletePlanItems deletes plan items ids as the removal of addendum items
// does: releaseProgressRows first, then the items, in one transaction.
// For the tests of the package postgres_test.
func (db *DB) DeletePlanItems(ctx context.Context, a portal.Actor, ids []int64) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		if err := releaseProgressRows(ctx, tx, a, ids); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM report_plan_items WHERE id = ANY($1)`, ids); err != nil {
			return fmt.Errorf("delete plan items %v: %w", ids, err)
		}
		return nil
	})
}
