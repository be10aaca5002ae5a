package postgres_test

import (
	"fmt"
	"reflect"
	"testing"

	"ngoportal/internal/pgtest"
	"ngoportal/internal/portal"
	"ngoportal/internal/scale"
)

// TestCycleIndicatorsPage: the figures read from report_figures and
// cycle_figures, page by page, are those CycleIndicators aggregates from the
// reports' rows, before and after rows of an accepted report change and a
// report is accepted.
func TestCycleIndicatorsPage(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := t.Context()
	if _, err := scale.Seed(ctx, db, scale.Options{NGOs: 12, Years: 3}); err != nil {
		t.Fatal(err)
	}
	var cycles []int64
	rows, err := db.Pool().Query(ctx, `SELECT id FROM reporting_cycles ORDER BY review_year`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		cycles = append(cycles, id)
	}
	if err := rows.Err(); err != nil || len(cycles) != 3 {
		t.Fatalf("cycles %v: %v", cycles, err)
	}

	same := func(t *testing.T, cycle int64) {
		t.Helper()
		want, err := db.CycleIndicators(ctx, cycle)
		if err != nil {
			t.Fatal(err)
		}
		for _, english := range []bool{false, true} {
			got := portal.Indicators{}
			for offset := 0; ; offset += 5 {
				page, err := db.CycleIndicatorsPage(ctx, cycle, english, offset, 5)
				if err != nil {
					t.Fatal(err)
				}
				if offset == 0 {
					got = page
					continue
				}
				if len(page.NGOs) == 0 {
					break
				}
				got.NGOs = append(got.NGOs, page.NGOs...)
			}
			if english {
				portal.SortByName(want.NGOs, true, func(n portal.NGOIndicators) string { return n.NGONameZH },
					func(n portal.NGOIndicators) string { return n.NGONameEN })
			}
			if !reflect.DeepEqual(emptyNil(want), emptyNil(got)) {
				t.Errorf("cycle %d, english %v: pages differ from CycleIndicators:\nwant %s\ngot  %s", cycle, english, dump(want), dump(got))
			}
		}
	}
	t.Run("OKSeeded", func(t *testing.T) {
		for _, c := range cycles {
			same(t, c)
		}
	})
	t.Run("OKRowsOfAnAcceptedReportChange", func(t *testing.T) {
		for _, sql := range []string{
			`DELETE FROM report_activities WHERE id IN (SELECT min(id) FROM report_activities GROUP BY report_id LIMIT 7)`,
			`UPDATE report_activities SET people_reached = people_reached + 5, kind = 'other' WHERE position = 3`,
			`DELETE FROM report_plan_item_themes WHERE plan_item_id IN (SELECT id FROM report_plan_items WHERE position = 4)`,
			`DELETE FROM report_plan_item_requests WHERE plan_item_id IN (SELECT id FROM report_plan_items WHERE position = 2)`,
			`UPDATE report_media SET reads = reads * 2 WHERE channel = 'weibo'`,
			`DELETE FROM report_progress WHERE report_id IN (SELECT max(id) FROM reports);
			 DELETE FROM report_request_answers WHERE report_id IN (SELECT max(id) FROM reports);
			 DELETE FROM report_events WHERE report_id IN (SELECT max(id) FROM reports);
			 DELETE FROM reports WHERE id IN (SELECT max(id) FROM reports)`,
			`UPDATE reports SET status = 'returned', accepted_at = NULL WHERE id IN (SELECT min(id) FROM reports)`,
		} {
			if _, err := db.Pool().Exec(ctx, sql); err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
		}
		for _, c := range cycles {
			same(t, c)
		}
	})
	t.Run("OKAccepted", func(t *testing.T) {
		if _, err := db.Pool().Exec(ctx, `UPDATE reports SET status = 'accepted', accepted_at = now() WHERE status = 'returned'`); err != nil {
			t.Fatal(err)
		}
		for _, c := range cycles {
			same(t, c)
		}
	})
}

// emptyNil makes the empty lists of ind nil, so that an empty list and no
// list compare equal.
func emptyNil(ind portal.Indicators) portal.Indicators {
	if len(ind.NGOs) == 0 {
		ind.NGOs = nil
	}
	if len(ind.Requests) == 0 {
		ind.Requests = nil
	}
	return ind
}

func dump(ind portal.Indicators) string {
	s := fmt.Sprintf("%d NGOs, total %+v, requests %+v", ind.NGOCount, ind.Total, ind.Requests)
	for _, n := range ind.NGOs {
		s += fmt.Sprintf("\n  %d %s %+v", n.NGOID, n.NGONameEN, n.IndicatorSet)
	}
	return s
}

// TestCycleBoardCounts: the counts are those of CycleBoard's rows, also
// with inactive NGOs, with a report in the cycle (on the board) and
// without (not on it).
func TestCycleBoardCounts(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := t.Context()
	if _, err := scale.Seed(ctx, db, scale.Options{NGOs: 12, Years: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, `
		UPDATE ngos SET active = false WHERE id IN (SELECT id FROM ngos ORDER BY id LIMIT 3)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, `
		INSERT INTO ngos (slug, name_zh, name_en, active) VALUES ('board-gone', '已停用机构', 'Gone NGO', false)`); err != nil {
		t.Fatal(err)
	}
	statuses := []portal.ReportStatus{portal.ReportSubmitted, portal.ReportReturned, portal.ReportAccepted}
	rows, err := db.Pool().Query(ctx, `SELECT id FROM reporting_cycles ORDER BY review_year`)
	if err != nil {
		t.Fatal(err)
	}
	var cycles []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		cycles = append(cycles, id)
	}
	if err := rows.Err(); err != nil || len(cycles) != 2 {
		t.Fatalf("cycles %v: %v", cycles, err)
	}
	for _, c := range cycles {
		board, err := db.CycleBoard(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, b := range board {
			for _, s := range statuses {
				if b.Status == s {
					want++
				}
			}
		}
		onBoard, in, err := db.CycleBoardCounts(ctx, c, statuses)
		if err != nil {
			t.Fatal(err)
		}
		if onBoard != len(board) || in != want || onBoard != 12 {
			t.Errorf("cycle %d: counts %d, %d; board %d rows, %d in %v (want 12 on the board)", c, onBoard, in, len(board), want, statuses)
		}
	}
}
