package postgres_test

import (
	"reflect"
	"testing"

	"ngoportal/internal/portal"
)

// TestCycleIndicators checks every figure against values computed by hand
// from the rows inserted below. Only NGO A's and NGO B's accepted reports
// count; NGO C's draft, NGO D's submitted report, NGO E's returned report
// and NGO A's accepted report of another cycle must change nothing.
func TestCycleIndicators(t *testing.T) {
	f := newRPFixture(t)
	ctx := t.Context()
	ngoC := f.id(t, `INSERT INTO ngos (slug, name_zh, name_en) VALUES ('ngo-c', '丙会', 'NGO C') RETURNING id`)
	ngoD := f.id(t, `INSERT INTO ngos (slug, name_zh, name_en) VALUES ('ngo-d', '丁会', 'NGO D') RETURNING id`)
	ngoE := f.id(t, `INSERT INTO ngos (slug, name_zh, name_en) VALUES ('ngo-e', '戊会', 'NGO E') RETURNING id`)
	otherCycle := f.id(t, `INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline) VALUES (2031, 2032, '2031-11-01', '2031-12-31') RETURNING id`)
	t1 := f.id(t, `INSERT INTO themes (name_zh, name_en, position) VALUES ('疫情防控', 'Epidemic response', 1) RETURNING id`)
	t2 := f.id(t, `INSERT INTO themes (name_zh, name_en, position) VALUES ('女性创业', 'Women''s careers', 2) RETURNING id`)
	k1 := f.id(t, `INSERT INTO key_projects (name_zh, name_en, position) VALUES ('巾帼建功', 'Women''s achievement', 1) RETURNING id`)
	session := f.id(t, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on) VALUES ('s2030', '会议', 'Session', 'municipal', '2030-01-19') RETURNING id`)
	q1 := f.id(t, `INSERT INTO session_requests (session_id, number, text_zh) VALUES ($1, 1, '拓宽平台') RETURNING id`, session)
	q2 := f.id(t, `INSERT INTO session_requests (session_id, number, text_zh) VALUES ($1, 2, '讲好故事') RETURNING id`, session)

	activity := func(report int64, pos int, kind, mode string, people, women int, themes ...int64) {
		id := f.id(t, `
			INSERT INTO report_activities (report_id, position, title, kind, mode, starts_on, ends_on, people_reached, women_reached)
			VALUES ($1, $2, '活动', $3, $4, '2030-03-01', '2030-03-02', $5, $6) RETURNING id`, report, pos, kind, mode, people, women)
		for _, th := range themes {
			f.exec(t, `INSERT INTO report_activity_themes (activity_id, theme_id) VALUES ($1, $2)`, id, th)
		}
	}
	media := func(report int64, pos int, channel string, items, reads int) {
		f.exec(t, `INSERT INTO report_media (report_id, position, channel, items, reads) VALUES ($1, $2, $3, $4, $5)`,
			report, pos, channel, items, reads)
	}
	plan := func(report int64, pos int, project int64, themes, requests []int64) {
		var kp any
		if project != 0 {
			kp = project
		}
		id := f.id(t, `INSERT INTO report_plan_items (report_id, position, title, key_project_id) VALUES ($1, $2, '计划', $3) RETURNING id`,
			report, pos, kp)
		for _, th := range themes {
			f.exec(t, `INSERT INTO report_plan_item_themes (plan_item_id, theme_id) VALUES ($1, $2)`, id, th)
		}
		for _, q := range requests {
			f.exec(t, `INSERT INTO report_plan_item_requests (plan_item_id, request_id) VALUES ($1, $2)`, id, q)
		}
	}
	// Everything a report not to be counted holds.
	noise := func(report int64) {
		activity(report, 1, "lecture", "online", 1000, 900, t1)
		media(report, 1, "wechat", 100, 10000)
		plan(report, 1, k1, []int64{t1}, []int64{q1})
	}

	a := f.report(t, f.cycle, f.ngoA, "accepted")
	activity(a, 1, "lecture", "online", 100, 80, t1)
	activity(a, 2, "lecture", "offline", 50, 50)
	activity(a, 3, "epidemic_response", "hybrid", 30, 10, t1, t2)
	media(a, 1, "wechat", 10, 1000)
	media(a, 2, "weibo", 5, 200)
	media(a, 3, "wechat", 2, 50)
	plan(a, 1, k1, []int64{t1, t2}, []int64{q1})
	plan(a, 2, 0, nil, []int64{q1, q2})

	b := f.report(t, f.cycle, f.ngoB, "accepted")
	activity(b, 1, "training", "online", 20, 20)
	media(b, 1, "douyin", 3, 300)
	plan(b, 1, k1, []int64{t2}, nil)

	noise(f.report(t, f.cycle, ngoC, "draft"))
	noise(f.report(t, f.cycle, ngoD, "submitted"))
	noise(f.report(t, f.cycle, ngoE, "returned"))
	noise(f.report(t, otherCycle, f.ngoA, "accepted"))

	got, err := f.db.CycleIndicators(ctx, f.cycle)
	if err != nil {
		t.Fatal(err)
	}

	wantA := portal.IndicatorSet{
		Activities:         3,
		ActivitiesByKind:   map[portal.ActivityKind]int{"lecture": 2, "epidemic_response": 1},
		ActivitiesByMode:   map[portal.ActivityMode]int{"online": 1, "offline": 1, "hybrid": 1},
		PeopleReached:      180,
		WomenReached:       140,
		MediaItems:         17,
		MediaReads:         1250,
		MediaByChannel:     map[portal.MediaChannel]portal.MediaFigures{"wechat": {Items: 12, Reads: 1050}, "weibo": {Items: 5, Reads: 200}},
		PlanItems:          2,
		PlanItemsByTheme:   map[int64]int{t1: 1, t2: 1, 0: 1},
		PlanItemsByProject: map[int64]int{k1: 1, 0: 1},
		PlanItemsByRequest: map[int64]int{q1: 2, q2: 1},
	}
	wantB := portal.IndicatorSet{
		Activities:         1,
		ActivitiesByKind:   map[portal.ActivityKind]int{"training": 1},
		ActivitiesByMode:   map[portal.ActivityMode]int{"online": 1},
		PeopleReached:      20,
		WomenReached:       20,
		MediaItems:         3,
		MediaReads:         300,
		MediaByChannel:     map[portal.MediaChannel]portal.MediaFigures{"douyin": {Items: 3, Reads: 300}},
		PlanItems:          1,
		PlanItemsByTheme:   map[int64]int{t2: 1},
		PlanItemsByProject: map[int64]int{k1: 1},
		PlanItemsByRequest: map[int64]int{0: 1},
	}
	wantTotal := portal.IndicatorSet{
		Activities:       4,
		ActivitiesByKind: map[portal.ActivityKind]int{"lecture": 2, "epidemic_response": 1, "training": 1},
		ActivitiesByMode: map[portal.ActivityMode]int{"online": 2, "offline": 1, "hybrid": 1},
		PeopleReached:    200,
		WomenReached:     160,
		MediaItems:       20,
		MediaReads:       1550,
		MediaByChannel: map[portal.MediaChannel]portal.MediaFigures{
			"wechat": {Items: 12, Reads: 1050}, "weibo": {Items: 5, Reads: 200}, "douyin": {Items: 3, Reads: 300}},
		PlanItems:          3,
		PlanItemsByTheme:   map[int64]int{t1: 1, t2: 2, 0: 1},
		PlanItemsByProject: map[int64]int{k1: 2, 0: 1},
		PlanItemsByRequest: map[int64]int{q1: 2, q2: 1, 0: 1},
	}

	t.Run("OKNGOsCounted", func(t *testing.T) {
		if got.NGOCount != 2 || len(got.NGOs) != 2 {
			t.Fatalf("NGOCount %d, %d NGOs; want 2", got.NGOCount, len(got.NGOs))
		}
		if got.NGOs[0].NGOID != f.ngoA || got.NGOs[0].ReportID != a || got.NGOs[0].NGONameZH != "甲会" ||
			got.NGOs[1].NGOID != f.ngoB || got.NGOs[1].ReportID != b || got.NGOs[1].NGONameEN != "NGO B" {
			t.Errorf("NGOs %+v", got.NGOs)
		}
		if got.ReviewYear != 2030 || got.PlanYear != 2031 || got.CycleID != f.cycle {
			t.Errorf("cycle %d: %d/%d", got.CycleID, got.ReviewYear, got.PlanYear)
		}
	})
	for _, tc := range []struct {
		name string
		got  func() portal.IndicatorSet
		want portal.IndicatorSet
	}{
		{"OKNGOA", func() portal.IndicatorSet { return got.NGOs[0].IndicatorSet }, wantA},
		{"OKNGOB", func() portal.IndicatorSet { return got.NGOs[1].IndicatorSet }, wantB},
		{"OKTotal", func() portal.IndicatorSet { return got.Total }, wantTotal},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if len(got.NGOs) != 2 {
				t.Skip("NGO list wrong; see OKNGOsCounted")
			}
			if g := tc.got(); !reflect.DeepEqual(g, tc.want) {
				t.Errorf("got  %+v\nwant %+v", g, tc.want)
			}
		})
	}
	t.Run("OKLabels", func(t *testing.T) {
		if len(got.Themes) != 2 || got.Themes[0].ID != t1 || got.Themes[1].NameEN != "Women's careers" {
			t.Errorf("themes %+v", got.Themes)
		}
		if len(got.Projects) != 1 || got.Projects[0].ID != k1 || got.Projects[0].NameZH != "巾帼建功" {
			t.Errorf("projects %+v", got.Projects)
		}
		if len(got.Requests) != 2 || got.Requests[0].ID != q1 || got.Requests[1].ID != q2 || got.Requests[1].Number != 2 {
			t.Errorf("requests %+v", got.Requests)
		}
	})
	t.Run("OKWomenShare", func(t *testing.T) {
		if p := got.Total.WomenSharePercent(); p != 80 {
			t.Errorf("women share %d%%, want 80%%", p)
		}
	})
}

func TestCycleIndicatorsEmpty(t *testing.T) {
	f := newRPFixture(t)
	f.report(t, f.cycle, f.ngoA, "draft")
	got, err := f.db.CycleIndicators(t.Context(), f.cycle)
	if err != nil {
		t.Fatal(err)
	}
	if want := portal.NewIndicatorSet(); got.NGOCount != 0 || len(got.NGOs) != 0 || !reflect.DeepEqual(got.Total, want) {
		t.Errorf("got %+v, want nothing counted", got)
	}
	if got.Total.WomenSharePercent() != 0 {
		t.Error("women share of nobody is not 0")
	}
}

func TestCycleIndicatorsErrNotFound(t *testing.T) {
	f := newRPFixture(t)
	if _, err := f.db.CycleIndicators(t.Context(), f.cycle+1000); !errorsIs(err, portal.ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
}
