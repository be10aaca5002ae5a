package postgres_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"ngoportal/internal/portal"
)

// An NGO declining its invitation tells every active admin, once per
// decline, with the NGO's and the session's names; a confirmation tells
// no one.
func TestInvitationDeclinedNotifications(t *testing.T) {
	f := newNotifFixture(t)
	ctx := t.Context()
	var session, inv int64
	if err := f.db.Pool().QueryRow(ctx, `
		INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status)
		VALUES ('notice-session', '通知测试会议', 'Notice test session', 'municipal', now()::date + 30, 'scheduled')
		RETURNING id`).Scan(&session); err != nil {
		t.Fatal(err)
	}
	if err := f.db.Pool().QueryRow(ctx, `INSERT INTO invitations (session_id, ngo_id) VALUES ($1, $2) RETURNING id`,
		session, f.ngo).Scan(&inv); err != nil {
		t.Fatal(err)
	}
	optedOut := f.admins[0]
	f.exec(t, `INSERT INTO notification_email_optouts (user_id, kind) VALUES ($1, 'invitation_declined')`, optedOut)
	version := func() int {
		var v int
		if err := f.db.Pool().QueryRow(ctx, `SELECT version FROM invitations WHERE id = $1`, inv).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	reply := func(r portal.Reply, reps []portal.Representative) {
		t.Helper()
		if err := f.db.ReplyToInvitation(ctx, f.staff, session, f.ngo, version(), r, "另有安排", reps, time.Now()); err != nil {
			t.Fatalf("reply %s: %v", r, err)
		}
	}
	count := func() int {
		var n int
		if err := f.db.Pool().QueryRow(ctx, `SELECT count(*) FROM notifications WHERE kind = 'invitation_declined'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	reply(portal.ReplyConfirmed, []portal.Representative{{Name: "王芳", Title: "理事长", Mobile: "13800000000"}})
	if n := count(); n != 0 {
		t.Fatalf("a confirmation made %d notices", n)
	}
	reply(portal.ReplyDeclined, nil)
	got, mailed := f.recipients(t, portal.NotifyInvitationDeclined, inv)
	if !reflect.DeepEqual(got, f.admins) {
		t.Errorf("declined went to %v, want every active admin %v", got, f.admins)
	}
	if want := slices.DeleteFunc(slices.Clone(f.admins), func(id int64) bool { return id == optedOut }); !reflect.DeepEqual(mailed, want) {
		t.Errorf("declined mailed to %v, want %v", mailed, want)
	}
	var link string
	var params map[string]any
	if err := f.db.Pool().QueryRow(ctx, `SELECT link, params FROM notifications WHERE kind = 'invitation_declined' LIMIT 1`).Scan(&link, &params); err != nil {
		t.Fatal(err)
	}
	if link != "/admin/sessions/"+itoa(int(session))+"/invitations" || params["session_zh"] != "通知测试会议" ||
		params["session_en"] != "Notice test session" || params["ngo_zh"] == nil {
		t.Errorf("link %q, params %v", link, params)
	}

	// Declined again (the reason changed): no new notice.
	reply(portal.ReplyDeclined, nil)
	if n := count(); n != len(f.admins) {
		t.Errorf("a second decline in a row: %d notices, want %d", n, len(f.admins))
	}
	// Confirmed, then declined once more: told again.
	reply(portal.ReplyConfirmed, []portal.Representative{{Name: "王芳", Title: "理事长", Mobile: "13800000000"}})
	reply(portal.ReplyDeclined, nil)
	if n := count(); n != 2*len(f.admins) {
		t.Errorf("declined after a confirmation: %d notices, want %d", n, 2*len(f.admins))
	}
}
