-- The trends page's standing figures, kept ready: attendance, the on-time
-- rate and the plan completion rate of every cycle, read from a few rows per
-- cycle instead of joining every report, submission event, invitation, plan
-- item and progress row of the federation on each request.
--
-- cycle_ngo_trends holds one row per cycle and NGO that the figures count
-- (the NGO is expected to report in the cycle, or has plan items for its
-- plan year); cycle_trends the sums of those rows per cycle and group
-- (expected, submitted, due), so that the on-time rate's denominator, which
-- depends on the moment it is judged at, is a sum over a few groups. Both
-- are kept by triggers in the transaction that changes the rows the figures
-- come from, as 00012's figures are, so they cannot disagree with them.
--
-- The definitions are those of portal.CycleTrend (and of the queries the
-- page ran before this migration):
--   expected   the NGO has a report in the cycle (even a draft) or an
--              unwithdrawn invitation to the cycle's session unless cancelled
--   due        its effective deadline: its extension's, else the cycle's
--   submitted  its report has a 'submitted' event; on_time: the first one came
--              before the end of the due day in the federation's time zone,
--              UTC+8 (portal.FederationZone, a fixed offset), and it is expected
--   invited    an unwithdrawn invitation to the cycle's session when held or
--              closed; present: that invitation's attendance is 'present'
--   plan_*     the outcomes of its plan items for the cycle's plan year (its
--              accepted report's items and its addendum's in the cycle's
--              session) as its accepted report of the next cycle (review year
--              + 1) gives them: one count per matching progress row, blank or
--              none is not reported. Whether the next cycle has an accepted
--              report at all (else the figures are not known) is read from
--              cycle_figures.

-- +goose Up
CREATE TABLE cycle_ngo_trends (
    cycle_id          bigint NOT NULL, -- no foreign keys: the triggers remove the rows and move the sums
    ngo_id            bigint NOT NULL,
    expected          boolean NOT NULL,
    due               date NOT NULL,
    submitted         boolean NOT NULL,
    on_time           boolean NOT NULL,
    invited           boolean NOT NULL,
    present           boolean NOT NULL,
    plan_done         integer NOT NULL,
    plan_partly       integer NOT NULL,
    plan_not_done     integer NOT NULL,
    plan_not_reported integer NOT NULL,
    PRIMARY KEY (cycle_id, ngo_id)
);

-- ngos counts the cycle_ngo_trends rows summed into a row, so a group whose
-- last NGO leaves is removed.
CREATE TABLE cycle_trends (
    cycle_id          bigint NOT NULL REFERENCES reporting_cycles (id) ON DELETE CASCADE,
    expected          boolean NOT NULL,
    submitted         boolean NOT NULL,
    due               date NOT NULL,
    ngos              integer NOT NULL,
    on_time           integer NOT NULL,
    invited           integer NOT NULL,
    present           integer NOT NULL,
    plan_done         integer NOT NULL,
    plan_partly       integer NOT NULL,
    plan_not_done     integer NOT NULL,
    plan_not_reported integer NOT NULL,
    PRIMARY KEY (cycle_id, expected, submitted, due)
);

-- refresh_cycle_ngo_trends recomputes the rows of the (cycle, NGO) pairs
-- cids[i], nids[i] (a pair the figures do not count gets none) and moves the
-- cycles' sums by the difference.
-- +goose StatementBegin
CREATE FUNCTION refresh_cycle_ngo_trends(cids bigint[], nids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    WITH gone AS (
        DELETE FROM cycle_ngo_trends t USING unnest(cids, nids) AS p (cycle_id, ngo_id)
        WHERE t.cycle_id = p.cycle_id AND t.ngo_id = p.ngo_id
        RETURNING t.*
    ), s AS (
        SELECT cycle_id, expected, submitted, due, count(*) AS ngos,
               count(*) FILTER (WHERE on_time) AS on_time, count(*) FILTER (WHERE invited) AS invited,
               count(*) FILTER (WHERE present) AS present,
               sum(plan_done) AS plan_done, sum(plan_partly) AS plan_partly,
               sum(plan_not_done) AS plan_not_done, sum(plan_not_reported) AS plan_not_reported
        FROM gone GROUP BY cycle_id, expected, submitted, due
    )
    UPDATE cycle_trends c
    SET ngos = c.ngos - s.ngos, on_time = c.on_time - s.on_time, invited = c.invited - s.invited,
        present = c.present - s.present, plan_done = c.plan_done - s.plan_done,
        plan_partly = c.plan_partly - s.plan_partly, plan_not_done = c.plan_not_done - s.plan_not_done,
        plan_not_reported = c.plan_not_reported - s.plan_not_reported
    FROM s
    WHERE c.cycle_id = s.cycle_id AND c.expected = s.expected AND c.submitted = s.submitted AND c.due = s.due;
    DELETE FROM cycle_trends WHERE ngos <= 0;

    WITH p AS (
        SELECT DISTINCT c AS cycle_id, n AS ngo_id FROM unnest(cids, nids) AS u (c, n)
    ), calc AS (
        SELECT p.cycle_id, p.ngo_id,
               EXISTS (SELECT 1 FROM reports r WHERE r.cycle_id = p.cycle_id AND r.ngo_id = p.ngo_id)
               OR EXISTS (SELECT 1 FROM sessions s JOIN invitations i ON i.session_id = s.id
                          WHERE s.cycle_id = p.cycle_id AND s.status <> 'cancelled'
                            AND i.ngo_id = p.ngo_id AND i.withdrawn_at IS NULL) AS expected,
               coalesce(ext.deadline, c.deadline) AS due,
               f.first_at,
               coalesce(a.invited, false) AS invited, coalesce(a.present, false) AS present,
               pl.done, pl.partly, pl.not_done, pl.not_reported
        FROM p
        JOIN reporting_cycles c ON c.id = p.cycle_id
        LEFT JOIN cycle_extensions ext ON ext.cycle_id = p.cycle_id AND ext.ngo_id = p.ngo_id
        LEFT JOIN LATERAL (
            SELECT min(e.at) AS first_at
            FROM reports r JOIN report_events e ON e.report_id = r.id AND e.action = 'submitted'
            WHERE r.cycle_id = p.cycle_id AND r.ngo_id = p.ngo_id
        ) f ON true
        LEFT JOIN LATERAL (
            SELECT true AS invited, i.attendance = 'present' AS present
            FROM sessions s JOIN invitations i ON i.session_id = s.id AND i.ngo_id = p.ngo_id AND i.withdrawn_at IS NULL
            WHERE s.cycle_id = p.cycle_id AND s.status IN ('held', 'closed')
        ) a ON true
        CROSS JOIN LATERAL (
            SELECT count(*) FILTER (WHERE pr.status = 'done') AS done,
                   count(*) FILTER (WHERE pr.status = 'partly') AS partly,
                   count(*) FILTER (WHERE pr.status = 'not_done') AS not_done,
                   count(*) FILTER (WHERE coalesce(pr.status, '') = '') AS not_reported
            FROM (
                SELECT pi.id
                FROM reports r JOIN report_plan_items pi ON pi.report_id = r.id
                WHERE r.cycle_id = p.cycle_id AND r.ngo_id = p.ngo_id AND r.status = 'accepted'
                UNION ALL
                SELECT pi.id
                FROM sessions s
                JOIN plan_addenda ad ON ad.session_id = s.id AND ad.ngo_id = p.ngo_id
                JOIN report_plan_items pi ON pi.addendum_id = ad.id
                WHERE s.cycle_id = p.cycle_id
            ) x
            LEFT JOIN reporting_cycles n ON n.review_year = c.review_year + 1
            LEFT JOIN reports nr ON nr.cycle_id = n.id AND nr.ngo_id = p.ngo_id AND nr.status = 'accepted'
            LEFT JOIN report_progress pr ON pr.report_id = nr.id AND pr.previous_plan_item_id = x.id
        ) pl
    ), added AS (
        INSERT INTO cycle_ngo_trends (cycle_id, ngo_id, expected, due, submitted, on_time, invited, present,
                                      plan_done, plan_partly, plan_not_done, plan_not_reported)
        SELECT cycle_id, ngo_id, expected, due, first_at IS NOT NULL,
               coalesce(expected AND first_at < ((due + 1)::timestamp - interval '8 hours') AT TIME ZONE 'UTC', false),
               invited, present, done, partly, not_done, not_reported
        FROM calc
        WHERE expected OR done + partly + not_done + not_reported > 0
        RETURNING *
    )
    -- In key order, so that two transactions lock a cycle's rows in the
    -- same order (one waits; neither deadlocks).
    INSERT INTO cycle_trends AS c (cycle_id, expected, submitted, due, ngos, on_time, invited, present,
                                   plan_done, plan_partly, plan_not_done, plan_not_reported)
    SELECT cycle_id, expected, submitted, due, count(*),
           count(*) FILTER (WHERE on_time), count(*) FILTER (WHERE invited), count(*) FILTER (WHERE present),
           sum(plan_done), sum(plan_partly), sum(plan_not_done), sum(plan_not_reported)
    FROM added GROUP BY cycle_id, expected, submitted, due
    ORDER BY cycle_id, expected, submitted, due
    ON CONFLICT (cycle_id, expected, submitted, due) DO UPDATE
    SET ngos = c.ngos + excluded.ngos, on_time = c.on_time + excluded.on_time,
        invited = c.invited + excluded.invited, present = c.present + excluded.present,
        plan_done = c.plan_done + excluded.plan_done, plan_partly = c.plan_partly + excluded.plan_partly,
        plan_not_done = c.plan_not_done + excluded.plan_not_done,
        plan_not_reported = c.plan_not_reported + excluded.plan_not_reported;
END;
$$;
-- +goose StatementEnd

-- cycle_ngo_trends_changed is the triggers' function: its arguments are the
-- query that finds the (cycle, NGO) pairs a statement touched, with %1$s for
-- a transition table (for an update it runs on the new rows and on the old
-- ones), and for an update, the condition on
-- n (new) and o (old) rows joined by id under which a row counts as changed
-- (none: every updated row), so that saving a draft's text, or any column
-- the figures do not read, costs one look-up and no refresh.
-- +goose StatementBegin
CREATE FUNCTION cycle_ngo_trends_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    q    text;
    cids bigint[];
    nids bigint[];
BEGIN
    q := CASE TG_OP
        WHEN 'INSERT' THEN format(TG_ARGV[0], 'new_rows')
        WHEN 'DELETE' THEN format(TG_ARGV[0], 'old_rows')
        ELSE format(TG_ARGV[0], 'changed_new') || ' UNION ' || format(TG_ARGV[0], 'changed_old')
    END;
    IF TG_OP = 'UPDATE' AND TG_ARGV[1] IS NULL THEN
        q := 'WITH changed_new AS (SELECT * FROM new_rows), changed_old AS (SELECT * FROM old_rows) ' || q;
    ELSIF TG_OP = 'UPDATE' THEN
        q := format('WITH changed_new AS (SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE %1$s), '
                    'changed_old AS (SELECT o.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE %1$s) ',
                    TG_ARGV[1]) || q;
    END IF;
    EXECUTE 'SELECT array_agg(c), array_agg(n) FROM (' || q || ') AS t (c, n)' INTO cids, nids;
    IF cids IS NOT NULL THEN
        PERFORM refresh_cycle_ngo_trends(cids, nids);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        -- a report: its own pair, and the pair of the cycle before, whose plan items its progress rows report on
        ('reports', 'SELECT cycle_id, ngo_id FROM %1$s
                     UNION SELECT pc.id, x.ngo_id FROM %1$s x JOIN reporting_cycles c ON c.id = x.cycle_id
                     JOIN reporting_cycles pc ON pc.review_year = c.review_year - 1',
         '(n.cycle_id, n.ngo_id, n.status) IS DISTINCT FROM (o.cycle_id, o.ngo_id, o.status)'),
        ('report_events', 'SELECT r.cycle_id, r.ngo_id FROM %1$s x JOIN reports r ON r.id = x.report_id',
         '(n.report_id, n.action, n.at) IS DISTINCT FROM (o.report_id, o.action, o.at)'),
        ('report_plan_items', 'SELECT r.cycle_id, r.ngo_id FROM %1$s x JOIN reports r ON r.id = x.report_id
                     UNION SELECT s.cycle_id, a.ngo_id FROM %1$s x JOIN plan_addenda a ON a.id = x.addendum_id
                     JOIN sessions s ON s.id = a.session_id',
         '(n.report_id, n.addendum_id) IS DISTINCT FROM (o.report_id, o.addendum_id)'),
        ('plan_addenda', 'SELECT s.cycle_id, x.ngo_id FROM %1$s x JOIN sessions s ON s.id = x.session_id',
         '(n.session_id, n.ngo_id) IS DISTINCT FROM (o.session_id, o.ngo_id)'),
        ('report_progress', 'SELECT pc.id, r.ngo_id FROM %1$s x JOIN reports r ON r.id = x.report_id
                     JOIN reporting_cycles c ON c.id = r.cycle_id JOIN reporting_cycles pc ON pc.review_year = c.review_year - 1',
         '(n.report_id, n.previous_plan_item_id, n.status) IS DISTINCT FROM (o.report_id, o.previous_plan_item_id, o.status)'),
        ('invitations', 'SELECT s.cycle_id, x.ngo_id FROM %1$s x JOIN sessions s ON s.id = x.session_id',
         '(n.session_id, n.ngo_id, n.withdrawn_at IS NULL, n.attendance) IS DISTINCT FROM (o.session_id, o.ngo_id, o.withdrawn_at IS NULL, o.attendance)'),
        ('cycle_extensions', 'SELECT cycle_id, ngo_id FROM %1$s', NULL),
        -- a session's status or cycle: every pair of its cycle (also those
        -- whose invitations a deleted session took with it)
        ('sessions', 'SELECT x.cycle_id, i.ngo_id FROM %1$s x JOIN invitations i ON i.session_id = x.id
                     UNION SELECT x.cycle_id, a.ngo_id FROM %1$s x JOIN plan_addenda a ON a.session_id = x.id
                     UNION SELECT t.cycle_id, t.ngo_id FROM %1$s x JOIN cycle_ngo_trends t ON t.cycle_id = x.cycle_id',
         '(n.cycle_id, n.status) IS DISTINCT FROM (o.cycle_id, o.status)'),
        -- a cycle's deadline or year: its pairs and the year before's
        ('reporting_cycles', 'SELECT t.cycle_id, t.ngo_id FROM %1$s x JOIN cycle_ngo_trends t ON t.cycle_id = x.id
                     UNION SELECT t.cycle_id, t.ngo_id FROM %1$s x JOIN reporting_cycles pc ON pc.review_year = x.review_year - 1
                     JOIN cycle_ngo_trends t ON t.cycle_id = pc.id',
         '(n.deadline, n.review_year) IS DISTINCT FROM (o.deadline, o.review_year)')
    ) AS v (tab, pairs, changed)
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION cycle_ngo_trends_changed(%L)', t.tab || '_trends_ins', t.tab, t.pairs);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION cycle_ngo_trends_changed(%s)', t.tab || '_trends_upd', t.tab,
                       concat_ws(', ', quote_literal(t.pairs), quote_literal(t.changed)));
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION cycle_ngo_trends_changed(%L)', t.tab || '_trends_del', t.tab, t.pairs);
    END LOOP;
END;
$$;
-- +goose StatementEnd

-- The figures of the data before this migration: every pair expected or
-- with plan items.
SELECT refresh_cycle_ngo_trends(coalesce(array_agg(cycle_id), '{}'), coalesce(array_agg(ngo_id), '{}'))
FROM (
    SELECT cycle_id, ngo_id FROM reports
    UNION SELECT s.cycle_id, i.ngo_id FROM sessions s JOIN invitations i ON i.session_id = s.id WHERE s.cycle_id IS NOT NULL
    UNION SELECT s.cycle_id, a.ngo_id FROM sessions s JOIN plan_addenda a ON a.session_id = s.id WHERE s.cycle_id IS NOT NULL
) AS p;
