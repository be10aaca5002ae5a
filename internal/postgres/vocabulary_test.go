package postgres_test

import (
	"errors"
	"testing"

	"ngoportal/internal/portal"
)

func termNames(t *testing.T, list []portal.Term) []string {
	t.Helper()
	var out []string
	for _, x := range list {
		out = append(out, x.NameZH)
	}
	return out
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestVocabulary(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	f := newCyFixture(t)

	themes, err := f.db.ListThemes(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	demo := []string{"抗击疫情", "女性职业发展", "新媒体宣传倡导", "庆祝建党100周年", "长三角一体化", "线上线下主题活动"}
	if got := termNames(t, themes); !sameStrings(got, demo) {
		t.Fatalf("demo themes = %v, want %v", got, demo)
	}

	for _, kind := range portal.VocabularyKinds {
		t.Run(string(kind), func(t *testing.T) {
			list := func(activeOnly bool) []string {
				t.Helper()
				l, err := f.db.ListTerms(ctx, kind, activeOnly)
				if err != nil {
					t.Fatal(err)
				}
				return termNames(t, l)
			}
			before := list(false)

			created, err := f.db.CreateTerm(ctx, f.actor, portal.Term{Kind: kind, NameZH: "乡村振兴", NameEN: "Rural revitalisation", DescriptionZH: "服务乡村", Active: true})
			if err != nil {
				t.Fatalf("CreateTerm: %v", err)
			}
			if created.Position != len(before)+1 || !created.Active || created.Version != 1 || created.Kind != kind {
				t.Errorf("created %+v, want last, active, version 1", created)
			}
			if got := list(false); len(got) != len(before)+1 || got[len(got)-1] != "乡村振兴" {
				t.Errorf("after create: %v", got)
			}

			t.Run("ErrDuplicateName", func(t *testing.T) {
				_, err := f.db.CreateTerm(ctx, f.actor, portal.Term{Kind: kind, NameZH: "乡村振兴", NameEN: "Again", Active: true})
				wantField(t, err, "name_zh", "vocabulary.err.name_zh_taken")
			})

			edit := created
			edit.NameEN, edit.DescriptionEN = "Rural revitalization", "Serving the countryside"
			saved, err := f.db.UpdateTerm(ctx, f.actor, created.ID, edit)
			if err != nil || saved.Version != 2 || saved.NameEN != "Rural revitalization" || saved.DescriptionEN != "Serving the countryside" {
				t.Fatalf("UpdateTerm: %+v %v", saved, err)
			}
			t.Run("ErrStaleVersion", func(t *testing.T) {
				if _, err := f.db.UpdateTerm(ctx, f.actor, created.ID, edit); !errors.Is(err, portal.ErrConflict) {
					t.Errorf("stale save: %v, want ErrConflict", err)
				}
				if err := f.db.SetTermActive(ctx, f.actor, kind, created.ID, 1, false); !errors.Is(err, portal.ErrConflict) {
					t.Errorf("stale retire: %v, want ErrConflict", err)
				}
			})
			t.Run("ErrRenameToTakenName", func(t *testing.T) {
				clash := saved
				clash.NameZH = before[0]
				_, err := f.db.UpdateTerm(ctx, f.actor, created.ID, clash)
				wantField(t, err, "name_zh", "vocabulary.err.name_zh_taken")
			})

			// Retire: gone from the active list, kept in the full one; restore.
			if err := f.db.SetTermActive(ctx, f.actor, kind, created.ID, saved.Version, false); err != nil {
				t.Fatalf("retire: %v", err)
			}
			if got := list(true); len(got) != len(before) {
				t.Errorf("active after retiring: %v", got)
			}
			if got := list(false); len(got) != len(before)+1 {
				t.Errorf("all after retiring: %v", got)
			}
			retired, err := f.db.TermByID(ctx, kind, created.ID)
			if err != nil || retired.Active || retired.Version != 3 {
				t.Fatalf("retired = %+v %v", retired, err)
			}
			t.Run("EditKeepsRetired", func(t *testing.T) {
				e := retired
				e.Active = true // the form cannot restore: only the restore step does
				e.DescriptionZH = "服务乡村振兴"
				got, err := f.db.UpdateTerm(ctx, f.actor, created.ID, e)
				if err != nil || got.Active {
					t.Errorf("edit of a retired term: %+v %v, want still retired", got, err)
				}
				retired = got
			})
			if err := f.db.SetTermActive(ctx, f.actor, kind, created.ID, retired.Version, true); err != nil {
				t.Fatalf("restore: %v", err)
			}
			if got := list(true); len(got) != len(before)+1 {
				t.Errorf("active after restoring: %v", got)
			}

			// Reorder: the new last term goes up one place, then down again;
			// the first cannot go up.
			if err := f.db.MoveTerm(ctx, f.actor, kind, created.ID, true); err != nil {
				t.Fatalf("move up: %v", err)
			}
			got := list(false)
			if got[len(got)-2] != "乡村振兴" || got[len(got)-1] != before[len(before)-1] {
				t.Errorf("after moving up: %v", got)
			}
			if err := f.db.MoveTerm(ctx, f.actor, kind, created.ID, false); err != nil {
				t.Fatalf("move down: %v", err)
			}
			if got := list(false); got[len(got)-1] != "乡村振兴" {
				t.Errorf("after moving down: %v", got)
			}
			firstBefore := list(false)
			all, _ := f.db.ListTerms(ctx, kind, false)
			if err := f.db.MoveTerm(ctx, f.actor, kind, all[0].ID, true); err != nil {
				t.Fatalf("move the first up: %v", err)
			}
			if got := list(false); !sameStrings(got, firstBefore) {
				t.Errorf("moving the first up changed the order: %v", got)
			}
			if err := f.db.MoveTerm(ctx, f.actor, kind, 999999, true); !errors.Is(err, portal.ErrNotFound) {
				t.Errorf("move an unknown term: %v, want ErrNotFound", err)
			}

			prefix := map[portal.VocabularyKind]string{portal.KindTheme: "theme.", portal.KindProject: "project."}[kind]
			var actions []string
			for _, a := range f.audits(t, prefix) {
				actions = append(actions, a.Action)
			}
			want := []string{prefix + "created", prefix + "updated", prefix + "retired", prefix + "updated", prefix + "restored",
				prefix + "moved", prefix + "moved", prefix + "moved", prefix + "moved"}
			if !sameStrings(actions, want) {
				t.Errorf("audit actions = %v, want %v", actions, want)
			}
		})
	}

	projects, err := f.db.ListKeyProjects(ctx, true)
	if err != nil || len(projects) != 5 || projects[0].NameEN != "Women's Career Mentoring Programme" || projects[0].Kind != portal.KindProject {
		t.Errorf("key projects = %+v (%v)", projects, err)
	}
	if _, err := f.db.TermByID(ctx, portal.VocabularyKind("nonsense"), 1); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("unknown kind: %v, want ErrNotFound", err)
	}
}
