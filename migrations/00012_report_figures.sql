-- The figures of accepted reports, kept ready: a cycle's indicators page
-- (and any page of figures over many reports, such as the trends) reads
-- them instead of aggregating every activity and plan item of thousands of
-- reports on each request.
--
-- report_figures holds one row per accepted report and figure; cycle_figures
-- the sums of those rows per cycle. Both are kept by triggers on reports and
-- on the report rows the figures come from, in the transaction that changes
-- them, so they can never disagree with the reports (an accepted report is
-- read-only in the portal, but a trigger also covers loaders and fixtures
-- that write rows directly). Rows of a report that is not accepted are not
-- counted: saving a draft costs one empty look-up.
--
-- dimension, key and sub name the figure:
--   report   ''          ''     items = 1 (the report is counted)
--   activity kind        mode   items = activities, amount = people reached, women = women reached
--   media    channel     ''     items = items published, amount = reads or views
--   plan     ''          ''     items = plan items
--   project  key project id, '0' for none   items = plan items
--   theme    theme id, '0' for none         items = plan items (an item with two themes counts in both)
--   request  request id, '0' for none       items = plan items (likewise)
-- Plan items count the report's own items (report_id), not those of plan
-- addenda, as the indicators always have.

-- +goose Up
CREATE TABLE report_figures (
    report_id bigint NOT NULL, -- no foreign key: the trigger on reports removes the rows of a deleted report and moves the sums
    cycle_id  bigint NOT NULL,
    ngo_id    bigint NOT NULL,
    dimension text NOT NULL CHECK (dimension IN ('report', 'activity', 'media', 'plan', 'project', 'theme', 'request')),
    key       text NOT NULL,
    sub       text NOT NULL DEFAULT '',
    items     bigint NOT NULL,
    amount    bigint NOT NULL DEFAULT 0,
    women     bigint NOT NULL DEFAULT 0,
    -- the figures in the key's leaf too: a page's reports are read by an
    -- index-only scan, not from heap pages scattered by the triggers' writes
    PRIMARY KEY (report_id, dimension, key, sub) INCLUDE (items, amount, women)
);
CREATE INDEX report_figures_cycle_idx ON report_figures (cycle_id, ngo_id);

-- contributors counts the report_figures rows summed into a row, so a row
-- whose last report leaves is removed (a figure no accepted report has is
-- absent, not zero).
CREATE TABLE cycle_figures (
    cycle_id     bigint NOT NULL REFERENCES reporting_cycles (id) ON DELETE CASCADE,
    dimension    text NOT NULL,
    key          text NOT NULL,
    sub          text NOT NULL DEFAULT '',
    contributors integer NOT NULL,
    items        bigint NOT NULL,
    amount       bigint NOT NULL,
    women        bigint NOT NULL,
    PRIMARY KEY (cycle_id, dimension, key, sub)
);

-- refresh_report_figures recomputes the figures of the reports ids (those
-- not accepted get none) and moves the cycles' sums by the difference.
-- +goose StatementBegin
CREATE FUNCTION refresh_report_figures(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM reports WHERE id = ANY (ids) AND status = 'accepted')
       AND NOT EXISTS (SELECT 1 FROM report_figures WHERE report_id = ANY (ids)) THEN
        RETURN;
    END IF;

    WITH gone AS (
        DELETE FROM report_figures WHERE report_id = ANY (ids)
        RETURNING cycle_id, dimension, key, sub, items, amount, women
    ), s AS (
        SELECT cycle_id, dimension, key, sub, count(*) AS n, sum(items) AS items, sum(amount) AS amount, sum(women) AS women
        FROM gone GROUP BY cycle_id, dimension, key, sub
    )
    UPDATE cycle_figures c
    SET contributors = c.contributors - s.n, items = c.items - s.items, amount = c.amount - s.amount, women = c.women - s.women
    FROM s
    WHERE c.cycle_id = s.cycle_id AND c.dimension = s.dimension AND c.key = s.key AND c.sub = s.sub;
    DELETE FROM cycle_figures WHERE contributors <= 0;

    WITH r AS (
        SELECT id, cycle_id, ngo_id FROM reports WHERE id = ANY (ids) AND status = 'accepted'
    ), p AS (
        SELECT r.id AS report_id, r.cycle_id, r.ngo_id, p.id, p.key_project_id
        FROM r JOIN report_plan_items p ON p.report_id = r.id
    ), added AS (
        INSERT INTO report_figures (report_id, cycle_id, ngo_id, dimension, key, sub, items, amount, women)
        SELECT r.id, r.cycle_id, r.ngo_id, 'report', '', '', 1, 0, 0 FROM r
        UNION ALL
        SELECT r.id, r.cycle_id, r.ngo_id, 'activity', coalesce(a.kind, ''), coalesce(a.mode, ''),
               count(*), coalesce(sum(a.people_reached), 0), coalesce(sum(a.women_reached), 0)
        FROM r JOIN report_activities a ON a.report_id = r.id
        GROUP BY r.id, r.cycle_id, r.ngo_id, coalesce(a.kind, ''), coalesce(a.mode, '')
        UNION ALL
        SELECT r.id, r.cycle_id, r.ngo_id, 'media', coalesce(m.channel, ''), '',
               coalesce(sum(m.items), 0), coalesce(sum(m.reads), 0), 0
        FROM r JOIN report_media m ON m.report_id = r.id
        GROUP BY r.id, r.cycle_id, r.ngo_id, coalesce(m.channel, '')
        UNION ALL
        SELECT p.report_id, p.cycle_id, p.ngo_id, 'plan', '', '', count(*), 0, 0
        FROM p GROUP BY p.report_id, p.cycle_id, p.ngo_id
        UNION ALL
        SELECT p.report_id, p.cycle_id, p.ngo_id, 'project', coalesce(p.key_project_id, 0)::text, '', count(*), 0, 0
        FROM p GROUP BY p.report_id, p.cycle_id, p.ngo_id, coalesce(p.key_project_id, 0)
        UNION ALL
        SELECT p.report_id, p.cycle_id, p.ngo_id, 'theme', coalesce(t.theme_id, 0)::text, '', count(*), 0, 0
        FROM p LEFT JOIN report_plan_item_themes t ON t.plan_item_id = p.id
        GROUP BY p.report_id, p.cycle_id, p.ngo_id, coalesce(t.theme_id, 0)
        UNION ALL
        SELECT p.report_id, p.cycle_id, p.ngo_id, 'request', coalesce(q.request_id, 0)::text, '', count(*), 0, 0
        FROM p LEFT JOIN report_plan_item_requests q ON q.plan_item_id = p.id
        GROUP BY p.report_id, p.cycle_id, p.ngo_id, coalesce(q.request_id, 0)
        RETURNING cycle_id, dimension, key, sub, items, amount, women
    )
    -- In key order, so that two reports accepted at once lock their
    -- cycle's rows in the same order (one waits; neither deadlocks).
    INSERT INTO cycle_figures AS c (cycle_id, dimension, key, sub, contributors, items, amount, women)
    SELECT cycle_id, dimension, key, sub, count(*), sum(items), sum(amount), sum(women)
    FROM added GROUP BY cycle_id, dimension, key, sub
    ORDER BY cycle_id, dimension, key, sub
    ON CONFLICT (cycle_id, dimension, key, sub) DO UPDATE
    SET contributors = c.contributors + excluded.contributors, items = c.items + excluded.items,
        amount = c.amount + excluded.amount, women = c.women + excluded.women;
END;
$$;
-- +goose StatementEnd

-- The triggers: statement-level, with the changed rows as transition
-- tables, so a bulk load refreshes each report once per statement.
-- report_figures_changed finds the reports a statement touched (argument:
-- how its rows name their report) and refreshes them.
-- +goose StatementBegin
CREATE FUNCTION report_figures_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids    bigint[];
    source text := CASE TG_ARGV[0]
        WHEN 'id' THEN 'SELECT id FROM %s'
        WHEN 'report_id' THEN 'SELECT report_id FROM %s'
        ELSE 'SELECT p.report_id FROM %s x JOIN report_plan_items p ON p.id = x.plan_item_id'
    END;
    q text;
BEGIN
    q := CASE TG_OP
        WHEN 'INSERT' THEN format(source, 'new_rows')
        WHEN 'DELETE' THEN format(source, 'old_rows')
        ELSE format(source, 'new_rows') || ' UNION ' || format(source, 'old_rows')
    END;
    EXECUTE 'SELECT array_agg(DISTINCT i) FROM (' || q || ') AS t (i) WHERE i IS NOT NULL' INTO ids;
    IF ids IS NOT NULL THEN
        PERFORM refresh_report_figures(ids);
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
    FOR t IN SELECT * FROM (VALUES ('reports', 'id'), ('report_activities', 'report_id'), ('report_media', 'report_id'),
                                   ('report_plan_items', 'report_id'), ('report_plan_item_themes', 'plan_item_id'),
                                   ('report_plan_item_requests', 'plan_item_id')) AS v (tab, col)
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION report_figures_changed(%L)', t.tab || '_figures_ins', t.tab, t.col);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION report_figures_changed(%L)', t.tab || '_figures_upd', t.tab, t.col);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION report_figures_changed(%L)', t.tab || '_figures_del', t.tab, t.col);
    END LOOP;
END;
$$;
-- +goose StatementEnd

-- The figures of the reports accepted before this migration.
SELECT refresh_report_figures(coalesce(array_agg(id), '{}')) FROM reports WHERE status = 'accepted';

-- The indicators page lists a cycle's NGOs by name, 100 a page, in the
-- reader's language: walking these indexes gives a page without sorting
-- every NGO.
CREATE INDEX ngos_name_zh_id_idx ON ngos (name_zh, id);
CREATE INDEX ngos_name_en_id_idx ON ngos (name_en, id);
-- A cycle's reports with their status, read from the index alone: the
-- page's probes for each NGO's accepted report and the board's counts.
CREATE INDEX reports_cycle_ngo_status_idx ON reports (cycle_id, ngo_id) INCLUDE (status, id);
