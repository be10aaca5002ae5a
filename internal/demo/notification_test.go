package demo_test

import (
	"testing"

	"ngoportal/internal/demo"
	"ngoportal/internal/portal"
)

// The demo shows notifications: the admin's of the two 2026 submissions
// (the reviewed one read), and the returned report's notice to its staff,
// who prefer English; each with an email queued, dated as its step.
func TestSeedNotifications(t *testing.T) {
	t.Parallel()
	db, before := seeded(t)
	ctx := t.Context()
	count := func(email string, unread bool) int {
		t.Helper()
		var n int
		if err := db.Pool().QueryRow(ctx, `
			SELECT count(*) FROM notifications n JOIN users u ON u.id = n.recipient_id
			WHERE u.email = $1 AND (NOT $2 OR n.read_at IS NULL)`, email, unread).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if all, unread := count(demo.AdminEmail, false), count(demo.AdminEmail, true); all != 2 || unread != 1 {
		t.Errorf("the admin has %d notices, %d unread; want 2, 1", all, unread)
	}
	if all, unread := count(demo.EnglishStaffEmail, false), count(demo.EnglishStaffEmail, true); all != 1 || unread != 1 {
		t.Errorf("ngo03's staff have %d notices, %d unread; want 1, 1", all, unread)
	}
	var locale string
	if err := db.Pool().QueryRow(ctx, `SELECT locale FROM users WHERE email = $1`, demo.EnglishStaffEmail).Scan(&locale); err != nil || locale != "en" {
		t.Errorf("ngo03's staff prefer %q (%v), want en", locale, err)
	}
	var undated, unmailed int
	if err := db.Pool().QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE n.created_at > '2026-12-01' OR n.read_at < n.created_at),
		       count(*) FILTER (WHERE d.id IS NULL)
		FROM notifications n LEFT JOIN email_deliveries d ON d.notification_id = n.id`).Scan(&undated, &unmailed); err != nil {
		t.Fatal(err)
	}
	if undated != 0 || unmailed != 0 {
		t.Errorf("%d notices not dated as their step, %d without an email", undated, unmailed)
	}
	var kind string
	if err := db.Pool().QueryRow(ctx, `
		SELECT n.kind FROM notifications n JOIN users u ON u.id = n.recipient_id WHERE u.email = $1`, demo.EnglishStaffEmail).Scan(&kind); err != nil ||
		kind != string(portal.NotifyReportReturned) {
		t.Errorf("ngo03's notice is %q (%v), want the return", kind, err)
	}
	wantReseedSame(t, db, before)
}
