package demo_test

import (
	"testing"

	"ngoportal/internal/demo"
)

func TestSeedCycles(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db, first := seeded(t)

	themes, err := db.ListThemes(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	wantThemes := [][2]string{
		{"抗击疫情", "Epidemic response"}, {"女性职业发展", "Women's career development"},
		{"新媒体宣传倡导", "New-media advocacy"}, {"庆祝建党100周年", "The CPC's 100th anniversary"},
		{"长三角一体化", "Yangtze River Delta integration"}, {"线上线下主题活动", "Online and offline themed activities"},
	}
	if len(themes) != len(wantThemes) {
		t.Fatalf("%d themes, want %d", len(themes), len(wantThemes))
	}
	for i, w := range wantThemes {
		th := themes[i]
		if th.NameZH != w[0] || th.NameEN != w[1] || th.Position != i+1 || !th.Active || th.DescriptionZH == "" || th.DescriptionEN == "" {
			t.Errorf("theme %d = %+v, want %v at position %d, active, described", i+1, th, w, i+1)
		}
	}
	projects, err := db.ListKeyProjects(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(projects) < 3 || len(projects) > 4 {
		t.Errorf("%d key projects, want 3 or 4", len(projects))
	}
	for i, p := range projects {
		if p.Position != i+1 || p.NameZH == "" || p.NameEN == "" || !p.Active {
			t.Errorf("key project %d = %+v", i+1, p)
		}
	}

	var slug, reason string
	var year, n int
	if err := db.Pool().QueryRow(ctx, `
		SELECT n.slug, c.review_year, e.reason, (SELECT count(*) FROM cycle_extensions)
		FROM cycle_extensions e JOIN ngos n ON n.id = e.ngo_id JOIN reporting_cycles c ON c.id = e.cycle_id`).Scan(&slug, &year, &reason, &n); err != nil {
		t.Fatal(err)
	}
	var sixth string
	if err := db.Pool().QueryRow(ctx, `SELECT n.slug FROM users u JOIN ngos n ON n.id = u.ngo_id WHERE u.email = $1`, demo.StaffEmail(6)).Scan(&sixth); err != nil {
		t.Fatal(err)
	}
	if n != 1 || slug != sixth || year != 2026 || reason == "" {
		t.Errorf("extensions: %d, of %s in %d with reason %q; want one, of the 6th demo NGO (%s) in 2026, with a reason", n, slug, year, reason, sixth)
	}

	wantReseedSame(t, db, first)
}
