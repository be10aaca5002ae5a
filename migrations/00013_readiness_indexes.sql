-- Indexes for the readiness board at the size of a large federation
-- (2,000 invited NGOs): each NGO's figures are read through an index
-- instead of scanning every session's or every year's rows.

-- +goose Up

-- The representatives an NGO named (not walk-ins), counted per invitation
-- by an index-only scan.
CREATE INDEX representatives_named_idx ON representatives (invitation_id) WHERE NOT walk_in;

-- The NGOs that said they plan nothing for a request, read by request
-- without the other answers.
CREATE INDEX request_responses_nothing_planned_idx ON request_responses (request_id, ngo_id) WHERE nothing_planned;
