-- A second factor for signing in: time-based one-time passwords (RFC 6238)
-- and one-use recovery codes. Federation admins must have one; staff may.
--
--   user_second_factors       a user's confirmed authenticator: its secret
--                             (base32; the server needs it to compute codes)
--                             and the last time step a code was accepted for,
--                             so that no code is accepted twice
--   second_factor_enrolments  a secret shown to the user and not yet
--                             confirmed with a code
--   recovery_codes            ten one-use codes per user, stored only as
--                             their SHA-256
--   sign_in_challenges        the state between a right password and the
--                             code: not a login session; keyed by the hash
--                             of a random id kept in a signed cookie, and
--                             short-lived

-- +goose Up
CREATE TABLE user_second_factors (
    user_id     bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    totp_secret text NOT NULL CHECK (totp_secret ~ '^[A-Z2-7]{16,128}$'),
    last_step   bigint NOT NULL DEFAULT 0,
    enrolled_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE second_factor_enrolments (
    user_id     bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    totp_secret text NOT NULL CHECK (totp_secret ~ '^[A-Z2-7]{16,128}$'),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE recovery_codes (
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  bytea NOT NULL CHECK (length(code_hash) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    used_at    timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE sign_in_challenges (
    id_hash    bytea PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    text NOT NULL CHECK (purpose IN ('code', 'enrol')),
    next_path  text NOT NULL DEFAULT '',
    client_addr inet,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX sign_in_challenges_user_idx ON sign_in_challenges (user_id);
CREATE INDEX sign_in_challenges_expires_idx ON sign_in_challenges (expires_at);

-- +goose Down
DROP TABLE sign_in_challenges;
DROP TABLE recovery_codes;
DROP TABLE second_factor_enrolments;
DROP TABLE user_second_factors;
