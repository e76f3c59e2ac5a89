package org.fedorabuild.watchdog.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.fedorabuild.watchdog.hub.Host;

/**
 * The {@code drain} table: drains requested by an operator ({@code drain HOST}) or the automatic policy,
 * {@code draining → decommissioning → done | failed}. One active drain per host (a unique index), and every
 * state move is a compare-and-set, so the service and a {@code drain} command, or two instances, never
 * start or decommission a host twice.
 */
public final class DrainStore {
    private static final String ACTIVE = "state IN ('draining', 'decommissioning')";

    private final DataSource ds;

    DrainStore(DataSource ds) {
        this.ds = ds;
    }

    public record DrainRow(long id, long hostId, String hostName, String state, String reason, double startedHub,
            double deadlineHub, String detail) {
    }

    /** Starts a drain; false when the host already has an active one. */
    public boolean start(Host h, String reason, double startedHub, double deadlineHub) {
        return Sql.with(ds, "start a drain of " + h.name(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO drain (host_id, host_name, state, reason,"
                    + " started_hub, deadline_hub) VALUES (?, ?, 'draining', ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setLong(1, h.id());
                ps.setString(2, h.name());
                ps.setString(3, reason);
                ps.setDouble(4, startedHub);
                ps.setDouble(5, deadlineHub);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Oldest first; {@code activeOnly}: only those draining or decommissioning. */
    public List<DrainRow> list(boolean activeOnly) {
        return Sql.with(ds, "read drains", c -> {
            List<DrainRow> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, host_id, host_name, state, reason, started_hub,"
                    + " deadline_hub, detail FROM drain WHERE (NOT ? OR " + ACTIVE + ") ORDER BY id")) {
                ps.setBoolean(1, activeOnly);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new DrainRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getDouble(6), rs.getDouble(7), rs.getString(8)));
                    }
                }
            }
            return rows;
        });
    }

    /** Moves a drain from one state to another; false when another instance moved it first. */
    public boolean move(long id, String from, String to, String detail) {
        return Sql.update(ds, "update drain " + id,
                "UPDATE drain SET state = ?, detail = ?, updated_at = now() WHERE id = ? AND state = ?",
                to, detail, id, from) == 1;
    }

    /** Hosts with an active drain: the rules leave them to their drain. */
    static Set<Long> activeHostIds(Connection c) throws SQLException {
        Set<Long> hosts = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT host_id FROM drain WHERE " + ACTIVE)) {
            while (rs.next()) {
                hosts.add(rs.getLong(1));
            }
        }
        return hosts;
    }
}
