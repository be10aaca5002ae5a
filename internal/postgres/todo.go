package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// What needs doing now, for the home pages: read from the data each time,
// in a fixed number of statements whatever the number of NGOs.

// StaffTodos returns what NGO ngoID's staff have to do at now: its reports
// still to be submitted in open cycles (each with what it lacks, by the
// rule the submission applies), the invitations it has not answered while
// replies are open, and the sessions whose requests it has not fully
// answered. Staff pages pass the signed-in user's NGO. Three statements,
// and a report's read (its sections and cover) for each report listed:
// one per open cycle at most.
func (db *DB) StaffTodos(ctx context.Context, ngoID int64, now time.Time) (portal.StaffTodos, error) {
	var out portal.StaffTodos
	if ngoID == 0 {
		return out, fmt.Errorf("to-do list without an NGO: %w", portal.ErrNotFound)
	}
	rows, err := db.pool.Query(ctx, `
		SELECT c.id, c.review_year, c.plan_year, c.deadline, e.deadline, coalesce(r.id, 0), coalesce(r.status, $2),
		       (SELECT max(ev.at) FROM report_events ev WHERE ev.report_id = r.id AND ev.action = 'returned')
		FROM reporting_cycles c
		LEFT JOIN cycle_extensions e ON e.cycle_id = c.id AND e.ngo_id = $1
		LEFT JOIN reports r ON r.cycle_id = c.id AND r.ngo_id = $1
		WHERE c.status = 'open' AND (r.id IS NULL OR r.status IN ('draft', 'returned'))
		ORDER BY c.deadline, c.id`, ngoID, string(portal.ReportNotStarted))
	if err != nil {
		return out, fmt.Errorf("report to-dos of NGO %d: %w", ngoID, err)
	}
	out.Reports, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.ReportTodo, error) {
		var t portal.ReportTodo
		var cycleDeadline time.Time
		var extension, returned *time.Time
		if err := row.Scan(&t.CycleID, &t.ReviewYear, &t.PlanYear, &cycleDeadline, &extension, &t.ReportID, &t.Status, &returned); err != nil {
			return t, err
		}
		t.Deadline = portal.EffectiveDeadline(cycleDeadline, extension)
		t.Extended = extension != nil && extension.After(cycleDeadline)
		if returned != nil && t.Status == portal.ReportReturned {
			t.ReturnedAt = *returned
		}
		return t, nil
	})
	if err != nil {
		return out, fmt.Errorf("report to-dos of NGO %d: %w", ngoID, err)
	}
	for i, t := range out.Reports {
		if t.ReportID == 0 {
			continue
		}
		r, err := loadReport(ctx, db.pool, false, `r.id = $1 AND r.ngo_id = $2`, t.ReportID, ngoID)
		if err != nil {
			return out, fmt.Errorf("report to-do %d of NGO %d: %w", t.ReportID, ngoID, err)
		}
		cover, err := hasCover(ctx, db.pool, r.ID)
		if err != nil {
			return out, err
		}
		out.Reports[i].Missing = r.Missing(cover)
	}

	rows, err = db.pool.Query(ctx, `
		SELECT s.id, s.title_zh, s.title_en, s.held_on, s.reply_deadline
		FROM invitations i
		JOIN sessions s ON s.id = i.session_id
		WHERE i.ngo_id = $1 AND i.withdrawn_at IS NULL AND i.reply = 'none' AND s.status = 'scheduled'
		  AND (s.reply_deadline IS NULL OR s.reply_deadline > $2)
		ORDER BY s.held_on, s.id`, ngoID, now)
	if err != nil {
		return out, fmt.Errorf("invitation to-dos of NGO %d: %w", ngoID, err)
	}
	out.Invitations, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.InvitationTodo, error) {
		var t portal.InvitationTodo
		err := row.Scan(&t.SessionID, &t.TitleZH, &t.TitleEN, &t.HeldOn, &t.ReplyDeadline)
		return t, err
	})
	if err != nil {
		return out, fmt.Errorf("invitation to-dos of NGO %d: %w", ngoID, err)
	}

	tasks, err := db.ResponseTasks(ctx, ngoID)
	if err != nil {
		return out, err
	}
	for _, t := range tasks {
		if !t.Done() {
			out.Responses = append(out.Responses, t)
		}
	}
	return out, nil
}

// AdminTodos returns what needs the federation's admins at now: reports
// waiting for review, by cycle; NGOs overdue with their report in open
// cycles (the review board's "overdue" rule); the next scheduled session
// with its invitations not replied to and its readiness board's summary
// (read by ReadinessBoard itself); and the latest held session's requests
// that addressed NGOs have not all answered (the answers overview's rule).
// Eight statements whatever the number of NGOs, sessions or cycles.
func (db *DB) AdminTodos(ctx context.Context, now time.Time) (portal.AdminTodos, error) {
	var out portal.AdminTodos
	today := now.In(portal.FederationZone).Format(time.DateOnly)

	rows, err := db.pool.Query(ctx, `
		SELECT c.id, c.review_year, c.plan_year, count(*), min(r.submitted_at)
		FROM reports r
		JOIN reporting_cycles c ON c.id = r.cycle_id
		WHERE r.status = 'submitted'
		GROUP BY c.id
		ORDER BY min(r.submitted_at), c.id`)
	if err != nil {
		return out, fmt.Errorf("reports waiting for review: %w", err)
	}
	out.Waiting, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.CycleTodo, error) {
		var t portal.CycleTodo
		err := row.Scan(&t.CycleID, &t.ReviewYear, &t.PlanYear, &t.Count, &t.Oldest)
		return t, err
	})
	if err != nil {
		return out, fmt.Errorf("reports waiting for review: %w", err)
	}

	// The board's rows are every active NGO and any other with a report;
	// one is overdue when its effective deadline (the later of the cycle's
	// and its extension) is over and no submission waits or was accepted.
	rows, err = db.pool.Query(ctx, `
		SELECT c.id, c.review_year, c.plan_year, count(*)
		FROM reporting_cycles c
		CROSS JOIN ngos n
		LEFT JOIN reports r ON r.cycle_id = c.id AND r.ngo_id = n.id
		LEFT JOIN cycle_extensions e ON e.cycle_id = c.id AND e.ngo_id = n.id
		WHERE c.status = 'open' AND c.deadline < $1::date AND (n.active OR r.id IS NOT NULL)
		  AND coalesce(r.status, 'not_started') NOT IN ('submitted', 'accepted')
		  AND greatest(c.deadline, e.deadline) < $1::date
		GROUP BY c.id
		ORDER BY c.deadline, c.id`, today)
	if err != nil {
		return out, fmt.Errorf("overdue reports: %w", err)
	}
	out.Overdue, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.CycleTodo, error) {
		var t portal.CycleTodo
		err := row.Scan(&t.CycleID, &t.ReviewYear, &t.PlanYear, &t.Count)
		return t, err
	})
	if err != nil {
		return out, fmt.Errorf("overdue reports: %w", err)
	}

	var next portal.NextSessionTodo
	err = db.pool.QueryRow(ctx, `SELECT `+sessionColumns+`,
		       (SELECT count(*) FROM invitations i
		        WHERE i.session_id = s.id AND i.withdrawn_at IS NULL AND i.reply = 'none')
		`+sessionFrom+`
		WHERE s.status = 'scheduled' AND s.held_on >= $1::date
		ORDER BY s.held_on, s.id
		LIMIT 1`, today).Scan(append(sessionScanArgs(&next.Session), &next.NoReply)...)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return out, fmt.Errorf("next session: %w", err)
	default:
		b, _, err := db.ReadinessBoard(ctx, next.Session.ID, portal.ReadinessFilter{Limit: 1})
		if err != nil {
			return out, err
		}
		next.Readiness = b.Summary
		out.Next = &next
	}

	var r portal.ResponsesTodo
	err = db.pool.QueryRow(ctx, `
		SELECT s.id, s.title_zh, s.title_en, s.responses_due_on
		FROM sessions s
		WHERE s.status IN ('held', 'closed') AND s.responses_due_on IS NOT NULL
		  AND NOT EXISTS (SELECT 1 FROM sessions l WHERE l.status IN ('held', 'closed') AND l.held_on > s.held_on)
		ORDER BY s.held_on DESC, s.id DESC
		LIMIT 1`).Scan(&r.SessionID, &r.TitleZH, &r.TitleEN, &r.DueOn)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return out, nil
	case err != nil:
		return out, fmt.Errorf("session asking for answers: %w", err)
	}
	err = db.pool.QueryRow(ctx, `
		WITH `+statusCTE+`
		SELECT count(DISTINCT st.ngo_id), count(DISTINCT st.ngo_id) FILTER (WHERE st.status = 'none')
		FROM st`, r.SessionID).Scan(&r.Addressed, &r.Unanswered)
	if err != nil {
		return out, fmt.Errorf("unanswered requests of session %d: %w", r.SessionID, err)
	}
	if r.Unanswered > 0 {
		out.Responses = append(out.Responses, r)
	}
	return out, nil
}
