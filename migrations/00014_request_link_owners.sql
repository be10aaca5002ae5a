-- The answers overview at the size of a large federation. Whether an NGO
-- planned items for a request is read from the links of its plan items to
-- the request; finding each link's NGO through the plan item and its report
-- or addendum cost two index probes per link (about 2,400 links per session
-- at 2,000 NGOs). The link now holds the NGO of its plan item, kept by
-- triggers, so the pairs (request, NGO) with linked items are one range of
-- an index.
--
-- Two partial indexes let the overview read a session's addressees and its
-- "nothing planned" answers from an index alone.
--
-- request_addressees becomes a UNION ALL: its two branches never share a
-- request (addressed to all or not), and within each the pairs are unique
-- (one invitation per session and NGO; request_recipients' key), so the
-- rows are the same without the de-duplication.

-- +goose Up
ALTER TABLE report_plan_item_requests ADD COLUMN ngo_id bigint;

UPDATE report_plan_item_requests l SET ngo_id = o.ngo_id
FROM plan_item_owners o WHERE o.plan_item_id = l.plan_item_id;

ALTER TABLE report_plan_item_requests ALTER COLUMN ngo_id SET NOT NULL;

CREATE INDEX report_plan_item_requests_request_ngo_idx ON report_plan_item_requests (request_id, ngo_id);

CREATE INDEX invitations_session_unwithdrawn_idx ON invitations (session_id, ngo_id) WHERE withdrawn_at IS NULL;
CREATE INDEX request_responses_nothing_idx ON request_responses (request_id, ngo_id) WHERE nothing_planned;

-- A link takes the NGO of its plan item.
-- +goose StatementBegin
CREATE FUNCTION report_plan_item_requests_set_ngo() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT o.ngo_id INTO NEW.ngo_id FROM plan_item_owners o WHERE o.plan_item_id = NEW.plan_item_id;
    RETURN NEW;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER report_plan_item_requests_ngo
    BEFORE INSERT OR UPDATE OF plan_item_id, ngo_id ON report_plan_item_requests
    FOR EACH ROW EXECUTE FUNCTION report_plan_item_requests_set_ngo();

-- A plan item moved to another report or addendum (the portal never does
-- so) moves its links' NGO with it.
-- +goose StatementBegin
CREATE FUNCTION report_plan_items_links_ngo() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE report_plan_item_requests SET plan_item_id = plan_item_id WHERE plan_item_id = NEW.id;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER report_plan_items_links_ngo
    AFTER UPDATE OF report_id, addendum_id ON report_plan_items
    FOR EACH ROW WHEN (OLD.report_id IS DISTINCT FROM NEW.report_id OR OLD.addendum_id IS DISTINCT FROM NEW.addendum_id)
    EXECUTE FUNCTION report_plan_items_links_ngo();

CREATE OR REPLACE VIEW request_addressees AS
SELECT q.id AS request_id, q.session_id, i.ngo_id
FROM session_requests q
JOIN invitations i ON i.session_id = q.session_id AND i.withdrawn_at IS NULL
WHERE q.addressed_to_all
UNION ALL
SELECT q.id, q.session_id, rr.ngo_id
FROM session_requests q
JOIN request_recipients rr ON rr.request_id = q.id
WHERE NOT q.addressed_to_all;
