package org.fedorabuild.hub.web.copr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.web.Paging;
import org.fedorabuild.hub.web.Row;
import org.fedorabuild.hub.web.States;

/**
 * Copr builds of a project as list rows. A Copr build is one submission: the {@code build} task (its id is
 * the Copr build id and the Koji task id); its {@code buildArch} children are the chroot builds, and each
 * chroot that succeeds leaves one Koji build whose {@code task_id} is that same parent.
 */
final class CoprBuilds {
    private final Db db;

    CoprBuilds(Db db) {
        this.db = db;
    }

    /** One page of builds, newest first; {@code pkg} narrows to one package (null: all). Two index scans. */
    List<Row> page(CoprProject p, String pkg, Paging paging) {
        // the page's ids first (index only), so the rows skipped by OFFSET cost no join or subquery
        String sql = "SELECT t.id, t.state, t.create_time, t.start_time, t.completion_time, t.package_name, u.name AS submitter,"
                + " (SELECT b.version || '-' || b.release FROM builds b WHERE b.task_id = t.id ORDER BY b.id LIMIT 1) AS vr"
                + " FROM (SELECT id FROM tasks WHERE project_id = ? AND method = 'build'"
                + (pkg == null ? "" : " AND package_name = ?") + " ORDER BY id DESC LIMIT ? OFFSET ?) pg"
                + " JOIN tasks t ON t.id = pg.id JOIN users u ON u.id = t.owner ORDER BY t.id DESC";
        List<Map<String, Object>> rows = pkg == null ? db.query(sql, p.id(), paging.limit(), paging.offset())
                : db.query(sql, p.id(), pkg, paging.limit(), paging.offset());
        return withChroots(p, Row.of(rows));
    }

    /** Attaches each build's chroot states (label, Copr state word, task id) as {@code chroots}. */
    List<Row> withChroots(CoprProject p, List<Row> builds) {
        if (builds.isEmpty()) {
            return builds;
        }
        Integer[] ids = builds.stream().map(b -> b.i("id")).toArray(Integer[]::new);
        Map<Integer, List<Row>> byParent = new LinkedHashMap<>();
        for (var c : db.query("SELECT id, parent, label, state FROM tasks WHERE parent = ANY(?) AND method = 'buildArch'"
                + " ORDER BY label", (Object) ids)) {
            Row r = new Row(c);
            r.with("chroot", p.chrootOf(r.s("label"))).with("word", States.copr(r.i("state")));
            byParent.computeIfAbsent(r.i("parent"), k -> new ArrayList<>()).add(r);
        }
        for (Row b : builds) {
            b.with("chroots", byParent.getOrDefault(b.i("id"), List.of())).with("word", States.copr(b.i("state")));
        }
        return builds;
    }
}
