package org.fedorabuild.hub.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.fedorabuild.compat.fault.KojiFault;

/**
 * The hub's one way to reach PostgreSQL: plain JDBC with parameters only (no SQL is ever built from
 * a caller's string), rows as ordered maps whose keys are the column labels, so a query can alias
 * its columns to the Koji field names and return the row as the struct. Times come back as
 * {@link Instant}, which the codec writes as Koji's time strings.
 *
 * <p>A transaction is bound to the current thread by {@link #inTransaction}; the hub's call
 * interceptor opens one per HTTP request, the admin CLI one per command. Every query runs in the
 * bound transaction, or in one of its own when none is bound.
 */
public final class Db {
    private final DataSource dataSource;
    private final ThreadLocal<Tx> bound = new ThreadLocal<>();
    /**
     * What makes a SELECT more than a read: a row lock, a transaction-scoped lock, a notification, a
     * sequence change. Such a statement opens the transaction like a write does.
     */
    private static final Pattern NOT_A_PLAIN_READ = Pattern.compile(
            "\\bFOR\\s+(UPDATE|SHARE|NO\\s+KEY|KEY\\s+SHARE)\\b|advisory_xact|pg_notify|nextval|setval|\\bINTO\\b",
            Pattern.CASE_INSENSITIVE);

    /** A unit of work in a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws Exception;
    }

    private static final class Tx {
        final Connection connection;
        boolean wrote;
        /** Whether BEGIN was sent: statements before the first write (or lock) run in auto-commit. */
        boolean begun;
        final List<Runnable> afterCommit = new ArrayList<>();

        Tx(Connection connection) {
            this.connection = connection;
        }
    }

    public Db(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Runs {@code work} in a transaction bound to this thread: committed when it returns, rolled back
     * when it throws. Nested calls join the outer transaction.
     *
     * <p>The transaction opens lazily, at the first statement that writes or locks (or a savepoint): the
     * plain SELECTs before it run in auto-commit on the same connection. Under READ COMMITTED every
     * statement takes its own snapshot anyway, so they see exactly what they would inside the
     * transaction, and a call that only reads (most API calls) saves the COMMIT round trip.
     */
    public <T> T inTransaction(Work<T> work) throws Exception {
        if (bound.get() != null) {
            return work.run();
        }
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLTransientConnectionException e) {
            // Koji's answer when its database is unreachable; clients with offline_retry wait for it.
            throw new KojiFault.ServerOffline("database outage");
        }
        Tx tx = new Tx(c);
        bound.set(tx);
        try {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            T result = work.run();
            if (tx.begun) {
                c.commit();
            }
            bound.remove();
            runAfterCommit(tx.afterCommit);
            return result;
        } catch (Exception | Error e) {
            try {
                if (tx.begun) {
                    c.rollback();
                }
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            bound.remove();
            c.close();
        }
    }

    /**
     * After-commit actions run once the data is committed: one that fails is logged and the others still run, and
     * none can turn the committed transaction into a failure its caller would report (or retry, doubling it).
     */
    private static void runAfterCommit(List<Runnable> actions) {
        for (Runnable r : actions) {
            try {
                r.run();
            } catch (RuntimeException | Error e) {
                org.slf4j.LoggerFactory.getLogger(Db.class).error("After-commit action failed (the transaction stays"
                        + " committed): {}", e.toString(), e);
            }
        }
    }

    /**
     * Runs {@code action} once the transaction bound to this thread has committed (never when it rolls
     * back), or at once when none is bound. For work other threads or processes must only start once the
     * rows it relies on are visible, such as publishing a build a request has just recorded.
     */
    public void afterCommit(Runnable action) {
        Tx tx = bound.get();
        if (tx == null) {
            action.run();
        } else {
            tx.afterCommit.add(action);
        }
    }

    /** As {@link #inTransaction} for callers that throw nothing checked (admin commands, tests). */
    public <T> T tx(Work<T> work) {
        try {
            return inTransaction(work);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new DbException("transaction failed: " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} under a savepoint of the bound transaction: when it throws, only its changes roll back. */
    public <T> T savepoint(Work<T> work) throws Exception {
        Tx tx = bound.get();
        if (tx == null) {
            return inTransaction(work);
        }
        begin(tx);
        Savepoint sp = tx.connection.setSavepoint();
        try {
            T result = work.run();
            tx.connection.releaseSavepoint(sp);
            return result;
        } catch (Exception | Error e) {
            tx.connection.rollback(sp);
            throw e;
        }
    }

    /** True when the bound transaction has run a statement that changes data. */
    public boolean wrote() {
        Tx tx = bound.get();
        return tx != null && tx.wrote;
    }

    public List<Map<String, Object>> query(String sql, Object... params) {
        return withConnection(!isPlainRead(sql), false, c -> {
            try (PreparedStatement st = prepare(c, sql, params); ResultSet rs = st.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnLabel(i), value(rs, i, md.getColumnType(i)));
                    }
                    rows.add(row);
                }
                return rows;
            }
        });
    }

    public Optional<Map<String, Object>> queryOne(String sql, Object... params) {
        List<Map<String, Object>> rows = query(sql, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** The first column of the first row, or empty. */
    public Optional<Object> scalar(String sql, Object... params) {
        return queryOne(sql, params).map(r -> r.values().iterator().next());
    }

    /** INSERT/UPDATE/DELETE; returns the row count. */
    public int update(String sql, Object... params) {
        return withConnection(true, true, c -> {
            try (PreparedStatement st = prepare(c, sql, params)) {
                return st.executeUpdate();
            }
        });
    }

    /** An INSERT … RETURNING id; returns the id. */
    public int insert(String sql, Object... params) {
        return withConnection(true, true, c -> {
            try (PreparedStatement st = prepare(c, sql, params); ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T withConnection(boolean begins, boolean writes, SqlWork<T> work) {
        Tx tx = bound.get();
        try {
            if (tx != null) {
                if (begins) {
                    begin(tx);
                }
                tx.wrote |= writes;
                return work.run(tx.connection);
            }
            try (Connection c = dataSource.getConnection()) {
                return work.run(c);
            }
        } catch (SQLException e) {
            throw new DbException(e.getMessage(), e);
        }
    }

    private static void begin(Tx tx) throws SQLException {
        if (!tx.begun) {
            tx.connection.setAutoCommit(false);
            tx.begun = true;
        }
    }

    /** A SELECT that neither writes nor locks (anything else, WITH included, counts as a write). */
    static boolean isPlainRead(String sql) {
        int i = 0;
        while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        return sql.regionMatches(true, i, "SELECT", 0, 6) && !NOT_A_PLAIN_READ.matcher(sql).find();
    }

    private static PreparedStatement prepare(Connection c, String sql, Object[] params) throws SQLException {
        PreparedStatement st = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant t) {
                st.setObject(i + 1, OffsetDateTime.ofInstant(t, java.time.ZoneOffset.UTC));
            } else if (p instanceof Integer[] || p instanceof Long[] || p instanceof String[]) {
                Object[] arr = (Object[]) p;
                String type = p instanceof String[] ? "text" : p instanceof Long[] ? "bigint" : "integer";
                st.setArray(i + 1, c.createArrayOf(type, arr));
            } else if (p == null) {
                st.setNull(i + 1, Types.NULL);
            } else {
                st.setObject(i + 1, p);
            }
        }
        return st;
    }

    private static Object value(ResultSet rs, int i, int type) throws SQLException {
        switch (type) {
            case Types.TIMESTAMP:
            case Types.TIMESTAMP_WITH_TIMEZONE: {
                Timestamp t = rs.getTimestamp(i);
                return t == null ? null : t.toInstant();
            }
            case Types.INTEGER:
            case Types.SMALLINT: {
                int v = rs.getInt(i);
                return rs.wasNull() ? null : v;
            }
            case Types.BIGINT: {
                long v = rs.getLong(i);
                return rs.wasNull() ? null : v;
            }
            case Types.DOUBLE:
            case Types.REAL:
            case Types.FLOAT:
            case Types.NUMERIC: {
                double v = rs.getDouble(i);
                return rs.wasNull() ? null : v;
            }
            case Types.BIT:
            case Types.BOOLEAN: {
                boolean v = rs.getBoolean(i);
                return rs.wasNull() ? null : v;
            }
            default:
                return rs.getObject(i);
        }
    }
}
