package org.fedorabuild.hub.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.upload.FastUpload;
import org.fedorabuild.hub.chain.ChainStatus;
import org.fedorabuild.hub.testing.BuildHub;
import org.fedorabuild.hub.testing.TinyPackages;
import org.fedorabuild.pg.Database;
import org.fedorabuild.pg.EmbeddedPostgres;
import org.fedorabuild.pg.Migrations;
import org.fedorabuild.pg.PoolSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped for 30 s under a hub with builds and a chain in flight, then started again: /health says 503
 * (quickly) during the outage and 200 after, the dispatcher and chain driver keep their schedules, and every build
 * and the chain finish, each package built exactly once. The hub has a PostgreSQL of its own here, on a fixed port
 * so the restarted server is where the pool looks.
 */
class DatabaseOutageTest {
    @TempDir
    Path tmp;

    @Test
    void buildsAndAChainSurviveADatabaseOutage() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        EmbeddedPostgres pg = EmbeddedPostgres.builder(tmp.resolve("pg")).port(port).fsync(false).start();
        HikariDataSource ds = Database.createDataSource(pg.jdbcUrl(), pg.user(), pg.password(),
                PoolSettings.named("outage-test").withConnectionTimeout(Duration.ofSeconds(1)));
        Migrations.fromClasspath("sql/copr-hub").apply(ds);
        String chroot = "fedora-40-" + BuildHub.arch();
        BuildHub hub = BuildHub.start(ds, tmp.resolve("data"), "", 2);
        try {
            String token = hub.user("olga", false);
            hub.project("olga/outage", chroot);
            try (KojiClient k = hub.login("olga", token)) {
                // Two plain builds that are in %build when the database goes, and a chain whose second member waits.
                List<Integer> builds = new ArrayList<>();
                for (String name : List.of("ou-x", "ou-y")) {
                    builds.add(hub.build(k, TinyPackages.srpm(tmp, name, "1.0", 8), "olga/outage", Map.of()));
                }
                List<Object> srcs = new ArrayList<>();
                for (Path p : List.of(
                        TinyPackages.srpm(tmp, "ou-b", TinyPackages.spec("ou-b", "1.0", 0, List.of("ou-a"), List.of())),
                        TinyPackages.srpm(tmp, "ou-a", TinyPackages.spec("ou-a", "1.0", 4, List.of(), List.of())))) {
                    srcs.add(FastUpload.upload(k, p, FastUpload.uniqueDir("cli-build"), p.getFileName().toString(),
                            FastUpload.DEFAULT_BLOCK_SIZE).serverPath());
                }
                int chain = ((Number) k.call("coprChainBuild", srcs, "olga/outage", Map.of())).intValue();
                long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (hub.hub.services.db.scalar("SELECT count(*) FROM tasks WHERE method = 'buildArch' AND state = 1")
                        .map(n -> ((Number) n).intValue()).orElse(0) < 2 && System.nanoTime() < until) {
                    Thread.sleep(100);
                }
                assertEquals(200, hub.get("/health").statusCode());

                pg.stop();
                long outageEnd = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                int probes = 0;
                while (System.nanoTime() < outageEnd) {
                    long t0 = System.nanoTime();
                    int status = hub.get("/health").statusCode();
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    assertEquals(503, status, "/health while PostgreSQL is down");
                    assertTrue(ms < 2500, "/health took " + ms + " ms while PostgreSQL is down");
                    probes++;
                    Thread.sleep(1000);
                }
                assertTrue(probes >= 10, "probed " + probes + " times");
                pg.start();
                long back = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                int status = 0;
                while (System.nanoTime() < back && (status = hub.get("/health").statusCode()) != 200) {
                    Thread.sleep(200);
                }
                assertEquals(200, status, "/health after PostgreSQL came back");

                for (int id : builds) {
                    assertEquals(2L, ((Number) hub.await(k, id, Duration.ofMinutes(2)).get("state")).longValue(),
                            "build task " + id + " closed");
                }
                assertEquals(2L, ((Number) hub.await(k, chain, Duration.ofMinutes(2)).get("state")).longValue());
                Map<?, ?> st = (Map<?, ?>) k.call("coprChainStatus", chain);
                assertEquals("DONE", st.get("state"), ChainStatus.text(st));
                for (String name : List.of("ou-x", "ou-y", "ou-a", "ou-b")) {
                    assertEquals(1L, hub.hub.services.db.scalar("SELECT count(*) FROM builds b JOIN packages p"
                            + " ON p.id = b.package_id WHERE p.name = ? AND b.state = 1", name).orElseThrow(),
                            name + " built exactly once");
                }
            }
        } finally {
            hub.close();
            ds.close();
            pg.close();
        }
    }
}
