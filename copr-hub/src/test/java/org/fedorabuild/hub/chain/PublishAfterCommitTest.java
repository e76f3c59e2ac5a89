package org.fedorabuild.hub.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fix for publication racing the commit: {@code host.closeTask} runs {@code BuildFlow.close} inside its
 * request's transaction, and the repository publication it starts reads the recorded build from another
 * thread (another connection). {@link Db#afterCommit} defers that work until the outer commit: what it
 * starts sees the rows, and a rolled-back request starts nothing.
 */
class PublishAfterCommitTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");

    @Test
    void workDeferredToTheOuterCommitSeesItsRowsFromAnotherConnection() {
        Db db = new Db(PG.dataSource());
        db.tx(() -> db.update("CREATE TABLE IF NOT EXISTS publish_probe (id integer)"));
        List<Long> seen = new ArrayList<>();
        db.tx(() -> {                                  // the request's transaction (host.closeTask)
            db.tx(() -> {                              // BuildFlow.close's own, joining it
                db.update("INSERT INTO publish_probe VALUES (1)");
                return null;
            });
            // as BuildFlow.close does after recording a build: publication runs on another thread
            db.afterCommit(() -> seen.add(CompletableFuture.supplyAsync(() ->
                    (Long) db.scalar("SELECT count(*) FROM publish_probe").orElseThrow()).join()));
            assertEquals(List.of(), seen, "nothing runs before the commit");
            return null;
        });
        assertEquals(List.of(1L), seen, "after the commit, the other connection sees the recorded row");

        assertThrows(IllegalStateException.class, () -> db.tx(() -> {
            db.update("INSERT INTO publish_probe VALUES (2)");
            db.afterCommit(() -> seen.add(-1L));
            throw new IllegalStateException("request failed");
        }));
        assertEquals(List.of(1L), seen, "a rolled-back transaction runs none of its deferred work");
    }
}
