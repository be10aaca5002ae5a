-- Notifications, in the portal and by email, each sent once.
--
-- A change that concerns someone (a report submitted, returned, accepted…)
-- writes, in its own transaction, one row per recipient into notifications,
-- and for each recipient who has not turned email off for that kind one row
-- into email_deliveries: the outbox. Notice and change commit or roll back
-- together, so a notice never speaks of a change that did not happen and a
-- change never goes unannounced.
--
--   * notifications is idempotent per (recipient, kind, object, occasion):
--     producers insert with ON CONFLICT DO NOTHING, so a retried or repeated
--     producer (a reminder computed twice, two instances racing) never makes
--     a second notice. occasion tells apart events that may legitimately
--     happen again to the same object (the report's version after a second
--     return; a reminder's "7 days before"); '' when the event happens once.
--   * The message is not stored as text: params (jsonb) hold what it needs
--     in either language (an NGO's Chinese and English names, a year), so the
--     portal shows it in the reader's language and the mail goes out in the
--     recipient's.
--   * email_deliveries is a SELECT ... FOR UPDATE SKIP LOCKED outbox of our
--     own rather than a job queue's tables: no second migration system, the
--     row is written by the same pgx transaction as the change, and messages
--     stay ordinary rows that the admins' mail log reads. A worker claims due
--     rows in a short transaction and leases them by pushing next_attempt_at
--     forward, sends outside any transaction, then records the outcome:
--     at-least-once, and with several instances each row is claimed by one.
--     The rendered subject, text and HTML are kept as sent (or, without SMTP
--     configured, as they would have been sent: status 'logged').
--   * The kinds are rows of notification_kinds, each with the role it
--     concerns, so that a later producer adds its kind with an INSERT and
--     the preferences page offers each account only the kinds of its role.
--   * Email is on by default: notification_email_optouts holds the kinds a
--     user has turned off (the in-portal notice is always kept).

-- +goose Up

-- The account's language for what the portal sends it.
ALTER TABLE users
    ADD COLUMN locale text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en'));

CREATE TABLE notification_kinds (
    kind     text PRIMARY KEY CHECK (kind ~ '^[a-z][a-z_]{1,40}$'),
    audience text NOT NULL CHECK (audience IN ('admin', 'staff')),
    position integer NOT NULL UNIQUE
);
INSERT INTO notification_kinds (kind, audience, position) VALUES
    ('report_submitted',   'admin', 10),
    ('report_resubmitted', 'admin', 20),
    ('report_returned',    'staff', 110),
    ('report_accepted',    'staff', 120);

CREATE TABLE notification_email_optouts (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    text NOT NULL REFERENCES notification_kinds (kind),
    PRIMARY KEY (user_id, kind)
);

CREATE TABLE notifications (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         text NOT NULL REFERENCES notification_kinds (kind),
    object_id    bigint NOT NULL,
    occasion     text NOT NULL DEFAULT '' CHECK (length(occasion) <= 100),
    params       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),
    -- A path on this site; the mail makes it absolute with PORTAL_BASE_URL.
    link         text NOT NULL CHECK (link ~ '^/[^/]'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    read_at      timestamptz,
    UNIQUE (recipient_id, kind, object_id, occasion)
);
-- The list, newest first, and the header's unread count (an index-only
-- count over the recipient's unread rows).
CREATE INDEX notifications_recipient_idx ON notifications (recipient_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (recipient_id) WHERE read_at IS NULL;

CREATE TABLE email_deliveries (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    notification_id bigint NOT NULL UNIQUE REFERENCES notifications (id) ON DELETE CASCADE,
    -- pending: to be sent when due; sent: accepted by the SMTP server;
    -- failed: gave up after the last attempt (an admin may retry);
    -- logged: rendered and kept, because no SMTP server is configured.
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'logged')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- When a pending row is next due; a worker that claims a row moves it
    -- forward by its lease, so no other worker takes the row meanwhile.
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text NOT NULL DEFAULT '',
    sent_at         timestamptz,
    -- As rendered at the last attempt: the address, language and parts.
    to_address      text NOT NULL DEFAULT '',
    locale          text NOT NULL DEFAULT '',
    subject         text NOT NULL DEFAULT '',
    body_text       text NOT NULL DEFAULT '',
    body_html       text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((status IN ('sent', 'logged')) = (sent_at IS NOT NULL))
);
CREATE INDEX email_deliveries_due_idx ON email_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX email_deliveries_log_idx ON email_deliveries (status, created_at DESC, id DESC);
CREATE INDEX email_deliveries_created_idx ON email_deliveries (created_at DESC, id DESC);
