package postgres_test

import (
	"context"
	"testing"

	"ngoportal/internal/password"
	"ngoportal/internal/pgtest"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// snapshot reads every seeded row in a stable order, timestamps included, so
// that any change at all between two runs shows.
func snapshot(t *testing.T, ctx context.Context, db *postgres.DB) []string {
	t.Helper()
	rows, err := db.Pool().Query(ctx, `
		SELECT 'ngo ' || row_to_json(n)::text FROM ngos n
		UNION ALL SELECT 'official ' || row_to_json(o)::text FROM officials o
		UNION ALL SELECT 'cycle ' || row_to_json(c)::text FROM reporting_cycles c
		UNION ALL SELECT 'session ' || row_to_json(s)::text FROM sessions s
		UNION ALL SELECT 'present ' || row_to_json(p)::text FROM session_officials p
		UNION ALL SELECT 'user ' || row_to_json(u)::text FROM users u
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSeedDemo(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db := pgtest.New(t)

	if err := db.SeedDemo(ctx); err != nil {
		t.Fatalf("first seed: %v", err)
	}
	first := snapshot(t, ctx, db)

	var ngos, active, officials int
	if err := db.Pool().QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE active) FROM ngos`).Scan(&ngos, &active); err != nil {
		t.Fatal(err)
	}
	if ngos != 18 || active != 18 {
		t.Errorf("seeded %d NGOs (%d active), want 18", ngos, active)
	}
	if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM officials`).Scan(&officials); err != nil {
		t.Fatal(err)
	}
	if officials != 3 {
		t.Errorf("seeded %d officials, want 3", officials)
	}

	var admins, staff, staffOfDistinctNGOs int
	if err := db.Pool().QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE role = 'admin'), count(*) FILTER (WHERE role = 'staff'),
		       count(DISTINCT ngo_id) FILTER (WHERE role = 'staff')
		FROM users WHERE status = 'active'`).Scan(&admins, &staff, &staffOfDistinctNGOs); err != nil {
		t.Fatal(err)
	}
	if admins != 1 || staff != 18 || staffOfDistinctNGOs != 18 {
		t.Errorf("demo accounts: %d admins, %d staff of %d NGOs; want 1, 18, 18", admins, staff, staffOfDistinctNGOs)
	}
	var firstSlug string
	if err := db.Pool().QueryRow(ctx, `SELECT n.slug FROM users u JOIN ngos n ON n.id = u.ngo_id WHERE u.email = 'ngo01@example.org'`).Scan(&firstSlug); err != nil || firstSlug != "women-entrepreneurship" {
		t.Errorf("ngo01@example.org belongs to %q (%v), want the first demo NGO", firstSlug, err)
	}
	u, mayIn, err := db.SignInUser(ctx, postgres.DemoAdminEmail)
	if err != nil || !mayIn || u.Role != portal.RoleAdmin {
		t.Fatalf("demo admin: %+v %v %v", u, mayIn, err)
	}
	if ok, err := password.Verify(postgres.DemoPassword, u.PasswordHash); !ok || err != nil {
		t.Errorf("the demo password does not open the demo admin account: %v", err)
	}

	s, err := db.LatestHeldSession(ctx)
	if err != nil {
		t.Fatalf("LatestHeldSession: %v", err)
	}
	if got := s.HeldOn.Format("2006-01-02"); got != "2021-01-19" {
		t.Errorf("session held on %s, want 2021-01-19", got)
	}
	if s.Level != portal.LevelMunicipal || s.Status != portal.SessionHeld || s.ReviewYear != 2020 || s.PlanYear != 2021 {
		t.Errorf("session = %+v", s.Session)
	}
	var names []string
	for _, o := range s.Officials {
		names = append(names, string(o.Position)+":"+o.NameEN)
	}
	want := []string{"chairperson:Xu Feng", "vice_chairperson:Weng Wenlei", "vice_chairperson:Wang Jianzhang"}
	if len(names) != len(want) {
		t.Fatalf("officials present = %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Errorf("official %d = %s, want %s", i, names[i], want[i])
		}
	}

	if err := db.SeedDemo(ctx); err != nil {
		t.Fatalf("second seed: %v", err)
	}
	second := snapshot(t, ctx, db)
	if len(first) != len(second) {
		t.Fatalf("second seed changed the row count: %d → %d", len(first), len(second))
	}
	for i := range first {
		if first[i] != second[i] {
			t.Errorf("second seed changed a row:\n before %s\n after  %s", first[i], second[i])
		}
	}
}

func TestLatestHeldSessionNone(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	if _, err := db.LatestHeldSession(t.Context()); !errorsIs(err, portal.ErrNotFound) {
		t.Errorf("empty database: err = %v, want ErrNotFound", err)
	}
}
