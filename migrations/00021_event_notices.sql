-- NGO staff are told of what the federation does that concerns their NGO,
-- each notice written by the change's own transaction (like 00018's and
-- 00019's), and admins can write to a chosen set of NGOs.
--
--   * session_invited: the NGO is invited to a session. Invitations to a
--     draft session are not shown to NGOs yet, so the notice is written
--     when the NGO can see it: an invitation sent to a scheduled session,
--     or each current invitation when its session is scheduled. The
--     occasion is the invitation's version, so a re-invitation after a
--     withdrawal is told again and scheduling a session twice (after a
--     step back to draft) is not.
--   * request_addressed: the NGO is asked to answer the chair's requests
--     of a held session: when the federation first sets the date for the
--     answers (occasion ''), and for a request addressed to the NGO after
--     that date is set (occasion 'r<request id>'). Before the date is set
--     the NGO cannot answer, so nothing is said.
--   * response_reminded: an admin reminds the NGO of its unanswered
--     requests; the occasion is the response_reminders row, so each
--     reminder is one notice.
--   * admin_message: a message an admin sends to chosen NGOs. The message
--     is kept once in admin_messages (the notices carry only its subject),
--     with the NGOs it went to; form_token, unique, makes a send submitted
--     twice (a double click, a resent form) one message.

-- +goose Up
INSERT INTO notification_kinds (kind, audience, position) VALUES
    ('session_invited',   'staff', 210),
    ('request_addressed', 'staff', 220),
    ('response_reminded', 'staff', 230),
    ('admin_message',     'staff', 240);

CREATE TABLE admin_messages (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject    text NOT NULL CHECK (btrim(subject) <> '' AND length(subject) <= 200),
    body       text NOT NULL CHECK (btrim(body) <> '' AND length(body) <= 20000),
    -- How the recipients were chosen, as the form said it (e.g.
    -- 'no_report:12', 'chosen'): the record of why these NGOs got it.
    audience   text NOT NULL CHECK (audience ~ '^[a-z_]+(:[0-9]+)?$'),
    form_token text NOT NULL UNIQUE CHECK (form_token ~ '^[0-9a-f]{32}$'),
    sent_by    bigint REFERENCES users (id),
    sent_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX admin_messages_sent_idx ON admin_messages (sent_at DESC, id DESC);

CREATE TABLE admin_message_recipients (
    message_id bigint NOT NULL REFERENCES admin_messages (id) ON DELETE CASCADE,
    ngo_id     bigint NOT NULL REFERENCES ngos (id),
    PRIMARY KEY (message_id, ngo_id)
);
CREATE INDEX admin_message_recipients_ngo_idx ON admin_message_recipients (ngo_id, message_id);

-- +goose Down
DROP TABLE admin_message_recipients;
DROP TABLE admin_messages;
DELETE FROM notifications WHERE kind IN ('session_invited', 'request_addressed', 'response_reminded', 'admin_message');
DELETE FROM notification_email_optouts WHERE kind IN ('session_invited', 'request_addressed', 'response_reminded', 'admin_message');
DELETE FROM notification_kinds WHERE kind IN ('session_invited', 'request_addressed', 'response_reminded', 'admin_message');
