-- Every write that can change a public page tells every instance of the
-- portal, so that each can drop the pages it keeps rendered in memory (the
-- public page cache, internal/server/page_cache.go). The tell is a NOTIFY
-- on the channel portal_public_change, sent by triggers in the transaction
-- of the write: PostgreSQL delivers it only if that transaction commits,
-- after it commits, and to every session that LISTENs on the channel,
-- whichever instance it belongs to. Its payload names the table that
-- changed; identical payloads of one transaction are delivered once.
--
-- What the public pages read (internal/postgres/public.go): published
-- summaries, their sessions, cycles, officials, requests and the NGOs
-- present, and the NGOs of the public directory. A draft summary's edits
-- and an invitation's reply change no public page, so they notify nothing;
-- anything else on these tables does (a false alarm costs one render of
-- each page, a missed one would show stale pages).

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION notify_public_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('portal_public_change', TG_TABLE_NAME);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- Summaries: only a published one, or one that stops being published.
CREATE TRIGGER summaries_public_insert AFTER INSERT ON summaries
    FOR EACH ROW WHEN (NEW.status = 'published') EXECUTE FUNCTION notify_public_change();
CREATE TRIGGER summaries_public_update AFTER UPDATE ON summaries
    FOR EACH ROW WHEN (OLD.status = 'published' OR NEW.status = 'published') EXECUTE FUNCTION notify_public_change();
CREATE TRIGGER summaries_public_delete AFTER DELETE ON summaries
    FOR EACH ROW WHEN (OLD.status = 'published') EXECUTE FUNCTION notify_public_change();

-- Invitations: who was present, and an invitation added, withdrawn or removed.
CREATE TRIGGER invitations_public_change AFTER INSERT OR DELETE OR UPDATE OF attendance, withdrawn_at, ngo_id, session_id
    ON invitations FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();

-- The rest: any change.
CREATE TRIGGER sessions_public_change AFTER INSERT OR UPDATE OR DELETE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
CREATE TRIGGER reporting_cycles_public_change AFTER INSERT OR UPDATE OR DELETE ON reporting_cycles
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
CREATE TRIGGER session_officials_public_change AFTER INSERT OR UPDATE OR DELETE ON session_officials
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
CREATE TRIGGER officials_public_change AFTER INSERT OR UPDATE OR DELETE ON officials
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
CREATE TRIGGER session_requests_public_change AFTER INSERT OR UPDATE OR DELETE ON session_requests
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
CREATE TRIGGER ngos_public_change AFTER INSERT OR UPDATE OR DELETE ON ngos
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();

-- TRUNCATE (tests, a restore) empties pages too.
CREATE TRIGGER summaries_public_truncate AFTER TRUNCATE ON summaries
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
CREATE TRIGGER invitations_public_truncate AFTER TRUNCATE ON invitations
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
CREATE TRIGGER sessions_public_truncate AFTER TRUNCATE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
CREATE TRIGGER ngos_public_truncate AFTER TRUNCATE ON ngos
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
CREATE TRIGGER officials_public_truncate AFTER TRUNCATE ON officials
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
CREATE TRIGGER session_requests_public_truncate AFTER TRUNCATE ON session_requests
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
