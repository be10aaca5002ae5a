package postgres_test

import (
	"reflect"
	"slices"
	"strconv"
	"testing"

	"ngoportal/internal/portal"
)

// eventFixture is notifFixture with a second NGO's active staff, the
// recipients the notices about NGO ngo must never reach.
type eventFixture struct {
	notifFixture
	other      int64   // the other NGO
	otherStaff []int64 // its active staff
}

func newEventFixture(t *testing.T) eventFixture {
	t.Helper()
	f := eventFixture{notifFixture: newNotifFixture(t)}
	f.other = f.id(t, `SELECT ngo_id FROM users WHERE id = $1`, f.notifFixture.otherStaff)
	f.otherStaff = f.ids(t, `SELECT id FROM users WHERE ngo_id = $1 AND status = 'active' ORDER BY id`, f.other)
	return f
}

// notices lists who has a notice of kind about object with occasion, by
// id, and who of them has an email queued.
func (f eventFixture) notices(t *testing.T, kind portal.NotificationKind, object int64, occasion string) (ids, mailed []int64) {
	t.Helper()
	ids = f.ids(t, `SELECT recipient_id FROM notifications WHERE kind = $1 AND object_id = $2 AND occasion = $3 ORDER BY recipient_id`,
		string(kind), object, occasion)
	mailed = f.ids(t, `SELECT n.recipient_id FROM notifications n JOIN email_deliveries d ON d.notification_id = n.id
		WHERE n.kind = $1 AND n.object_id = $2 AND n.occasion = $3 ORDER BY n.recipient_id`, string(kind), object, occasion)
	return ids, mailed
}

func (f eventFixture) count(t *testing.T, kind portal.NotificationKind) int64 {
	t.Helper()
	return f.id(t, `SELECT count(*) FROM notifications WHERE kind = $1`, string(kind))
}

func sortedIDs(lists ...[]int64) []int64 {
	out := slices.Concat(lists...)
	slices.Sort(out)
	return out
}

// An NGO is told of its invitation when it can see it: when its session is
// scheduled, or at once when invited to a scheduled one; re-invited after a
// withdrawal it is told again; repeating a step tells no one twice.
func TestSessionInvitedNotifications(t *testing.T) {
	f := newEventFixture(t)
	ctx := t.Context()
	session := f.id(t, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, reply_deadline)
		VALUES ('invited-notice', '邀请通知测试会议', 'Invitation notice session', 'municipal', '2041-01-19', 'draft',
		        '2041-01-10 23:59:00+08') RETURNING id`)
	invitation := func(ngo int64) int64 {
		return f.id(t, `SELECT id FROM invitations WHERE session_id = $1 AND ngo_id = $2`, session, ngo)
	}
	invite := func(ngos ...int64) {
		t.Helper()
		if _, err := f.db.InviteNGOs(ctx, f.admin, session, false, ngos); err != nil {
			t.Fatal(err)
		}
	}
	status := func(to portal.SessionStatus) {
		t.Helper()
		if err := f.db.SetSessionStatus(ctx, f.admin, session, to, ""); err != nil {
			t.Fatalf("to %s: %v", to, err)
		}
	}
	// One of the NGO's staff wants no email of this kind.
	optedOut := f.ngoStaff[0]
	f.exec(t, `INSERT INTO notification_email_optouts (user_id, kind) VALUES ($1, 'session_invited')`, optedOut)

	t.Run("DraftTellsNoOne", func(t *testing.T) {
		invite(f.ngo)
		if n := f.count(t, portal.NotifySessionInvited); n != 0 {
			t.Errorf("inviting to a draft made %d notices", n)
		}
	})

	t.Run("SchedulingTellsTheInvitedNGOsStaff", func(t *testing.T) {
		status(portal.SessionScheduled)
		inv := invitation(f.ngo)
		got, mailed := f.notices(t, portal.NotifySessionInvited, inv, "v1")
		if !reflect.DeepEqual(got, f.ngoStaff) {
			t.Errorf("told %v, want the NGO's active staff %v", got, f.ngoStaff)
		}
		if want := f.ngoStaff[1:]; !reflect.DeepEqual(mailed, want) {
			t.Errorf("mailed %v, want %v", mailed, want)
		}
		if n := f.count(t, portal.NotifySessionInvited); n != int64(len(f.ngoStaff)) {
			t.Errorf("%d notices in all, want %d: someone else was told", n, len(f.ngoStaff))
		}
		var link string
		var p portal.NotificationParams
		if err := f.db.Pool().QueryRow(ctx, `SELECT link, params FROM notifications WHERE kind = 'session_invited' LIMIT 1`).Scan(&link, &p); err != nil {
			t.Fatal(err)
		}
		want := portal.NotificationParams{NGOZh: p.NGOZh, NGOEn: p.NGOEn, SessionZh: "邀请通知测试会议", SessionEn: "Invitation notice session",
			Date: "2041-01-19", Due: "2041-01-10"}
		if link != "/ngo/sessions/"+strconv.FormatInt(session, 10) || !reflect.DeepEqual(p, want) || p.NGOZh == "" {
			t.Errorf("link %q, params %+v", link, p)
		}
	})

	t.Run("BackToDraftAndScheduledAgainTellsNoOneTwice", func(t *testing.T) {
		status(portal.SessionDraft)
		status(portal.SessionScheduled)
		if n := f.count(t, portal.NotifySessionInvited); n != int64(len(f.ngoStaff)) {
			t.Errorf("%d notices, want %d", n, len(f.ngoStaff))
		}
	})

	t.Run("InvitedToAScheduledSessionTellsOnlyThatNGO", func(t *testing.T) {
		invite(f.other)
		got, _ := f.notices(t, portal.NotifySessionInvited, invitation(f.other), "v1")
		if !reflect.DeepEqual(got, f.otherStaff) {
			t.Errorf("told %v, want %v", got, f.otherStaff)
		}
		if n := f.count(t, portal.NotifySessionInvited); n != int64(len(f.ngoStaff)+len(f.otherStaff)) {
			t.Errorf("%d notices in all", n)
		}
		// Inviting the same NGOs again changes nothing and tells no one.
		invite(f.ngo, f.other)
		if n := f.count(t, portal.NotifySessionInvited); n != int64(len(f.ngoStaff)+len(f.otherStaff)) {
			t.Errorf("inviting again: %d notices in all", n)
		}
	})

	t.Run("ReinvitedAfterWithdrawalIsToldAgain", func(t *testing.T) {
		inv := invitation(f.ngo)
		if err := f.db.WithdrawInvitation(ctx, f.admin, session, inv); err != nil {
			t.Fatal(err)
		}
		invite(f.ngo)
		got, _ := f.notices(t, portal.NotifySessionInvited, inv, "v3")
		if !reflect.DeepEqual(got, f.ngoStaff) {
			t.Errorf("re-invited: told %v, want %v", got, f.ngoStaff)
		}
		if n := f.count(t, portal.NotifySessionInvited); n != int64(2*len(f.ngoStaff)+len(f.otherStaff)) {
			t.Errorf("%d notices in all", n)
		}
	})
}

// An NGO is told that the chair's requests are addressed to it once the
// federation asks for answers, and of each request addressed to it after
// that; never of an edit that addresses no one new.
func TestRequestAddressedNotifications(t *testing.T) {
	f := newEventFixture(t)
	ctx := t.Context()
	session := f.id(t, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status)
		VALUES ('addressed-notice', '要求通知测试会议', 'Request notice session', 'municipal', '2041-01-19', 'held') RETURNING id`)
	f.exec(t, `INSERT INTO invitations (session_id, ngo_id) VALUES ($1, $2), ($1, $3)`, session, f.ngo, f.other)
	create := func(number int, toAll bool, recipients ...int64) portal.Request {
		t.Helper()
		r, err := f.db.CreateRequest(ctx, f.admin, portal.Request{SessionID: session, Number: number, TextZH: "要求" + strconv.Itoa(number),
			AddressedToAll: toAll, Recipients: recipients})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	both := sortedIDs(f.ngoStaff, f.otherStaff)

	var first portal.Request
	t.Run("NothingBeforeAnswersAreAsked", func(t *testing.T) {
		first = create(1, true)
		create(2, false, f.ngo)
		if n := f.count(t, portal.NotifyRequestAddressed); n != 0 {
			t.Errorf("%d notices before the date for answers is set", n)
		}
	})

	t.Run("AskingForAnswersTellsEveryAddressedNGOOnce", func(t *testing.T) {
		if err := f.db.SetResponsesDue(ctx, f.admin, session, isoDate("2041-03-31"), nil); err != nil {
			t.Fatal(err)
		}
		got, mailed := f.notices(t, portal.NotifyRequestAddressed, session, "")
		if !reflect.DeepEqual(got, both) || !reflect.DeepEqual(mailed, both) {
			t.Errorf("told %v (mailed %v), want %v", got, mailed, both)
		}
		var p portal.NotificationParams
		var link string
		if err := f.db.Pool().QueryRow(ctx, `SELECT params, link FROM notifications WHERE kind = 'request_addressed' AND recipient_id = $1`,
			f.ngoStaff[0]).Scan(&p, &link); err != nil {
			t.Fatal(err)
		}
		if p.Due != "2041-03-31" || p.SessionZh != "要求通知测试会议" || p.NGOZh == "" ||
			link != "/ngo/sessions/"+strconv.FormatInt(session, 10)+"/responses" {
			t.Errorf("params %+v, link %q", p, link)
		}
		// A new date is not a new request.
		was := isoDate("2041-03-31")
		if err := f.db.SetResponsesDue(ctx, f.admin, session, isoDate("2041-04-30"), &was); err != nil {
			t.Fatal(err)
		}
		if n := f.count(t, portal.NotifyRequestAddressed); n != int64(len(both)) {
			t.Errorf("a changed date: %d notices, want %d", n, len(both))
		}
	})

	t.Run("AnEditAddressingNoOneNewTellsNoOne", func(t *testing.T) {
		first.TextZH = "要求一（修订）"
		if _, err := f.db.UpdateRequest(ctx, f.admin, first); err != nil {
			t.Fatal(err)
		}
		if n := f.count(t, portal.NotifyRequestAddressed); n != int64(len(both)) {
			t.Errorf("an edit of the text: %d notices, want %d", n, len(both))
		}
	})

	t.Run("ALaterRequestTellsOnlyItsAddressees", func(t *testing.T) {
		q := create(3, false, f.ngo)
		occasion := "r" + strconv.FormatInt(q.ID, 10)
		if got, _ := f.notices(t, portal.NotifyRequestAddressed, session, occasion); !reflect.DeepEqual(got, f.ngoStaff) {
			t.Errorf("told %v, want %v", got, f.ngoStaff)
		}
		// An edit of its text addresses no one new.
		q.TextZH = "要求三（修订）"
		q, err := f.db.UpdateRequest(ctx, f.admin, q)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := f.notices(t, portal.NotifyRequestAddressed, session, occasion); !reflect.DeepEqual(got, f.ngoStaff) {
			t.Errorf("after an edit: %v", got)
		}
		// Addressed to all now: the other NGO is told, the first not again.
		q.AddressedToAll, q.Recipients = true, nil
		if _, err := f.db.UpdateRequest(ctx, f.admin, q); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.notices(t, portal.NotifyRequestAddressed, session, occasion); !reflect.DeepEqual(got, both) {
			t.Errorf("addressed to all: told %v, want %v", got, both)
		}
		if n := f.count(t, portal.NotifyRequestAddressed); n != int64(2*len(both)) {
			t.Errorf("%d notices in all, want %d", n, 2*len(both))
		}
	})
}

// Each reminder of unanswered requests is a notice to the reminded NGO's
// staff, and only theirs.
func TestResponseReminderNotifications(t *testing.T) {
	f := newEventFixture(t)
	ctx := t.Context()
	session := f.id(t, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, responses_due_on)
		VALUES ('remind-notice', '提醒通知测试会议', 'Reminder notice session', 'municipal', '2041-01-19', 'held', '2041-03-31') RETURNING id`)
	f.exec(t, `INSERT INTO invitations (session_id, ngo_id) VALUES ($1, $2), ($1, $3)`, session, f.ngo, f.other)
	q := f.id(t, `INSERT INTO session_requests (session_id, number, text_zh) VALUES ($1, 1, '要求') RETURNING id`, session)
	// The other NGO has answered: the bulk reminder skips it.
	f.exec(t, `INSERT INTO request_responses (request_id, ngo_id, nothing_planned, reason) VALUES ($1, $2, true, '已有安排')`, q, f.other)
	f.exec(t, `INSERT INTO response_extensions (session_id, ngo_id, due_on, reason) VALUES ($1, $2, '2041-04-15', '换届')`, session, f.ngo)

	reminders := func() []int64 {
		return f.ids(t, `SELECT id FROM response_reminders WHERE session_id = $1 ORDER BY id`, session)
	}
	t.Run("OneNGO", func(t *testing.T) {
		if err := f.db.RemindNGO(ctx, f.admin, session, f.other); err != nil {
			t.Fatal(err)
		}
		r := reminders()
		got, mailed := f.notices(t, portal.NotifyResponseReminded, session, strconv.FormatInt(r[0], 10))
		if !reflect.DeepEqual(got, f.otherStaff) || !reflect.DeepEqual(mailed, f.otherStaff) {
			t.Errorf("told %v (mailed %v), want %v", got, mailed, f.otherStaff)
		}
	})
	t.Run("EveryUnansweredNGOEachTime", func(t *testing.T) {
		for range 2 {
			n, err := f.db.RemindUnanswered(ctx, f.admin, session)
			if err != nil || n != 1 {
				t.Fatalf("reminded %d, %v; want 1", n, err)
			}
		}
		r := reminders()
		if len(r) != 3 {
			t.Fatalf("%d reminders", len(r))
		}
		for _, id := range r[1:] {
			if got, _ := f.notices(t, portal.NotifyResponseReminded, session, strconv.FormatInt(id, 10)); !reflect.DeepEqual(got, f.ngoStaff) {
				t.Errorf("reminder %d told %v, want %v", id, got, f.ngoStaff)
			}
		}
		if n := f.count(t, portal.NotifyResponseReminded); n != int64(len(f.otherStaff)+2*len(f.ngoStaff)) {
			t.Errorf("%d notices in all", n)
		}
		var p portal.NotificationParams
		if err := f.db.Pool().QueryRow(ctx, `SELECT params FROM notifications WHERE kind = 'response_reminded' AND recipient_id = $1 LIMIT 1`,
			f.ngoStaff[0]).Scan(&p); err != nil {
			t.Fatal(err)
		}
		if p.Due != "2041-04-15" || p.SessionEn != "Reminder notice session" {
			t.Errorf("params %+v: want the NGO's extended date", p)
		}
	})
	t.Run("NoneToAdmins", func(t *testing.T) {
		if n := f.id(t, `SELECT count(*) FROM notifications n JOIN users u ON u.id = n.recipient_id
			WHERE u.role = 'admin' AND n.kind IN ('response_reminded', 'request_addressed', 'session_invited')`); n != 0 {
			t.Errorf("%d notices to admins", n)
		}
	})
}
