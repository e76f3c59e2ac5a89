package org.fedorabuild.hub.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lease rules on a real PostgreSQL: who may take a lease, when the epoch moves, and what the fence sees. */
class LeasesTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");

    private static Leases hub(String id, Duration lease) {
        return new Leases(new Db(PG.dataSource()), new ClusterSettings(id, lease));
    }

    @Test
    void heldLeaseIsRefusedUntilItLapsesThenTakenWithANewEpochThatFencesTheOldHolder() throws Exception {
        Leases a = hub("lt-a", Duration.ofMillis(1500));
        Leases b = hub("lt-b", Duration.ofMillis(1500));
        long first = a.hold("host:901").orElseThrow();
        assertEquals(first, a.hold("host:901").orElseThrow(), "renewal by the holder keeps the epoch");
        assertTrue(b.hold("host:901").isEmpty(), "another hub cannot take a live lease");
        Db db = new Db(PG.dataSource());
        assertTrue(db.tx(() -> a.fence("host:901", first)));
        long end = System.currentTimeMillis() + 10_000;
        var taken = b.hold("host:901");
        while (taken.isEmpty() && System.currentTimeMillis() < end) {
            Thread.sleep(100);
            taken = b.hold("host:901");
        }
        assertEquals(first + 1, taken.orElseThrow(), "taken after the lapse, under a new epoch");
        assertFalse(db.tx(() -> a.fence("host:901", first)), "the old holder's results are fenced out");
        assertTrue(a.renewAll(List.of("host:901")).isEmpty(), "the old holder sees it lost the lease");
        assertTrue(a.hold("host:901").isEmpty(), "and cannot take it back while it is live");
    }

    @Test
    void releaseHandsOverAtOnceAndARestartedInstanceTakesItsLeasesBack() {
        Leases a = hub("lt-c", Duration.ofSeconds(60));
        long e = a.hold("host:902").orElseThrow();
        Leases restarted = hub("lt-c", Duration.ofSeconds(60)); // same instance id, new process
        assertEquals(e + 1, restarted.hold("host:902").orElseThrow(), "a restart of the same hub takes its lease at once");
        Leases other = hub("lt-d", Duration.ofSeconds(60));
        assertTrue(other.hold("host:902").isEmpty());
        restarted.release("host:902");
        assertTrue(restarted.renewAll(List.of("host:902")).isEmpty(), "a released lease is not renewed by its old holder");
        assertEquals(e + 2, other.hold("host:902").orElseThrow(), "released: another hub takes it without waiting");
        restarted.releaseAll();
        assertEquals(Boolean.TRUE, new Db(PG.dataSource()).scalar("SELECT stopped FROM hub_instances WHERE instance_id = 'lt-c'")
                .orElseThrow(), "a clean stop marks the instance stopped (it no longer counts for the fair share)");
    }
}
