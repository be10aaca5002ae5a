package postgres_test

import (
	"errors"
	"strings"
	"testing"

	"ngoportal/internal/demo"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// requestFixture is a seeded database with the scheduled 2027 session, to
// which every demo NGO is invited.
type requestFixture struct {
	testDB
	sessionID int64
	ngos      []int64 // the 18 demo NGOs, in seed order
	chairID   int64
	actor     portal.Actor
}

func newRequestFixture(t *testing.T) requestFixture {
	t.Helper()
	f := requestFixture{testDB: newDemoDB(t)}
	f.sessionID = sessionID(t, f.db, "2027-municipal-leadership-session")
	f.ngos = f.ids(t, `SELECT id FROM ngos ORDER BY id`)
	f.chairID = f.id(t, `SELECT id FROM officials WHERE name_en = 'Xu Feng'`)
	f.actor = f.testDB.actor(t, demo.AdminEmail)
	return f
}

func (f requestFixture) create(t *testing.T, r portal.Request) portal.Request {
	t.Helper()
	r.SessionID = f.sessionID
	got, err := f.db.CreateRequest(t.Context(), f.actor, r)
	if err != nil {
		t.Fatalf("CreateRequest(%+v): %v", r, err)
	}
	return got
}

func numbers(reqs []portal.Request) []int {
	var out []int
	for _, r := range reqs {
		out = append(out, r.Number)
	}
	return out
}

func TestRequestNumbering(t *testing.T) {
	t.Parallel()
	f := newRequestFixture(t)
	ctx := t.Context()

	t.Run("OK", func(t *testing.T) {
		next, err := f.db.NextRequestNumber(ctx, f.sessionID)
		if err != nil || next != 1 {
			t.Fatalf("next number = %d, %v; want 1", next, err)
		}
		f.create(t, portal.Request{Number: 2, TextZH: "二", MadeBy: f.chairID, AddressedToAll: true})
		f.create(t, portal.Request{Number: 1, TextZH: "一", TextEN: "One", AddressedToAll: true})
		if next, err = f.db.NextRequestNumber(ctx, f.sessionID); err != nil || next != 3 {
			t.Errorf("next number = %d, %v; want 3", next, err)
		}
		reqs, err := f.db.ListRequests(ctx, f.sessionID)
		if err != nil {
			t.Fatal(err)
		}
		if got := numbers(reqs); len(got) != 2 || got[0] != 1 || got[1] != 2 {
			t.Errorf("numbers = %v, want [1 2]", got)
		}
		if reqs[1].MadeByNameEN != "Xu Feng" || reqs[1].MadeByPosition != portal.PositionChair || reqs[0].MadeBy != 0 {
			t.Errorf("made by: %+v / %+v", reqs[0], reqs[1])
		}
	})

	t.Run("ErrNumberTaken", func(t *testing.T) {
		_, err := f.db.CreateRequest(ctx, f.actor, portal.Request{SessionID: f.sessionID, Number: 1, TextZH: "重复", AddressedToAll: true})
		var ve *portal.ValidationError
		if !errors.As(err, &ve) || ve.Fields["number"] != "request.error.number_taken" {
			t.Fatalf("duplicate number: err = %v, want a number_taken field message", err)
		}
		reqs, _ := f.db.ListRequests(ctx, f.sessionID)
		if len(reqs) != 2 {
			t.Errorf("%d requests after a refused duplicate, want 2", len(reqs))
		}
	})

	t.Run("ErrNumberTakenOnUpdate", func(t *testing.T) {
		reqs, err := f.db.ListRequests(ctx, f.sessionID)
		if err != nil {
			t.Fatal(err)
		}
		r := reqs[1]
		r.Number = 1
		_, err = f.db.UpdateRequest(ctx, f.actor, r)
		var ve *portal.ValidationError
		if !errors.As(err, &ve) || ve.Fields["number"] != "request.error.number_taken" {
			t.Fatalf("renumber onto a taken number: err = %v", err)
		}
	})
}

func TestRequestsForNGO(t *testing.T) {
	t.Parallel()
	f := newRequestFixture(t)
	ctx := t.Context()
	a, b, c := f.ngos[0], f.ngos[1], f.ngos[2]
	all := f.create(t, portal.Request{Number: 1, TextZH: "全体", AddressedToAll: true})
	// Recipients come back by Chinese name in pinyin order, not as given:
	// b (女科技 nǚkē) before a (女性创业 nǚxìng), which registration order
	// reverses.
	named := f.create(t, portal.Request{Number: 2, TextZH: "点名", AddressedToAll: false, Recipients: []int64{a, b}})
	if len(named.Recipients) != 2 || named.Recipients[0] != b || named.Recipients[1] != a || len(named.RecipientNamesZH) != 2 {
		t.Errorf("recipients = %v %v", named.Recipients, named.RecipientNamesZH)
	}

	// An NGO outside the invitation list, and one whose invitation is withdrawn.
	var outsider int64
	if err := f.db.Pool().QueryRow(ctx, `
		INSERT INTO ngos (slug, name_zh, name_en) VALUES ('outsider', '未受邀组织', 'Uninvited NGO') RETURNING id`).Scan(&outsider); err != nil {
		t.Fatal(err)
	}
	withdrawn := f.ngos[3]
	if _, err := f.db.Pool().Exec(ctx, `UPDATE invitations SET withdrawn_at = now() WHERE session_id = $1 AND ngo_id = $2`, f.sessionID, withdrawn); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		ngo  int64
		want []int
	}{
		{"NamedSeesBoth", a, []int{1, 2}},
		{"OtherNamedSeesBoth", b, []int{1, 2}},
		{"InvitedNotNamedSeesAllOnly", c, []int{1}},
		{"UninvitedSeesNone", outsider, nil},
		{"WithdrawnSeesNone", withdrawn, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.db.RequestsForNGO(ctx, f.sessionID, tt.ngo)
			if err != nil {
				t.Fatal(err)
			}
			if g := numbers(got); len(g) != len(tt.want) || (len(g) > 0 && (g[0] != tt.want[0] || g[len(g)-1] != tt.want[len(tt.want)-1])) {
				t.Errorf("numbers = %v, want %v", g, tt.want)
			}
		})
	}

	t.Run("OtherSessionNotFound", func(t *testing.T) {
		other := sessionID(t, f.db, "2021-municipal-leadership-session")
		if _, err := f.db.RequestByID(ctx, other, all.ID); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("request of another session: err = %v, want ErrNotFound", err)
		}
	})

	t.Run("ErrRecipientsInvalid", func(t *testing.T) {
		_, err := f.db.CreateRequest(ctx, f.actor, portal.Request{SessionID: f.sessionID, Number: 3, TextZH: "x", Recipients: []int64{outsider}})
		var ve *portal.ValidationError
		if !errors.As(err, &ve) || ve.Fields["recipients"] != "request.error.recipients_invalid" {
			t.Errorf("uninvited recipient: err = %v", err)
		}
	})
}

func TestRequestUpdateDelete(t *testing.T) {
	t.Parallel()
	f := newRequestFixture(t)
	ctx := t.Context()
	r := f.create(t, portal.Request{Number: 1, TextZH: "原文", AddressedToAll: true})

	edit := r
	edit.TextZH, edit.TextEN, edit.MadeBy = "修改后", "Edited", f.chairID
	edit.AddressedToAll, edit.Recipients = false, []int64{f.ngos[4]}
	saved, err := f.db.UpdateRequest(ctx, f.actor, edit)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Version != r.Version+1 || saved.TextZH != "修改后" || saved.AddressedToAll || len(saved.Recipients) != 1 {
		t.Errorf("saved = %+v", saved)
	}

	t.Run("Unchanged", func(t *testing.T) {
		again, err := f.db.UpdateRequest(ctx, f.actor, saved)
		if err != nil || again.Version != saved.Version {
			t.Errorf("saving unchanged values: version %d, %v; want %d", again.Version, err, saved.Version)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		stale := edit // still carries the old version
		stale.TextZH = "迟到的修改"
		if _, err := f.db.UpdateRequest(ctx, f.actor, stale); !errors.Is(err, portal.ErrConflict) {
			t.Errorf("stale update: err = %v, want ErrConflict", err)
		}
		if err := f.db.DeleteRequest(ctx, f.actor, f.sessionID, r.ID, r.Version); !errors.Is(err, portal.ErrConflict) {
			t.Errorf("stale delete: err = %v, want ErrConflict", err)
		}
	})

	t.Run("Audit", func(t *testing.T) {
		var created, updated int
		var changes string
		if err := f.db.Pool().QueryRow(ctx, `
			SELECT count(*) FILTER (WHERE action = 'request.created'), count(*) FILTER (WHERE action = 'request.updated'),
			       coalesce(max(changes::text) FILTER (WHERE action = 'request.updated'), '')
			FROM audit_log WHERE object_type = 'request' AND object_id = $1 AND actor_id = $2`, r.ID, f.actor.UserID).Scan(&created, &updated, &changes); err != nil {
			t.Fatal(err)
		}
		if created != 1 || updated != 1 {
			t.Errorf("audit rows: %d created, %d updated; want 1 and 1", created, updated)
		}
		for _, k := range []string{`"text_zh"`, `"made_by"`, `"recipients"`, `"addressed_to_all"`} {
			if !strings.Contains(changes, k) {
				t.Errorf("update audit %s lacks %s", changes, k)
			}
		}
		if strings.Contains(changes, `"number"`) {
			t.Errorf("update audit %s records the unchanged number", changes)
		}
	})

	t.Run("ReadOnlyAfterClose", func(t *testing.T) {
		if _, err := f.db.Pool().Exec(ctx, `UPDATE sessions SET status = 'closed' WHERE id = $1`, f.sessionID); err != nil {
			t.Fatal(err)
		}
		defer func() {
			if _, err := f.db.Pool().Exec(ctx, `UPDATE sessions SET status = 'scheduled' WHERE id = $1`, f.sessionID); err != nil {
				t.Fatal(err)
			}
		}()
		if _, err := f.db.CreateRequest(ctx, f.actor, portal.Request{SessionID: f.sessionID, Number: 9, TextZH: "x", AddressedToAll: true}); !errors.Is(err, postgres.ErrRequestsReadOnly) {
			t.Errorf("create on a closed session: err = %v", err)
		}
		late := saved
		late.TextZH = "闭会后修改"
		if _, err := f.db.UpdateRequest(ctx, f.actor, late); !errors.Is(err, postgres.ErrRequestsReadOnly) {
			t.Errorf("update on a closed session: err = %v", err)
		}
		if err := f.db.DeleteRequest(ctx, f.actor, f.sessionID, saved.ID, saved.Version); !errors.Is(err, postgres.ErrRequestsReadOnly) {
			t.Errorf("delete on a closed session: err = %v", err)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		if err := f.db.DeleteRequest(ctx, f.actor, f.sessionID, saved.ID, saved.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.RequestByID(ctx, f.sessionID, saved.ID); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("after delete: err = %v, want ErrNotFound", err)
		}
		var deleted int
		if err := f.db.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'request.deleted' AND object_id = $1`, saved.ID).Scan(&deleted); err != nil || deleted != 1 {
			t.Errorf("delete audit rows = %d, %v; want 1", deleted, err)
		}
	})
}
