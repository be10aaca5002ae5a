-- Names sort as their readers expect: Chinese by pinyin (女建筑师, 女律师,
-- 女医师), English alphabetically without regard to case. The text columns
-- of names take PostgreSQL's ICU collations, so every ORDER BY on them (lists,
-- boards, exports) is in that order without a COLLATE clause of its own.
--
-- zh-Hans-x-icu also sorts Latin letters alphabetically, so it is the
-- collation of the free-form person names (users, representatives), which
-- may be written in either script. The other texts of an NGO that are
-- concatenated with its names for the public search (short_name, the
-- profiles) take the same collation as the name they are joined to: an
-- expression joining two collations has none, and its index could not be
-- built.
--
-- The ICU collations exist when PostgreSQL is built with ICU (Debian's and
-- the official packages are) and initdb imports them. Without them there is
-- no pinyin order to fall back to, so the migration stops and says why.

-- +goose Up
-- +goose StatementBegin
DO $$
DECLARE
    missing text;
BEGIN
    SELECT string_agg(c, ', ') INTO missing
    FROM unnest(ARRAY['zh-Hans-x-icu', 'en-x-icu']) AS c
    WHERE NOT EXISTS (
        SELECT 1 FROM pg_collation
        WHERE collname = c AND collprovider = 'i'
          AND collencoding IN (-1, pg_char_to_encoding(current_setting('server_encoding'))));
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'PostgreSQL has no ICU collation %', missing
            USING HINT = 'The portal sorts Chinese names by pinyin with ICU: use a PostgreSQL built with ICU '
                         '(Debian''s postgresql package is) whose initdb imported the ICU collations '
                         '(SELECT collname FROM pg_collation WHERE collprovider = ''i'').';
    END IF;
END
$$;
-- +goose StatementEnd

ALTER TABLE ngos
    ALTER COLUMN name_zh    TYPE text COLLATE "zh-Hans-x-icu",
    ALTER COLUMN short_name TYPE text COLLATE "zh-Hans-x-icu",
    ALTER COLUMN profile_zh TYPE text COLLATE "zh-Hans-x-icu",
    ALTER COLUMN name_en    TYPE text COLLATE "en-x-icu",
    ALTER COLUMN profile_en TYPE text COLLATE "en-x-icu";

ALTER TABLE officials
    ALTER COLUMN name_zh TYPE text COLLATE "zh-Hans-x-icu",
    ALTER COLUMN name_en TYPE text COLLATE "en-x-icu";

ALTER TABLE themes
    ALTER COLUMN name_zh TYPE text COLLATE "zh-Hans-x-icu",
    ALTER COLUMN name_en TYPE text COLLATE "en-x-icu";

ALTER TABLE key_projects
    ALTER COLUMN name_zh TYPE text COLLATE "zh-Hans-x-icu",
    ALTER COLUMN name_en TYPE text COLLATE "en-x-icu";

ALTER TABLE users ALTER COLUMN name TYPE text COLLATE "zh-Hans-x-icu";

ALTER TABLE representatives ALTER COLUMN name TYPE text COLLATE "zh-Hans-x-icu";
