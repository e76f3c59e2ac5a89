package org.fedorabuild.watchdog.audit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.fedorabuild.watchdog.detect.Decision;
import org.fedorabuild.watchdog.guard.Outcome;
import org.fedorabuild.watchdog.guard.Verdict;

/**
 * The {@code audit} table: one row per decision of a cycle (or of a {@code drain} command), with what the
 * guards and the hub made of it. {@code acted} marks the rows that changed something on the hub; those are
 * what {@code audit} lists and what the auto-drain policy counts.
 */
public final class AuditTrail {
    private final DataSource ds;
    private final String instance;

    AuditTrail(DataSource ds, String instance) {
        this.ds = ds;
        this.instance = instance;
    }

    /** One row of the audit table. */
    public record AuditRow(long id, Instant at, String rule, String hostName, Long taskId, String action,
            String evidence, String outcome, boolean acted) {
    }

    /** Writes a cycle's verdicts; {@code hubNow} NaN when the hub could not be read (stored as null). */
    public void record(String cycleId, double hubNow, List<Verdict> verdicts) {
        if (verdicts.isEmpty()) {
            return;
        }
        Sql.with(ds, "write the audit trail", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit (hub_ts, cycle_id, instance, rule, host_id,"
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
                    ps.setBoolean(12, v.outcome() == Outcome.DRY_RUN);
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
    }

    /** Newest first; {@code all} adds the decisions not acted on (dry runs, guard trips, rate limits). */
    public List<AuditRow> list(boolean all, int limit) {
        return Sql.with(ds, "read the audit trail", c -> {
            List<AuditRow> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, at, rule, host_name, task_id, action, evidence,"
                    + " outcome, acted FROM audit WHERE (acted OR ?) ORDER BY id DESC LIMIT ?")) {
                ps.setBoolean(1, all);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long task = rs.getLong(5);
                        Long taskId = rs.wasNull() ? null : task;
                        rows.add(new AuditRow(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                                rs.getString(4), taskId, rs.getString(6), rs.getString(7), rs.getString(8),
                                rs.getBoolean(9)));
                    }
                }
            }
            return rows;
        });
    }

    /**
     * A host's history for the auto-drain policy: how many distinct cycles freed its tasks for staleness
     * within {@code window} (a fence and the frees of one cycle count once).
     */
    public int staleCycles(String host, Duration window) {
        return Sql.with(ds, "count stale cycles of " + host, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(DISTINCT cycle_id) FROM audit"
                    + " WHERE rule = 'stale-host' AND acted AND host_name = ? AND at > now() - make_interval(secs => ?)")) {
                ps.setString(1, host);
                ps.setDouble(2, window.toSeconds());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }
}
