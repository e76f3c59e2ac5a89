package org.fedorabuild.hub.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * A pool of loopback OpenSSH builders (host keys learned at the first connection) with max = 2, whose first
 * cmd_new fails: four builds start at most two builders and all finish, the failure is retried after the
 * backoff and reported, idle builders are retired after idle_timeout and deleted with cmd_delete.
 */
class PoolScaleTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    static Path tmp;
    static LoopbackPool pool;
    static BuildHub hub;
    static final String CHROOT = "fedora-40-" + BuildHub.arch();

    @BeforeAll
    static void start() throws Exception {
        pool = LoopbackPool.create(tmp.resolve("pool"));
        hub = BuildHub.start(PG.dataSource(), tmp.resolve("data"), pool.hubIni() + pool.section("loop", true, 1,
                "capacity = 1\nmax = 2\nidle_timeout = 3s\nbackoff = 1s\nstart_timeout = 30s\n"), 0);
        LoopbackPool.distinctTaskIds(hub.hub.services.db);
        token = hub.user("alice", false);
        hub.project("alice/p", CHROOT);
    }

    static String token;

    @AfterAll
    static void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        if (pool != null) {
            pool.close();
        }
    }

    private static long live() {
        return (Long) hub.hub.services.db.scalar("SELECT count(*) FROM pool_builders WHERE state IN ('starting', 'ready', 'retiring')")
                .orElseThrow();
    }

    @Test
    void fourBuildsOnAtMostTwoBuildersThenIdleBuildersRetired() throws Exception {
        try (KojiClient k = hub.login("alice", token)) {
            List<Integer> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                tasks.add(hub.build(k, TinyPackages.srpm(tmp, "pooled" + i, "1.0", 0), "alice/p", Map.of()));
            }
            long most = 0;
            long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < end && tasks.stream().anyMatch(t -> state(k, t) < 2)) {
                most = Math.max(most, live());
                Thread.sleep(50);
            }
            for (int t : tasks) {
                assertEquals(2L, hub.await(k, t, Duration.ofSeconds(5)).get("state"), "task " + t);
            }
            assertTrue(most <= 2, "never more than max = 2 builders, saw " + most);
            var db = hub.hub.services.db;
            List<?> used = db.query("SELECT DISTINCT host_id FROM tasks WHERE method = 'buildArch'");
            assertTrue(used.size() >= 1 && used.size() <= 2, "builds ran on " + used.size() + " builder(s)");

            var failed = db.query("SELECT name, reason FROM pool_builders WHERE state = 'failed'");
            assertEquals(1, failed.size(), failed.toString());
            assertTrue(((String) failed.get(0).get("reason")).contains("quota exceeded"), failed.toString());
            String metrics = new String(hub.get("/metrics").body());
            assertTrue(metrics.contains("copr_hub_pool_starts_total{outcome=\"failed\",pool=\"loop\"} 1.0"), metrics);
            assertTrue(metrics.contains("copr_hub_pool_failures_total{kind=\"start\",pool=\"loop\"} 1.0"), metrics);
            assertTrue(metrics.contains("copr_hub_queue_wait_seconds_count{owner=\"alice\"} 4"), metrics);
            assertTrue(metrics.contains("copr_hub_pool_time_to_ready_seconds_count{pool=\"loop\"}"), metrics);

            Map<?, ?> host = (Map<?, ?>) k.call("getHost", (String) db.scalar("SELECT name FROM pool_builders WHERE state <> 'failed'"
                    + " ORDER BY id LIMIT 1").orElseThrow());
            assertTrue(String.valueOf(host.get("description")).contains("pool loop"), host.toString());
            assertTrue(db.scalar("SELECT ssh_host_key FROM hosts WHERE id = ?", host.get("id")).orElseThrow().toString()
                    .startsWith("SHA256:"), "trust-on-start pins the key seen at the first login");

            // idle_timeout = 3s: every builder retired, deleted by cmd_delete, its sshd gone
            long idleEnd = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (live() > 0 && System.nanoTime() < idleEnd) {
                Thread.sleep(100);
            }
            assertEquals(0L, live(), db.query("SELECT name, state, reason, last_error FROM pool_builders").toString());
            for (var b : db.query("SELECT b.address, b.reason, h.enabled, h.comment FROM pool_builders b JOIN hosts h ON h.id = b.host_id")) {
                assertTrue(((String) b.get("reason")).startsWith("idle for"), b.toString());
                assertEquals(false, b.get("enabled"));
                assertTrue(pool.deleted().contains((String) b.get("address")), pool.deleted() + " vs " + b);
                int port = Integer.parseInt(((String) b.get("address")).replaceAll(".*:", ""));
                assertTrue(refused(port), "sshd of " + b.get("address") + " stopped");
            }
        }
    }

    private static boolean refused(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    private static int state(KojiClient k, int task) {
        return ((Number) ((Map<?, ?>) k.call("getTaskInfo", task)).get("state")).intValue();
    }
}
