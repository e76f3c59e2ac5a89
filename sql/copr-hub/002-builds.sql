-- copr-hub schema: from 1 to 2
-- Builds on builders: how the hub drives each host, per-chroot build results and their publication,
-- and the repositories it has published (what getRepo answers).
BEGIN;

-- driver: how copr-hub reaches the host. 'ssh' (ssh_user@ssh_host:ssh_port), 'local' (the hub's own
-- machine, serve --local-builder), NULL: a kojid-style builder that checks in itself with host.* calls.
ALTER TABLE hosts ADD COLUMN driver text CHECK (driver IN ('ssh', 'local'));
-- backend: 'mock' or 'rpmbuild'; NULL = the hub's BuildBackend setting.
ALTER TABLE hosts ADD COLUMN backend text CHECK (backend IN ('mock', 'rpmbuild'));
UPDATE hosts SET driver = 'ssh' WHERE ssh_host IS NOT NULL;

-- A Copr build of one chroot is one Koji build: its NVR carries the chroot's %dist
-- (hello-1.0-1.fc40), it lives in one project and one chroot, and task_id is the `build` parent task.
ALTER TABLE builds ADD COLUMN chroot_id integer REFERENCES project_chroots (id);
ALTER TABLE builds ADD COLUMN arch_task_id integer REFERENCES tasks (id);
CREATE UNIQUE INDEX builds_arch_task ON builds (arch_task_id);

-- Where the RPM lies, relative to the storage root, and its SHA-256.
ALTER TABLE rpms ADD COLUMN path text;
ALTER TABLE rpms ADD COLUMN sha256 text;
CREATE INDEX rpms_nvra ON rpms (name, version, release, arch);

-- The buildArch attempt that closed its task owns the result; its files are copied into the
-- chroot's repository directory and the repository regenerated. published = false after a crash
-- between commit and publication: the hub finishes the job at its next start.
CREATE TABLE build_results (
    task_id   integer PRIMARY KEY REFERENCES tasks (id),
    build_id  integer NOT NULL REFERENCES builds (id),
    chroot_id integer NOT NULL REFERENCES project_chroots (id),
    dir       text NOT NULL,                 -- relative to the storage root
    published boolean NOT NULL DEFAULT false,
    published_time timestamptz             -- when the repository listing it went live
);

-- Published dnf repositories of chroot tags (Koji's repo table, without events).
CREATE TABLE repos (
    id          serial PRIMARY KEY,
    tag_id      integer NOT NULL REFERENCES tags (id),
    state       integer NOT NULL DEFAULT 1 CHECK (state BETWEEN 0 AND 4),  -- INIT..PROBLEM
    create_time timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX repos_tag ON repos (tag_id, state);

CREATE INDEX tasks_free_methods ON tasks (priority, id) WHERE state = 0;

COMMIT;
