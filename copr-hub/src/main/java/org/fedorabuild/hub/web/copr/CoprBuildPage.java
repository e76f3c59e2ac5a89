package org.fedorabuild.hub.web.copr;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.task.TaskOutputs;
import org.fedorabuild.hub.task.TaskPayloads;
import org.fedorabuild.hub.web.HttpError;
import org.fedorabuild.hub.web.Row;
import org.fedorabuild.hub.web.States;
import org.fedorabuild.hub.web.WebRequest;
import org.fedorabuild.hub.web.WebResponse;

/**
 * One Copr build ({@code /coprs/OWNER/PROJECT/build/ID/}): source, submitter, times, state per chroot, the
 * task tree, logs, RPMs and the results folder. While it runs, {@code …/live/} re-renders the changing part
 * (htmx polls it; the finished fragment carries no poller, so polling stops) and each chroot's log tails.
 */
public final class CoprBuildPage {
    /** How many RPMs a build page lists; more are in the results folder it links. */
    static final int MAX_RPMS = 500;
    /** How many installed packages it lists per buildroot; {@code koji list-buildroot ID} lists them all. */
    static final int MAX_BUILDROOT_PACKAGES = 300;

    private final Db db;
    private final TaskOutputs outputs;

    public CoprBuildPage(Db db, TaskOutputs outputs) {
        this.db = db;
        this.outputs = outputs;
    }

    WebResponse page(WebRequest req) throws IOException {
        CoprProject p = CoprProject.of(db, req);
        Map<String, Object> model = model(p, req.pathId("id"));
        return WebResponse.page("copr/build.jte", model);
    }

    WebResponse live(WebRequest req) throws IOException {
        CoprProject p = CoprProject.of(db, req);
        return WebResponse.page("copr/build_live.jte", model(p, req.pathId("id")));
    }

    private Map<String, Object> model(CoprProject p, int id) throws IOException {
        Row b = db.queryOne("SELECT t.id, t.state, t.create_time, t.start_time, t.completion_time, t.request, t.package_name,"
                + " t.priority, t.parent, u.name AS submitter, u.id AS submitter_id FROM tasks t JOIN users u ON u.id = t.owner"
                + " WHERE t.id = ? AND t.method = 'build' AND t.project_id = ?", id, p.id()).map(Row::new)
                .orElseThrow(() -> HttpError.notFound("No build " + id + " in " + p.fullName() + "."));
        List<Object> request = TaskPayloads.decodeRequest(b.s("request"));
        b.with("source", request.isEmpty() ? "" : String.valueOf(request.get(0)))
         .with("target", request.size() > 1 ? String.valueOf(request.get(1)) : "")
         .with("word", States.copr(b.i("state")));
        List<Row> children = Row.of(db.query("SELECT c.id, c.method, c.label, c.state, c.create_time, c.start_time, c.completion_time,"
                + " h.id AS host_id, h.name AS host FROM tasks c LEFT JOIN hosts h ON h.id = c.host_id WHERE c.parent = ? ORDER BY c.id", id));
        Map<Integer, Row> kojiBuilds = new LinkedHashMap<>();
        for (var r : db.query("SELECT b.id, b.state, b.version, b.release, b.arch_task_id, pk.name, br.dir, br.published"
                + " FROM builds b JOIN packages pk ON pk.id = b.package_id LEFT JOIN build_results br ON br.build_id = b.id"
                + " WHERE b.task_id = ? ORDER BY b.id", id)) {
            Row kb = new Row(r);
            kb.with("nvr", kb.s("name") + "-" + kb.s("version") + "-" + kb.s("release"));
            kojiBuilds.put(kb.i("arch_task_id"), kb);
        }
        boolean active = States.active(b.i("state"));
        for (Row c : children) {
            c.with("word", States.copr(c.i("state"))).with("koji", States.task(c.i("state")))
             .with("chroot", "buildArch".equals(c.s("method")) ? p.chrootOf(c.s("label")) : "srpm")
             .with("logs", logs(c.i("id")))
             .with("build", kojiBuilds.get(c.i("id")));
            active |= States.active(c.i("state"));
        }
        List<Row> rpms = Row.of(db.query("SELECT r.name, r.version, r.release, r.arch, r.size, r.path, pc.name AS chroot FROM rpms r"
                + " JOIN builds b ON b.id = r.build_id LEFT JOIN project_chroots pc ON pc.id = b.chroot_id WHERE b.task_id = ?"
                + " ORDER BY pc.name, r.name, r.arch LIMIT ?", id, MAX_RPMS + 1));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p", p);
        m.put("b", b);
        m.put("children", children);
        m.put("kojiBuilds", new ArrayList<>(kojiBuilds.values()));
        m.put("rpms", rpms.size() > MAX_RPMS ? rpms.subList(0, MAX_RPMS) : rpms);
        m.put("moreRpms", rpms.size() > MAX_RPMS);
        m.put("live", active);
        m.put("buildroots", buildroots(children));
        return m;
    }

    /**
     * The buildroot of each buildArch child: what was installed in it and where each package came from (the
     * project repository, a build repository, the builder's base system), the project's own first.
     */
    private List<Row> buildroots(List<Row> children) {
        List<Row> out = new ArrayList<>();
        for (Row c : children) {
            if (!"buildArch".equals(c.s("method"))) {
                continue;
            }
            for (var r : db.query("SELECT br.id, br.state, br.arch, (SELECT count(*) FROM buildroot_listing l WHERE l.buildroot_id = br.id"
                    + " AND l.installed) AS installed FROM buildroots br WHERE br.task_id = ? ORDER BY br.id", c.i("id"))) {
                Row br = new Row(r).with("chroot", c.s("chroot")).with("task", c.i("id"));
                br.with("packages", Row.of(db.query("SELECT l.name, l.epoch, l.version, l.release, l.arch, l.origin, l.repo, l.rpm_id"
                        + " FROM buildroot_listing l WHERE l.buildroot_id = ? AND l.installed ORDER BY CASE l.origin WHEN 'project'"
                        + " THEN 0 WHEN 'build-repo' THEN 1 ELSE 2 END, l.name, l.arch LIMIT ?", br.i("id"), MAX_BUILDROOT_PACKAGES)));
                out.add(br);
            }
        }
        return out;
    }

    /** A task's log files (names ending in .log), for links to /koji/getfile. */
    private List<String> logs(int taskId) throws IOException {
        List<String> names = new ArrayList<>();
        for (Path f : outputs.files(taskId)) {
            String n = f.getFileName().toString();
            if (n.endsWith(".log") || n.endsWith(".log.gz")) {
                names.add(n);
            }
        }
        return names;
    }
}
