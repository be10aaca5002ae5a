package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// readinessRows is every NGO with an unwithdrawn invitation to session $1,
// with its report of cycle $2 (0: the session has none), its plan items,
// the representatives it named, its reply, the requests of session $3 (0:
// there is no previous session) addressed to it and those it answered, and
// one column per portal.ReadinessGap (the same rule as
// portal.ReadinessRow.Gaps). The report's dates are not here: the page
// reads them for its own rows only.
//
// Every figure is read as a range of an index or with a row the board
// reads anyway, from the session's invitations, its cycle's reports or the
// previous session's few requests, never by probing once per NGO nor by
// expanding the views request_addressees and plan_item_owners over every
// session and year:
//
//   - plan items and representatives are counts kept by triggers
//     (migration 00017), read for the whole cycle and session from one
//     range of an index each (no row: none): a report's plan items from
//     report_plan_item_counts, the representatives an NGO named (not
//     walk-ins) from invitation_representative_counts;
//   - asked is each request of the previous session with each NGO it is
//     addressed to (the rule of request_addressees: the unwithdrawn
//     invitations of that session for a request to all, else its
//     recipients; a pair comes from one branch only, so UNION ALL keeps it
//     once);
//   - done is each request of that session with each NGO that answered it:
//     that owns a plan item linked to it (the rule of plan_item_owners: the
//     link holds its item's NGO, migration 00014, so the pairs are read from
//     report_plan_item_requests_request_ngo_idx alone), or that said it plans
//     nothing for it (request_responses_nothing_idx); a pair may come more
//     than once, and answered counts the asked pairs found in it (IN, a
//     hashed subplan built once), so no step removes duplicates.
const readinessRows = `
	WITH inv AS (
		SELECT i.id, i.ngo_id, i.reply, i.decline_reason, i.late
		FROM invitations i
		WHERE i.session_id = $1 AND i.withdrawn_at IS NULL
	), q AS (
		SELECT q.id, q.addressed_to_all
		FROM session_requests q
		WHERE q.session_id = $3
	), asked AS (
		SELECT q.id AS request_id, i.ngo_id
		FROM q
		JOIN invitations i ON i.session_id = $3 AND i.withdrawn_at IS NULL
		WHERE q.addressed_to_all
		UNION ALL
		SELECT q.id, rc.ngo_id
		FROM q
		JOIN request_recipients rc ON rc.request_id = q.id
		WHERE NOT q.addressed_to_all
	), done AS (
		SELECT l.request_id, l.ngo_id
		FROM q
		JOIN report_plan_item_requests l ON l.request_id = q.id
		UNION ALL
		SELECT rr.request_id, rr.ngo_id
		FROM q
		JOIN request_responses rr ON rr.request_id = q.id AND rr.nothing_planned
	), answers AS (
		SELECT a.ngo_id, count(*) AS asked,
		       count(*) FILTER (WHERE (a.request_id, a.ngo_id) IN (SELECT request_id, ngo_id FROM done)) AS answered
		FROM asked a
		GROUP BY a.ngo_id
	), board AS (
		SELECT inv.id AS invitation_id, inv.ngo_id, n.name_zh, n.name_en,
		       coalesce(r.id, 0) AS report_id, coalesce(r.status, 'not_started') AS report_status,
		       coalesce(pc.plan_items, 0) AS plan_items, coalesce(rc.named, 0) AS reps,
		       inv.reply, inv.decline_reason, inv.late,
		       coalesce(an.asked, 0) AS asked, coalesce(an.answered, 0) AS answered
		FROM inv
		JOIN ngos n ON n.id = inv.ngo_id
		LEFT JOIN reports r ON r.cycle_id = $2 AND r.ngo_id = inv.ngo_id
		LEFT JOIN report_plan_item_counts pc ON pc.cycle_id = $2 AND pc.ngo_id = inv.ngo_id
		LEFT JOIN invitation_representative_counts rc ON rc.session_id = $1 AND rc.ngo_id = inv.ngo_id
		LEFT JOIN answers an ON an.ngo_id = inv.ngo_id
	), gaps AS (
		SELECT b.*,
		       ($2 <> 0 AND b.report_status NOT IN ('submitted', 'accepted')) AS no_report,
		       ($2 <> 0 AND b.plan_items = 0) AS no_plan,
		       b.reps = 0 AS no_reps,
		       b.reply <> 'confirmed' AS not_confirmed,
		       b.answered < b.asked AS unanswered
		FROM board b
	)`

// readinessMatch is the board's filter over gaps: which rows show $4
// names (a portal.ReadinessShow) and the name search $5 (a LIKE pattern,
// "" for every name).
const readinessMatch = `
	(CASE $4::text
		WHEN 'ready' THEN NOT (no_report OR no_plan OR no_reps OR not_confirmed OR unanswered)
		WHEN 'not_ready' THEN no_report OR no_plan OR no_reps OR not_confirmed OR unanswered
		WHEN 'no_report' THEN no_report
		WHEN 'no_plan' THEN no_plan
		WHEN 'no_reps' THEN no_reps
		WHEN 'not_confirmed' THEN not_confirmed
		WHEN 'unanswered' THEN unanswered
		ELSE true
	END)
	AND ($5::text = '' OR name_zh ILIKE $5 OR name_en ILIKE $5)`

// readinessOrder is the sort key of each column, ascending; the direction
// is added to it, and ties go by name.
var readinessOrder = map[portal.ReadinessSort]string{
	portal.SortReadinessReport: `CASE report_status WHEN 'not_started' THEN 0 WHEN 'draft' THEN 1
		WHEN 'submitted' THEN 2 WHEN 'returned' THEN 3 ELSE 4 END`,
	portal.SortReadinessPlan:    `plan_items`,
	portal.SortReadinessReps:    `reps`,
	portal.SortReadinessReply:   `CASE reply WHEN 'none' THEN 0 WHEN 'declined' THEN 1 ELSE 2 END`,
	portal.SortReadinessAnswers: `CASE WHEN asked = 0 THEN 1 ELSE answered::numeric / asked END`,
}

// ReadinessBoard returns session id's readiness board: the summary over
// every invited NGO, and the rows f asks for, filtered, sorted and paged
// in SQL. An offset past the last matching row is moved back to the last
// page, and the offset used is returned. Three statements, however many
// NGOs are invited (a fourth only for a page past the end).
func (db *DB) ReadinessBoard(ctx context.Context, id int64, f portal.ReadinessFilter) (portal.ReadinessBoard, int, error) {
	var b portal.ReadinessBoard
	var err error
	if b.Session, err = db.SessionByID(ctx, id); err != nil {
		return b, 0, err
	}
	var prev portal.Session
	err = db.pool.QueryRow(ctx, `SELECT `+sessionColumns+sessionFrom+`
		WHERE s.status IN ('held', 'closed') AND s.held_on < $1 AND s.id <> $2
		ORDER BY s.held_on DESC, s.id DESC
		LIMIT 1`, b.Session.HeldOn, id).Scan(sessionScanArgs(&prev)...)
	switch {
	case err == nil:
		b.Previous = &prev
	case !errors.Is(err, pgx.ErrNoRows):
		return b, 0, fmt.Errorf("session %d: previous session: %w", id, err)
	}
	offset := f.Offset
	if f.Limit <= 0 {
		offset = 0
	}
	if err := db.readinessPage(ctx, &b, f, offset); err != nil {
		return b, 0, err
	}
	if len(b.Rows) == 0 && offset > 0 {
		offset = max(0, (b.Matching-1)/f.Limit*f.Limit)
		if b.Matching > 0 {
			if err := db.readinessPage(ctx, &b, f, offset); err != nil {
				return b, 0, err
			}
		}
	}
	return b, offset, nil
}

// readinessPage reads the summary and one page of rows into b, in one
// statement: the rows are computed once (a CTE used twice is
// materialised), counted over all of them, then filtered and cut by one
// sort that keeps only the page (a top-N sort); the page's few rows get
// their report's dates and are put in order again once the summary is
// joined. The summary comes back on every row, and alone (with NULL row
// columns) when the page is empty.
func (db *DB) readinessPage(ctx context.Context, b *portal.ReadinessBoard, f portal.ReadinessFilter, offset int) error {
	id := b.Session.ID
	prevID := int64(0)
	if b.Previous != nil {
		prevID = b.Previous.ID
	}
	show := f.Show
	if show == "" {
		show = portal.ShowAll
	}
	var limit any // NULL: every row
	if f.Limit > 0 {
		limit = f.Limit
	}
	dir := " ASC"
	if f.Desc {
		dir = " DESC"
	}
	// Names in the reader's order: English names alphabetically (then the
	// Chinese, as the registry does), else Chinese names by pinyin; both
	// columns carry their ICU collation.
	names := `CASE WHEN $6 THEN name_en END%[1]s, name_zh%[1]s, ngo_id%[1]s`
	order := fmt.Sprintf(names, dir)
	if key, ok := readinessOrder[f.Sort]; ok {
		order = key + dir + ", " + fmt.Sprintf(names, " ASC")
	}
	rows, err := db.pool.Query(ctx, readinessRows+`, summary AS (
		SELECT count(*) AS invited,
		       count(*) FILTER (WHERE NOT (no_report OR no_plan OR no_reps OR not_confirmed OR unanswered)) AS ready,
		       count(*) FILTER (WHERE no_report) AS no_report, count(*) FILTER (WHERE no_plan) AS no_plan,
		       count(*) FILTER (WHERE no_reps) AS no_reps, count(*) FILTER (WHERE not_confirmed) AS not_confirmed,
		       count(*) FILTER (WHERE unanswered) AS unanswered,
		       count(*) FILTER (WHERE `+readinessMatch+`) AS matching
		FROM gaps
	), page AS (
		SELECT g.*, r.submitted_at, r.accepted_at
		FROM (
			SELECT * FROM gaps
			WHERE `+readinessMatch+`
			ORDER BY `+order+`
			LIMIT $7 OFFSET $8
		) g
		LEFT JOIN reports r ON r.id = g.report_id
	)
	SELECT s.invited, s.ready, s.no_report, s.no_plan, s.no_reps, s.not_confirmed, s.unanswered, s.matching,
	       p.invitation_id, p.ngo_id, p.name_zh, p.name_en, p.report_id, p.report_status,
	       p.submitted_at, p.accepted_at, p.plan_items, p.reps, p.reply, p.decline_reason, p.late, p.asked, p.answered
	FROM summary s
	LEFT JOIN page p ON true
	ORDER BY `+order, id, b.Session.CycleID, prevID, string(show), likePattern(f.Query), f.English, limit, offset)
	if err != nil {
		return fmt.Errorf("session %d: readiness board: %w", id, err)
	}
	defer rows.Close()
	b.Rows = nil
	for rows.Next() {
		s := portal.ReadinessSummary{Gaps: map[portal.ReadinessGap]int{}}
		var noReport, noPlan, noReps, notConfirmed, unanswered int
		var inv, ngo, report, plan, reps, asked, answered *int64
		var nameZH, nameEN, status, reply, reason *string
		var submitted, accepted *time.Time
		var late *bool
		if err := rows.Scan(&s.Invited, &s.Ready, &noReport, &noPlan, &noReps, &notConfirmed, &unanswered, &b.Matching,
			&inv, &ngo, &nameZH, &nameEN, &report, &status, &submitted, &accepted, &plan, &reps,
			&reply, &reason, &late, &asked, &answered); err != nil {
			return fmt.Errorf("session %d: readiness board: %w", id, err)
		}
		s.Gaps[portal.GapReport], s.Gaps[portal.GapPlan], s.Gaps[portal.GapReps] = noReport, noPlan, noReps
		s.Gaps[portal.GapReply], s.Gaps[portal.GapAnswers] = notConfirmed, unanswered
		b.Summary = s
		if inv == nil {
			continue // the summary alone: the page is empty
		}
		r := portal.ReadinessRow{InvitationID: *inv, NGOID: *ngo, NGONameZH: *nameZH, NGONameEN: *nameEN,
			ReportID: *report, ReportStatus: portal.ReportStatus(*status), PlanItems: int(*plan),
			Representatives: int(*reps), Reply: portal.Reply(*reply), DeclineReason: *reason, Late: *late,
			Requests: int(*asked), Answered: int(*answered)}
		if submitted != nil {
			r.SubmittedAt = *submitted
		}
		if accepted != nil {
			r.AcceptedAt = *accepted
		}
		b.Rows = append(b.Rows, r)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("session %d: readiness board: %w", id, err)
	}
	return nil
}
