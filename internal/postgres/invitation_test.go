package postgres_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"ngoportal/internal/demo"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// ivFixture is a seeded database: the demo admin as the actor, the 18 demo
// NGOs in seed order and the demo's sessions (2021 held, everyone came;
// 2027 scheduled, ngo02–05 confirmed, ngo06 declined, the rest not
// replied; 2020 and 2022 closed, ngo01 and ngo02 invited to both).
type ivFixture struct {
	testDB
	admin     portal.Actor
	ngos      []int64 // ngos[n-1] is the n-th demo NGO
	held2021  int64
	sched2027 int64
	// The closed sessions of January 2020 and January 2022.
	closed2020, closed2022 int64
}

func newIvFixture(t *testing.T) ivFixture {
	t.Helper()
	f := ivFixture{testDB: newDemoDB(t)}
	f.admin = f.actor(t, demo.AdminEmail)
	f.ngos = f.ids(t, `SELECT id FROM ngos ORDER BY id`)
	if len(f.ngos) != 18 {
		t.Fatalf("%d demo NGOs, want 18", len(f.ngos))
	}
	f.held2021 = f.id(t, `SELECT id FROM sessions WHERE slug = '2021-municipal-leadership-session'`)
	f.sched2027 = f.id(t, `SELECT id FROM sessions WHERE slug = '2027-municipal-leadership-session'`)
	f.closed2020 = f.id(t, `SELECT id FROM sessions WHERE slug = '2020-municipal-leadership-session'`)
	f.closed2022 = f.id(t, `SELECT id FROM sessions WHERE slug = '2022-municipal-leadership-session'`)
	return f
}

// actor is the signed-in account with email, as the audit sees it.
func (f ivFixture) actor(t *testing.T, email string) portal.Actor {
	t.Helper()
	a := f.testDB.actor(t, email)
	a.RequestID = "invitation-test"
	return a
}

// staff is the demo staff member of the n-th demo NGO.
func (f ivFixture) staff(t *testing.T, n int) portal.Actor {
	t.Helper()
	return f.actor(t, demo.StaffEmail(n))
}

// userName is the display name of the user with id.
func (f ivFixture) userName(t *testing.T, id int64) string {
	t.Helper()
	var name string
	if err := f.db.Pool().QueryRow(t.Context(), `SELECT name FROM users WHERE id = $1`, id).Scan(&name); err != nil {
		t.Fatal(err)
	}
	return name
}

// session adds a session of its own held on day (yyyy-mm-dd) in status,
// with a reply deadline a week before at 18:00 Shanghai time.
func (f ivFixture) session(t *testing.T, day string, status portal.SessionStatus) int64 {
	t.Helper()
	held, err := time.Parse(time.DateOnly, day)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Date(held.Year(), held.Month(), held.Day()-7, 18, 0, 0, 0, portal.FederationZone)
	return f.id(t, `
		INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, reply_deadline)
		VALUES ($1, '测试会议', 'Test session', 'municipal', $2, $3, $4) RETURNING id`,
		"iv-"+day, day, string(status), deadline)
}

// setSessionStatus forces a session's status.
func (f ivFixture) setSessionStatus(t *testing.T, id int64, s portal.SessionStatus) {
	t.Helper()
	if _, err := f.db.Pool().Exec(t.Context(), `UPDATE sessions SET status = $2 WHERE id = $1`, id, string(s)); err != nil {
		t.Fatal(err)
	}
}

// invite invites the demo NGOs numbered ns (1-based) to a session and
// fails the test unless all of them were invited.
func (f ivFixture) invite(t *testing.T, sessionID int64, ns ...int) {
	t.Helper()
	ids := make([]int64, 0, len(ns))
	for _, n := range ns {
		ids = append(ids, f.ngos[n-1])
	}
	got, err := f.db.InviteNGOs(t.Context(), f.admin, sessionID, false, ids)
	if err != nil || got != len(ns) {
		t.Fatalf("InviteNGOs(%d, %v) = %d, %v", sessionID, ns, got, err)
	}
}

// invitations returns a session's invitations by NGO id.
func (f ivFixture) invitations(t *testing.T, sessionID int64) map[int64]portal.Invitation {
	t.Helper()
	list, err := f.db.SessionInvitations(t.Context(), sessionID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]portal.Invitation{}
	for _, inv := range list {
		out[inv.NGOID] = inv
	}
	return out
}

// invitationOf returns the n-th demo NGO's invitation to a session.
func (f ivFixture) invitationOf(t *testing.T, sessionID int64, n int) portal.Invitation {
	t.Helper()
	inv, ok := f.invitations(t, sessionID)[f.ngos[n-1]]
	if !ok {
		t.Fatalf("NGO %d has no invitation to session %d", n, sessionID)
	}
	return inv
}

// withdraw withdraws the n-th demo NGO's invitation to a session.
func (f ivFixture) withdraw(t *testing.T, sessionID int64, n int) {
	t.Helper()
	inv := f.invitationOf(t, sessionID, n)
	if err := f.db.WithdrawInvitation(t.Context(), f.admin, sessionID, inv.ID); err != nil {
		t.Fatal(err)
	}
}

// audits reads the audit rows with action, about objectID (0: any), oldest
// first.
func (f ivFixture) audits(t *testing.T, action string, objectID int64) []auditRow {
	t.Helper()
	return f.testDB.audits(t, `action = $1 AND ($2::bigint = 0 OR object_id = $2)`, action, objectID)
}

// sentAudits are the invitation.sent rows about invitations to a session.
func (f ivFixture) sentAudits(t *testing.T, sessionID int64) []auditRow {
	t.Helper()
	var out []auditRow
	for _, a := range f.audits(t, portal.AuditInvitationSent, 0) {
		if a.Changes["session_id"].After == float64(sessionID) {
			out = append(out, a)
		}
	}
	return out
}

// ivStrings reads a JSON list of strings from an audit change.
func ivStrings(v any) []string {
	list, ok := v.([]any)
	if !ok {
		return nil
	}
	out := []string{}
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

// ivWantField reports whether err is a validation error with key on field.
func ivWantField(t *testing.T, err error, field, key string) {
	t.Helper()
	var ve *portal.ValidationError
	if !errors.As(err, &ve) || ve.Fields[field] != key {
		t.Errorf("err = %v, want a validation error %s: %s", err, field, key)
	}
}

// repNames lists representatives' names, in order.
func repNames(reps []portal.Representative) []string {
	out := []string{}
	for _, r := range reps {
		out = append(out, r.Name)
	}
	return out
}

func TestSessionInvitations(t *testing.T) {
	t.Parallel()
	f := newIvFixture(t)
	empty := f.session(t, "2030-01-18", portal.SessionDraft)
	staff3 := f.staff(t, 3)
	cases := []struct {
		name    string
		session int64
		want    int
		check   func(t *testing.T, list []portal.Invitation)
	}{
		{"OKScheduledWithReplies", f.sched2027, 18, func(t *testing.T, list []portal.Invitation) {
			byNGO := map[int64]portal.Invitation{}
			for _, inv := range list {
				byNGO[inv.NGOID] = inv
			}
			none := byNGO[f.ngos[0]]
			if none.Reply != portal.ReplyNone || none.RepliedAt != nil || none.RepliedByName != "" || len(none.Representatives) != 0 {
				t.Errorf("ngo01 (no reply): %+v", none)
			}
			conf := byNGO[f.ngos[2]]
			if conf.Reply != portal.ReplyConfirmed || conf.RepliedByName != f.userName(t, staff3.UserID) {
				t.Errorf("ngo03: reply %s by %q", conf.Reply, conf.RepliedByName)
			}
			if got := repNames(conf.Representatives); !slices.Equal(got, []string{"蒋丽华", "沈雅琴"}) ||
				conf.Representatives[0].Position != 1 || conf.Representatives[1].Position != 2 ||
				conf.Representatives[0].Mobile == "" || conf.Representatives[0].Attended {
				t.Errorf("ngo03 representatives %+v", conf.Representatives)
			}
			if d := byNGO[f.ngos[5]]; d.Reply != portal.ReplyDeclined || d.DeclineReason == "" || len(d.Representatives) != 0 {
				t.Errorf("ngo06 (declined): %+v", d)
			}
		}},
		{"OKHeldWithAttendance", f.held2021, 18, func(t *testing.T, list []portal.Invitation) {
			for _, inv := range list {
				if inv.Attendance != portal.AttendancePresent || inv.CheckedInAt == nil || len(inv.Representatives) == 0 {
					t.Errorf("NGO %d: attendance %s, %d representatives", inv.NGOID, inv.Attendance, len(inv.Representatives))
				}
				for _, r := range inv.Representatives {
					if !r.Attended {
						t.Errorf("NGO %d: representative %s not marked present", inv.NGOID, r.Name)
					}
				}
			}
		}},
		{"OKEmptyForNewSession", empty, 0, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			list, err := f.db.SessionInvitations(t.Context(), c.session)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != c.want {
				t.Fatalf("%d invitations, want %d", len(list), c.want)
			}
			pinyin := portal.NameCompare(false)
			for i, inv := range list {
				if inv.SessionID != c.session || inv.NGONameZH == "" || inv.NGONameEN == "" || inv.WithdrawnAt != nil {
					t.Errorf("invitation %d: %+v", i, inv)
				}
				if i > 0 && pinyin(list[i-1].NGONameZH, inv.NGONameZH) >= 0 {
					t.Errorf("not by Chinese name (pinyin) at %d: %s after %s", i, inv.NGONameZH, list[i-1].NGONameZH)
				}
			}
			if c.check != nil {
				c.check(t, list)
			}
		})
	}
	t.Run("OKWithdrawnListed", func(t *testing.T) {
		f.withdraw(t, f.sched2027, 3)
		inv := f.invitationOf(t, f.sched2027, 3)
		if inv.WithdrawnAt == nil || inv.Reply != portal.ReplyConfirmed || len(inv.Representatives) != 2 {
			t.Errorf("withdrawn invitation %+v", inv)
		}
		if n := len(f.invitations(t, f.sched2027)); n != 18 {
			t.Errorf("%d invitations after a withdrawal, want 18", n)
		}
	})
}

func TestUninvitedNGOs(t *testing.T) {
	t.Parallel()
	f := newIvFixture(t)
	ctx := t.Context()
	sid := f.session(t, "2030-01-18", portal.SessionDraft)
	ids := func(list []portal.NGO) []int64 {
		out := []int64{}
		for _, n := range list {
			out = append(out, n.ID)
		}
		return out
	}
	// byName lists the demo NGOs but the ones numbered except, by Chinese
	// name in pinyin order (妇女儿童 fùnǚ, 归国 guīguó, 家庭 jiātíng…;
	// registration order starts with 女性创业, the 11th here).
	byName := func(except ...int) []int64 {
		out := []int64{}
		for _, n := range []int{10, 15, 6, 7, 8, 9, 5, 13, 2, 4, 1, 11, 18, 16, 12, 3, 14, 17} {
			if !slices.Contains(except, n) {
				out = append(out, f.ngos[n-1])
			}
		}
		return out
	}
	steps := []struct {
		name    string
		setup   func(t *testing.T)
		session int64
		want    []int64
	}{
		{"OKNoneWhenAllInvited", nil, f.sched2027, []int64{}},
		{"OKEveryActiveNGOForNewSession", nil, sid, byName()},
		{"OKInactiveLeftOut", func(t *testing.T) {
			if err := f.db.DeactivateNGO(ctx, f.admin, f.ngos[17]); err != nil {
				t.Fatal(err)
			}
		}, sid, byName(18)},
		{"OKInvitedLeftOutWithdrawnListed", func(t *testing.T) {
			f.invite(t, sid, 1, 2)
			f.withdraw(t, sid, 1)
		}, sid, byName(18, 2)},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if s.setup != nil {
				s.setup(t)
			}
			list, err := f.db.UninvitedNGOs(ctx, s.session)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(list); !slices.Equal(got, s.want) {
				t.Errorf("uninvited %v, want %v", got, s.want)
			}
			for _, n := range list {
				if n.NameZH == "" || n.NameEN == "" {
					t.Errorf("NGO %d without names: %+v", n.ID, n)
				}
			}
		})
	}
}

func TestInviteNGOs(t *testing.T) {
	t.Parallel()
	f := newIvFixture(t)
	ctx := t.Context()
	cases := []struct {
		name     string
		status   portal.SessionStatus
		all      bool
		chosen   []int // demo NGO numbers
		want     int
		wantNGOs []int // nil: every demo NGO
		wantLate bool
		wantKey  string // validation key on "scope"
	}{
		{name: "OKAllInDraft", status: portal.SessionDraft, all: true, want: 18},
		{name: "OKChosenInDraft", status: portal.SessionDraft, chosen: []int{1, 4}, want: 2, wantNGOs: []int{1, 4}},
		{name: "OKAllAndChosenCountedOnce", status: portal.SessionDraft, all: true, chosen: []int{1, 4}, want: 18},
		{name: "OKChosenLateOnceScheduled", status: portal.SessionScheduled, chosen: []int{2}, want: 1, wantNGOs: []int{2}, wantLate: true},
		{name: "OKAllLateOnceScheduled", status: portal.SessionScheduled, all: true, want: 18, wantLate: true},
		{name: "OKNothingChosen", status: portal.SessionDraft, want: 0, wantNGOs: []int{}},
		{name: "ErrInvitationsClosedHeld", status: portal.SessionHeld, all: true, chosen: []int{1}, wantKey: postgres.MsgInvitationsClosed},
		{name: "ErrInvitationsClosedClosed", status: portal.SessionClosed, all: true, wantKey: postgres.MsgInvitationsClosed},
		{name: "ErrInvitationsClosedCancelled", status: portal.SessionCancelled, chosen: []int{1}, wantKey: postgres.MsgInvitationsClosed},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sid := f.session(t, fmt.Sprintf("%d-01-18", 2040+i), c.status)
			var chosen []int64
			for _, n := range c.chosen {
				chosen = append(chosen, f.ngos[n-1])
			}
			got, err := f.db.InviteNGOs(ctx, f.admin, sid, c.all, chosen)
			invs := f.invitations(t, sid)
			audits := f.sentAudits(t, sid)
			if c.wantKey != "" {
				ivWantField(t, err, "scope", c.wantKey)
				if got != 0 || len(invs) != 0 || len(audits) != 0 {
					t.Errorf("refused, yet %d counted, %d invitations, %d audit rows", got, len(invs), len(audits))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := map[int64]bool{}
			if c.wantNGOs == nil {
				for _, id := range f.ngos {
					want[id] = true
				}
			}
			for _, n := range c.wantNGOs {
				want[f.ngos[n-1]] = true
			}
			if got != c.want || len(invs) != len(want) || len(audits) != len(want) {
				t.Fatalf("invited %d, %d invitations, %d audit rows; want %d", got, len(invs), len(audits), c.want)
			}
			for id, inv := range invs {
				if !want[id] {
					t.Errorf("NGO %d invited, not chosen", id)
				}
				if inv.Late != c.wantLate || inv.WithdrawnAt != nil || inv.Reply != portal.ReplyNone || inv.Version != 1 {
					t.Errorf("NGO %d: late %v, withdrawn %v, reply %s, version %d", id, inv.Late, inv.WithdrawnAt, inv.Reply, inv.Version)
				}
			}
			for _, a := range audits {
				inv, ok := invs[a.NGOID]
				if !ok || a.ObjectID != inv.ID || a.ObjectType != portal.AuditObjectInvitation || a.ActorID != f.admin.UserID {
					t.Errorf("audit row %+v matches no invitation", a)
				}
				if a.Changes["late"].After != c.wantLate {
					t.Errorf("audit late %+v, want %v", a.Changes["late"], c.wantLate)
				}
				if _, ok := a.Changes["withdrawn"]; ok {
					t.Errorf("a new invitation audited as reused: %+v", a.Changes)
				}
			}
		})
	}
	t.Run("OKInactiveNGOSkipped", func(t *testing.T) {
		sid := f.session(t, "2060-01-18", portal.SessionDraft)
		if err := f.db.DeactivateNGO(ctx, f.admin, f.ngos[17]); err != nil {
			t.Fatal(err)
		}
		got, err := f.db.InviteNGOs(ctx, f.admin, sid, false, []int64{f.ngos[16], f.ngos[17]})
		if err != nil || got != 1 {
			t.Fatalf("InviteNGOs = %d, %v; want 1", got, err)
		}
		if _, ok := f.invitations(t, sid)[f.ngos[17]]; ok {
			t.Error("an inactive NGO was invited")
		}
		if got, err := f.db.InviteNGOs(ctx, f.admin, sid, true, nil); err != nil || got != 16 {
			t.Errorf("invite all = %d, %v; want the 16 other active NGOs", got, err)
		}
	})
	t.Run("OKAlreadyInvitedNotCounted", func(t *testing.T) {
		sid := f.session(t, "2061-01-18", portal.SessionDraft)
		f.invite(t, sid, 1)
		got, err := f.db.InviteNGOs(ctx, f.admin, sid, false, []int64{f.ngos[0], f.ngos[1]})
		if err != nil || got != 1 {
			t.Fatalf("InviteNGOs = %d, %v; want 1", got, err)
		}
		if inv := f.invitationOf(t, sid, 1); inv.Version != 1 {
			t.Errorf("re-choosing an invited NGO changed its invitation: version %d", inv.Version)
		}
		if n := len(f.sentAudits(t, sid)); n != 2 {
			t.Errorf("%d invitation.sent rows, want 2", n)
		}
	})
	t.Run("ErrNotFoundUnknownSession", func(t *testing.T) {
		if _, err := f.db.InviteNGOs(ctx, f.admin, 1<<40, true, nil); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
}

func TestInviteNGOsWithdrawn(t *testing.T) {
	t.Parallel()
	f := newIvFixture(t)
	ctx := t.Context()
	sid := f.session(t, "2030-01-18", portal.SessionDraft)
	f.invite(t, sid, 1, 2, 3)
	f.withdraw(t, sid, 1)
	first := f.invitationOf(t, sid, 1)
	ngo1 := f.ngos[0]

	t.Run("OKAllLeavesWithdrawnAlone", func(t *testing.T) {
		got, err := f.db.InviteNGOs(ctx, f.admin, sid, true, nil)
		if err != nil || got != 15 {
			t.Fatalf("invite all = %d, %v; want 15", got, err)
		}
		if inv := f.invitationOf(t, sid, 1); inv.WithdrawnAt == nil || inv.Version != first.Version {
			t.Errorf("invite all touched the withdrawn invitation: %+v", inv)
		}
		if n := len(f.audits(t, portal.AuditInvitationSent, first.ID)); n != 1 {
			t.Errorf("%d invitation.sent rows for the withdrawn invitation, want 1", n)
		}
	})
	t.Run("OKChosenReinvitesReusingRow", func(t *testing.T) {
		f.setSessionStatus(t, sid, portal.SessionScheduled)
		got, err := f.db.InviteNGOs(ctx, f.admin, sid, false, []int64{ngo1})
		if err != nil || got != 1 {
			t.Fatalf("InviteNGOs = %d, %v; want 1", got, err)
		}
		inv := f.invitationOf(t, sid, 1)
		if inv.ID != first.ID || inv.WithdrawnAt != nil || !inv.Late || inv.Version != first.Version+1 ||
			inv.InvitedAt.Before(first.InvitedAt) {
			t.Errorf("re-invited %+v, was %+v", inv, first)
		}
		var rows int
		if err := f.db.Pool().QueryRow(ctx, `SELECT count(*) FROM invitations WHERE session_id = $1 AND ngo_id = $2`, sid, ngo1).Scan(&rows); err != nil || rows != 1 {
			t.Errorf("%d invitation rows for the NGO (%v), want 1", rows, err)
		}
		audits := f.audits(t, portal.AuditInvitationSent, first.ID)
		if len(audits) != 2 {
			t.Fatalf("%d invitation.sent rows, want 2", len(audits))
		}
		a := audits[1]
		if w := a.Changes["withdrawn"]; w.Before != true || w.After != false || a.Changes["late"].After != true || a.NGOID != ngo1 {
			t.Errorf("re-invitation audit %+v", a)
		}
	})
	t.Run("OKChosenAlreadyInvitedUnchanged", func(t *testing.T) {
		before := f.invitationOf(t, sid, 2)
		got, err := f.db.InviteNGOs(ctx, f.admin, sid, false, []int64{f.ngos[1]})
		if err != nil || got != 0 {
			t.Fatalf("InviteNGOs = %d, %v; want 0", got, err)
		}
		if after := f.invitationOf(t, sid, 2); !reflect.DeepEqual(before, after) {
			t.Errorf("invitation changed:\n before %+v\n after  %+v", before, after)
		}
	})
	t.Run("ErrInvitationsClosedOnceHeld", func(t *testing.T) {
		f.withdraw(t, sid, 2)
		f.setSessionStatus(t, sid, portal.SessionHeld)
		sent := len(f.sentAudits(t, sid))
		got, err := f.db.InviteNGOs(ctx, f.admin, sid, true, []int64{f.ngos[1]})
		ivWantField(t, err, "scope", postgres.MsgInvitationsClosed)
		if inv := f.invitationOf(t, sid, 2); got != 0 || inv.WithdrawnAt == nil {
			t.Errorf("refused, yet %d invited, withdrawn %v", got, inv.WithdrawnAt)
		}
		if n := len(f.sentAudits(t, sid)); n != sent {
			t.Errorf("%d invitation.sent rows, want %d", n, sent)
		}
	})
}

func TestWithdrawInvitation(t *testing.T) {
	t.Parallel()
	f := newIvFixture(t)
	ctx := t.Context()
	inv3 := f.invitationOf(t, f.sched2027, 3) // confirmed, two representatives
	inv4 := f.invitationOf(t, f.sched2027, 4)
	inv2021 := f.invitationOf(t, f.held2021, 1)
	draft := f.session(t, "2030-01-18", portal.SessionDraft)
	f.invite(t, draft, 5)
	invDraft := f.invitationOf(t, draft, 5)
	cases := []struct {
		name          string
		session       int64
		inv           portal.Invitation
		wantErr       error
		wantKey       string
		wantWithdrawn bool
		wantAudits    int
	}{
		{name: "OK", session: f.sched2027, inv: inv3, wantWithdrawn: true, wantAudits: 1},
		{name: "OKAgainChangesNothing", session: f.sched2027, inv: inv3, wantWithdrawn: true, wantAudits: 1},
		{name: "OKDraft", session: draft, inv: invDraft, wantWithdrawn: true, wantAudits: 1},
		{name: "ErrNotFoundOtherSession", session: f.held2021, inv: inv4, wantErr: portal.ErrNotFound},
		{name: "ErrNotFoundUnknownSession", session: 1 << 40, inv: inv4, wantErr: portal.ErrNotFound},
		{name: "ErrWithdrawClosedHeld", session: f.held2021, inv: inv2021, wantKey: postgres.MsgWithdrawClosed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := f.db.WithdrawInvitation(ctx, f.admin, c.session, c.inv.ID)
			switch {
			case c.wantErr != nil:
				if !errors.Is(err, c.wantErr) {
					t.Errorf("err = %v, want %v", err, c.wantErr)
				}
			case c.wantKey != "":
				ivWantField(t, err, "scope", c.wantKey)
			case err != nil:
				t.Fatal(err)
			}
			after := f.invitationOf(t, c.inv.SessionID, ngoNumber(f, c.inv.NGOID))
			if (after.WithdrawnAt != nil) != c.wantWithdrawn {
				t.Errorf("withdrawn %v, want %v", after.WithdrawnAt, c.wantWithdrawn)
			}
			wantVersion := c.inv.Version
			if c.wantWithdrawn {
				wantVersion++
			}
			if after.Version != wantVersion {
				t.Errorf("version %d, want %d", after.Version, wantVersion)
			}
			// The reply and the representatives stay with the row.
			if after.Reply != c.inv.Reply || !slices.Equal(repNames(after.Representatives), repNames(c.inv.Representatives)) {
				t.Errorf("reply %s %v, was %s %v", after.Reply, repNames(after.Representatives), c.inv.Reply, repNames(c.inv.Representatives))
			}
			audits := f.audits(t, portal.AuditInvitationWithdrawn, c.inv.ID)
			if len(audits) != c.wantAudits {
				t.Fatalf("%d invitation.withdrawn rows, want %d", len(audits), c.wantAudits)
			}
			for _, a := range audits {
				if w := a.Changes["withdrawn"]; w.Before != false || w.After != true || a.NGOID != c.inv.NGOID || a.ActorID != f.admin.UserID {
					t.Errorf("audit %+v", a)
				}
			}
		})
	}
}

// ngoNumber is the 1-based seed number of the demo NGO with id.
func ngoNumber(f ivFixture, id int64) int {
	return slices.Index(f.ngos, id) + 1
}

func TestNGOInvitationsAndHistory(t *testing.T) {
	t.Parallel()
	f := newIvFixture(t)
	ctx := t.Context()
	draft := f.session(t, "2030-01-18", portal.SessionDraft)
	f.invite(t, draft, 1, 2)
	withdrawn := f.session(t, "2029-01-18", portal.SessionScheduled)
	f.invite(t, withdrawn, 1, 2)
	f.withdraw(t, withdrawn, 1)
	cancelled := f.session(t, "2028-01-18", portal.SessionDraft)
	f.invite(t, cancelled, 1)
	f.setSessionStatus(t, cancelled, portal.SessionCancelled)

	list := map[string]func(ngoID int64) ([]portal.SessionInvitation, error){
		"NGOInvitations": func(id int64) ([]portal.SessionInvitation, error) { return f.db.NGOInvitations(ctx, id) },
		"NGOAttendanceHistory": func(id int64) ([]portal.SessionInvitation, error) {
			return f.db.NGOAttendanceHistory(ctx, id)
		},
	}
	cases := []struct {
		name         string
		fn           string
		ngo          int64
		wantSessions []int64
	}{
		// Newest first; the draft is not the NGO's to see, the withdrawn
		// invitation is gone, the cancelled session stays.
		{"OKDraftAndWithdrawnHidden", "NGOInvitations", f.ngos[0], []int64{cancelled, f.sched2027, f.closed2022, f.held2021, f.closed2020}},
		{"OKOwnInvitationsOnly", "NGOInvitations", f.ngos[1], []int64{withdrawn, f.sched2027, f.closed2022, f.held2021, f.closed2020}},
		// The admin's history includes a draft the NGO is on, never a
		// withdrawn invitation.
		{"OKHistoryWithdrawnHidden", "NGOAttendanceHistory", f.ngos[0], []int64{draft, cancelled, f.sched2027, f.closed2022, f.held2021, f.closed2020}},
		{"OKHistoryOwnInvitationsOnly", "NGOAttendanceHistory", f.ngos[1], []int64{draft, withdrawn, f.sched2027, f.closed2022, f.held2021, f.closed2020}},
		{"OKEmptyForUnknownNGO", "NGOInvitations", 1 << 40, []int64{}},
		{"OKHistoryEmptyForUnknownNGO", "NGOAttendanceHistory", 1 << 40, []int64{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := list[c.fn](c.ngo)
			if err != nil {
				t.Fatal(err)
			}
			sessions := []int64{}
			for _, si := range got {
				sessions = append(sessions, si.Session.ID)
				inv := si.Invitation
				if inv.NGOID != c.ngo || inv.SessionID != si.Session.ID || inv.WithdrawnAt != nil || inv.ID == 0 {
					t.Errorf("session %d: invitation %+v", si.Session.ID, inv)
				}
			}
			if !slices.Equal(sessions, c.wantSessions) {
				t.Errorf("sessions %v, want %v", sessions, c.wantSessions)
			}
			for _, si := range got {
				switch si.Session.ID {
				case f.sched2027:
					wantReply := map[int64]portal.Reply{f.ngos[0]: portal.ReplyNone, f.ngos[1]: portal.ReplyConfirmed}[c.ngo]
					if si.Session.Status != portal.SessionScheduled || si.Session.ReplyDeadline == nil || si.Invitation.Reply != wantReply {
						t.Errorf("2027: status %s, deadline %v, reply %s (want %s)", si.Session.Status, si.Session.ReplyDeadline, si.Invitation.Reply, wantReply)
					}
				case f.held2021:
					if si.Session.Status != portal.SessionHeld || si.Invitation.Attendance != portal.AttendancePresent {
						t.Errorf("2021: status %s, attendance %s", si.Session.Status, si.Invitation.Attendance)
					}
				}
			}
		})
	}
}

func TestInvitedSession(t *testing.T) {
	t.Parallel()
	f := newIvFixture(t)
	ctx := t.Context()
	notInvited := f.session(t, "2030-01-18", portal.SessionScheduled)
	f.invite(t, notInvited, 2)
	withdrawn := f.session(t, "2031-01-18", portal.SessionScheduled)
	f.invite(t, withdrawn, 1)
	f.withdraw(t, withdrawn, 1)
	draft := f.session(t, "2032-01-18", portal.SessionDraft)
	f.invite(t, draft, 1)
	cases := []struct {
		name    string
		session int64
		ngo     int // demo NGO number
		wantErr error
		check   func(t *testing.T, si portal.SessionInvitation, agenda []portal.AgendaItem)
	}{
		{"OK", f.sched2027, 3, nil, func(t *testing.T, si portal.SessionInvitation, agenda []portal.AgendaItem) {
			if si.Session.Status != portal.SessionScheduled || si.Invitation.Reply != portal.ReplyConfirmed {
				t.Errorf("status %s, reply %s", si.Session.Status, si.Invitation.Reply)
			}
			if got := repNames(si.Invitation.Representatives); !slices.Equal(got, []string{"蒋丽华", "沈雅琴"}) {
				t.Errorf("representatives %v", got)
			}
			if len(agenda) != 7 {
				t.Fatalf("%d agenda items, want 7", len(agenda))
			}
			for i, a := range agenda {
				if a.Position != i+1 {
					t.Errorf("agenda item %d at position %d", i, a.Position)
				}
			}
		}},
		{"OKHeld", f.held2021, 1, nil, func(t *testing.T, si portal.SessionInvitation, _ []portal.AgendaItem) {
			if si.Invitation.Attendance != portal.AttendancePresent || len(si.Invitation.Representatives) != 2 {
				t.Errorf("attendance %s, representatives %+v", si.Invitation.Attendance, si.Invitation.Representatives)
			}
		}},
		{"ErrNotFoundNotInvited", notInvited, 1, portal.ErrNotFound, nil},
		{"ErrNotFoundWithdrawn", withdrawn, 1, portal.ErrNotFound, nil},
		{"ErrNotFoundDraft", draft, 1, portal.ErrNotFound, nil},
		{"ErrNotFoundUnknownSession", 1 << 40, 1, portal.ErrNotFound, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			si, agenda, err := f.db.InvitedSession(ctx, c.session, f.ngos[c.ngo-1])
			if c.wantErr != nil {
				if !errors.Is(err, c.wantErr) {
					t.Errorf("err = %v, want %v", err, c.wantErr)
				}
				if si.Invitation.ID != 0 || agenda != nil {
					t.Errorf("refused, yet returned %+v and %d agenda items", si, len(agenda))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if si.Session.ID != c.session || si.Invitation.SessionID != c.session || si.Invitation.NGOID != f.ngos[c.ngo-1] {
				t.Errorf("session %d, invitation of NGO %d to %d", si.Session.ID, si.Invitation.NGOID, si.Invitation.SessionID)
			}
			c.check(t, si, agenda)
		})
	}
}

func TestReplyToInvitation(t *testing.T) {
	t.Parallel()
	f := newIvFixture(t)
	ctx := t.Context()
	open := time.Date(2026, 12, 1, 10, 0, 0, 0, portal.FederationZone)
	deadline := time.Date(2027, 1, 12, 18, 0, 0, 0, portal.FederationZone)
	other := f.session(t, "2030-01-18", portal.SessionScheduled)
	f.invite(t, other, 9)
	f.withdraw(t, f.sched2027, 11)
	reps := []portal.Representative{
		{Name: "王小红", Title: "会长", Mobile: "13800000001"},
		{Name: "李小兰", Mobile: "13800000002"},
	}
	cases := []struct {
		name      string
		session   int64
		ngo       int  // demo NGO number: the signed-in staff's NGO
		meanwhile bool // someone else of the NGO replies after the form was loaded
		reply     portal.Reply
		reason    string
		reps      []portal.Representative
		now       time.Time
		wantErr   error
		wantKey   string
		check     func(t *testing.T, before, after portal.Invitation, audit auditRow)
	}{
		{name: "OKConfirmWithRepresentatives", session: f.sched2027, ngo: 1, reply: portal.ReplyConfirmed,
			reason: "ignored when confirming", reps: reps, now: open,
			check: func(t *testing.T, before, after portal.Invitation, a auditRow) {
				if after.Reply != portal.ReplyConfirmed || after.DeclineReason != "" || after.RepliedAt == nil ||
					after.RepliedByName != f.userName(t, f.staff(t, 1).UserID) {
					t.Errorf("after %+v", after)
				}
				if got := repNames(after.Representatives); !slices.Equal(got, []string{"王小红", "李小兰"}) {
					t.Errorf("representatives %v", got)
				}
				for i, r := range after.Representatives {
					if r.Position != i+1 || r.Mobile != reps[i].Mobile || r.Title != reps[i].Title || r.Attended {
						t.Errorf("representative %d: %+v", i, r)
					}
				}
				if c := a.Changes["reply"]; c.Before != "none" || c.After != "confirmed" {
					t.Errorf("audit reply %+v", c)
				}
				if c := a.Changes["representatives"]; len(ivStrings(c.Before)) != 0 ||
					!slices.Equal(ivStrings(c.After), portal.RepresentativeLabels(after.Representatives)) {
					t.Errorf("audit representatives %+v", c)
				}
				if _, ok := a.Changes["decline_reason"]; ok {
					t.Errorf("audit records an unchanged decline reason: %+v", a.Changes)
				}
			}},
		{name: "OKConfirmReplacesRepresentatives", session: f.sched2027, ngo: 3, reply: portal.ReplyConfirmed,
			reps: reps[1:], now: open,
			check: func(t *testing.T, before, after portal.Invitation, a auditRow) {
				if got := repNames(after.Representatives); !slices.Equal(got, []string{"李小兰"}) || after.Representatives[0].Position != 1 {
					t.Errorf("representatives %+v", after.Representatives)
				}
				if _, ok := a.Changes["reply"]; ok {
					t.Errorf("audit records an unchanged reply: %+v", a.Changes)
				}
				if c := a.Changes["representatives"]; len(ivStrings(c.Before)) != 2 || len(ivStrings(c.After)) != 1 {
					t.Errorf("audit representatives %+v", c)
				}
			}},
		{name: "OKDeclineClearsRepresentatives", session: f.sched2027, ngo: 5, reply: portal.ReplyDeclined,
			reason: "当天另有活动", reps: reps, now: open,
			check: func(t *testing.T, before, after portal.Invitation, a auditRow) {
				if after.Reply != portal.ReplyDeclined || after.DeclineReason != "当天另有活动" || len(after.Representatives) != 0 {
					t.Errorf("after %+v", after)
				}
				if c := a.Changes["representatives"]; len(ivStrings(c.Before)) != 2 || c.After == nil || len(ivStrings(c.After)) != 0 {
					t.Errorf("audit representatives %+v", c)
				}
				if c := a.Changes["decline_reason"]; c.Before != "" || c.After != "当天另有活动" {
					t.Errorf("audit decline_reason %+v", c)
				}
			}},
		{name: "OKJustBeforeDeadline", session: f.sched2027, ngo: 7, reply: portal.ReplyConfirmed, reps: reps[:1],
			now: deadline.Add(-time.Second),
			check: func(t *testing.T, _, after portal.Invitation, _ auditRow) {
				if after.Reply != portal.ReplyConfirmed {
					t.Errorf("reply %s", after.Reply)
				}
			}},
		{name: "ErrConflictStaleVersion", session: f.sched2027, ngo: 2, meanwhile: true, reply: portal.ReplyConfirmed,
			reps: reps, now: open, wantErr: portal.ErrConflict},
		{name: "ErrRepliesClosedAtDeadline", session: f.sched2027, ngo: 8, reply: portal.ReplyConfirmed, reps: reps,
			now: deadline, wantKey: postgres.MsgRepliesClosed},
		{name: "ErrRepliesClosedAfterDeadline", session: f.sched2027, ngo: 6, reply: portal.ReplyConfirmed, reps: reps,
			now: deadline.Add(24 * time.Hour), wantKey: postgres.MsgRepliesClosed},
		{name: "ErrRepliesClosedHeld", session: f.held2021, ngo: 1, reply: portal.ReplyDeclined, reason: "事后改口",
			now: open, wantKey: postgres.MsgRepliesClosed},
		{name: "ErrNotFoundOtherNGOsInvitation", session: other, ngo: 10, reply: portal.ReplyConfirmed, reps: reps,
			now: open, wantErr: portal.ErrNotFound},
		{name: "ErrNotFoundWithdrawn", session: f.sched2027, ngo: 11, reply: portal.ReplyConfirmed, reps: reps,
			now: open, wantErr: portal.ErrNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ngoID := f.ngos[c.ngo-1]
			actor := f.staff(t, c.ngo)
			before := f.invitations(t, c.session)[ngoID]
			version := before.Version
			if c.meanwhile {
				if err := f.db.ReplyToInvitation(ctx, actor, c.session, ngoID, version, portal.ReplyDeclined,
					"另一位同事已答复", nil, c.now); err != nil {
					t.Fatal(err)
				}
				before = f.invitations(t, c.session)[ngoID]
			}
			auditsBefore := len(f.audits(t, portal.AuditInvitationReplied, before.ID))
			otherBefore := f.invitations(t, other)
			err := f.db.ReplyToInvitation(ctx, actor, c.session, ngoID, version, c.reply, c.reason, c.reps, c.now)
			after := f.invitations(t, c.session)[ngoID]
			audits := f.audits(t, portal.AuditInvitationReplied, before.ID)
			if c.wantErr != nil || c.wantKey != "" {
				if c.wantErr != nil && !errors.Is(err, c.wantErr) {
					t.Errorf("err = %v, want %v", err, c.wantErr)
				}
				if c.wantKey != "" {
					ivWantField(t, err, "reply", c.wantKey)
				}
				if !reflect.DeepEqual(before, after) {
					t.Errorf("refused, yet the invitation changed:\n before %+v\n after  %+v", before, after)
				}
				if before.ID != 0 && len(audits) != auditsBefore {
					t.Errorf("%d invitation.replied rows, want %d", len(audits), auditsBefore)
				}
				if o := f.invitations(t, other); !reflect.DeepEqual(o, otherBefore) {
					t.Errorf("another NGO's invitation changed: %+v", o)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if after.ID != before.ID || after.Version != before.Version+1 {
				t.Errorf("invitation %d version %d, want %d version %d", after.ID, after.Version, before.ID, before.Version+1)
			}
			if len(audits) != auditsBefore+1 {
				t.Fatalf("%d invitation.replied rows, want %d", len(audits), auditsBefore+1)
			}
			a := audits[len(audits)-1]
			if a.ActorID != actor.UserID || a.NGOID != ngoID || a.ObjectType != portal.AuditObjectInvitation {
				t.Errorf("audit row %+v", a)
			}
			c.check(t, before, after, a)
		})
	}
}

// A re-invitation asks for a new answer: the withdrawn invitation's reply,
// representatives and attendance do not carry over.
func TestReinviteStartsAFreshAnswer(t *testing.T) {
	t.Parallel()
	f := newIvFixture(t)
	ctx := t.Context()
	before := f.invitationOf(t, f.sched2027, 2) // ngo02 confirmed in the demo
	if before.Reply != portal.ReplyConfirmed || len(before.Representatives) == 0 {
		t.Fatalf("demo reply of ngo02 = %+v, want confirmed with representatives", before)
	}
	f.withdraw(t, f.sched2027, 2)
	if got, err := f.db.InviteNGOs(ctx, f.admin, f.sched2027, false, []int64{f.ngos[1]}); err != nil || got != 1 {
		t.Fatalf("re-invite = %d, %v", got, err)
	}
	after := f.invitationOf(t, f.sched2027, 2)
	if after.ID != before.ID || after.WithdrawnAt != nil {
		t.Fatalf("re-invitation %+v did not reuse the row of %+v", after, before)
	}
	if after.Reply != portal.ReplyNone || after.RepliedAt != nil || len(after.Representatives) != 0 ||
		after.Attendance != portal.AttendanceUnknown {
		t.Errorf("the old answer carried over: %+v", after)
	}
	var reps int
	if err := f.db.Pool().QueryRow(ctx, `SELECT count(*) FROM representatives WHERE invitation_id = $1`, before.ID).Scan(&reps); err != nil || reps != 0 {
		t.Errorf("%d representatives left (%v), want 0", reps, err)
	}
}
