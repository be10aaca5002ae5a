package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// sessionYear is the SQL of portal.SessionYear over sessions s left-joined
// to their cycle c.
const sessionYear = `coalesce(c.review_year, extract(year FROM s.held_on)::int - 1)`

// NGOTimeline reads NGO ngoID's history year by year, newest first
// (ErrNotFound when there is no such NGO). It sends a fixed number of
// statements whatever the number of years, reports, sessions or plan
// items: one query per kind of thing, each over all the NGO's years, in one
// read-only repeatable-read transaction so that the years agree with each
// other. Staff pages pass the signed-in user's NGO, never one from the URL.
func (db *DB) NGOTimeline(ctx context.Context, ngoID int64) (portal.Timeline, error) {
	tl := portal.Timeline{NGOID: ngoID}
	var t timelineRows
	err := db.readSnapshot(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT name_zh, name_en FROM ngos WHERE id = $1`, ngoID).
			Scan(&tl.NameZH, &tl.NameEN); err != nil {
			return translate(err)
		}
		for _, read := range []func(context.Context, pgx.Tx, int64) error{
			t.readCycles, t.readReports, t.readEvents, t.readActivities, t.readMedia,
			t.readSessions, t.readRequests, t.readPlanItems, t.readProgress,
		} {
			if err := read(ctx, tx, ngoID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return portal.Timeline{}, fmt.Errorf("timeline of NGO %d: %w", ngoID, err)
	}
	tl.Years = t.assemble()
	return tl, nil
}

// timelineRows are the rows of a timeline's queries, before they are put
// in their years.
type timelineRows struct {
	cycles   map[int]int64 // year under review → cycle
	reports  []timelineReportRow
	events   map[int64][]portal.TimelineEvent // by report
	figures  map[int64]*portal.IndicatorSet   // by accepted report
	sessions []timelineSessionRow             // oldest first
	requests []timelineRequestRow             // by session, then number
	items    []timelineItemRow                // by year, report's before addendum's, by position
	linked   map[int64][]string               // request → titles of the NGO's items linked to it
	progress map[int64][]timelineProgressRow  // plan item → the statuses given it, by position
}

type timelineReportRow struct {
	year   int
	report portal.TimelineReport
}

type timelineSessionRow struct {
	year    int
	session portal.TimelineSession
}

type timelineRequestRow struct {
	year           int
	request        portal.TimelineRequest
	nothingPlanned bool
}

type timelineItemRow struct {
	year    int
	inPlan  bool // of an accepted report or an addendum: part of the plan
	item    portal.TimelinePlanItem
	request []int64
}

// timelineProgressRow is a status an accepted report of the NGO's gives
// an earlier plan item.
type timelineProgressRow struct {
	year   int // the reporting year of the report giving it
	status portal.ProgressStatus
	note   string
}

func (t *timelineRows) readCycles(ctx context.Context, tx pgx.Tx, _ int64) error {
	rows, err := tx.Query(ctx, `SELECT review_year, id FROM reporting_cycles WHERE status <> 'draft'`)
	if err != nil {
		return fmt.Errorf("cycles: %w", err)
	}
	t.cycles = map[int]int64{}
	var year int
	var id int64
	if _, err := pgx.ForEachRow(rows, []any{&year, &id}, func() error { t.cycles[year] = id; return nil }); err != nil {
		return fmt.Errorf("cycles: %w", err)
	}
	return nil
}

func (t *timelineRows) readReports(ctx context.Context, tx pgx.Tx, ngoID int64) error {
	rows, err := tx.Query(ctx, `
		SELECT c.review_year, c.id, r.id, r.status
		FROM reports r JOIN reporting_cycles c ON c.id = r.cycle_id
		WHERE r.ngo_id = $1`, ngoID)
	if err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	var row timelineReportRow
	var cycleID int64
	_, err = pgx.ForEachRow(rows, []any{&row.year, &cycleID, &row.report.ID, &row.report.Status}, func() error {
		t.reports = append(t.reports, row)
		// A report's cycle is a year of the timeline even while a draft.
		t.cycles[row.year] = cycleID
		return nil
	})
	if err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	return nil
}

func (t *timelineRows) readEvents(ctx context.Context, tx pgx.Tx, ngoID int64) error {
	rows, err := tx.Query(ctx, `
		SELECT e.report_id, e.at, e.action, e.comment, coalesce(u.name::text, ''), coalesce(u.name_en::text, '')
		FROM report_events e
		JOIN reports r ON r.id = e.report_id
		LEFT JOIN users u ON u.id = e.actor_id
		WHERE r.ngo_id = $1
		ORDER BY e.at, e.id`, ngoID)
	if err != nil {
		return fmt.Errorf("report histories: %w", err)
	}
	t.events = map[int64][]portal.TimelineEvent{}
	var reportID int64
	var e portal.TimelineEvent
	_, err = pgx.ForEachRow(rows, []any{&reportID, &e.At, &e.Action, &e.Comment, &e.ActorName, &e.ActorNameEN}, func() error {
		t.events[reportID] = append(t.events[reportID], e)
		return nil
	})
	if err != nil {
		return fmt.Errorf("report histories: %w", err)
	}
	return nil
}

// figure returns the figures of accepted report id, made on first use.
func (t *timelineRows) figure(id int64) *portal.IndicatorSet {
	if t.figures == nil {
		t.figures = map[int64]*portal.IndicatorSet{}
	}
	s, ok := t.figures[id]
	if !ok {
		set := portal.NewIndicatorSet()
		s = &set
		t.figures[id] = s
	}
	return s
}

// readActivities counts the activities of the NGO's accepted reports by
// mode, and sums the people and women reached, as the cycle indicators do.
func (t *timelineRows) readActivities(ctx context.Context, tx pgx.Tx, ngoID int64) error {
	rows, err := tx.Query(ctx, `
		SELECT r.id, a.mode, a.kind, count(*), coalesce(sum(a.people_reached), 0), coalesce(sum(a.women_reached), 0)
		FROM report_activities a JOIN reports r ON r.id = a.report_id
		WHERE r.ngo_id = $1 AND r.status = 'accepted'
		GROUP BY r.id, a.mode, a.kind`, ngoID)
	if err != nil {
		return fmt.Errorf("activity figures: %w", err)
	}
	var reportID, people, women int64
	var mode portal.ActivityMode
	var kind portal.ActivityKind
	var n int
	_, err = pgx.ForEachRow(rows, []any{&reportID, &mode, &kind, &n, &people, &women}, func() error {
		s := t.figure(reportID)
		s.Activities += n
		s.ActivitiesByMode[mode] += n
		s.ActivitiesByKind[kind] += n
		s.PeopleReached += people
		s.WomenReached += women
		return nil
	})
	if err != nil {
		return fmt.Errorf("activity figures: %w", err)
	}
	return nil
}

// readMedia sums the new-media items and reads of the NGO's accepted
// reports by channel.
func (t *timelineRows) readMedia(ctx context.Context, tx pgx.Tx, ngoID int64) error {
	rows, err := tx.Query(ctx, `
		SELECT r.id, m.channel, coalesce(sum(m.items), 0)::bigint, coalesce(sum(m.reads), 0)::bigint
		FROM report_media m JOIN reports r ON r.id = m.report_id
		WHERE r.ngo_id = $1 AND r.status = 'accepted'
		GROUP BY r.id, m.channel`, ngoID)
	if err != nil {
		return fmt.Errorf("media figures: %w", err)
	}
	var reportID int64
	var channel portal.MediaChannel
	var f portal.MediaFigures
	_, err = pgx.ForEachRow(rows, []any{&reportID, &channel, &f.Items, &f.Reads}, func() error {
		s := t.figure(reportID)
		s.MediaItems += f.Items
		s.MediaReads += f.Reads
		s.MediaByChannel[channel] = f
		return nil
	})
	if err != nil {
		return fmt.Errorf("media figures: %w", err)
	}
	return nil
}

// readSessions lists the sessions of the timeline: those tied to a
// reporting cycle, whether the NGO was invited or not, and any other the
// NGO was invited to (an invitation withdrawn counts as none). Drafts are
// the federation's own until scheduled, and are left out.
func (t *timelineRows) readSessions(ctx context.Context, tx pgx.Tx, ngoID int64) error {
	rows, err := tx.Query(ctx, `
		SELECT `+sessionYear+`, s.id, s.title_zh, s.title_en, s.held_on, s.status,
		       i.id IS NOT NULL, coalesce(i.reply, 'none'), coalesce(i.decline_reason, ''),
		       coalesce(i.attendance, 'unknown'), coalesce(i.excuse_reason, ''),
		       coalesce((SELECT array_agg(p.name::text ORDER BY p.position)
		                 FROM representatives p WHERE p.invitation_id = i.id AND p.attended), '{}')
		FROM sessions s
		LEFT JOIN reporting_cycles c ON c.id = s.cycle_id
		LEFT JOIN invitations i ON i.session_id = s.id AND i.ngo_id = $1 AND i.withdrawn_at IS NULL
		WHERE s.status <> 'draft' AND (s.cycle_id IS NOT NULL OR i.id IS NOT NULL)
		ORDER BY s.held_on, s.id`, ngoID)
	if err != nil {
		return fmt.Errorf("sessions: %w", err)
	}
	t.sessions, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (timelineSessionRow, error) {
		var r timelineSessionRow
		s := &r.session
		err := row.Scan(&r.year, &s.ID, &s.TitleZH, &s.TitleEN, &s.HeldOn, &s.Status, &s.Invited, &s.Reply,
			&s.DeclineReason, &s.Attendance, &s.ExcuseReason, &s.Present)
		return r, err
	})
	if err != nil {
		return fmt.Errorf("sessions: %w", err)
	}
	return nil
}

// readRequests lists the requests addressed to the NGO at sessions that
// are not drafts, with its stored answer.
func (t *timelineRows) readRequests(ctx context.Context, tx pgx.Tx, ngoID int64) error {
	rows, err := tx.Query(ctx, `
		SELECT `+sessionYear+`, q.id, q.session_id, q.number, q.text_zh, q.text_en,
		       coalesce(rr.nothing_planned, false), coalesce(rr.reason, '')
		FROM request_addressees ad
		JOIN session_requests q ON q.id = ad.request_id
		JOIN sessions s ON s.id = q.session_id AND s.status <> 'draft'
		LEFT JOIN reporting_cycles c ON c.id = s.cycle_id
		LEFT JOIN request_responses rr ON rr.request_id = q.id AND rr.ngo_id = $1
		WHERE ad.ngo_id = $1
		ORDER BY s.held_on, q.session_id, q.number`, ngoID)
	if err != nil {
		return fmt.Errorf("requests: %w", err)
	}
	t.requests, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (timelineRequestRow, error) {
		var r timelineRequestRow
		q := &r.request
		err := row.Scan(&r.year, &q.ID, &q.SessionID, &q.Number, &q.TextZH, &q.TextEN, &r.nothingPlanned, &q.Reason)
		return r, err
	})
	if err != nil {
		return fmt.Errorf("requests: %w", err)
	}
	return nil
}

// readPlanItems lists the NGO's plan items, of its reports and its plan
// addenda, each with the year whose plan it belongs to and the requests it
// answers.
func (t *timelineRows) readPlanItems(ctx context.Context, tx pgx.Tx, ngoID int64) error {
	rows, err := tx.Query(ctx, `
		WITH items AS (
			SELECT p.id, p.title, p.position, false AS addendum, c.review_year AS year, r.status = 'accepted' AS in_plan
			FROM report_plan_items p
			JOIN reports r ON r.id = p.report_id
			JOIN reporting_cycles c ON c.id = r.cycle_id
			WHERE r.ngo_id = $1
			UNION ALL
			SELECT p.id, p.title, p.position, true, `+sessionYear+`, true
			FROM report_plan_items p
			JOIN plan_addenda a ON a.id = p.addendum_id
			JOIN sessions s ON s.id = a.session_id
			LEFT JOIN reporting_cycles c ON c.id = s.cycle_id
			-- The addenda's ids as an array, not a join alone: while no
			-- plan item has an addendum, the planner estimates that join
			-- at every plan item there is, and compiles the query (JIT)
			-- for longer than it takes to run.
			WHERE a.ngo_id = $1 AND p.addendum_id = ANY (ARRAY(SELECT id FROM plan_addenda WHERE ngo_id = $1))
		)
		SELECT i.year, i.in_plan, i.id, i.title, i.addendum,
		       ARRAY(SELECT q.id FROM report_plan_item_requests pr JOIN session_requests q ON q.id = pr.request_id
		             WHERE pr.plan_item_id = i.id ORDER BY q.number, q.id),
		       ARRAY(SELECT q.number FROM report_plan_item_requests pr JOIN session_requests q ON q.id = pr.request_id
		             WHERE pr.plan_item_id = i.id ORDER BY q.number, q.id)
		FROM items i
		ORDER BY i.year, i.addendum, i.position, i.id`, ngoID)
	if err != nil {
		return fmt.Errorf("plan items: %w", err)
	}
	t.items, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (timelineItemRow, error) {
		var r timelineItemRow
		it := &r.item
		var numbers []int32
		err := row.Scan(&r.year, &r.inPlan, &it.ID, &it.Title, &it.Addendum, &r.request, &numbers)
		for _, n := range numbers {
			it.Requests = append(it.Requests, int(n))
		}
		return r, err
	})
	if err != nil {
		return fmt.Errorf("plan items: %w", err)
	}
	t.linked = map[int64][]string{}
	for _, r := range t.items {
		for _, q := range r.request {
			t.linked[q] = append(t.linked[q], r.item.Title)
		}
	}
	return nil
}

// readProgress lists the statuses the NGO's accepted reports give earlier
// plan items, blanks left out. Which of them is an item's outcome (the
// next cycle's) is decided in assemble: matching the years in SQL made
// the planner's estimates, and the query, many times slower.
func (t *timelineRows) readProgress(ctx context.Context, tx pgx.Tx, ngoID int64) error {
	rows, err := tx.Query(ctx, `
		SELECT g.previous_plan_item_id, c.review_year, g.status, g.note
		FROM reports r
		JOIN reporting_cycles c ON c.id = r.cycle_id
		JOIN report_progress g ON g.report_id = r.id
		WHERE r.ngo_id = $1 AND r.status = 'accepted' AND g.previous_plan_item_id IS NOT NULL AND g.status <> ''
		ORDER BY g.report_id, g.position`, ngoID)
	if err != nil {
		return fmt.Errorf("plan item outcomes: %w", err)
	}
	t.progress = map[int64][]timelineProgressRow{}
	var itemID int64
	var p timelineProgressRow
	_, err = pgx.ForEachRow(rows, []any{&itemID, &p.year, &p.status, &p.note}, func() error {
		t.progress[itemID] = append(t.progress[itemID], p)
		return nil
	})
	if err != nil {
		return fmt.Errorf("plan item outcomes: %w", err)
	}
	return nil
}

// outcome is the outcome of plan item it: the first
// status the accepted report of the next year gives it.
func (t *timelineRows) outcome(it timelineItemRow) (portal.ProgressStatus, string) {
	for _, p := range t.progress[it.item.ID] {
		if p.year == it.year+1 {
			return p.status, p.note
		}
	}
	return portal.ProgressUnanswered, ""
}

// assemble puts the rows in their years, newest first.
func (t *timelineRows) assemble() []portal.TimelineYear {
	var recorded, cycles []int
	for y := range t.cycles {
		cycles = append(cycles, y)
	}
	for _, r := range t.reports {
		recorded = append(recorded, r.year)
	}
	for _, s := range t.sessions {
		if s.session.Invited {
			recorded = append(recorded, s.year)
		}
	}
	for _, q := range t.requests {
		recorded = append(recorded, q.year)
	}
	for _, it := range t.items {
		if it.item.Addendum {
			recorded = append(recorded, it.year)
		}
	}
	years := portal.TimelineYears(recorded, cycles)
	out := make([]portal.TimelineYear, len(years))
	byYear := make(map[int]*portal.TimelineYear, len(years))
	for i, y := range years {
		out[i] = portal.TimelineYear{Year: y, CycleID: t.cycles[y], Figures: portal.NewIndicatorSet()}
		byYear[y] = &out[i]
	}
	for _, r := range t.reports {
		y := byYear[r.year]
		rep := r.report
		rep.Events = t.events[rep.ID]
		y.Report = &rep
		if f, ok := t.figures[rep.ID]; ok && rep.Status == portal.ReportAccepted {
			y.Figures = *f
		}
		y.Counted = rep.Status == portal.ReportAccepted
	}
	for _, s := range t.sessions {
		if y, ok := byYear[s.year]; ok {
			y.Sessions = append(y.Sessions, s.session)
		}
	}
	for _, r := range t.requests {
		q := r.request
		q.Items = t.linked[q.ID]
		q.Status = portal.TimelineResponse(len(q.Items), r.nothingPlanned)
		if q.Status != portal.ResponseNothing {
			q.Reason = ""
		}
		byYear[r.year].Requests = append(byYear[r.year].Requests, q)
	}
	for _, r := range t.items {
		if !r.inPlan {
			continue
		}
		y := byYear[r.year]
		it := r.item
		status, note := t.outcome(r)
		it.Outcome, it.Note = portal.TimelineOutcome(status), note
		y.PlanItems = append(y.PlanItems, it)
		y.Outcomes.Add(it.Outcome)
	}
	return out
}
