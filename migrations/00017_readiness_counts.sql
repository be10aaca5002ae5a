-- The readiness board's counts, kept ready: at the size of a large
-- federation (2,000 invited NGOs) the board counted each NGO's plan items
-- and named representatives by two index scans and an aggregate per row,
-- 4,000 a request, most of its time. The counts are now kept by triggers
-- in the transaction that changes the rows they count, so the board reads
-- them with the rows it already reads.
--
--   report_plan_item_counts           one row per report that has had
--                                     plan items: plan_items counts the
--                                     report's own items (report_id), not
--                                     those of plan addenda
--   invitation_representative_counts  one row per invitation that has had
--                                     representatives named: named counts
--                                     those the NGO named, not the walk-ins
--                                     recorded at check-in
--
-- Each row holds its report's cycle and NGO, or its invitation's session
-- and NGO, so that the board reads a cycle's or a session's counts as one
-- range of an index, as it reads the reports and invitations themselves.
-- Tables of their own, not columns of reports and invitations: an update of
-- reports refreshes the figures of an accepted report (00012), and updating
-- an invitation for each representative would churn the rows the board
-- reads (a bulk load leaves half of their pages out of the visibility map,
-- so the previous session's invitations are read from the heap).
--
-- Each change moves a count by the difference, in one statement (INSERT
-- ... ON CONFLICT DO UPDATE SET n = n + difference, never a read then a
-- write), so concurrent writers add up: a second writer waits for the
-- first's row (or its insertion) and adds to its result. Inserts
-- and deletes are counted by statement-level triggers with transition
-- tables (a draft save replaces its items in one statement each way); an
-- update changes a count only if it moves a row to another report or
-- invitation, or makes a representative a walk-in, which the portal never
-- does, so that case is a row-level trigger whose WHEN costs nothing when
-- the columns do not change (attendance updates every representative).

-- +goose Up
CREATE TABLE report_plan_item_counts (
    report_id  bigint PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    cycle_id   bigint NOT NULL,
    ngo_id     bigint NOT NULL,
    -- no CHECK (plan_items >= 0): a check applies to the row an upsert
    -- proposes, before the conflict turns it into an update, so a removal
    -- (a negative difference) would fail it
    plan_items integer NOT NULL
);
-- A cycle's counts by NGO, from the index alone. Not unique (reports' own
-- key is): the upserts arbitrate on report_id alone, and a second unique
-- index makes two first insertions for one report deadlock.
CREATE INDEX report_plan_item_counts_cycle_ngo_idx ON report_plan_item_counts (cycle_id, ngo_id) INCLUDE (plan_items);

CREATE TABLE invitation_representative_counts (
    invitation_id bigint PRIMARY KEY REFERENCES invitations (id) ON DELETE CASCADE,
    session_id    bigint NOT NULL,
    ngo_id        bigint NOT NULL,
    named         integer NOT NULL -- no CHECK, as plan_items
);
-- A session's counts by NGO, from the index alone (not unique, likewise).
CREATE INDEX invitation_representative_counts_session_ngo_idx ON invitation_representative_counts (session_id, ngo_id) INCLUDE (named);

-- move_report_plan_item_counts adds ns[i] to the count of report ids[i]
-- (reports that no longer exist are skipped: their row went with them). In
-- key order, so that two statements lock the same rows in the same order.
-- +goose StatementBegin
CREATE FUNCTION move_report_plan_item_counts(ids bigint[], ns integer[]) RETURNS void LANGUAGE plpgsql AS $$
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

-- move_named_representatives adds ns[i] to the count of invitation ids[i],
-- as move_report_plan_item_counts does.
-- +goose StatementBegin
CREATE FUNCTION move_named_representatives(ids bigint[], ns integer[]) RETURNS void LANGUAGE plpgsql AS $$
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

-- The statement-level triggers' function: argument the table whose counts
-- move (report_plan_items or representatives); +1 per inserted row, -1 per
-- deleted row.
-- +goose StatementBegin
CREATE FUNCTION readiness_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids  bigint[];
    ns   integer[];
    sign integer := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
    tab  text := CASE TG_OP WHEN 'INSERT' THEN 'new_rows' ELSE 'old_rows' END;
BEGIN
    IF TG_ARGV[0] = 'report_plan_items' THEN
        EXECUTE format('SELECT array_agg(report_id), array_agg(n) FROM (
                            SELECT report_id, count(*)::integer * $1 AS n FROM %I
                            WHERE report_id IS NOT NULL GROUP BY report_id) t', tab)
            INTO ids, ns USING sign;
        IF ids IS NOT NULL THEN
            PERFORM move_report_plan_item_counts(ids, ns);
        END IF;
    ELSE
        EXECUTE format('SELECT array_agg(invitation_id), array_agg(n) FROM (
                            SELECT invitation_id, count(*)::integer * $1 AS n FROM %I
                            WHERE NOT walk_in GROUP BY invitation_id) t', tab)
            INTO ids, ns USING sign;
        IF ids IS NOT NULL THEN
            PERFORM move_named_representatives(ids, ns);
        END IF;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER report_plan_items_counts_ins AFTER INSERT ON report_plan_items REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION readiness_counts_changed('report_plan_items');
CREATE TRIGGER report_plan_items_counts_del AFTER DELETE ON report_plan_items REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION readiness_counts_changed('report_plan_items');
CREATE TRIGGER representatives_counts_ins AFTER INSERT ON representatives REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION readiness_counts_changed('representatives');
CREATE TRIGGER representatives_counts_del AFTER DELETE ON representatives REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION readiness_counts_changed('representatives');

-- A row moved to another report or invitation, or a representative that
-- becomes (or stops being) a walk-in.
-- +goose StatementBegin
CREATE FUNCTION readiness_counts_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'report_plan_items' THEN
        PERFORM move_report_plan_item_counts(ARRAY[OLD.report_id, NEW.report_id], ARRAY[-1, 1]);
    ELSE
        PERFORM move_named_representatives(ARRAY[OLD.invitation_id, NEW.invitation_id],
                                           ARRAY[CASE WHEN OLD.walk_in THEN 0 ELSE -1 END,
                                                 CASE WHEN NEW.walk_in THEN 0 ELSE 1 END]);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER report_plan_items_counts_upd AFTER UPDATE OF report_id ON report_plan_items
    FOR EACH ROW WHEN (OLD.report_id IS DISTINCT FROM NEW.report_id)
    EXECUTE FUNCTION readiness_counts_moved();
CREATE TRIGGER representatives_counts_upd AFTER UPDATE OF invitation_id, walk_in ON representatives
    FOR EACH ROW WHEN ((OLD.invitation_id, OLD.walk_in) IS DISTINCT FROM (NEW.invitation_id, NEW.walk_in))
    EXECUTE FUNCTION readiness_counts_moved();

-- A report moved to another cycle or NGO, or an invitation to another
-- session or NGO (the portal does neither), moves its count's copy of them.
-- +goose StatementBegin
CREATE FUNCTION readiness_counts_owner_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'reports' THEN
        UPDATE report_plan_item_counts SET cycle_id = NEW.cycle_id, ngo_id = NEW.ngo_id WHERE report_id = NEW.id;
    ELSE
        UPDATE invitation_representative_counts SET session_id = NEW.session_id, ngo_id = NEW.ngo_id WHERE invitation_id = NEW.id;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER reports_counts_moved AFTER UPDATE OF cycle_id, ngo_id ON reports
    FOR EACH ROW WHEN ((OLD.cycle_id, OLD.ngo_id) IS DISTINCT FROM (NEW.cycle_id, NEW.ngo_id))
    EXECUTE FUNCTION readiness_counts_owner_moved();
CREATE TRIGGER invitations_counts_moved AFTER UPDATE OF session_id, ngo_id ON invitations
    FOR EACH ROW WHEN ((OLD.session_id, OLD.ngo_id) IS DISTINCT FROM (NEW.session_id, NEW.ngo_id))
    EXECUTE FUNCTION readiness_counts_owner_moved();

-- The counts of the data before this migration.
INSERT INTO report_plan_item_counts (report_id, cycle_id, ngo_id, plan_items)
SELECT r.id, r.cycle_id, r.ngo_id, count(*)
FROM reports r JOIN report_plan_items p ON p.report_id = r.id
GROUP BY r.id;

INSERT INTO invitation_representative_counts (invitation_id, session_id, ngo_id, named)
SELECT i.id, i.session_id, i.ngo_id, count(*)
FROM invitations i JOIN representatives rp ON rp.invitation_id = i.id AND NOT rp.walk_in
GROUP BY i.id;
