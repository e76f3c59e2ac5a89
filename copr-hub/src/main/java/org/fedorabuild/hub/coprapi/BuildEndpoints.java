package org.fedorabuild.hub.coprapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.coprapi.ApiRequest.ApiUser;
import org.fedorabuild.hub.namespace.ProjectSettings.View;
import org.fedorabuild.hub.namespace.SelfService;
import org.fedorabuild.hub.retention.LogAction;
import org.fedorabuild.hub.server.HubServices;
import org.fedorabuild.hub.task.Tasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /api_3/build/…} and {@code /api_3/build-chroot/…}. */
final class BuildEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(BuildEndpoints.class);

    private final HubServices s;
    private final BuildRequests requests;
    private final CoprBuilds read;

    BuildEndpoints(HubServices services, BuildRequests requests, CoprBuilds read) {
        this.s = services;
        this.requests = requests;
        this.read = read;
    }

    Object handle(ApiRequest r, boolean get, boolean post, boolean put, boolean delete) throws Exception {
        List<String> p = r.path;
        int n = p.size();
        String second = n > 1 ? p.get(1) : "";
        if (get && n == 2 && second.equals("list")) {
            return list(r);
        } else if (get && n == 2) {
            return build(r.id("build_id", second));
        } else if (get && n == 3 && second.equals("built-packages")) {
            int id = r.id("build_id", p.get(2));
            read.require(id);
            return read.builtPackages(id);
        } else if (post && n == 2 && second.equals("check-before-build")) {
            requests.check(r);
            return Map.of("message", "It should be safe to submit a build like this");
        } else if (post && n == 3 && second.equals("create")) {
            switch (p.get(2)) {
                case "upload":
                    return build(requests.upload(r));
                case "url": {
                    List<Object> items = new ArrayList<>();
                    for (int id : requests.urls(r)) {
                        items.add(build(id));
                    }
                    return ApiRoutes.page(items, null, null, null, null);
                }
                case "scm": {
                    Map<String, Object> src = new LinkedHashMap<>();
                    for (String k : List.of("clone_url", "committish", "subdirectory", "spec", "scm_type", "source_build_method")) {
                        src.put(k, r.text(k));
                    }
                    return build(requests.scm(r, src));
                }
                default:
                    throw ApiError.badRequest("build/create/" + ApiRequest.shorten(p.get(2)) + ": copr-hub builds from an upload,"
                            + " URLs or git (build, buildscm, build-package); PyPI, RubyGems, DistGit and custom builds are not supported");
            }
        } else if (put && n == 3 && second.equals("cancel")) {
            return cancel(r, r.id("build_id", p.get(2)));
        } else if (delete && n == 3 && second.equals("delete") && p.get(2).equals("list")) {
            List<String> ids = r.list("builds");
            if (ids == null || ids.isEmpty()) {
                throw ApiError.badRequest("builds: a list of build ids is required");
            }
            List<Integer> deleted = new ArrayList<>();
            for (String id : ids) {
                deleted.add(delete(r, r.id("builds", id)));
            }
            return Map.of("builds", deleted);
        } else if (delete && n == 3 && second.equals("delete")) {
            int id = delete(r, r.id("build_id", p.get(2)));
            return Map.of("id", id);
        }
        throw ApiRoutes.notFound();
    }

    Map<String, Object> build(int id) {
        return read.json(read.require(id));
    }

    private Object list(ApiRequest r) {
        View p = s.selfService.require(SelfService.name(r.required("ownername"), r.required("projectname")));
        ApiRoutes.Paging pg = ApiRoutes.Paging.of(r, 10_000);
        String status = r.text("status");
        List<Object> items = new ArrayList<>();
        if (status == null) {
            for (var row : read.ofProject(p.id(), r.text("packagename"), pg.orderType().equals("DESC"), pg.limit(), pg.offset())) {
                items.add(read.json(row));
            }
        } else {
            // a state is computed from the task tree, so filter the project's builds, then page
            int skipped = 0;
            for (var row : read.ofProject(p.id(), r.text("packagename"), pg.orderType().equals("DESC"), 100_000, 0)) {
                Map<String, Object> b = read.json(row);
                if (status.equals(b.get("state")) && skipped++ >= pg.offset() && items.size() < pg.limit()) {
                    items.add(b);
                }
            }
        }
        return pg.page(items);
    }

    /** The submitter, the project's admins and hub admins may cancel; a finished build is 409, as in Copr. */
    private Object cancel(ApiRequest r, int id) {
        ApiUser u = r.requireUser();
        var row = read.require(id);
        mayChange(u, row, "cancel");
        if (CoprBuilds.isFinished((Integer) row.get("state"))) {
            throw ApiError.conflict("Cannot cancel build " + id);
        }
        s.tasks.cancel(id, true);
        LOG.info("Task {} - build canceled by {} (Copr API)", id, u.name());
        return build(id);
    }

    /**
     * Deletes a finished build: its Koji builds become DELETED and untagged, and its results folders and task outputs go
     * through the prune journal (removed after the commit, repositories regenerated), as a prune would. 409 while it runs.
     */
    private int delete(ApiRequest r, int id) {
        ApiUser u = r.requireUser();
        var row = read.require(id);
        mayChange(u, row, "delete");
        if (!CoprBuilds.isFinished((Integer) row.get("state"))) {
            throw ApiError.conflict("Cannot delete build " + id + ": it is not finished (cancel it first)");
        }
        for (var c : s.db.query("SELECT c.id, c.state, b.id AS build_id, b.state AS build_state, b.chroot_id, br.dir,"
                + " pk.name || '-' || b.version || '-' || b.release AS nvr FROM tasks c LEFT JOIN builds b ON b.arch_task_id = c.id"
                + " LEFT JOIN packages pk ON pk.id = b.package_id LEFT JOIN build_results br ON br.task_id = c.id"
                + " WHERE c.parent = ? AND c.method = 'buildArch' ORDER BY c.id", id)) {
            Integer build = c.get("build_id") != null && Integer.valueOf(1).equals(c.get("build_state")) ? (Integer) c.get("build_id") : null;
            if (build != null) {
                s.db.update("UPDATE builds SET state = 2 WHERE id = ?", build);
                s.db.update("DELETE FROM tag_listing WHERE build_id = ?", build);
            }
            String kind = build != null ? "build" : (Integer) c.get("state") == Tasks.CLOSED ? "scratch" : "failed";
            s.db.update("INSERT INTO prune_journal (kind, build_id, task_id, project_id, chroot_id, nvr, size, logs, build_dir)"
                    + " VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT (task_id) DO NOTHING", kind, build, c.get("id"), row.get("project_id"),
                    c.get("chroot_id"), c.get("nvr") == null ? "build " + id : c.get("nvr"), LogAction.REMOVE.key(),
                    build == null ? null : c.get("dir"));
        }
        s.db.update("INSERT INTO deleted_builds (task_id, deleted_by) VALUES (?, ?)", id, u.id());
        s.db.afterCommit(() -> {
            try {
                s.retention.pruner.finishPending();
            } catch (Exception e) {
                LOG.warn("Task {} - deleted build's files not removed yet (the next prune finishes): {}", id, e.toString());
            }
        });
        LOG.info("Task {} - build deleted by {} (Copr API)", id, u.name());
        return id;
    }

    private void mayChange(ApiUser u, Map<String, Object> row, String what) {
        boolean submitter = u.name().equals(row.get("submitter"));
        if (!submitter && !s.access.hasProjectRole(u.id(), (Integer) row.get("project_id"), "admin")) {
            throw ApiError.forbidden("User '" + u.name() + "' may not " + what + " build " + row.get("id")
                    + " (only its submitter and the admins of " + row.get("owner") + "/" + row.get("project") + ")");
        }
    }

    Object chrootList(ApiRequest r) {
        var row = read.require(r.id("build_id", r.required("build_id")));
        List<Object> items = new ArrayList<>();
        read.chroots(row).forEach(c -> items.add(CoprBuilds.json(c)));
        return ApiRoutes.page(items, null, 0, "id", "ASC");
    }

    Object chroot(ApiRequest r) {
        var row = read.require(r.id("build_id", r.required("build_id")));
        String name = r.required("chrootname");
        return read.chroots(row).stream().filter(c -> c.name().equals(name)).findFirst().map(CoprBuilds::json)
                .orElseThrow(() -> ApiError.notFound("Chroot " + ApiRequest.shorten(name) + " does not exist in build " + row.get("id")));
    }
}
