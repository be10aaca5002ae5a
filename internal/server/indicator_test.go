package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestCycleIndicatorsPage checks every figure against values computed by
// hand from the fixture: only the three accepted reports count.
func TestCycleIndicatorsPage(t *testing.T) {
	t.Parallel()
	f := newExFixture(t)
	h := f.h
	res := h.as(t, f.admin, get(f.path("/indicators"), "Accept-Language", "en"))
	if res.status != http.StatusOK {
		t.Fatalf("status %d", res.status)
	}
	body := res.body
	active := cyQueryID(t, h, `SELECT count(*) FROM ngos WHERE active`)
	const lawyers, professors, volunteers = "Shanghai Women Lawyers Fellowship", "Shanghai Women Professors Fellowship", "Shanghai Women Volunteers Association"

	t.Run("OKHeadAndScope", func(t *testing.T) {
		wantContains(t, body, "<h1>Indicators for 2040 (plans for 2041)</h1>",
			"This page counts accepted reports only",
			fmt.Sprintf("3 of %d NGOs have an accepted report.", active),
			"That is 4 reports now.", // the files: three accepted and one submitted
			`href="`+f.path("/export/reports.csv")+`"`, `href="`+f.path("/export/activities.csv")+`"`,
			`href="`+f.path("/export/plan-items.csv")+`"`, `href="`+f.path("/export/cycle.xlsx")+`"`,
			"Reports (CSV)", "Workbook (Excel XLSX)")
		if n := strings.Count(body, "<h1"); n != 1 {
			t.Errorf("%d h1 elements", n)
		}
	})
	t.Run("OKNotAcceptedLeftOut", func(t *testing.T) {
		wantAbsent(t, body, "Shanghai Women Journalists Association", "Shanghai Women Architects Fellowship", "9,999", "77,777")
	})
	t.Run("OKTotals", func(t *testing.T) {
		wantTable(t, body, "ind-total-kind", [][]string{{"Kind", "Activities"}, {"Lecture", "2"}, {"Training", "1"}, {"Service", "1"}})
		wantTable(t, body, "ind-total-mode", [][]string{{"Mode", "Activities"}, {"Online", "1"}, {"Offline", "2"}, {"Online and offline", "1"}})
		wantTable(t, body, "ind-total-channel", [][]string{{"Channel", "Items published", "Total reads or views"},
			{"WeChat official account", "10", "1,000"}, {"Weibo", "5", "200"}, {"Douyin", "3", "300"}})
		wantTable(t, body, "ind-total-theme", [][]string{{"Theme", "Plan items"},
			{"Epidemic response", "2"}, {"Women's career development", "2"}, {"No theme", "1"}})
		wantTable(t, body, "ind-total-project", [][]string{{"Key project", "Plan items"},
			{"Women's Career Mentoring Programme", "2"}, {"No key project", "2"}})
		wantTable(t, body, "ind-total-request", [][]string{{"Request", "What was requested", "Plan items"},
			{"Request 1", "Broaden the guidance and service platform", "2"},
			{"Request 2", "Tell the story of Shanghai women well", "2"},
			{"Answers no request", "", "1"}})
		wantContains(t, body, "Women reached (70%)", `<p class="figure">2,040</p>`, `<p class="figure">1,440</p>`)
	})
	// An English reader gets the NGOs alphabetically; by Chinese name
	// (pinyin) the volunteers (巾帼 jīnguó) would come first.
	t.Run("OKByNGO", func(t *testing.T) {
		wantTable(t, body, "ind-ngo-activities", [][]string{
			{"NGO", "Activities", "Activities: Lecture", "Activities: Training", "Activities: Service", "Mode: Online", "Mode: Offline",
				"Mode: Online and offline", "People reached", "Of whom women", "Women's share (%)"},
			{lawyers, "2", "1", "1", "0", "1", "1", "0", "1,500", "1,300", "86%"},
			{professors, "1", "0", "0", "1", "0", "0", "1", "500", "100", "20%"},
			{volunteers, "1", "1", "0", "0", "0", "1", "0", "40", "40", "100%"},
			{"Total", "4", "2", "1", "1", "1", "2", "1", "2,040", "1,440", "70%"},
		})
		wantTable(t, body, "ind-ngo-media", [][]string{
			{"NGO", "New-media items", "New-media reads or views", "WeChat official account: items", "WeChat official account: reads",
				"Weibo: items", "Weibo: reads", "Douyin: items", "Douyin: reads"},
			{lawyers, "15", "1,200", "10", "1,000", "5", "200", "0", "0"},
			{professors, "3", "300", "0", "0", "0", "0", "3", "300"},
			{volunteers, "0", "0", "0", "0", "0", "0", "0", "0"},
			{"Total", "18", "1,500", "10", "1,000", "5", "200", "3", "300"},
		})
		wantTable(t, body, "ind-ngo-themes", [][]string{
			{"NGO", "Plan items", "Epidemic response", "Women's career development", "No theme"},
			{lawyers, "2", "1", "1", "1"}, {professors, "1", "0", "1", "0"}, {volunteers, "1", "1", "0", "0"},
			{"Total", "4", "2", "2", "1"},
		})
		wantTable(t, body, "ind-ngo-projects", [][]string{
			{"NGO", "Plan items", "Women's Career Mentoring Programme", "No key project"},
			{lawyers, "2", "1", "1"}, {professors, "1", "1", "0"}, {volunteers, "1", "0", "1"},
			{"Total", "4", "2", "2"},
		})
		wantTable(t, body, "ind-ngo-requests", [][]string{
			{"NGO", "Plan items", "Request 1", "Request 2", "Answers no request"},
			{lawyers, "2", "2", "1", "0"}, {professors, "1", "0", "0", "1"}, {volunteers, "1", "0", "1", "0"},
			{"Total", "4", "2", "2", "1"},
		})
	})
	t.Run("OKChinese", func(t *testing.T) {
		zh := h.as(t, f.admin, get(f.path("/indicators")))
		wantContains(t, zh.body, `<html lang="zh-CN">`, "<h1>2040年工作指标（2041年计划）</h1>", "上海市女律师联谊会",
			fmt.Sprintf("%d个组织中，已有3个组织的报告通过审核。", active))
		wantAbsent(t, zh.body, "Shanghai Women Lawyers Fellowship")
	})
	t.Run("OKNothingAccepted", func(t *testing.T) {
		empty := cyQueryID(t, h, `INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline) VALUES (2041, 2042, '2041-11-01', '2041-12-31') RETURNING id`)
		res := h.as(t, f.admin, get(adminCycleIndicatorsPath(empty), "Accept-Language", "en"))
		if res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, res.body, "No report has been accepted yet", fmt.Sprintf("0 of %d NGOs", active))
		wantAbsent(t, res.body, `id="ind-ngo-activities"`)
	})
	t.Run("ErrNoSuchCycle", func(t *testing.T) {
		if res := h.as(t, f.admin, get(adminCycleIndicatorsPath(f.cycle+1000))); res.status != http.StatusNotFound {
			t.Errorf("status %d, want 404", res.status)
		}
	})
}
