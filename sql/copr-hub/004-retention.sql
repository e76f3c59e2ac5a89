-- copr-hub schema: from 3 to 4
-- Retention: per-project overrides of the [retention] policy, the prune journal that makes a prune
-- crash-safe (rows are written with the builds' DELETED state in one transaction, files are removed
-- afterwards, finish_time is set once the chroot repositories are regenerated; a prune or hub start
-- finishes rows without it), and scale-up builders the hub retires when idle.
BEGIN;

-- copr-hub project set OWNER/PROJECT KEY=VALUE: keys keep_builds, failed_days, scratch_days, logs.
CREATE TABLE project_retention (
    project_id integer NOT NULL REFERENCES projects (id),
    key        text NOT NULL,
    value      text NOT NULL,
    PRIMARY KEY (project_id, key)
);

-- One row per pruned build (kind 'build': a COMPLETE build now DELETED) or pruned build task output
-- (kind 'failed': a FAILED/CANCELED buildArch; 'scratch': a CLOSED buildArch that recorded no build).
CREATE TABLE prune_journal (
    id          serial PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('build', 'failed', 'scratch')),
    build_id    integer REFERENCES builds (id),
    task_id     integer NOT NULL REFERENCES tasks (id),      -- the buildArch task whose outputs go
    project_id  integer NOT NULL REFERENCES projects (id),
    chroot_id   integer REFERENCES project_chroots (id),
    nvr         text NOT NULL,
    size        bigint NOT NULL DEFAULT 0,                   -- bytes of the files removed, measured when marked
    logs        text NOT NULL CHECK (logs IN ('compress', 'remove', 'keep')),
    build_dir   text,                                        -- results directory, relative to the storage root
    create_time timestamptz NOT NULL DEFAULT now(),
    finish_time timestamptz                                  -- NULL: files or repository still to do
);
CREATE INDEX prune_journal_pending ON prune_journal (id) WHERE finish_time IS NULL;
CREATE UNIQUE INDEX prune_journal_task ON prune_journal (task_id);

-- Builders created for a scale-up: retired (disabled, then the decommission hook) once idle past
-- [retention] idle_builder_hours. scaleup_time: when it was flagged (idle counts from then at least).
ALTER TABLE hosts ADD COLUMN scaleup boolean NOT NULL DEFAULT false;
ALTER TABLE hosts ADD COLUMN scaleup_time timestamptz;

CREATE TABLE builder_retirements (
    id          serial PRIMARY KEY,
    host_id     integer NOT NULL UNIQUE REFERENCES hosts (id),
    host_name   text NOT NULL,
    idle_since  timestamptz,
    hook        text,                                        -- the command run, NULL: none configured
    result      text,                                        -- its outcome ('ok: …' or the error)
    create_time timestamptz NOT NULL DEFAULT now(),
    finish_time timestamptz
);

-- copr-hub project delete: the project stays as a row (tasks and builds reference it), its storage,
-- repositories, tags and targets go.
ALTER TABLE projects ADD COLUMN deleted_time timestamptz;

COMMIT;
