-- copr-hub schema: from 5 to 6
-- Project fields the web pages, Copr's API v3 and the build sandbox share, and the hub's list of chroots
-- contributors may choose from (managed by admins with `copr-hub chroot add|disable`).
--   instructions : how to use the project (Copr's "instructions"), shown on its page
--   enable_net   : network inside the build sandbox (Copr's enable_net); off unless the project asks
--   unlisted     : left out of the public project lists (Copr's unlisted_on_hp); still reachable by name
BEGIN;

ALTER TABLE projects ADD COLUMN instructions text NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN enable_net boolean NOT NULL DEFAULT false;
ALTER TABLE projects ADD COLUMN unlisted boolean NOT NULL DEFAULT false;

-- Extra packages installed into, and extra repositories added to, one project chroot's buildroots
-- (Copr's chroot settings: additional_packages, additional_repos).
ALTER TABLE project_chroots ADD COLUMN extra_packages text[] NOT NULL DEFAULT '{}';
ALTER TABLE project_chroots ADD COLUMN extra_repos text[] NOT NULL DEFAULT '{}';

CREATE TABLE chroot_catalog (
    name        text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9._+]*-[a-z0-9._+]+-[a-z0-9_]+$'),
    arch        text NOT NULL,
    enabled     boolean NOT NULL DEFAULT true,
    create_time timestamptz NOT NULL DEFAULT now()
);

INSERT INTO chroot_catalog (name, arch) VALUES
    ('fedora-40-x86_64', 'x86_64'), ('fedora-40-aarch64', 'aarch64'),
    ('fedora-41-x86_64', 'x86_64'), ('fedora-41-aarch64', 'aarch64'),
    ('fedora-42-x86_64', 'x86_64'), ('fedora-42-aarch64', 'aarch64'),
    ('fedora-rawhide-x86_64', 'x86_64'), ('fedora-rawhide-aarch64', 'aarch64'),
    ('epel-9-x86_64', 'x86_64'), ('epel-9-aarch64', 'aarch64');

COMMIT;
