package server

import (
	"encoding/csv"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
)

func init() {
	for k, v := range map[string]access{
		"GET /admin/sessions/{id}/readiness":     officials,
		"GET /admin/sessions/{id}/readiness.csv": officials,
	} {
		routeRules[k] = v
	}
}

// readinessFixture is a session being prepared (work of 2070, held early
// in 2071) on the demo federation, with four invited NGOs in every state
// the board tells apart, a withdrawn one, and the previous session, held
// in 2070 (after every demo session), with one request to all its
// invitees and one to A and B only:
//
//	NGO  name (pinyin order)  report      plan  reps  reply      previous requests
//	A    建筑女性准备会        accepted    2     2     confirmed  2 of 2 (an item; nothing planned)
//	B    律政女性准备会        submitted   0     0     declined   1 of 2 (an addendum item)
//	D    企业女性准备会        none        0     0     none, late none asked
//	C    医护女性准备会        draft       1     1     confirmed  0 of 1
type readinessFixture struct {
	h                    *harness
	admin, staff         *http.Cookie
	session, prev, cycle int64
	a, b, c, d           int64
	invA, repA           int64
}

func newReadinessFixture(t *testing.T) readinessFixture {
	t.Helper()
	h := newHarness(t, nil)
	f := readinessFixture{h: h}
	id := func(sql string, args ...any) int64 { t.Helper(); return cyQueryID(t, h, sql, args...) }
	exec := func(sql string, args ...any) { t.Helper(); pubExec(t, h, sql, args...) }
	email := "readiness-" + strings.ToLower(newToken()[:10]) + "@example.org"
	f.admin = h.sessionCookie(t, createUser(t, h, portal.RoleAdmin, 0, email, "准备管理员"))
	ngo := func(slug, zh, en string) int64 {
		return id(`INSERT INTO ngos (slug, name_zh, name_en) VALUES ($1, $2, $3) RETURNING id`, slug, zh, en)
	}
	f.a = ngo("rdy-a", "建筑女性准备会", "Ready Architects")
	f.b = ngo("rdy-b", "律政女性准备会", "Ready Lawyers")
	f.c = ngo("rdy-c", "医护女性准备会", "Ready Physicians")
	f.d = ngo("rdy-d", "企业女性准备会", "Ready Entrepreneurs")
	e := ngo("rdy-e", "艺术女性准备会", "Ready Artists")
	f.staff = h.sessionCookie(t, createUser(t, h, portal.RoleStaff, f.a, "staff-"+email, "甲员工"))
	f.cycle = id(`INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline)
		VALUES (2070, 2071, '2070-10-01', '2070-12-31') RETURNING id`)
	f.session = id(`INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, cycle_id)
		VALUES ('rdy-2071', '2071年准备测试会议', '2071 readiness session', 'municipal', '2071-01-20', 'scheduled', $1) RETURNING id`, f.cycle)
	f.prev = id(`INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status)
		VALUES ('rdy-2070', '2070年准备测试会议', '2070 readiness session', 'municipal', '2070-01-18', 'held') RETURNING id`)
	invite := func(session, ngo int64, reply, reason string, late bool) int64 {
		return id(`INSERT INTO invitations (session_id, ngo_id, reply, decline_reason, late)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, session, ngo, reply, reason, late)
	}
	rep := func(inv int64, n int) {
		for i := 1; i <= n; i++ {
			exec(`INSERT INTO representatives (invitation_id, position, name, mobile) VALUES ($1, $2, '代表', '13800000000')`, inv, i)
		}
	}
	f.invA = invite(f.session, f.a, "confirmed", "", false)
	rep(f.invA, 2)
	invite(f.session, f.b, "declined", "外出培训", false)
	rep(invite(f.session, f.c, "confirmed", "", false), 1)
	invite(f.session, f.d, "none", "", true)
	exec(`UPDATE invitations SET withdrawn_at = now() WHERE id = $1`, invite(f.session, e, "confirmed", "", false))
	for _, n := range []int64{f.a, f.b, f.c} {
		invite(f.prev, n, "confirmed", "", false)
	}
	report := func(ngo int64, status string, items int) int64 {
		r := id(`INSERT INTO reports (cycle_id, ngo_id, status, submitted_at, accepted_at)
			VALUES ($1, $2, $3,
			        CASE WHEN $3 <> 'draft' THEN timestamptz '2070-12-20 10:00+08' END,
			        CASE WHEN $3 = 'accepted' THEN timestamptz '2070-12-28 15:30+08' END) RETURNING id`, f.cycle, ngo, status)
		for i := 1; i <= items; i++ {
			exec(`INSERT INTO report_plan_items (report_id, position, title) VALUES ($1, $2, '计划')`, r, i)
		}
		return r
	}
	f.repA = report(f.a, "accepted", 2)
	report(f.b, "submitted", 0)
	report(f.c, "draft", 1)
	q1 := id(`INSERT INTO session_requests (session_id, number, text_zh) VALUES ($1, 1, '拓宽平台') RETURNING id`, f.prev)
	q2 := id(`INSERT INTO session_requests (session_id, number, text_zh, addressed_to_all) VALUES ($1, 2, '讲好故事', false) RETURNING id`, f.prev)
	exec(`INSERT INTO request_recipients (request_id, ngo_id) VALUES ($1, $2), ($1, $3)`, q2, f.a, f.b)
	exec(`INSERT INTO report_plan_item_requests (plan_item_id, request_id)
		SELECT min(id), $2 FROM report_plan_items WHERE report_id = $1`, f.repA, q1)
	exec(`INSERT INTO request_responses (request_id, ngo_id, nothing_planned, reason) VALUES ($1, $2, true, '已有安排')`, q2, f.a)
	addendum := id(`INSERT INTO plan_addenda (session_id, ngo_id) VALUES ($1, $2) RETURNING id`, f.prev, f.b)
	exec(`INSERT INTO report_plan_item_requests (plan_item_id, request_id)
		SELECT id, $2 FROM report_plan_items WHERE addendum_id = $1`,
		id(`INSERT INTO report_plan_items (addendum_id, position, title) VALUES ($1, 1, '补充计划') RETURNING addendum_id`, addendum), q2)
	return f
}

func (f readinessFixture) get(t *testing.T, path string) response {
	t.Helper()
	res := f.h.as(t, f.admin, get(path))
	if res.status != http.StatusOK {
		t.Fatalf("%s: status %d", path, res.status)
	}
	return res
}

// inOrder checks that the names appear in body in this order (and each
// appears).
func inOrder(t *testing.T, body string, names ...string) {
	t.Helper()
	last := -1
	for _, n := range names {
		i := strings.Index(body, n)
		if i < 0 {
			t.Errorf("%s is not on the page", n)
			return
		}
		if i < last {
			t.Errorf("%s comes too early; want the order %v", n, names)
		}
		last = i
	}
}

func TestReadinessBoardPage(t *testing.T) {
	t.Parallel()
	f := newReadinessFixture(t)
	base := fmt.Sprintf("/admin/sessions/%d/readiness", f.session)
	A, B, C, D := "建筑女性准备会", "律政女性准备会", "医护女性准备会", "企业女性准备会"

	t.Run("OK", func(t *testing.T) {
		body := f.get(t, base).body
		inOrder(t, body, A, B, D, C)
		wantAbsent(t, body, "艺术女性准备会")
		wantContains(t, body,
			"<h1>2071年准备测试会议：会前准备情况</h1>",
			// the summary, each figure filtering the board
			`href="`+base+`">受邀组织</a> <strong>4</strong>`,
			`href="`+base+`?show=ready">已就绪</a> <strong>1</strong>`,
			`href="`+base+`?show=not_ready">尚未就绪</a> <strong>3</strong>`,
			`href="`+base+`?show=no_report">年度报告未提交</a> <strong>2</strong>`,
			`href="`+base+`?show=unanswered">上次会议的要求未全部答复</a> <strong>2</strong>`,
			// the cells, linking to the things themselves
			fmt.Sprintf(`href="/admin/ngos/%d"`, f.a),
			fmt.Sprintf(`href="/admin/reports/%d">已通过</a>`, f.repA),
			"2070年12月28日 15:30",
			fmt.Sprintf(`href="/admin/reports/%d#section-plan">2 项</a>`, f.repA),
			fmt.Sprintf(`href="/admin/cycles/%d/reports">未开始</a>`, f.cycle),
			fmt.Sprintf(`href="/admin/sessions/%d/invitations#ngo-%d">2 人</a>`, f.session, f.invA),
			"缺（0 项）", "未指定", "外出培训",
			fmt.Sprintf(`href="/admin/sessions/%d/responses?ngo=%d">已答复 2 / 2</a>`, f.prev, f.a),
			fmt.Sprintf(`href="/admin/sessions/%d/responses?ngo=%d">已答复 1 / 2</a>`, f.prev, f.b),
			fmt.Sprintf(`href="/admin/sessions/%d/responses?ngo=%d">已答复 0 / 1</a>`, f.prev, f.c),
			// what is missing, in words
			"尚未就绪，尚缺：", "<li>没有计划事项</li>", "<li>未确认参会</li>",
			// the sorted column and the caption
			`<th scope="col" aria-sort="ascending"><a href="`+base+`?dir=desc">组织`,
			"按组织升序排列",
			`href="/admin/sessions/`+fmt.Sprint(f.session)+`/readiness.csv"`,
		)
		if n := strings.Count(body, "aria-sort="); n != 1 {
			t.Errorf("%d headers carry aria-sort, want 1", n)
		}
		if n := strings.Count(body, `data-label="`); n < 4*7 {
			t.Errorf("%d cells carry data-label, want every cell of 4 rows × 7 columns", n)
		}
		checkMarkup(t, body)
		checkDates(t, body)
		// Past the reply deadline, an NGO that has not replied is overdue.
		wantAbsent(t, body, "已过答复期限")
		pubExec(t, f.h, `UPDATE sessions SET reply_deadline = now() - interval '1 day' WHERE id = $1`, f.session)
		if n := strings.Count(f.get(t, base).body, "已过答复期限"); n != 1 {
			t.Errorf("%d rows marked overdue, want 1 (D, which has not replied)", n)
		}
		pubExec(t, f.h, `UPDATE sessions SET reply_deadline = NULL WHERE id = $1`, f.session)
		en := f.get(t, base+"?lang=en").body
		checkMarkup(t, en)
		checkDates(t, en)
		inOrder(t, en, "Ready Architects", "Ready Entrepreneurs", "Ready Lawyers", "Ready Physicians")
		wantContains(t, en, "1 of 2 answered", "Not ready yet. Missing:", "Report not submitted", "Missing (0 items)")
	})

	t.Run("SortAndFilter", func(t *testing.T) {
		body := f.get(t, base+"?sort=answers&dir=desc").body
		inOrder(t, body, A, D, B, C)
		wantContains(t, body, `aria-sort="descending"><a href="`+base+`?sort=answers">`)
		inOrder(t, f.get(t, base+"?sort=reply").body, D, B, A, C)
		inOrder(t, f.get(t, base+"?sort=report&dir=desc").body, A, B, C, D)
		body = f.get(t, base+"?show=unanswered&sort=plan").body
		inOrder(t, body, B, C)
		wantAbsent(t, body, ">"+A+"<", ">"+D+"<")
		wantContains(t, body, `<option value="unanswered" selected>`, "显示 2 个组织，共 2 个符合条件")
		body = f.get(t, base+"?q=nobody").body
		wantContains(t, body, "没有符合条件的组织。", `<a href="`+base+`">清除筛选</a>`)
		checkMarkup(t, body)
		body = f.get(t, base+"?q=律政").body
		wantContains(t, body, B)
		wantAbsent(t, body, ">"+A+"<", ">"+C+"<")
		// Unknown values fall back to the defaults.
		inOrder(t, f.get(t, base+"?sort=bogus&dir=sideways&show=nope&page=x").body, A, B, D, C)
	})

	t.Run("CSV", func(t *testing.T) {
		for _, q := range []string{"", "?show=not_ready&sort=reply", "?sort=answers&dir=desc&lang=en"} {
			res := f.get(t, base+".csv"+q)
			if ct := res.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
				t.Errorf("%s: Content-Type %q", q, ct)
			}
			if cd := res.header.Get("Content-Disposition"); !strings.HasPrefix(cd, fmt.Sprintf(`attachment; filename="readiness-session-%d.csv"; filename*=UTF-8''`, f.session)) {
				t.Errorf("%s: Content-Disposition %q", q, cd)
			}
			if !strings.HasPrefix(res.body, "\uFEFF") {
				t.Errorf("%s: no byte order mark", q)
			}
			recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\uFEFF"))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			page := f.get(t, base+q).body
			var names []string
			col := 0 // the Chinese name, or the English one on an English page
			if strings.Contains(q, "lang=en") {
				col = 1
			}
			for _, r := range recs[1:] {
				names = append(names, r[col])
			}
			if len(names) == 0 {
				t.Fatalf("%s: no rows", q)
			}
			inOrder(t, page, names...)
			if n := strings.Count(page, `<th scope="row"`); n != len(names) {
				t.Errorf("%s: the page has %d rows, the CSV %d", q, n, len(names))
			}
		}
		recs, _ := csv.NewReader(strings.NewReader(strings.TrimPrefix(f.get(t, base+".csv").body, "\uFEFF"))).ReadAll()
		want := [][]string{
			{"组织名称", "组织英文名称", "年度报告", "报告提交或通过日期", "计划事项数", "已指定代表人数", "参会确认", "不能参会的原因", "补发邀请", "已答复的要求数", "上次会议向其提出的要求数", "已就绪", "尚缺"},
			{A, "Ready Architects", "已通过", "2070-12-28", "2", "2", "确认出席", "", "否", "2", "2", "是", ""},
			{B, "Ready Lawyers", "已提交", "2070-12-20", "0", "0", "不能出席", "外出培训", "否", "1", "2", "否", "没有计划事项; 未指定参会代表; 未确认参会; 上次会议的要求未全部答复"},
			{D, "Ready Entrepreneurs", "未开始", "", "0", "0", "未答复", "", "是", "", "", "否", "年度报告未提交; 没有计划事项; 未指定参会代表; 未确认参会"},
			{C, "Ready Physicians", "草稿", "", "1", "1", "确认出席", "", "否", "0", "1", "否", "年度报告未提交; 上次会议的要求未全部答复"},
		}
		for i := range want {
			if i >= len(recs) || !slices.Equal(recs[i], want[i]) {
				var got []string
				if i < len(recs) {
					got = recs[i]
				}
				t.Errorf("CSV row %d:\n got %q\nwant %q", i, got, want[i])
			}
		}
	})

	t.Run("Paging", func(t *testing.T) {
		pubExec(t, f.h, `WITH n AS (
				INSERT INTO ngos (slug, name_zh, name_en)
				SELECT 'rdy-page-' || g, '准备分页' || lpad(g::text, 3, '0'), 'Ready page ' || lpad(g::text, 3, '0')
				FROM generate_series(1, 100) g RETURNING id)
			INSERT INTO invitations (session_id, ngo_id) SELECT $1, id FROM n`, f.session)
		body := f.get(t, base+"?show=no_reps").body
		wantContains(t, body, `rel="next"`, `href="`+base+`?page=2&amp;show=no_reps"`, "显示 100 个组织，共 102 个符合条件")
		body = f.get(t, base+"?show=no_reps&page=2").body
		wantContains(t, body, `rel="prev"`, "显示 2 个组织，共 102 个符合条件")
		// A page past the end shows the last one.
		wantContains(t, f.get(t, base+"?show=no_reps&page=9").body, "显示 2 个组织，共 102 个符合条件")
		recs, _ := csv.NewReader(strings.NewReader(strings.TrimPrefix(f.get(t, base+".csv?show=no_reps").body, "\uFEFF"))).ReadAll()
		if len(recs) != 103 {
			t.Errorf("the CSV has %d rows, want every one of the 102 and a header", len(recs)-1)
		}
	})

	t.Run("Links", func(t *testing.T) {
		wantContains(t, f.get(t, fmt.Sprintf("/admin/sessions/%d", f.session)).body,
			`href="`+base+`">会前准备情况</a>`)
		wantContains(t, f.get(t, fmt.Sprintf("/admin/sessions/%d/invitations", f.session)).body,
			fmt.Sprintf(`<tr id="ngo-%d">`, f.invA))
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		for _, p := range []string{fmt.Sprintf("/admin/sessions/%d/readiness", f.session+100000),
			fmt.Sprintf("/admin/sessions/%d/readiness.csv", f.session+100000), "/admin/sessions/abc/readiness", "/admin/sessions/01/readiness"} {
			if res := f.h.as(t, f.admin, get(p)); res.status != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", p, res.status)
			}
		}
		// Staff (even of an invited NGO) and the public may not see it.
		for _, p := range []string{base, base + ".csv"} {
			if res := f.h.as(t, f.staff, get(p)); res.status != http.StatusNotFound {
				t.Errorf("%s as staff: status %d, want 404", p, res.status)
			}
			if res := f.h.do(t, get(p)); res.status != http.StatusSeeOther {
				t.Errorf("%s signed out: status %d, want a redirect to sign in", p, res.status)
			}
		}
	})
}

// TestReadinessBoardNoCycle: a session with no reporting cycle shows the
// report columns as not applicable, and readiness leaves them out.
func TestReadinessBoardNoCycle(t *testing.T) {
	t.Parallel()
	f := newReadinessFixture(t)
	s := cyQueryID(t, f.h, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on)
		VALUES ('rdy-district', '区级准备会议', 'District readiness', 'district', '2071-03-01') RETURNING id`)
	inv := cyQueryID(t, f.h, `INSERT INTO invitations (session_id, ngo_id, reply) VALUES ($1, $2, 'confirmed') RETURNING id`, s, f.a)
	pubExec(t, f.h, `INSERT INTO representatives (invitation_id, position, name, mobile) VALUES ($1, 1, '代表', '13800000000')`, inv)
	body := f.get(t, fmt.Sprintf("/admin/sessions/%d/readiness", s)).body
	wantContains(t, body, "本次会议未关联报告周期", ">不适用<", `<span class="badge ok">已就绪</span>`, "已就绪</a> <strong>1</strong>")
	wantAbsent(t, body, "?show=no_report", "/admin/reports/")
	checkMarkup(t, body)
	checkDates(t, body)
}

// TestReadinessBoardStatements: the board and its CSV send the same
// statements with 3 invited NGOs as with 30.
func TestReadinessBoardStatements(t *testing.T) {
	t.Parallel()
	f := newReadinessFixture(t)
	pubExec(t, f.h, `DELETE FROM invitations WHERE session_id = $1 AND ngo_id = $2`, f.session, f.d)
	counted, log := countedHarness(t, f.h.db, nil)
	base := fmt.Sprintf("/admin/sessions/%d/readiness", f.session)
	measure := func(path string) []string {
		log.take()
		if res := counted.as(t, f.admin, get(path)); res.status != http.StatusOK {
			t.Fatalf("%s: status %d", path, res.status)
		}
		return log.take()
	}
	paths := []string{base, base + "?sort=answers&show=not_ready", base + ".csv"}
	var few [][]string
	for _, p := range paths {
		few = append(few, measure(p))
	}
	pubExec(t, f.h, `WITH n AS (
			INSERT INTO ngos (slug, name_zh, name_en)
			SELECT 'rdy-count-' || g, '准备计数' || g, 'Ready count ' || g FROM generate_series(1, 27) g RETURNING id),
		i AS (INSERT INTO invitations (session_id, ngo_id, reply) SELECT $1, id, 'confirmed' FROM n RETURNING id)
		INSERT INTO representatives (invitation_id, position, name, mobile) SELECT id, 1, '代表', '13900000000' FROM i`, f.session)
	if n := sessionTestCount(t, f.h, `SELECT count(*) FROM invitations WHERE session_id = $1 AND withdrawn_at IS NULL`, f.session); n != 30 {
		t.Fatalf("%d invited, want 30", n)
	}
	for i, p := range paths {
		many := measure(p)
		if len(few[i]) != len(many) {
			t.Errorf("%s: %d statements with 3 NGOs, %d with 30\n%s", p, len(few[i]), len(many), strings.Join(many, "\n---\n"))
		}
	}
	if !strings.Contains(counted.as(t, f.admin, get(base)).body, "准备计数27") {
		t.Error("the new NGOs are not on the board")
	}
}

// TestReadinessMessages: every message the board builds at run time
// exists in both languages.
func TestReadinessMessages(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, g := range portal.ReadinessGaps {
		keys = append(keys, "readiness.gap."+string(g))
	}
	for _, s := range portal.ReadinessShows {
		keys = append(keys, "readiness.show."+string(s))
	}
	for _, s := range portal.ReadinessSorts {
		keys = append(keys, "readiness.col."+string(s))
	}
	keys = append(keys, "readiness.dir.asc", "readiness.dir.desc")
	for _, l := range i18n.Locales {
		known := map[string]bool{}
		for _, k := range cat.Keys(l) {
			known[k] = true
		}
		for _, k := range keys {
			if !known[k] {
				t.Errorf("%s lacks %q", l, k)
			}
		}
	}
}

// BenchmarkReadinessBoard is the readiness board of a session with 2,000
// invited NGOs (half with a report of five plan items, a third confirmed
// with a representative) whose previous session made three requests, two
// to all and one to 200 NGOs, answered by items or by planning nothing:
//
//	go test -run '^$' -bench ReadinessBoard -benchmem ./internal/server/
func BenchmarkReadinessBoard(b *testing.B) {
	h := newBenchHarness(b)
	ctx := b.Context()
	pool := h.db.Pool()
	exec := func(sql string, args ...any) {
		b.Helper()
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			b.Fatalf("%s: %v", sql, err)
		}
	}
	one := func(sql string, args ...any) int64 {
		b.Helper()
		var id int64
		if err := pool.QueryRow(ctx, sql, args...).Scan(&id); err != nil {
			b.Fatalf("%s: %v", sql, err)
		}
		return id
	}
	cycle := one(`INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline)
		VALUES (2080, 2081, '2080-10-01', '2080-12-31') RETURNING id`)
	session := one(`INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, cycle_id)
		VALUES ('bench-2081', '2081年会议', '2081 session', 'municipal', '2081-01-20', 'scheduled', $1) RETURNING id`, cycle)
	prev := one(`INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status)
		VALUES ('bench-2080', '2080年会议', '2080 session', 'municipal', '2080-01-20', 'held') RETURNING id`)
	exec(`INSERT INTO ngos (slug, name_zh, name_en)
		SELECT 'bench-' || g, '基准组织' || md5(g::text), 'Bench NGO ' || md5(g::text) FROM generate_series(1, 2000) g`)
	exec(`INSERT INTO invitations (session_id, ngo_id, reply)
		SELECT $1, id, CASE WHEN id % 3 = 0 THEN 'confirmed' ELSE 'none' END FROM ngos WHERE slug LIKE 'bench-%'`, session)
	exec(`INSERT INTO invitations (session_id, ngo_id, reply) SELECT $1, id, 'confirmed' FROM ngos WHERE slug LIKE 'bench-%'`, prev)
	exec(`INSERT INTO representatives (invitation_id, position, name, mobile)
		SELECT id, 1, '代表', '13800000000' FROM invitations WHERE session_id = $1 AND reply = 'confirmed'`, session)
	exec(`INSERT INTO reports (cycle_id, ngo_id, status, submitted_at)
		SELECT $1, id, 'submitted', now() FROM ngos WHERE slug LIKE 'bench-%' AND id % 2 = 0`, cycle)
	exec(`INSERT INTO report_plan_items (report_id, position, title)
		SELECT r.id, g, '计划' FROM reports r, generate_series(1, 5) g WHERE r.cycle_id = $1`, cycle)
	exec(`INSERT INTO session_requests (session_id, number, text_zh, addressed_to_all)
		SELECT $1, g, '要求', g < 3 FROM generate_series(1, 3) g`, prev)
	exec(`INSERT INTO request_recipients (request_id, ngo_id)
		SELECT q.id, n.id FROM session_requests q, ngos n
		WHERE q.session_id = $1 AND q.number = 3 AND n.slug LIKE 'bench-%' AND n.id % 10 = 0`, prev)
	exec(`INSERT INTO report_plan_item_requests (plan_item_id, request_id)
		SELECT p.id, q.id FROM report_plan_items p JOIN reports r ON r.id = p.report_id AND r.cycle_id = $1
		JOIN session_requests q ON q.session_id = $2 AND q.number = p.position
		WHERE r.ngo_id % 4 <> 0`, cycle, prev)
	exec(`INSERT INTO request_responses (request_id, ngo_id, nothing_planned, reason)
		SELECT q.id, n.id, true, '已有安排' FROM session_requests q, ngos n
		WHERE q.session_id = $1 AND q.number = 1 AND n.slug LIKE 'bench-%' AND n.id % 2 = 1`, prev)
	exec(`ANALYZE`)
	admin := one(`INSERT INTO users (email, name, role, status, password_hash, password_changed_at)
		VALUES ('bench-admin@example.org', '管理员', 'admin', 'active', $1, now()) RETURNING id`, testPasswordHash)
	token := newToken()
	if err := h.db.CreateLoginSession(ctx, portal.Actor{UserID: admin, RequestID: "bench"}, admin, token, "", 12*time.Hour, 12*time.Hour); err != nil {
		b.Fatal(err)
	}
	v, err := h.srv.cookies.Codecs[0].Encode(sessionCookie, map[any]any{sessionIDKey: token})
	if err != nil {
		b.Fatal(err)
	}
	base := fmt.Sprintf("/admin/sessions/%d/readiness", session)
	for _, bc := range []struct{ name, path string }{
		{"Page", base},
		{"NotReadyByAnswersPage3", base + "?show=not_ready&sort=answers&page=3"},
		{"English", base + "?lang=en&sort=reply&dir=desc"},
		{"CSV", base + ".csv"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			r := get(bc.path)
			r.AddCookie(&http.Cookie{Name: sessionCookie, Value: v})
			benchServe(b, h.srv, r, http.StatusOK)
		})
	}
}
