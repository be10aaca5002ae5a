package pgtest

import (
	"fmt"
	"testing"

	"ngoportal/internal/postgres"
)

// ResultsFixture is the small federation the requests-to-results tests
// check their figures against (computed by hand in the comments of
// NewResultsFixture): a session of the 2040 cycle (plans for 2041), its two
// requests and five NGOs.
type ResultsFixture struct {
	Session, Cycle, NextCycle int64
	Q1, Q2                    int64 // Q1 to every invited NGO; Q2 to A and D only
	A, B, C, D, E             int64 // E is not invited and has nothing
	A1, B1, B3, D1            int64 // plan items
	Theme1, Theme2            int64
	Project1, Project2        int64
}

// NewResultsFixture writes the fixture into db:
//
//   - A (安心): accepted 2040 report, items A1 (theme 1, project 1; answers
//     Q1 and Q2) and A2 (themes 1 and 2); its 2041 report is only submitted,
//     so both are not reported.
//   - B (百合): accepted 2040 report, items B1 (theme 2, project 1; Q1), B2
//     (nothing), B4 (theme 2, project 2), and an addendum item B3 (theme 1,
//     project 2; Q1); its accepted 2041 report: B1 not done, B2 blank, B3
//     done, B4 partly.
//   - C (春晖): no report, no items; plans nothing for Q1.
//   - D (丁香): 2040 report submitted, not accepted: D1 (Q1) is shown under
//     Q1 but counts nowhere else; D2 answers nothing and is not shown.
//
// Figures: 6 items of the year (A1 A2 B1 B2 B3 B4): done 1, partly 1, not
// done 1, not reported 3. Q1: addressed 4, planned 3 (A B D), nothing 1
// (C); items A1 B1 B3 D1 of 3 NGOs, 1 pending; done 1, not done 1, not
// reported 2. Q2: addressed 2, planned 1 (A), none 1 (D); item A1, not
// reported.
func NewResultsFixture(tb testing.TB, db *postgres.DB) ResultsFixture {
	tb.Helper()
	id := func(sql string, args ...any) int64 {
		tb.Helper()
		var v int64
		if err := db.Pool().QueryRow(tb.Context(), sql, args...).Scan(&v); err != nil {
			tb.Fatalf("results fixture: %s: %v", sql, err)
		}
		return v
	}
	var f ResultsFixture
	f.Cycle = id(`INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status)
		VALUES (2040, 2041, '2040-11-01', '2040-12-31', 'closed') RETURNING id`)
	f.NextCycle = id(`INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status)
		VALUES (2041, 2042, '2041-11-01', '2041-12-31', 'closed') RETURNING id`)
	f.Session = id(`INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, cycle_id)
		VALUES ('results-2041', '2041年成效测试会议', '2041 results test session', 'municipal', '2041-01-19', 'closed', $1)
		RETURNING id`, f.Cycle)
	ngo := func(slug, zh, en string, invited bool) int64 {
		n := id(`INSERT INTO ngos (slug, name_zh, name_en) VALUES ($1, $2, $3) RETURNING id`, slug, zh, en)
		if invited {
			id(`INSERT INTO invitations (session_id, ngo_id, reply, attendance) VALUES ($1, $2, 'confirmed', 'present') RETURNING id`, f.Session, n)
		}
		return n
	}
	// English order (Clove, Lily, Peace, Spring) is not the pinyin order (A B C D).
	f.A = ngo("results-anxin", "安心妇女服务社", "Peace of Mind Women", true)
	f.B = ngo("results-baihe", "百合女性发展中心", "Lily Women's Network", true)
	f.C = ngo("results-chunhui", "春晖姐妹会", "Spring Light Sisters", true)
	f.D = ngo("results-dingxiang", "丁香女子协会", "Clove Women's Club", true)
	f.E = ngo("results-erya", "尔雅女性沙龙", "Erya Women's Salon", false)

	f.Q1 = id(`INSERT INTO session_requests (session_id, number, text_zh, text_en, addressed_to_all)
		VALUES ($1, 1, '拓宽女性发展指导服务平台', 'Broaden the guidance and service platform for women''s development', true) RETURNING id`, f.Session)
	f.Q2 = id(`INSERT INTO session_requests (session_id, number, text_zh, text_en, addressed_to_all)
		VALUES ($1, 2, '讲好上海女性故事', 'Tell the story of Shanghai women well', false) RETURNING id`, f.Session)
	for _, n := range []int64{f.A, f.D} {
		id(`INSERT INTO request_recipients (request_id, ngo_id) VALUES ($1, $2) RETURNING request_id`, f.Q2, n)
	}

	f.Theme1 = id(`INSERT INTO themes (name_zh, name_en, position) VALUES ('成效主题甲', 'Results theme one', 901) RETURNING id`)
	f.Theme2 = id(`INSERT INTO themes (name_zh, name_en, position) VALUES ('成效主题乙', 'Results theme two', 902) RETURNING id`)
	f.Project1 = id(`INSERT INTO key_projects (name_zh, name_en, position) VALUES ('成效项目甲', 'Results project one', 901) RETURNING id`)
	f.Project2 = id(`INSERT INTO key_projects (name_zh, name_en, position) VALUES ('成效项目乙', 'Results project two', 902) RETURNING id`)

	report := func(cycle, n int64, status string) int64 {
		return id(`INSERT INTO reports (cycle_id, ngo_id, status, submitted_at, accepted_at)
			VALUES ($1, $2, $3, now(), CASE WHEN $3 = 'accepted' THEN now() END) RETURNING id`, cycle, n, status)
	}
	item := func(reportID, addendumID any, pos int, title string, project any, themes []int64, requests ...int64) int64 {
		p := id(`INSERT INTO report_plan_items (report_id, addendum_id, position, title, key_project_id)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, reportID, addendumID, pos, title, project)
		for _, t := range themes {
			id(`INSERT INTO report_plan_item_themes (plan_item_id, theme_id) VALUES ($1, $2) RETURNING plan_item_id`, p, t)
		}
		for _, q := range requests {
			id(`INSERT INTO report_plan_item_requests (plan_item_id, request_id) VALUES ($1, $2) RETURNING plan_item_id`, p, q)
		}
		return p
	}
	progress := func(reportID int64, pos int, itemID int64, status, note string) {
		id(`INSERT INTO report_progress (report_id, position, previous_plan_item_id, title, status, note)
			VALUES ($1, $2, $3, 'x', $4, $5) RETURNING id`, reportID, pos, itemID, status, note)
	}
	none := []int64(nil)

	ra := report(f.Cycle, f.A, "accepted")
	f.A1 = item(ra, nil, 1, "职业女性交流沙龙", f.Project1, []int64{f.Theme1}, f.Q1, f.Q2)
	a2 := item(ra, nil, 2, "线上家庭教育讲座", nil, []int64{f.Theme1, f.Theme2})
	rb := report(f.Cycle, f.B, "accepted")
	f.B1 = item(rb, nil, 1, "妇女法律咨询日", f.Project1, []int64{f.Theme2}, f.Q1)
	b2 := item(rb, nil, 2, "姐妹读书会", nil, none)
	b4 := item(rb, nil, 3, "亲子阅读讲座", f.Project2, []int64{f.Theme2})
	addB := id(`INSERT INTO plan_addenda (session_id, ngo_id) VALUES ($1, $2) RETURNING id`, f.Session, f.B)
	f.B3 = item(nil, addB, 1, "长三角女性人才交流", f.Project2, []int64{f.Theme1}, f.Q1)
	id(`INSERT INTO request_responses (request_id, ngo_id, nothing_planned, reason) VALUES ($1, $2, true, '今年人手不足') RETURNING ngo_id`, f.Q1, f.C)
	rd := report(f.Cycle, f.D, "submitted")
	f.D1 = item(rd, nil, 1, "社区志愿服务", nil, none, f.Q1)
	item(rd, nil, 2, "团队建设", nil, none)

	na := report(f.NextCycle, f.A, "submitted")
	progress(na, 1, f.A1, "done", "已办三场")
	progress(na, 2, a2, "partly", "")
	nb := report(f.NextCycle, f.B, "accepted")
	progress(nb, 1, f.B1, "not_done", "场地取消")
	progress(nb, 2, b2, "", "")
	progress(nb, 3, f.B3, "done", "举办两场交流会")
	progress(nb, 4, b4, "partly", "完成一半")
	return f
}

// AddResultsNGOs adds n NGOs to the fixture's session, each invited, with
// an accepted 2040 report of items plan items (the first answering Q1) and
// an accepted 2041 report reporting the first done: for tests that the
// pages' statements do not grow with the number of NGOs, and for measuring
// them at scale.
func AddResultsNGOs(tb testing.TB, db *postgres.DB, f ResultsFixture, n, items int, prefix string) {
	tb.Helper()
	_, err := db.Pool().Exec(tb.Context(), `
		WITH n AS (
			INSERT INTO ngos (slug, name_zh, name_en)
			SELECT $1 || '-' || g, '成效组织' || $1 || g, 'Results NGO ' || $1 || ' ' || g FROM generate_series(1, $2) g
			RETURNING id
		), inv AS (
			INSERT INTO invitations (session_id, ngo_id) SELECT $3, id FROM n
		), r AS (
			INSERT INTO reports (cycle_id, ngo_id, status, submitted_at, accepted_at)
			SELECT $4, id, 'accepted', now(), now() FROM n
			RETURNING id, ngo_id
		), nr AS (
			INSERT INTO reports (cycle_id, ngo_id, status, submitted_at, accepted_at)
			SELECT $5, id, 'accepted', now(), now() FROM n
			RETURNING id, ngo_id
		), p AS (
			INSERT INTO report_plan_items (report_id, position, title, key_project_id)
			SELECT r.id, g, '计划' || g, $7::bigint FROM r, generate_series(1, $9) g
			RETURNING id, report_id, position
		), l AS (
			INSERT INTO report_plan_item_requests (plan_item_id, request_id)
			SELECT id, $6 FROM p WHERE position = 1
		), t AS (
			INSERT INTO report_plan_item_themes (plan_item_id, theme_id) SELECT id, $8 FROM p
		)
		INSERT INTO report_progress (report_id, position, previous_plan_item_id, title, status)
		SELECT nr.id, p.position, p.id, 'x', CASE WHEN p.position = 1 THEN 'done' ELSE '' END
		FROM p JOIN r ON r.id = p.report_id JOIN nr ON nr.ngo_id = r.ngo_id`,
		prefix, n, f.Session, f.Cycle, f.NextCycle, f.Q1, f.Project1, f.Theme1, items)
	if err != nil {
		tb.Fatal(fmt.Errorf("results fixture: add %d NGOs: %w", n, err))
	}
}
