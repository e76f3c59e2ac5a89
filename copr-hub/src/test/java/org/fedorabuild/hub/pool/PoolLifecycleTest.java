package org.fedorabuild.hub.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.hub.testing.BuildHub;
import org.fedorabuild.hub.testing.LoopbackPool;
import org.fedorabuild.hub.testing.TinyPackages;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool whose cmd_new registers each builder's host key in the hub's known_hosts, with max_builds = 1 and a
 * cmd_check: every build gets a fresh builder, retired after it; a builder killed mid-build is found dead,
 * its task goes back to the queue once and is built on a replacement.
 */
class PoolLifecycleTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    static Path tmp;
    static LoopbackPool pool;
    static BuildHub hub;
    static String token;
    static final String CHROOT = "fedora-40-" + BuildHub.arch();

    @BeforeAll
    static void start() throws Exception {
        pool = LoopbackPool.create(tmp.resolve("pool"));
        hub = BuildHub.start(PG.dataSource(), tmp.resolve("data"), pool.hubIni() + pool.section("fresh", false, 0,
                "capacity = 2\nmax = 2\nmax_builds = 1\nidle_timeout = 1h\ndead_after = 20s\ncheck_interval = 1s\n"
                        + "start_timeout = 60s\n" + pool.checkCommand()), 0);
        LoopbackPool.distinctTaskIds(hub.hub.services.db);
        token = hub.user("bob", false);
        hub.project("bob/p", CHROOT);
    }

    @AfterAll
    static void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void maxBuildsOneGivesEveryBuildAFreshBuilderAndAKilledBuilderIsReplacedOnce() throws Exception {
        var db = hub.hub.services.db;
        try (KojiClient k = hub.login("bob", token)) {
            List<Integer> tasks = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                tasks.add(hub.build(k, TinyPackages.srpm(tmp, "fresh" + i, "1.0", 0), "bob/p", Map.of()));
            }
            for (int t : tasks) {
                assertEquals(2L, hub.await(k, t, Duration.ofSeconds(180)).get("state"), "task " + t);
            }
            var hosts = db.query("SELECT host_id FROM tasks WHERE method = 'buildArch' AND parent = ANY(?)",
                    (Object) tasks.toArray(new Integer[0]));
            assertEquals(2, new HashSet<>(hosts).size(), "two builds of weight 1 on capacity 2, yet two builders: " + hosts);
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < end && (Long) db.scalar("SELECT count(*) FROM pool_builders WHERE reason LIKE 'took max_builds%'"
                    + " AND state = 'gone'").orElseThrow() < 2) {
                Thread.sleep(100);
            }
            assertEquals(2L, db.scalar("SELECT count(*) FROM pool_builders b JOIN hosts h ON h.id = b.host_id WHERE b.state = 'gone'"
                    + " AND b.reason LIKE 'took max_builds%' AND h.tasks_taken = 1 AND NOT h.enabled").orElseThrow(),
                    db.query("SELECT name, state, reason FROM pool_builders").toString());

            // the builder machine dies mid-build
            int task = hub.build(k, TinyPackages.srpm(tmp, "survivor", "1.0", 5), "bob/p", Map.of());
            int child = awaitRunning(k, task, "sleep 5");
            String victim = (String) db.scalar("SELECT h.name FROM tasks t JOIN hosts h ON h.id = t.host_id WHERE t.id = ?", child)
                    .orElseThrow();
            pool.kill(victim);
            assertEquals(2L, hub.await(k, task, Duration.ofSeconds(180)).get("state"));
            Map<?, ?> c = (Map<?, ?>) k.call("getTaskInfo", child);
            String builtOn = (String) db.scalar("SELECT name FROM hosts WHERE id = ?", ((Number) c.get("host_id")).intValue()).orElseThrow();
            assertNotEquals(victim, builtOn, "rebuilt on a replacement");
            var dead = db.queryOne("SELECT state, reason FROM pool_builders WHERE name = ?", victim).orElseThrow();
            assertTrue(((String) dead.get("reason")).startsWith("dead: 'cmd_check' exited 1"), "found by cmd_check, long before"
                    + " dead_after: " + dead);
            List<String> pkgs = hub.awaitInRepo("bob/p", CHROOT, "survivor-1.0-1.fc40.noarch");
            assertEquals(1, pkgs.stream().filter(p -> p.equals("survivor-1.0-1.fc40.noarch")).count(), pkgs.toString());
            assertEquals(1L, db.scalar("SELECT count(*) FROM builds b JOIN packages p ON p.id = b.package_id WHERE p.name = 'survivor'")
                    .orElseThrow());
            String metrics = new String(hub.get("/metrics").body());
            assertTrue(metrics.matches("(?s).*copr_hub_pool_failures_total\\{kind=\"dead\",pool=\"fresh\"} [1-9].*"), metrics);
        }
    }

    /** Waits until the task's buildArch child streams {@code marker} into its build.log; returns the child id. */
    static int awaitRunning(KojiClient k, int task, String marker) throws InterruptedException {
        long end = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < end) {
            List<?> ch = (List<?>) k.call("getTaskChildren", task);
            if (!ch.isEmpty()) {
                int child = ((Number) ((Map<?, ?>) ch.get(0)).get("id")).intValue();
                if (((List<?>) k.call("listTaskOutput", child)).contains("build.log") && new String(Base64.getDecoder().decode(
                        (String) k.call("downloadTaskOutput", child, "build.log")), StandardCharsets.UTF_8).contains(marker)) {
                    return child;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("task " + task + " never showed '" + marker + "' in its build log");
    }
}
