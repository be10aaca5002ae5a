package demo_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/demo"
	"ngoportal/internal/password"
	"ngoportal/internal/pgtest"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// snapshot reads every row of every table the application owns (all but
// goose's bookkeeping and the append-only audit log), in a stable order,
// timestamps included, so that any change at all between two seed runs
// shows — also in tables added later.
func snapshot(t *testing.T, ctx context.Context, db *postgres.DB) []string {
	t.Helper()
	rows, err := db.Pool().Query(ctx, `
		SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
		  AND table_name NOT IN ('goose_db_version', 'audit_log')
		ORDER BY table_name`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) < 10 {
		t.Fatalf("only %d tables found: %v", len(tables), tables)
	}
	var out []string
	for _, table := range tables {
		id := pgx.Identifier{table}.Sanitize()
		rows, err := db.Pool().Query(ctx, `SELECT row_to_json(t)::text FROM `+id+` t ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		values, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range values {
			out = append(out, table+" "+v)
		}
	}
	return out
}

// seeded returns a database of the test's own with the demo loaded, and
// its snapshot.
func seeded(t *testing.T) (*postgres.DB, []string) {
	t.Helper()
	db := pgtest.New(t)
	if err := demo.Seed(t.Context(), db); err != nil {
		t.Fatalf("first seed: %v", err)
	}
	return db, snapshot(t, t.Context(), db)
}

// wantReseedSame seeds db again and fails for every row that differs from
// the snapshot before.
func wantReseedSame(t *testing.T, db *postgres.DB, before []string) {
	t.Helper()
	if err := demo.Seed(t.Context(), db); err != nil {
		t.Fatalf("seed again: %v", err)
	}
	wantSameSnapshot(t, before, snapshot(t, t.Context(), db))
}

// wantSameSnapshot fails for every row that differs between two snapshots.
func wantSameSnapshot(t *testing.T, first, second []string) {
	t.Helper()
	if len(first) != len(second) {
		t.Fatalf("the row count changed: %d → %d", len(first), len(second))
	}
	for i := range first {
		if first[i] != second[i] {
			t.Errorf("a row changed:\n before %s\n after  %s", first[i], second[i])
		}
	}
}

func TestSeed(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db, first := seeded(t)

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
	// Every NGO has its focus areas (one English per Chinese) and address
	// in English too, so that the English directory is in English.
	var untranslated int
	if err := db.Pool().QueryRow(ctx, `
		SELECT count(*) FROM ngos
		WHERE cardinality(focus_areas_en) <> cardinality(focus_areas) OR cardinality(focus_areas) = 0
		   OR address_en = '' OR address_en ~ '[^ -~]'`).Scan(&untranslated); err != nil {
		t.Fatal(err)
	}
	if untranslated != 0 {
		t.Errorf("%d demo NGOs lack English focus areas or address", untranslated)
	}

	// The admin's display name reads in English on English pages.
	var adminEN string
	if err := db.Pool().QueryRow(ctx, `SELECT name_en FROM users WHERE email = $1`, demo.AdminEmail).Scan(&adminEN); err != nil {
		t.Fatal(err)
	}
	if adminEN == "" {
		t.Error("the demo admin has no English display name")
	}

	var admins, reviewers, staff, staffOfDistinctNGOs int
	if err := db.Pool().QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE role = 'admin'), count(*) FILTER (WHERE role = 'reviewer'),
		       count(*) FILTER (WHERE role = 'staff'), count(DISTINCT ngo_id) FILTER (WHERE role = 'staff')
		FROM users WHERE status = 'active'`).Scan(&admins, &reviewers, &staff, &staffOfDistinctNGOs); err != nil {
		t.Fatal(err)
	}
	if admins != 1 || reviewers != 1 || staff != 18 || staffOfDistinctNGOs != 18 {
		t.Errorf("demo accounts: %d admins, %d reviewers, %d staff of %d NGOs; want 1, 1, 18, 18", admins, reviewers, staff, staffOfDistinctNGOs)
	}
	// The reviewer signs in with the demo password, to the federation's
	// area, and is named in both languages.
	r, mayIn, err := db.SignInUser(ctx, demo.ReviewerEmail)
	if err != nil || !mayIn || r.Role != portal.RoleReviewer || r.NGOID != 0 {
		t.Fatalf("demo reviewer: %+v %v %v", r, mayIn, err)
	}
	if ok, err := password.Verify(demo.Password, r.PasswordHash); !ok || err != nil {
		t.Errorf("the demo password does not open the demo reviewer account: %v", err)
	}
	var reviewerZH, reviewerEN string
	if err := db.Pool().QueryRow(ctx, `SELECT name, name_en FROM users WHERE email = $1`, demo.ReviewerEmail).Scan(&reviewerZH, &reviewerEN); err != nil {
		t.Fatal(err)
	}
	if reviewerZH == "" || reviewerEN == "" {
		t.Errorf("the demo reviewer is named %q / %q, want both languages", reviewerZH, reviewerEN)
	}
	var firstSlug string
	if err := db.Pool().QueryRow(ctx, `SELECT n.slug FROM users u JOIN ngos n ON n.id = u.ngo_id WHERE u.email = 'ngo01@example.org'`).Scan(&firstSlug); err != nil || firstSlug != "women-entrepreneurship" {
		t.Errorf("ngo01@example.org belongs to %q (%v), want the first demo NGO", firstSlug, err)
	}
	u, mayIn, err := db.SignInUser(ctx, demo.AdminEmail)
	if err != nil || !mayIn || u.Role != portal.RoleAdmin {
		t.Fatalf("demo admin: %+v %v %v", u, mayIn, err)
	}
	if ok, err := password.Verify(demo.Password, u.PasswordHash); !ok || err != nil {
		t.Errorf("the demo password does not open the demo admin account: %v", err)
	}

	// The real session, and the invented one a year later as the latest
	// held.
	s, err := db.SessionDetail(ctx, sessionIDBySlug(t, db, "2021-municipal-leadership-session"))
	if err != nil {
		t.Fatalf("SessionDetail: %v", err)
	}
	if got := s.HeldOn.Format("2006-01-02"); got != "2021-01-19" {
		t.Errorf("session held on %s, want 2021-01-19", got)
	}
	if s.Level != portal.LevelMunicipal || s.Status != portal.SessionHeld || s.ReviewYear != 2020 || s.PlanYear != 2021 {
		t.Errorf("session = %+v", s.Session)
	}
	latest, err := db.LatestHeldSession(ctx)
	if err != nil {
		t.Fatalf("LatestHeldSession: %v", err)
	}
	if got := latest.HeldOn.Format("2006-01-02"); got != "2022-01-18" || latest.ReviewYear != 2021 {
		t.Errorf("latest held session on %s (cycle %d), want 2022-01-18 (2021)", got, latest.ReviewYear)
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

	wantReseedSame(t, db, first)
}
