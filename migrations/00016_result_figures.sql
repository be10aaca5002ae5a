-- Requests to results at the size of a large federation. The page of a
-- session's results judged every plan item of its plan year on each
-- request (about 20,000 items and as many outcome look-ups at 2,000 NGOs),
-- three times: for the requests, for the totals by theme and key project,
-- and for the NGOs' completion rates (about 300 ms in all). The outcome
-- counts are now kept per session and NGO, so the page sums a few rows
-- per NGO instead.
--
-- result_figures holds, for each session and NGO, the outcome counts of
-- the NGO's plan items the session's results count, in one row per
-- dimension and key:
--   all      0                    the counted items (those of an accepted
--                                 report of the session's cycle, and those of
--                                 the NGO's plan addendum to the session)
--   theme    theme id, 0 for none the counted items by theme (an item with two
--                                 themes counts in both)
--   project  key project id, 0    the counted items by key project
--   request  request id           every item linked to the session's request,
--                                 counted or not; pending: those not counted
--                                 yet (their report is not accepted)
-- An item's outcome is the status the NGO's accepted report of the next
-- cycle gives it (its first progress row naming the item), else
-- not_reported: the rule of portal.Outcome. A row exists only for a
-- figure with at least one item.
--
-- The rows are recomputed from the base tables, one (session, NGO) pair at
-- a time, by statement-level triggers on every table the figures come
-- from, in the transaction that writes them: result_figures_of is the one
-- definition of the figures, used by the refresh and by the tests that
-- hold the table to it. Two transactions refreshing the same NGO are
-- serialised on the NGO's row (FOR NO KEY UPDATE, which does not block the
-- foreign key checks of other writers), so the second recomputes after the
-- first has committed and neither can insert a row the other inserted.

-- +goose Up
CREATE TABLE result_figures (
    session_id   bigint NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    dimension    text NOT NULL CHECK (dimension IN ('all', 'theme', 'project', 'request')),
    key          bigint NOT NULL,
    ngo_id       bigint NOT NULL, -- no foreign key: deleting an NGO deletes its reports, whose trigger removes its rows
    done         integer NOT NULL,
    partly       integer NOT NULL,
    not_done     integer NOT NULL,
    not_reported integer NOT NULL,
    pending      integer NOT NULL,
    -- the counts in the key's leaf: a session's figures are read by an
    -- index-only scan
    PRIMARY KEY (session_id, dimension, key, ngo_id) INCLUDE (done, partly, not_done, not_reported, pending)
);
CREATE INDEX result_figures_ngo_idx ON result_figures (session_id, ngo_id);

-- result_figures_of computes the rows of the pairs (sids[i], nids[i]).
-- +goose StatementBegin
CREATE FUNCTION result_figures_of(sids bigint[], nids bigint[]) RETURNS SETOF result_figures LANGUAGE sql STABLE AS $$
    WITH pairs AS (
        SELECT DISTINCT u.s, u.n FROM unnest(sids, nids) AS u (s, n) WHERE u.s IS NOT NULL AND u.n IS NOT NULL
    ), scope AS (
        SELECT p.s AS session_id, p.n AS ngo_id, se.cycle_id,
               (SELECT nc.id FROM reporting_cycles nc WHERE nc.review_year = c.review_year + 1) AS next_cycle_id
        FROM pairs p
        JOIN sessions se ON se.id = p.s
        LEFT JOIN reporting_cycles c ON c.id = se.cycle_id
    ), items AS (
        SELECT sc.session_id, sc.ngo_id, sc.next_cycle_id, p.id, p.key_project_id, r.status = 'accepted' AS counted
        FROM scope sc
        JOIN reports r ON r.cycle_id = sc.cycle_id AND r.ngo_id = sc.ngo_id
        JOIN report_plan_items p ON p.report_id = r.id
        UNION ALL
        SELECT sc.session_id, sc.ngo_id, sc.next_cycle_id, p.id, p.key_project_id, true
        FROM scope sc
        JOIN plan_addenda a ON a.session_id = sc.session_id AND a.ngo_id = sc.ngo_id
        JOIN report_plan_items p ON p.addendum_id = a.id
    ), judged AS MATERIALIZED (
        SELECT i.session_id, i.ngo_id, i.id, i.key_project_id, i.counted,
               coalesce((SELECT rp.status
                         FROM reports nr
                         JOIN report_progress rp ON rp.report_id = nr.id
                         WHERE nr.cycle_id = i.next_cycle_id AND nr.ngo_id = i.ngo_id AND nr.status = 'accepted'
                           AND rp.previous_plan_item_id = i.id AND rp.status <> ''
                         ORDER BY rp.position LIMIT 1), 'not_reported') AS outcome
        FROM items i
    ), grouped AS (
        SELECT j.session_id, 'all' AS dimension, 0::bigint AS key, j.ngo_id, j.outcome, false AS pending
        FROM judged j WHERE j.counted
        UNION ALL
        SELECT j.session_id, 'theme', coalesce(t.theme_id, 0), j.ngo_id, j.outcome, false
        FROM judged j LEFT JOIN report_plan_item_themes t ON t.plan_item_id = j.id
        WHERE j.counted
        UNION ALL
        SELECT j.session_id, 'project', coalesce(j.key_project_id, 0), j.ngo_id, j.outcome, false
        FROM judged j WHERE j.counted
        UNION ALL
        SELECT j.session_id, 'request', l.request_id, j.ngo_id, j.outcome, NOT j.counted
        FROM judged j
        JOIN report_plan_item_requests l ON l.plan_item_id = j.id
        JOIN session_requests q ON q.id = l.request_id AND q.session_id = j.session_id
    )
    SELECT g.session_id, g.dimension, g.key, g.ngo_id,
           (count(*) FILTER (WHERE g.outcome = 'done'))::integer,
           (count(*) FILTER (WHERE g.outcome = 'partly'))::integer,
           (count(*) FILTER (WHERE g.outcome = 'not_done'))::integer,
           (count(*) FILTER (WHERE g.outcome = 'not_reported'))::integer,
           (count(*) FILTER (WHERE g.pending))::integer
    FROM grouped g
    GROUP BY g.session_id, g.dimension, g.key, g.ngo_id
$$;
-- +goose StatementEnd

-- result_totals gives a session's totals (the counted items of all its
-- NGOs, all and by theme and key project) without summing every NGO's
-- rows: a session's totals are the sums of its rows here, grouped by
-- dimension and key. The table is a log of changes: each refresh that
-- changes a counted figure inserts the difference, and never updates a
-- row, so refreshes of different NGOs (two reports accepted at once) take
-- no lock on it and cannot deadlock. A refresh that finds more than
-- result_totals_max rows for a session folds them into one row per figure
-- (deleting the rows it sums and skipping rows another writer holds: a
-- row is folded once, and folders never wait for each other). Saving a
-- draft changes no counted figure, so it adds no row.
CREATE TABLE result_totals (
    session_id   bigint NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    dimension    text NOT NULL CHECK (dimension IN ('all', 'theme', 'project')),
    key          bigint NOT NULL,
    done         integer NOT NULL,
    partly       integer NOT NULL,
    not_done     integer NOT NULL,
    not_reported integer NOT NULL
);
CREATE INDEX result_totals_session_idx ON result_totals (session_id) INCLUDE (dimension, key, done, partly, not_done, not_reported);

-- refresh_result_figures replaces the rows of the pairs (sids[i], nids[i])
-- and logs the change of the sessions' totals.
-- +goose StatementBegin
CREATE FUNCTION refresh_result_figures(sids bigint[], nids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    fresh result_figures[];
    s bigint;
BEGIN
    IF coalesce(cardinality(sids), 0) = 0 THEN
        RETURN;
    END IF;
    -- In id order, so that two refreshes of several NGOs wait for each
    -- other instead of deadlocking.
    PERFORM 1 FROM ngos WHERE id IN (SELECT unnest(nids)) ORDER BY id FOR NO KEY UPDATE;
    SELECT array_agg(f) INTO fresh FROM result_figures_of(sids, nids) f;

    INSERT INTO result_totals (session_id, dimension, key, done, partly, not_done, not_reported)
    SELECT d.session_id, d.dimension, d.key, sum(d.done), sum(d.partly), sum(d.not_done), sum(d.not_reported)
    FROM (
        SELECT n.session_id, n.dimension, n.key, n.done, n.partly, n.not_done, n.not_reported
        FROM unnest(fresh) n
        WHERE n.dimension <> 'request'
        UNION ALL
        SELECT o.session_id, o.dimension, o.key, -o.done, -o.partly, -o.not_done, -o.not_reported
        FROM result_figures o
        JOIN (SELECT DISTINCT u.s, u.n FROM unnest(sids, nids) AS u (s, n)) p ON o.session_id = p.s AND o.ngo_id = p.n
        WHERE o.dimension <> 'request'
    ) d
    GROUP BY d.session_id, d.dimension, d.key
    HAVING sum(d.done) <> 0 OR sum(d.partly) <> 0 OR sum(d.not_done) <> 0 OR sum(d.not_reported) <> 0;

    DELETE FROM result_figures f
    USING (SELECT DISTINCT u.s, u.n FROM unnest(sids, nids) AS u (s, n)) p
    WHERE f.session_id = p.s AND f.ngo_id = p.n;
    INSERT INTO result_figures SELECT * FROM unnest(fresh);

    FOR s IN
        SELECT t.session_id FROM result_totals t
        WHERE t.session_id IN (SELECT unnest(sids))
        GROUP BY t.session_id HAVING count(*) > result_totals_max()
    LOOP
        -- Only rows no one else holds: two writers folding at once never
        -- wait for each other (each folds what it could lock).
        WITH picked AS (
            SELECT ctid AS row_id FROM result_totals WHERE session_id = s FOR UPDATE SKIP LOCKED
        ), folded AS (
            DELETE FROM result_totals
            WHERE session_id = s AND ctid IN (SELECT row_id FROM picked)
            RETURNING dimension, key, done, partly, not_done, not_reported
        )
        INSERT INTO result_totals (session_id, dimension, key, done, partly, not_done, not_reported)
        SELECT s, dimension, key, sum(done), sum(partly), sum(not_done), sum(not_reported)
        FROM folded
        GROUP BY dimension, key
        HAVING sum(done) <> 0 OR sum(partly) <> 0 OR sum(not_done) <> 0 OR sum(not_reported) <> 0;
    END LOOP;
END;
$$;
-- +goose StatementEnd

-- result_totals_max is how many rows of result_totals a session may have
-- before a refresh folds them: a session's totals read at most this many
-- rows (and one per figure more for the changes since).
CREATE FUNCTION result_totals_max() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 200';

-- refresh_result_sessions recomputes every pair of the sessions ids: each
-- NGO with a report of the session's cycle or a plan addendum to it, and
-- each that has rows now.
-- +goose StatementBegin
CREATE FUNCTION refresh_result_sessions(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    s bigint[];
    n bigint[];
BEGIN
    SELECT array_agg(p.sid), array_agg(p.nid) INTO s, n
    FROM (
        SELECT se.id AS sid, r.ngo_id AS nid FROM sessions se JOIN reports r ON r.cycle_id = se.cycle_id WHERE se.id = ANY (ids)
        UNION
        SELECT a.session_id, a.ngo_id FROM plan_addenda a WHERE a.session_id = ANY (ids)
        UNION
        SELECT f.session_id, f.ngo_id FROM result_figures f WHERE f.session_id = ANY (ids)
    ) p;
    PERFORM refresh_result_figures(s, n);
END;
$$;
-- +goose StatementEnd

-- result_figures_changed finds the pairs a statement touched, from its
-- transition tables (argument: which table), and refreshes them.
--   reports          an NGO's report of cycle C: the sessions of C (its
--                    items) and of the cycle before (its outcomes)
--   report_progress  through its report: the sessions of the cycle before
--   report_plan_items, and the themes and request links of a plan item:
--                    the sessions of its report's cycle, or its addendum's
--   plan_addenda     its session
-- +goose StatementBegin
CREATE FUNCTION result_figures_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    source text := CASE TG_ARGV[0]
        WHEN 'reports' THEN
            'SELECT s.id, x.ngo_id FROM %s x
             JOIN reporting_cycles c ON c.id = x.cycle_id
             JOIN reporting_cycles pc ON pc.review_year IN (c.review_year, c.review_year - 1)
             JOIN sessions s ON s.cycle_id = pc.id'
        WHEN 'report_progress' THEN
            'SELECT s.id, r.ngo_id FROM %s x
             JOIN reports r ON r.id = x.report_id
             JOIN reporting_cycles c ON c.id = r.cycle_id
             JOIN reporting_cycles pc ON pc.review_year = c.review_year - 1
             JOIN sessions s ON s.cycle_id = pc.id'
        WHEN 'report_plan_items' THEN
            'SELECT s.id, r.ngo_id FROM %1$s x JOIN reports r ON r.id = x.report_id JOIN sessions s ON s.cycle_id = r.cycle_id
             UNION ALL
             SELECT a.session_id, a.ngo_id FROM %1$s x JOIN plan_addenda a ON a.id = x.addendum_id'
        WHEN 'plan_item' THEN
            'SELECT s.id, r.ngo_id FROM %1$s x JOIN report_plan_items p ON p.id = x.plan_item_id
             JOIN reports r ON r.id = p.report_id JOIN sessions s ON s.cycle_id = r.cycle_id
             UNION ALL
             SELECT a.session_id, a.ngo_id FROM %1$s x JOIN report_plan_items p ON p.id = x.plan_item_id
             JOIN plan_addenda a ON a.id = p.addendum_id'
        ELSE -- plan_addenda
            'SELECT x.session_id, x.ngo_id FROM %s x'
    END;
    q text;
    s bigint[];
    n bigint[];
BEGIN
    q := CASE TG_OP
        WHEN 'INSERT' THEN format(source, 'new_rows')
        WHEN 'DELETE' THEN format(source, 'old_rows')
        ELSE format(source, 'new_rows') || ' UNION ALL ' || format(source, 'old_rows')
    END;
    EXECUTE 'SELECT array_agg(sid), array_agg(nid) FROM (SELECT DISTINCT * FROM (' || q || ') AS t (sid, nid)) AS d' INTO s, n;
    PERFORM refresh_result_figures(s, n);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('reports', 'reports'), ('report_progress', 'report_progress'),
                                   ('report_plan_items', 'report_plan_items'), ('report_plan_item_themes', 'plan_item'),
                                   ('report_plan_item_requests', 'plan_item'), ('plan_addenda', 'plan_addenda')) AS v (tab, arg)
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION result_figures_changed(%L)', t.tab || '_results_ins', t.tab, t.arg);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION result_figures_changed(%L)', t.tab || '_results_upd', t.tab, t.arg);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION result_figures_changed(%L)', t.tab || '_results_del', t.tab, t.arg);
    END LOOP;
END;
$$;
-- +goose StatementEnd

-- A session moved to another cycle, or a cycle whose year changes: every
-- pair of the sessions concerned is recomputed. (A new cycle has no
-- reports yet, and a cycle with reports cannot be removed: neither changes
-- a figure.)
-- +goose StatementBegin
CREATE FUNCTION result_sessions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    IF TG_TABLE_NAME = 'sessions' THEN
        SELECT array_agg(x.id) INTO ids FROM new_rows x JOIN old_rows o ON o.id = x.id
        WHERE x.cycle_id IS DISTINCT FROM o.cycle_id;
    ELSE
        SELECT array_agg(DISTINCT s.id) INTO ids
        FROM new_rows x
        JOIN old_rows o ON o.id = x.id AND o.review_year <> x.review_year
        CROSS JOIN LATERAL (VALUES (x.review_year), (o.review_year)) AS y (review_year)
        JOIN reporting_cycles pc ON pc.review_year IN (y.review_year - 1, y.review_year)
        JOIN sessions s ON s.cycle_id = pc.id;
    END IF;
    IF ids IS NOT NULL THEN
        PERFORM refresh_result_sessions(ids);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER sessions_results_upd AFTER UPDATE ON sessions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION result_sessions_changed();
CREATE TRIGGER reporting_cycles_results_upd AFTER UPDATE ON reporting_cycles REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION result_sessions_changed();

-- The figures of the data already there.
SELECT refresh_result_sessions(coalesce(array_agg(id), '{}')) FROM sessions;

-- +goose Down
DROP TRIGGER reporting_cycles_results_upd ON reporting_cycles;
DROP TRIGGER sessions_results_upd ON sessions;
DROP FUNCTION result_sessions_changed();
-- +goose StatementBegin
DO $$
DECLARE
    t text;
    op text;
BEGIN
    FOREACH t IN ARRAY ARRAY['reports', 'report_progress', 'report_plan_items', 'report_plan_item_themes',
                             'report_plan_item_requests', 'plan_addenda']
    LOOP
        FOREACH op IN ARRAY ARRAY['ins', 'upd', 'del']
        LOOP
            EXECUTE format('DROP TRIGGER %I ON %I', t || '_results_' || op, t);
        END LOOP;
    END LOOP;
END;
$$;
-- +goose StatementEnd
DROP FUNCTION result_figures_changed();
DROP FUNCTION refresh_result_sessions(bigint[]);
DROP FUNCTION refresh_result_figures(bigint[], bigint[]);
DROP FUNCTION result_totals_max();
DROP FUNCTION result_figures_of(bigint[], bigint[]);
DROP TABLE result_totals;
DROP TABLE result_figures;
