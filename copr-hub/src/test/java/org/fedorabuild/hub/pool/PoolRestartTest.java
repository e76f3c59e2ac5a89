package org.fedorabuild.hub.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.fedorabuild.hub.testing.BuildHub;
import org.fedorabuild.hub.testing.LoopbackPool;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub restart: the next hub adopts the warm builder already running (min_idle = 1: no second start), cleans
 * up a start its predecessor left half-done (cmd_delete without ADDRESS), and disowns the builder of a pool
 * no longer configured.
 */
class PoolRestartTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    static Path tmp;
    static LoopbackPool pool;
    static BuildHub hub;

    @AfterAll
    static void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        if (pool != null) {
            pool.close();
        }
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what + ": "
                        + hub.hub.services.db.query("SELECT name, pool, state, reason FROM pool_builders ORDER BY id"));
            }
            Thread.sleep(100);
        }
    }

    @Test
    void aRestartedHubAdoptsWhatRunsAndCleansUpWhatItCannotKnow() throws Exception {
        pool = LoopbackPool.create(tmp.resolve("pool"));
        String ini = pool.hubIni() + pool.section("warm", true, 0, "max = 2\nmin_idle = 1\nidle_timeout = 1h\n");
        hub = BuildHub.start(PG.dataSource(), tmp.resolve("data"), ini, 0);
        var db = hub.hub.services.db;
        await("a warm builder", () -> db.scalar("SELECT count(*) FROM pool_builders WHERE state = 'ready'").orElseThrow().equals(1L));
        int warm = (Integer) db.scalar("SELECT id FROM pool_builders WHERE state = 'ready'").orElseThrow();
        db.tx(() -> {
            db.update("INSERT INTO pool_builders (pool, name, arch) VALUES ('warm', 'warm-999', ?)", BuildHub.arch());
            int old = hub.hub.services.hosts.add("old-1", List.of(BuildHub.arch()), 1, "nobody@127.0.0.1:9");
            db.update("INSERT INTO pool_builders (pool, name, arch, state, address, host_id, ready_time)"
                    + " VALUES ('old', 'old-1', ?, 'ready', 'nobody@127.0.0.1:9', ?, now())", BuildHub.arch(), old);
            return null;
        });
        hub.close();
        hub = null;

        Instant restart = Instant.now();
        hub = BuildHub.start(PG.dataSource(), tmp.resolve("data"), ini, 0);
        var db2 = hub.hub.services.db;
        await("the interrupted start cleaned up", () -> "failed".equals(db2.scalar("SELECT state FROM pool_builders WHERE name = 'warm-999'")
                .orElseThrow()));
        assertTrue(((String) db2.scalar("SELECT reason FROM pool_builders WHERE name = 'warm-999'").orElseThrow())
                .startsWith("start interrupted"));
        await("cmd_delete of the interrupted start", () -> {
            try {
                return pool.deleted().contains("none");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        var old = db2.queryOne("SELECT b.state, b.reason, h.enabled, h.driver FROM pool_builders b JOIN hosts h ON h.id = b.host_id"
                + " WHERE b.name = 'old-1'").orElseThrow();
        assertEquals("gone", old.get("state"));
        assertTrue(((String) old.get("reason")).contains("pool old is no longer configured"), old.toString());
        assertEquals(false, old.get("enabled"));
        assertEquals(null, old.get("driver"), "no hub drives it any more");
        await("the adopted builder checked in by the new hub", () -> ((java.time.Instant) db2.scalar("SELECT h.update_time FROM"
                + " pool_builders b JOIN hosts h ON h.id = b.host_id WHERE b.id = ?", warm).orElseThrow()).isAfter(restart));
        assertEquals("ready", db2.scalar("SELECT state FROM pool_builders WHERE id = ?", warm).orElseThrow());
        assertEquals(1L, db2.scalar("SELECT count(*) FROM pool_builders WHERE state IN ('starting', 'ready')").orElseThrow(),
                "min_idle = 1 is met by the adopted builder: nothing new started");
    }
}
