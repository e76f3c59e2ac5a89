package org.fedorabuild.hub.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.fedorabuild.compat.fault.KojiFault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Telling a database outage from other failures, and riding one out. Work whose outcome must not be lost (a
 * finished build's result, a task handed back to the queue) waits for the database to come back instead of being
 * dropped or, worse, recorded as a build failure.
 */
public final class DatabaseOutage {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutage.class);
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);

    private DatabaseOutage() {
    }

    /**
     * True if {@code e} (or a cause) says the database cannot be reached: no pool connection in time, a connection
     * lost or refused (SQLSTATE class 08), the server shutting down or starting (57P01..57P03).
     */
    public static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KojiFault.ServerOffline || t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().matches("57P0[123]"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs {@code work}, and while it fails because of an outage runs it again after a growing pause, for at most
     * {@code patience}; any other failure, or the outage outlasting the patience, is thrown. {@code work} must be a
     * transaction of its own (all or nothing), so a retry never applies anything twice.
     */
    public static <T> T waitOut(String what, Duration patience, Db.Work<T> work) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        Duration pause = FIRST_PAUSE;
        int attempts = 0;
        while (true) {
            try {
                T result = work.run();
                if (attempts > 0) {
                    LOG.info("Database back: {} done after {} retried attempt(s)", what, attempts);
                }
                return result;
            } catch (Exception | Error e) {
                if (!is(e) || System.nanoTime() + pause.toNanos() > deadline) {
                    throw e;
                }
                attempts++;
                if (attempts == 1) {
                    LOG.warn("Database unreachable while {}: retrying for up to {} s", what, patience.toSeconds());
                }
                Thread.sleep(pause.toMillis());
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }
}
