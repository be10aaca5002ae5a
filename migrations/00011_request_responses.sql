-- From requests to results. The chair's requests are made at the session,
-- after the reports (with next year's plans) were due, so each NGO a request
-- is addressed to answers it afterwards, by a date the federation sets:
--
--   * with plan items: items of its report of the session's cycle (whose
--     plan year the requests are for) or new items of a plan addendum,
--     linked to the request in report_plan_item_requests as before;
--   * or by saying it plans nothing for it, with a reason.
--
-- Next year's report gives the outcome of each such item in report_progress
-- (previous_plan_item_id), as it already does for the report's own items.

-- +goose Up

-- The date by which the NGOs answer the session's requests; NULL until the
-- federation asks for answers.
ALTER TABLE sessions
    ADD COLUMN responses_due_on date;

-- One NGO's later date for answering a session's requests.
CREATE TABLE response_extensions (
    session_id bigint NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    ngo_id     bigint NOT NULL REFERENCES ngos (id),
    due_on     date NOT NULL,
    reason     text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    created_by bigint REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, ngo_id)
);
CREATE INDEX response_extensions_ngo_idx ON response_extensions (ngo_id);

-- Each reminder the federation sent an NGO to answer a session's requests.
CREATE TABLE response_reminders (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id bigint NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    ngo_id     bigint NOT NULL REFERENCES ngos (id),
    sent_by    bigint REFERENCES users (id),
    sent_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX response_reminders_session_ngo_idx ON response_reminders (session_id, ngo_id, sent_at);
CREATE INDEX response_reminders_ngo_idx ON response_reminders (ngo_id);

-- A plan addendum: the plan items an NGO adds after a session to answer its
-- requests. It is its own record (an accepted report is not reopened), one
-- per NGO and session, with a version for optimistic concurrency; every
-- change is audited.
CREATE TABLE plan_addenda (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id bigint NOT NULL REFERENCES sessions (id),
    ngo_id     bigint NOT NULL REFERENCES ngos (id),
    version    integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (session_id, ngo_id)
);
CREATE INDEX plan_addenda_ngo_idx ON plan_addenda (ngo_id);

-- A plan item belongs to a report or to an addendum, never both: the
-- addendum's items share the report's item table so that themes, key
-- projects, request links and next year's outcomes work the same for both.
ALTER TABLE report_plan_items
    ALTER COLUMN report_id DROP NOT NULL,
    ADD COLUMN addendum_id bigint REFERENCES plan_addenda (id) ON DELETE CASCADE,
    ADD CONSTRAINT report_plan_items_one_owner CHECK (num_nonnulls(report_id, addendum_id) = 1),
    ADD CONSTRAINT report_plan_items_addendum_position_key UNIQUE (addendum_id, position) DEFERRABLE INITIALLY DEFERRED;

-- An NGO's answer to one request: who answered and when, and whether it
-- plans nothing for it (then with a reason). Whether it planned items is
-- not stored here but read from the links of its items to the request, so
-- the two can never disagree; the repository clears nothing_planned when
-- items are linked and unlinks the NGO's items when it says nothing.
CREATE TABLE request_responses (
    request_id      bigint NOT NULL REFERENCES session_requests (id) ON DELETE CASCADE,
    ngo_id          bigint NOT NULL REFERENCES ngos (id),
    nothing_planned boolean NOT NULL DEFAULT false,
    reason          text NOT NULL DEFAULT '' CHECK (length(reason) <= 1000),
    responded_by    bigint REFERENCES users (id),
    responded_at    timestamptz NOT NULL DEFAULT now(),
    version         integer NOT NULL DEFAULT 1,
    PRIMARY KEY (request_id, ngo_id),
    CHECK (NOT nothing_planned OR btrim(reason) <> '')
);
CREATE INDEX request_responses_ngo_idx ON request_responses (ngo_id);

-- Who a request is addressed to, as one relation every figure reads: the
-- NGOs with an unwithdrawn invitation to the session when the request is
-- addressed to all, else the NGOs it names (the same rule the reports'
-- request answers follow).
CREATE VIEW request_addressees AS
SELECT q.id AS request_id, q.session_id, i.ngo_id
FROM session_requests q
JOIN invitations i ON i.session_id = q.session_id AND i.withdrawn_at IS NULL
WHERE q.addressed_to_all
UNION
SELECT q.id, q.session_id, rr.ngo_id
FROM session_requests q
JOIN request_recipients rr ON rr.request_id = q.id
WHERE NOT q.addressed_to_all;

-- Each plan item with the NGO it belongs to, through its report or its
-- addendum.
CREATE VIEW plan_item_owners AS
SELECT p.id AS plan_item_id, p.report_id, p.addendum_id,
       coalesce(r.ngo_id, a.ngo_id) AS ngo_id
FROM report_plan_items p
LEFT JOIN reports r ON r.id = p.report_id
LEFT JOIN plan_addenda a ON a.id = p.addendum_id;
