package org.fedorabuild.hub.web.koji;

import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.web.HttpError;
import org.fedorabuild.hub.web.Paging;
import org.fedorabuild.hub.web.Router;
import org.fedorabuild.hub.web.Row;
import org.fedorabuild.hub.web.States;
import org.fedorabuild.hub.web.WebRequest;
import org.fedorabuild.hub.web.WebResponse;

/** kojiweb's index, build and task lists, and {@code buildinfo}; the other info pages are in {@link KojiInfoPages}. */
public final class KojiPages implements Router.PageSet {
    static final String BUILD_COLUMNS = "b.id, pk.name || '-' || b.version || '-' || b.release AS nvr, b.state, b.creation_time,"
            + " b.completion_time, b.task_id, b.owner_id, u.name AS owner_name, pk.id AS package_id, pk.name AS package_name";
    static final String BUILD_FROM = " FROM builds b JOIN packages pk ON pk.id = b.package_id JOIN users u ON u.id = b.owner_id";
    static final String TASK_COLUMNS = "t.id, t.method, t.label, t.state, t.arch, t.create_time, t.start_time, t.completion_time,"
            + " t.owner, u.name AS owner_name, t.host_id, h.name AS host, t.parent";
    static final String TASK_FROM = " FROM tasks t JOIN users u ON u.id = t.owner LEFT JOIN hosts h ON h.id = t.host_id";

    private final Db db;

    public KojiPages(Db db) {
        this.db = db;
    }

    @Override
    public void register(Router r) {
        r.get("/koji/", this::index);
        r.get("/koji/index", this::index);
        r.get("/koji/builds", this::builds);
        r.get("/koji/buildinfo", this::buildinfo);
        r.get("/koji/tasks", this::tasks);
    }

    WebResponse index(WebRequest req) {
        List<Row> builds = buildRows(db.query("SELECT " + BUILD_COLUMNS + BUILD_FROM + " ORDER BY b.id DESC LIMIT 10"));
        List<Row> tasks = taskRows(db.query("SELECT " + TASK_COLUMNS + TASK_FROM + " WHERE t.parent IS NULL ORDER BY t.id DESC LIMIT 10"));
        return WebResponse.page("koji/index.jte", Map.of("builds", builds, "tasks", tasks));
    }

    /** Builds, newest first; filters {@code userID}, {@code packageID}, {@code state} as kojiweb names them. */
    WebResponse builds(WebRequest req) {
        Paging paging = Paging.of(req, 50);
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> args = new java.util.ArrayList<>();
        if (req.param("userID").isPresent()) {
            where.append(" AND b.owner_id = ?");
            args.add(req.requiredId("userID"));
        }
        if (req.param("packageID").isPresent()) {
            where.append(" AND b.package_id = ?");
            args.add(req.requiredId("packageID"));
        }
        String state = req.param("state").orElse("all");
        if (!state.equals("all")) {
            where.append(" AND b.state = ?");
            args.add(States.buildFilter(state));
        }
        args.add(paging.limit());
        args.add(paging.offset());
        List<Row> rows = buildRows(db.query("SELECT " + BUILD_COLUMNS + BUILD_FROM + where + " ORDER BY b.id DESC LIMIT ? OFFSET ?",
                args.toArray()));
        return WebResponse.page("koji/builds.jte", Map.of("page", paging.cut(rows, req), "state", state));
    }

    WebResponse buildinfo(WebRequest req) {
        int id = req.requiredId("buildID");
        Row b = db.queryOne("SELECT " + BUILD_COLUMNS + ", b.epoch, b.source, b.start_time, b.arch_task_id, p.name AS project_name,"
                + " pu.name AS project_owner, pc.name AS chroot, br.dir, br.published, tg.id AS tag_id, tg.name AS tag_name"
                + BUILD_FROM + " JOIN projects p ON p.id = b.project_id JOIN users pu ON pu.id = p.owner_id"
                + " LEFT JOIN project_chroots pc ON pc.id = b.chroot_id LEFT JOIN build_results br ON br.build_id = b.id"
                + " LEFT JOIN tags tg ON tg.project_id = p.id AND tg.chroot_id IS NULL WHERE b.id = ?", id).map(Row::new)
                .orElseThrow(() -> HttpError.notFound("No build " + id + "."));
        b.with("word", States.build(b.i("state")));
        List<Row> rpms = Row.of(db.query("SELECT name, version, release, arch, size, path, sha256 FROM rpms WHERE build_id = ?"
                + " ORDER BY arch, name LIMIT 501", id));
        return WebResponse.page("koji/buildinfo.jte", Map.of("b", b, "rpms", rpms.size() > 500 ? rpms.subList(0, 500) : rpms,
                "moreRpms", rpms.size() > 500));
    }

    /**
     * Tasks, newest first. Filters as kojiweb: {@code state} (all, active, or a state name), {@code method},
     * {@code owner} (a user name), {@code hostID}; {@code view=toplevel} shows only tasks without a parent.
     */
    WebResponse tasks(WebRequest req) {
        Paging paging = Paging.of(req, 50);
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> args = new java.util.ArrayList<>();
        String state = req.param("state").orElse("all");
        if (!state.equals("all")) {
            where.append(" AND t.state = ANY(?)");
            args.add(States.taskFilter(state));
        }
        String method = req.param("method").orElse("all");
        if (!method.equals("all")) {
            if (!method.matches("[A-Za-z]{1,64}")) {
                throw HttpError.badRequest("bad method '" + method + "': expected a task method name such as buildArch");
            }
            where.append(" AND t.method = ?");
            args.add(method);
        }
        String owner = req.param("owner").orElse("");
        if (!owner.isEmpty()) {
            int uid = db.scalar("SELECT id FROM users WHERE name = ?", owner).map(o -> (Integer) o)
                    .orElseThrow(() -> HttpError.notFound("No user " + owner + "."));
            where.append(" AND t.owner = ?");
            args.add(uid);
        }
        if (req.param("hostID").isPresent()) {
            where.append(" AND t.host_id = ?");
            args.add(req.requiredId("hostID"));
        }
        String view = req.param("view").orElse("tree");
        if (!view.equals("tree") && !view.equals("toplevel") && !view.equals("flat")) {
            throw HttpError.badRequest("bad view '" + view + "': expected tree, toplevel or flat");
        }
        if (view.equals("toplevel")) {
            where.append(" AND t.parent IS NULL");
        }
        args.add(paging.limit());
        args.add(paging.offset());
        List<Row> rows = taskRows(db.query("SELECT " + TASK_COLUMNS + TASK_FROM + where + " ORDER BY t.id DESC LIMIT ? OFFSET ?",
                args.toArray()));
        List<String> methods = db.query("SELECT DISTINCT method FROM tasks WHERE id > (SELECT COALESCE(max(id), 0) - 10000 FROM tasks)"
                + " ORDER BY method").stream().map(m -> (String) m.get("method")).toList();
        return WebResponse.page("koji/tasks.jte", Map.of("page", paging.cut(rows, req), "state", state, "method", method,
                "owner", owner, "view", view, "methods", methods));
    }

    static List<Row> buildRows(List<Map<String, Object>> rows) {
        List<Row> out = Row.of(rows);
        out.forEach(b -> b.with("word", States.build(b.i("state"))));
        return out;
    }

    static List<Row> taskRows(List<Map<String, Object>> rows) {
        List<Row> out = Row.of(rows);
        out.forEach(t -> t.with("word", States.task(t.i("state"))));
        return out;
    }
}
