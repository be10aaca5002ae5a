package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// The reminders the schedule writes: computed from the data at each run,
// each kind in one statement whatever the number of NGOs, and written like
// every notice, once per (recipient, kind, object, occasion), so that a run
// repeated, or two racing, write nothing twice.

// TakeScheduleLease takes the lease of schedule name for holder until
// until, when no one holds it at now: one atomic statement, so of several
// instances trying at once one gets it. It reports whether holder got it;
// false when another instance runs the schedule, or ran it so recently
// that its next run is not yet due.
func (db *DB) TakeScheduleLease(ctx context.Context, name, holder string, now, until time.Time) (bool, error) {
	err := db.pool.QueryRow(ctx, `
		INSERT INTO schedule_leases AS l (schedule, holder, leased_until) VALUES ($1, $2, $4)
		ON CONFLICT (schedule) DO UPDATE SET holder = excluded.holder, leased_until = excluded.leased_until
		WHERE l.leased_until <= $3
		RETURNING l.schedule`, name, holder, now, until).Scan(&name)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("lease of schedule %s: %w", name, err)
	}
	return true, nil
}

// FinishScheduleRun records holder's run of schedule name, started at
// ranAt, and keeps the other instances off until next, when the next run
// is due. A holder whose lease has passed to another changes nothing.
func (db *DB) FinishScheduleRun(ctx context.Context, name, holder string, ranAt, next time.Time) error {
	if _, err := db.pool.Exec(ctx, `
		UPDATE schedule_leases SET leased_until = $4, last_run_at = $3
		WHERE schedule = $1 AND holder = $2`, name, holder, ranAt, next); err != nil {
		return fmt.Errorf("finish schedule %s: %w", name, err)
	}
	return nil
}

// ReleaseScheduleLease gives up holder's lease of schedule name as of at
// (after a failed run: the next instance to try runs it again).
func (db *DB) ReleaseScheduleLease(ctx context.Context, name, holder string, at time.Time) error {
	if _, err := db.pool.Exec(ctx, `
		UPDATE schedule_leases SET leased_until = $3 WHERE schedule = $1 AND holder = $2`, name, holder, at); err != nil {
		return fmt.Errorf("release schedule %s: %w", name, err)
	}
	return nil
}

// The effective deadline of NGO g in cycle c (the later of the cycle's and
// its extension's, as portal.EffectiveDeadline), the NGO's report r if it
// has one, and the path where its staff work on it: the report's form, or
// the list of reports where one is started. Needs reporting_cycles c and
// ngos g in scope.
const reportDeadlineJoins = `
	LEFT JOIN cycle_extensions e ON e.cycle_id = c.id AND e.ngo_id = g.id
	LEFT JOIN reports r ON r.cycle_id = c.id AND r.ngo_id = g.id
	CROSS JOIN LATERAL (SELECT greatest(c.deadline, e.deadline) AS deadline,
	                           CASE WHEN r.id IS NULL THEN '/ngo/reports' ELSE '/ngo/reports/' || r.id END AS link) eff
	JOIN users u ON u.role = 'staff' AND u.ngo_id = g.id`

// reportParams are a report reminder's parameters: the NGO, the year under
// review and the deadline ($2 is today).
const reportParams = `jsonb_build_object('ngo_zh', g.name_zh, 'ngo_en', g.name_en, 'year', c.review_year,
	'date', to_char(eff.deadline, 'YYYY-MM-DD'), 'days', eff.deadline - $2::date)`

// RunReminders writes every reminder due at now by rules, and the daily
// digest, and returns how many notices of each kind are new. Each kind is
// one statement of its own (atomic); a kind that fails stops the run, and
// the next run writes what this one did not.
//
// Whom each concerns (NGO staff: the active accounts of an active NGO):
//   - cycle_opened: an open cycle whose opening day has come and whose
//     deadline (for that NGO) has not passed, to the staff of every NGO
//     that has not started its report; once per cycle.
//   - report_due: the staff of every NGO whose report is not submitted (not
//     started, a draft, or returned and not yet resubmitted) in an open
//     cycle, at the nearest threshold of rules.ReportDays not below the
//     days left (after downtime only the nearest, never 14 and 7
//     together); once per threshold and deadline.
//   - report_overdue: the staff of every NGO that never submitted (not
//     started, or a draft) when its deadline has passed, at most
//     rules.OverdueWithin days ago; once per deadline. A returned report
//     was submitted in time: its return was notified, and no overdue
//     notice follows.
//   - reply_due: the staff of every NGO invited to a scheduled session (not
//     withdrawn) that has not replied, before the reply deadline, at the
//     nearest threshold of rules.ReplyDays; once per threshold and
//     deadline.
//   - daily_digest: see digestNotices.
func (db *DB) RunReminders(ctx context.Context, now time.Time, rules portal.ReminderRules) (portal.ReminderRun, error) {
	run := portal.ReminderRun{}
	today := now.In(portal.FederationZone).Format(time.DateOnly)
	_, offset := now.In(portal.FederationZone).Zone()

	steps := []struct {
		kind portal.NotificationKind
		sql  string
		args []any
	}{
		{portal.NotifyCycleOpened, `
			SELECT u.id AS recipient_id, c.id AS object_id, '' AS occasion, ` + reportParams + ` AS params, eff.link
			FROM reporting_cycles c
			JOIN ngos g ON g.active` + reportDeadlineJoins + `
			WHERE c.status = 'open' AND c.opens_on <= $2::date AND eff.deadline >= $2::date AND r.id IS NULL`,
			[]any{today}},
		{portal.NotifyReportOverdue, `
			SELECT u.id AS recipient_id, c.id AS object_id, to_char(eff.deadline, 'YYYY-MM-DD') AS occasion,
			       ` + reportParams + ` AS params, eff.link
			FROM reporting_cycles c
			JOIN ngos g ON g.active` + reportDeadlineJoins + `
			WHERE c.status = 'open' AND coalesce(r.status, 'draft') = 'draft'
			  AND eff.deadline < $2::date AND eff.deadline >= $2::date - $3::int`,
			[]any{today, rules.OverdueWithin}},
		{portal.NotifyReportDue, `
			SELECT u.id AS recipient_id, c.id AS object_id,
			       'd' || t.threshold || ':' || to_char(eff.deadline, 'YYYY-MM-DD') AS occasion,
			       ` + reportParams + ` AS params, eff.link
			FROM reporting_cycles c
			JOIN ngos g ON g.active` + reportDeadlineJoins + `
			CROSS JOIN LATERAL (SELECT min(x) AS threshold FROM unnest($3::int[]) x WHERE x >= eff.deadline - $2::date) t
			WHERE c.status = 'open' AND c.opens_on <= $2::date AND coalesce(r.status, 'draft') IN ('draft', 'returned')
			  AND eff.deadline >= $2::date AND t.threshold IS NOT NULL`,
			[]any{today, rules.ReportDays}},
		{portal.NotifyReplyDue, `
			SELECT u.id AS recipient_id, i.id AS object_id,
			       'd' || t.threshold || ':' || to_char(dl.day, 'YYYY-MM-DD') AS occasion,
			       jsonb_build_object('ngo_zh', g.name_zh, 'ngo_en', g.name_en, 'session_zh', s.title_zh, 'session_en', s.title_en,
			                          'date', to_char(dl.day, 'YYYY-MM-DD'), 'time', to_char(dl.local, 'HH24:MI'),
			                          'days', dl.day - $2::date) AS params,
			       '/ngo/sessions/' || s.id AS link
			FROM invitations i
			JOIN sessions s ON s.id = i.session_id
			JOIN ngos g ON g.id = i.ngo_id AND g.active
			JOIN users u ON u.role = 'staff' AND u.ngo_id = g.id
			CROSS JOIN LATERAL (SELECT (s.reply_deadline AT TIME ZONE 'UTC') + make_interval(secs => $5::int) AS local) l
			CROSS JOIN LATERAL (SELECT l.local AS local, l.local::date AS day) dl
			CROSS JOIN LATERAL (SELECT min(x) AS threshold FROM unnest($3::int[]) x WHERE x >= dl.day - $2::date) t
			WHERE i.withdrawn_at IS NULL AND i.reply = 'none' AND s.status = 'scheduled'
			  AND s.reply_deadline > $4 AND t.threshold IS NOT NULL`,
			[]any{today, rules.ReplyDays, now, offset}},
	}
	for _, s := range steps {
		n, err := insertNoticeRows(ctx, db.pool, s.kind, s.sql, s.args...)
		if err != nil {
			return run, err
		}
		run[s.kind] = n
	}
	n, err := digestNotices(ctx, db.pool, now, rules.DigestHour)
	if err != nil {
		return run, err
	}
	run[portal.NotifyDailyDigest] = n
	return run, nil
}
