package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"ngoportal/internal/portal"
)

func init() {
	routeRules["GET /admin/ngos/{id}/timeline"] = officials
	routeRules["GET /ngo/timeline"] = staff
}

// tlYear is one year of the timeline tests' calendar: its reporting
// cycle, the session tied to it and the one request made there, to all.
type tlYear struct {
	cycle, session, request int64
}

// tlCalendar adds the reporting cycles from..to (closed), each with its
// session (held on 19 January of the next year, closed) and one request.
func tlCalendar(t *testing.T, h *harness, from, to int) map[int]tlYear {
	t.Helper()
	cal := map[int]tlYear{}
	for y := from; y <= to; y++ {
		var c tlYear
		c.cycle = cyQueryID(t, h, `INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status)
			VALUES ($1::int, $1::int + 1, make_date($1::int, 11, 1), make_date($1::int, 12, 31), 'closed') RETURNING id`, y)
		c.session = cyQueryID(t, h, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, cycle_id)
			VALUES ('tl-session-' || $1::int, $1::int || '年度领导会议', 'Leadership session ' || $1::int, 'municipal',
			        make_date($1::int + 1, 1, 19), 'closed', $2) RETURNING id`, y, c.cycle)
		c.request = cyQueryID(t, h, `INSERT INTO session_requests (session_id, number, text_zh, text_en)
			VALUES ($1, 1, '拓宽女性发展平台' || $2::int, 'Broaden the platform ' || $2::int) RETURNING id`, c.session, y)
		cal[y] = c
	}
	return cal
}

// tlHistory gives NGO ngoID, for each year, an invitation it confirmed and
// attended (its representative 代表甲 present) and an accepted report: a
// history (started, submitted, accepted), an online activity reaching 120
// (100 women) and an offline one reaching 80 (60 women), 3 WeChat items
// read 1,234 times, and two plan items, the first answering the year's
// request. The report of a year after one in years gives the first of the
// previous year's items as done and leaves the second blank.
func tlHistory(t *testing.T, h *harness, cal map[int]tlYear, ngoID int64, years ...int) map[int]int64 {
	t.Helper()
	reports := map[int]int64{}
	for _, y := range years {
		c := cal[y]
		inv := cyQueryID(t, h, `INSERT INTO invitations (session_id, ngo_id, reply, attendance) VALUES ($1, $2, 'confirmed', 'present') RETURNING id`, c.session, ngoID)
		tlExec(t, h, `INSERT INTO representatives (invitation_id, position, name, mobile, attended) VALUES ($1, 1, '代表甲', '13900000001', true)`, inv)
		r := cyQueryID(t, h, `INSERT INTO reports (cycle_id, ngo_id, status, submitted_at, accepted_at)
			VALUES ($1, $2, 'accepted', make_date($3::int, 12, 10), make_date($3::int, 12, 20)) RETURNING id`, c.cycle, ngoID, y)
		reports[y] = r
		tlExec(t, h, `INSERT INTO report_events (report_id, at, action, snapshot) VALUES
			($1, make_timestamptz($2::int, 12, 1, 9, 0, 0, 'Asia/Shanghai'), 'created', NULL),
			($1, make_timestamptz($2::int, 12, 10, 9, 0, 0, 'Asia/Shanghai'), 'submitted', '{}'),
			($1, make_timestamptz($2::int, 12, 20, 9, 30, 0, 'Asia/Shanghai'), 'accepted', NULL)`, r, y)
		tlExec(t, h, `INSERT INTO report_activities (report_id, position, title, kind, mode, starts_on, ends_on, people_reached, women_reached) VALUES
			($1, 1, '线上讲座', 'lecture', 'online', make_date($2::int, 3, 1), make_date($2::int, 3, 1), 120, 100),
			($1, 2, '读书会', 'themed_activity', 'offline', make_date($2::int, 4, 1), make_date($2::int, 4, 1), 80, 60)`, r, y)
		tlExec(t, h, `INSERT INTO report_media (report_id, position, channel, items, reads) VALUES ($1, 1, 'wechat', 3, 1234)`, r)
		first := cyQueryID(t, h, `INSERT INTO report_plan_items (report_id, position, title) VALUES ($1, 1, '职业女性沙龙' || $2::int) RETURNING id`, r, y)
		tlExec(t, h, `INSERT INTO report_plan_items (report_id, position, title) VALUES ($1, 2, '巾帼故事宣讲' || $2::int)`, r, y)
		tlExec(t, h, `INSERT INTO report_plan_item_requests (plan_item_id, request_id) VALUES ($1, $2)`, first, c.request)
		if prev, ok := reports[y-1]; ok {
			tlExec(t, h, `INSERT INTO report_progress (report_id, position, previous_plan_item_id, title, status, note)
				SELECT $1, p.position, p.id, p.title, CASE p.position WHEN 1 THEN 'done' ELSE '' END,
				       CASE p.position WHEN 1 THEN '办了三场' ELSE '' END
				FROM report_plan_items p WHERE p.report_id = $2`, r, prev)
		}
	}
	return reports
}

func tlExec(t *testing.T, h *harness, sql string, args ...any) {
	t.Helper()
	if _, err := h.db.Pool().Exec(t.Context(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func tlNGO(t *testing.T, h *harness, slug, nameZH, nameEN string) int64 {
	t.Helper()
	return cyQueryID(t, h, `INSERT INTO ngos (slug, name_zh, name_en) VALUES ($1, $2, $3) RETURNING id`, slug, nameZH, nameEN)
}

// TestTimelinePages: staff see their own NGO's timeline at /ngo/timeline
// and nobody else's; admins see any NGO's; the figures, links and words
// are those of the fixture, in either language.
func TestTimelinePages(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	cal := tlCalendar(t, h, 2050, 2052)
	ngoA := tlNGO(t, h, "tl-page-a", "时间线甲会", "Timeline NGO A")
	ngoB := tlNGO(t, h, "tl-page-b", "时间线乙会", "Timeline NGO B")
	reportsA := tlHistory(t, h, cal, ngoA, 2050, 2051)
	reportsB := tlHistory(t, h, cal, ngoB, 2052)
	staffA := h.sessionCookie(t, createUser(t, h, portal.RoleStaff, ngoA, "tl-a@example.org", "甲"))
	staffB := h.sessionCookie(t, createUser(t, h, portal.RoleStaff, ngoB, "tl-b@example.org", "乙"))
	admin := h.sessionCookie(t, createUser(t, h, portal.RoleAdmin, 0, "tl-admin@example.org", "管理员"))

	// What A's page says, whoever reads it: three years, newest first, the
	// 2052 one without a report; 200 people (160 women) and 1,234 reads a
	// year; the 2050 plan half done by 2051's report, the 2051 plan not
	// reported on (no 2052 report).
	common := []string{
		"<h1>历年档案：时间线甲会</h1>",
		`<h2 id="year-2052">2052年</h2>`, `<h2 id="year-2051">2051年</h2>`, `<h2 id="year-2050">2050年</h2>`,
		`href="#year-2050"`, "未提交", "本年度没有工作报告，因此没有指标。",
		"2050年工作总结和2051年工作计划",
		"<td class=\"num\">200</td>", "<td class=\"num\">160</td>", "<td class=\"num\">1,234</td>",
		"2051年1月19日", "代表甲", "2051年计划完成率：50%（共2项：已完成1项，部分完成0项，未完成0项，未报告1项）",
		"2052年计划完成率：0%", "办了三场", "职业女性沙龙2050", "已列入计划", "要求1",
		"2050年12月20日 09:30", "已通过",
	}
	t.Run("OKStaffOwn", func(t *testing.T) {
		res := h.as(t, staffA, get("/ngo/timeline"))
		if res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, res.body, common...)
		wantContains(t, res.body, fmt.Sprintf(`href="/ngo/reports/%d"`, reportsA[2050]), fmt.Sprintf(`href="/ngo/sessions/%d"`, cal[2050].session),
			`href="/ngo/timeline" aria-current="page"`)
		// 2052's session: A was not invited, so staff have no page for it.
		wantContains(t, res.body, "未受邀")
		wantAbsent(t, res.body, fmt.Sprintf(`href="/ngo/sessions/%d"`, cal[2052].session), "时间线乙会", "/admin/")
		if strings.Index(res.body, `id="year-2052"`) > strings.Index(res.body, `id="year-2050"`) {
			t.Error("years are not newest first")
		}
		checkDates(t, res.body)
	})
	t.Run("OKStaffOtherNGOSeesOnlyItsOwn", func(t *testing.T) {
		res := h.as(t, staffB, get("/ngo/timeline"))
		wantContains(t, res.body, "历年档案：时间线乙会", fmt.Sprintf(`href="/ngo/reports/%d"`, reportsB[2052]))
		wantAbsent(t, res.body, "时间线甲会", fmt.Sprintf(`/ngo/reports/%d"`, reportsA[2050]))
	})
	t.Run("NotFoundStaffOnAdminTimeline", func(t *testing.T) {
		for _, id := range []int64{ngoA, ngoB} {
			if res := h.as(t, staffA, get(adminNGOTimelinePath(id))); res.status != http.StatusNotFound {
				t.Errorf("staff of A on %s: %d, want 404", adminNGOTimelinePath(id), res.status)
			}
		}
	})
	t.Run("OKAdminAnyNGO", func(t *testing.T) {
		res := h.as(t, admin, get(adminNGOTimelinePath(ngoA)))
		if res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, res.body, common...)
		wantContains(t, res.body, fmt.Sprintf(`href="/admin/reports/%d"`, reportsA[2051]),
			fmt.Sprintf(`href="/admin/sessions/%d"`, cal[2052].session), fmt.Sprintf(`href="/admin/ngos/%d"`, ngoA))
		checkDates(t, res.body)
		res = h.as(t, admin, get(adminNGOTimelinePath(ngoB)))
		wantContains(t, res.body, "历年档案：时间线乙会")
		wantAbsent(t, res.body, "时间线甲会")
		// The NGO's admin page links here.
		wantContains(t, h.as(t, admin, get(adminNGOPath(ngoA))).body, fmt.Sprintf(`href="/admin/ngos/%d/timeline"`, ngoA))
	})
	t.Run("NotFoundUnknownNGO", func(t *testing.T) {
		for _, p := range []string{adminNGOTimelinePath(1 << 40), "/admin/ngos/x/timeline", "/admin/ngos/0/timeline"} {
			if res := h.as(t, admin, get(p)); res.status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", p, res.status)
			}
		}
	})
	t.Run("SignedOutToLogin", func(t *testing.T) {
		res := h.do(t, get("/ngo/timeline"))
		if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/login") {
			t.Errorf("signed out: %d %q, want the sign-in page", res.status, res.header.Get("Location"))
		}
	})
	t.Run("OKEnglish", func(t *testing.T) {
		res := h.as(t, staffA, get("/ngo/timeline?lang=en"))
		wantContains(t, res.body, "<h1>Timeline: Timeline NGO A</h1>", `<h2 id="year-2051">2051</h2>`, "No report",
			"Work of 2050, plans for 2051", "19 January 2051", "Leadership session 2050", "Broaden the platform 2050",
			"Completion rate for 2051: 50% (2 items: 1 done, 0 partly done, 0 not done, 1 not reported).",
			"Planned", "Not invited", "<td class=\"num\">1,234</td>", "20 December 2050 09:30")
		wantAbsent(t, res.body, "历年档案", "未提交")
		checkDates(t, res.body)
	})
}

// TestTimelineQueries: the page sends the same statements for an NGO with
// one year of history as for one with four.
func TestTimelineQueries(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	cal := tlCalendar(t, h, 2060, 2063)
	one := tlNGO(t, h, "tl-one", "一年会", "One year")
	four := tlNGO(t, h, "tl-four", "四年会", "Four years")
	tlHistory(t, h, cal, one, 2063)
	tlHistory(t, h, cal, four, 2060, 2061, 2062, 2063)
	admin := createUser(t, h, portal.RoleAdmin, 0, "tl-q-admin@example.org", "管理员")

	counted, log := countedHarness(t, h.db, nil)
	cookie := counted.sessionCookie(t, admin)

	measure := func(id int64, years int) []string {
		log.take()
		res := counted.as(t, cookie, get(adminNGOTimelinePath(id)))
		if res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		if n := strings.Count(res.body, `<section class="timeline-year"`); n != years {
			t.Fatalf("%d years on the page, want %d", n, years)
		}
		return log.take()
	}
	few, many := measure(one, 1), measure(four, 4)
	t.Logf("%d statements for the page with 1 year, %d with 4", len(few), len(many))
	if len(few) != len(many) {
		t.Errorf("statements with 1 and 4 years: %d → %d\n%s", len(few), len(many), strings.Join(many, "\n---\n"))
	}
	if len(few) > 20 {
		t.Errorf("%d statements for one page:\n%s", len(few), strings.Join(few, "\n---\n"))
	}
}

// BenchmarkTimelinePage is one NGO's timeline, as an admin reads it, in a
// database of 2,000 NGOs with ten years each: an accepted report (20
// activities, two media rows, 10 plan items, progress on the year before's
// items, three history steps), an invitation attended, two requests.
//
//	go test -run '^$' -bench TimelinePage -benchmem ./internal/server/
func BenchmarkTimelinePage(b *testing.B) {
	h, r := timelineBenchSetup(b)
	benchServe(b, h.srv, r, http.StatusOK)
}

// timelineBenchSetup fills a demo database with the benchmark's 2,000
// NGOs and returns the harness and an admin's request for one's timeline.
func timelineBenchSetup(b *testing.B) (*harness, *http.Request) {
	h := newBenchHarness(b)
	ctx := b.Context()
	for _, sql := range []string{
		`INSERT INTO ngos (slug, name_zh, name_en) SELECT 'bench-ngo-' || g, '基准组织' || g, 'Bench NGO ' || g FROM generate_series(1, 2000) g`,
		`INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status)
		 SELECT y, y + 1, make_date(y, 11, 1), make_date(y, 12, 31), 'closed' FROM generate_series(2070, 2079) y`,
		`INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, cycle_id)
		 SELECT 'bench-session-' || review_year, review_year || '年度会议', 'Session ' || review_year, 'municipal',
		        make_date(review_year + 1, 1, 19), 'closed', id FROM reporting_cycles WHERE review_year >= 2070`,
		`INSERT INTO session_requests (session_id, number, text_zh, text_en)
		 SELECT s.id, n, '要求' || n, 'Request ' || n FROM sessions s, generate_series(1, 2) n WHERE s.slug LIKE 'bench-session-%'`,
		`INSERT INTO invitations (session_id, ngo_id, reply, attendance)
		 SELECT s.id, n.id, 'confirmed', 'present' FROM sessions s CROSS JOIN ngos n
		 WHERE s.slug LIKE 'bench-session-%' AND n.slug LIKE 'bench-ngo-%'`,
		`INSERT INTO reports (cycle_id, ngo_id, status, submitted_at, accepted_at)
		 SELECT c.id, n.id, 'accepted', now(), now() FROM reporting_cycles c CROSS JOIN ngos n
		 WHERE c.review_year >= 2070 AND n.slug LIKE 'bench-ngo-%'`,
		`INSERT INTO report_events (report_id, action, snapshot)
		 SELECT r.id, a, CASE WHEN a = 'submitted' THEN '{}'::jsonb END
		 FROM reports r JOIN reporting_cycles c ON c.id = r.cycle_id AND c.review_year >= 2070
		 CROSS JOIN unnest(ARRAY['created', 'submitted', 'accepted']) a`,
		`INSERT INTO report_activities (report_id, position, title, kind, mode, starts_on, ends_on, people_reached, women_reached)
		 SELECT r.id, g, '活动' || g, 'lecture', (ARRAY['online', 'offline', 'hybrid'])[1 + g % 3],
		        make_date(c.review_year, 3, 1), make_date(c.review_year, 3, 1), 100, 60
		 FROM reports r JOIN reporting_cycles c ON c.id = r.cycle_id AND c.review_year >= 2070
		 CROSS JOIN generate_series(1, 20) g`,
		`INSERT INTO report_media (report_id, position, channel, items, reads)
		 SELECT r.id, g, (ARRAY['wechat', 'weibo'])[g], 10, 5000
		 FROM reports r JOIN reporting_cycles c ON c.id = r.cycle_id AND c.review_year >= 2070
		 CROSS JOIN generate_series(1, 2) g`,
		`INSERT INTO report_plan_items (report_id, position, title)
		 SELECT r.id, g, '计划' || g FROM reports r JOIN reporting_cycles c ON c.id = r.cycle_id AND c.review_year >= 2070
		 CROSS JOIN generate_series(1, 10) g`,
		`INSERT INTO report_plan_item_requests (plan_item_id, request_id)
		 SELECT p.id, q.id FROM report_plan_items p JOIN reports r ON r.id = p.report_id
		 JOIN sessions s ON s.cycle_id = r.cycle_id AND s.slug LIKE 'bench-session-%'
		 JOIN session_requests q ON q.session_id = s.id AND q.number = 1 WHERE p.position = 1`,
		`INSERT INTO report_progress (report_id, position, previous_plan_item_id, title, status)
		 SELECT r.id, p.position, p.id, p.title, (ARRAY['done', 'partly', 'not_done', ''])[1 + p.position % 4]
		 FROM reports r JOIN reporting_cycles c ON c.id = r.cycle_id AND c.review_year > 2070
		 JOIN reporting_cycles pc ON pc.review_year = c.review_year - 1
		 JOIN reports pr ON pr.cycle_id = pc.id AND pr.ngo_id = r.ngo_id
		 JOIN report_plan_items p ON p.report_id = pr.id`,
		`ANALYZE`,
	} {
		if _, err := h.db.Pool().Exec(ctx, sql); err != nil {
			b.Fatalf("%s: %v", sql, err)
		}
	}
	var ngoID, admin int64
	if err := h.db.Pool().QueryRow(ctx, `SELECT id FROM ngos WHERE slug = 'bench-ngo-1000'`).Scan(&ngoID); err != nil {
		b.Fatal(err)
	}
	if err := h.db.Pool().QueryRow(ctx, `INSERT INTO users (email, name, role, status, password_hash, password_changed_at)
		VALUES ('bench-admin@example.org', '管理员', 'admin', 'active', $1, now()) RETURNING id`, testPasswordHash).Scan(&admin); err != nil {
		b.Fatal(err)
	}
	id := newToken()
	if err := h.db.CreateLoginSession(ctx, portal.Actor{UserID: admin, RequestID: "bench"}, admin, id, "", 12*time.Hour, 12*time.Hour); err != nil {
		b.Fatal(err)
	}
	v, err := h.srv.cookies.Codecs[0].Encode(sessionCookie, map[any]any{sessionIDKey: id})
	if err != nil {
		b.Fatal(err)
	}
	r := get(adminNGOTimelinePath(ngoID))
	r.AddCookie(&http.Cookie{Name: sessionCookie, Value: v})
	return h, r
}
