package org.fedorabuild.hub.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An after-commit action that throws never turns the committed transaction into a failure, nor stops the others. */
class AfterCommitTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");

    @Test
    void aFailingAfterCommitActionLeavesTheTransactionCommittedAndReported() {
        Db db = new Db(PG.dataSource());
        List<String> ran = new ArrayList<>();
        String result = db.tx(() -> {
            db.update("INSERT INTO channels (name) VALUES ('after-commit-test')");
            db.afterCommit(() -> {
                ran.add("first");
                throw new IllegalStateException("publication failed");
            });
            db.afterCommit(() -> ran.add("second"));
            return "committed";
        });
        assertEquals("committed", result, "the caller sees the commit, not the action's failure");
        assertEquals(List.of("first", "second"), ran);
        assertTrue(db.scalar("SELECT 1 FROM channels WHERE name = 'after-commit-test'").isPresent());
    }

    @Test
    void outagesAreToldFromOtherFailures() {
        assertTrue(DatabaseOutage.is(new DbException("x", new java.sql.SQLException("gone", "08006"))));
        assertTrue(DatabaseOutage.is(new org.fedorabuild.compat.fault.KojiFault.ServerOffline("database outage")));
        assertTrue(DatabaseOutage.is(new DbException("x", new java.sql.SQLException("shutting down", "57P01"))));
        assertEquals(false, DatabaseOutage.is(new DbException("x", new java.sql.SQLException("dup", "23505"))));
        assertEquals(false, DatabaseOutage.is(new IllegalStateException("bug")));
    }
}
