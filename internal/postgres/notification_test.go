package postgres_test

import (
	"errors"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// notifFixture is the report fixture with the notifications the demo data
// made removed, and extra accounts to tell right recipients from wrong.
type notifFixture struct {
	wrFixture
	staff      portal.Actor
	ngo        int64
	ngoStaff   []int64 // every active staff account of ngo
	admins     []int64 // every active official: admins and the demo's reviewer
	otherStaff int64   // staff of another NGO
}

func newNotifFixture(t *testing.T) notifFixture {
	t.Helper()
	f := notifFixture{wrFixture: newWRFixture(t)}
	f.exec(t, `DELETE FROM notifications`)
	f.staff, f.ngo = f.wrFixture.staff(t, 5)
	add := func(email, role string, ngo any, status string) int64 {
		return f.id(t, `INSERT INTO users (email, name, role, ngo_id, status, password_hash, locale)
			VALUES ($1, '测试', $2, $3, $4, 'x', 'en') RETURNING id`, email, role, ngo, status)
	}
	add("second@ngo5.example.org", "staff", f.ngo, "active")
	add("gone@ngo5.example.org", "staff", f.ngo, "disabled")
	add("second-admin@example.org", "admin", nil, "active")
	add("gone-admin@example.org", "admin", nil, "disabled")
	_, other := f.wrFixture.staff(t, 6)
	f.otherStaff = f.id(t, `SELECT min(id) FROM users WHERE ngo_id = $1`, other)
	f.ngoStaff = f.ids(t, `SELECT id FROM users WHERE ngo_id = $1 AND status = 'active' ORDER BY id`, f.ngo)
	f.admins = f.ids(t, `SELECT id FROM users WHERE role IN ('admin', 'reviewer') AND status = 'active' ORDER BY id`)
	if n := f.id(t, `SELECT count(*) FROM users WHERE id = ANY($1) AND role = 'reviewer'`, f.admins); n != 1 {
		t.Fatalf("fixture: %d reviewers among the officials %v, want the demo's", n, f.admins)
	}
	if len(f.ngoStaff) < 2 || len(f.admins) < 2 {
		t.Fatalf("fixture: staff %v, admins %v", f.ngoStaff, f.admins)
	}
	return f
}

// recipients lists who has a notice of kind about object, by id, with
// whether an email was queued for each.
func (f notifFixture) recipients(t *testing.T, kind portal.NotificationKind, object int64) (ids []int64, mailed []int64) {
	t.Helper()
	ids = f.ids(t, `SELECT recipient_id FROM notifications WHERE kind = $1 AND object_id = $2 ORDER BY recipient_id`, string(kind), object)
	mailed = f.ids(t, `SELECT n.recipient_id FROM notifications n JOIN email_deliveries d ON d.notification_id = n.id
		WHERE n.kind = $1 AND n.object_id = $2 ORDER BY n.recipient_id`, string(kind), object)
	return ids, mailed
}

// submit fills and submits f.ngo's report r.
func (f notifFixture) submit(t *testing.T, r portal.Report) portal.Report {
	t.Helper()
	in := f.content(r, 2026)
	in.Declaration = true
	out, err := f.db.SubmitReport(t.Context(), f.staff, f.ngo, in, r.Version, time.Now())
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	return out
}

func TestReportNotifications(t *testing.T) {
	f := newNotifFixture(t)
	ctx := t.Context()
	r, err := f.db.StartReport(ctx, f.staff, f.cycle, f.ngo)
	if err != nil {
		t.Fatal(err)
	}
	f.addCover(t, r.ID)
	// One admin wants no email about first submissions: notice, no mail.
	optedOut := f.admins[len(f.admins)-1]
	f.exec(t, `INSERT INTO notification_email_optouts (user_id, kind) VALUES ($1, 'report_submitted')`, optedOut)
	withoutOptedOut := slices.DeleteFunc(slices.Clone(f.admins), func(id int64) bool { return id == optedOut })

	check := func(t *testing.T, kind portal.NotificationKind, want, wantMailed []int64) {
		t.Helper()
		got, mailed := f.recipients(t, kind, r.ID)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s went to %v, want %v", kind, got, want)
		}
		if !reflect.DeepEqual(mailed, wantMailed) {
			t.Errorf("%s mailed to %v, want %v", kind, mailed, wantMailed)
		}
	}

	t.Run("SubmittedToEveryActiveAdmin", func(t *testing.T) {
		r = f.submit(t, r)
		check(t, portal.NotifyReportSubmitted, f.admins, withoutOptedOut)
		var link string
		var params map[string]any
		if err := f.db.Pool().QueryRow(ctx, `SELECT link, params FROM notifications WHERE kind = 'report_submitted' LIMIT 1`).Scan(&link, &params); err != nil {
			t.Fatal(err)
		}
		if link != "/admin/reports/"+strconv.FormatInt(r.ID, 10) || params["year"] != float64(2026) || params["ngo_zh"] == "" || params["ngo_en"] == "" {
			t.Errorf("link %q, params %v", link, params)
		}
	})

	t.Run("ReturnedToTheNGOsActiveStaff", func(t *testing.T) {
		if err := f.db.ReturnReport(ctx, f.admin, r.ID, r.Version, "请补充活动成效。", nil); err != nil {
			t.Fatal(err)
		}
		check(t, portal.NotifyReportReturned, f.ngoStaff, f.ngoStaff)
		if n := f.id(t, `SELECT count(*) FROM notifications WHERE recipient_id = $1`, f.otherStaff); n != 0 {
			t.Errorf("staff of another NGO got %d notices", n)
		}
	})

	t.Run("ResubmittedAndReturnedAgainAreNewNotices", func(t *testing.T) {
		cur, err := f.db.ReportFor(ctx, f.cycle, f.ngo)
		if err != nil {
			t.Fatal(err)
		}
		r = f.submit(t, cur)
		check(t, portal.NotifyReportResubmitted, f.admins, f.admins)
		if err := f.db.ReturnReport(ctx, f.admin, r.ID, r.Version, "还需补充。", nil); err != nil {
			t.Fatal(err)
		}
		got, _ := f.recipients(t, portal.NotifyReportReturned, r.ID)
		if len(got) != 2*len(f.ngoStaff) {
			t.Errorf("after two returns %d notices, want %d (one per return and person)", len(got), 2*len(f.ngoStaff))
		}
		if cur, err = f.db.ReportFor(ctx, f.cycle, f.ngo); err != nil {
			t.Fatal(err)
		}
		r = f.submit(t, cur)
		if got, _ := f.recipients(t, portal.NotifyReportResubmitted, r.ID); len(got) != 2*len(f.admins) {
			t.Errorf("after two resubmissions %d notices, want %d", len(got), 2*len(f.admins))
		}
	})

	t.Run("AcceptedToTheNGOsActiveStaff", func(t *testing.T) {
		if err := f.db.AcceptReport(ctx, f.admin, r.ID, r.Version); err != nil {
			t.Fatal(err)
		}
		check(t, portal.NotifyReportAccepted, f.ngoStaff, f.ngoStaff)
	})

	t.Run("SameNoticeNeverTwice", func(t *testing.T) {
		before := f.id(t, `SELECT count(*) FROM notifications`)
		beforeMail := f.id(t, `SELECT count(*) FROM email_deliveries`)
		for range 2 {
			if err := f.db.Load(ctx, func(tx postgres.Tx) error {
				return tx.NotifyReport(ctx, r, portal.NotifyReportAccepted, "")
			}); err != nil {
				t.Fatal(err)
			}
		}
		if after := f.id(t, `SELECT count(*) FROM notifications`); after != before {
			t.Errorf("a repeated notice made %d rows", after-before)
		}
		if after := f.id(t, `SELECT count(*) FROM email_deliveries`); after != beforeMail {
			t.Errorf("a repeated notice queued %d emails", after-beforeMail)
		}
	})
}

// A change that fails leaves no notice and no email: both are written by
// the change's own transaction.
func TestNotificationRollsBackWithTheChange(t *testing.T) {
	f := newNotifFixture(t)
	ctx := t.Context()
	r, err := f.db.StartReport(ctx, f.staff, f.cycle, f.ngo)
	if err != nil {
		t.Fatal(err)
	}
	f.addCover(t, r.ID)
	r = f.submit(t, r)
	// The audit row is the last write of AcceptReport, after the notice.
	f.exec(t, `CREATE FUNCTION refuse_accept() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF NEW.action = 'report.accepted' THEN RAISE EXCEPTION 'refused by the test'; END IF;
			RETURN NEW;
		END $$`)
	f.exec(t, `CREATE TRIGGER refuse_accept BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_accept()`)
	if err := f.db.AcceptReport(ctx, f.admin, r.ID, r.Version); err == nil {
		t.Fatal("accept succeeded despite the failing audit write")
	}
	if got, mailed := f.recipients(t, portal.NotifyReportAccepted, r.ID); len(got) != 0 || len(mailed) != 0 {
		t.Errorf("a failed accept left notices %v and emails %v", got, mailed)
	}
	f.exec(t, `DROP TRIGGER refuse_accept ON audit_log`)
	if err := f.db.AcceptReport(ctx, f.admin, r.ID, r.Version); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.recipients(t, portal.NotifyReportAccepted, r.ID); !reflect.DeepEqual(got, f.ngoStaff) {
		t.Errorf("accept notified %v, want %v", got, f.ngoStaff)
	}
}

func TestNotificationReadAndPrefs(t *testing.T) {
	f := newNotifFixture(t)
	ctx := t.Context()
	r, err := f.db.StartReport(ctx, f.staff, f.cycle, f.ngo)
	if err != nil {
		t.Fatal(err)
	}
	f.addCover(t, r.ID)
	r = f.submit(t, r)
	if err := f.db.ReturnReport(ctx, f.admin, r.ID, r.Version, "请补充。", nil); err != nil {
		t.Fatal(err)
	}
	me, other := f.ngoStaff[0], f.ngoStaff[1]
	list, total, err := f.db.Notifications(ctx, me, 10, 0)
	if err != nil || total != 1 || len(list) != 1 || list[0].Kind != portal.NotifyReportReturned || !list[0].Unread() ||
		list[0].Params.Year != 2026 || list[0].Link != "/ngo/reports/"+strconv.FormatInt(r.ID, 10) {
		t.Fatalf("list %+v, total %d, %v", list, total, err)
	}
	id := list[0].ID

	t.Run("ErrNotFoundForAnotherUser", func(t *testing.T) {
		if _, err := f.db.MarkNotificationRead(ctx, other, id); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("another user's read: %v, want ErrNotFound", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		link, err := f.db.MarkNotificationRead(ctx, me, id)
		if err != nil || link != "/ngo/reports/"+strconv.FormatInt(r.ID, 10) {
			t.Fatalf("read: %q, %v", link, err)
		}
		list, _, _ := f.db.Notifications(ctx, me, 10, 0)
		if list[0].Unread() {
			t.Error("still unread")
		}
		if n, err := f.db.MarkAllNotificationsRead(ctx, other); err != nil || n != 1 {
			t.Errorf("read all: %d, %v; want 1", n, err)
		}
	})
	t.Run("PrefsAudited", func(t *testing.T) {
		a := portal.Actor{UserID: me, Email: "me"}
		p := portal.NotificationPrefs{Locale: "en", EmailOff: map[portal.NotificationKind]bool{portal.NotifyReportReturned: true}}
		if err := f.db.SaveNotificationPrefs(ctx, a, me, portal.RoleStaff, p); err != nil {
			t.Fatal(err)
		}
		got, err := f.db.NotificationPrefs(ctx, me)
		if err != nil || got.Locale != "en" || !got.EmailOff[portal.NotifyReportReturned] || got.EmailOff[portal.NotifyReportAccepted] {
			t.Errorf("prefs %+v, %v", got, err)
		}
		audits := f.audits(t, `action = $1 AND object_id = $2`, portal.AuditNotificationPrefs, me)
		if len(audits) != 1 || audits[0].Changes["language"].After != "en" || audits[0].Changes["email.report_returned"].After != false {
			t.Errorf("audit %+v", audits)
		}
		// Saving the same again writes nothing.
		if err := f.db.SaveNotificationPrefs(ctx, a, me, portal.RoleStaff, p); err != nil {
			t.Fatal(err)
		}
		if n := len(f.audits(t, `action = $1 AND object_id = $2`, portal.AuditNotificationPrefs, me)); n != 1 {
			t.Errorf("%d audit rows after an unchanged save, want 1", n)
		}
	})
}
