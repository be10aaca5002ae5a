package notify_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"ngoportal/internal/i18n"
	"ngoportal/internal/notify"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// at is a moment of federation time, "2006-01-02 15:04".
func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, portal.FederationZone)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// remind is a schedule's fixture: a reporting cycle for 2026 (opened
// 2 November 2026, due 8 January 2027) and a session whose replies close
// 12 January 2027 at 18:00, with NGOs in every state that matters:
//
//   - lawyers (the fixture's NGO): no report, not replied; two active staff
//     (Chinese and English) and a disabled one;
//   - physicians: report submitted, invitation confirmed; one staff;
//   - teachers: report returned, invitation withdrawn; one staff;
//   - drafters: a draft report, not replied; one staff;
//   - closed: an inactive NGO, no report, not replied; one staff.
type remind struct {
	*fixture
	cycle, session                   int64
	lawyers, physicians, teachers    int64
	drafters, closed                 int64
	invLawyers, invDrafters, invGone int64
}

func newRemind(t *testing.T) *remind {
	t.Helper()
	r := &remind{fixture: newFixture(t)}
	r.lawyers = r.ngo
	ngo := func(slug, zh, en string, active bool) int64 {
		return r.scalar(t, `INSERT INTO ngos (slug, name_zh, name_en, active) VALUES ($1, $2, $3, $4) RETURNING id`, slug, zh, en, active)
	}
	r.physicians = ngo("physicians", "上海市女医师协会", "Shanghai Women Physicians Association", true)
	r.teachers = ngo("teachers", "上海市女教师联谊会", "Shanghai Women Teachers Association", true)
	r.drafters = ngo("drafters", "上海市女设计师协会", "Shanghai Women Designers Association", true)
	r.closed = ngo("closed", "上海市已停用协会", "Closed Association", false)

	r.account(t, "lawyer-zh@example.org", portal.RoleStaff, r.lawyers, "zh-CN", "active")
	r.account(t, "lawyer-en@example.org", portal.RoleStaff, r.lawyers, "en", "active")
	r.account(t, "lawyer-gone@example.org", portal.RoleStaff, r.lawyers, "zh-CN", "disabled")
	r.account(t, "physician@example.org", portal.RoleStaff, r.physicians, "zh-CN", "active")
	r.account(t, "teacher@example.org", portal.RoleStaff, r.teachers, "en", "active")
	r.account(t, "drafter@example.org", portal.RoleStaff, r.drafters, "zh-CN", "active")
	r.account(t, "closed@example.org", portal.RoleStaff, r.closed, "zh-CN", "active")
	r.account(t, "admin@example.org", portal.RoleAdmin, 0, "zh-CN", "active")

	r.cycle = r.scalar(t, `INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status)
		VALUES (2026, 2027, '2026-11-02', '2027-01-08', 'open') RETURNING id`)
	r.scalar(t, `INSERT INTO reports (cycle_id, ngo_id, status, submitted_at) VALUES ($1, $2, 'submitted', '2026-12-01 10:00+08') RETURNING id`, r.cycle, r.physicians)
	r.scalar(t, `INSERT INTO reports (cycle_id, ngo_id, status, submitted_at) VALUES ($1, $2, 'returned', '2026-12-01 10:00+08') RETURNING id`, r.cycle, r.teachers)
	r.scalar(t, `INSERT INTO reports (cycle_id, ngo_id, status) VALUES ($1, $2, 'draft') RETURNING id`, r.cycle, r.drafters)

	r.session = r.scalar(t, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, reply_deadline, cycle_id)
		VALUES ('s2027', '2027年负责人年度会议', '2027 Leadership Session', 'municipal', '2027-01-19', 'scheduled', '2027-01-12 18:00+08', $1)
		RETURNING id`, r.cycle)
	inv := func(ngo int64) int64 {
		return r.scalar(t, `INSERT INTO invitations (session_id, ngo_id) VALUES ($1, $2) RETURNING id`, r.session, ngo)
	}
	r.invLawyers = inv(r.lawyers)
	r.invDrafters = inv(r.drafters)
	r.invGone = inv(r.teachers)
	inv(r.closed)
	confirmed := inv(r.physicians)
	r.exec(t, `UPDATE invitations SET reply = 'confirmed', replied_at = '2026-12-01 09:00+08' WHERE id = $1`, confirmed)
	r.exec(t, `UPDATE invitations SET withdrawn_at = '2026-12-01 09:00+08' WHERE id = $1`, r.invGone)
	return r
}

func (r *remind) account(t *testing.T, email string, role portal.Role, ngo int64, locale, status string) int64 {
	t.Helper()
	var n any
	if ngo != 0 {
		n = ngo
	}
	id := r.scalar(t, `INSERT INTO users (email, name, name_en, role, ngo_id, status, password_hash, locale)
		VALUES ($1, '王芳', 'Wang Fang', $2, $3, $4, 'x', $5) RETURNING id`, email, string(role), n, status, locale)
	r.users[email] = id
	return id
}

func (r *remind) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if _, err := r.db.Pool().Exec(t.Context(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// scheduler is a schedule of r's database (or db) named holder, with the
// default rules.
func (r *remind) scheduler(db *postgres.DB, holder string) *notify.Scheduler {
	return &notify.Scheduler{DB: db, Rules: portal.DefaultReminderRules(), Log: r.log, Holder: holder,
		Options: notify.ScheduleOptions{Interval: 5 * time.Minute, Lease: 10 * time.Minute}}
}

// run runs the schedule as of now with a scheduler of its own (as a fresh
// instance would) and fails unless it ran.
func (r *remind) run(t *testing.T, now time.Time) portal.ReminderRun {
	t.Helper()
	ran, run, err := r.scheduler(r.db, "test-"+now.Format(time.RFC3339)).RunOnce(t.Context(), now)
	if err != nil || !ran {
		t.Fatalf("schedule at %s: ran %v, %v", now, ran, err)
	}
	return run
}

// notices lists the notices of kind as "email occasion", sorted.
func (r *remind) notices(t *testing.T, kind portal.NotificationKind) []string {
	t.Helper()
	rows, err := r.db.Pool().Query(t.Context(), `
		SELECT u.email || ' ' || n.occasion FROM notifications n JOIN users u ON u.id = n.recipient_id
		WHERE n.kind = $1 ORDER BY 1`, string(kind))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// wantNotices compares notices as sets.
func wantNotices(t *testing.T, got []string, want ...string) {
	t.Helper()
	got, want = slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		t.Errorf("notices\n got %q\nwant %q", got, want)
	}
}

// The report's reminders reach the active staff of active NGOs that have
// not submitted, at the nearest threshold, once; never those who acted.
func TestScheduleReportReminders(t *testing.T) {
	t.Parallel()
	r := newRemind(t)

	// 19 days left: the cycle is announced to those who have not started
	// (not the disabled account, not the inactive NGO); no reminder yet.
	r.run(t, at(t, "2026-12-20 10:00"))
	wantNotices(t, r.notices(t, portal.NotifyCycleOpened), "lawyer-en@example.org ", "lawyer-zh@example.org ")
	wantNotices(t, r.notices(t, portal.NotifyReportDue))

	// 14 days left: the first reminder, to every NGO that has not
	// submitted (a returned report has to be resubmitted; a draft is not
	// submitted), not to the NGO whose report waits for review.
	run := r.run(t, at(t, "2026-12-25 09:00"))
	d14 := []string{
		"drafter@example.org d14:2027-01-08", "lawyer-en@example.org d14:2027-01-08",
		"lawyer-zh@example.org d14:2027-01-08", "teacher@example.org d14:2027-01-08",
	}
	wantNotices(t, r.notices(t, portal.NotifyReportDue), d14...)
	if run[portal.NotifyReportDue] != 4 || run[portal.NotifyCycleOpened] != 0 {
		t.Errorf("run wrote %v, want 4 reminders and no second announcement", run)
	}

	// Later that day, and the next: nothing new.
	for _, now := range []string{"2026-12-25 17:00", "2026-12-26 09:00"} {
		if run := r.run(t, at(t, now)); run.Total() != 0 {
			t.Errorf("at %s the schedule wrote %v, want nothing", now, run)
		}
	}

	// The lawyers submit; the drafters are given until 20 January. Three
	// days before the cycle's deadline only the returned report's staff
	// get the 7-day reminder (the nearest threshold, 14 having been sent);
	// the drafters are at 15 days from their own deadline: nothing.
	r.exec(t, `INSERT INTO reports (cycle_id, ngo_id, status, submitted_at) VALUES ($1, $2, 'submitted', '2027-01-04 10:00+08')`, r.cycle, r.lawyers)
	r.exec(t, `INSERT INTO cycle_extensions (cycle_id, ngo_id, deadline, reason) VALUES ($1, $2, '2027-01-20', '理事会换届')`, r.cycle, r.drafters)
	r.run(t, at(t, "2027-01-05 09:00"))
	wantNotices(t, r.notices(t, portal.NotifyReportDue), append(slices.Clone(d14), "teacher@example.org d7:2027-01-08")...)

	// After the cycle's deadline: no overdue notice to the returned report's
	// staff (it was submitted in time, and its return was notified), none to
	// the extended NGO; that one's reminders count to its own deadline.
	r.run(t, at(t, "2027-01-10 09:00"))
	wantNotices(t, r.notices(t, portal.NotifyReportOverdue))
	wantNotices(t, r.notices(t, portal.NotifyReportDue),
		append(slices.Clone(d14), "teacher@example.org d7:2027-01-08", "drafter@example.org d14:2027-01-20")...)
}

// After downtime across several thresholds only the nearest is sent, and
// the overdue notice once per deadline; staff who acted get neither.
func TestScheduleCatchesUpWithTheNearestThreshold(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, now string
		due       []string
		overdue   []string
	}{
		{"ThreeDaysLeftSendsSeven", "2027-01-05 08:00",
			[]string{"drafter@example.org d7:2027-01-08", "lawyer-en@example.org d7:2027-01-08", "lawyer-zh@example.org d7:2027-01-08", "teacher@example.org d7:2027-01-08"}, nil},
		{"DeadlineDaySendsOne", "2027-01-08 23:00",
			[]string{"drafter@example.org d1:2027-01-08", "lawyer-en@example.org d1:2027-01-08", "lawyer-zh@example.org d1:2027-01-08", "teacher@example.org d1:2027-01-08"}, nil},
		{"PassedSendsOverdueToThoseWhoNeverSubmitted", "2027-01-09 00:30", nil,
			[]string{"drafter@example.org 2027-01-08", "lawyer-en@example.org 2027-01-08", "lawyer-zh@example.org 2027-01-08"}},
		{"LongPastSendsNothing", "2027-03-01 09:00", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newRemind(t)
			now := at(t, tc.now)
			r.run(t, now)
			wantNotices(t, r.notices(t, portal.NotifyReportDue), tc.due...)
			wantNotices(t, r.notices(t, portal.NotifyReportOverdue), tc.overdue...)
			// Run again, later the same hour: nothing more.
			if run := r.run(t, now.Add(10*time.Minute)); run.Total() != 0 {
				t.Errorf("the second run wrote %v", run)
			}
		})
	}
}

// The reply reminders reach the staff of invited NGOs that have not
// replied: not a confirmed, withdrawn or inactive NGO's.
func TestScheduleReplyReminders(t *testing.T) {
	t.Parallel()
	r := newRemind(t)
	r.run(t, at(t, "2027-01-08 10:00")) // 4 days before: nothing
	wantNotices(t, r.notices(t, portal.NotifyReplyDue))

	r.run(t, at(t, "2027-01-09 10:00"))
	d3 := []string{"drafter@example.org d3:2027-01-12", "lawyer-en@example.org d3:2027-01-12", "lawyer-zh@example.org d3:2027-01-12"}
	wantNotices(t, r.notices(t, portal.NotifyReplyDue), d3...)

	// The drafters reply; the next reminder goes to the lawyers only.
	r.exec(t, `UPDATE invitations SET reply = 'declined', decline_reason = '另有安排', replied_at = '2027-01-10 09:00+08' WHERE id = $1`, r.invDrafters)
	r.run(t, at(t, "2027-01-11 10:00"))
	wantNotices(t, r.notices(t, portal.NotifyReplyDue), append(d3, "lawyer-en@example.org d1:2027-01-12", "lawyer-zh@example.org d1:2027-01-12")...)

	// Past the deadline, nothing more.
	if run := r.run(t, at(t, "2027-01-12 18:30")); run[portal.NotifyReplyDue] != 0 {
		t.Errorf("after the deadline: %v", run)
	}

	// A notice links to the invitation's reply page.
	var link string
	if err := r.db.Pool().QueryRow(t.Context(), `SELECT DISTINCT link FROM notifications WHERE kind = 'reply_due'`).Scan(&link); err != nil {
		t.Fatal(err)
	}
	if link != fmt.Sprintf("/ngo/sessions/%d", r.session) {
		t.Errorf("link %q", link)
	}
}

// Each reminder's email reaches its recipient in their language, with
// the deadline as they read dates and a link to where it is done.
func TestScheduleRemindersInTheRecipientsLanguage(t *testing.T) {
	t.Parallel()
	r := newRemind(t)
	box := &mailbox{}
	addr, _ := smtpServer(t, box, "127.0.0.1:0")
	r.run(t, at(t, "2027-01-01 09:00")) // 7 days before the report, 11 before replies
	r.run(t, at(t, "2027-01-11 09:00")) // 1 day before replies
	drain(t, r.fixture, r.worker(r.db, addr))

	byTo := map[string][]string{}
	for _, m := range box.all() {
		byTo[m.To] = append(byTo[m.To], m.Subject+"\n"+m.Text)
	}
	for _, tc := range []struct {
		to   string
		want []string
	}{
		{"lawyer-zh@example.org", []string{
			"上海市女律师联谊会的2026年度工作报告将于7天后（2027年1月8日）截止，目前尚未提交",
			"2026年度工作报告已开始填报，请完成上海市女律师联谊会的工作报告，并于2027年1月8日前提交。",
			"上海市女律师联谊会尚未回复2027年负责人年度会议的邀请，回复将于明天（2027年1月12日 18:00）截止。",
			"https://portal.example.org/ngo/reports", fmt.Sprintf("https://portal.example.org/ngo/sessions/%d", r.session),
		}},
		{"lawyer-en@example.org", []string{
			"The work report of Shanghai Women Lawyers Association for 2026 is due in 7 days (8 January 2027) and has not been submitted yet.",
			"The reporting cycle for 2026 is open: please write the work report of Shanghai Women Lawyers Association and submit it by 8 January 2027.",
			"Shanghai Women Lawyers Association has not replied to its invitation to 2027 Leadership Session; replies close tomorrow (12 January 2027 18:00).",
		}},
		{"teacher@example.org", []string{"The work report of Shanghai Women Teachers Association for 2026 is due in 7 days (8 January 2027)"}},
	} {
		t.Run(tc.to, func(t *testing.T) {
			all := strings.Join(byTo[tc.to], "\n---\n")
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("mail to %s lacks %q:\n%s", tc.to, w, all)
				}
			}
		})
	}
	for _, nobody := range []string{"physician@example.org", "closed@example.org", "lawyer-gone@example.org", "admin@example.org"} {
		if len(byTo[nobody]) > 0 {
			t.Errorf("%s was sent %q", nobody, byTo[nobody])
		}
	}
	// The teachers' report exists: its reminder links to its form.
	var link string
	if err := r.db.Pool().QueryRow(t.Context(), `SELECT link FROM notifications n WHERE n.kind = 'report_due' AND n.recipient_id = $1`,
		r.users["teacher@example.org"]).Scan(&link); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("/ngo/reports/%d", r.scalar(t, `SELECT id FROM reports WHERE ngo_id = $1`, r.teachers)); link != want {
		t.Errorf("link %q, want %q", link, want)
	}
}

// Schedules racing, on two pools as two instances would, write each
// reminder once; with the lease, only one of them runs.
func TestScheduleRacesWriteOnce(t *testing.T) {
	t.Parallel()
	r := newRemind(t)
	pool, err := pgxpool.New(t.Context(), r.db.Pool().Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	other := postgres.New(pool)
	now := at(t, "2027-01-07 09:00")

	t.Run("WithoutTheLease", func(t *testing.T) {
		// Even runs that bypass the lease (a lease expired mid-run) write
		// nothing twice.
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for i := range 8 {
			db := []*postgres.DB{r.db, other}[i%2]
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := db.RunReminders(context.Background(), now, portal.DefaultReminderRules())
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if n := r.scalar(t, `SELECT count(*) FROM notifications WHERE kind = 'report_due'`); n != 4 {
			t.Errorf("%d report reminders, want 4 (one per recipient)", n)
		}
		if n := r.scalar(t, `SELECT count(*) FROM notifications n LEFT JOIN email_deliveries d ON d.notification_id = n.id WHERE d.id IS NULL`); n != 0 {
			t.Errorf("%d notices without their email", n)
		}
	})

	t.Run("WithTheLeaseOneRuns", func(t *testing.T) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		ran := 0
		for i := range 6 {
			s := r.scheduler([]*postgres.DB{r.db, other}[i%2], fmt.Sprintf("instance-%d", i))
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, _, err := s.RunOnce(context.Background(), now.Add(time.Hour))
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					ran++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if ran != 1 {
			t.Errorf("%d schedulers ran, want 1", ran)
		}
	})
}

// The lease keeps the other instances off while a run lasts and until the
// next is due; a run that dies keeps them off only until its lease ends.
func TestScheduleLease(t *testing.T) {
	t.Parallel()
	r := newRemind(t)
	a, b := r.scheduler(r.db, "a"), r.scheduler(r.db, "b")
	t0 := at(t, "2026-12-20 10:00")
	for _, step := range []struct {
		name string
		s    *notify.Scheduler
		now  time.Time
		ran  bool
	}{
		{"FirstRuns", a, t0, true},
		{"OtherWaitsForTheInterval", b, t0.Add(time.Minute), false},
		{"SameWaitsToo", a, t0.Add(4 * time.Minute), false},
		{"OtherRunsWhenDue", b, t0.Add(5 * time.Minute), true},
	} {
		ok, _, err := step.s.RunOnce(t.Context(), step.now)
		if err != nil || ok != step.ran {
			t.Errorf("%s: ran %v (%v), want %v", step.name, ok, err, step.ran)
		}
	}
	var last time.Time
	if err := r.db.Pool().QueryRow(t.Context(), `SELECT last_run_at FROM schedule_leases WHERE schedule = 'reminders'`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	if !last.Equal(t0.Add(5 * time.Minute)) {
		t.Errorf("last run at %s", last)
	}

	// An instance that took the lease and died: the others wait for the
	// lease (10 minutes) to end, then run.
	t1 := t0.Add(time.Hour)
	if ok, err := r.db.TakeScheduleLease(t.Context(), notify.ScheduleName, "dead", t1, t1.Add(10*time.Minute)); err != nil || !ok {
		t.Fatalf("take: %v %v", ok, err)
	}
	if ok, _, _ := a.RunOnce(t.Context(), t1.Add(9*time.Minute)); ok {
		t.Error("ran while a dead instance's lease lasts")
	}
	if ok, _, err := a.RunOnce(t.Context(), t1.Add(10*time.Minute)); !ok || err != nil {
		t.Errorf("did not run once the lease ended: %v", err)
	}
}

// The daily digest goes to the admins who opted in, in their language,
// once a day, and not on a day when nothing changed.
func TestScheduleDailyDigest(t *testing.T) {
	t.Parallel()
	r := newRemind(t)
	box := &mailbox{}
	addr, _ := smtpServer(t, box, "127.0.0.1:0")
	r.account(t, "digest-zh@example.org", portal.RoleAdmin, 0, "zh-CN", "active")
	r.account(t, "digest-en@example.org", portal.RoleAdmin, 0, "en", "active")
	r.account(t, "digest-gone@example.org", portal.RoleAdmin, 0, "en", "disabled")
	r.exec(t, `UPDATE users SET daily_digest = true WHERE email IN ('digest-zh@example.org', 'digest-en@example.org', 'digest-gone@example.org')`)
	// On 2 January 2027: the drafters submit and the lawyers decline;
	// the physicians' report was accepted on the 1st.
	drafts := r.scalar(t, `SELECT id FROM reports WHERE ngo_id = $1`, r.drafters)
	phys := r.scalar(t, `SELECT id FROM reports WHERE ngo_id = $1`, r.physicians)
	r.exec(t, `INSERT INTO report_events (report_id, at, action, snapshot) VALUES ($1, '2027-01-02 10:00+08', 'submitted', '{}')`, drafts)
	r.exec(t, `INSERT INTO report_events (report_id, at, action) VALUES ($1, '2027-01-01 23:59+08', 'accepted')`, phys)
	r.exec(t, `UPDATE invitations SET reply = 'declined', decline_reason = '另有安排', replied_at = '2027-01-02 00:00+08' WHERE id = $1`, r.invLawyers)

	digests := func() []string { return r.notices(t, portal.NotifyDailyDigest) }
	r.run(t, at(t, "2027-01-03 06:30")) // before the digest's hour
	wantNotices(t, digests())
	r.run(t, at(t, "2027-01-03 07:10"))
	r.run(t, at(t, "2027-01-03 16:00"))
	wantNotices(t, digests(), "digest-en@example.org 2027-01-02", "digest-zh@example.org 2027-01-02")
	// Nothing changed on the 3rd: no digest on the 4th.
	r.run(t, at(t, "2027-01-04 08:00"))
	wantNotices(t, digests(), "digest-en@example.org 2027-01-02", "digest-zh@example.org 2027-01-02")

	drain(t, r.fixture, r.worker(r.db, addr))
	want := map[string]string{
		"digest-zh@example.org": "2027年1月2日变化摘要：提交工作报告1份；谢绝会议邀请1家。",
		"digest-en@example.org": "Daily digest for 2 January 2027 — work reports submitted: 1; invitations declined: 1.",
	}
	got := map[string]string{}
	for _, m := range box.all() {
		if strings.Contains(m.Text, "/admin/audit?from=2027-01-02&to=2027-01-02") {
			got[m.To] = m.Subject
		}
	}
	for to, w := range want {
		if !strings.Contains(got[to], w) {
			t.Errorf("digest to %s: %q, want %q", to, got[to], w)
		}
	}
	if len(got) != 2 {
		t.Errorf("digests mailed to %v, want the two who opted in", got)
	}
}

// Every kind the portal knows has its row in the database, for the same
// role, and its texts in both languages.
func TestNotificationKindsAreComplete(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, k := range portal.NotificationKinds {
		var audience string
		if err := f.db.Pool().QueryRow(t.Context(), `SELECT audience FROM notification_kinds WHERE kind = $1`, string(k.Kind)).Scan(&audience); err != nil {
			t.Errorf("kind %s: %v", k.Kind, err)
			continue
		}
		if audience != string(k.Audience) {
			t.Errorf("kind %s is for %s in the database, %s in the portal", k.Kind, audience, k.Audience)
		}
		for _, l := range i18n.Locales {
			keys := f.cat.Keys(l)
			for _, key := range []string{"notification.kind.", "notification.kindlabel.", "audit.field.email."} {
				if !slices.Contains(keys, key+string(k.Kind)) {
					t.Errorf("%s lacks %s%s", l, key, k.Kind)
				}
			}
		}
	}
	if n := f.scalar(t, `SELECT count(*) FROM notification_kinds`); int(n) != len(portal.NotificationKinds) {
		t.Errorf("%d kinds in the database, %d in the portal", n, len(portal.NotificationKinds))
	}
}
