package postgres_test

import (
	"errors"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"ngoportal/internal/demo"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// userFixture is a seeded database and the demo admin acting on it.
type userFixture struct {
	testDB
	admin portal.Actor
	ngo   int64 // an active demo NGO
}

func newUserFixture(t *testing.T) userFixture {
	t.Helper()
	f := userFixture{testDB: newDemoDB(t)}
	f.admin = f.actor(t, demo.AdminEmail)
	f.admin.ClientAddr, f.admin.RequestID = netip.MustParseAddr("198.51.100.7"), "req-1"
	f.ngo = f.id(t, `SELECT id FROM ngos WHERE slug = 'women-physicians'`)
	return f
}

func (f userFixture) invite(t *testing.T, email string, role portal.Role, ngo int64) (int64, string) {
	t.Helper()
	token := fmt.Sprintf("token-%s-%d", email, time.Now().UnixNano())
	id, err := f.db.InviteUser(t.Context(), f.admin, postgres.UserInvite{Email: email, Name: "测试 " + email, Role: role, NGOID: ngo}, token, time.Hour)
	if err != nil {
		t.Fatalf("invite %s: %v", email, err)
	}
	return id, token
}

// activate sets a password through the invitation, as the invitee would.
func (f userFixture) activate(t *testing.T, token string) {
	t.Helper()
	if _, err := f.db.UseToken(t.Context(), portal.Actor{}, token, portal.TokenInvite, "$argon2id$test"); err != nil {
		t.Fatalf("use invitation: %v", err)
	}
}

// login opens a login session for a user and returns its id.
func (f userFixture) login(t *testing.T, userID int64) string {
	t.Helper()
	id := fmt.Sprintf("session-%d-%d", userID, time.Now().UnixNano())
	if err := f.db.CreateLoginSession(t.Context(), portal.Actor{UserID: userID}, userID, id, "", time.Hour, time.Hour); err != nil {
		t.Fatal(err)
	}
	return id
}

func (f userFixture) loggedIn(t *testing.T, sessionID string) bool {
	t.Helper()
	_, err := f.db.LoginSessionByID(t.Context(), sessionID, time.Hour)
	if err != nil && !errorsIs(err, portal.ErrNotFound) {
		t.Fatal(err)
	}
	return err == nil
}

func (f userFixture) lastAudit(t *testing.T, objectID int64) portal.AuditEntry {
	t.Helper()
	es, _, err := f.db.ListAudit(t.Context(), postgres.AuditFilter{UserID: objectID, Limit: 1})
	if err != nil || len(es) == 0 {
		t.Fatalf("audit of user %d: %v (%d rows)", objectID, err, len(es))
	}
	return es[0]
}

func validationField(err error) map[string]string {
	var ve *portal.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	return ve.Fields
}

func TestInviteUser(t *testing.T) {
	t.Parallel()
	f := newUserFixture(t)
	ctx := t.Context()

	t.Run("OK", func(t *testing.T) {
		id, token := f.invite(t, "new.staff@example.org", portal.RoleStaff, f.ngo)
		u, err := f.db.UserByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if u.Status != portal.UserInvited || u.HasPassword || u.Role != portal.RoleStaff || u.NGOID != f.ngo || u.NGOName != "上海市女医师协会" {
			t.Errorf("invited user = %+v", u)
		}
		if len(u.Links) != 1 || u.Links[0].Purpose != portal.TokenInvite || !u.Links[0].ExpiresAt.After(time.Now()) {
			t.Errorf("links = %+v", u.Links)
		}
		if got, err := f.db.TokenUser(ctx, token, portal.TokenInvite); err != nil || got.ID != id {
			t.Errorf("the invitation does not open: %v", err)
		}
		var stored int
		if err := f.db.Pool().QueryRow(ctx, `SELECT count(*) FROM user_tokens WHERE token_hash = $1`, postgres.HashToken(token)).Scan(&stored); err != nil || stored != 1 {
			t.Errorf("token hash rows = %d, %v", stored, err)
		}
		e := f.lastAudit(t, id)
		if e.Action != portal.AuditUserInvited || e.ActorID != f.admin.UserID || e.ActorEmail != demo.AdminEmail ||
			e.NGOID != f.ngo || e.ClientAddr != "198.51.100.7" || e.RequestID != "req-1" {
			t.Errorf("audit entry = %+v", e)
		}
		if c := e.Changes["email"]; c.Before != nil || c.After != "new.staff@example.org" {
			t.Errorf("audit email change = %+v", c)
		}
		if c := e.Changes["ngo"]; c.After != "上海市女医师协会" {
			t.Errorf("audit ngo change = %+v", c)
		}
	})
	t.Run("ErrDuplicateEmail", func(t *testing.T) {
		f.invite(t, "twice@example.org", portal.RoleAdmin, 0)
		_, err := f.db.InviteUser(ctx, f.admin, postgres.UserInvite{Email: "TWICE@example.org", Name: "x", Role: portal.RoleAdmin}, "tok-dup", time.Hour)
		if !errorsIs(err, portal.ErrConflict) {
			t.Fatalf("err = %v, want ErrConflict", err)
		}
	})
	t.Run("ErrInactiveNGO", func(t *testing.T) {
		var inactive int64
		if err := f.db.Pool().QueryRow(ctx, `UPDATE ngos SET active = false WHERE slug = 'women-lawyers' RETURNING id`).Scan(&inactive); err != nil {
			t.Fatal(err)
		}
		_, err := f.db.InviteUser(ctx, f.admin, postgres.UserInvite{Email: "late@example.org", Name: "x", Role: portal.RoleStaff, NGOID: inactive}, "tok-inactive", time.Hour)
		if got := validationField(err); got[postgres.UserFieldNGO] != "user.error.ngo_inactive" {
			t.Fatalf("err = %v, want a validation error on the NGO", err)
		}
		var n int
		if err := f.db.Pool().QueryRow(ctx, `SELECT count(*) FROM users WHERE email = 'late@example.org'`).Scan(&n); err != nil || n != 0 {
			t.Errorf("a refused invitation left %d users", n)
		}
	})
	t.Run("ErrAdminWithNGO", func(t *testing.T) {
		_, err := f.db.InviteUser(ctx, f.admin, postgres.UserInvite{Email: "adm@example.org", Name: "x", Role: portal.RoleAdmin, NGOID: f.ngo}, "tok-adm", time.Hour)
		if got := validationField(err); got[postgres.UserFieldNGO] != "user.error.ngo_for_admin" {
			t.Fatalf("err = %v, want a validation error on the NGO", err)
		}
	})
}

func TestUpdateUser(t *testing.T) {
	t.Parallel()
	f := newUserFixture(t)
	ctx := t.Context()
	other := f.ngo + 1

	t.Run("OKNameOnlyKeepsSessions", func(t *testing.T) {
		id, token := f.invite(t, "rename@example.org", portal.RoleStaff, f.ngo)
		f.activate(t, token)
		sess := f.login(t, id)
		u, _ := f.db.UserByID(ctx, id)
		if err := f.db.UpdateUser(ctx, f.admin, postgres.UserUpdate{ID: id, Version: u.Version, Name: "新名字", Role: portal.RoleStaff, NGOID: f.ngo}); err != nil {
			t.Fatal(err)
		}
		if !f.loggedIn(t, sess) {
			t.Error("a name change ended the user's session")
		}
		e := f.lastAudit(t, id)
		if e.Action != portal.AuditUserUpdated || len(e.Changes) != 1 || e.Changes["name"].After != "新名字" {
			t.Errorf("audit entry = %+v", e)
		}
		after, _ := f.db.UserByID(ctx, id)
		if after.Version != u.Version+1 || after.Name != "新名字" {
			t.Errorf("after update: %+v", after)
		}
	})
	t.Run("OKNGOChangeEndsSessions", func(t *testing.T) {
		id, token := f.invite(t, "move@example.org", portal.RoleStaff, f.ngo)
		f.activate(t, token)
		sess := f.login(t, id)
		u, _ := f.db.UserByID(ctx, id)
		if err := f.db.UpdateUser(ctx, f.admin, postgres.UserUpdate{ID: id, Version: u.Version, Name: u.Name, Role: portal.RoleStaff, NGOID: other}); err != nil {
			t.Fatal(err)
		}
		if f.loggedIn(t, sess) {
			t.Error("an NGO change left the user's session open")
		}
		e := f.lastAudit(t, id)
		if c := e.Changes["ngo"]; c.Before != "上海市女医师协会" || c.After == nil {
			t.Errorf("ngo change = %+v", c)
		}
	})
	t.Run("OKRoleChangeEndsSessions", func(t *testing.T) {
		id, token := f.invite(t, "promote@example.org", portal.RoleStaff, f.ngo)
		f.activate(t, token)
		sess := f.login(t, id)
		u, _ := f.db.UserByID(ctx, id)
		if err := f.db.UpdateUser(ctx, f.admin, postgres.UserUpdate{ID: id, Version: u.Version, Name: u.Name, Role: portal.RoleAdmin}); err != nil {
			t.Fatal(err)
		}
		if f.loggedIn(t, sess) {
			t.Error("a role change left the user's session open")
		}
		e := f.lastAudit(t, id)
		if c := e.Changes["role"]; c.Before != "staff" || c.After != "admin" {
			t.Errorf("role change = %+v", c)
		}
		if c := e.Changes["ngo"]; c.Before != "上海市女医师协会" || c.After != nil {
			t.Errorf("ngo change = %+v", c)
		}
	})
	t.Run("ErrStaleVersion", func(t *testing.T) {
		id, _ := f.invite(t, "stale@example.org", portal.RoleStaff, f.ngo)
		u, _ := f.db.UserByID(ctx, id)
		if err := f.db.UpdateUser(ctx, f.admin, postgres.UserUpdate{ID: id, Version: u.Version, Name: "first", Role: portal.RoleStaff, NGOID: f.ngo}); err != nil {
			t.Fatal(err)
		}
		err := f.db.UpdateUser(ctx, f.admin, postgres.UserUpdate{ID: id, Version: u.Version, Name: "second", Role: portal.RoleStaff, NGOID: f.ngo})
		if !errorsIs(err, portal.ErrConflict) {
			t.Fatalf("err = %v, want ErrConflict", err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		err := f.db.UpdateUser(ctx, f.admin, postgres.UserUpdate{ID: 999999, Version: 1, Name: "x", Role: portal.RoleAdmin})
		if !errorsIs(err, portal.ErrNotFound) {
			t.Fatalf("err = %v, want ErrNotFound", err)
		}
	})
	t.Run("ErrOwnRole", func(t *testing.T) {
		id, token := f.invite(t, "second.admin@example.org", portal.RoleAdmin, 0)
		f.activate(t, token)
		me := portal.Actor{UserID: id, Email: "second.admin@example.org"}
		u, _ := f.db.UserByID(ctx, id)
		err := f.db.UpdateUser(ctx, me, postgres.UserUpdate{ID: id, Version: u.Version, Name: u.Name, Role: portal.RoleStaff, NGOID: f.ngo})
		if got := validationField(err); got[postgres.UserFieldRole] != "user.error.own_role" {
			t.Fatalf("err = %v, want own_role", err)
		}
	})
}

// The last active admin can be neither demoted nor disabled, by anyone.
func TestLastAdmin(t *testing.T) {
	t.Parallel()
	f := newUserFixture(t)
	ctx := t.Context()
	system := portal.Actor{} // no admin of its own, so no self-rule applies
	admin, _ := f.db.UserByID(ctx, f.admin.UserID)

	err := f.db.UpdateUser(ctx, system, postgres.UserUpdate{ID: admin.ID, Version: admin.Version, Name: admin.Name, Role: portal.RoleStaff, NGOID: f.ngo})
	if got := validationField(err); got[postgres.UserFieldRole] != "user.error.last_admin" {
		t.Errorf("demote: err = %v, want last_admin", err)
	}
	err = f.db.DisableUser(ctx, system, admin.ID)
	if got := validationField(err); got[postgres.UserFieldStatus] != "user.error.last_admin_disable" {
		t.Errorf("disable: err = %v, want last_admin_disable", err)
	}

	// With a second active admin, one of them may go.
	id, token := f.invite(t, "deputy@example.org", portal.RoleAdmin, 0)
	f.activate(t, token)
	if err := f.db.DisableUser(ctx, system, admin.ID); err != nil {
		t.Fatalf("disable with a deputy: %v", err)
	}
	deputy, _ := f.db.UserByID(ctx, id)
	err = f.db.UpdateUser(ctx, system, postgres.UserUpdate{ID: id, Version: deputy.Version, Name: deputy.Name, Role: portal.RoleStaff, NGOID: f.ngo})
	if got := validationField(err); got[postgres.UserFieldRole] != "user.error.last_admin" {
		t.Errorf("demote the deputy, now the last: err = %v", err)
	}
}

func TestDisableEnableUser(t *testing.T) {
	t.Parallel()
	f := newUserFixture(t)
	ctx := t.Context()

	t.Run("OK", func(t *testing.T) {
		id, token := f.invite(t, "off@example.org", portal.RoleStaff, f.ngo)
		f.activate(t, token)
		sess := f.login(t, id)
		reset := "reset-token-off"
		if _, err := f.db.IssueLink(ctx, f.admin, id, portal.TokenReset, reset, time.Hour); err != nil {
			t.Fatal(err)
		}
		if err := f.db.DisableUser(ctx, f.admin, id); err != nil {
			t.Fatal(err)
		}
		if f.loggedIn(t, sess) {
			t.Error("disabling left the session open")
		}
		if _, err := f.db.TokenUser(ctx, reset, portal.TokenReset); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("the reset link still opens after disabling: %v", err)
		}
		u, _ := f.db.UserByID(ctx, id)
		if u.Status != portal.UserDisabled || len(u.Links) != 0 {
			t.Errorf("after disable: %s, %d links", u.Status, len(u.Links))
		}
		e := f.lastAudit(t, id)
		if e.Action != portal.AuditUserDisabled || e.Changes["status"].Before != "active" || e.Changes["status"].After != "disabled" ||
			e.Changes["open_links"].Before != float64(1) {
			t.Errorf("audit entry = %+v", e)
		}
		if err := f.db.DisableUser(ctx, f.admin, id); !errorsIs(err, portal.ErrConflict) {
			t.Errorf("disable twice: err = %v, want ErrConflict", err)
		}
		if err := f.db.EnableUser(ctx, f.admin, id); err != nil {
			t.Fatal(err)
		}
		if u, _ := f.db.UserByID(ctx, id); u.Status != portal.UserActive {
			t.Errorf("enabled user with a password is %s, want active", u.Status)
		}
		if err := f.db.EnableUser(ctx, f.admin, id); !errorsIs(err, portal.ErrConflict) {
			t.Errorf("enable an active user: err = %v, want ErrConflict", err)
		}
	})
	t.Run("OKInvitedStaysInvited", func(t *testing.T) {
		id, _ := f.invite(t, "never@example.org", portal.RoleStaff, f.ngo)
		if err := f.db.DisableUser(ctx, f.admin, id); err != nil {
			t.Fatal(err)
		}
		if err := f.db.EnableUser(ctx, f.admin, id); err != nil {
			t.Fatal(err)
		}
		e := f.lastAudit(t, id)
		if e.Action != portal.AuditUserEnabled || e.Changes["status"].After != "invited" {
			t.Errorf("audit entry = %+v", e)
		}
	})
	t.Run("ErrSelf", func(t *testing.T) {
		id, token := f.invite(t, "self@example.org", portal.RoleAdmin, 0)
		f.activate(t, token)
		err := f.db.DisableUser(ctx, portal.Actor{UserID: id}, id)
		if got := validationField(err); got[postgres.UserFieldStatus] != "user.error.disable_self" {
			t.Errorf("err = %v, want disable_self", err)
		}
	})
}

func TestIssueLink(t *testing.T) {
	t.Parallel()
	f := newUserFixture(t)
	ctx := t.Context()
	id, invite := f.invite(t, "links@example.org", portal.RoleStaff, f.ngo)

	t.Run("ErrResetForInvited", func(t *testing.T) {
		if _, err := f.db.IssueLink(ctx, f.admin, id, portal.TokenReset, "r0", time.Hour); !errorsIs(err, portal.ErrConflict) {
			t.Errorf("err = %v, want ErrConflict", err)
		}
	})
	t.Run("OKReinviteClosesOlder", func(t *testing.T) {
		u, err := f.db.IssueLink(ctx, f.admin, id, portal.TokenInvite, "invite-2", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "links@example.org" {
			t.Errorf("returned user %+v", u)
		}
		if _, err := f.db.TokenUser(ctx, invite, portal.TokenInvite); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("the first invitation still opens: %v", err)
		}
		if _, err := f.db.TokenUser(ctx, "invite-2", portal.TokenInvite); err != nil {
			t.Errorf("the fresh invitation does not open: %v", err)
		}
		f.activate(t, "invite-2")
	})
	t.Run("OKResetClosesOlder", func(t *testing.T) {
		for _, tok := range []string{"reset-1", "reset-2"} {
			if _, err := f.db.IssueLink(ctx, f.admin, id, portal.TokenReset, tok, time.Hour); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.db.TokenUser(ctx, "reset-1", portal.TokenReset); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("the older reset link still opens: %v", err)
		}
		u, _ := f.db.UserByID(ctx, id)
		if len(u.Links) != 1 || u.Links[0].Purpose != portal.TokenReset {
			t.Errorf("open links = %+v", u.Links)
		}
		e := f.lastAudit(t, id)
		if e.Action != portal.AuditResetIssued || e.Changes["open_links"].Before != float64(1) || e.Changes["open_links"].After != float64(1) {
			t.Errorf("audit entry = %+v", e)
		}
	})
	t.Run("ErrReinviteForActive", func(t *testing.T) {
		if _, err := f.db.IssueLink(ctx, f.admin, id, portal.TokenInvite, "i3", time.Hour); !errorsIs(err, portal.ErrConflict) {
			t.Errorf("err = %v, want ErrConflict", err)
		}
	})
}

func TestListUsers(t *testing.T) {
	t.Parallel()
	f := newUserFixture(t)
	ctx := t.Context()
	// The demo: one admin and one active staff member per NGO (18). Add 30
	// invited staff of one NGO, three of them then disabled.
	for i := range 30 {
		id, _ := f.invite(t, fmt.Sprintf("bulk%02d@example.org", i), portal.RoleStaff, f.ngo)
		if i < 3 {
			if err := f.db.DisableUser(ctx, f.admin, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	cases := []struct {
		name   string
		filter postgres.UserFilter
		total  int
	}{
		{"All", postgres.UserFilter{}, 50},
		{"Admins", postgres.UserFilter{Role: portal.RoleAdmin}, 1},
		{"Reviewers", postgres.UserFilter{Role: portal.RoleReviewer}, 1},
		{"Staff", postgres.UserFilter{Role: portal.RoleStaff}, 48},
		{"OneNGO", postgres.UserFilter{NGOID: f.ngo}, 31},
		{"Invited", postgres.UserFilter{Status: portal.UserInvited}, 27},
		{"Disabled", postgres.UserFilter{Status: portal.UserDisabled}, 3},
		{"NGOAndActive", postgres.UserFilter{NGOID: f.ngo, Status: portal.UserActive}, 1},
		{"SearchEmail", postgres.UserFilter{Query: "BULK1"}, 10},
		{"SearchName", postgres.UserFilter{Query: "李静"}, 1},
		{"SearchWildcardLiteral", postgres.UserFilter{Query: "%"}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.filter.Limit = 25
			users, total, err := f.db.ListUsers(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if total != tc.total || len(users) != min(25, tc.total) {
				t.Errorf("total %d, page %d; want %d", total, len(users), tc.total)
			}
		})
	}
	t.Run("OKSecondPage", func(t *testing.T) {
		first, _, _ := f.db.ListUsers(ctx, postgres.UserFilter{Limit: 25})
		second, total, err := f.db.ListUsers(ctx, postgres.UserFilter{Limit: 25, Offset: 25})
		if err != nil {
			t.Fatal(err)
		}
		if total != 50 || len(second) != 25 {
			t.Fatalf("second page: %d of %d", len(second), total)
		}
		if first[24].Email >= second[0].Email {
			t.Errorf("pages overlap or are unordered: %s then %s", first[24].Email, second[0].Email)
		}
	})
}

func TestAdminOverview(t *testing.T) {
	t.Parallel()
	f := newUserFixture(t)
	ctx := t.Context()
	f.invite(t, "a@example.org", portal.RoleStaff, f.ngo)
	id, _ := f.invite(t, "b@example.org", portal.RoleStaff, f.ngo)
	if err := f.db.DisableUser(ctx, f.admin, id); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Pool().Exec(ctx, `UPDATE ngos SET active = false WHERE slug = 'women-lawyers'`); err != nil {
		t.Fatal(err)
	}
	got, err := f.db.AdminOverview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := postgres.AdminCounts{ActiveNGOs: 17, UsersActive: 20, UsersInvited: 1, UsersDisabled: 1}
	if got != want {
		t.Errorf("overview = %+v, want %+v", got, want)
	}
}
