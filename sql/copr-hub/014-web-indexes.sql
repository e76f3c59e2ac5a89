-- copr-hub schema: from 13 to 14 (web UI, part 1)
-- Indexes the pages need so each is one or a few index scans at 100 000 builds / 1 000 000 tasks, and the
-- package a build task builds, derived from its stored request so lists and the monitor can group by it:
--   tasks.package_name : for `build` and `buildArch` tasks, the SRPM's name (from `…/NAME-VERSION-RELEASE.src.rpm`,
--                        the first request parameter) or, for an SCM source, the repository's last path part
--                        without `.git` (`git+https://host/rpms/NAME.git?…#COMMIT`); NULL when neither matches
--                        (an NVR given to a chain, or any other method).
BEGIN;

ALTER TABLE tasks ADD COLUMN package_name text GENERATED ALWAYS AS (
    CASE WHEN method IN ('build', 'buildArch') THEN COALESCE(
        substring(request FROM '<params><param><value>(?:[^<]*/)?([^/<]+)-[^-/<]+-[^-/<]+\.src\.rpm</value>'),
        regexp_replace(substring(request FROM '<params><param><value>[a-z+]+://[^<?#]*/([^/<?#]+)[?#<]'), '\.git$', ''))
    END) STORED;

-- a project's Copr builds (the `build` tasks), newest first: project page, builds list
CREATE INDEX tasks_project_builds ON tasks (project_id, id DESC) WHERE method = 'build';
-- a project's chroot builds by package: monitor, package page
CREATE INDEX tasks_project_package ON tasks (project_id, package_name, id DESC) WHERE method IN ('build', 'buildArch');
-- a host's tasks, newest first: hostinfo (tasks_active_host covers only the running ones)
CREATE INDEX tasks_host ON tasks (host_id, id DESC) WHERE host_id IS NOT NULL;
-- recently finished tasks: the queue page
CREATE INDEX tasks_completion ON tasks (completion_time DESC) WHERE completion_time IS NOT NULL;
-- a package's builds, newest first: packageinfo; a user's builds: userinfo
CREATE INDEX builds_package ON builds (package_id, id DESC);
CREATE INDEX builds_owner ON builds (owner_id, id DESC);
-- name searches with globs (LIKE 'abc%')
CREATE INDEX packages_name_pattern ON packages (name text_pattern_ops);

COMMIT;
