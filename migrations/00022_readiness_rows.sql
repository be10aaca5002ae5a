-- The readiness board at the size of a large federation, kept ready. With
-- the counts of 00017 the board still joined, for each of 2,000 invited
-- NGOs, its invitation, its report, its plan item count, its named
-- representatives and its answers to the previous session's requests: five
-- hash joins and an aggregate, about 8 ms of a 13 ms page. Two tables now
-- hold the board's figures, recomputed by triggers in the transaction that
-- changes what they come from, so the board reads one range of each.
--
--   readiness_rows         one row per unwithdrawn invitation: the
--                          invitation, the NGO's report of the session's
--                          cycle (its status), that report's plan items
--                          and the representatives the NGO named
--   request_answer_counts  per session and NGO, how many of the
--                          session's requests are addressed to the NGO
--                          (asked) and how many of those it has answered
--                          (a plan item linked to the request, or
--                          "nothing planned" with a reason): the rule of
--                          request_addressees and plan_item_owners. A row
--                          only where something is asked. The board reads
--                          the previous session's; the answers overview
--                          and the home pages may read them too.
--
-- As with result_figures (00016), readiness_rows_of and
-- request_answer_counts_of are the one definition of each table's rows,
-- used by the refresh and by the tests that hold the tables to them; each
-- refresh recomputes whole (session, NGO) pairs from the base tables, so
-- the order in which triggers fire does not matter, and two transactions
-- refreshing the same NGO are serialised on the NGO's row (FOR NO KEY
-- UPDATE, in id order) so neither inserts a row the other inserted.

-- +goose Up
CREATE TABLE readiness_rows (
    session_id    bigint NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    ngo_id        bigint NOT NULL, -- no foreign key: removing an NGO removes its invitations, whose trigger removes its rows
    invitation_id bigint NOT NULL,
    reply         text NOT NULL,
    late          boolean NOT NULL,
    report_id     bigint NOT NULL, -- 0: no report
    report_status text NOT NULL,   -- not_started when there is no report
    plan_items    integer NOT NULL,
    reps          integer NOT NULL,
    -- the board's columns in the key's leaf: a session's rows are read by
    -- an index-only scan
    PRIMARY KEY (session_id, ngo_id) INCLUDE (invitation_id, reply, late, report_id, report_status, plan_items, reps)
);

CREATE TABLE request_answer_counts (
    session_id bigint NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    ngo_id     bigint NOT NULL,
    asked      integer NOT NULL,
    answered   integer NOT NULL,
    PRIMARY KEY (session_id, ngo_id) INCLUDE (asked, answered)
);

-- +goose StatementBegin
CREATE FUNCTION readiness_rows_of(sids bigint[], nids bigint[]) RETURNS SETOF readiness_rows LANGUAGE sql STABLE AS $$
    SELECT i.session_id, i.ngo_id, i.id, i.reply, i.late,
           coalesce(r.id, 0), coalesce(r.status, 'not_started'),
           coalesce(pc.plan_items, 0), coalesce(rc.named, 0)
    FROM (SELECT DISTINCT u.s, u.n FROM unnest(sids, nids) AS u (s, n)) p
    JOIN invitations i ON i.session_id = p.s AND i.ngo_id = p.n AND i.withdrawn_at IS NULL
    JOIN sessions se ON se.id = i.session_id
    LEFT JOIN reports r ON r.cycle_id = se.cycle_id AND r.ngo_id = i.ngo_id
    LEFT JOIN report_plan_item_counts pc ON pc.report_id = r.id
    LEFT JOIN invitation_representative_counts rc ON rc.invitation_id = i.id
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION request_answer_counts_of(sids bigint[], nids bigint[]) RETURNS SETOF request_answer_counts LANGUAGE sql STABLE AS $$
    WITH asked AS (
        SELECT p.s, p.n, q.id AS request_id
        FROM (SELECT DISTINCT u.s, u.n FROM unnest(sids, nids) AS u (s, n)) p
        JOIN session_requests q ON q.session_id = p.s
        WHERE CASE WHEN q.addressed_to_all
                   THEN EXISTS (SELECT 1 FROM invitations i WHERE i.session_id = p.s AND i.ngo_id = p.n AND i.withdrawn_at IS NULL)
                   ELSE EXISTS (SELECT 1 FROM request_recipients rc WHERE rc.request_id = q.id AND rc.ngo_id = p.n)
              END
    )
    SELECT a.s, a.n, count(*)::integer,
           (count(*) FILTER (WHERE
               EXISTS (SELECT 1 FROM report_plan_item_requests l WHERE l.request_id = a.request_id AND l.ngo_id = a.n)
               OR EXISTS (SELECT 1 FROM request_responses rr
                          WHERE rr.request_id = a.request_id AND rr.ngo_id = a.n AND rr.nothing_planned)))::integer
    FROM asked a
    GROUP BY a.s, a.n
$$;
-- +goose StatementEnd

-- refresh_readiness replaces the rows of the pairs (sids[i], nids[i]) of
-- both tables.
-- +goose StatementBegin
CREATE FUNCTION refresh_readiness(sids bigint[], nids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(cardinality(sids), 0) = 0 THEN
        RETURN;
    END IF;
    PERFORM 1 FROM ngos WHERE id IN (SELECT unnest(nids)) ORDER BY id FOR NO KEY UPDATE;
    DELETE FROM readiness_rows t
    USING (SELECT DISTINCT u.s, u.n FROM unnest(sids, nids) AS u (s, n)) p
    WHERE t.session_id = p.s AND t.ngo_id = p.n;
    INSERT INTO readiness_rows SELECT * FROM readiness_rows_of(sids, nids);
    DELETE FROM request_answer_counts t
    USING (SELECT DISTINCT u.s, u.n FROM unnest(sids, nids) AS u (s, n)) p
    WHERE t.session_id = p.s AND t.ngo_id = p.n;
    INSERT INTO request_answer_counts SELECT * FROM request_answer_counts_of(sids, nids);
END;
$$;
-- +goose StatementEnd

-- refresh_readiness_sessions recomputes every pair of the sessions ids:
-- each NGO invited to one, each a request of one is addressed to, and each
-- that has rows now.
-- +goose StatementBegin
CREATE FUNCTION refresh_readiness_sessions(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    s bigint[];
    n bigint[];
BEGIN
    SELECT array_agg(p.sid), array_agg(p.nid) INTO s, n
    FROM (
        SELECT i.session_id AS sid, i.ngo_id AS nid FROM invitations i WHERE i.session_id = ANY (ids)
        UNION
        SELECT q.session_id, rc.ngo_id FROM session_requests q JOIN request_recipients rc ON rc.request_id = q.id
        WHERE q.session_id = ANY (ids)
        UNION
        SELECT t.session_id, t.ngo_id FROM readiness_rows t WHERE t.session_id = ANY (ids)
        UNION
        SELECT t.session_id, t.ngo_id FROM request_answer_counts t WHERE t.session_id = ANY (ids)
    ) p;
    PERFORM refresh_readiness(s, n);
END;
$$;
-- +goose StatementEnd

-- readiness_changed finds the pairs a statement touched, from its
-- transition tables (argument: which table), and refreshes them.
--   invitations, invitation_representative_counts, request_responses (its
--       own session through the request), report_plan_item_requests
--       (likewise), request_recipients (likewise): the pair itself
--   reports, report_plan_item_counts: the NGO at each session of the cycle
--   session_requests: every pair of its session (what it asks changes for
--       every NGO it is addressed to, before and after)
-- +goose StatementBegin
CREATE FUNCTION readiness_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    source text := CASE TG_ARGV[0]
        WHEN 'pair' THEN 'SELECT x.session_id, x.ngo_id FROM %s x'
        WHEN 'request' THEN 'SELECT q.session_id, x.ngo_id FROM %s x JOIN session_requests q ON q.id = x.request_id'
        ELSE 'SELECT s.id, x.ngo_id FROM %s x JOIN sessions s ON s.cycle_id = x.cycle_id' -- cycle
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
    PERFORM refresh_readiness(s, n);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('invitations', 'pair'), ('invitation_representative_counts', 'pair'),
                                   ('reports', 'cycle'), ('report_plan_item_counts', 'cycle'),
                                   ('request_recipients', 'request'), ('report_plan_item_requests', 'request'),
                                   ('request_responses', 'request')) AS v (tab, arg)
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION readiness_changed(%L)', t.tab || '_readiness_ins', t.tab, t.arg);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION readiness_changed(%L)', t.tab || '_readiness_upd', t.tab, t.arg);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION readiness_changed(%L)', t.tab || '_readiness_del', t.tab, t.arg);
    END LOOP;
END;
$$;
-- +goose StatementEnd

-- A request added, removed or addressed otherwise, or a session moved to
-- another cycle: every pair of the sessions concerned is recomputed.
-- +goose StatementBegin
CREATE FUNCTION readiness_sessions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    IF TG_TABLE_NAME = 'sessions' THEN
        SELECT array_agg(x.id) INTO ids FROM new_rows x JOIN old_rows o ON o.id = x.id
        WHERE x.cycle_id IS DISTINCT FROM o.cycle_id;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT x.session_id) INTO ids FROM new_rows x;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT x.session_id) INTO ids FROM old_rows x;
    ELSE
        SELECT array_agg(DISTINCT sid) INTO ids FROM (
            SELECT x.session_id AS sid FROM new_rows x JOIN old_rows o ON o.id = x.id
            WHERE (x.session_id, x.addressed_to_all) IS DISTINCT FROM (o.session_id, o.addressed_to_all)
            UNION ALL
            SELECT o.session_id FROM new_rows x JOIN old_rows o ON o.id = x.id
            WHERE (x.session_id, x.addressed_to_all) IS DISTINCT FROM (o.session_id, o.addressed_to_all)
        ) d;
    END IF;
    IF ids IS NOT NULL THEN
        PERFORM refresh_readiness_sessions(ids);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER sessions_readiness_upd AFTER UPDATE ON sessions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION readiness_sessions_changed();
CREATE TRIGGER session_requests_readiness_ins AFTER INSERT ON session_requests REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION readiness_sessions_changed();
CREATE TRIGGER session_requests_readiness_upd AFTER UPDATE ON session_requests REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION readiness_sessions_changed();
CREATE TRIGGER session_requests_readiness_del AFTER DELETE ON session_requests REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION readiness_sessions_changed();

-- The counts of 00017 now lead to a refresh of the board's rows, which
-- locks the NGO's row: they lock it first themselves, so that every writer
-- takes the NGO before a count (a writer that held a count and waited for
-- the NGO would deadlock with one that held the NGO from an earlier
-- statement and waited for the count).
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION move_report_plan_item_counts(ids bigint[], ns integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM ngos WHERE id IN (SELECT r.ngo_id FROM reports r WHERE r.id = ANY (ids)) ORDER BY id FOR NO KEY UPDATE;
    INSERT INTO report_plan_item_counts AS c (report_id, cycle_id, ngo_id, plan_items)
    SELECT r.id, r.cycle_id, r.ngo_id, d.n
    FROM (SELECT id, sum(n)::integer AS n FROM unnest(ids, ns) AS u (id, n) WHERE id IS NOT NULL GROUP BY id) d
    JOIN reports r ON r.id = d.id
    WHERE d.n <> 0
    ORDER BY r.id
    ON CONFLICT (report_id) DO UPDATE SET plan_items = c.plan_items + excluded.plan_items;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION move_named_representatives(ids bigint[], ns integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM ngos WHERE id IN (SELECT i.ngo_id FROM invitations i WHERE i.id = ANY (ids)) ORDER BY id FOR NO KEY UPDATE;
    INSERT INTO invitation_representative_counts AS c (invitation_id, session_id, ngo_id, named)
    SELECT i.id, i.session_id, i.ngo_id, d.n
    FROM (SELECT id, sum(n)::integer AS n FROM unnest(ids, ns) AS u (id, n) WHERE id IS NOT NULL GROUP BY id) d
    JOIN invitations i ON i.id = d.id
    WHERE d.n <> 0
    ORDER BY i.id
    ON CONFLICT (invitation_id) DO UPDATE SET named = c.named + excluded.named;
END;
$$;
-- +goose StatementEnd

-- The rows of what is there already.
SELECT refresh_readiness_sessions(array_agg(id)) FROM sessions;

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION move_report_plan_item_counts(ids bigint[], ns integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_plan_item_counts AS c (report_id, cycle_id, ngo_id, plan_items)
    SELECT r.id, r.cycle_id, r.ngo_id, d.n
    FROM (SELECT id, sum(n)::integer AS n FROM unnest(ids, ns) AS u (id, n) WHERE id IS NOT NULL GROUP BY id) d
    JOIN reports r ON r.id = d.id
    WHERE d.n <> 0
    ORDER BY r.id
    ON CONFLICT (report_id) DO UPDATE SET plan_items = c.plan_items + excluded.plan_items;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION move_named_representatives(ids bigint[], ns integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO invitation_representative_counts AS c (invitation_id, session_id, ngo_id, named)
    SELECT i.id, i.session_id, i.ngo_id, d.n
    FROM (SELECT id, sum(n)::integer AS n FROM unnest(ids, ns) AS u (id, n) WHERE id IS NOT NULL GROUP BY id) d
    JOIN invitations i ON i.id = d.id
    WHERE d.n <> 0
    ORDER BY i.id
    ON CONFLICT (invitation_id) DO UPDATE SET named = c.named + excluded.named;
END;
$$;
-- +goose StatementEnd
DROP TRIGGER session_requests_readiness_del ON session_requests;
DROP TRIGGER session_requests_readiness_upd ON session_requests;
DROP TRIGGER session_requests_readiness_ins ON session_requests;
DROP TRIGGER sessions_readiness_upd ON sessions;
-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['invitations', 'invitation_representative_counts', 'reports', 'report_plan_item_counts',
                             'request_recipients', 'report_plan_item_requests', 'request_responses']
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_readiness_ins', t);
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_readiness_upd', t);
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_readiness_del', t);
    END LOOP;
END;
$$;
-- +goose StatementEnd
DROP FUNCTION readiness_sessions_changed();
DROP FUNCTION readiness_changed();
DROP FUNCTION refresh_readiness_sessions(bigint[]);
DROP FUNCTION refresh_readiness(bigint[], bigint[]);
DROP FUNCTION request_answer_counts_of(bigint[], bigint[]);
DROP FUNCTION readiness_rows_of(bigint[], bigint[]);
DROP TABLE request_answer_counts;
DROP TABLE readiness_rows;
