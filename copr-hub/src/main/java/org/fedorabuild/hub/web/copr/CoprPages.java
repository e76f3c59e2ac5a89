package org.fedorabuild.hub.web.copr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.repo.Results;
import org.fedorabuild.hub.web.HttpError;
import org.fedorabuild.hub.web.Paging;
import org.fedorabuild.hub.web.Route;
import org.fedorabuild.hub.web.Router;
import org.fedorabuild.hub.web.Row;
import org.fedorabuild.hub.web.States;
import org.fedorabuild.hub.web.WebRequest;
import org.fedorabuild.hub.web.WebResponse;

/** Copr's project pages: {@code /coprs/…} and the group form {@code /coprs/g/GROUP/…}. */
public final class CoprPages implements Router.PageSet {
    private final Db db;
    private final CoprBuilds builds;
    private final CoprBuildPage buildPage;

    private final String hubAuthority;

    /** @param publicUrl the hub's public URL: its host names the hub in {@code dnf copr enable HOST/OWNER/PROJECT} */
    public CoprPages(Db db, CoprBuildPage buildPage, String publicUrl) {
        this.db = db;
        String authority = java.net.URI.create(publicUrl).getAuthority();
        this.hubAuthority = authority == null ? "HUB" : authority;
        this.builds = new CoprBuilds(db);
        this.buildPage = buildPage;
    }

    @Override
    public void register(Router r) {
        r.get("/coprs/", this::projects);
        // group routes first: /coprs/g/x/ is the group x, not the project x of a user g
        r.get("/coprs/g/{group}/", this::owner);
        both(r, "", this::overview);
        r.get("/coprs/{owner}/", this::owner);
        both(r, "builds/", this::builds);
        both(r, "build/{id}/", buildPage::page);
        both(r, "build/{id}/live/", buildPage::live);
        both(r, "packages/", this::packages);
        both(r, "package/{pkg}/", this::pkg);
        both(r, "monitor/", this::monitor);
    }

    private static void both(Router r, String suffix, Route.PageHandler page) {
        r.get("/coprs/g/{group}/{project}/" + suffix, page);
        r.get("/coprs/{owner}/{project}/" + suffix, page);
    }

    /** All listed projects, newest activity (latest build, else creation) first. */
    WebResponse projects(WebRequest req) {
        Paging paging = Paging.of(req, 50);
        var rows = db.query("SELECT u.name AS owner, p.name, p.description, COALESCE((SELECT max(t.create_time) FROM tasks t"
                + " WHERE t.id = (SELECT max(t2.id) FROM tasks t2 WHERE t2.project_id = p.id AND t2.method = 'build')), p.create_time) AS active"
                + " FROM projects p JOIN users u ON u.id = p.owner_id WHERE p.deleted_time IS NULL AND NOT p.unlisted"
                + " ORDER BY active DESC, p.id DESC LIMIT ? OFFSET ?", paging.limit(), paging.offset());
        return WebResponse.page("copr/projects.jte", Map.of("title", "Projects", "heading", "Projects",
                "page", paging.cut(Row.of(rows), req)));
    }

    /** A user's or group's projects. */
    WebResponse owner(WebRequest req) {
        String owner = CoprProject.ownerOf(req);
        db.scalar("SELECT id FROM users WHERE name = ? AND usertype IN (0, 2)", owner)
                .orElseThrow(() -> HttpError.notFound("No " + (owner.startsWith("@") ? "group " : "user ") + owner + "."));
        Paging paging = Paging.of(req, 50);
        var rows = db.query("SELECT u.name AS owner, p.name, p.description, p.create_time AS active FROM projects p"
                + " JOIN users u ON u.id = p.owner_id WHERE u.name = ? AND p.deleted_time IS NULL ORDER BY p.name LIMIT ? OFFSET ?",
                owner, paging.limit(), paging.offset());
        return WebResponse.page("copr/projects.jte", Map.of("title", owner + "'s projects", "heading", "Projects of " + owner,
                "page", paging.cut(Row.of(rows), req)));
    }

    WebResponse overview(WebRequest req) {
        CoprProject p = CoprProject.of(db, req);
        List<Row> latest = builds.page(p, null, new Paging(1, 10));
        List<Row> repos = new ArrayList<>();
        for (String chroot : p.chroots()) {
            String release = chroot.substring(0, chroot.lastIndexOf('-'));
            String all = Results.repoFileName(p.owner(), p.name());
            String file = all.substring(0, all.length() - ".repo".length()) + "-" + release + ".repo";
            repos.add(new Row(new LinkedHashMap<>(Map.of("chroot", chroot, "release", release,
                    "coprRepo", p.url() + "repo/" + release + "/" + file,
                    "results", "/results/" + CoprLinks.seg(p.owner()) + "/" + CoprLinks.seg(p.name()) + "/" + chroot + "/"))));
        }
        String repoFile = "/results/" + CoprLinks.seg(p.owner()) + "/" + CoprLinks.seg(p.name()) + "/"
                + CoprLinks.seg(Results.repoFileName(p.owner(), p.name()));
        return WebResponse.page("copr/overview.jte", Map.of("p", p, "latest", latest.size() > 10 ? latest.subList(0, 10) : latest,
                "repos", repos, "repoFile", repoFile,
                "hub", hubAuthority));
    }

    WebResponse builds(WebRequest req) {
        CoprProject p = CoprProject.of(db, req);
        Paging paging = Paging.of(req, 50);
        return WebResponse.page("copr/builds.jte", Map.of("p", p, "tab", "builds", "pkg", "",
                "page", paging.cut(builds.page(p, null, paging), req)));
    }

    WebResponse pkg(WebRequest req) {
        CoprProject p = CoprProject.of(db, req);
        String name = req.path("pkg");
        boolean known = db.scalar("SELECT 1 FROM tasks WHERE project_id = ? AND package_name = ? AND method IN ('build', 'buildArch')"
                + " LIMIT 1", p.id(), name).isPresent();
        if (!known) {
            throw HttpError.notFound("No package " + name + " in " + p.fullName() + ".");
        }
        Paging paging = Paging.of(req, 50);
        return WebResponse.page("copr/builds.jte", Map.of("p", p, "tab", "packages", "pkg", name,
                "page", paging.cut(builds.page(p, name, paging), req)));
    }

    /** Packages built in the project, by name, with their latest build. */
    WebResponse packages(WebRequest req) {
        CoprProject p = CoprProject.of(db, req);
        Paging paging = Paging.of(req, 50);
        List<Row> rows = Row.of(db.query("SELECT n.package_name AS name, l.id, l.state, l.create_time FROM ("
                + "SELECT DISTINCT package_name FROM tasks WHERE project_id = ? AND method IN ('build', 'buildArch')"
                + " AND package_name IS NOT NULL ORDER BY package_name LIMIT ? OFFSET ?) n"
                + " CROSS JOIN LATERAL (SELECT t.id, t.state, t.create_time FROM tasks t WHERE t.project_id = ? AND t.package_name = n.package_name"
                + " AND t.method IN ('build', 'buildArch') ORDER BY t.id DESC LIMIT 1) l ORDER BY n.package_name",
                p.id(), paging.limit(), paging.offset(), p.id()));
        rows.forEach(r -> r.with("word", States.copr(r.i("state"))));
        return WebResponse.page("copr/packages.jte", Map.of("p", p, "page", paging.cut(rows, req)));
    }

    /** Package × chroot: the state of each package's latest build in each chroot, each cell linking to that build. */
    WebResponse monitor(WebRequest req) {
        CoprProject p = CoprProject.of(db, req);
        Paging paging = Paging.of(req, 50);
        List<String> names = db.query("SELECT DISTINCT package_name FROM tasks WHERE project_id = ? AND method = 'buildArch'"
                + " AND package_name IS NOT NULL ORDER BY package_name LIMIT ? OFFSET ?", p.id(), paging.limit(), paging.offset())
                .stream().map(r -> (String) r.get("package_name")).toList();
        Paging.Page<String> page = paging.cut(names, req);
        Map<String, Map<String, Row>> grid = new TreeMap<>();
        page.rows().forEach(n -> grid.put(n, new LinkedHashMap<>()));
        if (!page.rows().isEmpty()) {
            for (var c : db.query("SELECT DISTINCT ON (package_name, label) id, parent, label, state, package_name FROM tasks"
                    + " WHERE project_id = ? AND method = 'buildArch' AND package_name = ANY(?) ORDER BY package_name, label, id DESC",
                    p.id(), page.rows().toArray(String[]::new))) {
                Row r = new Row(c);
                r.with("word", States.copr(r.i("state")));
                grid.get(r.s("package_name")).put(p.chrootOf(r.s("label")), r);
            }
        }
        return WebResponse.page("copr/monitor.jte", Map.of("p", p, "grid", grid, "page", page));
    }
}
