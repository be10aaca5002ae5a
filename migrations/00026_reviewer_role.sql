-- Least privilege among the federation's officials: a reviewer reads
-- everything of the federation, reviews reports and runs check-in, but
-- manages nothing (accounts, the NGO registry, the vocabulary, sessions,
-- summaries stay the admins'). Like an admin, a reviewer belongs to no NGO:
-- the existing CHECK ((role = 'staff') = (ngo_id IS NOT NULL)) already says
-- so. Which routes each role may use is decided by the router.

-- +goose Up
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'reviewer', 'staff'));
