-- copr-hub schema: from 2 to 3
-- Chain builds: many sources built against each other in dependency order (Koji's chainBuild with
-- ordered levels, and copr-hub's unordered coprChainBuild that orders SRPMs by BuildRequires/Provides).
-- A chain is identified by its parent task (method chainbuild or coprchainbuild); everything the driver
-- needs to continue after a hub restart is in these rows.
BEGIN;

-- Extra repositories every build of the project sees (mock --addrepo), like Copr's project repos.
ALTER TABLE projects ADD COLUMN extra_repos text[] NOT NULL DEFAULT '{}';

CREATE TABLE chains (
    task_id         integer PRIMARY KEY REFERENCES tasks (id),   -- the chain's parent task; also the chain ID
    project_id      integer NOT NULL REFERENCES projects (id),
    owner_id        integer NOT NULL REFERENCES users (id),
    target          text NOT NULL,
    build_tag       integer NOT NULL REFERENCES tags (id),
    ordered         boolean NOT NULL,          -- Koji levels (true) or ordered from BuildRequires (false)
    cycles          text NOT NULL CHECK (cycles IN ('fail', 'retry')),
    cycle_attempts  integer NOT NULL CHECK (cycle_attempts >= 1),
    extra_repos     text[] NOT NULL DEFAULT '{}',
    opts            text NOT NULL,             -- build opts of the members, XML-RPC encoded like a request
    -- PLANNING: sources become SRPMs and their dependencies are read; BUILDING; DONE; FAILED; CANCELED
    state           text NOT NULL DEFAULT 'PLANNING',
    deps_task_id    integer REFERENCES tasks (id),   -- the readSrpmDeps child (unordered chains)
    message         text,                      -- planning failure or the final summary
    create_time     timestamptz NOT NULL DEFAULT now(),
    completion_time timestamptz
);
CREATE INDEX chains_active ON chains (state) WHERE state IN ('PLANNING', 'BUILDING');

CREATE TABLE chain_members (
    chain_id      integer NOT NULL REFERENCES chains (task_id),
    idx           integer NOT NULL,            -- position in the request (levels flattened)
    level         integer,                     -- Koji chainBuild level; NULL for unordered chains
    source        text NOT NULL,               -- as submitted: upload path, SCM URL or NVR
    srpm          text,                        -- work-relative SRPM once known
    srpm_task_id  integer REFERENCES tasks (id),   -- buildSRPMFromSCM child making it (unordered SCM sources)
    nvr           text,                        -- from the SRPM header (without the chroot's %dist)
    provides      text,                        -- capabilities, one a line ("name >= evr")
    build_requires text,
    -- WAITING, READY, RUNNING, BUILT, FAILED, SKIPPED (ChainProgress.State)
    state         text NOT NULL DEFAULT 'WAITING',
    reason        text,
    attempts      integer NOT NULL DEFAULT 0,
    build_task_id integer REFERENCES tasks (id),   -- the current or last `build` child
    PRIMARY KEY (chain_id, idx)
);
CREATE INDEX chain_members_build_task ON chain_members (build_task_id);

COMMIT;
