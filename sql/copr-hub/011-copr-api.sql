-- copr-hub schema: from 10 to 11
-- Copr's API v3 and self-service projects:
--   * the chroot catalog takes names whose OS part has dashes (centos-stream-10-x86_64, opensuse-leap-15.6-x86_64),
--     as Copr's own chroot list has them; 006 allowed exactly OS-VERSION-ARCH;
--   * Copr packages carry how they are built (add-package-scm / add-package-url, then build-package): one row per
--     package of a project tag, beside Koji's tag_packages row for the same package;
--   * Copr builds (a `build` parent task) deleted with copr-cli delete-build: their Koji builds are DELETED and their
--     files go through the prune journal; this row hides the build from Copr's API and says who deleted it.
BEGIN;

ALTER TABLE chroot_catalog DROP CONSTRAINT chroot_catalog_name_check;
ALTER TABLE chroot_catalog ADD CONSTRAINT chroot_catalog_name_check
    CHECK (name ~ '^[a-z0-9][a-z0-9._+]*(-[a-z0-9._+]+)+-[a-z0-9_]+$' AND length(name) <= 100);

CREATE TABLE package_sources (
    tag_id      integer NOT NULL REFERENCES tags (id),
    package_id  integer NOT NULL REFERENCES packages (id),
    source_type text NOT NULL CHECK (source_type IN ('scm', 'url')),
    -- scm: clone_url, committish, subdirectory, spec, scm_type, source_build_method; url: url. JSON, as Copr's source_json.
    source_json text NOT NULL,
    update_time timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tag_id, package_id)
);

CREATE TABLE deleted_builds (
    task_id     integer PRIMARY KEY REFERENCES tasks (id),
    deleted_by  integer NOT NULL REFERENCES users (id),
    delete_time timestamptz NOT NULL DEFAULT now()
);

COMMIT;
