package postgres_test

import (
	"os"
	"reflect"
	"testing"
	"time"

	"ngoportal/internal/pgtest"
	"ngoportal/internal/portal"
)

// trendsNow is when the trends tests judge on-time standing: every
// deadline has passed but NGO B's extension in the 2022 cycle.
var trendsNow = time.Date(2023, 6, 1, 12, 0, 0, 0, portal.FederationZone)

// newTrendsDB is an empty migrated database with testdata/trends_fixture.sql
// loaded.
func newTrendsDB(t *testing.T) testDB {
	t.Helper()
	d := testDB{db: pgtest.New(t)}
	fixture, err := os.ReadFile("testdata/trends_fixture.sql")
	if err != nil {
		t.Fatal(err)
	}
	// No arguments: pgx sends it as one simple-protocol batch on one
	// connection, so its pg_temp helpers live as long as it runs.
	d.exec(t, string(fixture))
	return d
}

// trendsWant is the fixture's figures, worked out by hand from the
// comments of testdata/trends_fixture.sql.
func trendsWant(ids []int64) portal.Trends {
	kinds := func(kv ...any) map[portal.ActivityKind]int {
		m := map[portal.ActivityKind]int{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(portal.ActivityKind)] = kv[i+1].(int)
		}
		return m
	}
	modes := func(kv ...any) map[portal.ActivityMode]int {
		m := map[portal.ActivityMode]int{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(portal.ActivityMode)] = kv[i+1].(int)
		}
		return m
	}
	return portal.Trends{Cycles: []portal.CycleTrend{
		{
			CycleID: ids[0], ReviewYear: 2020, PlanYear: 2021, Status: portal.CycleClosed,
			Accepted: 3, Activities: 5,
			ActivitiesByKind: kinds(portal.KindLecture, 3, portal.KindTraining, 1, portal.KindService, 1),
			ActivitiesByMode: modes(portal.ModeOnline, 2, portal.ModeOffline, 2, portal.ModeHybrid, 1),
			PeopleReached:    105, WomenReached: 88,
			// A and D present of A, B, C, D (E's invitation withdrawn).
			Attendance: portal.Rate{Num: 2, Den: 4, Known: true},
			// A (23:00 on the day), B (extension), C (first submission) of A, B, C, D.
			OnTime: portal.Rate{Num: 3, Den: 4, Known: true},
			// p1 done, p2 partly, p3 blank, p4 not accepted, p5 (addendum) done.
			Plan: portal.OutcomeCounts{Done: 2, Partly: 1, NotReported: 2}, PlanKnown: true,
		},
		{
			CycleID: ids[1], ReviewYear: 2021, PlanYear: 2022, Status: portal.CycleClosed,
			Accepted: 2, Activities: 3,
			ActivitiesByKind: kinds(portal.KindCampaign, 1, portal.KindOther, 2),
			ActivitiesByMode: modes(portal.ModeOnline, 3),
			PeopleReached:    120, WomenReached: 70,
			// No session: no attendance. Only A on time of A, B, C.
			OnTime: portal.Rate{Num: 1, Den: 3, Known: true},
			// 2022 has no accepted report: q1's outcome is not known yet.
		},
		{
			CycleID: ids[2], ReviewYear: 2022, PlanYear: 2023, Status: portal.CycleOpen,
			ActivitiesByKind: kinds(), ActivitiesByMode: modes(),
			// Session scheduled, not held: no attendance. C on time, A's
			// draft late; B's extension runs: not counted.
			OnTime: portal.Rate{Num: 1, Den: 2, Known: true},
		},
	}}
}

// TestTrendsFigures checks every figure of the fixture against the hand
// count, and the cases it was built for.
func TestTrendsFigures(t *testing.T) {
	t.Parallel()
	d := newTrendsDB(t)
	ids := d.ids(t, `SELECT id FROM reporting_cycles WHERE status <> 'draft' ORDER BY review_year`)
	got, err := d.db.Trends(t.Context(), trendsNow)
	if err != nil {
		t.Fatal(err)
	}
	want := trendsWant(ids)
	if len(got.Cycles) != len(want.Cycles) {
		t.Fatalf("got %d cycles, want %d (drafts left out)", len(got.Cycles), len(want.Cycles))
	}
	for i := range want.Cycles {
		if !reflect.DeepEqual(got.Cycles[i], want.Cycles[i]) {
			t.Errorf("cycle %d:\n got %+v\nwant %+v", want.Cycles[i].ReviewYear, got.Cycles[i], want.Cycles[i])
		}
	}

	t.Run("GapsHaveNoValue", func(t *testing.T) {
		if _, ok := got.Cycles[1].Attendance.Value(); ok {
			t.Error("attendance without a session has a value")
		}
		if _, ok := got.Cycles[2].Attendance.Value(); ok {
			t.Error("attendance of a session not held has a value")
		}
		if _, ok := got.Cycles[1].Completion().Value(); ok {
			t.Error("plan completion whose next cycle has no accepted report has a value")
		}
		if p, ok := got.Cycles[0].Completion().Percent(); !ok || p != 40 {
			t.Errorf("plan completion of 2020 = %d%% %v, want 40%%", p, ok)
		}
	})

	t.Run("ExtensionEnded", func(t *testing.T) {
		// Once B's extension is over, B counts, not on time.
		later, err := d.db.Trends(t.Context(), time.Date(2024, 1, 1, 0, 0, 0, 0, portal.FederationZone))
		if err != nil {
			t.Fatal(err)
		}
		if r := later.Cycles[2].OnTime; r != (portal.Rate{Num: 1, Den: 3, Known: true}) {
			t.Errorf("2022 on time after B's extension = %+v, want 1/3", r)
		}
	})
}

// TestTrendsEmpty: no cycles, no figures, no error.
func TestTrendsEmpty(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	got, err := db.Trends(t.Context(), trendsNow)
	if err != nil || len(got.Cycles) != 0 {
		t.Fatalf("Trends on an empty database = %+v, %v; want no cycles", got, err)
	}
}

// TestTrendsStatementCount: the page costs the same statements with one
// cycle as with three, whatever the number of NGOs.
func TestTrendsStatementCount(t *testing.T) {
	t.Parallel()
	d := newTrendsDB(t)
	log := &statementLog{}
	traced := pgtest.Traced(t, d.db, log)

	count := func() int {
		log.take()
		if _, err := traced.Trends(t.Context(), trendsNow); err != nil {
			t.Fatal(err)
		}
		return len(log.take())
	}
	three := count()
	d.exec(t, `UPDATE reporting_cycles SET status = 'draft' WHERE review_year IN (2021, 2022)`)
	one := count()
	if three != one {
		t.Errorf("%d statements with three cycles, %d with one: want the same", three, one)
	}
	if want := 7; three != want { // BEGIN, five aggregates, COMMIT
		t.Errorf("%d statements, want %d", three, want)
	}
}
