package org.fedorabuild.hub.web.koji;

import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.web.HttpError;
import org.fedorabuild.hub.web.Paging;
import org.fedorabuild.hub.web.Router;
import org.fedorabuild.hub.web.Row;
import org.fedorabuild.hub.web.WebRequest;
import org.fedorabuild.hub.web.WebResponse;

/** kojiweb's builders ({@code hosts}, {@code hostinfo}), {@code packageinfo}, {@code userinfo} and {@code taginfo}. */
public final class KojiInfoPages implements Router.PageSet {
    private final Db db;

    public KojiInfoPages(Db db) {
        this.db = db;
    }

    @Override
    public void register(Router r) {
        r.get("/koji/hosts", this::hosts);
        r.get("/koji/hostinfo", this::hostinfo);
        r.get("/koji/packageinfo", this::packageinfo);
        r.get("/koji/userinfo", this::userinfo);
        r.get("/koji/taginfo", this::taginfo);
    }

    static final String HOST_COLUMNS = "h.id, h.name, h.arches, h.enabled, h.ready, h.task_load, h.capacity, h.update_time, h.driver,"
            + " h.backend, h.description, h.comment, (SELECT count(*) FROM tasks t WHERE t.host_id = h.id AND t.state IN (1, 4)) AS running";

    /** The builders: what an operator checks first (enabled, ready, load against capacity, last check-in). */
    WebResponse hosts(WebRequest req) {
        Paging paging = Paging.of(req, 100);
        List<Row> rows = Row.of(db.query("SELECT " + HOST_COLUMNS + " FROM hosts h ORDER BY h.name LIMIT ? OFFSET ?",
                paging.limit(), paging.offset()));
        return WebResponse.page("koji/hosts.jte", Map.of("page", paging.cut(rows, req)));
    }

    WebResponse hostinfo(WebRequest req) {
        int id = req.requiredId("hostID");
        Row h = db.queryOne("SELECT " + HOST_COLUMNS + " FROM hosts h WHERE h.id = ?", id).map(Row::new)
                .orElseThrow(() -> HttpError.notFound("No host " + id + "."));
        List<String> channels = db.query("SELECT c.name FROM host_channels hc JOIN channels c ON c.id = hc.channel_id"
                + " WHERE hc.host_id = ? ORDER BY c.name", id).stream().map(r -> (String) r.get("name")).toList();
        Paging paging = Paging.of(req, 50);
        List<Row> tasks = KojiPages.taskRows(db.query("SELECT " + KojiPages.TASK_COLUMNS + KojiPages.TASK_FROM
                + " WHERE t.host_id = ? ORDER BY t.id DESC LIMIT ? OFFSET ?", id, paging.limit(), paging.offset()));
        return WebResponse.page("koji/hostinfo.jte", Map.of("h", h, "channels", channels, "page", paging.cut(tasks, req)));
    }

    WebResponse packageinfo(WebRequest req) {
        int id = req.requiredId("packageID");
        Row p = db.queryOne("SELECT id, name FROM packages WHERE id = ?", id).map(Row::new)
                .orElseThrow(() -> HttpError.notFound("No package " + id + "."));
        List<Row> tags = Row.of(db.query("SELECT t.id, t.name, tp.blocked FROM tag_packages tp JOIN tags t ON t.id = tp.tag_id"
                + " WHERE tp.package_id = ? ORDER BY t.name LIMIT 200", id));
        Paging paging = Paging.of(req, 50);
        List<Row> builds = KojiPages.buildRows(db.query("SELECT " + KojiPages.BUILD_COLUMNS + KojiPages.BUILD_FROM
                + " WHERE b.package_id = ? ORDER BY b.id DESC LIMIT ? OFFSET ?", id, paging.limit(), paging.offset()));
        return WebResponse.page("koji/packageinfo.jte", Map.of("p", p, "tags", tags, "page", paging.cut(builds, req)));
    }

    WebResponse userinfo(WebRequest req) {
        int id = req.requiredId("userID");
        Row u = db.queryOne("SELECT id, name, usertype, status, create_time FROM users WHERE id = ?", id).map(Row::new)
                .orElseThrow(() -> HttpError.notFound("No user " + id + "."));
        u.with("kind", switch (u.i("usertype")) {
            case 1 -> "host";
            case 2 -> "group";
            default -> "user";
        });
        List<String> perms = db.query("SELECT p.name FROM user_perms up JOIN permissions p ON p.id = up.perm_id WHERE up.user_id = ?"
                + " ORDER BY p.name", id).stream().map(r -> (String) r.get("name")).toList();
        List<Row> projects = Row.of(db.query("SELECT u.name AS owner, p.name FROM projects p JOIN users u ON u.id = p.owner_id"
                + " WHERE p.owner_id = ? AND p.deleted_time IS NULL ORDER BY p.name LIMIT 100", id));
        List<Row> builds = KojiPages.buildRows(db.query("SELECT " + KojiPages.BUILD_COLUMNS + KojiPages.BUILD_FROM
                + " WHERE b.owner_id = ? ORDER BY b.id DESC LIMIT 10", id));
        List<Row> tasks = KojiPages.taskRows(db.query("SELECT " + KojiPages.TASK_COLUMNS + KojiPages.TASK_FROM
                + " WHERE t.owner = ? AND t.parent IS NULL ORDER BY t.id DESC LIMIT 10", id));
        return WebResponse.page("koji/userinfo.jte", Map.of("u", u, "perms", perms, "projects", projects, "builds", builds,
                "tasks", tasks));
    }

    /** A tag: a Copr project or one of its chroots; its inheritance, targets and latest builds. */
    WebResponse taginfo(WebRequest req) {
        int id = req.requiredId("tagID");
        Row t = db.queryOne("SELECT t.id, t.name, t.arches, t.locked, pc.name AS chroot, p.name AS project_name,"
                + " u.name AS project_owner FROM tags t JOIN projects p ON p.id = t.project_id JOIN users u ON u.id = p.owner_id"
                + " LEFT JOIN project_chroots pc ON pc.id = t.chroot_id WHERE t.id = ?", id).map(Row::new)
                .orElseThrow(() -> HttpError.notFound("No tag " + id + "."));
        List<Row> parents = Row.of(db.query("SELECT p.id, p.name, i.priority FROM tag_inheritance i JOIN tags p ON p.id = i.parent_id"
                + " WHERE i.tag_id = ? ORDER BY i.priority", id));
        List<Row> children = Row.of(db.query("SELECT c.id, c.name FROM tag_inheritance i JOIN tags c ON c.id = i.tag_id"
                + " WHERE i.parent_id = ? ORDER BY c.name LIMIT 200", id));
        List<Row> targets = Row.of(db.query("SELECT bt.name, b.id AS build_tag_id, b.name AS build_tag, d.id AS dest_tag_id,"
                + " d.name AS dest_tag FROM build_targets bt JOIN tags b ON b.id = bt.build_tag JOIN tags d ON d.id = bt.dest_tag"
                + " WHERE bt.build_tag = ? OR bt.dest_tag = ? ORDER BY bt.name LIMIT 200", id, id));
        Paging paging = Paging.of(req, 50);
        List<Row> builds = KojiPages.buildRows(db.query("SELECT " + KojiPages.BUILD_COLUMNS + KojiPages.BUILD_FROM
                + " JOIN tag_listing tl ON tl.build_id = b.id WHERE tl.tag_id = ? ORDER BY b.id DESC LIMIT ? OFFSET ?",
                id, paging.limit(), paging.offset()));
        return WebResponse.page("koji/taginfo.jte", Map.of("t", t, "parents", parents, "children", children, "targets", targets,
                "page", paging.cut(builds, req)));
    }
}
