package org.fedorabuild.hub.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.fedorabuild.compat.client.ClientSettings;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.upload.FastUpload;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.config.HubConfigLoader;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.namespace.CoprName;
import org.fedorabuild.hub.server.HubServices;
import org.fedorabuild.hub.testing.BuildHub;
import org.fedorabuild.hub.testing.LoopbackSshd;
import org.fedorabuild.hub.testing.RepoReader;
import org.fedorabuild.hub.testing.TinyPackages;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real {@code copr-hub serve} processes on one PostgreSQL, one data directory and two loopback SSH
 * builders. Builds are submitted to both; the hub driving a running build is SIGKILLed. The other takes its
 * builder over once the lease lapses, kills and re-queues the interrupted run, and every build finishes once,
 * each RPM once in the repository, while the survivor keeps answering /health, the API and the results pages.
 * Its clean shutdown then hands its leases over at once.
 */
class MultiHubFailoverTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    Path tmp;

    private Process serve(Path conf, Path data, int port, Path log) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "org.fedorabuild.hub.cli.CoprHubMain", "serve", "--config", conf.toString(),
                "--data", data.toString(), "--listen", "127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int get(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void await(String what, long millis, java.util.concurrent.Callable<Boolean> cond) throws Exception {
        long end = System.currentTimeMillis() + millis;
        while (!cond.call()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void killedHubsBuildersAreTakenOverAndEveryBuildFinishesOnce() throws Exception {
        String chroot = "fedora-40-" + BuildHub.arch();
        LoopbackSshd sshA = LoopbackSshd.start(tmp.resolve("ssh-a"));
        LoopbackSshd sshB = LoopbackSshd.start(tmp.resolve("ssh-b"));
        List<Process> hubs = new ArrayList<>();
        try {
            Files.copy(sshA.clientKey().resolveSibling("client_ed25519.pub"), tmp.resolve("ssh-b/authorized_keys"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Path knownHosts = tmp.resolve("known_hosts");
            Files.writeString(knownHosts, Files.readString(sshA.knownHosts()) + Files.readString(sshB.knownHosts()));
            Path data = tmp.resolve("data");
            String common = "[hub]\nDBUrl = " + PG.jdbcUrl() + "\nDBUser = " + PG.user() + "\nDBPass = " + PG.password()
                    + "\nDBPoolSize = 4\nBootstrapAdmin =\nDispatchInterval = 0.2\nHostCheckInterval = 0.5\nHostLease = 3\n"
                    + "SSHKey = " + sshA.clientKey() + "\nSSHKnownHosts = " + knownHosts + "\nSSHConnectTimeout = 3\n"
                    + "BuildBackend = rpmbuild\n";
            Path confA = tmp.resolve("hub-a.conf");
            Path confB = tmp.resolve("hub-b.conf");
            Files.writeString(confA, common + "InstanceId = hub-a\n");
            Files.writeString(confB, common + "InstanceId = hub-b\n");
            HubServices setup = new HubServices(new Db(PG.dataSource()), HubConfigLoader.load(confA,
                    new HubConfigLoader.Overrides(null, data, null)));
            String token = setup.db.tx(() -> {
                int alice = setup.users.create("alice", Users.NORMAL);
                setup.projects.create(CoprName.parse("alice/m"), List.of(chroot), null);
                setup.hosts.add("ssh-a", List.of(BuildHub.arch()), 1.0, sshA.user() + "@127.0.0.1:" + sshA.port());
                setup.hosts.add("ssh-b", List.of(BuildHub.arch()), 1.0, sshB.user() + "@127.0.0.1:" + sshB.port());
                return setup.tokens.create(alice, null);
            });
            setup.close();
            int[] ports = {freePort(), freePort()};
            Path[] logs = {tmp.resolve("hub-a.log"), tmp.resolve("hub-b.log")};
            hubs.add(serve(confA, data, ports[0], logs[0]));
            hubs.add(serve(confB, data, ports[1], logs[1]));
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 2; i++) {
                int port = ports[i];
                Process p = hubs.get(i);
                await("hub " + i + " /health", 90_000, () -> {
                    assertTrue(p.isAlive(), "hub " + port + " exited: " + Files.readString(logs[port == ports[0] ? 0 : 1]));
                    try {
                        return get(http, "http://127.0.0.1:" + port + "/health") == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
            }
            // fair share: each hub ends up driving one of the two builders
            await("one builder per hub", 30_000, () -> setup.db.query("SELECT holder FROM hub_leases WHERE name LIKE 'host:%'"
                    + " AND expires > now() GROUP BY holder HAVING count(*) = 1").size() == 2);

            List<Integer> builds = new ArrayList<>();
            List<String> names = List.of("m-one", "m-two", "m-three", "m-four");
            for (int i = 0; i < names.size(); i++) {
                try (KojiClient k = client(ports[i % 2])) {
                    k.login("alice", token);
                    Path srpm = TinyPackages.srpm(tmp, names.get(i), "1.0", 4);
                    FastUpload.Result up = FastUpload.upload(k, srpm, FastUpload.uniqueDir("cli-build"), srpm.getFileName().toString(),
                            FastUpload.DEFAULT_BLOCK_SIZE);
                    builds.add(((Number) k.call("build", up.serverPath(), "alice/m", Map.of())).intValue());
                }
            }
            // the hub driving the builder of the first running build dies mid-build
            AtomicReference<String> victim = new AtomicReference<>();
            await("a build running", 60_000, () -> {
                var r = setup.db.queryOne("SELECT l.holder FROM tasks t JOIN hub_leases l ON l.name = 'host:' || t.host_id"
                        + " WHERE t.method = 'buildArch' AND t.state = 1 ORDER BY t.start_time LIMIT 1");
                r.ifPresent(row -> victim.set((String) row.get("holder")));
                return r.isPresent();
            });
            Thread.sleep(1500); // mid-build: rpmbuild is in its %build sleep
            int dead = victim.get().equals("hub-a") ? 0 : 1;
            int alive = 1 - dead;
            hubs.get(dead).destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, leases not released
            String base = "http://127.0.0.1:" + ports[alive];

            // the survivor answers throughout: health, API and results pages, polled while the builds finish
            AtomicInteger answered = new AtomicInteger();
            try (KojiClient k = client(ports[alive])) {
                await("every build closed", 180_000, () -> {
                    assertEquals(200, get(http, base + "/health"), "survivor /health");
                    assertEquals(200, get(http, base + "/results/"), "survivor results page");
                    answered.incrementAndGet();
                    for (int task : builds) {
                        Map<?, ?> t = (Map<?, ?>) k.call("getTaskInfo", task);
                        int state = ((Number) t.get("state")).intValue();
                        assertTrue(state <= 2, "build task " + task + " ended " + t);
                        if (state != 2) {
                            return false;
                        }
                    }
                    return true;
                });
            }
            assertTrue(answered.get() > 3, "the survivor was polled during the failover");
            for (String name : names) {
                assertEquals(1L, setup.db.scalar("SELECT count(*) FROM builds b JOIN packages p ON p.id = b.package_id WHERE p.name = ?",
                        name).orElseThrow(), name + " recorded once");
            }
            List<String> expected = new ArrayList<>();
            for (String name : names) {
                expected.add(name + "-1.0-1.fc40.noarch");
                expected.add(name + "-1.0-1.fc40.src");
            }
            java.util.Collections.sort(expected);
            AtomicReference<List<String>> pkgs = new AtomicReference<>(List.of());
            await("all RPMs published", 30_000, () -> {
                pkgs.set(new RepoReader(base).packages("alice/m", chroot));
                return pkgs.get().size() >= expected.size();
            });
            assertEquals(expected, pkgs.get(), "each RPM once in the repository");
            assertEquals(0L, setup.db.scalar("SELECT count(*) FROM tasks WHERE state IN (0, 1, 4)").orElseThrow(),
                    "no task left FREE, OPEN or ASSIGNED");
            String survivor = alive == 0 ? "hub-a" : "hub-b";
            assertEquals(2L, setup.db.scalar("SELECT count(*) FROM hub_leases WHERE name LIKE 'host:%' AND holder = ?"
                    + " AND expires > now()", survivor).orElseThrow(), "the survivor drives both builders");
            String survivorLog = Files.readString(logs[alive]);
            assertTrue(survivorLog.contains("was interrupted by a hub restart or failover"), "the interrupted run was re-queued");

            hubs.get(alive).destroy(); // SIGTERM: clean shutdown hands the leases over at once
            assertTrue(hubs.get(alive).waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "survivor stopped");
            assertEquals(0L, setup.db.scalar("SELECT count(*) FROM hub_leases WHERE holder = ? AND expires > now()", survivor)
                    .orElseThrow(), "a clean shutdown releases every lease");
        } catch (Exception | AssertionError e) {
            for (String name : List.of("hub-a.log", "hub-b.log")) {
                Path log = tmp.resolve(name);
                if (Files.exists(log)) {
                    System.out.println("==== " + name + "\n" + Files.readString(log));
                }
            }
            throw e;
        } finally {
            for (Process p : hubs) {
                p.destroyForcibly().waitFor();
            }
            sshA.close();
            sshB.close();
        }
    }

    private static KojiClient client(int port) {
        return new KojiClient(ClientSettings.defaults(URI.create("http://127.0.0.1:" + port + "/kojihub"))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30)));
    }
}
