package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// The NGOs' answers to the chair's requests: the date the federation sets,
// reminders and extensions, each NGO's answer per request, and its plan
// addendum. Whether an NGO planned items for a request is read from the
// links of its plan items to the request (each link holds its item's NGO,
// kept by triggers from plan_item_owners: migration 00014); request_responses
// holds "nothing planned" with its reason, and who answered when.

// responseStatusSQL is the status of the answer of NGO a.ngo_id to request
// a.request_id, given planned (a row of the CTE of the pairs with linked
// items, or NULL) and rr (request_responses, or NULL).
const responseStatusSQL = `CASE WHEN planned.request_id IS NOT NULL THEN 'planned'
	WHEN coalesce(rr.nothing_planned, false) THEN 'nothing' ELSE 'none' END`

// plannedCTE is the pairs (request, NGO) of session $1 with at least one
// plan item of the NGO linked to the request: from the session's few
// requests, one range of report_plan_item_requests_request_ngo_idx each.
const plannedCTE = `planned AS (
	SELECT DISTINCT l.request_id, l.ngo_id
	FROM session_requests q
	JOIN report_plan_item_requests l ON l.request_id = q.id
	WHERE q.session_id = $1)`

// statusCTE is plannedCTE and st, the pairs (request, NGO) of session $1's
// requests and their addressees with the status of the NGO's answer
// (responseStatusSQL). The "nothing planned" answers are read from their
// partial index, not the table.
const statusCTE = plannedCTE + `,
	nothing AS (
		SELECT rr.request_id, rr.ngo_id, rr.nothing_planned
		FROM session_requests q
		JOIN request_responses rr ON rr.request_id = q.id AND rr.nothing_planned
		WHERE q.session_id = $1),
	st AS (
		SELECT a.request_id, a.ngo_id, CASE WHEN planned.request_id IS NOT NULL THEN 'planned'
			WHEN nothing.request_id IS NOT NULL THEN 'nothing' ELSE 'none' END AS status
		FROM request_addressees a
		LEFT JOIN planned ON planned.request_id = a.request_id AND planned.ngo_id = a.ngo_id
		LEFT JOIN nothing ON nothing.request_id = a.request_id AND nothing.ngo_id = a.ngo_id
		WHERE a.session_id = $1)`

// ResponsesDue returns the date by which the NGOs answer the requests of
// session sessionID (nil when not asked yet) and how many requests the
// session has; ErrNotFound when there is no such session.
func (db *DB) ResponsesDue(ctx context.Context, sessionID int64) (*time.Time, int, error) {
	var due *time.Time
	var n int
	err := db.pool.QueryRow(ctx, `
		SELECT s.responses_due_on, (SELECT count(*) FROM session_requests q WHERE q.session_id = s.id)
		FROM sessions s WHERE s.id = $1`, sessionID).Scan(&due, &n)
	if err != nil {
		return nil, 0, fmt.Errorf("responses due of session %d: %w", sessionID, translate(err))
	}
	return due, n, nil
}

// SetResponsesDue asks the NGOs to answer the requests of session sessionID
// by day due, or changes that day. was is the day the form showed (nil when
// none): another admin's change since is ErrConflict. The session must be
// held or closed and have requests (portal.ErrResponsesDueNotSettable).
func (db *DB) SetResponsesDue(ctx context.Context, a portal.Actor, sessionID int64, due time.Time, was *time.Time) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		var status portal.SessionStatus
		var before *time.Time
		var requests int
		err := tx.QueryRow(ctx, `
			SELECT s.status, s.responses_due_on, (SELECT count(*) FROM session_requests q WHERE q.session_id = s.id)
			FROM sessions s WHERE s.id = $1 FOR UPDATE`, sessionID).Scan(&status, &before, &requests)
		if err != nil {
			return fmt.Errorf("session %d: %w", sessionID, translate(err))
		}
		if !portal.ResponsesDueSettable(status, requests) {
			return portal.ErrResponsesDueNotSettable
		}
		if !sameDay(before, was) {
			return fmt.Errorf("responses due of session %d changed: %w", sessionID, portal.ErrConflict)
		}
		if before != nil && before.Equal(due) {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE sessions SET responses_due_on = $2 WHERE id = $1`, sessionID, due); err != nil {
			return fmt.Errorf("set responses due of session %d: %w", sessionID, err)
		}
		if before == nil {
			// The NGOs are asked now: before, they could not answer.
			if err := notifyAddressed(ctx, tx, sessionID, "", nil); err != nil {
				return err
			}
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditResponsesDueSet, ObjectType: portal.AuditObjectSession, ObjectID: sessionID,
			Changes: map[string]portal.Change{"responses_due_on": {Before: dayOrNil(before), After: due.Format(time.DateOnly)}},
		})
	})
}

func sameDay(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Format(time.DateOnly) == b.Format(time.DateOnly)
}

func dayOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.Format(time.DateOnly)
}

// ResponseCounts returns the session's requests by number, each with the
// number of NGOs it is addressed to and how many of them planned items,
// plan nothing, or have not answered. One query.
func (db *DB) ResponseCounts(ctx context.Context, sessionID int64) ([]portal.RequestResponseCount, error) {
	rows, err := db.pool.Query(ctx, `
		WITH `+statusCTE+`
		SELECT `+requestColumns+`, coalesce(c.addressed, 0), coalesce(c.planned, 0), coalesce(c.nothing, 0), coalesce(c.none, 0)
		`+requestFrom+`
		LEFT JOIN (
			SELECT st.request_id, count(*) AS addressed,
			       count(*) FILTER (WHERE st.status = 'planned') AS planned,
			       count(*) FILTER (WHERE st.status = 'nothing') AS nothing,
			       count(*) FILTER (WHERE st.status = 'none') AS none
			FROM st GROUP BY st.request_id) c ON c.request_id = r.id
		WHERE r.session_id = $1
		ORDER BY r.number, r.id`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("response counts of session %d: %w", sessionID, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.RequestResponseCount, error) {
		var c portal.RequestResponseCount
		err := row.Scan(append(requestScanArgs(&c.Request), &c.Addressed, &c.Planned, &c.Nothing, &c.None)...)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("response counts of session %d: %w", sessionID, err)
	}
	return out, nil
}

// SessionResponses returns a page of the NGOs the session's requests are
// addressed to (by Chinese name, pinyin), filtered by f, each with its
// answer to each request addressed to it, its date and its last reminder.
// Three queries whatever the page holds.
func (db *DB) SessionResponses(ctx context.Context, sessionID int64, f portal.ResponseFilter) (portal.ResponsePage, error) {
	var p portal.ResponsePage
	if f.Page < 1 {
		f.Page = 1
	}
	err := db.readSnapshot(ctx, func(tx pgx.Tx) error {
		// Without a status filter the statuses are not needed to choose
		// the page's NGOs: the addressees alone are.
		st := `st AS (
				SELECT a.request_id, a.ngo_id, '' AS status FROM request_addressees a WHERE a.session_id = $1)`
		if f.Status != "" {
			st = statusCTE
		}
		// The page's NGOs are read in name order from ngos_name_zh_id_idx,
		// each kept when it is in the hashed set chosen ("IS TRUE" keeps
		// the IN a hashed filter rather than a join, whose result would be
		// sorted by name in full: sorting 2,000 names by the ICU collation
		// costs more than the rest of the page), and the walk stops at the
		// page's last NGO; the details are read for those 100 only.
		rows, err := tx.Query(ctx, `
			WITH `+st+`,
			chosen AS MATERIALIZED (
				SELECT DISTINCT st.ngo_id FROM st
				WHERE ($2 = 0 OR st.ngo_id = $2)
				  AND ($3 = 0 OR st.request_id = $3)
				  AND ($4 = '' OR st.status = $4)),
			page AS (
				SELECT n.id, n.name_zh FROM ngos n
				WHERE (n.id IN (SELECT c.ngo_id FROM chosen c)) IS TRUE
				ORDER BY n.name_zh, n.id
				LIMIT $5 OFFSET $6)
			SELECT n.id, n.name_zh, n.name_en,
			       greatest(s.responses_due_on, e.due_on), coalesce(e.due_on > s.responses_due_on, false), coalesce(e.reason, ''),
			       (SELECT max(m.sent_at) FROM response_reminders m WHERE m.session_id = $1 AND m.ngo_id = n.id),
			       (SELECT count(*) FROM response_reminders m WHERE m.session_id = $1 AND m.ngo_id = n.id),
			       (SELECT count(*) FROM chosen)
			FROM page
			JOIN ngos n ON n.id = page.id
			JOIN sessions s ON s.id = $1
			LEFT JOIN response_extensions e ON e.session_id = $1 AND e.ngo_id = n.id
			ORDER BY page.name_zh, page.id`,
			sessionID, f.NGOID, f.RequestID, string(f.Status), portal.ResponsesPageSize, (f.Page-1)*portal.ResponsesPageSize)
		if err != nil {
			return err
		}
		p.Rows, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.NGOResponses, error) {
			var n portal.NGOResponses
			var due, last *time.Time
			err := row.Scan(&n.NGOID, &n.NameZH, &n.NameEN, &due, &n.Extended, &n.ExtensionReason, &last, &n.Reminders, &p.Total)
			if due != nil {
				n.DueOn = *due
			}
			if last != nil {
				n.LastReminder = *last
			}
			return n, err
		})
		if err != nil || len(p.Rows) == 0 {
			return err
		}
		ids := make([]int64, len(p.Rows))
		at := map[int64]int{}
		for i, n := range p.Rows {
			ids[i], at[n.NGOID] = n.NGOID, i
		}
		cells, err := responseCells(ctx, tx, sessionID, ids)
		if err != nil {
			return err
		}
		for ngo, cs := range cells {
			p.Rows[at[ngo]].Cells = cs
		}
		return nil
	})
	if err != nil {
		return portal.ResponsePage{}, fmt.Errorf("responses of session %d: %w", sessionID, err)
	}
	return p, nil
}

// responseCells reads the answers of NGOs ngoIDs to the requests of the
// session addressed to them, with the titles of the linked items: two
// queries.
func responseCells(ctx context.Context, q querier, sessionID int64, ngoIDs []int64) (map[int64][]portal.ResponseCell, error) {
	rows, err := q.Query(ctx, `
		WITH planned AS (
			SELECT DISTINCT l.request_id, l.ngo_id
			FROM session_requests q
			JOIN report_plan_item_requests l ON l.request_id = q.id AND l.ngo_id = ANY($2)
			WHERE q.session_id = $1)
		SELECT a.ngo_id, a.request_id, r.number, `+responseStatusSQL+`, coalesce(rr.reason, '')
		FROM request_addressees a
		JOIN session_requests r ON r.id = a.request_id
		LEFT JOIN planned ON planned.request_id = a.request_id AND planned.ngo_id = a.ngo_id
		LEFT JOIN request_responses rr ON rr.request_id = a.request_id AND rr.ngo_id = a.ngo_id
		WHERE a.session_id = $1 AND a.ngo_id = ANY($2)
		ORDER BY a.ngo_id, r.number, r.id`, sessionID, ngoIDs)
	if err != nil {
		return nil, err
	}
	out := map[int64][]portal.ResponseCell{}
	type keyed struct {
		ngo  int64
		cell portal.ResponseCell
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (keyed, error) {
		var k keyed
		err := row.Scan(&k.ngo, &k.cell.RequestID, &k.cell.Number, &k.cell.Status, &k.cell.Reason)
		return k, err
	})
	if err != nil {
		return nil, err
	}
	rows, err = q.Query(ctx, `
		SELECT l.ngo_id, l.request_id, p.id, p.title, p.addendum_id IS NOT NULL
		FROM report_plan_item_requests l
		JOIN session_requests q ON q.id = l.request_id AND q.session_id = $1
		JOIN report_plan_items p ON p.id = l.plan_item_id
		WHERE l.ngo_id = ANY($2)
		ORDER BY l.ngo_id, l.request_id, p.addendum_id NULLS FIRST, p.position, p.id`, sessionID, ngoIDs)
	if err != nil {
		return nil, err
	}
	type item struct {
		ngo, request int64
		portal.LinkedItem
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (item, error) {
		var it item
		err := row.Scan(&it.ngo, &it.request, &it.ID, &it.Title, &it.Addendum)
		return it, err
	})
	if err != nil {
		return nil, err
	}
	byPair := map[[2]int64][]portal.LinkedItem{}
	for _, it := range items {
		k := [2]int64{it.ngo, it.request}
		byPair[k] = append(byPair[k], it.LinkedItem)
	}
	for _, k := range list {
		k.cell.Items = byPair[[2]int64{k.ngo, k.cell.RequestID}]
		out[k.ngo] = append(out[k.ngo], k.cell)
	}
	return out, nil
}

// ResponseTasks returns NGO ngoID's tasks of answering the chair's
// requests: one per held or closed session whose answers are asked for and
// which addressed at least one request to the NGO, while any is unanswered
// or the date has not passed (the caller drops the finished ones past their
// date with portal.ResponseTask); the latest session first. One query.
func (db *DB) ResponseTasks(ctx context.Context, ngoID int64) ([]portal.ResponseTask, error) {
	rows, err := db.pool.Query(ctx, `
		WITH a AS (
			SELECT a.session_id, a.request_id,
			       EXISTS (SELECT 1 FROM report_plan_item_requests l
			               WHERE l.request_id = a.request_id AND l.ngo_id = $1)
			       OR EXISTS (SELECT 1 FROM request_responses rr
			                  WHERE rr.request_id = a.request_id AND rr.ngo_id = $1 AND rr.nothing_planned) AS answered
			FROM request_addressees a
			JOIN sessions s ON s.id = a.session_id
			WHERE a.ngo_id = $1 AND s.responses_due_on IS NOT NULL AND s.status IN ('held', 'closed'))
		SELECT s.id, s.title_zh, s.title_en, greatest(s.responses_due_on, e.due_on),
		       coalesce(e.due_on > s.responses_due_on, false),
		       count(*), count(*) FILTER (WHERE a.answered),
		       (SELECT max(m.sent_at) FROM response_reminders m WHERE m.session_id = s.id AND m.ngo_id = $1)
		FROM a
		JOIN sessions s ON s.id = a.session_id
		LEFT JOIN response_extensions e ON e.session_id = s.id AND e.ngo_id = $1
		GROUP BY s.id, e.due_on, e.session_id
		ORDER BY s.held_on DESC, s.id DESC`, ngoID)
	if err != nil {
		return nil, fmt.Errorf("response tasks of NGO %d: %w", ngoID, err)
	}
	tasks, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.ResponseTask, error) {
		var t portal.ResponseTask
		var last *time.Time
		err := row.Scan(&t.SessionID, &t.TitleZH, &t.TitleEN, &t.DueOn, &t.Extended, &t.Addressed, &t.Answered, &last)
		if last != nil {
			t.LastReminder = *last
		}
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("response tasks of NGO %d: %w", ngoID, err)
	}
	return tasks, nil
}

// StaffResponsesFor reads NGO ngoID's answers to the requests of session
// sessionID. ErrNotFound when answers are not asked for at the session or
// no request is addressed to the NGO. One snapshot of six queries.
func (db *DB) StaffResponsesFor(ctx context.Context, sessionID, ngoID int64) (portal.StaffResponses, error) {
	var d portal.StaffResponses
	err := db.readSnapshot(ctx, func(tx pgx.Tx) error {
		var sessionDue, ext, last *time.Time
		var cycleID int64
		err := tx.QueryRow(ctx, `
			SELECT s.responses_due_on, e.due_on, coalesce(e.reason, ''), coalesce(s.cycle_id, 0),
			       (SELECT max(m.sent_at) FROM response_reminders m WHERE m.session_id = s.id AND m.ngo_id = $2)
			FROM sessions s
			LEFT JOIN response_extensions e ON e.session_id = s.id AND e.ngo_id = $2
			WHERE s.id = $1 AND s.responses_due_on IS NOT NULL`, sessionID, ngoID).
			Scan(&sessionDue, &ext, &d.ExtensionReason, &cycleID, &last)
		if err != nil {
			return translate(err)
		}
		d.SessionDue = *sessionDue
		d.DueOn = portal.EffectiveResponseDue(*sessionDue, ext)
		d.Extended = !d.DueOn.Equal(*sessionDue)
		if last != nil {
			d.LastReminder = *last
		}
		if d.Requests, err = requestsForNGO(ctx, tx, sessionID, ngoID); err != nil {
			return err
		}
		if len(d.Requests) == 0 {
			return portal.ErrNotFound
		}
		if d.Answers, err = staffAnswers(ctx, tx, sessionID, ngoID); err != nil {
			return err
		}
		if cycleID != 0 {
			err := tx.QueryRow(ctx, `SELECT id, status FROM reports WHERE cycle_id = $1 AND ngo_id = $2`, cycleID, ngoID).
				Scan(&d.ReportID, &d.ReportStatus)
			switch {
			case errors.Is(err, pgx.ErrNoRows):
			case err != nil:
				return err
			default:
				if d.ReportItems, err = planItems(ctx, tx, `p.report_id = $1`, d.ReportID); err != nil {
					return err
				}
			}
		}
		var addendumID int64
		err = tx.QueryRow(ctx, `SELECT id, version FROM plan_addenda WHERE session_id = $1 AND ngo_id = $2`, sessionID, ngoID).
			Scan(&addendumID, &d.AddendumVersion)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return err
		default:
			if d.AddendumItems, err = planItems(ctx, tx, `p.addendum_id = $1`, addendumID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return portal.StaffResponses{}, fmt.Errorf("responses of NGO %d at session %d: %w", ngoID, sessionID, err)
	}
	return d, nil
}

// AskedToAnswer returns nil when NGO ngoID is asked to answer requests of
// session sessionID (its date is set and a request is addressed to the
// NGO), else ErrNotFound: what a staff route checks before reading a form.
func (db *DB) AskedToAnswer(ctx context.Context, sessionID, ngoID int64) error {
	var ok bool
	err := db.pool.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM sessions s
		               WHERE s.id = $1 AND s.responses_due_on IS NOT NULL
		                 AND EXISTS (SELECT 1 FROM request_addressees a WHERE a.session_id = s.id AND a.ngo_id = $2))`,
		sessionID, ngoID).Scan(&ok)
	if err != nil {
		return fmt.Errorf("answers of NGO %d at session %d: %w", ngoID, sessionID, err)
	}
	if !ok {
		return fmt.Errorf("answers of NGO %d at session %d: %w", ngoID, sessionID, portal.ErrNotFound)
	}
	return nil
}

// planItems reads the plan items matching where (on report_plan_items p,
// with args), in their order.
func planItems(ctx context.Context, q querier, where string, args ...any) ([]portal.PlanItem, error) {
	rows, err := q.Query(ctx, `SELECT `+planItemColumns+` FROM report_plan_items p WHERE `+where+` ORDER BY p.position, p.id`, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, rowTo(planItemScanArgs))
}

func staffAnswers(ctx context.Context, q querier, sessionID, ngoID int64) (map[int64]portal.StaffAnswer, error) {
	rows, err := q.Query(ctx, `
		SELECT a.request_id, coalesce(rr.nothing_planned, false), coalesce(rr.reason, ''), coalesce(rr.version, 0),
		       rr.responded_at,
		       coalesce((SELECT array_agg(l.plan_item_id ORDER BY l.plan_item_id)
		                 FROM report_plan_item_requests l
		                 WHERE l.request_id = a.request_id AND l.ngo_id = $2), '{}')
		FROM request_addressees a
		LEFT JOIN request_responses rr ON rr.request_id = a.request_id AND rr.ngo_id = a.ngo_id
		WHERE a.session_id = $1 AND a.ngo_id = $2`, sessionID, ngoID)
	if err != nil {
		return nil, err
	}
	out := map[int64]portal.StaffAnswer{}
	_, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (struct{}, error) {
		var id int64
		var a portal.StaffAnswer
		var nothing bool
		var at *time.Time
		if err := row.Scan(&id, &nothing, &a.Reason, &a.Version, &at, &a.ItemIDs); err != nil {
			return struct{}{}, err
		}
		switch {
		case len(a.ItemIDs) > 0:
			a.Status = portal.ResponsePlanned
		case nothing:
			a.Status = portal.ResponseNothing
		default:
			a.Status = portal.ResponseNone
		}
		if at != nil {
			a.RespondedAt = *at
		}
		out[id] = a
		return struct{}{}, nil
	})
	return out, err
}

// responder is a session and NGO whose answers are being written, locked
// for the write: the session row shared (its date cannot change meanwhile)
// and the NGO's answers at the session serialised by an advisory lock, so
// that two writes of the same NGO never interleave their checks.
type responder struct {
	sessionID, ngoID, cycleID int64
	due                       time.Time
}

// responsesLockKey is the first key of the advisory lock of an NGO's
// answers at a session (the second is derived from the two ids).
const responsesLockKey = 1113

func lockResponder(ctx context.Context, tx pgx.Tx, sessionID, ngoID int64, now time.Time) (responder, error) {
	rs := responder{sessionID: sessionID, ngoID: ngoID}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`,
		responsesLockKey, fmt.Sprintf("%d/%d", sessionID, ngoID)); err != nil {
		return rs, fmt.Errorf("lock answers: %w", err)
	}
	var sessionDue, ext *time.Time
	err := tx.QueryRow(ctx, `
		SELECT s.responses_due_on, e.due_on, coalesce(s.cycle_id, 0)
		FROM sessions s
		LEFT JOIN response_extensions e ON e.session_id = s.id AND e.ngo_id = $2
		WHERE s.id = $1 AND s.responses_due_on IS NOT NULL
		  AND EXISTS (SELECT 1 FROM request_addressees a WHERE a.session_id = s.id AND a.ngo_id = $2)
		FOR SHARE OF s`, sessionID, ngoID).Scan(&sessionDue, &ext, &rs.cycleID)
	if err != nil {
		return rs, fmt.Errorf("answers of NGO %d at session %d: %w", ngoID, sessionID, translate(err))
	}
	rs.due = portal.EffectiveResponseDue(*sessionDue, ext)
	if !portal.ResponsesOpen(rs.due, now) {
		return rs, portal.ErrResponsesClosed
	}
	return rs, nil
}

// addressed returns which of ids are requests of the session addressed to
// the NGO.
func (rs responder) addressed(ctx context.Context, tx pgx.Tx, ids []int64) (map[int64]bool, error) {
	return existingIDs(ctx, tx, `
		SELECT a.request_id FROM request_addressees a
		WHERE a.request_id = ANY($1) AND a.session_id = $2 AND a.ngo_id = $3`, ids, rs.sessionID, rs.ngoID)
}

// answerRow is the stored answer of the NGO to one request.
type answerRow struct {
	exists  bool
	nothing bool
	reason  string
	version int
}

func (rs responder) lockAnswer(ctx context.Context, tx pgx.Tx, requestID int64) (answerRow, error) {
	a := answerRow{}
	err := tx.QueryRow(ctx, `
		SELECT nothing_planned, reason, version FROM request_responses
		WHERE request_id = $1 AND ngo_id = $2 FOR UPDATE`, requestID, rs.ngoID).Scan(&a.nothing, &a.reason, &a.version)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return a, nil
	case err != nil:
		return a, fmt.Errorf("answer to request %d: %w", requestID, err)
	}
	a.exists = true
	return a, nil
}

// writeAnswer stores the NGO's answer to a request: who answered now, and
// whether it plans nothing (with reason). It bumps the version.
func (rs responder) writeAnswer(ctx context.Context, tx pgx.Tx, a portal.Actor, requestID int64, nothing bool, reason string) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO request_responses (request_id, ngo_id, nothing_planned, reason, responded_by, responded_at)
		VALUES ($1, $2, $3, $4, $5, now())
		ON CONFLICT (request_id, ngo_id) DO UPDATE
		SET nothing_planned = excluded.nothing_planned, reason = excluded.reason,
		    responded_by = excluded.responded_by, responded_at = now(),
		    version = request_responses.version + 1`,
		requestID, rs.ngoID, nothing, reason, nullIfZero(a.UserID))
	if err != nil {
		return fmt.Errorf("answer to request %d: %w", requestID, err)
	}
	return nil
}

// linkedItems returns the NGO's plan items linked to a request.
func (rs responder) linkedItems(ctx context.Context, tx pgx.Tx, requestID int64) ([]int64, error) {
	rows, err := tx.Query(ctx, `
		SELECT l.plan_item_id FROM report_plan_item_requests l
		JOIN plan_item_owners o ON o.plan_item_id = l.plan_item_id
		WHERE l.request_id = $1 AND o.ngo_id = $2
		ORDER BY l.plan_item_id`, requestID, rs.ngoID)
	if err != nil {
		return nil, fmt.Errorf("items linked to request %d: %w", requestID, err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// ownItems locks and returns the NGO's plan items that may answer the
// session's requests: those of its report of the session's cycle (the
// report row locked, as a save of the report replaces its items) and those
// of its addendum, by id → the report id (0 for the addendum's).
func (rs responder) ownItems(ctx context.Context, tx pgx.Tx) (map[int64]int64, error) {
	out := map[int64]int64{}
	if rs.cycleID != 0 {
		if _, err := tx.Exec(ctx, `SELECT 1 FROM reports WHERE cycle_id = $1 AND ngo_id = $2 FOR UPDATE`, rs.cycleID, rs.ngoID); err != nil {
			return nil, fmt.Errorf("lock report: %w", err)
		}
	}
	rows, err := tx.Query(ctx, `
		SELECT p.id, coalesce(p.report_id, 0)
		FROM report_plan_items p
		LEFT JOIN reports r ON r.id = p.report_id
		LEFT JOIN plan_addenda d ON d.id = p.addendum_id
		WHERE (r.cycle_id = $1 AND r.ngo_id = $2) OR (d.session_id = $3 AND d.ngo_id = $2)`, rs.cycleID, rs.ngoID, rs.sessionID)
	if err != nil {
		return nil, fmt.Errorf("plan items of NGO %d: %w", rs.ngoID, err)
	}
	type pair struct{ id, report int64 }
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (pair, error) {
		var p pair
		return p, row.Scan(&p.id, &p.report)
	})
	if err != nil {
		return nil, fmt.Errorf("plan items of NGO %d: %w", rs.ngoID, err)
	}
	for _, p := range list {
		out[p.id] = p.report
	}
	return out, nil
}

// touchOwners bumps the version of what holds the changed items, so that a
// form of it loaded before (the report's, with its request checkboxes; an
// addendum item's) cannot silently put the old links back: the reports
// staff may still edit (draft, returned) and the addendum.
func (rs responder) touchOwners(ctx context.Context, tx pgx.Tx, changed []int64, owners map[int64]int64) error {
	var reports []int64
	addendum := false
	for _, id := range changed {
		if r := owners[id]; r != 0 {
			reports = append(reports, r)
		} else {
			addendum = true
		}
	}
	if len(reports) > 0 {
		if _, err := tx.Exec(ctx, `
			UPDATE reports SET version = version + 1
			WHERE id = ANY($1) AND status IN ('draft', 'returned')`, uniqueIDs(reports)); err != nil {
			return fmt.Errorf("touch reports: %w", err)
		}
	}
	if addendum {
		if _, err := tx.Exec(ctx, `
			UPDATE plan_addenda SET version = version + 1, updated_at = now()
			WHERE session_id = $1 AND ngo_id = $2`, rs.sessionID, rs.ngoID); err != nil {
			return fmt.Errorf("touch addendum: %w", err)
		}
	}
	return nil
}

// checkAnswerVersion compares the version the form was loaded at with the
// stored answer's (0: none yet).
func checkAnswerVersion(requestID int64, stored answerRow, version int) error {
	if stored.version != version {
		return fmt.Errorf("answer to request %d: version %d, form has %d: %w", requestID, stored.version, version, portal.ErrConflict)
	}
	return nil
}

// idList is ids as the audit log records them.
func idList(ids []int64) []string {
	out := []string{}
	for _, id := range uniqueIDs(ids) {
		out = append(out, fmt.Sprint(id))
	}
	return out
}

// SaveResponseItems answers request requestID of session sessionID for NGO
// ngoID with exactly the NGO's plan items itemIDs (of its report of the
// session's cycle or of its addendum): the NGO's other items are unlinked
// from the request. Linking any item clears "nothing planned"; linking none
// leaves the request unanswered. version is the answer's version the form
// was loaded at (0: never answered); a stale one is ErrConflict.
// ErrNotFound when the request is not the session's or not addressed to the
// NGO; portal.ErrResponsesClosed after the NGO's date; an item not the NGO's
// is a *portal.ValidationError on "items".
func (db *DB) SaveResponseItems(ctx context.Context, a portal.Actor, sessionID, ngoID, requestID int64, itemIDs []int64, version int, now time.Time) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		rs, err := lockResponder(ctx, tx, sessionID, ngoID, now)
		if err != nil {
			return err
		}
		if ok, err := rs.addressed(ctx, tx, []int64{requestID}); err != nil {
			return err
		} else if !ok[requestID] {
			return fmt.Errorf("request %d for NGO %d: %w", requestID, ngoID, portal.ErrNotFound)
		}
		stored, err := rs.lockAnswer(ctx, tx, requestID)
		if err != nil {
			return err
		}
		if err := checkAnswerVersion(requestID, stored, version); err != nil {
			return err
		}
		owners, err := rs.ownItems(ctx, tx)
		if err != nil {
			return err
		}
		// Never nil: = ANY(NULL) would keep every link when none is ticked.
		itemIDs = append([]int64{}, uniqueIDs(itemIDs)...)
		for _, id := range itemIDs {
			if _, ok := owners[id]; !ok {
				return &portal.ValidationError{Fields: map[string]string{"items": "response.error.item_invalid"}}
			}
		}
		before, err := rs.linkedItems(ctx, tx, requestID)
		if err != nil {
			return err
		}
		var changed []int64
		for _, id := range before {
			if !slices.Contains(itemIDs, id) {
				changed = append(changed, id)
			}
		}
		for _, id := range itemIDs {
			if !slices.Contains(before, id) {
				changed = append(changed, id)
			}
		}
		if _, err := tx.Exec(ctx, `
			DELETE FROM report_plan_item_requests
			WHERE request_id = $1 AND plan_item_id = ANY($2) AND NOT plan_item_id = ANY($3)`,
			requestID, before, itemIDs); err != nil {
			return fmt.Errorf("unlink items from request %d: %w", requestID, err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO report_plan_item_requests (plan_item_id, request_id)
			SELECT unnest($1::bigint[]), $2
			ON CONFLICT DO NOTHING`, itemIDs, requestID); err != nil {
			return fmt.Errorf("link items to request %d: %w", requestID, err)
		}
		if err := rs.touchOwners(ctx, tx, changed, owners); err != nil {
			return err
		}
		if err := rs.writeAnswer(ctx, tx, a, requestID, false, ""); err != nil {
			return err
		}
		changes := map[string]portal.Change{}
		if len(changed) > 0 {
			changes["plan_item_ids"] = portal.Change{Before: idList(before), After: idList(itemIDs)}
		}
		if stored.nothing {
			changes["nothing_planned"] = portal.Change{Before: true, After: false}
			changes["reason"] = portal.Change{Before: stored.reason, After: ""}
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditResponseSaved, ObjectType: portal.AuditObjectRequest, ObjectID: requestID, NGOID: ngoID,
			Changes: changes,
		})
	})
}

// SaveNothingPlanned records that NGO ngoID plans nothing for request
// requestID, with a reason, and unlinks the NGO's plan items from the
// request. Errors as SaveResponseItems; an invalid reason is a
// *portal.ValidationError.
func (db *DB) SaveNothingPlanned(ctx context.Context, a portal.Actor, sessionID, ngoID, requestID int64, n portal.NothingPlanned, version int, now time.Time) error {
	if errs := n.Validate(); len(errs) > 0 {
		return &portal.ValidationError{Fields: errs}
	}
	return db.Transact(ctx, func(tx pgx.Tx) error {
		rs, err := lockResponder(ctx, tx, sessionID, ngoID, now)
		if err != nil {
			return err
		}
		if ok, err := rs.addressed(ctx, tx, []int64{requestID}); err != nil {
			return err
		} else if !ok[requestID] {
			return fmt.Errorf("request %d for NGO %d: %w", requestID, ngoID, portal.ErrNotFound)
		}
		stored, err := rs.lockAnswer(ctx, tx, requestID)
		if err != nil {
			return err
		}
		if err := checkAnswerVersion(requestID, stored, version); err != nil {
			return err
		}
		owners, err := rs.ownItems(ctx, tx)
		if err != nil {
			return err
		}
		before, err := rs.linkedItems(ctx, tx, requestID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			DELETE FROM report_plan_item_requests WHERE request_id = $1 AND plan_item_id = ANY($2)`,
			requestID, before); err != nil {
			return fmt.Errorf("unlink items from request %d: %w", requestID, err)
		}
		if err := rs.touchOwners(ctx, tx, before, owners); err != nil {
			return err
		}
		if err := rs.writeAnswer(ctx, tx, a, requestID, true, n.Reason); err != nil {
			return err
		}
		changes := map[string]portal.Change{}
		if !stored.nothing {
			changes["nothing_planned"] = portal.Change{Before: false, After: true}
		}
		if stored.reason != n.Reason {
			changes["reason"] = portal.Change{Before: stored.reason, After: n.Reason}
		}
		if len(before) > 0 {
			changes["plan_item_ids"] = portal.Change{Before: idList(before), After: []string{}}
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditResponseSaved, ObjectType: portal.AuditObjectRequest, ObjectID: requestID, NGOID: ngoID,
			Changes: changes,
		})
	})
}

// lockAddendum locks the NGO's addendum for the session, creating it when
// the form had none (version 0), and checks the version the form was
// loaded at: ErrConflict when it is stale (including an addendum another
// tab created meanwhile).
func (rs responder) lockAddendum(ctx context.Context, tx pgx.Tx, version int) (int64, error) {
	var id int64
	var stored int
	err := tx.QueryRow(ctx, `
		SELECT id, version FROM plan_addenda WHERE session_id = $1 AND ngo_id = $2 FOR UPDATE`, rs.sessionID, rs.ngoID).
		Scan(&id, &stored)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		if version != 0 {
			return 0, fmt.Errorf("addendum of NGO %d: gone: %w", rs.ngoID, portal.ErrConflict)
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO plan_addenda (session_id, ngo_id) VALUES ($1, $2) RETURNING id`, rs.sessionID, rs.ngoID).Scan(&id)
		if err != nil {
			return 0, fmt.Errorf("create addendum: %w", translate(err))
		}
		return id, nil
	case err != nil:
		return 0, fmt.Errorf("addendum of NGO %d: %w", rs.ngoID, err)
	}
	if stored != version {
		return 0, fmt.Errorf("addendum %d: version %d, form has %d: %w", id, stored, version, portal.ErrConflict)
	}
	if _, err := tx.Exec(ctx, `UPDATE plan_addenda SET version = version + 1, updated_at = now() WHERE id = $1`, id); err != nil {
		return 0, fmt.Errorf("addendum %d: %w", id, err)
	}
	return id, nil
}

// checkAddendumItem checks an addendum item against the rules of a plan
// item and the database: its themes and key project exist, and its
// requests are the session's addressed to the NGO (at least one).
func (rs responder) checkAddendumItem(ctx context.Context, tx pgx.Tx, p portal.PlanItem) error {
	errs := portal.ValidateAddendumItem(p)
	if len(p.RequestIDs) == 0 {
		errs["requests"] = "response.error.requests_required"
	}
	themes, err := existingIDs(ctx, tx, `SELECT id FROM themes WHERE id = ANY($1)`, p.ThemeIDs)
	if err != nil {
		return err
	}
	for _, id := range p.ThemeIDs {
		if !themes[id] {
			errs["themes"] = "report.err.theme_invalid"
		}
	}
	if p.KeyProjectID > 0 {
		projects, err := existingIDs(ctx, tx, `SELECT id FROM key_projects WHERE id = ANY($1)`, []int64{p.KeyProjectID})
		if err != nil {
			return err
		}
		if !projects[p.KeyProjectID] {
			errs["key_project"] = "report.err.project_invalid"
		}
	}
	ok, err := rs.addressed(ctx, tx, p.RequestIDs)
	if err != nil {
		return err
	}
	for _, id := range p.RequestIDs {
		if !ok[id] {
			errs["requests"] = "report.err.request_invalid"
		}
	}
	if len(errs) > 0 {
		return &portal.ValidationError{Fields: errs}
	}
	return nil
}

// writeItemLinks sets the themes and requests of addendum item itemID, and
// records as answered (planned) every request it now answers that was not
// linked to it before: what was "nothing planned" is planned now.
func (rs responder) writeItemLinks(ctx context.Context, tx pgx.Tx, a portal.Actor, itemID int64, p portal.PlanItem, beforeRequests []int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM report_plan_item_themes WHERE plan_item_id = $1`, itemID); err != nil {
		return fmt.Errorf("themes of item %d: %w", itemID, err)
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO report_plan_item_themes (plan_item_id, theme_id) SELECT $1, unnest($2::bigint[])`, itemID, uniqueIDs(p.ThemeIDs)); err != nil {
		return fmt.Errorf("themes of item %d: %w", itemID, err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM report_plan_item_requests WHERE plan_item_id = $1`, itemID); err != nil {
		return fmt.Errorf("requests of item %d: %w", itemID, err)
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO report_plan_item_requests (plan_item_id, request_id) SELECT $1, unnest($2::bigint[])`, itemID, uniqueIDs(p.RequestIDs)); err != nil {
		return fmt.Errorf("requests of item %d: %w", itemID, err)
	}
	for _, q := range uniqueIDs(p.RequestIDs) {
		if slices.Contains(beforeRequests, q) {
			continue
		}
		if err := rs.writeAnswer(ctx, tx, a, q, false, ""); err != nil {
			return err
		}
	}
	for _, q := range beforeRequests {
		if slices.Contains(p.RequestIDs, q) {
			continue
		}
		// Unlinked: the answer changed, so a form of it loaded before is stale.
		if _, err := tx.Exec(ctx, `
			UPDATE request_responses SET version = version + 1 WHERE request_id = $1 AND ngo_id = $2`, q, rs.ngoID); err != nil {
			return fmt.Errorf("answer to request %d: %w", q, err)
		}
	}
	return nil
}

// AddAddendumItem adds plan item p to NGO ngoID's plan addendum for session
// sessionID (creating the addendum), answering the requests p.RequestIDs.
// version is the addendum's version the form was loaded at (0: none yet).
// It returns the new item's id. ErrNotFound when answers are not asked of
// the NGO; portal.ErrResponsesClosed after its date; ErrConflict on a stale
// version; a *portal.ValidationError for the item's fields.
func (db *DB) AddAddendumItem(ctx context.Context, a portal.Actor, sessionID, ngoID int64, p portal.PlanItem, version int, now time.Time) (int64, error) {
	var itemID int64
	err := db.Transact(ctx, func(tx pgx.Tx) error {
		rs, err := lockResponder(ctx, tx, sessionID, ngoID, now)
		if err != nil {
			return err
		}
		if err := rs.checkAddendumItem(ctx, tx, p); err != nil {
			return err
		}
		addendumID, err := rs.lockAddendum(ctx, tx, version)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO report_plan_items (addendum_id, position, title, description, quarter, key_project_id)
			VALUES ($1, (SELECT coalesce(max(position), 0) + 1 FROM report_plan_items WHERE addendum_id = $1),
			        $2, $3, nullif($4, 0), nullif($5, 0))
			RETURNING id`, addendumID, p.Title, p.Description, p.Quarter, p.KeyProjectID).Scan(&itemID)
		if err != nil {
			return fmt.Errorf("add addendum item: %w", err)
		}
		if err := rs.writeItemLinks(ctx, tx, a, itemID, p, nil); err != nil {
			return err
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditAddendumItemAdded, ObjectType: portal.AuditObjectPlanAddendum, ObjectID: addendumID, NGOID: ngoID,
			Changes: portal.Diff(nil, portal.AddendumItem{PlanItem: p}.AuditFields()),
		})
	})
	if err != nil {
		return 0, err
	}
	return itemID, nil
}

// addendumItem reads item itemID of the NGO's addendum for the
// session; ErrNotFound when it is not one.
func (rs responder) addendumItem(ctx context.Context, tx pgx.Tx, itemID int64) (portal.PlanItem, error) {
	items, err := planItems(ctx, tx, `p.id = $1 AND p.addendum_id = (SELECT d.id FROM plan_addenda d
		WHERE d.session_id = $2 AND d.ngo_id = $3)`, itemID, rs.sessionID, rs.ngoID)
	if err != nil {
		return portal.PlanItem{}, fmt.Errorf("addendum item %d: %w", itemID, err)
	}
	if len(items) == 0 {
		return portal.PlanItem{}, fmt.Errorf("addendum item %d of NGO %d: %w", itemID, rs.ngoID, portal.ErrNotFound)
	}
	return items[0], nil
}

// AddendumItem returns item itemID of NGO ngoID's addendum for session
// sessionID; ErrNotFound when it is not one.
func (db *DB) AddendumItem(ctx context.Context, sessionID, ngoID, itemID int64) (portal.PlanItem, error) {
	var p portal.PlanItem
	err := db.readSnapshot(ctx, func(tx pgx.Tx) error {
		var err error
		p, err = responder{sessionID: sessionID, ngoID: ngoID}.addendumItem(ctx, tx, itemID)
		return err
	})
	return p, err
}

// UpdateAddendumItem saves an edited addendum item (p.ID) and its links to
// requests. Errors as AddAddendumItem; ErrNotFound when the item is not of
// the NGO's addendum for the session.
func (db *DB) UpdateAddendumItem(ctx context.Context, a portal.Actor, sessionID, ngoID int64, p portal.PlanItem, version int, now time.Time) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		rs, err := lockResponder(ctx, tx, sessionID, ngoID, now)
		if err != nil {
			return err
		}
		if version == 0 {
			return fmt.Errorf("addendum item %d: %w", p.ID, portal.ErrNotFound)
		}
		addendumID, err := rs.lockAddendum(ctx, tx, version)
		if err != nil {
			return err
		}
		before, err := rs.addendumItem(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		if err := rs.checkAddendumItem(ctx, tx, p); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE report_plan_items SET title = $2, description = $3, quarter = nullif($4, 0), key_project_id = nullif($5, 0)
			WHERE id = $1`, p.ID, p.Title, p.Description, p.Quarter, p.KeyProjectID); err != nil {
			return fmt.Errorf("update addendum item %d: %w", p.ID, err)
		}
		if err := rs.writeItemLinks(ctx, tx, a, p.ID, p, before.RequestIDs); err != nil {
			return err
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditAddendumItemUpdated, ObjectType: portal.AuditObjectPlanAddendum, ObjectID: addendumID, NGOID: ngoID,
			Changes: portal.Diff(portal.AddendumItem{PlanItem: before}.AuditFields(), portal.AddendumItem{PlanItem: p}.AuditFields()),
		})
	})
}

// DeleteAddendumItem removes item itemID from NGO ngoID's addendum for
// session sessionID (its links go with it: the requests it alone answered
// are unanswered again). Errors as UpdateAddendumItem, and
// ErrOutcomeOnRecord when next year's report gives the item's outcome (a
// blank row in a draft goes with the item).
func (db *DB) DeleteAddendumItem(ctx context.Context, a portal.Actor, sessionID, ngoID, itemID int64, version int, now time.Time) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		rs, err := lockResponder(ctx, tx, sessionID, ngoID, now)
		if err != nil {
			return err
		}
		if version == 0 {
			return fmt.Errorf("addendum item %d: %w", itemID, portal.ErrNotFound)
		}
		addendumID, err := rs.lockAddendum(ctx, tx, version)
		if err != nil {
			return err
		}
		before, err := rs.addendumItem(ctx, tx, itemID)
		if err != nil {
			return err
		}
		// Next year's report may already list the item for its outcome.
		if err := releaseProgressRows(ctx, tx, a, []int64{itemID}); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM report_plan_items WHERE id = $1`, itemID); err != nil {
			return fmt.Errorf("delete addendum item %d: %w", itemID, err)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE request_responses SET version = version + 1 WHERE request_id = ANY($1) AND ngo_id = $2`,
			before.RequestIDs, ngoID); err != nil {
			return fmt.Errorf("answers of item %d: %w", itemID, err)
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditAddendumItemRemoved, ObjectType: portal.AuditObjectPlanAddendum, ObjectID: addendumID, NGOID: ngoID,
			Changes: portal.Diff(portal.AddendumItem{PlanItem: before}.AuditFields(), nil),
		})
	})
}

// RemindNGO records a reminder to NGO ngoID to answer the requests of
// session sessionID and audits it. ErrNotFound when answers are not asked
// for at the session or no request is addressed to the NGO.
func (db *DB) RemindNGO(ctx context.Context, a portal.Actor, sessionID, ngoID int64) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		var reminder int64
		err := tx.QueryRow(ctx, `
			INSERT INTO response_reminders (session_id, ngo_id, sent_by)
			SELECT s.id, $2, $3 FROM sessions s
			WHERE s.id = $1 AND s.responses_due_on IS NOT NULL
			  AND EXISTS (SELECT 1 FROM request_addressees a WHERE a.session_id = s.id AND a.ngo_id = $2)
			RETURNING id`,
			sessionID, ngoID, nullIfZero(a.UserID)).Scan(&reminder)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("remind NGO %d at session %d: %w", ngoID, sessionID, portal.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("remind NGO %d: %w", ngoID, err)
		}
		if err := notifyReminded(ctx, tx, []int64{reminder}); err != nil {
			return err
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditResponseReminded, ObjectType: portal.AuditObjectSession, ObjectID: sessionID, NGOID: ngoID,
		})
	})
}

// RemindUnanswered records a reminder to every NGO that has not answered
// every request of session sessionID addressed to it, in one transaction,
// auditing each; it returns how many were reminded. ErrNotFound when
// answers are not asked for at the session.
func (db *DB) RemindUnanswered(ctx context.Context, a portal.Actor, sessionID int64) (int, error) {
	var n int
	err := db.Transact(ctx, func(tx pgx.Tx) error {
		var asked bool
		if err := tx.QueryRow(ctx, `SELECT responses_due_on IS NOT NULL FROM sessions WHERE id = $1 FOR SHARE`, sessionID).Scan(&asked); err != nil {
			return fmt.Errorf("session %d: %w", sessionID, translate(err))
		}
		if !asked {
			return fmt.Errorf("session %d: answers not asked for: %w", sessionID, portal.ErrNotFound)
		}
		rows, err := tx.Query(ctx, `
			WITH `+plannedCTE+`
			INSERT INTO response_reminders (session_id, ngo_id, sent_by)
			SELECT DISTINCT $1::bigint, a.ngo_id, $2::bigint
			FROM request_addressees a
			LEFT JOIN planned ON planned.request_id = a.request_id AND planned.ngo_id = a.ngo_id
			LEFT JOIN request_responses rr ON rr.request_id = a.request_id AND rr.ngo_id = a.ngo_id
			WHERE a.session_id = $1 AND planned.request_id IS NULL AND NOT coalesce(rr.nothing_planned, false)
			RETURNING id, ngo_id`, sessionID, nullIfZero(a.UserID))
		if err != nil {
			return fmt.Errorf("remind NGOs of session %d: %w", sessionID, err)
		}
		type reminded struct{ id, ngo int64 }
		sent, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (reminded, error) {
			var r reminded
			return r, row.Scan(&r.id, &r.ngo)
		})
		if err != nil {
			return fmt.Errorf("remind NGOs of session %d: %w", sessionID, err)
		}
		n = len(sent)
		ids := make([]int64, len(sent))
		for i, r := range sent {
			ids[i] = r.id
			if err := writeAudit(ctx, tx, a, portal.AuditEvent{
				Action: portal.AuditResponseReminded, ObjectType: portal.AuditObjectSession, ObjectID: sessionID, NGOID: r.ngo,
			}); err != nil {
				return err
			}
		}
		return notifyReminded(ctx, tx, ids)
	})
	return n, err
}

// responseNoticeParams are the parameters of a notice about NGO g's answers
// to the requests of session s (with e its extension, or NULLs): the
// names, and the day its answers are due.
const responseNoticeParams = `jsonb_build_object('ngo_zh', g.name_zh, 'ngo_en', g.name_en,
	'session_zh', s.title_zh, 'session_en', s.title_en,
	'due', to_char(greatest(s.responses_due_on, e.due_on), 'YYYY-MM-DD'))`

// notifyAddressed tells the active staff of the NGOs that requests of
// session sessionID are addressed to (those of ngoIDs only, unless nil)
// that their NGO is asked to answer them, in the transaction that asks:
// nothing while the session has no date for the answers, since the NGOs
// cannot answer yet. occasion is "" when the federation first sets the
// date (one notice for all the requests), "r<id>" for request id addressed
// to the NGO after that.
func notifyAddressed(ctx context.Context, q querier, sessionID int64, occasion string, ngoIDs []int64) error {
	_, err := insertNoticeRows(ctx, q, portal.NotifyRequestAddressed, `
		SELECT u.id, s.id, $3::text, `+responseNoticeParams+`, '/ngo/sessions/' || s.id || '/responses'
		FROM sessions s
		JOIN (SELECT DISTINCT ngo_id FROM request_addressees WHERE session_id = $2) a ON true
		JOIN ngos g ON g.id = a.ngo_id
		JOIN users u ON u.ngo_id = g.id AND u.role = 'staff'
		LEFT JOIN response_extensions e ON e.session_id = s.id AND e.ngo_id = g.id
		WHERE s.id = $2 AND s.responses_due_on IS NOT NULL AND ($4::bigint[] IS NULL OR g.id = ANY($4))`,
		sessionID, occasion, ngoIDs)
	return err
}

// requestAddressees lists the NGOs request requestID is addressed to.
func requestAddressees(ctx context.Context, q querier, requestID int64) ([]int64, error) {
	rows, err := q.Query(ctx, `SELECT ngo_id FROM request_addressees WHERE request_id = $1 ORDER BY ngo_id`, requestID)
	if err != nil {
		return nil, fmt.Errorf("addressees of request %d: %w", requestID, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("addressees of request %d: %w", requestID, err)
	}
	return ids, nil
}

// notifyNewlyAddressed tells the NGOs request req is addressed to now and
// was not before (the addressees before the write) that they are asked to
// answer it, when the session's answers are asked for already.
func notifyNewlyAddressed(ctx context.Context, q querier, req portal.Request, before []int64) error {
	after, err := requestAddressees(ctx, q, req.ID)
	if err != nil {
		return err
	}
	added := slices.DeleteFunc(after, func(id int64) bool { return slices.Contains(before, id) })
	if len(added) == 0 {
		return nil
	}
	return notifyAddressed(ctx, q, req.SessionID, "r"+strconv.FormatInt(req.ID, 10), added)
}

// notifyReminded tells the active staff of each NGO reminded by one of the
// response_reminders rows ids to answer the session's requests, in the
// reminder's transaction; the occasion is the reminder's id, so each
// reminder is one notice.
func notifyReminded(ctx context.Context, q querier, ids []int64) error {
	_, err := insertNoticeRows(ctx, q, portal.NotifyResponseReminded, `
		SELECT u.id, s.id, m.id::text, `+responseNoticeParams+`, '/ngo/sessions/' || s.id || '/responses'
		FROM response_reminders m
		JOIN sessions s ON s.id = m.session_id
		JOIN ngos g ON g.id = m.ngo_id
		JOIN users u ON u.ngo_id = g.id AND u.role = 'staff'
		LEFT JOIN response_extensions e ON e.session_id = s.id AND e.ngo_id = g.id
		WHERE m.id = ANY($2)`, ids)
	return err
}

// ResponseExtensionFor reads NGO ngoID's extension at session sessionID.
// ErrNotFound when answers are not asked for at the session or no request
// is addressed to the NGO.
func (db *DB) ResponseExtensionFor(ctx context.Context, sessionID, ngoID int64) (portal.ResponseExtensionOf, error) {
	var e portal.ResponseExtensionOf
	err := db.pool.QueryRow(ctx, `
		SELECT n.id, n.name_zh, n.name_en, s.responses_due_on, x.due_on, coalesce(x.reason, '')
		FROM sessions s
		JOIN ngos n ON n.id = $2
		LEFT JOIN response_extensions x ON x.session_id = s.id AND x.ngo_id = n.id
		WHERE s.id = $1 AND s.responses_due_on IS NOT NULL
		  AND EXISTS (SELECT 1 FROM request_addressees a WHERE a.session_id = s.id AND a.ngo_id = n.id)`,
		sessionID, ngoID).Scan(&e.NGOID, &e.NameZH, &e.NameEN, &e.SessionDue, &e.DueOn, &e.Reason)
	if err != nil {
		return e, fmt.Errorf("extension of NGO %d at session %d: %w", ngoID, sessionID, translate(err))
	}
	return e, nil
}

// ExtendResponses gives NGO ngoID until ext.DueOn to answer the requests of
// session sessionID, or changes its extension. was is the extension the
// form showed (nil: none): a change since is ErrConflict. The day must come
// after the session's date (a *portal.ValidationError otherwise, checked
// against the locked session).
func (db *DB) ExtendResponses(ctx context.Context, a portal.Actor, sessionID, ngoID int64, ext portal.ResponseExtension, was *time.Time) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		var sessionDue, before *time.Time
		var reason string
		err := tx.QueryRow(ctx, `
			SELECT s.responses_due_on, x.due_on, coalesce(x.reason, '')
			FROM sessions s
			LEFT JOIN response_extensions x ON x.session_id = s.id AND x.ngo_id = $2
			WHERE s.id = $1 AND s.responses_due_on IS NOT NULL
			  AND EXISTS (SELECT 1 FROM request_addressees a WHERE a.session_id = s.id AND a.ngo_id = $2)
			FOR SHARE OF s`, sessionID, ngoID).Scan(&sessionDue, &before, &reason)
		if err != nil {
			return fmt.Errorf("extension of NGO %d at session %d: %w", ngoID, sessionID, translate(err))
		}
		if errs := ext.Validate(*sessionDue); len(errs) > 0 {
			return &portal.ValidationError{Fields: errs}
		}
		if !sameDay(before, was) {
			return fmt.Errorf("extension of NGO %d at session %d changed: %w", ngoID, sessionID, portal.ErrConflict)
		}
		if before != nil {
			// Lock the row: two admins saving from the same form must not both pass.
			var d time.Time
			if err := tx.QueryRow(ctx, `SELECT due_on FROM response_extensions WHERE session_id = $1 AND ngo_id = $2 FOR UPDATE`,
				sessionID, ngoID).Scan(&d); err != nil {
				return fmt.Errorf("extension of NGO %d: %w", ngoID, translate(err))
			}
			if !sameDay(&d, was) {
				return fmt.Errorf("extension of NGO %d at session %d changed: %w", ngoID, sessionID, portal.ErrConflict)
			}
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO response_extensions (session_id, ngo_id, due_on, reason, created_by)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (session_id, ngo_id) DO UPDATE
			SET due_on = excluded.due_on, reason = excluded.reason, created_by = excluded.created_by, created_at = now()
			WHERE $6::boolean`, sessionID, ngoID, ext.DueOn, ext.Reason, nullIfZero(a.UserID), before != nil)
		if err != nil {
			return fmt.Errorf("extend NGO %d at session %d: %w", ngoID, sessionID, err)
		}
		if tag.RowsAffected() == 0 {
			// Another admin granted one since the form was read.
			return fmt.Errorf("extension of NGO %d at session %d: %w", ngoID, sessionID, portal.ErrConflict)
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditResponseExtended, ObjectType: portal.AuditObjectSession, ObjectID: sessionID, NGOID: ngoID,
			Changes: portal.Diff(
				map[string]any{"due_on": dayOrNil(before), "reason": reason},
				map[string]any{"due_on": ext.DueOn.Format(time.DateOnly), "reason": ext.Reason}),
		})
	})
}
