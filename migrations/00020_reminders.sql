-- Reminders and the admins' daily digest, written by a schedule that runs
-- once across all portal instances.
--
--   * schedule_leases holds one row per schedule. An instance runs the
--     schedule only after taking the row with one atomic statement (an
--     INSERT ... ON CONFLICT DO UPDATE ... WHERE leased_until <= now), so
--     with several instances one runs at a time. While it runs, the lease
--     keeps the others off for a bounded time: a run that dies leaves the
--     lease to expire. A finished run keeps the lease until its next run is
--     due, so the instances together run the schedule about once per
--     interval, and an instance starting after downtime (the lease long
--     expired) runs it at once: it catches up.
--   * The reminders are computed from the data at each run (who has not
--     submitted, not replied) and written like every other notice, once per
--     (recipient, kind, object, occasion): the occasion names the threshold
--     and the deadline it counts to ('d7:2027-01-08'), so a repeated or
--     racing run writes nothing twice, and a deadline moved (an extension)
--     is reminded of afresh.
--   * users.daily_digest: an admin's opt-in to the daily digest (off by
--     default), set on the notification settings page.

-- +goose Up
-- schedule is an identifier ('reminders'), not a name people read: it is
-- compared byte for byte and needs no collation.
CREATE TABLE schedule_leases (
    schedule     text PRIMARY KEY CHECK (schedule ~ '^[a-z][a-z_]{1,40}$'),
    holder       text NOT NULL DEFAULT '' CHECK (length(holder) <= 200),
    leased_until timestamptz NOT NULL DEFAULT '-infinity',
    last_run_at  timestamptz
);

ALTER TABLE users ADD COLUMN daily_digest boolean NOT NULL DEFAULT false;

INSERT INTO notification_kinds (kind, audience, position) VALUES
    ('daily_digest',   'admin', 290),
    ('cycle_opened',   'staff', 130),
    ('report_due',     'staff', 140),
    ('report_overdue', 'staff', 150),
    ('reply_due',      'staff', 250);

-- The digest reads one day of report events.
CREATE INDEX report_events_at_idx ON report_events (at);

-- +goose Down
DROP INDEX report_events_at_idx;
DELETE FROM notifications WHERE kind IN ('daily_digest', 'cycle_opened', 'report_due', 'report_overdue', 'reply_due');
DELETE FROM notification_email_optouts WHERE kind IN ('daily_digest', 'cycle_opened', 'report_due', 'report_overdue', 'reply_due');
DELETE FROM notification_kinds WHERE kind IN ('daily_digest', 'cycle_opened', 'report_due', 'report_overdue', 'reply_due');
ALTER TABLE users DROP COLUMN daily_digest;
DROP TABLE schedule_leases;
