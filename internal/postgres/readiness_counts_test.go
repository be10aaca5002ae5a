package postgres_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// readinessCountsDrift lists, one line each, the kept readiness counts
// (migration 00017) that differ from a count of the rows they count: a
// report's plan items (and the cycle and NGO its count row copies), an
// invitation's named representatives (and its session and NGO); and the
// board's rows (migrations 00022 and 00029: with the NGOs' names) and
// answer counts (00022) that differ from their definitions,
// readiness_rows_of and request_answer_counts_of, over every pair of a
// session and an NGO invited to it or addressed by one of its requests;
// and the results' rows refreshed with the board's (resultMembersDrift).
// Empty when they all agree.
func readinessCountsDrift(t *testing.T, d testDB) []string {
	t.Helper()
	rows, err := d.db.Pool().Query(t.Context(), `
		SELECT 'report ' || coalesce(k.report_id, c.report_id) || ': kept ' || coalesce(k.plan_items, 0)
		       || ' plan items (cycle ' || coalesce(k.cycle_id, 0) || ', NGO ' || coalesce(k.ngo_id, 0)
		       || '), counted ' || coalesce(c.n, 0) || ' (cycle ' || coalesce(c.cycle_id, 0) || ', NGO ' || coalesce(c.ngo_id, 0) || ')'
		FROM (SELECT * FROM report_plan_item_counts WHERE plan_items <> 0) k
		FULL JOIN (
			SELECT r.id AS report_id, r.cycle_id, r.ngo_id, count(*) AS n
			FROM reports r JOIN report_plan_items p ON p.report_id = r.id
			GROUP BY r.id
		) c ON c.report_id = k.report_id
		WHERE (k.plan_items, k.cycle_id, k.ngo_id) IS DISTINCT FROM (c.n, c.cycle_id, c.ngo_id)
		UNION ALL
		SELECT 'invitation ' || coalesce(k.invitation_id, c.invitation_id) || ': kept ' || coalesce(k.named, 0)
		       || ' named representatives (session ' || coalesce(k.session_id, 0) || ', NGO ' || coalesce(k.ngo_id, 0)
		       || '), counted ' || coalesce(c.n, 0) || ' (session ' || coalesce(c.session_id, 0) || ', NGO ' || coalesce(c.ngo_id, 0) || ')'
		FROM (SELECT * FROM invitation_representative_counts WHERE named <> 0) k
		FULL JOIN (
			SELECT i.id AS invitation_id, i.session_id, i.ngo_id, count(*) AS n
			FROM invitations i JOIN representatives rp ON rp.invitation_id = i.id AND NOT rp.walk_in
			GROUP BY i.id
		) c ON c.invitation_id = k.invitation_id
		WHERE (k.named, k.session_id, k.ngo_id) IS DISTINCT FROM (c.n, c.session_id, c.ngo_id)
		UNION ALL
		SELECT 'readiness row of session ' || coalesce(k.session_id, c.session_id) || ', NGO ' || coalesce(k.ngo_id, c.ngo_id)
		       || ': kept ' || coalesce(k::text, 'none') || ', computed ' || coalesce(c::text, 'none')
		FROM readiness_rows k
		FULL JOIN readiness_rows_of((SELECT array_agg(session_id) FROM invitations), (SELECT array_agg(ngo_id) FROM invitations)) c
		  ON c.session_id = k.session_id AND c.ngo_id = k.ngo_id
		WHERE k::text IS DISTINCT FROM c::text
		UNION ALL
		SELECT 'answers of session ' || coalesce(k.session_id, c.session_id) || ', NGO ' || coalesce(k.ngo_id, c.ngo_id)
		       || ': kept ' || coalesce(k::text, 'none') || ', computed ' || coalesce(c::text, 'none')
		FROM request_answer_counts k
		FULL JOIN (
			SELECT f.* FROM (
				SELECT array_agg(p.s) AS s, array_agg(p.n) AS n FROM (
					SELECT session_id AS s, ngo_id AS n FROM invitations
					UNION SELECT q.session_id, rc.ngo_id FROM request_recipients rc JOIN session_requests q ON q.id = rc.request_id
				) p
			) a, request_answer_counts_of(a.s, a.n) f
		) c ON c.session_id = k.session_id AND c.ngo_id = k.ngo_id
		WHERE k::text IS DISTINCT FROM c::text`)
	if err != nil {
		t.Fatal(err)
	}
	drift, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return append(drift, resultMembersDrift(t, d.db)...)
}

// TestReadinessCountsFollowWrites: after each write that adds, removes or
// moves a plan item or a representative, through the portal where it
// writes them and as the portal's statements do elsewhere, the counts the
// readiness board reads equal those counted from the rows.
func TestReadinessCountsFollowWrites(t *testing.T) {
	t.Parallel()
	f := newWRFixture(t)
	ctx := t.Context()
	check := func(step string) {
		t.Helper()
		if drift := readinessCountsDrift(t, f.testDB); len(drift) > 0 {
			t.Fatalf("%s: the kept counts differ:\n%s", step, strings.Join(drift, "\n"))
		}
	}
	// The demo federation, seeded through the triggers, has counts to keep.
	if n := f.id(t, `SELECT (SELECT count(*) FROM report_plan_item_counts WHERE plan_items > 0)
		+ (SELECT count(*) FROM invitation_representative_counts WHERE named > 0)`); n == 0 {
		t.Fatal("the demo has no plan items or named representatives: the test would check nothing")
	}
	check("demo")

	// Plan items of a draft: saved, replaced by more, one removed, all removed.
	staff, ngo := f.staff(t, 1)
	r, err := f.db.StartReport(ctx, staff, f.cycle, ngo)
	if err != nil {
		t.Fatal(err)
	}
	check("report started")
	r = f.content(r, 2026)
	if r, err = f.db.SaveDraft(ctx, staff, ngo, r, r.Version); err != nil {
		t.Fatal(err)
	}
	check("draft saved with 2 plan items")
	r.PlanItems = append(r.PlanItems, portal.PlanItem{Title: "第三项"}, portal.PlanItem{Title: "第四项"})
	if r, err = f.db.SaveDraft(ctx, staff, ngo, r, r.Version); err != nil {
		t.Fatal(err)
	}
	check("draft saved with 4 plan items")
	if r, err = f.db.RemoveReportRow(ctx, staff, ngo, r.ID, "plan_items", 0, r.Version); err != nil {
		t.Fatal(err)
	}
	check("a plan item removed")
	r.PlanItems = nil
	if r, err = f.db.SaveDraft(ctx, staff, ngo, r, r.Version); err != nil {
		t.Fatal(err)
	}
	check("draft saved without plan items")
	r.PlanItems = []portal.PlanItem{{Title: "再计划"}}
	if _, err = f.db.SaveDraft(ctx, staff, ngo, r, r.Version); err != nil {
		t.Fatal(err)
	}
	check("draft saved with a plan item again")

	// An addendum's item (not counted), a plan item moved to another report
	// and to an addendum, a report moved to another NGO, reports deleted.
	other := f.id(t, `SELECT min(id) FROM reports WHERE id <> $1 AND EXISTS (SELECT 1 FROM report_plan_items WHERE report_id = reports.id)`, r.ID)
	addendum := f.id(t, `INSERT INTO plan_addenda (session_id, ngo_id) SELECT min(id), $1 FROM sessions RETURNING id`, ngo)
	f.exec(t, `INSERT INTO report_plan_items (addendum_id, position, title) VALUES ($1, 1, '补充')`, addendum)
	check("an addendum item added")
	f.exec(t, `UPDATE report_plan_items SET report_id = $1, position = 100 + position WHERE report_id = $2`, r.ID, other)
	check("a report's plan items moved to another report")
	f.exec(t, `UPDATE report_plan_items SET report_id = NULL, addendum_id = $1, position = 200 + position
		WHERE id = (SELECT min(id) FROM report_plan_items WHERE report_id = $2)`, addendum, r.ID)
	check("a plan item moved to an addendum")
	f.exec(t, `UPDATE report_plan_items SET title = title || '（改）' WHERE report_id = $1`, r.ID)
	check("plan items edited")
	_, ngo2 := f.staff(t, 2)
	f.exec(t, `UPDATE reports SET ngo_id = $2 WHERE id = $1`, r.ID, ngo2)
	check("a report moved to another NGO")
	f.exec(t, `DELETE FROM reports WHERE id = $1`, r.ID)
	check("a report deleted")
	f.exec(t, `DELETE FROM reports WHERE id IN (SELECT id FROM reports ORDER BY id LIMIT 3)`)
	check("three reports deleted at once")
	f.exec(t, `DELETE FROM report_plan_items WHERE addendum_id = $1`, addendum)
	check("addendum items deleted")

	// Representatives, as invitation.go and attendance.go write them: a
	// reply names them anew (the walk-ins stay), a walk-in is recorded,
	// attendance is taken, a second invitation resets them; and moves the
	// portal never makes.
	session := f.id(t, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status)
		VALUES ('rc-test', '计数测试', 'Counts test', 'municipal', '2027-03-01', 'scheduled') RETURNING id`)
	inv := f.id(t, `INSERT INTO invitations (session_id, ngo_id) VALUES ($1, $2) RETURNING id`, session, ngo)
	inv2 := f.id(t, `SELECT min(id) FROM invitations WHERE id <> $1`, inv)
	reply := func(names ...string) {
		t.Helper()
		f.exec(t, `DELETE FROM representatives WHERE invitation_id = $1 AND NOT walk_in`, inv)
		for i, n := range names {
			f.exec(t, `INSERT INTO representatives (invitation_id, position, name, mobile) VALUES ($1, $2, $3, '13800000000')`, inv, i+1, n)
		}
	}
	reply("甲", "乙", "丙")
	check("a reply naming 3 representatives")
	f.exec(t, `INSERT INTO representatives (invitation_id, position, name, title, mobile, attended, walk_in)
		SELECT $1, greatest(3, max(position)) + 1, '临时', '', '', true, true FROM representatives WHERE invitation_id = $1`, inv)
	check("a walk-in recorded")
	f.exec(t, `UPDATE representatives SET attended = (position = 1) WHERE invitation_id = $1`, inv)
	check("attendance taken")
	reply("甲")
	check("a reply naming 1 representative")
	f.exec(t, `UPDATE representatives SET walk_in = true, position = 6, mobile = '' WHERE invitation_id = $1 AND position = 1`, inv)
	check("a named representative made a walk-in")
	f.exec(t, `UPDATE representatives SET walk_in = false, position = 1, mobile = '13800000000' WHERE invitation_id = $1 AND position = 6`, inv)
	check("a walk-in made a named representative")
	_, ngo3 := f.staff(t, 3)
	f.exec(t, `UPDATE invitations SET ngo_id = $2 WHERE id = $1`, inv, ngo3)
	check("an invitation moved to another NGO")
	f.exec(t, `DELETE FROM representatives WHERE invitation_id = $1 AND position > 1`, inv2)
	f.exec(t, `UPDATE representatives SET invitation_id = $2, position = 2 WHERE invitation_id = $1 AND position = 1`, inv, inv2)
	check("a representative moved to another invitation")
	reply("丁", "戊")
	f.exec(t, `UPDATE invitations SET withdrawn_at = now(), version = version + 1 WHERE id = $1`, inv)
	check("an invitation withdrawn")
	f.exec(t, `DELETE FROM representatives WHERE invitation_id = $1`, inv)
	f.exec(t, `UPDATE invitations SET withdrawn_at = NULL WHERE id = $1`, inv)
	check("invited again: the representatives reset")
	reply("己")
	f.exec(t, `DELETE FROM invitations WHERE id = $1`, inv)
	check("an invitation deleted")
	inv = f.id(t, `INSERT INTO invitations (session_id, ngo_id) VALUES ($1, $2) RETURNING id`, session, ngo)
	reply("庚", "辛")
	f.exec(t, `DELETE FROM sessions WHERE id = $1`, session)
	check("a session deleted")

	// The board's rows carry the NGOs' names (migration 00029).
	f.exec(t, `UPDATE ngos SET name_zh = '改名' || name_zh WHERE id = $1`, ngo)
	check("an NGO renamed in Chinese")
	f.exec(t, `UPDATE ngos SET name_en = 'Renamed ' || name_en, version = version + 1
		WHERE id IN (SELECT ngo_id FROM invitations ORDER BY id LIMIT 3)`)
	check("three NGOs renamed in English at once")
	f.exec(t, `UPDATE ngos SET phone = '010-1234' WHERE id = $1`, ngo2)
	check("an NGO edited without a new name")
}

// TestReadinessCountsConcurrentWrites: six connections adding and
// removing plan items of the same two reports (a submitted one with no
// count yet, a draft), naming and removing representatives of the same
// two NGOs' invitations and renaming those NGOs at once, without the row
// locks the portal takes first, leave the kept counts equal to the rows
// and the board's rows equal to their definition.
func TestReadinessCountsConcurrentWrites(t *testing.T) {
	t.Parallel()
	f := newRDFixture(t)
	ctx := t.Context()
	reports := f.ids(t, `SELECT id FROM reports WHERE cycle_id = $1 AND ngo_id IN ($2, $3) ORDER BY ngo_id`, f.cycle, f.b, f.c)
	invs := f.ids(t, `SELECT id FROM invitations WHERE session_id = $1 AND withdrawn_at IS NULL AND ngo_id IN ($2, $3) ORDER BY ngo_id`, f.session, f.b, f.c)
	if len(reports) != 2 || len(invs) != 2 {
		t.Fatalf("fixture: reports %v, invitations %v", reports, invs)
	}
	// Each writer has its own positions: the writers share the reports and
	// invitations (and so their counts), not rows.
	f.exec(t, `DELETE FROM representatives WHERE NOT walk_in`)
	const writers, rounds = 6, 15 // three representatives at most per invitation
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A transaction writes for one NGO, as the portal's do: its
			// report and its invitation (the board's refresh serialises
			// the writers of an NGO on its row, migration 00022).
			report := reports[w%2]
			inv, pos := invs[w%2], w/2+1
			for i := range rounds {
				err := pgx.BeginFunc(ctx, f.db.Pool(), func(tx pgx.Tx) error {
					base := 1000 + 100*w
					if _, err := tx.Exec(ctx, `
						INSERT INTO report_plan_items (report_id, position, title)
						SELECT $1, $2 + g, '并发' FROM generate_series(1, 3) g`, report, base+i%50); err != nil {
						return fmt.Errorf("insert plan items: %w", err)
					}
					if _, err := tx.Exec(ctx, `
						DELETE FROM report_plan_items WHERE report_id = $1 AND position = $2 + 1`, report, base+i%50); err != nil {
						return fmt.Errorf("delete a plan item: %w", err)
					}
					if _, err := tx.Exec(ctx, `DELETE FROM representatives WHERE invitation_id = $1 AND position = $2`, inv, pos); err != nil {
						return fmt.Errorf("delete a representative: %w", err)
					}
					if i%3 != 1 {
						if _, err := tx.Exec(ctx, `
							INSERT INTO representatives (invitation_id, position, name, mobile) VALUES ($1, $2, '并发', '13800000000')`,
							inv, pos); err != nil {
							return fmt.Errorf("insert a representative: %w", err)
						}
					}
					// The inserted items leave again, two of three at once.
					_, err := tx.Exec(ctx, `DELETE FROM report_plan_items WHERE report_id = $1 AND position IN ($2 + 2, $2 + 3)`, report, base+i%50)
					if err != nil {
						return fmt.Errorf("delete plan items: %w", err)
					}
					if i%2 == 0 {
						if _, err = tx.Exec(ctx, `INSERT INTO report_plan_items (report_id, position, title) VALUES ($1, $2, '留')`, report, base+50+i); err != nil {
							return fmt.Errorf("insert a plan item: %w", err)
						}
					}
					if i%3 == 2 { // the NGO renamed, as the registry does
						_, err = tx.Exec(ctx, `UPDATE ngos SET name_zh = $2, name_en = $3, version = version + 1
							WHERE id = (SELECT ngo_id FROM reports WHERE id = $1)`, report, fmt.Sprintf("并发机构%d-%d", w, i), fmt.Sprintf("Concurrent %d-%d", w, i))
					}
					return err
				})
				if err != nil {
					errs <- fmt.Errorf("writer %d, round %d: %w", w, i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if drift := readinessCountsDrift(t, f.testDB); len(drift) > 0 {
		t.Fatalf("after concurrent writes the kept counts differ:\n%s", strings.Join(drift, "\n"))
	}
	// Each writer left one item every second round, and a representative
	// unless its last round removed it.
	if n := f.id(t, `SELECT sum(plan_items) FROM report_plan_item_counts WHERE report_id = ANY ($1)`, reports); n != 1+writers*((rounds+1)/2) {
		t.Errorf("plan items kept: %d, want %d", n, 1+writers*((rounds+1)/2))
	}
	if n := f.id(t, `SELECT sum(named) FROM invitation_representative_counts WHERE invitation_id = ANY ($1)`, invs); n != writers {
		t.Errorf("named representatives kept: %d, want %d", n, writers)
	}
}
