-- copr-hub schema: from 7 to 8 (007 is reserved for another change)
-- Buildroots as Koji records them: one per buildArch run on a builder (Koji BR_STATES: 0 INIT, 1 WAITING,
-- 2 BUILDING, 3 EXPIRED; BR_TYPES: 0 STANDARD), and the packages in it. `installed` rows are what the build
-- had installed (koji list-buildroot, listRPMs(componentBuildrootID=…)); the others were available in its
-- repositories at that moment (mock's available_pkgs.log). origin says where each came from.
BEGIN;

CREATE TABLE buildroots (
    id          serial PRIMARY KEY,
    task_id     integer NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    host_id     integer REFERENCES hosts (id) ON DELETE SET NULL,
    tag_id      integer REFERENCES tags (id) ON DELETE SET NULL,
    arch        text NOT NULL,
    state       integer NOT NULL DEFAULT 2 CHECK (state IN (0, 1, 2, 3)),
    br_type     integer NOT NULL DEFAULT 0 CHECK (br_type IN (0, 1)),
    create_ts   timestamptz NOT NULL DEFAULT now(),
    retire_ts   timestamptz,
    CHECK ((state = 3) = (retire_ts IS NOT NULL))
);
CREATE INDEX buildroots_task ON buildroots (task_id);
CREATE INDEX buildroots_host ON buildroots (host_id);

CREATE TABLE buildroot_listing (
    buildroot_id integer NOT NULL REFERENCES buildroots (id) ON DELETE CASCADE,
    installed   boolean NOT NULL,
    name        text NOT NULL,
    version     text NOT NULL,
    release     text NOT NULL,
    epoch       integer,
    arch        text NOT NULL,
    size        bigint NOT NULL DEFAULT 0,
    buildtime   bigint NOT NULL DEFAULT 0,
    payloadhash text NOT NULL DEFAULT '',
    origin      text NOT NULL CHECK (origin IN ('project', 'build-repo', 'base')),
    repo        text NOT NULL,
    rpm_id      integer REFERENCES rpms (id) ON DELETE SET NULL
);
CREATE INDEX buildroot_listing_br ON buildroot_listing (buildroot_id, installed);
CREATE INDEX buildroot_listing_rpm ON buildroot_listing (rpm_id) WHERE rpm_id IS NOT NULL;

ALTER TABLE rpms ADD COLUMN buildroot_id integer REFERENCES buildroots (id) ON DELETE SET NULL;

COMMIT;
