package org.fedorabuild.hub.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request's transaction opens at its first write or lock: reads before it run in auto-commit (no COMMIT round trip for a
 * call that only reads), and everything from the first write or lock on commits or rolls back as one.
 */
class LazyTransactionTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");

    /** True when two statements in a row share one transaction: now() is its start time, the same for both. */
    private static boolean inOpenTransaction(Db db) {
        Object first = db.scalar("SELECT now()").orElseThrow();
        return first.equals(db.scalar("SELECT now()").orElseThrow());
    }

    @Test
    void readsRunWithoutATransactionUntilTheFirstWrite() {
        Db db = new Db(PG.dataSource());
        db.tx(() -> {
            db.scalar("SELECT count(*) FROM channels");
            assertFalse(inOpenTransaction(db), "a read-only call sends no BEGIN");
            db.update("INSERT INTO channels (name) VALUES ('lazy-1')");
            assertTrue(inOpenTransaction(db), "the write opened the transaction the rest of the call joins");
            return null;
        });
        assertTrue(db.scalar("SELECT 1 FROM channels WHERE name = 'lazy-1'").isPresent());
    }

    @Test
    void aWriteThroughAQueryRollsBackWithTheRest() {
        Db db = new Db(PG.dataSource());
        assertThrows(IllegalStateException.class, () -> db.tx(() -> {
            db.scalar("SELECT count(*) FROM channels");
            db.scalar("INSERT INTO channels (name) VALUES ('lazy-2') RETURNING id");
            db.update("INSERT INTO channels (name) VALUES ('lazy-3')");
            throw new IllegalStateException("the call failed");
        }));
        assertEquals(0L, ((Number) db.scalar("SELECT count(*) FROM channels WHERE name IN ('lazy-2', 'lazy-3')").orElseThrow()).longValue());
    }

    @Test
    void aRowLockTakenByASelectIsHeldUntilTheEnd() {
        Db db = new Db(PG.dataSource());
        db.update("INSERT INTO channels (name) VALUES ('lazy-4')");
        db.tx(() -> {
            db.scalar("SELECT id FROM channels WHERE name = 'lazy-4' FOR UPDATE");
            try (Connection other = PG.dataSource().getConnection(); Statement st = other.createStatement()) {
                st.execute("SET lock_timeout = '200ms'");
                SQLException e = assertThrows(SQLException.class,
                        () -> st.executeUpdate("UPDATE channels SET name = 'lazy-4b' WHERE name = 'lazy-4'"));
                assertEquals("55P03", e.getSQLState(), "another connection waits for the lock: " + e.getMessage());
            }
            return null;
        });
    }

    @Test
    void onlyPlainSelectsCountAsReads() {
        assertTrue(Db.isPlainRead("SELECT id FROM tasks WHERE id = ?"));
        assertTrue(Db.isPlainRead("\n  select t.id, t.forum FROM tasks t"));
        assertFalse(Db.isPlainRead("SELECT id FROM tasks WHERE id = ? FOR UPDATE"));
        assertFalse(Db.isPlainRead("SELECT id FROM tasks FOR NO KEY UPDATE SKIP LOCKED"));
        assertFalse(Db.isPlainRead("SELECT * FROM hub_leases WHERE name = ?\n FOR  SHARE"));
        assertFalse(Db.isPlainRead("SELECT pg_advisory_xact_lock(1)"));
        assertFalse(Db.isPlainRead("WITH x AS (DELETE FROM tasks RETURNING id) SELECT count(*) FROM x"));
        assertFalse(Db.isPlainRead("INSERT INTO channels (name) VALUES (?) RETURNING id"));
        assertFalse(Db.isPlainRead("UPDATE tasks SET state = 2 RETURNING id"));
    }
}
