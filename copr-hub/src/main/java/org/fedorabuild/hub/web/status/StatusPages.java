package org.fedorabuild.hub.web.status;

import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.web.Row;
import org.fedorabuild.hub.web.Router;
import org.fedorabuild.hub.web.States;
import org.fedorabuild.hub.web.WebRequest;
import org.fedorabuild.hub.web.WebResponse;

/**
 * {@code /status/}: the queue as an operator reads it: how many tasks wait and for how long, what runs where
 * and since when, what finished lately (and how), and the builders' health in one line each. Every list is
 * bounded; the counts come from the state index.
 */
public final class StatusPages implements Router.PageSet {
    static final int SHOWN = 50;

    private final Db db;

    public StatusPages(Db db) {
        this.db = db;
    }

    @Override
    public void register(Router r) {
        r.get("/status/", this::queue);
        r.get("/status/builders/", req -> WebResponse.redirect("/koji/hosts"));
    }

    WebResponse queue(WebRequest req) {
        Row counts = new Row(db.queryOne("SELECT count(*) FILTER (WHERE state = 0) AS free, count(*) FILTER (WHERE state = 4) AS assigned,"
                + " count(*) FILTER (WHERE state = 1) AS open, min(create_time) FILTER (WHERE state IN (0, 4)) AS oldest"
                + " FROM tasks WHERE state IN (0, 1, 4)").orElseThrow());
        String cols = "t.id, t.method, t.label, t.arch, t.state, t.priority, t.create_time, t.start_time, t.completion_time,"
                + " t.host_id, h.name AS host, u.name AS owner_name, t.owner, t.parent, pu.name AS project_owner, p.name AS project_name";
        String from = " FROM tasks t JOIN users u ON u.id = t.owner LEFT JOIN hosts h ON h.id = t.host_id"
                + " LEFT JOIN projects p ON p.id = t.project_id LEFT JOIN users pu ON pu.id = p.owner_id";
        // waiting in the order the dispatcher takes them (tasks_free_methods: priority, id)
        List<Row> waiting = words(db.query("SELECT " + cols + from + " WHERE t.state IN (0, 4) AND t.method <> 'build'"
                + " ORDER BY t.priority, t.id LIMIT ?", SHOWN));
        List<Row> running = words(db.query("SELECT " + cols + from + " WHERE t.state = 1 AND t.host_id IS NOT NULL ORDER BY t.start_time"
                + " LIMIT ?", SHOWN));
        List<Row> finished = words(db.query("SELECT " + cols + from + " WHERE t.completion_time IS NOT NULL"
                + " ORDER BY t.completion_time DESC LIMIT ?", 20));
        Row hosts = new Row(db.queryOne("SELECT count(*) AS total, count(*) FILTER (WHERE enabled) AS enabled,"
                + " count(*) FILTER (WHERE enabled AND ready) AS ready, COALESCE(sum(capacity) FILTER (WHERE enabled), 0) AS capacity,"
                + " COALESCE(sum(task_load) FILTER (WHERE enabled), 0) AS load, count(*) FILTER (WHERE enabled AND"
                + " (update_time IS NULL OR update_time < now() - interval '5 minutes')) AS silent FROM hosts").orElseThrow());
        return WebResponse.page("status/queue.jte", Map.of("counts", counts, "waiting", waiting, "running", running,
                "finished", finished, "hosts", hosts));
    }

    private static List<Row> words(List<Map<String, Object>> rows) {
        List<Row> out = Row.of(rows);
        out.forEach(r -> r.with("word", States.task(r.i("state"))));
        return out;
    }
}
