package postgres_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"ngoportal/internal/export"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// TestCycleExport: the admin's exports hold the reports submitted at least
// once (submitted, returned, accepted) with every row, in NGO order; a
// draft and another cycle's report are left out.
func TestCycleExport(t *testing.T) {
	f := newRPFixture(t)
	ctx := t.Context()
	ngoC := f.id(t, `INSERT INTO ngos (slug, name_zh, name_en) VALUES ('ngo-c', '丙会', 'NGO C') RETURNING id`)
	ngoD := f.id(t, `INSERT INTO ngos (slug, name_zh, name_en) VALUES ('ngo-d', '丁会', 'NGO D') RETURNING id`)
	otherCycle := f.id(t, `INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline) VALUES (2031, 2032, '2031-11-01', '2031-12-31') RETURNING id`)
	t1 := f.id(t, `INSERT INTO themes (name_zh, name_en, position) VALUES ('疫情防控', 'Epidemic response', 1) RETURNING id`)
	t2 := f.id(t, `INSERT INTO themes (name_zh, name_en, position, active) VALUES ('女性创业', 'Women''s careers', 2, false) RETURNING id`)
	k1 := f.id(t, `INSERT INTO key_projects (name_zh, name_en, position) VALUES ('巾帼建功', 'Women''s achievement', 1) RETURNING id`)
	session := f.id(t, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on) VALUES ('s2031', '会议', 'Session', 'municipal', '2031-01-19') RETURNING id`)
	q1 := f.id(t, `INSERT INTO session_requests (session_id, number, text_zh) VALUES ($1, 1, '拓宽平台') RETURNING id`, session)
	q2 := f.id(t, `INSERT INTO session_requests (session_id, number, text_zh, text_en) VALUES ($1, 2, '讲好故事', 'Tell the story') RETURNING id`, session)
	f.id(t, `INSERT INTO session_requests (session_id, number, text_zh) VALUES ($1, 3, '无人回应') RETURNING id`, session)

	a := f.report(t, f.cycle, f.ngoA, "accepted")
	f.exec(t, `UPDATE reports SET highlight = '服务三千人', legal_representative = '李静' WHERE id = $1`, a)
	act := f.id(t, `INSERT INTO report_activities (report_id, position, title, kind, mode, starts_on, ends_on, people_reached, women_reached, partners)
		VALUES ($1, 2, '讲座', 'lecture', 'online', '2030-03-08', '2030-03-09', 120, 100, '社区') RETURNING id`, a)
	f.exec(t, `INSERT INTO report_activity_themes (activity_id, theme_id) VALUES ($1, $2), ($1, $3)`, act, t2, t1)
	f.exec(t, `INSERT INTO report_activities (report_id, position, title, kind, mode, starts_on, ends_on)
		VALUES ($1, 1, '培训', 'training', 'offline', '2030-01-02', '2030-01-02')`, a)
	f.exec(t, `INSERT INTO report_media (report_id, position, channel, items, reads) VALUES ($1, 1, 'weibo', 5, 200), ($1, 2, 'wechat', 10, 3000000000)`, a)
	plan := f.id(t, `INSERT INTO report_plan_items (report_id, position, title, description, quarter, key_project_id)
		VALUES ($1, 1, '导师计划', '结对', 2, $2) RETURNING id`, a, k1)
	f.exec(t, `INSERT INTO report_plan_item_themes (plan_item_id, theme_id) VALUES ($1, $2)`, plan, t1)
	f.exec(t, `INSERT INTO report_plan_item_requests (plan_item_id, request_id) VALUES ($1, $2), ($1, $3)`, plan, q2, q1)
	f.exec(t, `INSERT INTO report_plan_items (report_id, position, title) VALUES ($1, 2, '年会')`, a)

	b := f.report(t, f.cycle, f.ngoB, "returned")
	f.exec(t, `INSERT INTO report_plan_items (report_id, position, title, quarter) VALUES ($1, 1, '交流', 4)`, b)
	c := f.report(t, f.cycle, ngoC, "submitted")
	d := f.report(t, f.cycle, ngoD, "draft")
	f.exec(t, `INSERT INTO report_activities (report_id, position, title, kind, mode, starts_on, ends_on)
		VALUES ($1, 1, '草稿活动', 'other', 'online', '2030-01-02', '2030-01-02')`, d)
	other := f.report(t, otherCycle, f.ngoA, "accepted")
	f.exec(t, `INSERT INTO report_activities (report_id, position, title, kind, mode, starts_on, ends_on)
		VALUES ($1, 1, '他年活动', 'other', 'online', '2031-01-02', '2031-01-02')`, other)

	got, err := f.db.CycleExport(ctx, f.cycle)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OKReports", func(t *testing.T) {
		if got.CycleID != f.cycle || got.ReviewYear != 2030 || got.PlanYear != 2031 {
			t.Errorf("cycle %d %d/%d", got.CycleID, got.ReviewYear, got.PlanYear)
		}
		var ids []int64
		var statuses []portal.ReportStatus
		for _, r := range got.Reports {
			ids, statuses = append(ids, r.ID), append(statuses, r.Status)
		}
		// By Chinese name in pinyin order: 丙 bǐng, 甲 jiǎ, 乙 yǐ (code-point
		// order is 丙, 乙, 甲, and id order A, B, C).
		if !reflect.DeepEqual(ids, []int64{c, a, b}) ||
			!reflect.DeepEqual(statuses, []portal.ReportStatus{portal.ReportSubmitted, portal.ReportAccepted, portal.ReportReturned}) {
			t.Fatalf("reports %v %v, want C (submitted), A (accepted), B (returned)", ids, statuses)
		}
		r := got.Reports[1]
		if r.NGOSlug != "ngo-a" || r.NGONameZH != "甲会" || r.NGONameEN != "NGO A" || r.NGOID != f.ngoA || r.CycleID != f.cycle ||
			r.Highlight != "服务三千人" || r.LegalRepresentative != "李静" || r.SubmittedAt.IsZero() || r.AcceptedAt.IsZero() {
			t.Errorf("report A %+v", r)
		}
		if !got.Reports[2].AcceptedAt.IsZero() || got.Reports[2].SubmittedAt.IsZero() {
			t.Errorf("report B dates %v %v", got.Reports[2].SubmittedAt, got.Reports[2].AcceptedAt)
		}
	})
	t.Run("OKRows", func(t *testing.T) {
		if len(got.Reports) != 3 {
			t.Skip("see OKReports")
		}
		r := got.Reports[1]
		for i := range r.Activities {
			r.Activities[i].ID = 0
		}
		wantAct := []portal.Activity{
			{Title: "培训", Kind: "training", Mode: "offline", StartsOn: isoDate("2030-01-02"), EndsOn: isoDate("2030-01-02"), ThemeIDs: []int64{}},
			{Title: "讲座", Kind: "lecture", Mode: "online", StartsOn: isoDate("2030-03-08"), EndsOn: isoDate("2030-03-09"),
				PeopleReached: 120, WomenReached: 100, Partners: "社区", ThemeIDs: []int64{t1, t2}},
		}
		if !reflect.DeepEqual(r.Activities, wantAct) {
			t.Errorf("activities\n got %+v\nwant %+v", r.Activities, wantAct)
		}
		if len(r.Media) != 2 || r.Media[0].Channel != "weibo" || r.Media[1].Reads != 3000000000 || r.Media[1].Items != 10 {
			t.Errorf("media %+v", r.Media)
		}
		for i := range r.PlanItems {
			r.PlanItems[i].ID = 0
		}
		wantPlan := []portal.PlanItem{
			{Title: "导师计划", Description: "结对", Quarter: 2, KeyProjectID: k1, ThemeIDs: []int64{t1}, RequestIDs: []int64{q1, q2}},
			{Title: "年会", ThemeIDs: []int64{}, RequestIDs: []int64{}},
		}
		if !reflect.DeepEqual(r.PlanItems, wantPlan) {
			t.Errorf("plan items\n got %+v\nwant %+v", r.PlanItems, wantPlan)
		}
		if b := got.Reports[2]; len(b.PlanItems) != 1 || b.PlanItems[0].Quarter != 4 || len(b.Activities) != 0 || len(b.Media) != 0 {
			t.Errorf("report B rows %+v", b.ReportContent)
		}
	})
	t.Run("OKLabels", func(t *testing.T) {
		l := got.Labels
		if len(l.Themes) != 2 || l.Themes[t2].NameEN != "Women's careers" || l.Themes[t2].Active {
			t.Errorf("themes %+v", l.Themes)
		}
		if len(l.Projects) != 1 || l.Projects[k1].NameZH != "巾帼建功" {
			t.Errorf("projects %+v", l.Projects)
		}
		if len(l.Requests) != 2 || l.Requests[q1].Number != 1 || l.Requests[q2].TextEN != "Tell the story" {
			t.Errorf("requests %+v, want the two answered", l.Requests)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := f.db.CycleExport(ctx, otherCycle+1000); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})

	t.Run("OKOwnReport", func(t *testing.T) {
		mine, err := f.db.ReportExport(ctx, f.ngoA, a)
		if err != nil {
			t.Fatal(err)
		}
		if mine.CycleID != f.cycle || mine.ReviewYear != 2030 || len(mine.Reports) != 1 || mine.Reports[0].ID != a ||
			len(mine.Reports[0].Activities) != 2 || len(mine.Reports[0].Media) != 2 || len(mine.Reports[0].PlanItems) != 2 ||
			mine.Labels.Requests[q2].Number != 2 {
			t.Errorf("own report %+v", mine)
		}
	})
	t.Run("OKOwnDraft", func(t *testing.T) {
		mine, err := f.db.ReportExport(ctx, ngoD, d)
		if err != nil {
			t.Fatal(err)
		}
		if len(mine.Reports) != 1 || len(mine.Reports[0].Activities) != 1 || mine.Reports[0].Activities[0].Title != "草稿活动" {
			t.Errorf("own draft %+v", mine)
		}
	})
	t.Run("ErrOtherNGOsReport", func(t *testing.T) {
		if _, err := f.db.ReportExport(ctx, f.ngoB, a); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
		if _, err := f.db.ReportExport(ctx, f.ngoA, a+1000); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
}

// TestExportedStatuses: the admin's exports leave out drafts only.
func TestExportedStatuses(t *testing.T) {
	want := []portal.ReportStatus{portal.ReportSubmitted, portal.ReportReturned, portal.ReportAccepted}
	if !reflect.DeepEqual(export.ExportedStatuses, want) {
		t.Errorf("ExportedStatuses = %v", export.ExportedStatuses)
	}
}

func TestRecordReportsExport(t *testing.T) {
	f := newRPFixture(t)
	err := f.db.RecordReportsExport(t.Context(), f.staffA, postgres.ReportsExport{
		CycleID: f.cycle, NGOID: f.ngoA, ReportID: 42, File: "report-2030-ngo-a.xlsx", Format: "xlsx", Reports: 1})
	if err != nil {
		t.Fatal(err)
	}
	var objectType, requestID string
	var objectID, ngoID, actorID int64
	var raw []byte
	if err := f.db.Pool().QueryRow(t.Context(), `
		SELECT object_type, object_id, ngo_id, actor_id, request_id, changes FROM audit_log WHERE action = $1`,
		portal.AuditReportsExported).Scan(&objectType, &objectID, &ngoID, &actorID, &requestID, &raw); err != nil {
		t.Fatal(err)
	}
	if objectType != portal.AuditObjectCycle || objectID != f.cycle || ngoID != f.ngoA || actorID != f.staffA.UserID || requestID != "req-a" {
		t.Errorf("audit row %s %d ngo %d actor %d request %q", objectType, objectID, ngoID, actorID, requestID)
	}
	var changes map[string]portal.Change
	if err := json.Unmarshal(raw, &changes); err != nil {
		t.Fatal(err)
	}
	if changes["file"].After != "report-2030-ngo-a.xlsx" || changes["format"].After != "xlsx" ||
		changes["reports"].After != float64(1) || changes["report_id"].After != float64(42) {
		t.Errorf("changes %+v", changes)
	}
}
