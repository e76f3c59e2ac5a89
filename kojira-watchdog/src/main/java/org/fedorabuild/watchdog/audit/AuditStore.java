package org.fedorabuild.watchdog.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.fedorabuild.watchdog.detect.Decision;
import org.fedorabuild.watchdog.detect.Memory;
import org.fedorabuild.watchdog.detect.Rules;
import org.fedorabuild.watchdog.guard.OutageView;
import org.fedorabuild.watchdog.guard.Verdict;
import org.fedorabuild.watchdog.hub.FleetSnapshot;
import org.fedorabuild.watchdog.hub.Host;
import org.fedorabuild.watchdog.hub.Task;

/**
 * The watchdog's PostgreSQL tables (migrations in {@code sql/kojira-watchdog}): the audit trail, observed
 * outages, acted-on task runs, and the per-host and per-task memory the rules need. Each method is its own
 * transaction.
 */
public final class AuditStore {
    public static final String MIGRATIONS = "sql/kojira-watchdog";

    private final DataSource ds;
    private final String instance;

    public AuditStore(DataSource ds, String instance) {
        this.ds = ds;
        this.instance = instance;
    }

    public DataSource dataSource() {
        return ds;
    }

    /** One row of the audit table. */
    public record AuditRow(long id, Instant at, String rule, String hostName, Long taskId, String action,
            String evidence, String outcome, boolean acted) {
    }

    // ---- memory -------------------------------------------------------------------------------------

    /** Loads what the rules need for this snapshot; acted runs only for the tasks it holds. */
    public Memory loadMemory(FleetSnapshot s) {
        try (Connection c = ds.getConnection()) {
            Map<Long, Double> disabled = new HashMap<>();
            Map<Long, Memory.Fence> fenced = new HashMap<>();
            try (ResultSet rs = c.createStatement().executeQuery(
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
            try (ResultSet rs = c.createStatement().executeQuery(
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
            Set<Long> draining = new HashSet<>();
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT host_id FROM drain WHERE state IN ('draining', 'decommissioning')")) {
                while (rs.next()) {
                    draining.add(rs.getLong(1));
                }
            }
            Set<Task.RunKey> runs = new HashSet<>();
            Long[] ids = s.tasks().stream().map(Task::id).toArray(Long[]::new);
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT task_id, host_id, start_ts FROM acted_run WHERE task_id = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("bigint", ids));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        runs.add(new Task.RunKey(rs.getLong(1), rs.getLong(2), rs.getDouble(3)));
                    }
                }
            }
            return new Memory(disabled, assigned, progress, fenced, draining, runs);
        } catch (SQLException e) {
            throw new AuditException("cannot load the watchdog's memory: " + e.getMessage(), e);
        }
    }

    /**
     * Records this snapshot's first sightings (disabled hosts, ASSIGNED tasks), the health of fenced hosts
     * and forgets tasks that are no longer OPEN or ASSIGNED.
     */
    public void remember(FleetSnapshot s, Duration hostGrace, Set<Long> fencedBefore) {
        double now = s.hubNow();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
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
            try (PreparedStatement del = c.prepareStatement("DELETE FROM task_memory WHERE NOT (task_id = ANY(?))");
                 PreparedStatement unassign = c.prepareStatement(
                         "UPDATE task_memory SET assigned_since = NULL WHERE assigned_since IS NOT NULL AND task_id = ANY(?)")) {
                del.setArray(1, c.createArrayOf("bigint", ids));
                del.executeUpdate();
                Long[] open = s.tasks().stream().filter(Task::open).map(Task::id).toArray(Long[]::new);
                unassign.setArray(1, c.createArrayOf("bigint", open));
                unassign.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            throw new AuditException("cannot record the cycle's observations: " + e.getMessage(), e);
        }
    }

    /**
     * Records the output size of a watched task; returns when (hub clock) the watchdog last saw it grow, or
     * null when it has not seen it grow (first sighting, or unchanged since).
     */
    public Double noteOutput(long taskId, Long hostId, long bytes, double now) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
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
        } catch (SQLException e) {
            throw new AuditException("cannot record output of task " + taskId + ": " + e.getMessage(), e);
        }
    }

    /**
     * Claims a task run before acting on it; false when it was already claimed (by this or another
     * instance), in which case the caller must not act.
     */
    public boolean claimRun(Task.RunKey run, String rule, String action) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO acted_run (task_id, host_id, start_ts, rule, action)"
                     + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setLong(1, run.taskId());
            ps.setLong(2, run.hostId());
            ps.setDouble(3, run.startTs());
            ps.setString(4, rule);
            ps.setString(5, action);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new AuditException("cannot claim task " + run.taskId() + ": " + e.getMessage(), e);
        }
    }

    /** Gives a claim back when the hub refused the action. */
    public void releaseRun(Task.RunKey run) {
        update("DELETE FROM acted_run WHERE task_id = ? AND host_id = ? AND start_ts = ?", run.taskId(), run.hostId(),
                run.startTs());
    }

    public void recordFence(Host h, String previousComment) {
        update("INSERT INTO host_memory (host_id, host_name, fenced, fence_prev_comment) VALUES (?, ?, true, ?)"
                + " ON CONFLICT (host_id) DO UPDATE SET fenced = true, fence_prev_comment = EXCLUDED.fence_prev_comment,"
                + " healthy_since = NULL", h.id(), h.name(), previousComment);
    }

    /** The comment a fenced host had before this watchdog fenced it (null when it had none). */
    public String loadFenceComment(long hostId) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT fence_prev_comment FROM host_memory WHERE host_id = ?")) {
            ps.setLong(1, hostId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new AuditException("cannot read the fence of host " + hostId + ": " + e.getMessage(), e);
        }
    }

    public void clearFence(long hostId) {
        update("UPDATE host_memory SET fenced = false, healthy_since = NULL, disabled_since = NULL WHERE host_id = ?",
                hostId);
    }

    // ---- audit --------------------------------------------------------------------------------------

    public void record(String cycleId, double hubNow, List<Verdict> verdicts) {
        if (verdicts.isEmpty()) {
            return;
        }
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO audit (hub_ts, cycle_id, instance, rule, host_id,"
                     + " host_name, task_id, action, evidence, outcome, acted, dry_run) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
            for (Verdict v : verdicts) {
                Decision d = v.decision();
                if (Double.isNaN(hubNow)) {
                    ps.setNull(1, Types.DOUBLE);
                } else {
                    ps.setDouble(1, hubNow);
                }
                ps.setString(2, cycleId);
                ps.setString(3, instance);
                ps.setString(4, d.rule().label());
                ps.setObject(5, d.host() == null ? null : d.host().id(), Types.BIGINT);
                ps.setString(6, d.host() == null ? null : d.host().name());
                ps.setObject(7, d.task() == null ? null : d.task().id(), Types.BIGINT);
                ps.setString(8, d.action().label());
                ps.setString(9, d.evidence());
                ps.setString(10, v.detail() == null ? v.outcome().label() : v.outcome().label() + ": " + v.detail());
                ps.setBoolean(11, v.outcome().changedHub());
                ps.setBoolean(12, v.outcome() == org.fedorabuild.watchdog.guard.Outcome.DRY_RUN);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new AuditException("cannot write the audit trail: " + e.getMessage(), e);
        }
    }

    /** Newest first; {@code all} adds the decisions not acted on (dry runs, guard trips, rate limits). */
    public List<AuditRow> audit(boolean all, int limit) {
        List<AuditRow> rows = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, at, rule, host_name, task_id, action, evidence,"
                     + " outcome, acted FROM audit" + (all ? "" : " WHERE acted") + " ORDER BY id DESC LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long task = rs.getLong(5);
                    Long taskId = rs.wasNull() ? null : task;
                    rows.add(new AuditRow(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                            rs.getString(4), taskId, rs.getString(6), rs.getString(7), rs.getString(8),
                            rs.getBoolean(9)));
                }
            }
        } catch (SQLException e) {
            throw new AuditException("cannot read the audit trail: " + e.getMessage(), e);
        }
        return rows;
    }

    /** How many distinct cycles freed tasks of {@code host} for staleness within {@code window}. */
    public int staleCycles(String host, Duration window) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(DISTINCT cycle_id) FROM audit WHERE rule = 'stale-host'"
                     + " AND acted AND host_name = ? AND at > now() - make_interval(secs => ?)")) {
            ps.setString(1, host);
            ps.setDouble(2, window.toSeconds());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new AuditException("cannot count stale cycles of " + host + ": " + e.getMessage(), e);
        }
    }

    // ---- outages ------------------------------------------------------------------------------------

    /** Opens an outage unless one is open; true when this call opened it. */
    public boolean openOutage(String kind, Double hubTs, String detail) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO outage (kind, started_hub_ts, detail) VALUES (?, ?, ?)"
                     + " ON CONFLICT DO NOTHING")) {
            ps.setString(1, kind);
            ps.setObject(2, hubTs, Types.DOUBLE);
            ps.setString(3, detail);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new AuditException("cannot record an outage: " + e.getMessage(), e);
        }
    }

    /** Closes the open outage (of any kind, or only of {@code kind} when not null); true when one was open. */
    public boolean closeOutage(String kind, double hubTs) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE outage SET ended_at = now(), ended_hub_ts = ?"
                     + " WHERE ended_at IS NULL" + (kind == null ? "" : " AND kind = ?"))) {
            ps.setDouble(1, hubTs);
            if (kind != null) {
                ps.setString(2, kind);
            }
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new AuditException("cannot close an outage: " + e.getMessage(), e);
        }
    }

    public String openOutageKind() {
        try (Connection c = ds.getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT kind FROM outage WHERE ended_at IS NULL")) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new AuditException("cannot read outages: " + e.getMessage(), e);
        }
    }

    public OutageView outageView() {
        try (Connection c = ds.getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT bool_or(ended_at IS NULL), max(ended_hub_ts) FROM outage")) {
            rs.next();
            boolean open = rs.getBoolean(1);
            double ended = rs.getDouble(2);
            return new OutageView(open, rs.wasNull() ? null : ended);
        } catch (SQLException e) {
            throw new AuditException("cannot read outages: " + e.getMessage(), e);
        }
    }

    // ---- drains -------------------------------------------------------------------------------------

    public record DrainRow(long id, long hostId, String hostName, String state, String reason, double startedHub,
            double deadlineHub, String detail) {
    }

    /** Starts a drain; false when the host already has an active one. */
    public boolean startDrain(Host h, String reason, double startedHub, double deadlineHub) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO drain (host_id, host_name, state, reason, started_hub,"
                     + " deadline_hub) VALUES (?, ?, 'draining', ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setLong(1, h.id());
            ps.setString(2, h.name());
            ps.setString(3, reason);
            ps.setDouble(4, startedHub);
            ps.setDouble(5, deadlineHub);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new AuditException("cannot start a drain of " + h.name() + ": " + e.getMessage(), e);
        }
    }

    public List<DrainRow> drains(boolean activeOnly) {
        List<DrainRow> rows = new ArrayList<>();
        try (Connection c = ds.getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT id, host_id, host_name, state, reason, started_hub,"
                     + " deadline_hub, detail FROM drain" + (activeOnly ? " WHERE state IN ('draining', 'decommissioning')"
                     : "") + " ORDER BY id")) {
            while (rs.next()) {
                rows.add(new DrainRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getDouble(6), rs.getDouble(7), rs.getString(8)));
            }
        } catch (SQLException e) {
            throw new AuditException("cannot read drains: " + e.getMessage(), e);
        }
        return rows;
    }

    /** Moves a drain from one state to another; false when another instance moved it first. */
    public boolean moveDrain(long id, String from, String to, String detail) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE drain SET state = ?, detail = ?, updated_at = now() WHERE id = ? AND state = ?")) {
            ps.setString(1, to);
            ps.setString(2, detail);
            ps.setLong(3, id);
            ps.setString(4, from);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new AuditException("cannot update drain " + id + ": " + e.getMessage(), e);
        }
    }

    private void update(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new AuditException(e.getMessage(), e);
        }
    }

}
