package notify_test

import (
	"strings"
	"testing"
	"time"

	"ngoportal/internal/portal"
)

// What the federation does that concerns an NGO (an invitation, the
// chair's requests, a reminder, an admin's message) reaches exactly that
// NGO's active staff, each in their own language, by a real SMTP server;
// the message's text travels with it, sanitised in the HTML part.
func TestEventKindsReachTheNGOsStaffInTheirLanguage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	box := &mailbox{}
	addr, _ := smtpServer(t, box, "127.0.0.1:0")
	admin := portal.Actor{UserID: f.user(t, "admin@example.org", portal.RoleAdmin, "en"), Email: "admin@example.org"}
	f.user(t, "staff-zh@example.org", portal.RoleStaff, "zh-CN")
	f.user(t, "staff-en@example.org", portal.RoleStaff, "en")
	other := f.scalar(t, `INSERT INTO ngos (slug, name_zh, name_en) VALUES ('women-artists', '上海市女艺术家联谊会', 'Shanghai Women Artists Association') RETURNING id`)
	f.scalar(t, `INSERT INTO users (email, name, role, ngo_id, status, password_hash, locale)
		VALUES ('other@example.org', '李娜', 'staff', $1, 'active', 'x', 'zh-CN') RETURNING id`, other)
	f.scalar(t, `INSERT INTO users (email, name, role, ngo_id, status, password_hash, locale)
		VALUES ('gone@example.org', '赵敏', 'staff', $1, 'disabled', 'x', 'zh-CN') RETURNING id`, f.ngo)

	// Invited to a scheduled session.
	scheduled := f.scalar(t, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, reply_deadline)
		VALUES ('event-2041', '2041年度会议', '2041 leadership session', 'municipal', '2041-01-19', 'scheduled', '2041-01-10 18:00:00+08') RETURNING id`)
	if _, err := f.db.InviteNGOs(ctx, admin, scheduled, false, []int64{f.ngo}); err != nil {
		t.Fatal(err)
	}
	// Asked to answer a held session's requests, then reminded.
	held := f.scalar(t, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status)
		VALUES ('event-2040', '2040年度会议', '2040 leadership session', 'municipal', '2040-01-19', 'held') RETURNING id`)
	f.scalar(t, `INSERT INTO invitations (session_id, ngo_id) VALUES ($1, $2) RETURNING id`, held, f.ngo)
	f.scalar(t, `INSERT INTO session_requests (session_id, number, text_zh) VALUES ($1, 1, '讲好上海女性故事') RETURNING id`, held)
	if err := f.db.SetResponsesDue(ctx, admin, held, time.Date(2040, 3, 31, 0, 0, 0, 0, time.UTC), nil); err != nil {
		t.Fatal(err)
	}
	if err := f.db.RemindNGO(ctx, admin, held, f.ngo); err != nil {
		t.Fatal(err)
	}
	// An admin's message, with Markdown and something that must not run.
	if _, err := f.db.SendAdminMessage(ctx, admin, portal.MessageDraft{
		Subject:  "请于月底前更新联系人",
		Body:     "各组织：\n\n请**尽快**更新联系人。<script>alert(1)</script>",
		Audience: portal.Audience{Kind: portal.AudienceChosen, NGOIDs: []int64{f.ngo}},
	}, "0123456789abcdef0123456789abcdef"); err != nil {
		t.Fatal(err)
	}

	drain(t, f, f.worker(f.db, addr))

	byTo := map[string][]received{}
	for _, m := range box.all() {
		byTo[m.To] = append(byTo[m.To], m)
	}
	for _, nobody := range []string{"admin@example.org", "other@example.org", "gone@example.org"} {
		if n := len(byTo[nobody]); n != 0 {
			t.Errorf("%s received %d messages, want none", nobody, n)
		}
	}
	want := map[string]struct {
		lang     string
		subjects []string
	}{
		"staff-zh@example.org": {"zh-CN", []string{
			"上海市女律师联谊会受邀参加2041年度会议（2041年1月19日举行），请于2041年1月10日前答复是否出席。",
			"主席在2040年度会议上提出的要求需要上海市女律师联谊会答复，请于2040年3月31日前答复。",
			"提醒：上海市女律师联谊会尚未答复主席在2040年度会议上提出的全部要求，请于2040年3月31日前答复。",
			"妇联发来消息：请于月底前更新联系人",
		}},
		"staff-en@example.org": {"en", []string{
			"Shanghai Women Lawyers Association is invited to 2041 leadership session, held on 19 January 2041; please reply by 10 January 2041.",
			"Shanghai Women Lawyers Association is asked to answer the chair's requests made at 2040 leadership session by 31 March 2040.",
			"Reminder: Shanghai Women Lawyers Association has not yet answered all the chair's requests made at 2040 leadership session; please answer by 31 March 2040.",
			"A message from the federation: 请于月底前更新联系人",
		}},
	}
	for to, w := range want {
		t.Run(to, func(t *testing.T) {
			got := byTo[to]
			if len(got) != len(w.subjects) {
				t.Fatalf("received %d messages, want %d: %+v", len(got), len(w.subjects), got)
			}
			for _, subject := range w.subjects {
				found := false
				for _, m := range got {
					if strings.Contains(m.Subject, subject) {
						found = true
						if m.Lang != w.lang {
							t.Errorf("%q in %s, want %s", subject, m.Lang, w.lang)
						}
					}
				}
				if !found {
					t.Errorf("no message with subject %q", subject)
				}
			}
			for _, m := range got {
				if !strings.Contains(m.Subject, "更新联系人") {
					continue
				}
				if !strings.Contains(m.Text, "请**尽快**更新联系人") || !strings.Contains(m.HTML, "<strong>尽快</strong>") {
					t.Errorf("the message's text is missing:\ntext: %s\nhtml: %s", m.Text, m.HTML)
				}
				if strings.Contains(m.HTML, "<script") {
					t.Errorf("the HTML part carries a script:\n%s", m.HTML)
				}
				if !strings.Contains(m.Text, "https://portal.example.org/ngo/messages/") {
					t.Errorf("no link to the message's page:\n%s", m.Text)
				}
			}
		})
	}
}
