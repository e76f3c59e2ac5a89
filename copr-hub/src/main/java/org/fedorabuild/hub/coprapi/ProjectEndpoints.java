package org.fedorabuild.hub.coprapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.coprapi.ApiRequest.ApiUser;
import org.fedorabuild.hub.namespace.CoprName;
import org.fedorabuild.hub.namespace.ProjectSettings;
import org.fedorabuild.hub.namespace.ProjectSettings.Input;
import org.fedorabuild.hub.namespace.ProjectSettings.View;
import org.fedorabuild.hub.namespace.SelfService;
import org.fedorabuild.hub.server.HubServices;

/**
 * Projects and project chroots: Copr's names and shapes over {@link SelfService}, the logic the web pages share.
 * Copr options copr-hub does not have are refused when they ask for something other than the default (a user
 * who asks for multilib or a fedora-review run must not get a project silently without it).
 */
final class ProjectEndpoints {
    /** Options with no copr-hub equivalent, and the values that mean "nothing special". */
    private static final Map<String, List<String>> DEFAULT_ONLY = Map.ofEntries(
            Map.entry("homepage", List.of()), Map.entry("contact", List.of()), Map.entry("devel_mode", List.of("false")),
            Map.entry("persistent", List.of("false")), Map.entry("multilib", List.of("false")),
            Map.entry("module_hotfixes", List.of("false")), Map.entry("fedora_review", List.of("false")),
            Map.entry("appstream", List.of("false")), Map.entry("bootstrap", List.of("default", "unchanged")),
            Map.entry("bootstrap_image", List.of()), Map.entry("isolation", List.of("default", "unchanged")),
            Map.entry("delete_after_days", List.of()), Map.entry("repo_priority", List.of()), Map.entry("storage", List.of("backend")),
            Map.entry("runtime_dependencies", List.of("")), Map.entry("packit_forge_projects_allowed", List.of("", "[]")));

    private final HubServices s;
    private final SelfService projects;

    ProjectEndpoints(HubServices services) {
        this.s = services;
        this.projects = services.selfService;
    }

    private View project(ApiRequest r) {
        return projects.require(SelfService.name(r.required("ownername"), r.required("projectname")));
    }

    Object get(ApiRequest r) {
        return json(project(r));
    }

    /** A user's or group's projects, unlisted ones included (Copr's "unlisted" only keeps them off the front page). */
    Object list(ApiRequest r) {
        String owner = r.required("ownername");
        ApiRoutes.Paging pg = ApiRoutes.Paging.of(r, 10_000);
        List<Object> items = new ArrayList<>();
        List<View> all = projects.ownedBy(owner, true);
        for (int i = pg.offset(); i < all.size() && items.size() < pg.limit(); i++) {
            items.add(json(all.get(i)));
        }
        return pg.page(items);
    }

    Object search(ApiRequest r) {
        String q = r.required("query");
        if (q.length() > 100) {
            throw ApiError.badRequest("query: at most 100 characters");
        }
        List<Object> items = new ArrayList<>();
        projects.search(q, 500).forEach(v -> items.add(json(v)));
        return ApiRoutes.page(items, null, 0, "id", "ASC");
    }

    Object add(ApiRequest r, String owner) {
        ApiUser u = r.requireUser();
        CoprName name = SelfService.name(owner, r.required("name"));
        if (Boolean.TRUE.equals(r.bool("exist_ok"))) {
            var existing = projects.find(name);
            if (existing.isPresent()) {
                return json(existing.get());
            }
        }
        refuseUnsupported(r);
        Input in = new Input(r.text("description"), r.text("instructions"), r.list("chroots"), repos(r), r.bool("enable_net"),
                r.bool("unlisted_on_hp"));
        return json(projects.create(u.id(), name, in));
    }

    Object edit(ApiRequest r, String owner, String project) {
        ApiUser u = r.requireUser();
        refuseUnsupported(r);
        // on edit an empty string clears a text; null (what python-copr sends for options not given) keeps it
        Input in = new Input(rawText(r, "description"), rawText(r, "instructions"), r.list("chroots"), repos(r), r.bool("enable_net"),
                r.bool("unlisted_on_hp"));
        return json(projects.modify(u.id(), SelfService.name(owner, project), in));
    }

    Object delete(ApiRequest r, String owner, String project) {
        ApiUser u = r.requireUser();
        CoprName name = SelfService.name(owner, project);
        Map<String, Object> before = json(projects.require(name));
        projects.delete(u.id(), name, false);
        return before;
    }

    private static String rawText(ApiRequest r, String key) {
        return r.body.hasNonNull(key) ? r.body.get(key).asText() : null;
    }

    /** {@code additional_repos} on create, {@code repos} on edit (python-copr's names). */
    private static List<String> repos(ApiRequest r) {
        List<String> a = r.list("additional_repos");
        return a != null ? a : r.list("repos");
    }

    private static void refuseUnsupported(ApiRequest r) {
        for (var e : DEFAULT_ONLY.entrySet()) {
            JsonNode v = r.body.get(e.getKey());
            if (v == null || v.isNull() || v.isArray() && v.isEmpty()) {
                continue;
            }
            String text = v.isTextual() ? v.asText() : v.toString();
            if (!e.getValue().contains(text)) {
                throw ApiError.badRequest(e.getKey() + ": copr-hub does not support " + e.getKey() + " = '" + ApiRequest.shorten(text)
                        + "'" + (e.getValue().isEmpty() ? "" : " (accepted: " + String.join(", ", e.getValue()) + ")"));
            }
        }
    }

    Object chroot(ApiRequest r) {
        View p = project(r);
        return chrootJson(projects.chroot(p.name(), r.required("chrootname")));
    }

    Object editChroot(ApiRequest r, String owner, String project, String chroot) {
        ApiUser u = r.requireUser();
        if (r.parts != null && r.parts.getFirst("upload_comps") != null || Boolean.TRUE.equals(r.bool("delete_comps"))) {
            throw ApiError.badRequest("upload_comps: comps files are not supported by copr-hub");
        }
        for (String k : List.of("additional_modules", "with_opts", "without_opts")) {
            List<String> v = r.list(k);
            if (v != null && !v.isEmpty()) {
                throw ApiError.badRequest(k + ": not supported by copr-hub (only additional_packages and additional_repos)");
            }
        }
        for (String k : List.of("bootstrap", "bootstrap_image", "isolation")) {
            String v = r.text(k);
            if (v != null && !v.equals("unchanged") && !v.equals("default")) {
                throw ApiError.badRequest(k + ": not supported by copr-hub, got '" + ApiRequest.shorten(v) + "'");
            }
        }
        List<String> reset = r.list("reset_fields");
        List<String> pkgs = reset != null && reset.contains("additional_packages") ? List.of() : r.list("additional_packages");
        List<String> repos = reset != null && reset.contains("additional_repos") ? List.of() : r.list("additional_repos");
        return chrootJson(projects.editChroot(u.id(), SelfService.name(owner, project), chroot, pkgs, repos));
    }

    /**
     * The mock settings copr-cli's mock-config renders: the chroot's stock mock config, the project's repository, its build
     * repos and the chroot's extras. Mock's other knobs (modules, --with) do not exist here, so they are always empty.
     */
    Object buildConfig(ApiRequest r) {
        View p = project(r);
        ProjectSettings.Chroot c = projects.chroot(p.name(), r.required("chrootname"));
        List<Object> repos = new ArrayList<>();
        repos.add(repo("copr_base", "Copr repository", repoUrl(p) + "/" + c.name() + "/"));
        List<String> extra = new ArrayList<>(p.repos());
        c.repos().stream().filter(x -> !extra.contains(x)).forEach(extra::add);
        for (String url : extra) {
            String id = "copr_" + url.replaceAll("^https?://", "").replaceAll("[^A-Za-z0-9]+", "_").replaceAll("_+$", "");
            repos.add(repo(id.length() > 100 ? id.substring(0, 100) : id, "Additional repo " + url, url));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chroot", c.name());
        m.put("repos", repos);
        m.put("additional_repos", extra);
        m.put("additional_packages", c.packages());
        m.put("additional_modules", List.of());
        m.put("with_opts", List.of());
        m.put("without_opts", List.of());
        m.put("enable_net", p.enableNet());
        m.put("isolation", "unchanged");
        return m;
    }

    private static Map<String, Object> repo(String id, String name, String url) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("baseurl", url);
        m.put("repo_gpgcheck", false);
        m.put("priority", null);
        m.put("module_hotfixes", null);
        return m;
    }

    /** mock-chroots/list: the chroots this hub offers, {name: comment}. */
    Object mockChroots() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String c : projects.catalog().enabledNames()) {
            m.put(c, "");
        }
        return m;
    }

    String repoUrl(View p) {
        return s.config.publicUrl() + "/results/" + p.name().owner() + "/" + p.name().project();
    }

    /** Copr's Project object. */
    Map<String, Object> json(View p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("name", p.name().project());
        m.put("ownername", p.name().owner());
        m.put("full_name", p.name().toString());
        m.put("homepage", null);
        m.put("contact", null);
        m.put("description", p.description());
        m.put("instructions", p.instructions());
        m.put("devel_mode", false);
        m.put("persistent", false);
        m.put("unlisted_on_hp", p.unlisted());
        m.put("auto_prune", true);
        Map<String, Object> repos = new LinkedHashMap<>();
        p.chroots().forEach(c -> repos.put(c, repoUrl(p) + "/" + c + "/"));
        m.put("chroot_repos", repos);
        m.put("additional_repos", p.repos());
        m.put("enable_net", p.enableNet());
        m.put("bootstrap", "default");
        m.put("isolation", "default");
        m.put("module_hotfixes", false);
        m.put("appstream", false);
        m.put("packit_forge_projects_allowed", List.of());
        m.put("follow_fedora_branching", false);
        m.put("repo_priority", null);
        m.put("storage", "backend");
        return m;
    }

    /** Copr's ProjectChroot object. */
    static Map<String, Object> chrootJson(ProjectSettings.Chroot c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mock_chroot", c.name());
        m.put("ownername", c.project().owner());
        m.put("projectname", c.project().project());
        m.put("comps_name", null);
        m.put("additional_repos", c.repos());
        m.put("additional_packages", c.packages());
        m.put("additional_modules", List.of());
        m.put("with_opts", List.of());
        m.put("without_opts", List.of());
        m.put("delete_after_days", null);
        m.put("isolation", "unchanged");
        return m;
    }
}
