package server

import (
	"net/http"
	"testing"

	"ngoportal/internal/i18n"
)

// The home pages end their to-do list with the unread notifications,
// linked to the list, and drop the item once they are read.
func TestHomeTodosUnreadNotifications(t *testing.T) {
	t.Parallel()
	f := newTDFixture(t)
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := f.h.db.Pool().Exec(t.Context(), sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`INSERT INTO notifications (recipient_id, kind, object_id, occasion, link)
		SELECT id, 'report_returned', $1::bigint, o, '/ngo/reports/' || $1::bigint FROM users, unnest(ARRAY['v1', 'v2']) o
		WHERE email = 'a@td.example.org'`, f.repA)
	exec(`INSERT INTO notifications (recipient_id, kind, object_id, link)
		SELECT id, 'report_submitted', $1::bigint, '/admin/reports/' || $1::bigint FROM users WHERE role = 'admin'`, f.repA)
	home := func(c *http.Cookie, path string, l i18n.Locale) string {
		t.Helper()
		r := get(path)
		if l == i18n.En {
			r = inEnglish(r)
		}
		res := f.h.as(t, c, r)
		wantStatus(t, res, http.StatusOK)
		return todoSection(t, res.body)
	}
	for _, l := range i18n.Locales {
		wantInOrder(t, home(f.staffA, ngoHomePath, l),
			f.text(l, "todo.invitation", "Title", f.tr(l).Pick("2091年度会议", "2091 session")),
			`href="/ngo/notifications"`, f.text(l, "todo.unread", "Count", 2))
		wantContains(t, home(f.admin, adminHomePath, l), `href="/admin/notifications"`, f.text(l, "todo.unread_one", "Count", 1))
		// Another NGO's staff have none.
		wantAbsent(t, home(f.staffB, ngoHomePath, l), `href="/ngo/notifications"`)
	}
	exec(`UPDATE notifications SET read_at = now()`)
	wantAbsent(t, home(f.staffA, ngoHomePath, i18n.ZhCN), `href="/ngo/notifications"`)
	wantAbsent(t, home(f.admin, adminHomePath, i18n.ZhCN), `href="/admin/notifications"`)
}
