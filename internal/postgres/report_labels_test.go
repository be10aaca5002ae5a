package postgres_test

import (
	"testing"
)

func TestReportLabels(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	f := newCyFixture(t)
	retired := f.id(t, `UPDATE themes SET active = false WHERE id = (SELECT min(id) FROM themes) RETURNING id`)
	session := f.id(t, `SELECT min(session_id) FROM session_requests`)

	l, err := f.db.ReportLabels(ctx, session)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Themes) != 6 || len(l.Projects) != 4 {
		t.Errorf("themes %d, projects %d; want every demo term, retired ones too (6, 4)", len(l.Themes), len(l.Projects))
	}
	if _, ok := l.Themes[retired]; !ok {
		t.Error("a retired theme is missing: old reports must still name it")
	}
	if len(l.Requests) != 2 {
		t.Errorf("requests = %d, want the session's 2", len(l.Requests))
	}
	en := func(zh, en string) string { return en }
	if got := l.ThemeNames([]int64{retired, 999999}, en); len(got) != 1 || got[0] != l.Themes[retired].NameEN {
		t.Errorf("ThemeNames = %v, want the retired theme's name and no entry for an unknown id", got)
	}
	if l.ProjectName(0, en) != "" {
		t.Error("ProjectName(0) should be empty")
	}

	none, err := f.db.ReportLabels(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(none.Requests) != 0 || len(none.Themes) != 6 {
		t.Errorf("without a session: %d requests, %d themes", len(none.Requests), len(none.Themes))
	}
}
