package org.fedorabuild.hub.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.hub.testing.BuildHub;
import org.fedorabuild.hub.testing.TinyPackages;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One owner's queue of builds and another owner's single build on a real hub and builder (capacity 2): the
 * single build takes the first slot that frees, ahead of the older queue; with MaxBuildsPerOwner = 1 the
 * queue's owner never holds more than one slot, so the single build starts at once.
 */
class FairnessTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    static Path tmp;
    static BuildHub hub;
    static String alice;
    static String carol;
    static final String CHROOT = "fedora-40-" + BuildHub.arch();

    @BeforeAll
    static void start() {
        hub = BuildHub.start(PG.dataSource(), tmp.resolve("data"), "BuildBackend = rpmbuild\n", 2);
        alice = hub.user("alice", false);
        carol = hub.user("carol", false);
        hub.project("alice/mass", CHROOT);
        hub.project("carol/one", CHROOT);
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    private static List<Map<String, Object>> archTasks(String owner) {
        return hub.hub.services.db.query("SELECT t.id, t.create_time, t.start_time FROM tasks t JOIN projects p ON p.id = t.project_id"
                + " JOIN users u ON u.id = p.owner_id WHERE t.method = 'buildArch' AND u.name = ? ORDER BY t.id", owner);
    }

    private static long aliceRunning() {
        return (Long) hub.hub.services.db.scalar("SELECT count(*) FROM tasks t JOIN projects p ON p.id = t.project_id JOIN users u"
                + " ON u.id = p.owner_id WHERE t.method = 'buildArch' AND t.state = 1 AND u.name = 'alice'").orElseThrow();
    }

    @Test
    void aSingleBuildIsNotStarvedByAnotherOwnersQueue() throws Exception {
        try (KojiClient a = hub.login("alice", alice); KojiClient c = hub.login("carol", carol)) {
            List<Integer> mass = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                mass.add(hub.build(a, TinyPackages.srpm(tmp, "mass" + i, "1.0", 3), "alice/mass", Map.of()));
            }
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (aliceRunning() < 2 && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertEquals(2L, aliceRunning(), "alice's queue fills both slots");
            int one = hub.build(c, TinyPackages.srpm(tmp, "single", "1.0", 0), "carol/one", Map.of());
            assertEquals(2L, hub.await(c, one, Duration.ofSeconds(120)).get("state"));
            var single = archTasks("carol").get(0);
            var created = (java.time.Instant) single.get("create_time");
            var started = (java.time.Instant) single.get("start_time");
            for (int t : mass) {
                hub.await(a, t, Duration.ofSeconds(120));
            }
            long jumped = archTasks("alice").stream().filter(t -> ((java.time.Instant) t.get("start_time")).isAfter(started))
                    .count();
            long overtook = archTasks("alice").stream().map(t -> (java.time.Instant) t.get("start_time"))
                    .filter(s -> s.isAfter(created) && s.isBefore(started)).count();
            assertEquals(0, overtook, "no task of alice's older queue started between carol's build waiting and starting");
            assertTrue(jumped >= 1, "carol's build went ahead of alice's still waiting builds");

            // with a per-owner limit the queue holds one slot: the other is free for carol at once
            hub.dispatcher.setMaxBuildsPerOwner(1);
            mass.clear();
            for (int i = 0; i < 3; i++) {
                mass.add(hub.build(a, TinyPackages.srpm(tmp, "limited" + i, "1.0", 2), "alice/mass", Map.of()));
            }
            long most = 0;
            int second = hub.build(c, TinyPackages.srpm(tmp, "single2", "1.0", 0), "carol/one", Map.of());
            end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < end && mass.stream().anyMatch(t -> state(a, t) < 2)) {
                most = Math.max(most, aliceRunning());
                Thread.sleep(50);
            }
            assertEquals(1, most, "MaxBuildsPerOwner = 1");
            assertEquals(2L, hub.await(c, second, Duration.ofSeconds(60)).get("state"));
            var s2 = archTasks("carol").get(1);
            long aliceAfter = archTasks("alice").stream().skip(4).filter(t -> ((java.time.Instant) t.get("start_time"))
                    .isAfter((java.time.Instant) s2.get("start_time"))).count();
            assertTrue(aliceAfter >= 1, "carol's build started while alice's queue still waited");
            String metrics = new String(hub.get("/metrics").body());
            assertTrue(metrics.contains("copr_hub_queue_wait_seconds_count{owner=\"carol\"} 2"), metrics);
        }
    }

    private static int state(KojiClient k, int task) {
        return ((Number) ((Map<?, ?>) k.call("getTaskInfo", task)).get("state")).intValue();
    }
}
