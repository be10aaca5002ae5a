-- The public summary of each leadership session, its version history, and
-- the indexes of the public search (published summaries and the NGOs of the
-- public directory, in Chinese and in English).
--
-- Search: English texts are matched by full-text search (a tsvector with the
-- 'english' configuration); Chinese texts, which PostgreSQL's parsers do not
-- split into words, by substring (ILIKE) with pg_trgm's GIN indexes as the
-- accelerator. The substring condition is what decides a match, so a
-- database whose locale makes pg_trgm drop CJK characters from its trigrams
-- (the C locale does) still answers correctly, only without the index.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- One summary per session. title/lead/body in both languages: the lead is
-- plain text, the body Markdown. status: draft (never public; an
-- unpublished summary is a draft again) or published.
-- first_published_at: the public "published" date, kept across an
-- unpublish; content_updated_at: the public "updated" date, set when the
-- text of a published summary changes. composed_hash: SHA-256 of the texts
-- the composer last wrote (NULL: never composed), so that composing again
-- can tell whether the admin edited them. public_hash: SHA-256 of the texts
-- the public last saw, so that republishing changed text sets the
-- "updated" date.
CREATE TABLE summaries (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id         bigint NOT NULL UNIQUE REFERENCES sessions (id) ON DELETE CASCADE,
    title_zh           text NOT NULL DEFAULT '' CHECK (length(title_zh) <= 200),
    title_en           text NOT NULL DEFAULT '' CHECK (length(title_en) <= 300),
    lead_zh            text NOT NULL DEFAULT '' CHECK (length(lead_zh) <= 1000),
    lead_en            text NOT NULL DEFAULT '' CHECK (length(lead_en) <= 2000),
    body_zh            text NOT NULL DEFAULT '' CHECK (length(body_zh) <= 50000),
    body_en            text NOT NULL DEFAULT '' CHECK (length(body_en) <= 100000),
    cover_data         bytea,
    cover_type         text CHECK (cover_type IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
    cover_sha256       bytea CHECK (octet_length(cover_sha256) = 32),
    cover_alt_zh       text NOT NULL DEFAULT '' CHECK (length(cover_alt_zh) <= 300),
    cover_alt_en       text NOT NULL DEFAULT '' CHECK (length(cover_alt_en) <= 500),
    status             text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    first_published_at timestamptz,
    content_updated_at timestamptz,
    composed_hash      bytea CHECK (octet_length(composed_hash) = 32),
    public_hash        bytea CHECK (octet_length(public_hash) = 32),
    version            integer NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    search_en          tsvector GENERATED ALWAYS AS
                           (to_tsvector('english', title_en || ' ' || lead_en || ' ' || body_en)) STORED,
    -- A cover is whole (bytes, type, checksum) and described in both languages.
    CHECK ((cover_data IS NULL) = (cover_type IS NULL) AND (cover_data IS NULL) = (cover_sha256 IS NULL)),
    CHECK (cover_data IS NULL OR (btrim(cover_alt_zh) <> '' AND btrim(cover_alt_en) <> '')),
    -- What the public reads has a title and a body in both languages.
    CHECK (status = 'draft' OR (btrim(title_zh) <> '' AND btrim(title_en) <> ''
                                AND btrim(body_zh) <> '' AND btrim(body_en) <> ''
                                AND first_published_at IS NOT NULL)),
    CHECK (content_updated_at IS NULL OR first_published_at IS NOT NULL)
);
CREATE INDEX summaries_published_idx ON summaries (first_published_at DESC) WHERE status = 'published';
CREATE INDEX summaries_search_en_idx ON summaries USING gin (search_en);
CREATE INDEX summaries_search_zh_idx ON summaries
    USING gin ((title_zh || ' ' || lead_zh || ' ' || body_zh) gin_trgm_ops);

-- Every saved state of a summary: number n is the state after the write
-- that set summaries.version to n. action says what the write was.
CREATE TABLE summary_versions (
    summary_id   bigint NOT NULL REFERENCES summaries (id) ON DELETE CASCADE,
    number       integer NOT NULL CHECK (number >= 1),
    action       text NOT NULL CHECK (action IN ('composed', 'edited', 'published', 'unpublished',
                                                 'cover_set', 'cover_removed')),
    status       text NOT NULL CHECK (status IN ('draft', 'published')),
    title_zh     text NOT NULL,
    title_en     text NOT NULL,
    lead_zh      text NOT NULL,
    lead_en      text NOT NULL,
    body_zh      text NOT NULL,
    body_en      text NOT NULL,
    cover_sha256 bytea,
    cover_alt_zh text NOT NULL DEFAULT '',
    cover_alt_en text NOT NULL DEFAULT '',
    actor_id     bigint REFERENCES users (id),
    at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (summary_id, number)
);

-- The public NGO directory (active NGOs shown in the directory), searched
-- like the summaries. Expression indexes rather than generated columns:
-- the registry's table keeps its shape.
CREATE INDEX ngos_search_en_idx ON ngos
    USING gin (to_tsvector('english', name_en || ' ' || profile_en));
CREATE INDEX ngos_search_zh_idx ON ngos
    USING gin ((name_zh || ' ' || short_name || ' ' || profile_zh) gin_trgm_ops);
