package org.fedorabuild.watchdog.audit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import javax.sql.DataSource;
import org.fedorabuild.watchdog.hub.Host;

/**
 * The hosts this watchdog fenced (disabled with a comment of its own), in {@code host_memory}: only those
 * are ever enabled again by {@code fence-release}, with the comment they had before; a host an operator
 * disabled is never touched.
 */
public final class Fences {
    private final DataSource ds;

    Fences(DataSource ds) {
        this.ds = ds;
    }

    /** Records a fence just set, with the comment it replaced; the healthy period starts over. */
    public void record(Host h, String previousComment) {
        Sql.update(ds, "record the fence of " + h.name(),
                "INSERT INTO host_memory (host_id, host_name, fenced, fence_prev_comment) VALUES (?, ?, true, ?)"
                        + " ON CONFLICT (host_id) DO UPDATE SET fenced = true,"
                        + " fence_prev_comment = EXCLUDED.fence_prev_comment, healthy_since = NULL",
                h.id(), h.name(), previousComment);
    }

    /** The comment a fenced host had before this watchdog fenced it (null when it had none). */
    public String previousComment(long hostId) {
        return Sql.with(ds, "read the fence of host " + hostId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT fence_prev_comment FROM host_memory WHERE host_id = ?")) {
                ps.setLong(1, hostId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    /** Forgets a fence once the host is enabled again (and its disabled-since with it). */
    public void clear(long hostId) {
        Sql.update(ds, "clear the fence of host " + hostId,
                "UPDATE host_memory SET fenced = false, healthy_since = NULL, disabled_since = NULL WHERE host_id = ?",
                hostId);
    }
}
