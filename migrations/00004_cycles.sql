-- Reporting cycles, part two: per-NGO deadline extensions, and the
-- federation's bilingual vocabulary (themes and key projects) that report
-- activities and plan items are tagged from.

-- +goose Up

-- A later deadline for one NGO in one cycle, with the reason it was granted.
-- That the new deadline falls after the cycle's own is checked by the
-- portal: a CHECK cannot see the cycle's row.
CREATE TABLE cycle_extensions (
    cycle_id   bigint NOT NULL REFERENCES reporting_cycles (id) ON DELETE CASCADE,
    ngo_id     bigint NOT NULL REFERENCES ngos (id),
    deadline   date NOT NULL,
    reason     text NOT NULL CHECK (btrim(reason) <> '' AND length(reason) <= 500),
    created_by bigint REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cycle_id, ngo_id)
);
CREATE INDEX cycle_extensions_ngo_idx ON cycle_extensions (ngo_id);

-- The federation's themes. Never deleted (reports reference them): a theme
-- no longer offered is retired (active = false). Position orders the list;
-- its uniqueness is checked at commit so that two rows can swap places.
CREATE TABLE themes (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name_zh        text NOT NULL UNIQUE CHECK (btrim(name_zh) <> '' AND length(name_zh) <= 60),
    name_en        text NOT NULL CHECK (btrim(name_en) <> '' AND length(name_en) <= 100),
    description_zh text NOT NULL DEFAULT '' CHECK (length(description_zh) <= 500),
    description_en text NOT NULL DEFAULT '' CHECK (length(description_en) <= 500),
    position       integer NOT NULL CHECK (position >= 1),
    active         boolean NOT NULL DEFAULT true,
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT themes_position_key UNIQUE (position) DEFERRABLE INITIALLY DEFERRED
);

-- The federation's key projects, kept exactly like themes.
CREATE TABLE key_projects (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name_zh        text NOT NULL UNIQUE CHECK (btrim(name_zh) <> '' AND length(name_zh) <= 60),
    name_en        text NOT NULL CHECK (btrim(name_en) <> '' AND length(name_en) <= 100),
    description_zh text NOT NULL DEFAULT '' CHECK (length(description_zh) <= 500),
    description_en text NOT NULL DEFAULT '' CHECK (length(description_en) <= 500),
    position       integer NOT NULL CHECK (position >= 1),
    active         boolean NOT NULL DEFAULT true,
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT key_projects_position_key UNIQUE (position) DEFERRABLE INITIALLY DEFERRED
);
