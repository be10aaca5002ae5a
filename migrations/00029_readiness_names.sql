-- The readiness board's first page without sorting every invited NGO. The
-- board is shown by name (Chinese names in pinyin order, or English names),
-- a page of 100 of, at the size of a large federation, 2,000 invited NGOs:
-- the names came from ngos, so each request sorted all 2,000 rows with ICU
-- comparisons to keep 100 (about 2 ms of the statement). The names now sit
-- in readiness_rows beside the board's other columns, with an index in each
-- order per session, so a page by name is one range of an index.
--
-- readiness_rows_of, the one definition of the table's rows, reads the names
-- from ngos, and a rename rewrites the NGO's rows in the same transaction;
-- it holds the NGO's row, which the refresh of migration 00022 locks first,
-- so a rename and a refresh of the same NGO never interleave.

-- +goose Up
ALTER TABLE readiness_rows
    ADD COLUMN name_zh text COLLATE "zh-Hans-x-icu" NOT NULL DEFAULT '',
    ADD COLUMN name_en text COLLATE "en-x-icu" NOT NULL DEFAULT '';
ALTER TABLE readiness_rows ALTER COLUMN name_zh DROP DEFAULT, ALTER COLUMN name_en DROP DEFAULT;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION readiness_rows_of(sids bigint[], nids bigint[]) RETURNS SETOF readiness_rows LANGUAGE sql STABLE AS $$
    SELECT i.session_id, i.ngo_id, i.id, i.reply, i.late,
           coalesce(r.id, 0), coalesce(r.status, 'not_started'),
           coalesce(pc.plan_items, 0), coalesce(rc.named, 0),
           n.name_zh, n.name_en
    FROM (SELECT DISTINCT u.s, u.n FROM unnest(sids, nids) AS u (s, n)) p
    JOIN invitations i ON i.session_id = p.s AND i.ngo_id = p.n AND i.withdrawn_at IS NULL
    JOIN sessions se ON se.id = i.session_id
    JOIN ngos n ON n.id = i.ngo_id
    LEFT JOIN reports r ON r.cycle_id = se.cycle_id AND r.ngo_id = i.ngo_id
    LEFT JOIN report_plan_item_counts pc ON pc.report_id = r.id
    LEFT JOIN invitation_representative_counts rc ON rc.invitation_id = i.id
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION readiness_ngo_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE readiness_rows t SET name_zh = x.name_zh, name_en = x.name_en
    FROM new_rows x JOIN old_rows o ON o.id = x.id
    WHERE t.ngo_id = x.id AND (x.name_zh, x.name_en) IS DISTINCT FROM (o.name_zh, o.name_en);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER ngos_readiness_upd AFTER UPDATE ON ngos REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION readiness_ngo_renamed();

UPDATE readiness_rows t SET name_zh = n.name_zh, name_en = n.name_en FROM ngos n WHERE n.id = t.ngo_id;

-- A page by name: Chinese names, or English names then Chinese names, each
-- with the NGO's id last, as the board orders them.
CREATE INDEX readiness_rows_name_zh_idx ON readiness_rows (session_id, name_zh, ngo_id);
CREATE INDEX readiness_rows_name_en_idx ON readiness_rows (session_id, name_en, name_zh, ngo_id);

-- +goose Down
DROP TRIGGER ngos_readiness_upd ON ngos;
DROP FUNCTION readiness_ngo_renamed();
DROP INDEX readiness_rows_name_en_idx;
DROP INDEX readiness_rows_name_zh_idx;
ALTER TABLE readiness_rows DROP COLUMN name_en, DROP COLUMN name_zh;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION readiness_rows_of(sids bigint[], nids bigint[]) RETURNS SETOF readiness_rows LANGUAGE sql STABLE AS $$
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
