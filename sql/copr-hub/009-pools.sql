-- Builder pools (issue 16): builders a pool's cmd_new started, their life, and the per-host limits the
-- dispatcher honours for them.

CREATE TABLE pool_builders (
    id          serial PRIMARY KEY,
    pool        text NOT NULL,
    name        text NOT NULL UNIQUE,          -- the Koji host name, POOL-ID
    arch        text NOT NULL,
    state       text NOT NULL DEFAULT 'starting'
                CHECK (state IN ('starting', 'ready', 'retiring', 'gone', 'failed')),
    address     text,                          -- USER@HOST[:PORT] cmd_new printed
    host_id     integer UNIQUE REFERENCES hosts (id),
    start_time  timestamptz NOT NULL DEFAULT now(),
    ready_time  timestamptz,
    retire_time timestamptz,
    end_time    timestamptz,
    reason      text,                          -- why it was retired, or why its start failed
    last_error  text,                          -- the latest failure of cmd_delete or cmd_check
    next_try    timestamptz,                   -- when a failed cmd_delete is tried again
    CHECK (state <> 'starting' OR host_id IS NULL),
    CHECK (state <> 'ready' OR host_id IS NOT NULL)
);
CREATE INDEX pool_builders_live ON pool_builders (pool) WHERE state IN ('starting', 'ready', 'retiring');

-- max_tasks: tasks a host takes before it is retired (a pool's max_builds); tasks_taken counts assignments.
ALTER TABLE hosts ADD COLUMN max_tasks integer CHECK (max_tasks IS NULL OR max_tasks > 0);
ALTER TABLE hosts ADD COLUMN tasks_taken integer NOT NULL DEFAULT 0 CHECK (tasks_taken >= 0);
-- SHA256 fingerprint of the host key learned at the first connection (host_key = trust-on-start); NULL: known_hosts.
ALTER TABLE hosts ADD COLUMN ssh_host_key text CHECK (ssh_host_key IS NULL OR ssh_host_key LIKE 'SHA256:%');
