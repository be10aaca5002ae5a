-- Accounts, login sessions, single-use links, sign-in throttling, the full
-- NGO registry and the append-only audit log.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS citext;

-- The NGO registry's remaining fields.
ALTER TABLE ngos
    ADD COLUMN credit_code    text UNIQUE CHECK (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'),
    ADD COLUMN focus_areas    text[] NOT NULL DEFAULT '{}',
    ADD COLUMN founded_year   integer CHECK (founded_year BETWEEN 1900 AND 2200),
    ADD COLUMN contact_person text NOT NULL DEFAULT '',
    ADD COLUMN phone          text NOT NULL DEFAULT '',
    ADD COLUMN email          text NOT NULL DEFAULT '',
    ADD COLUMN website        text NOT NULL DEFAULT '',
    ADD COLUMN address        text NOT NULL DEFAULT '',
    ADD COLUMN profile_zh     text NOT NULL DEFAULT '',
    ADD COLUMN profile_en     text NOT NULL DEFAULT '';

CREATE TABLE users (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email               citext NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254 AND position('@' IN email) > 1),
    name                text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 100),
    role                text NOT NULL CHECK (role IN ('admin', 'staff')),
    ngo_id              bigint REFERENCES ngos (id),
    -- invited: no password yet; active: may sign in; disabled: may not.
    status              text NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'active', 'disabled')),
    password_hash       text,
    password_changed_at timestamptz,
    version             integer NOT NULL DEFAULT 1,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    -- Staff belong to exactly one NGO; admins to none.
    CHECK ((role = 'staff') = (ngo_id IS NOT NULL)),
    -- Only an active account must have a password; an invited one has none
    -- yet, and a disabled one may never have had one.
    CHECK (status <> 'active' OR password_hash IS NOT NULL)
);
CREATE INDEX users_ngo_idx ON users (ngo_id);

-- A login session: the cookie carries a random id, the table only its hash.
CREATE TABLE auth_sessions (
    id_hash      bytea PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    client_addr  inet,
    flash        text NOT NULL DEFAULT ''
);
CREATE INDEX auth_sessions_user_idx ON auth_sessions (user_id);
CREATE INDEX auth_sessions_expires_idx ON auth_sessions (expires_at);

-- Single-use invitation and password-reset links, stored only as a hash.
CREATE TABLE user_tokens (
    token_hash bytea PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    text NOT NULL CHECK (purpose IN ('invite', 'reset')),
    created_by bigint REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX user_tokens_user_idx ON user_tokens (user_id);

-- Every sign-in attempt, for throttling across instances.
CREATE TABLE login_attempts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    client_addr inet NOT NULL,
    email       citext NOT NULL,
    succeeded   boolean NOT NULL
);
CREATE INDEX login_attempts_addr_idx ON login_attempts (client_addr, at);
CREATE INDEX login_attempts_email_idx ON login_attempts (email, at);

-- The audit log: who did what to which object, when, from where, and the
-- fields that changed.
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_id    bigint REFERENCES users (id),
    actor_email text NOT NULL DEFAULT '',
    action      text NOT NULL,
    object_type text NOT NULL DEFAULT '',
    object_id   bigint,
    ngo_id      bigint REFERENCES ngos (id),
    client_addr inet,
    request_id  text NOT NULL DEFAULT '',
    changes     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at DESC);
CREATE INDEX audit_log_ngo_idx ON audit_log (ngo_id, at DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC);

-- Append-only for everyone who connects as the application: rows can be
-- added and read, never changed or removed.
-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
