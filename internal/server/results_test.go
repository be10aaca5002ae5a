package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"ngoportal/internal/pgtest"
	"ngoportal/internal/portal"
)

func init() {
	for k, v := range map[string]access{
		"GET /admin/sessions/{id}/results":                  officials,
		"GET /admin/sessions/{id}/results/ngos.csv":         officials,
		"GET /admin/sessions/{id}/results/items.csv":        officials,
		"GET /admin/sessions/{id}/results/requests/{reqID}": officials,
		"GET /admin/sessions/{id}/results/ngos/{ngoID}":     officials,
	} {
		routeRules[k] = v
	}
	matrixFixtures = append(matrixFixtures, func(t *testing.T, h *harness, _ int64, ids, objectIDs map[string]string) {
		// The NGO the {ngoID} routes name must belong to the session for
		// its results page to exist: invite it when it is not.
		if _, err := h.db.Pool().Exec(t.Context(), `
			INSERT INTO invitations (session_id, ngo_id) VALUES ($1::bigint, $2::bigint)
			ON CONFLICT (session_id, ngo_id) DO NOTHING`, ids["/admin/sessions/{id}"], objectIDs["{ngoID}"]); err != nil {
			t.Fatal(err)
		}
	})
}

// resultsHarness is the demo federation plus pgtest's results fixture and
// an admin's and a staff member's cookies.
func resultsHarness(t *testing.T) (*harness, pgtest.ResultsFixture, *http.Cookie, *http.Cookie) {
	t.Helper()
	h := newHarness(t, nil)
	f := pgtest.NewResultsFixture(t, h.db)
	admin := createUser(t, h, portal.RoleAdmin, 0, "results-admin@example.org", "成效管理员")
	staff := createUser(t, h, portal.RoleStaff, f.A, "results-staff@example.org", "成效员工")
	return h, f, h.sessionCookie(t, admin), h.sessionCookie(t, staff)
}

// wantOrder fails unless the texts appear in body in this order.
func wantOrder(t *testing.T, body string, texts ...string) {
	t.Helper()
	last := -1
	for _, s := range texts {
		i := strings.Index(body, s)
		if i < 0 || i < last {
			t.Errorf("%q at %d, after %d: want %q in order", s, i, last, texts)
			return
		}
		last = i
	}
}

// The pages show pgtest.NewResultsFixture's hand-computed figures.
func TestResultsPages(t *testing.T) {
	t.Parallel()
	h, f, admin, staff := resultsHarness(t)
	base := fmt.Sprintf("/admin/sessions/%d/results", f.Session)
	q1 := fmt.Sprintf("%s/requests/%d", base, f.Q1)
	q2 := fmt.Sprintf("%s/requests/%d", base, f.Q2)
	ngo := func(id int64) string { return fmt.Sprintf("%s/ngos/%d", base, id) }
	page := func(t *testing.T, path string) string {
		t.Helper()
		res := h.as(t, admin, get(path))
		if res.status != http.StatusOK {
			t.Fatalf("%s: status %d", path, res.status)
		}
		checkDates(t, res.body)
		return res.body
	}

	t.Run("SessionPageLinks", func(t *testing.T) {
		body := page(t, fmt.Sprintf("/admin/sessions/%d", f.Session))
		wantContains(t, body, `href="`+base+`"`, `href="`+q1+`"`, "要求 1 的成效", `href="`+q2+`"`, "要求 2 的成效")
	})

	t.Run("Index", func(t *testing.T) {
		body := page(t, base)
		wantContains(t, body,
			"2040年工作总结和2041年工作计划", "2041年1月19日",
			// Q1 and Q2
			"有计划 3，无计划 1，未答复 0", "4 项（3 家组织）", "其中 1 项所属报告尚未通过",
			"已完成 1，部分完成 0，未完成 1，未报告 2", "1 / 4（25%）",
			"有计划 1，无计划 0，未答复 1", "1 项（1 家组织）", "0 / 1（0%）",
			`href="`+q1+`"`, `href="`+q2+`"`,
			// totals
			"全部计划事项 6 项：已完成 1，部分完成 1，未完成 1，未报告 3；完成率 1 / 6（17%）",
			"成效主题甲", "成效项目乙", "未标注",
			// NGOs
			"0 / 2（0%）", "无计划事项", "已提交，待审阅", "未提交", `href="`+ngo(f.B)+`"`,
			"/results/ngos.csv", "/results/items.csv")
		wantAbsent(t, body, "尔雅女性沙龙")
		wantOrder(t, body, "安心妇女服务社", "百合女性发展中心", "春晖姐妹会", "丁香女子协会")
		wantOrder(t, page(t, base+"?sort=rate"), `aria-current="page">按完成率`, "百合女性发展中心", "安心妇女服务社", "春晖姐妹会")
		en := page(t, base+"?lang=en")
		wantContains(t, en, "planned 3, nothing planned 1, no answer 0", "1 / 6 (17%)", "Results theme one")
		wantOrder(t, en, "Clove Women&#39;s Club", "Lily Women&#39;s Network", "Peace of Mind Women", "Spring Light Sisters")
	})

	t.Run("Request", func(t *testing.T) {
		body := page(t, q1)
		wantContains(t, body, "要求 1 的成效", "拓宽女性发展指导服务平台",
			"职业女性交流沙龙", "妇女法律咨询日", "场地取消", "长三角女性人才交流", "补充计划", "举办两场交流会",
			"社区志愿服务", "所属报告已提交，待审阅，暂不计入", "今年人手不足", `href="`+ngo(f.C)+`"`)
		wantAbsent(t, body, "团队建设", "线上家庭教育讲座", "尚未答复的组织")
		wantOrder(t, body, "有计划事项的组织", "安心妇女服务社", "百合女性发展中心", "丁香女子协会", "无计划的组织", "春晖姐妹会")
		// An item answering two requests shows under both.
		body = page(t, q2)
		wantContains(t, body, "职业女性交流沙龙", "尚未答复的组织", "丁香女子协会", "0 / 1（0%）")
		wantAbsent(t, body, "妇女法律咨询日", "百合女性发展中心")
	})

	t.Run("NGO", func(t *testing.T) {
		body := page(t, ngo(f.A))
		wantContains(t, body, "安心妇女服务社：2041年计划与成效", "0 / 2（0%）", "职业女性交流沙龙", "线上家庭教育讲座",
			`href="`+q1+`"`, `href="`+q2+`"`, "有计划", "/admin/ngos/")
		body = page(t, ngo(f.B))
		wantContains(t, body, "1 / 4（25%）", "长三角女性人才交流", "补充计划", "亲子阅读讲座", "部分完成", "完成一半")
		body = page(t, ngo(f.C))
		wantContains(t, body, "无计划事项", "今年人手不足", "该组织没有本年度的计划事项。")
		body = page(t, ngo(f.D))
		wantContains(t, body, "社区志愿服务", "所属报告已提交，待审阅，暂不计入", "未答复")
		wantAbsent(t, body, "团队建设")
	})

	t.Run("CSV", func(t *testing.T) {
		res := h.as(t, admin, get(base+"/ngos.csv"))
		if res.status != http.StatusOK || res.header.Get("Content-Disposition") != `attachment; filename="results-results-2041-ngos.csv"` ||
			!strings.HasPrefix(res.body, "\uFEFF") {
			t.Fatalf("%d %v", res.status, res.header)
		}
		want := "\uFEFF组织（中文名）,组织（英文名）,年度报告状态,计划事项,已完成,部分完成,未完成,未报告,完成率（%）\r\n" +
			"安心妇女服务社,Peace of Mind Women,已通过,2,0,0,0,2,0\r\n" +
			"百合女性发展中心,Lily Women's Network,已通过,4,1,1,1,1,25\r\n" +
			"春晖姐妹会,Spring Light Sisters,未提交,0,0,0,0,0,\r\n" +
			"丁香女子协会,Clove Women's Club,已提交，待审阅,0,0,0,0,0,\r\n"
		if res.body != want {
			t.Errorf("ngos.csv:\n%s\nwant\n%s", res.body, want)
		}
		res = h.as(t, admin, get(base+"/items.csv?lang=en"))
		lines := strings.Split(strings.TrimSpace(res.body), "\r\n")
		if res.status != http.StatusOK || len(lines) != 8 {
			t.Fatalf("items.csv: %d, %d lines\n%s", res.status, len(lines), res.body)
		}
		wantContains(t, res.body,
			"安心妇女服务社,Peace of Mind Women,annual report,accepted,1,职业女性交流沙龙,1 2,成效主题甲,Results theme one,成效项目甲,Results project one,yes,not reported,",
			"百合女性发展中心,Lily Women's Network,plan addendum,,1,长三角女性人才交流,1,成效主题甲,Results theme one,成效项目乙,Results project two,yes,done,举办两场交流会",
			"丁香女子协会,Clove Women's Club,annual report,\"submitted, awaiting review\",1,社区志愿服务,1,,,,,no,not reported,")
		wantOrder(t, res.body, "Clove", "Lily", "Peace")
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		other := cyQueryID(t, h, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on)
			VALUES ('results-other', '其他会议', 'Other session', 'district', '2041-03-01') RETURNING id`)
		otherReq := cyQueryID(t, h, `INSERT INTO session_requests (session_id, number, text_zh) VALUES ($1, 1, '其他要求') RETURNING id`, other)
		for _, p := range []string{
			fmt.Sprintf("%s/requests/%d", base, otherReq), // a request of another session
			base + "/requests/999999999", ngo(f.E), ngo(999999999), base + "/ngos/0",
			"/admin/sessions/999999999/results", "/admin/sessions/999999999/results/ngos.csv",
		} {
			if res := h.as(t, admin, get(p)); res.status != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", p, res.status)
			}
		}
		// The other session has no cycle: its page says so.
		wantContains(t, page(t, fmt.Sprintf("/admin/sessions/%d/results", other)), "本次会议尚未关联报告周期")
	})

	t.Run("ErrNotFoundForStaff", func(t *testing.T) {
		for _, p := range []string{base, q1, ngo(f.A), base + "/ngos.csv"} {
			if res := h.as(t, staff, get(p)); res.status != http.StatusNotFound {
				t.Errorf("%s as staff: status %d, want 404", p, res.status)
			}
		}
	})
}

// Each results page sends as many statements with 30 more NGOs as with the
// fixture's few.
func TestResultsStatements(t *testing.T) {
	t.Parallel()
	h, f, admin, _ := resultsHarness(t)
	counted, log := countedHarness(t, h.db, nil)
	base := fmt.Sprintf("/admin/sessions/%d/results", f.Session)
	pages := []string{base, fmt.Sprintf("%s/requests/%d", base, f.Q1), fmt.Sprintf("%s/ngos/%d", base, f.B),
		base + "/ngos.csv", base + "/items.csv"}
	measure := func() []int {
		var n []int
		for _, p := range pages {
			log.take()
			if res := counted.as(t, admin, get(p)); res.status != http.StatusOK {
				t.Fatalf("%s: status %d", p, res.status)
			}
			n = append(n, len(log.take()))
		}
		return n
	}
	few := measure()
	pgtest.AddResultsNGOs(t, h.db, f, 30, 2, "stmt")
	many := measure()
	for i, p := range pages {
		if few[i] != many[i] {
			t.Errorf("%s: %d statements, %d with 30 more NGOs", p, few[i], many[i])
		}
	}
	if res := counted.as(t, admin, get(base)); !strings.Contains(res.body, "成效组织stmt1") {
		t.Error("the added NGOs are not on the page")
	}
}
