package org.fedorabuild.watchdog.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.fedorabuild.watchdog.hub.Task;

/**
 * The {@code acted_run} table: the task runs (task, host, {@code start_ts}) this watchdog freed or canceled.
 * A run is claimed before the hub is asked to act on it, and the primary key makes the claim atomic, so a
 * run is acted on at most once even by two instances; a task another host opened since is a new run.
 */
public final class RunClaims {
    private final DataSource ds;

    RunClaims(DataSource ds) {
        this.ds = ds;
    }

    /**
     * Claims a task run before acting on it; false when it was already claimed (by this or another
     * instance), in which case the caller must not act.
     */
    public boolean claim(Task.RunKey run, String rule, String action) {
        return Sql.with(ds, "claim task " + run.taskId(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO acted_run (task_id, host_id, start_ts, rule,"
                    + " action) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setLong(1, run.taskId());
                ps.setLong(2, run.hostId());
                ps.setDouble(3, run.startTs());
                ps.setString(4, rule);
                ps.setString(5, action);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Gives a claim back when the hub refused the action, so a later cycle may try again. */
    public void release(Task.RunKey run) {
        Sql.update(ds, "release the claim on task " + run.taskId(),
                "DELETE FROM acted_run WHERE task_id = ? AND host_id = ? AND start_ts = ?", run.taskId(), run.hostId(),
                run.startTs());
    }

    /** The claimed runs of the given tasks (the snapshot's), for the once-per-run guard. */
    static Set<Task.RunKey> claimedAmong(Connection c, Long[] taskIds) throws SQLException {
        Set<Task.RunKey> runs = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT task_id, host_id, start_ts FROM acted_run"
                + " WHERE task_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", taskIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    runs.add(new Task.RunKey(rs.getLong(1), rs.getLong(2), rs.getDouble(3)));
                }
            }
        }
        return runs;
    }
}
