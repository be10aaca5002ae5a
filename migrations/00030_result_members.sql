-- Requests to results at the size of a large federation, kept ready. With
-- result_figures (00016) and the names of 00029 the page still joined, for
-- its requests, each of about 2,700 (request, addressed NGO) pairs to its
-- figures and its answer (about 4 ms), and for its NGOs, the NGOs addressed
-- or with items to the invited ones to find the few that are not invited
-- (a set operation over about 6,000 rows, about 3 ms). Two tables now hold
-- what those statements worked out, recomputed by triggers in the
-- transaction that changes what they come from, so the page reads one
-- range of each.
--
--   request_result_rows  per session, request and NGO the request is
--                        addressed to or whose items answer it: whether
--                        it is addressed (request_addressees' rule), whether
--                        the NGO planned for it (it has the request's row
--                        of result_figures), whether, addressed and not
--                        planned, it said it plans nothing, and its figures
--                        for the request (those of result_figures). The
--                        request's figures are the sums of its rows.
--   result_others        the session's NGOs that are not invited (no
--                        unwithdrawn invitation) but are addressed by one of
--                        its requests or have items it counts or that answer
--                        its requests: the NGOs of the results page beside
--                        the invited ones (readiness_rows). Usually none.
--
-- As with result_figures and readiness_rows, request_result_rows_of and
-- result_others_of are the one definition of each table's rows, used by
-- the refresh and by the tests that hold the tables to them. The rows come
-- from result_figures and from what the readiness board's rows come from,
-- so both refreshes (refresh_result_figures, refresh_readiness) now end by
-- recomputing the same (session, NGO) pairs here, after their own rows:
-- whichever runs last sees every write of the transaction. Both have
-- locked the NGOs' rows first, in id order, so two transactions never
-- refresh the same pair at once.

-- +goose Up
CREATE TABLE request_result_rows (
    session_id   bigint NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    request_id   bigint NOT NULL REFERENCES session_requests (id) ON DELETE CASCADE,
    ngo_id       bigint NOT NULL, -- no foreign key: removing an NGO removes its invitations and reports, whose triggers remove its rows
    addressed    boolean NOT NULL,
    planned      boolean NOT NULL,
    nothing      boolean NOT NULL,
    pending      integer NOT NULL,
    done         integer NOT NULL,
    partly       integer NOT NULL,
    not_done     integer NOT NULL,
    not_reported integer NOT NULL,
    -- the figures in the key's leaf: a session's rows are read by an
    -- index-only scan
    PRIMARY KEY (session_id, request_id, ngo_id) INCLUDE (addressed, planned, nothing, pending, done, partly, not_done, not_reported)
);

CREATE TABLE result_others (
    session_id bigint NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    ngo_id     bigint NOT NULL,
    PRIMARY KEY (session_id, ngo_id)
);

-- request_result_rows_of computes the rows of the pairs (sids[i], nids[i]).
-- +goose StatementBegin
CREATE FUNCTION request_result_rows_of(sids bigint[], nids bigint[]) RETURNS SETOF request_result_rows LANGUAGE sql STABLE AS $$
    SELECT x.s, x.request_id, x.n, x.addressed, f.key IS NOT NULL,
           x.addressed AND f.key IS NULL
           AND EXISTS (SELECT 1 FROM request_responses rr
                       WHERE rr.request_id = x.request_id AND rr.ngo_id = x.n AND rr.nothing_planned),
           coalesce(f.pending, 0), coalesce(f.done, 0), coalesce(f.partly, 0), coalesce(f.not_done, 0), coalesce(f.not_reported, 0)
    FROM (
        SELECT p.s, q.id AS request_id, p.n,
               CASE WHEN q.addressed_to_all
                    THEN EXISTS (SELECT 1 FROM invitations i WHERE i.session_id = p.s AND i.ngo_id = p.n AND i.withdrawn_at IS NULL)
                    ELSE EXISTS (SELECT 1 FROM request_recipients rc WHERE rc.request_id = q.id AND rc.ngo_id = p.n)
               END AS addressed
        FROM (SELECT DISTINCT u.s, u.n FROM unnest(sids, nids) AS u (s, n) WHERE u.s IS NOT NULL AND u.n IS NOT NULL) p
        JOIN session_requests q ON q.session_id = p.s
    ) x
    LEFT JOIN result_figures f ON f.session_id = x.s AND f.dimension = 'request' AND f.key = x.request_id AND f.ngo_id = x.n
    WHERE x.addressed OR f.key IS NOT NULL
$$;
-- +goose StatementEnd

-- result_others_of computes the rows of the pairs (sids[i], nids[i]).
-- +goose StatementBegin
CREATE FUNCTION result_others_of(sids bigint[], nids bigint[]) RETURNS SETOF result_others LANGUAGE sql STABLE AS $$
    SELECT p.s, p.n
    FROM (SELECT DISTINCT u.s, u.n FROM unnest(sids, nids) AS u (s, n) WHERE u.s IS NOT NULL AND u.n IS NOT NULL) p
    WHERE NOT EXISTS (SELECT 1 FROM invitations i WHERE i.session_id = p.s AND i.ngo_id = p.n AND i.withdrawn_at IS NULL)
      AND (EXISTS (SELECT 1 FROM session_requests q JOIN request_recipients rc ON rc.request_id = q.id
                   WHERE q.session_id = p.s AND NOT q.addressed_to_all AND rc.ngo_id = p.n)
           OR EXISTS (SELECT 1 FROM result_figures f
                      WHERE f.session_id = p.s AND f.dimension IN ('all', 'request') AND f.ngo_id = p.n))
$$;
-- +goose StatementEnd

-- refresh_result_members replaces the rows of the pairs (sids[i],
-- nids[i]) of both tables. Its callers have locked the NGOs' rows.
-- +goose StatementBegin
CREATE FUNCTION refresh_result_members(sids bigint[], nids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM request_result_rows t
    USING (SELECT DISTINCT u.s, u.n FROM unnest(sids, nids) AS u (s, n)) p
    WHERE t.session_id = p.s AND t.ngo_id = p.n;
    INSERT INTO request_result_rows SELECT * FROM request_result_rows_of(sids, nids);
    DELETE FROM result_others t
    USING (SELECT DISTINCT u.s, u.n FROM unnest(sids, nids) AS u (s, n)) p
    WHERE t.session_id = p.s AND t.ngo_id = p.n;
    INSERT INTO result_others SELECT * FROM result_others_of(sids, nids);
END;
$$;
-- +goose StatementEnd

-- The refreshes of 00016 and 00022, each ending with the pairs' rows here.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refresh_result_figures(sids bigint[], nids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
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
    PERFORM refresh_result_members(sids, nids);
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refresh_readiness(sids bigint[], nids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
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
    PERFORM refresh_result_members(sids, nids);
END;
$$;
-- +goose StatementEnd

-- refresh_readiness_sessions recomputes every pair of the sessions ids:
-- each NGO invited to one, each a request of one is addressed to, and each
-- that has rows now (here too).
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refresh_readiness_sessions(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
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
        UNION
        SELECT t.session_id, t.ngo_id FROM request_result_rows t WHERE t.session_id = ANY (ids)
        UNION
        SELECT t.session_id, t.ngo_id FROM result_others t WHERE t.session_id = ANY (ids)
    ) p;
    PERFORM refresh_readiness(s, n);
END;
$$;
-- +goose StatementEnd

-- The rows of what is there already: every pair invited, addressed or
-- with figures.
INSERT INTO request_result_rows
SELECT f.* FROM (
    SELECT array_agg(p.s) AS s, array_agg(p.n) AS n FROM (
        SELECT session_id AS s, ngo_id AS n FROM invitations
        UNION SELECT q.session_id, rc.ngo_id FROM request_recipients rc JOIN session_requests q ON q.id = rc.request_id
        UNION SELECT session_id, ngo_id FROM result_figures
    ) p
) a, request_result_rows_of(a.s, a.n) f;
INSERT INTO result_others
SELECT f.* FROM (
    SELECT array_agg(p.s) AS s, array_agg(p.n) AS n FROM (
        SELECT q.session_id AS s, rc.ngo_id AS n FROM request_recipients rc JOIN session_requests q ON q.id = rc.request_id
        UNION SELECT session_id, ngo_id FROM result_figures
    ) p
) a, result_others_of(a.s, a.n) f;

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refresh_readiness_sessions(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
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
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refresh_readiness(sids bigint[], nids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
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
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refresh_result_figures(sids bigint[], nids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
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
DROP FUNCTION refresh_result_members(bigint[], bigint[]);
DROP FUNCTION result_others_of(bigint[], bigint[]);
DROP FUNCTION request_result_rows_of(bigint[], bigint[]);
DROP TABLE result_others;
DROP TABLE request_result_rows;
