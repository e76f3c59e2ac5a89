-- copr-hub schema: from (empty) to 1
-- Users, groups, tokens, sessions and permissions; Copr projects and chroots with the Koji tags and
-- targets they appear as; hosts, channels, tasks, packages, builds and rpms shaped after Koji's
-- schemas/schema.sql so the later build, scheduler and watchdog work needs no rework.
BEGIN;

-- Koji's users table: normal users, HOST users (one per builder) and groups share one name space,
-- as in Koji. Copr groups are stored with their '@' (e.g. '@copr') so they never clash with a user.
CREATE TABLE users (
    id          serial PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    usertype    integer NOT NULL DEFAULT 0 CHECK (usertype IN (0, 1, 2)),  -- NORMAL, HOST, GROUP
    status      integer NOT NULL DEFAULT 0 CHECK (status IN (0, 1)),      -- NORMAL, BLOCKED
    create_time timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_groups (
    user_id  integer NOT NULL REFERENCES users (id),
    group_id integer NOT NULL REFERENCES users (id),
    PRIMARY KEY (user_id, group_id)
);

CREATE TABLE permissions (
    id          serial PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    description text
);

INSERT INTO permissions (name, description) VALUES
    ('admin', 'Full administrator access. Perform all actions.'),
    ('host', 'Manage hosts: enable, disable, edit.'),
    ('repo', 'Manage repos: newRepo, repoExpire, repoDelete, repoProblem.'),
    ('tag', 'Manage packages in tags.'),
    ('target', 'Add, edit, and remove targets.'),
    ('build', 'Import builds and manage build states.');

-- Granted to users or groups; a user holds the permissions of its groups too.
CREATE TABLE user_perms (
    user_id     integer NOT NULL REFERENCES users (id),
    perm_id     integer NOT NULL REFERENCES permissions (id),
    create_time timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, perm_id)
);

-- API tokens are the password of login(user, token). Only an HMAC-SHA256 of the token under a
-- per-token salt is stored.
CREATE TABLE api_tokens (
    id          serial PRIMARY KEY,
    user_id     integer NOT NULL REFERENCES users (id),
    salt        bytea NOT NULL,
    hash        bytea NOT NULL,
    create_time timestamptz NOT NULL DEFAULT now(),
    expire_time timestamptz,              -- NULL: never expires
    last_used   timestamptz,
    revoked     boolean NOT NULL DEFAULT false
);
CREATE INDEX api_tokens_user ON api_tokens (user_id) WHERE NOT revoked;

-- Koji's sessions, except that the key is stored as its SHA-256.
CREATE TABLE sessions (
    id          serial PRIMARY KEY,
    user_id     integer NOT NULL REFERENCES users (id),
    key_hash    text NOT NULL,
    master      integer REFERENCES sessions (id),
    authtype    integer NOT NULL,         -- NORMAL 0 (password/token), SSL 2
    hostip      text,
    callnum     bigint,
    start_time  timestamptz NOT NULL DEFAULT now(),
    update_time timestamptz NOT NULL DEFAULT now(),
    renew_time  timestamptz,
    exclusive   boolean NOT NULL DEFAULT false,
    expired     boolean NOT NULL DEFAULT false,
    closed      boolean NOT NULL DEFAULT false
);
CREATE INDEX sessions_user_open ON sessions (user_id) WHERE NOT closed;
CREATE INDEX sessions_master ON sessions (master) WHERE master IS NOT NULL;

-- Copr projects: owner/project (owner a user) or @group/project (owner a group row).
CREATE TABLE projects (
    id          serial PRIMARY KEY,
    owner_id    integer NOT NULL REFERENCES users (id),
    name        text NOT NULL,
    description text,
    create_time timestamptz NOT NULL DEFAULT now(),
    UNIQUE (owner_id, name)
);

CREATE TABLE project_chroots (
    id          serial PRIMARY KEY,
    project_id  integer NOT NULL REFERENCES projects (id),
    name        text NOT NULL,            -- e.g. fedora-40-x86_64
    arch        text NOT NULL,
    enabled     boolean NOT NULL DEFAULT true,
    UNIQUE (project_id, name)
);

-- Per-project roles: 'admin' edits the project, 'builder' builds in it. The owner (or the owning
-- group's members) hold both implicitly.
CREATE TABLE project_perms (
    project_id integer NOT NULL REFERENCES projects (id),
    user_id    integer NOT NULL REFERENCES users (id),
    role       text NOT NULL CHECK (role IN ('admin', 'builder')),
    PRIMARY KEY (project_id, user_id, role)
);

-- Koji tags as clients see them; each is a project's tag or one of its chroots' tags.
CREATE TABLE tags (
    id          serial PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    project_id  integer NOT NULL REFERENCES projects (id),
    chroot_id   integer REFERENCES project_chroots (id),   -- NULL: the project tag
    arches      text,
    locked      boolean NOT NULL DEFAULT false,
    perm_id     integer REFERENCES permissions (id),
    extra       text NOT NULL DEFAULT '{}',                 -- reserved; always {} for now
    UNIQUE (project_id, chroot_id)
);

-- A chroot tag inherits the project tag, so a project's own builds are in its buildroots.
CREATE TABLE tag_inheritance (
    tag_id       integer NOT NULL REFERENCES tags (id),
    parent_id    integer NOT NULL REFERENCES tags (id),
    priority     integer NOT NULL DEFAULT 0,
    maxdepth     integer,
    intransitive boolean NOT NULL DEFAULT false,
    noconfig     boolean NOT NULL DEFAULT false,
    pkg_filter   text NOT NULL DEFAULT '',
    PRIMARY KEY (tag_id, parent_id)
);

CREATE TABLE build_targets (
    id        serial PRIMARY KEY,
    name      text NOT NULL UNIQUE,
    build_tag integer NOT NULL REFERENCES tags (id),
    dest_tag  integer NOT NULL REFERENCES tags (id)
);

CREATE TABLE channels (
    id          serial PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    description text,
    enabled     boolean NOT NULL DEFAULT true,
    comment     text
);
INSERT INTO channels (name) VALUES ('default'), ('createrepo');

-- Koji's host + host_config in one row (no history). ssh_* is how copr-hub reaches the builder.
CREATE TABLE hosts (
    id          serial PRIMARY KEY,
    user_id     integer NOT NULL UNIQUE REFERENCES users (id),
    name        text NOT NULL UNIQUE,
    update_time timestamptz,               -- last host.updateHost
    ready       boolean NOT NULL DEFAULT false,
    task_load   double precision NOT NULL DEFAULT 0.0,
    arches      text NOT NULL,             -- space separated, as Koji sends it
    capacity    double precision NOT NULL DEFAULT 2.0,
    description text,
    comment     text,
    enabled     boolean NOT NULL DEFAULT true,
    ssh_user    text,
    ssh_host    text,
    ssh_port    integer,
    data        text                       -- scheduler host data (kojid's {methods, maxjobs}), XML-RPC encoded
);

CREATE TABLE host_channels (
    host_id    integer NOT NULL REFERENCES hosts (id),
    channel_id integer NOT NULL REFERENCES channels (id),
    PRIMARY KEY (host_id, channel_id)
);

-- Koji's task table. request holds the full XML-RPC methodCall of the params, result the full
-- methodResponse (or fault) the builder sent.
CREATE TABLE tasks (
    id              serial PRIMARY KEY,
    state           integer NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 5),
    create_time     timestamptz NOT NULL DEFAULT now(),
    start_time      timestamptz,
    completion_time timestamptz,
    channel_id      integer NOT NULL REFERENCES channels (id),
    host_id         integer REFERENCES hosts (id),
    parent          integer REFERENCES tasks (id),
    label           text,
    waiting         boolean,
    awaited         boolean,
    owner           integer NOT NULL REFERENCES users (id),
    method          text NOT NULL,
    arch            text NOT NULL DEFAULT 'noarch',
    priority        integer NOT NULL DEFAULT 20,
    weight          double precision NOT NULL DEFAULT 1.0,
    request         text NOT NULL,
    result          text,
    project_id      integer REFERENCES projects (id),      -- Copr: the project a build task builds in
    UNIQUE (parent, label)
);
CREATE INDEX tasks_state ON tasks (state);
CREATE INDEX tasks_active_host ON tasks (host_id) WHERE state IN (1, 4);
CREATE INDEX tasks_parent ON tasks (parent);
CREATE INDEX tasks_owner ON tasks (owner);

CREATE TABLE packages (
    id   serial PRIMARY KEY,
    name text NOT NULL UNIQUE
);

-- Koji's tag_packages: the package list of a tag (here: of a project tag).
CREATE TABLE tag_packages (
    tag_id       integer NOT NULL REFERENCES tags (id),
    package_id   integer NOT NULL REFERENCES packages (id),
    owner_id     integer NOT NULL REFERENCES users (id),
    blocked      boolean NOT NULL DEFAULT false,
    extra_arches text,
    PRIMARY KEY (tag_id, package_id)
);

-- One row per build. Several projects may each hold a build of the same NVR (and one project may
-- rebuild it), so there is deliberately no unique constraint on name-version-release.
CREATE TABLE builds (
    id              serial PRIMARY KEY,
    package_id      integer NOT NULL REFERENCES packages (id),
    version         text NOT NULL,
    release         text NOT NULL,
    epoch           integer,
    state           integer NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 4),  -- BUILDING..CANCELED
    task_id         integer REFERENCES tasks (id),
    owner_id        integer NOT NULL REFERENCES users (id),
    project_id      integer NOT NULL REFERENCES projects (id),
    source          text,
    draft           boolean NOT NULL DEFAULT false,
    extra           text,
    creation_time   timestamptz NOT NULL DEFAULT now(),
    start_time      timestamptz,
    completion_time timestamptz
);
CREATE INDEX builds_nvr ON builds (package_id, version, release);
CREATE INDEX builds_project ON builds (project_id);
CREATE INDEX builds_task ON builds (task_id);

-- Koji's tag_listing (without events): which builds a tag holds.
CREATE TABLE tag_listing (
    tag_id      integer NOT NULL REFERENCES tags (id),
    build_id    integer NOT NULL REFERENCES builds (id),
    create_time timestamptz NOT NULL DEFAULT now(),
    creator_id  integer REFERENCES users (id),
    PRIMARY KEY (tag_id, build_id)
);

CREATE TABLE rpms (
    id          serial PRIMARY KEY,
    build_id    integer NOT NULL REFERENCES builds (id),
    chroot_id   integer REFERENCES project_chroots (id),
    name        text NOT NULL,
    version     text NOT NULL,
    release     text NOT NULL,
    epoch       integer,
    arch        text NOT NULL,
    size        bigint NOT NULL DEFAULT 0,
    payloadhash text NOT NULL DEFAULT '',
    external_repo_id integer NOT NULL DEFAULT 0
);
CREATE INDEX rpms_build ON rpms (build_id);

COMMIT;
