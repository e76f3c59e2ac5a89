package org.fedorabuild.watchdog.audit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import javax.sql.DataSource;
import org.fedorabuild.watchdog.guard.OutageView;

/**
 * The {@code outage} table: the hub unreachable from the watchdog ({@code unreachable}), or every enabled
 * host silent at once ({@code all-silent}). At most one is open (a unique index), so two instances that
 * see the same outage record it once; the warm-up guard reads when the last one ended on the hub's clock.
 */
public final class OutageLog {
    private final DataSource ds;

    OutageLog(DataSource ds) {
        this.ds = ds;
    }

    /** Opens an outage unless one is open; true when this call opened it. */
    public boolean open(String kind, Double hubTs, String detail) {
        return Sql.with(ds, "record an outage", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO outage (kind, started_hub_ts, detail)"
                    + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, kind);
                ps.setObject(2, hubTs, Types.DOUBLE);
                ps.setString(3, detail);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Closes the open outage (of any kind, or only of {@code kind} when not null); true when one was open. */
    public boolean close(String kind, double hubTs) {
        return Sql.with(ds, "close an outage", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE outage SET ended_at = now(), ended_hub_ts = ?"
                    + " WHERE ended_at IS NULL AND kind = COALESCE(?, kind)")) {
                ps.setDouble(1, hubTs);
                ps.setString(2, kind);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** The kind of the open outage, or null. */
    public String openKind() {
        return Sql.with(ds, "read outages", c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT kind FROM outage WHERE ended_at IS NULL")) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    /** What the warm-up guard needs: is one open, and when (hub clock) did the last one end. */
    public OutageView view() {
        return Sql.with(ds, "read outages", c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT bool_or(ended_at IS NULL), max(ended_hub_ts) FROM outage")) {
                rs.next();
                boolean open = rs.getBoolean(1);
                double ended = rs.getDouble(2);
                return new OutageView(open, rs.wasNull() ? null : ended);
            }
        });
    }
}
