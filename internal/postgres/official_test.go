package postgres_test

import (
	"reflect"
	"testing"

	"ngoportal/internal/portal"
)

func officialNames(list []portal.Official) []string {
	out := make([]string, 0, len(list))
	for _, o := range list {
		out = append(out, o.NameEN)
	}
	return out
}

func TestListOfficials(t *testing.T) {
	t.Parallel()
	db, actor := seeded(t)
	ctx := t.Context()

	// The demo roster: the chairperson first, then the vice chairpersons by
	// Chinese name (王 before 翁).
	all, err := db.ListOfficials(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := officialNames(all), []string{"Xu Feng", "Wang Jianzhang", "Weng Wenlei"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("demo roster %v, want %v", got, want)
	}

	// A secretary-general and an "other" added now go after them by post,
	// whatever their names; a retired chairperson goes with the chairpersons, but only in the
	// full list, after Xu Feng by name (徐 before 赵, by character and by
	// pinyin alike).
	end := isoDate("2017-12-31")
	for _, o := range []portal.Official{
		{NameZH: "艾琳", NameEN: "Ai Lin", Position: portal.PositionOther, TermStart: isoDate("2020-01-01"), Active: true},
		{NameZH: "包敏", NameEN: "Bao Min", Position: portal.PositionSecretary, TermStart: isoDate("2020-01-01"), Active: true},
		{NameZH: "赵前", NameEN: "Zhao Qian", Position: portal.PositionChair, TermStart: isoDate("2013-01-01"), TermEnd: &end, Active: false},
	} {
		if _, err := db.CreateOfficial(ctx, actor, o); err != nil {
			t.Fatalf("create %s: %v", o.NameEN, err)
		}
	}
	tests := []struct {
		name       string
		activeOnly bool
		want       []string
	}{
		{"All", false, []string{"Xu Feng", "Zhao Qian", "Wang Jianzhang", "Weng Wenlei", "Bao Min", "Ai Lin"}},
		{"ActiveOnly", true, []string{"Xu Feng", "Wang Jianzhang", "Weng Wenlei", "Bao Min", "Ai Lin"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			list, err := db.ListOfficials(ctx, tc.activeOnly)
			if err != nil {
				t.Fatal(err)
			}
			if got := officialNames(list); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCreateOfficial(t *testing.T) {
	t.Parallel()
	db, actor := seeded(t)
	ctx := t.Context()

	o, err := db.CreateOfficial(ctx, actor, portal.Official{
		NameZH: "沈慧琳", NameEN: "Shen Huilin", Position: portal.PositionSecretary,
		TermStart: isoDate("2022-03-01"), Active: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if o.ID == 0 || o.Version != 1 || !o.Active || o.TermEnd != nil || !o.TermStart.Equal(isoDate("2022-03-01")) {
		t.Errorf("created %+v", o)
	}
	got, err := db.OfficialByID(ctx, o.ID)
	if err != nil || !reflect.DeepEqual(got, o) {
		t.Errorf("OfficialByID = %+v, %v; want %+v", got, err, o)
	}
	audit := objectAudit(t, db, portal.AuditObjectOfficial, o.ID)
	if len(audit) != 1 || audit[0].Action != portal.AuditOfficialCreated {
		t.Fatalf("audit %+v, want one %s row", audit, portal.AuditOfficialCreated)
	}
	if c := audit[0].Changes["name_en"]; c.Before != nil || c.After != "Shen Huilin" {
		t.Errorf("audit name_en change %+v", c)
	}
	if c := audit[0].Changes["position"]; c.After != "secretary_general" {
		t.Errorf("audit position change %+v", c)
	}

	t.Run("ErrDuplicate", func(t *testing.T) {
		_, err := db.CreateOfficial(ctx, actor, portal.Official{
			NameZH: "沈慧琳", NameEN: "Another", Position: portal.PositionSecretary, TermStart: isoDate("2022-03-01"),
		})
		if f := validationField(err); f["name_zh"] != "official.err.duplicate" {
			t.Errorf("err = %v, want a validation error on name_zh", err)
		}
		if n := len(objectAudit(t, db, portal.AuditObjectOfficial, o.ID)); n != 1 {
			t.Errorf("%d audit rows after the refused duplicate, want 1", n)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := db.OfficialByID(ctx, o.ID+1000); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
}

func TestUpdateOfficial(t *testing.T) {
	t.Parallel()
	db, actor := seeded(t)
	ctx := t.Context()
	o, err := db.CreateOfficial(ctx, actor, portal.Official{
		NameZH: "沈慧琳", NameEN: "Shen Huilin", Position: portal.PositionSecretary,
		TermStart: isoDate("2022-03-01"), Active: true,
	})
	if err != nil {
		t.Fatal(err)
	}

	// Retire her: a term end and inactive.
	retired := o
	end := isoDate("2024-12-31")
	retired.TermEnd, retired.Active = &end, false
	saved, err := db.UpdateOfficial(ctx, actor, o.ID, retired)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Version != 2 || saved.Active || saved.TermEnd == nil || !saved.TermEnd.Equal(end) {
		t.Errorf("saved %+v", saved)
	}
	audit := objectAudit(t, db, portal.AuditObjectOfficial, o.ID)
	if len(audit) != 2 || audit[1].Action != portal.AuditOfficialUpdated {
		t.Fatalf("audit %+v", audit)
	}
	want := map[string]portal.Change{
		"term_end": {Before: "", After: "2024-12-31"},
		"active":   {Before: true, After: false},
	}
	if !reflect.DeepEqual(audit[1].Changes, want) {
		t.Errorf("audit changes %+v, want %+v", audit[1].Changes, want)
	}
	active, err := db.ListOfficials(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range active {
		if a.ID == o.ID {
			t.Error("a retired official is still in the active roster")
		}
	}

	t.Run("ErrConflict", func(t *testing.T) {
		stale := retired // still at version 1
		stale.NameEN = "Shen H."
		if _, err := db.UpdateOfficial(ctx, actor, o.ID, stale); !errorsIs(err, portal.ErrConflict) {
			t.Errorf("err = %v, want ErrConflict", err)
		}
		got, err := db.OfficialByID(ctx, o.ID)
		if err != nil || got.NameEN != "Shen Huilin" || got.Version != 2 {
			t.Errorf("after the stale save: %+v, %v", got, err)
		}
	})
	t.Run("NoChangeNoAudit", func(t *testing.T) {
		same, err := db.UpdateOfficial(ctx, actor, o.ID, saved)
		if err != nil || same.Version != 2 {
			t.Errorf("unchanged save = %+v, %v", same, err)
		}
		if n := len(objectAudit(t, db, portal.AuditObjectOfficial, o.ID)); n != 2 {
			t.Errorf("%d audit rows after an unchanged save, want 2", n)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := db.UpdateOfficial(ctx, actor, o.ID+1000, saved); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
	t.Run("ErrDuplicate", func(t *testing.T) {
		// Renamed to a demo official with the same post and term start.
		cur, err := db.OfficialByID(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		cur.NameZH, cur.Position, cur.TermStart = "徐枫", portal.PositionChair, isoDate("2018-01-01")
		_, err = db.UpdateOfficial(ctx, actor, o.ID, cur)
		if f := validationField(err); f["name_zh"] != "official.err.duplicate" {
			t.Errorf("err = %v, want a validation error on name_zh", err)
		}
	})
}
