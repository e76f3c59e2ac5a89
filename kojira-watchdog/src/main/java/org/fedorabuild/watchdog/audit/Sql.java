package org.fedorabuild.watchdog.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The audit package's JDBC plumbing. Every statement is a constant string with {@code ?} parameters: no
 * value (host names, comments, evidence, all of which come from the hub or an operator) is ever spliced into
 * SQL. A failure becomes an {@link AuditException} that says what the watchdog was doing.
 */
final class Sql {
    private Sql() {
    }

    /** Work on one connection from the pool. */
    @FunctionalInterface
    interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    /** Runs {@code work} on a pooled connection; {@code what} completes "cannot …" in the error. */
    static <T> T with(DataSource ds, String what, Work<T> work) {
        try (Connection c = ds.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw new AuditException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    /** One parameterized statement; returns the update count. */
    static int update(DataSource ds, String what, String sql, Object... args) {
        return with(ds, what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                return ps.executeUpdate();
            }
        });
    }
}
