package postgres_test

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"ngoportal/internal/pgtest"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// The figures of pgtest.NewResultsFixture, computed by hand there.
func TestResultsFigures(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	f := pgtest.NewResultsFixture(t, db)
	ctx := t.Context()
	oc := func(done, partly, notDone, notReported int) portal.OutcomeCounts {
		return portal.OutcomeCounts{Done: done, Partly: partly, NotDone: notDone, NotReported: notReported}
	}

	t.Run("Requests", func(t *testing.T) {
		got, err := db.ResultsRequests(ctx, f.Session, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := []portal.RequestResult{
			{ID: f.Q1, Number: 1, TextZH: "拓宽女性发展指导服务平台", TextEN: "Broaden the guidance and service platform for women's development",
				AddressedToAll: true, Addressed: 4, Planned: 3, Nothing: 1, Items: 4, ItemNGOs: 3, Pending: 1, Outcomes: oc(1, 0, 1, 2)},
			{ID: f.Q2, Number: 2, TextZH: "讲好上海女性故事", TextEN: "Tell the story of Shanghai women well",
				Addressed: 2, Planned: 1, Items: 1, ItemNGOs: 1, Outcomes: oc(0, 0, 0, 1)},
		}
		if !reflect.DeepEqual(want, got) {
			t.Errorf("\n got %+v\nwant %+v", got, want)
		}
		if got[1].None() != 1 || got[0].None() != 0 {
			t.Errorf("none: %d, %d", got[0].None(), got[1].None())
		}
	})
	t.Run("ErrNotFoundRequestOfAnotherSession", func(t *testing.T) {
		other, err := db.ResultsRequests(ctx, f.Session+1000, f.Q1)
		if !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("got %v, %v", other, err)
		}
	})

	t.Run("Totals", func(t *testing.T) {
		got, err := db.ResultsTotals(ctx, f.Session)
		if err != nil {
			t.Fatal(err)
		}
		want := portal.ResultsTotals{
			Themes: []portal.ResultsGroup{
				{ID: f.Theme1, NameZH: "成效主题甲", NameEN: "Results theme one", Outcomes: oc(1, 0, 0, 2)}, // A1 A2 B3
				{ID: f.Theme2, NameZH: "成效主题乙", NameEN: "Results theme two", Outcomes: oc(0, 1, 1, 1)}, // A2 B1 B4
				{Outcomes: oc(0, 0, 0, 1)}, // B2
			},
			Projects: []portal.ResultsGroup{
				{ID: f.Project1, NameZH: "成效项目甲", NameEN: "Results project one", Outcomes: oc(0, 0, 1, 1)}, // A1 B1
				{ID: f.Project2, NameZH: "成效项目乙", NameEN: "Results project two", Outcomes: oc(1, 1, 0, 0)}, // B3 B4
				{Outcomes: oc(0, 0, 0, 2)}, // A2 B2
			},
			Total: oc(1, 1, 1, 3),
		}
		if !reflect.DeepEqual(want, got) {
			t.Errorf("\n got %+v\nwant %+v", got, want)
		}
	})

	t.Run("NGOs", func(t *testing.T) {
		ngos := func(sort portal.ResultsSort, english bool, limit, offset int) ([]int64, int) {
			t.Helper()
			got, total, err := db.ResultsNGOs(ctx, postgres.ResultsNGOFilter{SessionID: f.Session, Sort: sort, English: english, Limit: limit, Offset: offset})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, n := range got {
				ids = append(ids, n.NGOID)
			}
			return ids, total
		}
		if ids, total := ngos(portal.ResultsByName, false, 0, 0); !slices.Equal(ids, []int64{f.A, f.B, f.C, f.D}) || total != 4 {
			t.Errorf("by pinyin: %v (%d)", ids, total)
		}
		if ids, _ := ngos(portal.ResultsByName, true, 0, 0); !slices.Equal(ids, []int64{f.D, f.B, f.A, f.C}) {
			t.Errorf("by English name: %v", ids)
		}
		if ids, _ := ngos(portal.ResultsByRate, false, 0, 0); !slices.Equal(ids, []int64{f.B, f.A, f.C, f.D}) {
			t.Errorf("by rate: %v", ids)
		}
		if ids, total := ngos(portal.ResultsByName, false, 2, 2); !slices.Equal(ids, []int64{f.C, f.D}) || total != 4 {
			t.Errorf("second page: %v (%d)", ids, total)
		}
		got, _, err := db.ResultsNGOs(ctx, postgres.ResultsNGOFilter{SessionID: f.Session})
		if err != nil {
			t.Fatal(err)
		}
		want := []portal.NGOResult{
			{NGOID: f.A, NameZH: "安心妇女服务社", NameEN: "Peace of Mind Women", ReportStatus: portal.ReportAccepted, Outcomes: oc(0, 0, 0, 2)},
			{NGOID: f.B, NameZH: "百合女性发展中心", NameEN: "Lily Women's Network", ReportStatus: portal.ReportAccepted, Outcomes: oc(1, 1, 1, 1)},
			{NGOID: f.C, NameZH: "春晖姐妹会", NameEN: "Spring Light Sisters"},
			{NGOID: f.D, NameZH: "丁香女子协会", NameEN: "Clove Women's Club", ReportStatus: portal.ReportSubmitted},
		}
		if !reflect.DeepEqual(want, got) {
			t.Errorf("\n got %+v\nwant %+v", got, want)
		}
		if _, _, err := db.ResultsNGOs(ctx, postgres.ResultsNGOFilter{SessionID: f.Session, NGOID: f.E}); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("NGO not invited: %v", err)
		}
	})

	t.Run("Items", func(t *testing.T) {
		got, err := db.ResultsItems(ctx, postgres.ResultsItemFilter{SessionID: f.Session})
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			Title    string
			Source   portal.PlanItemSource
			Status   portal.ReportStatus
			Counted  bool
			Requests []int
			Outcome  portal.Outcome
			Note     string
		}
		var rows []row
		for _, it := range got {
			rows = append(rows, row{it.Title, it.Source, it.ReportStatus, it.Counted, it.Requests, it.Outcome, it.Note})
		}
		want := []row{
			{"职业女性交流沙龙", "report", "accepted", true, []int{1, 2}, "not_reported", ""},
			{"线上家庭教育讲座", "report", "accepted", true, []int{}, "not_reported", ""},
			{"妇女法律咨询日", "report", "accepted", true, []int{1}, "not_done", "场地取消"},
			{"姐妹读书会", "report", "accepted", true, []int{}, "not_reported", ""},
			{"亲子阅读讲座", "report", "accepted", true, []int{}, "partly", "完成一半"},
			{"长三角女性人才交流", "addendum", "", true, []int{1}, "done", "举办两场交流会"},
			{"社区志愿服务", "report", "submitted", false, []int{1}, "not_reported", ""},
		}
		if !reflect.DeepEqual(want, rows) {
			t.Errorf("\n got %+v\nwant %+v", rows, want)
		}
		if got[1].ThemesZH == nil || !slices.Equal(got[1].ThemesEN, []string{"Results theme one", "Results theme two"}) || got[0].ProjectZH != "成效项目甲" {
			t.Errorf("themes and project: %+v", got[1])
		}
		q2, err := db.ResultsItems(ctx, postgres.ResultsItemFilter{SessionID: f.Session, RequestID: f.Q2})
		if err != nil || len(q2) != 1 || q2[0].ID != f.A1 {
			t.Errorf("items of Q2: %+v, %v", q2, err)
		}
		of, err := db.ResultsItems(ctx, postgres.ResultsItemFilter{SessionID: f.Session, RequestID: f.Q1, NGOIDs: []int64{f.B}})
		if err != nil || len(of) != 2 || of[0].ID != f.B1 || of[1].ID != f.B3 {
			t.Errorf("B's items of Q1: %+v, %v", of, err)
		}
	})

	t.Run("RequestNGOs", func(t *testing.T) {
		got, total, err := db.ResultsRequestNGOs(ctx, f.Session, f.Q1, false, 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := []portal.RequestNGO{
			{NGOID: f.A, NameZH: "安心妇女服务社", NameEN: "Peace of Mind Women", Status: portal.ResponsePlanned},
			{NGOID: f.B, NameZH: "百合女性发展中心", NameEN: "Lily Women's Network", Status: portal.ResponsePlanned},
			{NGOID: f.D, NameZH: "丁香女子协会", NameEN: "Clove Women's Club", Status: portal.ResponsePlanned},
			{NGOID: f.C, NameZH: "春晖姐妹会", NameEN: "Spring Light Sisters", Status: portal.ResponseNothing, Reason: "今年人手不足"},
		}
		if !reflect.DeepEqual(want, got) || total != 4 {
			t.Errorf("total %d\n got %+v\nwant %+v", total, got, want)
		}
		got, total, err = db.ResultsRequestNGOs(ctx, f.Session, f.Q2, true, 100, 0)
		if err != nil || total != 2 || got[0].NGOID != f.A || got[1].NGOID != f.D || got[1].Status != portal.ResponseNone {
			t.Errorf("Q2: %+v (%d), %v", got, total, err)
		}
	})

	t.Run("Responses", func(t *testing.T) {
		for _, c := range []struct {
			ngo  int64
			want []portal.ResponseStatus
		}{
			{f.A, []portal.ResponseStatus{portal.ResponsePlanned, portal.ResponsePlanned}},
			{f.C, []portal.ResponseStatus{portal.ResponseNothing}},
			{f.D, []portal.ResponseStatus{portal.ResponsePlanned, portal.ResponseNone}},
			{f.E, nil},
		} {
			got, err := db.ResultsResponses(ctx, f.Session, c.ngo)
			if err != nil {
				t.Fatal(err)
			}
			var statuses []portal.ResponseStatus
			for _, r := range got {
				statuses = append(statuses, r.Status)
			}
			if !slices.Equal(statuses, c.want) {
				t.Errorf("NGO %d: %v, want %v", c.ngo, statuses, c.want)
			}
		}
	})
}

// The statements the figures take do not depend on the number of NGOs.
func TestResultsStatementsFixed(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	f := pgtest.NewResultsFixture(t, db)
	log := &statementLog{}
	traced := pgtest.Traced(t, db, log)
	ctx := t.Context()
	count := func() int {
		log.take()
		if _, err := traced.ResultsRequests(ctx, f.Session, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := traced.ResultsTotals(ctx, f.Session); err != nil {
			t.Fatal(err)
		}
		if _, _, err := traced.ResultsNGOs(ctx, postgres.ResultsNGOFilter{SessionID: f.Session, Limit: 100}); err != nil {
			t.Fatal(err)
		}
		return len(log.take())
	}
	few := count()
	pgtest.AddResultsNGOs(t, db, f, 30, 2, "more")
	if many := count(); many != few || few != 3 {
		t.Errorf("statements: %d, then %d with 30 more NGOs", few, many)
	}
	got, err := traced.ResultsRequests(ctx, f.Session, f.Q1)
	if err != nil || got[0].Addressed != 34 || got[0].Items != 34 || got[0].Outcomes.Done != 31 {
		t.Errorf("Q1 with 30 more NGOs: %+v, %v", got, err)
	}
}

// TestResultsNGOsNotInvited: an NGO a request is addressed to without an
// invitation, and an invited NGO whose invitation is withdrawn, are listed
// by name among the invited ones, on the right page and in the total, in
// both name orders; an NGO that is both invited and addressed is listed
// once.
func TestResultsNGOsNotInvited(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	f := pgtest.NewResultsFixture(t, db)
	ctx := t.Context()
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := db.Pool().Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	// 贝 (bei) sorts between 百 (bai) and 春 (chun); "Shell" between
	// "Peace" and "Spring".
	var g int64
	if err := db.Pool().QueryRow(ctx, `INSERT INTO ngos (slug, name_zh, name_en) VALUES ('results-beike', '贝壳女性联盟', 'Shell Women''s Alliance') RETURNING id`).Scan(&g); err != nil {
		t.Fatal(err)
	}
	exec(`INSERT INTO request_recipients (request_id, ngo_id) VALUES ($1, $2)`, f.Q2, g)
	exec(`INSERT INTO request_recipients (request_id, ngo_id) VALUES ($1, $2)`, f.Q2, f.C)
	exec(`UPDATE invitations SET withdrawn_at = now() WHERE session_id = $1 AND ngo_id = $2`, f.Session, f.C)
	ngos := func(english bool, limit, offset int) ([]int64, int) {
		t.Helper()
		got, total, err := db.ResultsNGOs(ctx, postgres.ResultsNGOFilter{SessionID: f.Session, English: english, Limit: limit, Offset: offset})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, n := range got {
			ids = append(ids, n.NGOID)
		}
		return ids, total
	}
	for _, c := range []struct {
		name          string
		english       bool
		limit, offset int
		want          []int64
	}{
		{"ByPinyin", false, 0, 0, []int64{f.A, f.B, g, f.C, f.D}},
		{"ByPinyinFirstPage", false, 3, 0, []int64{f.A, f.B, g}},
		{"ByPinyinSecondPage", false, 2, 2, []int64{g, f.C}},
		{"ByPinyinLastPage", false, 2, 4, []int64{f.D}},
		{"ByEnglish", true, 0, 0, []int64{f.D, f.B, f.A, g, f.C}},
		{"ByEnglishSecondPage", true, 2, 2, []int64{f.A, g}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if ids, total := ngos(c.english, c.limit, c.offset); !slices.Equal(ids, c.want) || total != 5 {
				t.Errorf("got %v (%d in all), want %v (5)", ids, total, c.want)
			}
		})
	}
	t.Run("OneNGO", func(t *testing.T) {
		got, total, err := db.ResultsNGOs(ctx, postgres.ResultsNGOFilter{SessionID: f.Session, NGOID: g})
		if err != nil || len(got) != 1 || got[0].NGOID != g || got[0].NameEN != "Shell Women's Alliance" || total != 1 {
			t.Errorf("got %+v (%d), %v", got, total, err)
		}
	})
}
