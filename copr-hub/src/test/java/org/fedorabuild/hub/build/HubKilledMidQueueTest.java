package org.fedorabuild.hub.build;

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
import org.fedorabuild.compat.client.ClientSettings;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.upload.FastUpload;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.config.HubConfigLoader;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.namespace.CoprName;
import org.fedorabuild.hub.server.HubServices;
import org.fedorabuild.hub.testing.BuildHub;
import org.fedorabuild.hub.testing.TinyPackages;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code copr-hub serve --local-builder 1} in its own JVM, killed with SIGKILL while one build runs
 * and two wait, then started again on the same database and data directory: every build completes, and
 * each package is built into the repository exactly once.
 */
class HubKilledMidQueueTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    Path tmp;

    private Process serve(Path conf, Path data, int port, Path log) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "org.fedorabuild.hub.cli.CoprHubMain", "serve", "--config", conf.toString(),
                "--data", data.toString(), "--listen", "127.0.0.1:" + port, "--local-builder", "1")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static void awaitHealth(int port, Process p) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long end = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < end && p.isAlive()) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("hub on port " + port + " did not come up");
    }

    @Test
    void hubKilledAndRestartedMidQueueLosesNothingAndBuildsNothingTwice() throws Exception {
        String chroot = "fedora-40-" + BuildHub.arch();
        Path data = tmp.resolve("data");
        Path conf = tmp.resolve("copr-hub.conf");
        Files.writeString(conf, "[hub]\nDBUrl = " + PG.jdbcUrl() + "\nDBUser = " + PG.user() + "\nDBPass = " + PG.password()
                + "\nDBPoolSize = 4\nBootstrapAdmin =\nDispatchInterval = 0.2\nHostCheckInterval = 0.5\n");
        HubServices setup = new HubServices(new Db(PG.dataSource()), HubConfigLoader.load(conf, new HubConfigLoader.Overrides(null, data, null)));
        String token = setup.db.tx(() -> {
            int alice = setup.users.create("alice", Users.NORMAL);
            setup.projects.create(CoprName.parse("alice/q"), List.of(chroot), null);
            return setup.tokens.create(alice, null);
        });
        setup.close();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = tmp.resolve("hub.log");
        Process first = serve(conf, data, port, log);
        List<Integer> tasks = new ArrayList<>();
        KojiClient k = new KojiClient(ClientSettings.defaults(URI.create("http://127.0.0.1:" + port + "/kojihub"))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30)));
        try {
            awaitHealth(port, first);
            k.login("alice", token);
            for (String name : List.of("q-one", "q-two", "q-three")) {
                Path srpm = TinyPackages.srpm(tmp, name, "1.0", 4);
                FastUpload.Result up = FastUpload.upload(k, srpm, FastUpload.uniqueDir("cli-build"), srpm.getFileName().toString(),
                        FastUpload.DEFAULT_BLOCK_SIZE);
                tasks.add(((Number) k.call("build", up.serverPath(), "alice/q", Map.of())).intValue());
            }
            long end = System.currentTimeMillis() + 60_000;
            while (Files.readString(log).lines().noneMatch(l -> l.contains("assigned to local")) && System.currentTimeMillis() < end) {
                Thread.sleep(100);
            }
            Thread.sleep(1500); // mid-build: rpmbuild is in its %build sleep
        } finally {
            first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no cleanup
        }
        assertEquals(3L, setup.db.scalar("SELECT count(*) FROM tasks WHERE method = 'build' AND state = 1").orElseThrow(),
                "all three builds were in flight when the hub died");
        assertEquals(1L, setup.db.scalar("SELECT count(*) FROM tasks WHERE method = 'buildArch' AND state = 1").orElseThrow(),
                "one ran, the others were queued");

        Process second = serve(conf, data, port, log);
        try {
            awaitHealth(port, second);
            KojiClient k2 = new KojiClient(ClientSettings.defaults(URI.create("http://127.0.0.1:" + port + "/kojihub"))
                    .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30)));
            for (int task : tasks) {
                long end = System.currentTimeMillis() + 120_000;
                Map<?, ?> t;
                while (((Number) (t = (Map<?, ?>) k2.call("getTaskInfo", task)).get("state")).intValue() == 1
                        && System.currentTimeMillis() < end) {
                    Thread.sleep(200);
                }
                assertEquals(2L, t.get("state"), "build " + task + " completed after the restart");
            }
            for (String name : List.of("q-one", "q-two", "q-three")) {
                assertEquals(1L, setup.db.scalar("SELECT count(*) FROM builds b JOIN packages p ON p.id = b.package_id WHERE p.name = ?",
                        name).orElseThrow(), name + " recorded once");
            }
            List<String> pkgs = List.of();
            long end = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < end) {
                pkgs = repoPackages(port, "alice/q", chroot);
                if (pkgs.size() >= 6) {
                    break;
                }
                Thread.sleep(200);
            }
            assertEquals(List.of("q-one-1.0-1.fc40.noarch", "q-one-1.0-1.fc40.src", "q-three-1.0-1.fc40.noarch", "q-three-1.0-1.fc40.src",
                    "q-two-1.0-1.fc40.noarch", "q-two-1.0-1.fc40.src"), pkgs, "each package once in the repository");
            assertTrue(Files.readString(log).contains("re-queued: its run on local was interrupted by a hub restart"));
            k2.close();
        } finally {
            second.destroy();
            second.waitFor();
        }
    }

    /** primary.xml of the chroot repo as a dnf client fetches it. */
    private static List<String> repoPackages(int port, String project, String chroot) throws Exception {
        return new org.fedorabuild.hub.testing.RepoReader("http://127.0.0.1:" + port).packages(project, chroot);
    }
}
