package postgres_test

import (
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// users.role admits the reviewer (migration 00026), who like an admin
// belongs to no NGO, and nothing else new.
func TestReviewerRoleConstraint(t *testing.T) {
	t.Parallel()
	d := newDemoDB(t)
	ngo := d.id(t, `SELECT min(id) FROM ngos`)
	insert := func(email, role string, ngoID any) error {
		_, err := d.db.Pool().Exec(t.Context(), `INSERT INTO users (email, name, role, ngo_id) VALUES ($1, '审阅员', $2, $3)`,
			email, role, ngoID)
		return err
	}
	if err := insert("ok-reviewer@example.org", "reviewer", nil); err != nil {
		t.Fatalf("a reviewer without an NGO: %v", err)
	}
	for _, tc := range []struct {
		name, role string
		ngo        any
	}{
		{"ErrReviewerWithNGO", "reviewer", ngo},
		{"ErrUnknownRole", "owner", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var pgErr *pgconn.PgError
			if err := insert(tc.name+"@example.org", tc.role, tc.ngo); !errors.As(err, &pgErr) || pgErr.Code != "23514" {
				t.Errorf("insert %s: %v, want a check violation", tc.role, err)
			}
		})
	}
}
