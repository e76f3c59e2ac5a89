-- kojira-watchdog schema: from nothing to version 1.
-- The audit trail of decisions and actions, the outages the watchdog observed, and what it must remember
-- between cycles (task runs already freed, hosts it fenced, first sightings measured on the hub's clock).
BEGIN;

-- One row per decision of a cycle: what a rule found, what the guards and the hub made of it.
-- acted = the outcome changed something on the hub (what `audit` lists; `audit --all` lists every row).
CREATE TABLE audit (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    hub_ts      double precision,            -- the hub's clock when the snapshot was read
    cycle_id    text NOT NULL,
    instance    text NOT NULL,
    rule        text NOT NULL,
    host_id     bigint,
    host_name   text,
    task_id     bigint,
    action      text NOT NULL,
    evidence    text NOT NULL,
    outcome     text NOT NULL,
    acted       boolean NOT NULL,
    dry_run     boolean NOT NULL DEFAULT false
);
CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_host ON audit (host_name, at);

-- Outages the watchdog observed: the hub unreachable from it, or every enabled host silent at once.
-- Open while ended_at is null; the warm-up runs from ended_hub_ts on the hub's clock.
CREATE TABLE outage (
    id             bigserial PRIMARY KEY,
    kind           text NOT NULL CHECK (kind IN ('unreachable', 'all-silent')),
    started_at     timestamptz NOT NULL DEFAULT now(),
    started_hub_ts double precision,
    ended_at       timestamptz,
    ended_hub_ts   double precision,
    detail         text NOT NULL
);
CREATE UNIQUE INDEX outage_one_open ON outage ((true)) WHERE ended_at IS NULL;

-- Task runs freed or canceled: a run (task, host, start_ts; 0 before it opened) is acted on at most once.
CREATE TABLE acted_run (
    task_id   bigint NOT NULL,
    host_id   bigint NOT NULL,
    start_ts  double precision NOT NULL,
    rule      text NOT NULL,
    action    text NOT NULL,
    at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (task_id, host_id, start_ts)
);

-- Per-host memory: first sighting disabled (hub clock), and the fence this watchdog set.
CREATE TABLE host_memory (
    host_id            bigint PRIMARY KEY,
    host_name          text NOT NULL,
    disabled_since     double precision,
    fenced             boolean NOT NULL DEFAULT false,
    fence_prev_comment text,
    healthy_since      double precision
);

-- Per-task memory: first sighting ASSIGNED on its host; output size and when it last grew (hub clock).
CREATE TABLE task_memory (
    task_id        bigint PRIMARY KEY,
    host_id        bigint,
    assigned_since double precision,
    output_bytes   bigint,
    progress_since double precision,
    seen_hub_ts    double precision NOT NULL
);

-- Drains: requested by an operator (drain HOST) or by the automatic policy.
CREATE TABLE drain (
    id           bigserial PRIMARY KEY,
    host_id      bigint NOT NULL,
    host_name    text NOT NULL,
    state        text NOT NULL CHECK (state IN ('draining', 'decommissioning', 'done', 'failed')),
    reason       text NOT NULL,
    started_hub  double precision NOT NULL,
    deadline_hub double precision NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    detail       text
);
CREATE UNIQUE INDEX drain_one_active ON drain (host_id) WHERE state IN ('draining', 'decommissioning');

COMMIT;
