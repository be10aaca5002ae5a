-- The annual work report: one per (reporting cycle, NGO). The year under
-- review's activities and media work, the plan for the next year, progress
-- against last year's plan, answers to the leadership session's requests,
-- the declaration, the review history and the attachments.
--
-- Rows of a report (activities, media, plan items, progress, answers) are
-- complete when stored: a draft is saved only once every row passes the
-- portal's validation. What a CHECK cannot see (a date inside the year under
-- review, which lives on the cycle; at most 200 rows per table) is checked
-- by the portal (portal.Report.Validate).

-- +goose Up

-- The report itself. status: draft (the NGO is writing), submitted (waiting
-- for the federation), returned (sent back for changes; editable again),
-- accepted (final, read-only).
CREATE TABLE reports (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cycle_id             bigint NOT NULL REFERENCES reporting_cycles (id),
    ngo_id               bigint NOT NULL REFERENCES ngos (id),
    status               text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'returned', 'accepted')),
    narrative            text NOT NULL DEFAULT '' CHECK (length(narrative) <= 20000),
    highlight            text NOT NULL DEFAULT '' CHECK (length(highlight) <= 500),      -- the public highlight
    legal_representative text NOT NULL DEFAULT '' CHECK (length(legal_representative) <= 50),
    declaration          boolean NOT NULL DEFAULT false,
    declared_by          bigint REFERENCES users (id),
    submitted_at         timestamptz,                 -- the latest submission
    accepted_at          timestamptz,
    version              integer NOT NULL DEFAULT 1,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (cycle_id, ngo_id),
    CHECK (status = 'draft' OR submitted_at IS NOT NULL),
    CHECK ((status = 'accepted') = (accepted_at IS NOT NULL)),
    CHECK (NOT declaration OR declared_by IS NOT NULL)
);
CREATE INDEX reports_ngo_idx ON reports (ngo_id);

-- The activities of the year under review.
CREATE TABLE report_activities (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id      bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    position       integer NOT NULL CHECK (position >= 1),
    title          text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 200),
    kind           text NOT NULL CHECK (kind IN ('lecture', 'themed_activity', 'training', 'service', 'campaign', 'epidemic_response', 'other')),
    mode           text NOT NULL CHECK (mode IN ('online', 'offline', 'hybrid')),
    starts_on      date NOT NULL,
    ends_on        date NOT NULL,
    people_reached integer NOT NULL DEFAULT 0 CHECK (people_reached >= 0),
    women_reached  integer NOT NULL DEFAULT 0 CHECK (women_reached >= 0),
    partners       text NOT NULL DEFAULT '' CHECK (length(partners) <= 500),
    UNIQUE (report_id, position) DEFERRABLE INITIALLY DEFERRED,
    CHECK (ends_on >= starts_on),
    CHECK (women_reached <= people_reached)
);

-- The federation's themes an activity is tagged with.
CREATE TABLE report_activity_themes (
    activity_id bigint NOT NULL REFERENCES report_activities (id) ON DELETE CASCADE,
    theme_id    bigint NOT NULL REFERENCES themes (id),
    PRIMARY KEY (activity_id, theme_id)
);
CREATE INDEX report_activity_themes_theme_idx ON report_activity_themes (theme_id);

-- Media work of the year under review, one row per channel line.
CREATE TABLE report_media (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    position  integer NOT NULL CHECK (position >= 1),
    channel   text NOT NULL CHECK (channel IN ('wechat', 'weibo', 'douyin', 'website', 'other')),
    items     integer NOT NULL DEFAULT 0 CHECK (items >= 0),
    reads     bigint NOT NULL DEFAULT 0 CHECK (reads >= 0),
    UNIQUE (report_id, position) DEFERRABLE INITIALLY DEFERRED
);

-- The plan for the next year. quarter NULL means the whole year.
CREATE TABLE report_plan_items (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id      bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    position       integer NOT NULL CHECK (position >= 1),
    title          text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 200),
    description    text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    quarter        integer CHECK (quarter BETWEEN 1 AND 4),
    key_project_id bigint REFERENCES key_projects (id),
    UNIQUE (report_id, position) DEFERRABLE INITIALLY DEFERRED
);

-- The themes a plan item is tagged with.
CREATE TABLE report_plan_item_themes (
    plan_item_id bigint NOT NULL REFERENCES report_plan_items (id) ON DELETE CASCADE,
    theme_id     bigint NOT NULL REFERENCES themes (id),
    PRIMARY KEY (plan_item_id, theme_id)
);
CREATE INDEX report_plan_item_themes_theme_idx ON report_plan_item_themes (theme_id);

-- The leadership session requests a plan item responds to.
CREATE TABLE report_plan_item_requests (
    plan_item_id bigint NOT NULL REFERENCES report_plan_items (id) ON DELETE CASCADE,
    request_id   bigint NOT NULL REFERENCES session_requests (id),
    PRIMARY KEY (plan_item_id, request_id)
);
CREATE INDEX report_plan_item_requests_request_idx ON report_plan_item_requests (request_id);

-- Progress against the plan items of the NGO's previous accepted report.
-- The title is copied so the row still reads well on its own; status ''
-- means not answered yet. previous_plan_item_id is NULL only for a row
-- whose source no longer exists (never in practice: accepted reports are
-- read-only, so their plan items are never replaced).
CREATE TABLE report_progress (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id             bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    position              integer NOT NULL CHECK (position >= 1),
    previous_plan_item_id bigint REFERENCES report_plan_items (id),
    title                 text NOT NULL CHECK (length(title) <= 200),
    status                text NOT NULL DEFAULT '' CHECK (status IN ('', 'done', 'partly', 'not_done')),
    note                  text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    UNIQUE (report_id, position) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX report_progress_previous_idx ON report_progress (previous_plan_item_id);

-- The NGO's answer to each request the previous leadership session
-- addressed to it ('' = not answered yet).
CREATE TABLE report_request_answers (
    report_id  bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    request_id bigint NOT NULL REFERENCES session_requests (id),
    answer     text NOT NULL DEFAULT '' CHECK (length(answer) <= 2000),
    PRIMARY KEY (report_id, request_id)
);
CREATE INDEX report_request_answers_request_idx ON report_request_answers (request_id);

-- The status history of a report. A return carries the reviewer's comment
-- and per-section comments ({"section": "comment"}); a submission carries a
-- snapshot of the report's content so a resubmission can be compared with
-- the previous one.
CREATE TABLE report_events (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id        bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    at               timestamptz NOT NULL DEFAULT now(),
    actor_id         bigint REFERENCES users (id),
    action           text NOT NULL CHECK (action IN ('created', 'submitted', 'returned', 'resubmitted', 'accepted')),
    comment          text NOT NULL DEFAULT '' CHECK (length(comment) <= 5000),
    section_comments jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(section_comments) = 'object'),
    snapshot         jsonb,
    CHECK ((action IN ('submitted', 'resubmitted')) = (snapshot IS NOT NULL)),
    CHECK (action <> 'returned' OR btrim(comment) <> '' OR section_comments <> '{}'::jsonb)
);
CREATE INDEX report_events_report_idx ON report_events (report_id, at, id);

-- Files attached to a report: its cover page (signed and stamped) and any
-- supporting documents. Kept in the database so a backup holds everything.
CREATE TABLE report_attachments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id    bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    kind         text NOT NULL CHECK (kind IN ('cover', 'supporting')),
    filename     text NOT NULL CHECK (btrim(filename) <> '' AND length(filename) <= 200),
    content_type text NOT NULL CHECK (btrim(content_type) <> ''),
    size_bytes   bigint NOT NULL CHECK (size_bytes > 0),
    sha256       bytea NOT NULL CHECK (octet_length(sha256) = 32),
    data         bytea NOT NULL,
    uploaded_by  bigint REFERENCES users (id),
    uploaded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX report_attachments_report_idx ON report_attachments (report_id);
-- One signed-and-sealed cover page per report; a new one replaces the old.
CREATE UNIQUE INDEX report_attachments_one_cover ON report_attachments (report_id) WHERE kind = 'cover';
