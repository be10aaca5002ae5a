-- The federation's officials, its NGOs, the reporting cycles and the annual
-- leadership sessions that close them. Later migrations add accounts,
-- invitations, attendance, reports and summaries on top of these.

-- +goose Up
CREATE TABLE officials (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name_zh    text NOT NULL CHECK (btrim(name_zh) <> ''),
    name_en    text NOT NULL CHECK (btrim(name_en) <> ''),
    position   text NOT NULL CHECK (position IN ('chairperson', 'vice_chairperson', 'secretary_general', 'other')),
    term_start date NOT NULL,
    term_end   date CHECK (term_end IS NULL OR term_end >= term_start),
    version    integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (name_zh, position, term_start)
);

CREATE TABLE ngos (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug              text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name_zh           text NOT NULL UNIQUE CHECK (btrim(name_zh) <> ''),
    name_en           text NOT NULL CHECK (btrim(name_en) <> ''),
    short_name        text NOT NULL DEFAULT '',
    active            boolean NOT NULL DEFAULT true,
    show_in_directory boolean NOT NULL DEFAULT false,
    version           integer NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

-- A reporting cycle collects "work of year N, plans for year N+1".
CREATE TABLE reporting_cycles (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    review_year integer NOT NULL UNIQUE CHECK (review_year BETWEEN 1949 AND 2200),
    plan_year   integer NOT NULL,
    opens_on    date NOT NULL,
    deadline    date NOT NULL,
    status      text NOT NULL DEFAULT 'open' CHECK (status IN ('draft', 'open', 'closed')),
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (plan_year = review_year + 1),
    CHECK (deadline >= opens_on)
);

-- A leadership session; each closes at most one reporting cycle.
CREATE TABLE sessions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug       text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title_zh   text NOT NULL CHECK (btrim(title_zh) <> ''),
    title_en   text NOT NULL CHECK (btrim(title_en) <> ''),
    level      text NOT NULL CHECK (level IN ('municipal', 'district')),
    held_on    date NOT NULL,
    starts_at  time,
    venue_zh   text NOT NULL DEFAULT '',
    venue_en   text NOT NULL DEFAULT '',
    cycle_id   bigint UNIQUE REFERENCES reporting_cycles (id),
    status     text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'held', 'closed', 'cancelled')),
    version    integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_held_on_idx ON sessions (held_on DESC);

-- The officials present at a session, chosen from the roster.
CREATE TABLE session_officials (
    session_id  bigint NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    official_id bigint NOT NULL REFERENCES officials (id),
    PRIMARY KEY (session_id, official_id)
);
CREATE INDEX session_officials_official_idx ON session_officials (official_id);
