package org.fedorabuild.hub.web.koji;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.task.TaskOutputs;
import org.fedorabuild.hub.task.TaskPayloads;
import org.fedorabuild.hub.web.HttpError;
import org.fedorabuild.hub.web.LogChunk;
import org.fedorabuild.hub.web.Repr;
import org.fedorabuild.hub.web.Router;
import org.fedorabuild.hub.web.Row;
import org.fedorabuild.hub.web.States;
import org.fedorabuild.hub.web.WebRequest;
import org.fedorabuild.hub.web.WebResponse;
import org.fedorabuild.hub.web.copr.CoprLinks;

/**
 * kojiweb's task pages: {@code taskinfo} (with a live part while the task runs), {@code getfile} (an output
 * file whole and plain, or from {@code offset}), {@code watchlogs} and the live log tail fragment.
 */
public final class KojiTaskPages implements Router.PageSet {
    /** The first live view of a log shows at most its last 64 KiB (with a link to the whole file). */
    static final int FIRST_TAIL = 64 * 1024;

    private final Db db;
    private final TaskOutputs outputs;

    public KojiTaskPages(Db db, TaskOutputs outputs) {
        this.db = db;
        this.outputs = outputs;
    }

    @Override
    public void register(Router r) {
        r.get("/koji/taskinfo", this::taskinfo);
        r.get("/koji/taskinfo-live", this::taskinfoLive);
        r.get("/koji/getfile", this::getfile);
        r.get("/koji/tail", this::tail);
        r.get("/koji/watchlogs", this::watchlogs);
    }

    WebResponse taskinfo(WebRequest req) throws IOException {
        return WebResponse.page("koji/taskinfo.jte", model(req.requiredId("taskID")));
    }

    WebResponse taskinfoLive(WebRequest req) throws IOException {
        return WebResponse.page("koji/taskinfo_live.jte", model(req.requiredId("taskID")));
    }

    private Row task(int id) {
        return db.queryOne("SELECT t.*, u.name AS owner_name, h.name AS host, ch.name AS channel, pu.name AS project_owner,"
                + " p.name AS project_name FROM tasks t JOIN users u ON u.id = t.owner LEFT JOIN hosts h ON h.id = t.host_id"
                + " LEFT JOIN channels ch ON ch.id = t.channel_id LEFT JOIN projects p ON p.id = t.project_id"
                + " LEFT JOIN users pu ON pu.id = p.owner_id WHERE t.id = ?", id).map(Row::new)
                .orElseThrow(() -> HttpError.notFound("No task " + id + "."));
    }

    private Map<String, Object> model(int id) throws IOException {
        Row t = task(id);
        t.with("word", States.task(t.i("state")));
        t.with("params", Repr.of(TaskPayloads.decodeRequest(t.s("request"))));
        String result = "";
        if (t.has("result")) {
            try {
                result = Repr.of(TaskPayloads.decodeResult(t.s("result")));
            } catch (KojiFault f) {
                result = "fault " + f.code() + ": " + f.getMessage();
            } catch (IllegalStateException e) {
                result = "(undecodable result)";
            }
        }
        t.with("result_text", result);
        List<Row> children = Row.of(db.query("SELECT c.id, c.method, c.label, c.state, c.arch, h.name AS host, c.host_id"
                + " FROM tasks c LEFT JOIN hosts h ON h.id = c.host_id WHERE c.parent = ? ORDER BY c.id LIMIT 1000", id));
        boolean active = States.active(t.i("state"));
        for (Row c : children) {
            c.with("word", States.task(c.i("state")));
            active |= States.active(c.i("state"));
        }
        List<Row> files = new ArrayList<>();
        for (Path f : outputs.files(id)) {
            files.add(new Row(new LinkedHashMap<>(Map.of("name", f.getFileName().toString(), "size", Files.size(f)))));
        }
        Row parent = t.has("parent") ? task(t.i("parent")) : null;
        List<Row> builds = Row.of(db.query("SELECT b.id, pk.name || '-' || b.version || '-' || b.release AS nvr, b.state FROM builds b"
                + " JOIN packages pk ON pk.id = b.package_id WHERE b.task_id = ? OR b.arch_task_id = ? ORDER BY b.id LIMIT 100", id, id));
        builds.forEach(b -> b.with("word", States.build(b.i("state"))));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("t", t);
        m.put("parent", parent);
        m.put("children", children);
        m.put("files", files);
        m.put("builds", builds);
        m.put("live", active);
        m.put("coprBuild", coprBuild(t));
        return m;
    }

    /** The Copr build page of a {@code build} task, or of a child's {@code build} parent; "" for other tasks. */
    private String coprBuild(Row t) {
        if (!t.has("project_name")) {
            return "";
        }
        int buildTask = "build".equals(t.s("method")) ? t.i("id") : t.has("parent") ? t.i("parent") : 0;
        if (buildTask == 0 || !"build".equals(db.scalar("SELECT method FROM tasks WHERE id = ?", buildTask).orElse(""))) {
            return "";
        }
        return CoprLinks.build(t.s("project_owner"), t.s("project_name"), buildTask);
    }

    /** An output file of a task: whole and plain, or from {@code offset} (and at most {@code size} bytes). */
    WebResponse getfile(WebRequest req) throws IOException {
        int id = req.requiredId("taskID");
        String name = req.param("name").orElseThrow(() -> HttpError.badRequest("missing parameter name: expected a file name"));
        Path f = file(id, name);
        long offset = req.number("offset", 0);
        long size = req.number("size", Long.MAX_VALUE);
        String type = name.endsWith(".log") || name.endsWith(".txt") || name.endsWith(".spec") || name.endsWith(".repo")
                ? "text/plain; charset=utf-8" : "application/octet-stream";
        WebResponse r = WebResponse.file(f, offset, size, type);
        if (type.startsWith("application/")) {
            r.header("Content-Disposition", "attachment");
        }
        return r;
    }

    /** The task's output file {@code name}; a 404 for unknown tasks and names, a 400 for names with a path. */
    private Path file(int id, String name) throws IOException {
        if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw HttpError.badRequest("bad name '" + name + "': expected a file name without a path");
        }
        task(id);
        for (Path f : outputs.files(id)) {
            if (f.getFileName().toString().equals(name)) {
                return f;
            }
        }
        throw HttpError.notFound("Task " + id + " has no output file " + name + ".");
    }

    /** The live tail: the log from {@code offset} (-1: its last 64 KiB) and, while more may come, the next poller. */
    WebResponse tail(WebRequest req) throws IOException {
        int id = req.requiredId("taskID");
        String name = req.param("name").orElse("build.log");
        if (name.contains("/") || name.startsWith(".")) {
            throw HttpError.badRequest("bad name '" + name + "': expected a file name without a path");
        }
        String offsetText = req.param("offset").orElse("-1");
        boolean first = offsetText.equals("-1");
        long offset = first ? 0 : req.number("offset", 0);
        Row t = task(id);
        Path f = outputs.dir(id).resolve(name);
        LogChunk c = first ? LogChunk.tail(f, FIRST_TAIL) : LogChunk.read(f, offset, LogChunk.MAX);
        boolean pending = c.next() < c.size();
        boolean more = pending || States.active(t.i("state"));
        return WebResponse.page("koji/tail.jte", Map.of("taskId", id, "name", name, "chunk", c, "more", more, "fast", pending,
                "first", first));
    }

    /** Koji's watch-logs in a page: the build.log of the task and of each child, tailing while they run. */
    WebResponse watchlogs(WebRequest req) throws IOException {
        int id = req.requiredId("taskID");
        Row t = task(id);
        List<Row> tasks = new ArrayList<>();
        tasks.add(t);
        tasks.addAll(Row.of(db.query("SELECT id, method, label, state FROM tasks WHERE parent = ? ORDER BY id LIMIT 100", id)));
        for (Row x : tasks) {
            x.with("word", States.task(x.i("state")));
            // an ended task's log is shown at once (its end, with a link to the whole file); a running one tails
            if (!States.active(x.i("state"))) {
                x.with("chunk", LogChunk.tail(outputs.dir(x.i("id")).resolve("build.log"), FIRST_TAIL));
            }
        }
        return WebResponse.page("koji/watchlogs.jte", Map.of("t", t, "tasks", tasks));
    }
}
