package org.fedorabuild.hub.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.hub.testing.BuildHub;
import org.fedorabuild.hub.testing.TinyPackages;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unmodified upstream copr-cli (from {@code COPR_SRC}, run by {@code ../shared/copr-harness/copr-cli}) against a
 * live copr-hub that builds on this machine: create a project, build an SRPM by upload and by URL, watch them succeed,
 * download the results, list, cancel, delete a build and the project, refusals as one-line errors; and one model with
 * the Koji side (a copr-cli build is a Koji task tree, a Koji build is a Copr build).
 * Opt-in: {@code COPR_SRC=/tmp/copr-src ./mvnw -pl copr-hub -am -Pcopr-harness -Dtest=RealCoprCliTest
 * -Dsurefire.failIfNoSpecifiedTests=false verify}.
 */
@Tag("copr-harness")
@EnabledIfEnvironmentVariable(named = "COPR_SRC", matches = ".+")
class RealCoprCliTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    private Result copr(Path config, String... args) throws Exception {
        String harness = System.getenv().getOrDefault("COPR_HARNESS", "../../shared/copr-harness");
        List<String> cmd = new ArrayList<>(List.of(Path.of(harness, "copr-cli").toAbsolutePath().normalize().toString(),
                "--config", config.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().put("COPR_CLI_HOME", tmp.resolve("home").toString());
        pb.redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), "copr-cli " + String.join(" ", args) + " hung");
        return new Result(p.exitValue(), Files.readString(tmp.resolve("out.txt")), Files.readString(tmp.resolve("err.txt")));
    }

    private Path config(String url, String user, String token) throws Exception {
        return Files.writeString(tmp.resolve(user + ".conf"), "[copr-cli]\nlogin = " + user + "\nusername = " + user + "\ntoken = " + token
                + "\ncopr_url = " + url + "\nencrypted = False\ngssapi = False\n");
    }

    static boolean urlSources() {
        try {
            Class.forName("org.fedorabuild.hub.source.FetchTasks");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Test
    void aCoprUserWorksWithTheRealCoprCli() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String chroot = "fedora-40-" + BuildHub.arch();
        String ini = urlSources() ? "SourceURLAllowPrivate = yes\n" : "";
        try (BuildHub hub = BuildHub.start(PG.dataSource(), "127.0.0.1:" + port, tmp.resolve("data"), ini, 2)) {
            String url = hub.baseUrl();
            Path alice = config(url, "alice", hub.user("alice", false));
            Path bob = config(url, "bob", hub.user("bob", false));

            Result create = copr(alice, "create", "demo", "--chroot", chroot, "--description", "made by copr-cli");
            assertEquals(0, create.code(), create.err());
            assertEquals("New project was successfully created: " + url + "/coprs/alice/demo/", create.out().strip());
            Result dup = copr(alice, "create", "demo", "--chroot", chroot);
            assertEquals(1, dup.code());
            assertTrue(dup.err().contains("Error: name: alice already has a project named 'demo'."), dup.err());

            Path srpm = TinyPackages.srpm(tmp, "coprhello", "1.0", 0);
            Result up = copr(alice, "build", "demo", srpm.toString(), "--nowait");
            assertEquals(0, up.code(), up.err());
            String upId = up.out().replaceAll("(?s).*Created builds: (\\d+).*", "$1");
            List<String> watch = new ArrayList<>(List.of("watch-build", upId));
            if (urlSources()) {
                Path other = TinyPackages.srpm(tmp, "coprurl", "1.0", 0);
                HttpServer files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                files.createContext("/pkgs/", ex -> {
                    byte[] b = Files.readAllBytes(other);
                    ex.sendResponseHeaders(200, b.length);
                    ex.getResponseBody().write(b);
                    ex.close();
                });
                files.start();
                try {
                    Result byUrl = copr(alice, "build", "demo", "http://127.0.0.1:" + files.getAddress().getPort() + "/pkgs/"
                            + other.getFileName(), "--nowait");
                    assertEquals(0, byUrl.code(), byUrl.err());
                    watch.add(byUrl.out().replaceAll("(?s).*Created builds: (\\d+).*", "$1"));
                    Result w = copr(alice, watch.toArray(String[]::new));
                    assertEquals(0, w.code(), w.out() + w.err());
                } finally {
                    files.stop(0);
                }
            } else {
                Result w = copr(alice, watch.toArray(String[]::new));
                assertEquals(0, w.code(), w.out() + w.err());
            }
            for (String id : watch.subList(1, watch.size())) {
                assertEquals("succeeded", copr(alice, "status", id).out().strip(), "build " + id);
            }
            Result builds = copr(alice, "list-builds", "demo");
            assertTrue(builds.out().contains(upId + "\tcoprhello\tsucceeded"), builds.out());

            Result dl = copr(alice, "download-build", upId, "--dest", tmp.resolve("dl").toString());
            assertEquals(0, dl.code(), dl.err());
            Path got = tmp.resolve("dl").resolve(chroot);
            assertTrue(Files.size(got.resolve("coprhello-1.0-1.fc40.noarch.rpm")) > 0, dl.err());
            assertTrue(Files.exists(got.resolve("coprhello-1.0-1.fc40.src.rpm")) && Files.exists(got.resolve("build.log.gz")), dl.err());

            Result list = copr(alice, "list");
            assertTrue(list.out().contains("Name: demo") && list.out().contains("Description: made by copr-cli")
                    && list.out().contains(chroot + ": " + url + "/results/alice/demo/" + chroot + "/"), list.out());

            // one model: the Koji side shows the copr-cli build, and copr-cli shows a koji build
            KojiClient koji = hub.login("alice", Files.readString(alice).replaceAll("(?s).*token = (\\S+).*", "$1"));
            Map<?, ?> task = (Map<?, ?>) koji.call("getTaskInfo", Integer.parseInt(upId));
            assertEquals("build", task.get("method"));
            assertEquals(2, ((Number) task.get("state")).intValue());
            int kojiTask = hub.build(koji, TinyPackages.srpm(tmp, "kojimade", "1.0", 0), "alice/demo", Map.of());
            hub.await(koji, kojiTask, java.time.Duration.ofSeconds(120));
            assertEquals("succeeded", copr(alice, "status", Integer.toString(kojiTask)).out().strip());

            Result slow = copr(alice, "build", "demo", TinyPackages.srpm(tmp, "coprslow", "1.0", 120).toString(), "--nowait");
            String slowId = slow.out().replaceAll("(?s).*Created builds: (\\d+).*", "$1");
            Result forbidden = copr(bob, "cancel", slowId);
            assertEquals(7, forbidden.code(), forbidden.err());
            Result cancel = copr(alice, "cancel", slowId);
            assertEquals(0, cancel.code(), cancel.err());
            assertEquals("canceled", cancel.out().strip());
            assertEquals("canceled", copr(alice, "status", slowId).out().strip());
            Result again = copr(alice, "cancel", slowId);
            assertEquals(1, again.code());
            assertTrue(again.err().contains("Error: Cannot cancel build " + slowId), again.err());

            Result bobBuild = copr(bob, "build", "alice/demo", srpm.toString(), "--nowait");
            assertEquals(7, bobBuild.code());
            assertTrue(bobBuild.err().contains("Error: User 'bob' is not allowed to build in 'alice/demo'"), bobBuild.err());

            Result delBuild = copr(alice, "delete-build", upId);
            assertEquals(0, delBuild.code(), delBuild.err());
            assertEquals("Build(s) " + upId + " were deleted.", delBuild.out().strip());
            Result gone = copr(alice, "status", upId);
            assertEquals(1, gone.code());
            assertTrue(gone.err().contains("Error: Build " + upId + " does not exist."), gone.err());

            Result delete = copr(alice, "delete", "demo");
            assertEquals(0, delete.code(), delete.err());
            assertEquals("Project demo has been deleted.", delete.out().strip());
            Result empty = copr(alice, "list");
            assertTrue(empty.err().contains("No copr retrieved for user: 'alice'"), empty.out() + empty.err());
            assertEquals(404, hub.get("/results/alice/demo/" + chroot + "/").statusCode());
            System.out.println("RealCoprCliTest: URL builds " + (urlSources() ? "run" : "NOT run (no hub.source on this branch)"));
        }
    }
}
