-- Running the annual leadership session: agenda, invitations and replies
-- with representatives, attendance on the day, and the chair's requests.

-- +goose Up
ALTER TABLE sessions
    ADD COLUMN reply_deadline timestamptz,
    ADD COLUMN copied_from    bigint REFERENCES sessions (id),
    ADD COLUMN cancel_reason  text NOT NULL DEFAULT '';

ALTER TABLE officials
    ADD COLUMN active boolean NOT NULL DEFAULT true;

-- The ordered agenda of a session.
CREATE TABLE agenda_items (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id       bigint NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    position         integer NOT NULL CHECK (position >= 1),
    title_zh         text NOT NULL CHECK (btrim(title_zh) <> '' AND length(title_zh) <= 200),
    title_en         text NOT NULL DEFAULT '' CHECK (length(title_en) <= 200),
    ngo_id           bigint REFERENCES ngos (id),          -- an NGO's speaking slot
    duration_minutes integer CHECK (duration_minutes BETWEEN 1 AND 600),
    UNIQUE (session_id, position) DEFERRABLE INITIALLY DEFERRED
);

-- One invitation per (session, NGO): the NGO's reply and, once the session
-- is held, its attendance. A withdrawn invitation keeps its row.
CREATE TABLE invitations (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id     bigint NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    ngo_id         bigint NOT NULL REFERENCES ngos (id),
    invited_at     timestamptz NOT NULL DEFAULT now(),
    late           boolean NOT NULL DEFAULT false,        -- sent after the session was scheduled
    withdrawn_at   timestamptz,
    reply          text NOT NULL DEFAULT 'none' CHECK (reply IN ('none', 'confirmed', 'declined')),
    decline_reason text NOT NULL DEFAULT '' CHECK (length(decline_reason) <= 500),
    replied_at     timestamptz,
    replied_by     bigint REFERENCES users (id),
    attendance     text NOT NULL DEFAULT 'unknown' CHECK (attendance IN ('unknown', 'present', 'absent', 'excused')),
    excuse_reason  text NOT NULL DEFAULT '' CHECK (length(excuse_reason) <= 500),
    checked_in_at  timestamptz,
    checked_in_by  bigint REFERENCES users (id),
    version        integer NOT NULL DEFAULT 1,
    UNIQUE (session_id, ngo_id),
    CHECK (reply <> 'declined' OR btrim(decline_reason) <> '')
);
CREATE INDEX invitations_ngo_idx ON invitations (ngo_id);

-- The 1–3 people an NGO names to attend, and whether each came.
CREATE TABLE representatives (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invitation_id bigint NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
    position      integer NOT NULL CHECK (position BETWEEN 1 AND 3),
    name          text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 50),
    title         text NOT NULL DEFAULT '' CHECK (length(title) <= 50),   -- job title within the NGO
    mobile        text NOT NULL CHECK (mobile ~ '^1[3-9][0-9]{9}$'),
    attended      boolean NOT NULL DEFAULT false,
    UNIQUE (invitation_id, position)
);

-- The chair's numbered requests of the NGOs at a session.
CREATE TABLE session_requests (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id       bigint NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    number           integer NOT NULL CHECK (number >= 1),
    text_zh          text NOT NULL CHECK (btrim(text_zh) <> '' AND length(text_zh) <= 2000),
    text_en          text NOT NULL DEFAULT '' CHECK (length(text_en) <= 2000),
    made_by          bigint REFERENCES officials (id),
    addressed_to_all boolean NOT NULL DEFAULT true,
    version          integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (session_id, number) DEFERRABLE INITIALLY DEFERRED
);

-- The NGOs a request is addressed to, when not to all invited NGOs.
CREATE TABLE request_recipients (
    request_id bigint NOT NULL REFERENCES session_requests (id) ON DELETE CASCADE,
    ngo_id     bigint NOT NULL REFERENCES ngos (id),
    PRIMARY KEY (request_id, ngo_id)
);
CREATE INDEX request_recipients_ngo_idx ON request_recipients (ngo_id);
