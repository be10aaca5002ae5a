-- Federation admins are told when an NGO declines its invitation to a
-- session (a new kind of notification; its notices are written by the
-- reply's own transaction, like the reports' since 00018).

-- +goose Up
INSERT INTO notification_kinds (kind, audience, position) VALUES ('invitation_declined', 'admin', 30);

-- +goose Down
DELETE FROM notifications WHERE kind = 'invitation_declined';
DELETE FROM notification_email_optouts WHERE kind = 'invitation_declined';
DELETE FROM notification_kinds WHERE kind = 'invitation_declined';
