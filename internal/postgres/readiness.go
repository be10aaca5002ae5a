package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// readinessRows is every NGO with an unwithdrawn invitation to session $1,
// with its report of the session's cycle ($2, 0 when it has none; not
// started when there is no report), its plan items, the representatives it
// named, its reply, the requests of session $3 (0: there is no previous
// session) addressed to it and those it answered, and one column per
// portal.ReadinessGap (the same rule as portal.ReadinessRow.Gaps). The
// report's dates and the reason of a decline are not here: the page reads
// them for its own rows only.
//
// The figures are kept by triggers (migration 00022): readiness_rows holds
// a row per invitation with its report's status and counts and the NGO's
// names (migration 00029), and request_answer_counts how many of a
// session's requests each NGO was asked and answered, each read as one
// range of its primary key, or a page by name as one range of a name
// index. Their definitions are readiness_rows_of and
// request_answer_counts_of in those migrations. The CTE is not
// materialised: the summary reads it whole, the page only as far as it
// needs.
const readinessRows = `
	WITH gaps AS NOT MATERIALIZED (
		SELECT b.invitation_id, b.ngo_id, b.name_zh, b.name_en, b.report_id, b.report_status,
		       b.plan_items, b.reps, b.reply, b.late,
		       coalesce(an.asked, 0) AS asked, coalesce(an.answered, 0) AS answered,
		       ($2 <> 0 AND b.report_status NOT IN ('submitted', 'accepted')) AS no_report,
		       ($2 <> 0 AND b.plan_items = 0) AS no_plan,
		       b.reps = 0 AS no_reps,
		       b.reply <> 'confirmed' AS not_confirmed,
		       coalesce(an.answered, 0) < coalesce(an.asked, 0) AS unanswered
		FROM readiness_rows b
		LEFT JOIN request_answer_counts an ON an.session_id = $3 AND an.ngo_id = b.ngo_id
		WHERE b.session_id = $1
	)`

// readinessShow is the board's filter over gaps: which rows show $4
// names (a portal.ReadinessShow).
const readinessShow = `
	(CASE $4::text
		WHEN 'ready' THEN NOT (no_report OR no_plan OR no_reps OR not_confirmed OR unanswered)
		WHEN 'not_ready' THEN no_report OR no_plan OR no_reps OR not_confirmed OR unanswered
		WHEN 'no_report' THEN no_report
		WHEN 'no_plan' THEN no_plan
		WHEN 'no_reps' THEN no_reps
		WHEN 'not_confirmed' THEN not_confirmed
		WHEN 'unanswered' THEN unanswered
		ELSE true
	END)`

// readinessSearch keeps the rows whose either name matches the name search
// $5 (a LIKE pattern, not "").
const readinessSearch = `(name_zh ILIKE $5 OR name_en ILIKE $5)`

// readinessMatch is readinessShow and, unless $5 is "", readinessSearch.
const readinessMatch = readinessShow + `
	AND ($5::text = '' OR ` + readinessSearch + `)`

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
// page, and the offset used is returned. Two statements, however many
// NGOs are invited (a third only for a page past the end).
func (db *DB) ReadinessBoard(ctx context.Context, id int64, f portal.ReadinessFilter) (portal.ReadinessBoard, int, error) {
	var b portal.ReadinessBoard
	var err error
	if b.Session, b.Previous, err = sessionAndPrevious(ctx, db.pool, id); err != nil {
		return b, 0, err
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

// sessionAndPrevious returns session id and the session held or closed
// last before it (nil when there is none), in one statement: the session
// comes first, the previous one, if any, second.
func sessionAndPrevious(ctx context.Context, q querier, id int64) (portal.Session, *portal.Session, error) {
	rows, err := q.Query(ctx, `
		(SELECT 0 AS nth, `+sessionColumns+sessionFrom+` WHERE s.id = $1)
		UNION ALL
		(SELECT 1, `+sessionColumns+sessionFrom+`
		 WHERE s.status IN ('held', 'closed') AND s.id <> $1
		   AND s.held_on < (SELECT held_on FROM sessions WHERE id = $1)
		 ORDER BY s.held_on DESC, s.id DESC
		 LIMIT 1)
		ORDER BY nth`, id)
	if err != nil {
		return portal.Session{}, nil, fmt.Errorf("session %d and the one before: %w", id, err)
	}
	found, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.Session, error) {
		var nth int
		var s portal.Session
		err := row.Scan(append([]any{&nth}, sessionScanArgs(&s)...)...)
		return s, err
	})
	if err != nil {
		return portal.Session{}, nil, fmt.Errorf("session %d and the one before: %w", id, err)
	}
	switch len(found) {
	case 0:
		return portal.Session{}, nil, fmt.Errorf("session %d: %w", id, portal.ErrNotFound)
	case 1:
		return found[0], nil, nil
	}
	return found[0], &found[1], nil
}

// readinessPage reads the summary and one page of rows into b, in one
// statement: the summary counts every row, the page is cut by the sort
// (read in order from a name index of readiness_rows when sorted by name,
// else a top-N sort); the page's few rows get their report's dates and are
// put in order again once the summary is joined. The summary comes back on
// every row, and alone (with NULL row columns) when the page is empty.
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
	// columns carry their ICU collation. Written out rather than chosen by
	// a parameter, so that a page by name reads a name index of
	// readiness_rows in its order.
	names := `name_zh%[1]s, ngo_id%[1]s`
	if f.English {
		names = `name_en%[1]s, name_zh%[1]s, ngo_id%[1]s`
	}
	order := fmt.Sprintf(names, dir)
	if key, ok := readinessOrder[f.Sort]; ok {
		order = key + dir + ", " + fmt.Sprintf(names, " ASC")
	}
	// The rows the page is chosen from, and how many match. A name search
	// is matched once per row, in a CTE that both read: ILIKE under an
	// ICU collation costs about 1.4 µs a name, about 3 ms a pass over
	// 2,000 NGOs.
	found, matching, match := "", "count(*) FILTER (WHERE "+readinessMatch+")", readinessMatch
	from := "gaps"
	if f.Query != "" {
		found = `, found AS MATERIALIZED (SELECT * FROM gaps WHERE ` + readinessSearch + `)`
		matching = `(SELECT count(*) FROM found WHERE ` + readinessShow + `)`
		match, from = readinessShow, "found"
	}
	rows, err := db.pool.Query(ctx, readinessRows+found+`, summary AS (
		SELECT count(*) AS invited,
		       count(*) FILTER (WHERE NOT (no_report OR no_plan OR no_reps OR not_confirmed OR unanswered)) AS ready,
		       count(*) FILTER (WHERE no_report) AS no_report, count(*) FILTER (WHERE no_plan) AS no_plan,
		       count(*) FILTER (WHERE no_reps) AS no_reps, count(*) FILTER (WHERE not_confirmed) AS not_confirmed,
		       count(*) FILTER (WHERE unanswered) AS unanswered,
		       `+matching+` AS matching
		FROM gaps
	), page AS (
		SELECT g.*, r.submitted_at, r.accepted_at, i.decline_reason
		FROM (
			SELECT * FROM `+from+`
			WHERE `+match+`
			ORDER BY `+order+`
			LIMIT $6 OFFSET $7
		) g
		LEFT JOIN reports r ON r.id = g.report_id
		JOIN invitations i ON i.id = g.invitation_id
	)
	SELECT s.invited, s.ready, s.no_report, s.no_plan, s.no_reps, s.not_confirmed, s.unanswered, s.matching,
	       p.invitation_id, p.ngo_id, p.name_zh, p.name_en, p.report_id, p.report_status,
	       p.submitted_at, p.accepted_at, p.plan_items, p.reps, p.reply, p.decline_reason, p.late, p.asked, p.answered
	FROM summary s
	LEFT JOIN page p ON true
	ORDER BY `+order, id, b.Session.CycleID, prevID, string(show), likePattern(f.Query), limit, offset)
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
