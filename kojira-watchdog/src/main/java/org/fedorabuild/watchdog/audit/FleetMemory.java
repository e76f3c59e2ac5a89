package org.fedorabuild.watchdog.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.fedorabuild.watchdog.detect.Memory;
import org.fedorabuild.watchdog.detect.Rules;
import org.fedorabuild.watchdog.hub.FleetSnapshot;
import org.fedorabuild.watchdog.hub.Host;
import org.fedorabuild.watchdog.hub.Task;

/**
 * What the rules must remember between cycles because the hub does not record it: when a host was first
 * seen disabled and a task first seen ASSIGNED on its host ({@code host_memory}, {@code task_memory}), how
 * a watched task's output grew, and since when a host this watchdog fenced has been healthy. Every time is
 * the hub's clock as the snapshot gave it. The fences themselves are {@link Fences}.
 */
public final class FleetMemory {
    private final DataSource ds;

    FleetMemory(DataSource ds) {
        this.ds = ds;
    }

    /** Loads what the rules need for this snapshot; acted runs only for the tasks it holds. */
    public Memory load(FleetSnapshot s) {
        return Sql.with(ds, "load the watchdog's memory", c -> {
            Map<Long, Double> disabled = new HashMap<>();
            Map<Long, Memory.Fence> fenced = new HashMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT host_id, disabled_since, fenced, fence_prev_comment, healthy_since FROM host_memory")) {
                while (rs.next()) {
                    double since = rs.getDouble(2);
                    if (!rs.wasNull()) {
                        disabled.put(rs.getLong(1), since);
                    }
                    if (rs.getBoolean(3)) {
                        double healthy = rs.getDouble(5);
                        Double healthySince = rs.wasNull() ? null : healthy;
                        fenced.put(rs.getLong(1), new Memory.Fence(rs.getString(4), healthySince));
                    }
                }
            }
            Map<Long, Double> assigned = new HashMap<>();
            Map<Long, Double> progress = new HashMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT task_id, assigned_since, progress_since FROM task_memory")) {
                while (rs.next()) {
                    double a = rs.getDouble(2);
                    if (!rs.wasNull()) {
                        assigned.put(rs.getLong(1), a);
                    }
                    double p = rs.getDouble(3);
                    if (!rs.wasNull()) {
                        progress.put(rs.getLong(1), p);
                    }
                }
            }
            Long[] ids = s.tasks().stream().map(Task::id).toArray(Long[]::new);
            return new Memory(disabled, assigned, progress, fenced, DrainStore.activeHostIds(c),
                    RunClaims.claimedAmong(c, ids));
        });
    }

    /**
     * Records this snapshot's first sightings (disabled hosts, ASSIGNED tasks), the health of fenced hosts
     * and forgets tasks that are no longer OPEN or ASSIGNED; one transaction.
     */
    public void remember(FleetSnapshot s, Duration hostGrace, Set<Long> fencedBefore) {
        Sql.with(ds, "record the cycle's observations", c -> {
            c.setAutoCommit(false);
            rememberHosts(c, s, hostGrace, fencedBefore);
            rememberTasks(c, s);
            c.commit();
            return null;
        });
    }

    private static void rememberHosts(Connection c, FleetSnapshot s, Duration hostGrace, Set<Long> fencedBefore)
            throws SQLException {
        double now = s.hubNow();
        try (PreparedStatement dis = c.prepareStatement(
                "INSERT INTO host_memory (host_id, host_name, disabled_since) VALUES (?, ?, ?) ON CONFLICT (host_id)"
                        + " DO UPDATE SET host_name = EXCLUDED.host_name, disabled_since ="
                        + " COALESCE(host_memory.disabled_since, EXCLUDED.disabled_since)");
             PreparedStatement en = c.prepareStatement(
                     "UPDATE host_memory SET disabled_since = NULL, host_name = ? WHERE host_id = ?"
                             + " AND disabled_since IS NOT NULL");
             PreparedStatement healthy = c.prepareStatement(
                     "UPDATE host_memory SET healthy_since = COALESCE(healthy_since, ?) WHERE host_id = ? AND fenced");
             PreparedStatement sick = c.prepareStatement(
                     "UPDATE host_memory SET healthy_since = NULL WHERE host_id = ? AND fenced")) {
            for (Host h : s.hosts()) {
                if (!h.enabled()) {
                    dis.setLong(1, h.id());
                    dis.setString(2, h.name());
                    dis.setDouble(3, now);
                    dis.addBatch();
                } else {
                    en.setString(1, h.name());
                    en.setLong(2, h.id());
                    en.addBatch();
                }
                if (Rules.isStale(h, now, hostGrace)) {
                    sick.setLong(1, h.id());
                    sick.addBatch();
                } else {
                    healthy.setDouble(1, now);
                    healthy.setLong(2, h.id());
                    healthy.addBatch();
                }
            }
            dis.executeBatch();
            en.executeBatch();
            healthy.executeBatch();
            sick.executeBatch();
        }
        // A fence lifted by someone else (the host was seen enabled although fenced before this cycle) is
        // forgotten; a fence set in this cycle is younger than the snapshot and stays.
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE host_memory SET fenced = false, healthy_since = NULL WHERE host_id = ? AND fenced")) {
            for (Host h : s.hosts()) {
                if (h.enabled() && fencedBefore.contains(h.id())) {
                    ps.setLong(1, h.id());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private static void rememberTasks(Connection c, FleetSnapshot s) throws SQLException {
        double now = s.hubNow();
        try (PreparedStatement ins = c.prepareStatement(
                "INSERT INTO task_memory (task_id, host_id, assigned_since, seen_hub_ts) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (task_id) DO UPDATE SET seen_hub_ts = EXCLUDED.seen_hub_ts,"
                        + " assigned_since = CASE WHEN task_memory.host_id IS DISTINCT FROM EXCLUDED.host_id"
                        + " OR task_memory.assigned_since IS NULL THEN EXCLUDED.assigned_since"
                        + " ELSE task_memory.assigned_since END, host_id = EXCLUDED.host_id")) {
            for (Task t : s.tasks()) {
                if (t.assigned()) {
                    ins.setLong(1, t.id());
                    ins.setObject(2, t.hostId(), Types.BIGINT);
                    ins.setDouble(3, now);
                    ins.setDouble(4, now);
                    ins.addBatch();
                }
            }
            ins.executeBatch();
        }
        Long[] ids = s.tasks().stream().map(Task::id).toArray(Long[]::new);
        Long[] open = s.tasks().stream().filter(Task::open).map(Task::id).toArray(Long[]::new);
        try (PreparedStatement del = c.prepareStatement("DELETE FROM task_memory WHERE NOT (task_id = ANY(?))");
             PreparedStatement unassign = c.prepareStatement(
                     "UPDATE task_memory SET assigned_since = NULL WHERE assigned_since IS NOT NULL AND task_id = ANY(?)")) {
            del.setArray(1, c.createArrayOf("bigint", ids));
            del.executeUpdate();
            unassign.setArray(1, c.createArrayOf("bigint", open));
            unassign.executeUpdate();
        }
    }

    /**
     * Records the output size of a watched task; returns when (hub clock) the watchdog last saw it grow, or
     * null when it has not seen it grow (first sighting, or unchanged since).
     */
    public Double noteOutput(long taskId, Long hostId, long bytes, double now) {
        return Sql.with(ds, "record output of task " + taskId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO task_memory (task_id, host_id, output_bytes, progress_since, seen_hub_ts)"
                            + " VALUES (?, ?, ?, NULL, ?) ON CONFLICT (task_id) DO UPDATE SET"
                            + " progress_since = CASE WHEN task_memory.output_bytes IS NOT NULL"
                            + " AND task_memory.output_bytes <> EXCLUDED.output_bytes THEN EXCLUDED.seen_hub_ts"
                            + " ELSE task_memory.progress_since END, output_bytes = EXCLUDED.output_bytes,"
                            + " seen_hub_ts = EXCLUDED.seen_hub_ts RETURNING progress_since")) {
                ps.setLong(1, taskId);
                ps.setObject(2, hostId, Types.BIGINT);
                ps.setLong(3, bytes);
                ps.setDouble(4, now);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    double v = rs.getDouble(1);
                    return rs.wasNull() ? null : v;
                }
            }
        });
    }
}
