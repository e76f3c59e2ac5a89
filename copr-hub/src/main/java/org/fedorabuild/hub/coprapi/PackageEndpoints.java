package org.fedorabuild.hub.coprapi;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.coprapi.ApiRequest.ApiUser;
import org.fedorabuild.hub.namespace.ProjectSettings.View;
import org.fedorabuild.hub.namespace.SelfService;
import org.fedorabuild.hub.server.HubServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copr packages: the package list of the project's Koji tag (every package built there, whoever built it), plus how a
 * package is built by {@code build-package} ({@code package_sources}: git, as add-package-scm defines it, or an SRPM URL
 * with source type {@code url}, a copr-hub addition reachable through python-copr).
 */
final class PackageEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(PackageEndpoints.class);
    private static final String NAME = "[A-Za-z0-9_][A-Za-z0-9._+-]{0,199}";

    private final HubServices s;
    private final BuildRequests requests;
    private final CoprBuilds read;

    PackageEndpoints(HubServices services, BuildRequests requests, CoprBuilds read) {
        this.s = services;
        this.requests = requests;
        this.read = read;
    }

    Object handle(ApiRequest r, boolean get, boolean post, boolean put, boolean delete) throws Exception {
        List<String> p = r.path;
        int n = p.size();
        String second = n > 1 ? p.get(1) : "";
        if (get && n == 1) {
            View proj = project(r);
            String name = r.required("packagename");
            return packages(r, proj, name).stream().findFirst()
                    .orElseThrow(() -> ApiError.notFound("Package " + ApiRequest.shorten(name) + " does not exist in project " + proj.name() + "."));
        } else if (get && n == 2 && second.equals("list")) {
            ApiRoutes.Paging pg = ApiRoutes.Paging.of(r, 10_000);
            List<Map<String, Object>> all = packages(r, project(r), null);
            return pg.page(all.subList(Math.min(pg.offset(), all.size()), Math.min(all.size(), pg.offset() + pg.limit())));
        } else if ((post || put) && n == 6 && (second.equals("add") || second.equals("edit"))) {
            return save(r, second.equals("add"), p.get(2), p.get(3), p.get(4), p.get(5));
        } else if (post && n == 2 && second.equals("build")) {
            return build(r);
        } else if ((put || delete) && n == 2 && (second.equals("reset") || second.equals("delete"))) {
            throw ApiError.badRequest("package " + second + ": not supported by copr-hub (a package's builds stay; edit its source instead)");
        }
        throw ApiRoutes.notFound();
    }

    private View project(ApiRequest r) {
        return s.selfService.require(SelfService.name(r.required("ownername"), r.required("projectname")));
    }

    private List<Map<String, Object>> packages(ApiRequest r, View p, String only) {
        boolean latest = Boolean.TRUE.equals(r.bool("with_latest_build"));
        boolean succeeded = Boolean.TRUE.equals(r.bool("with_latest_succeeded_build"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (var row : s.db.query("SELECT pk.id, pk.name, ps.source_type, ps.source_json FROM tags t JOIN tag_packages tp ON tp.tag_id = t.id"
                + " JOIN packages pk ON pk.id = tp.package_id LEFT JOIN package_sources ps ON ps.tag_id = t.id AND ps.package_id = pk.id"
                + " WHERE t.project_id = ? AND t.chroot_id IS NULL AND NOT tp.blocked AND (CAST(? AS text) IS NULL OR pk.name = ?)"
                + " ORDER BY pk.name", p.id(), only, only)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", row.get("id"));
            m.put("name", row.get("name"));
            m.put("ownername", p.name().owner());
            m.put("projectname", p.name().project());
            m.put("source_type", row.get("source_type") == null ? "unset" : row.get("source_type"));
            m.put("source_dict", row.get("source_json") == null ? Map.of() : parse((String) row.get("source_json")));
            m.put("auto_rebuild", false);
            Map<String, Object> builds = new LinkedHashMap<>();
            if (latest) {
                builds.put("latest", latest(p, (String) row.get("name"), false));
            }
            if (succeeded) {
                builds.put("latest_succeeded", latest(p, (String) row.get("name"), true));
            }
            m.put("builds", builds);
            out.add(m);
        }
        return out;
    }

    private Map<String, Object> latest(View p, String pkg, boolean succeeded) {
        return s.db.scalar("SELECT max(t.id) FROM tasks t JOIN builds b ON b.task_id = t.id JOIN packages pk ON pk.id = b.package_id"
                + " WHERE t.project_id = ? AND pk.name = ? AND (NOT ? OR t.state = 2)"
                + " AND NOT EXISTS (SELECT 1 FROM deleted_builds d WHERE d.task_id = t.id)", p.id(), pkg, succeeded)
                .flatMap(id -> read.row((Integer) id)).map(read::json).orElse(null);
    }

    private Object save(ApiRequest r, boolean add, String owner, String project, String name, String type) throws Exception {
        ApiUser u = r.requireUser();
        View p = s.selfService.require(SelfService.name(owner, project));
        if (!name.matches(NAME)) {
            throw ApiError.badRequest("package_name: invalid package name '" + ApiRequest.shorten(name) + "'");
        }
        if (!s.selfService.may(u.id(), p, "builder")) {
            throw ApiError.forbidden("User '" + u.name() + "' is not allowed to add packages to '" + p.name() + "'");
        }
        Map<String, Object> source = new LinkedHashMap<>();
        switch (type) {
            case "scm" -> {
                for (String k : List.of("clone_url", "committish", "subdirectory", "spec", "scm_type", "source_build_method")) {
                    source.put(k, r.text(k) == null ? "" : r.text(k));
                }
                try {
                    // the hub's SCM rules (SCMSchemes) now, not only when someone builds it
                    org.fedorabuild.hub.scm.ScmUrl.parse(BuildRequests.scmUrl(source), s.config.builds().scmSchemes());
                } catch (IllegalArgumentException e) {
                    throw ApiError.badRequest("clone_url: " + e.getMessage());
                }
            }
            case "url" -> source.put("url", org.fedorabuild.hub.namespace.ProjectRules.url("url", r.required("url")));
            default -> throw ApiError.badRequest("source_type: copr-hub packages are built from git (scm) or an SRPM URL (url), got '"
                    + ApiRequest.shorten(type) + "'");
        }
        int tag = (Integer) s.db.scalar("SELECT id FROM tags WHERE project_id = ? AND chroot_id IS NULL", p.id()).orElseThrow();
        s.db.update("INSERT INTO packages (name) VALUES (?) ON CONFLICT (name) DO NOTHING", name);
        int pkg = (Integer) s.db.scalar("SELECT id FROM packages WHERE name = ?", name).orElseThrow();
        boolean exists = s.db.queryOne("SELECT 1 FROM package_sources WHERE tag_id = ? AND package_id = ?", tag, pkg).isPresent();
        if (add && exists) {
            throw ApiError.conflict("Package " + name + " already exists in project " + p.name() + ".");
        }
        if (!add && !exists && s.db.queryOne("SELECT 1 FROM tag_packages WHERE tag_id = ? AND package_id = ?", tag, pkg).isEmpty()) {
            throw ApiError.notFound("Package " + name + " does not exist in project " + p.name() + ".");
        }
        s.db.update("INSERT INTO tag_packages (tag_id, package_id, owner_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", tag, pkg, u.id());
        s.db.update("INSERT INTO package_sources (tag_id, package_id, source_type, source_json) VALUES (?, ?, ?, ?) ON CONFLICT (tag_id,"
                + " package_id) DO UPDATE SET source_type = excluded.source_type, source_json = excluded.source_json, update_time = now()",
                tag, pkg, type, CoprApiHandler.JSON.writeValueAsString(source));
        LOG.info("Project {} - package {} {} by {} ({})", p.name(), name, add ? "added" : "edited", u.name(), type);
        return packages(r, p, name).get(0);
    }

    private Object build(ApiRequest r) throws Exception {
        View p = project(r);
        String name = r.required("package_name");
        var row = s.db.queryOne("SELECT ps.source_type, ps.source_json FROM package_sources ps JOIN packages pk ON pk.id = ps.package_id"
                + " JOIN tags t ON t.id = ps.tag_id WHERE t.project_id = ? AND t.chroot_id IS NULL AND pk.name = ?", p.id(), name)
                .orElseThrow(() -> ApiError.notFound("Package " + ApiRequest.shorten(name) + " does not exist in project " + p.name()
                        + " or has no source (add-package-scm)."));
        Map<String, Object> source = parse((String) row.get("source_json"));
        BuildRequests.Checked c = requests.check(r);
        int id = "url".equals(row.get("source_type")) ? requests.submit(r, c, String.valueOf(source.get("url")))
                : requests.submit(r, c, BuildRequests.scmUrl(source));
        return read.json(read.require(id));
    }

    private static Map<String, Object> parse(String json) {
        try {
            return CoprApiHandler.JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable package_sources row: " + e.getMessage(), e);
        }
    }
}
