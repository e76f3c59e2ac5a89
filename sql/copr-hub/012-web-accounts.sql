-- copr-hub schema: from 11 to 12
-- Web accounts: passwords for the web sign-in (Argon2id, PHC string), sign-in sessions (only the SHA-256
-- of the cookie is stored), failed sign-in counters per account and per address (to slow guessing down),
-- names for API tokens (the /api/ page lists them), and requests for project roles that the project's
-- admins approve or refuse on the permissions page.
BEGIN;

CREATE TABLE web_passwords (
    user_id     integer PRIMARY KEY REFERENCES users (id),
    hash        text NOT NULL CHECK (hash LIKE '$argon2id$%'),
    change_time timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE web_sessions (
    id          serial PRIMARY KEY,
    user_id     integer NOT NULL REFERENCES users (id),
    key_hash    bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    start_time  timestamptz NOT NULL DEFAULT now(),
    seen_time   timestamptz NOT NULL DEFAULT now(),
    expire_time timestamptz NOT NULL,
    address     text,
    revoked     boolean NOT NULL DEFAULT false,
    CHECK (expire_time > start_time)
);
CREATE INDEX web_sessions_user ON web_sessions (user_id) WHERE NOT revoked;

-- One row per throttled key: 'user:NAME' or 'addr:IP'. Failures count within a window; each failure
-- past the free ones pushes locked_until further (exponential, capped).
CREATE TABLE login_failures (
    key          text PRIMARY KEY CHECK (key ~ '^(user|addr):'),
    failures     integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    first_time   timestamptz NOT NULL DEFAULT now(),
    locked_until timestamptz
);

ALTER TABLE api_tokens ADD COLUMN name text NOT NULL DEFAULT 'token' CHECK (length(name) BETWEEN 1 AND 100);

CREATE TABLE project_role_requests (
    id          serial PRIMARY KEY,
    project_id  integer NOT NULL REFERENCES projects (id),
    user_id     integer NOT NULL REFERENCES users (id),
    role        text NOT NULL CHECK (role IN ('admin', 'builder')),
    state       text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'refused')),
    create_time timestamptz NOT NULL DEFAULT now(),
    decided_by  integer REFERENCES users (id),
    decide_time timestamptz,
    CHECK ((state = 'pending') = (decided_by IS NULL))
);
CREATE UNIQUE INDEX project_role_requests_open ON project_role_requests (project_id, user_id, role) WHERE state = 'pending';

COMMIT;
