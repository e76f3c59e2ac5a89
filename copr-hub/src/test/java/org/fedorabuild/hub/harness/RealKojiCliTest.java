package org.fedorabuild.hub.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedorabuild.hub.testing.BuildHub;
import org.fedorabuild.hub.testing.TinyPackages;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unmodified upstream koji CLI (from {@code KOJI_SRC}, run by {@code ../shared/koji-harness/koji-cli})
 * against copr-hub, as a packager uses it: anonymous reads, token login, {@code koji build} of an SRPM
 * (upload, wait for the task tree), watch-logs, taskinfo, buildinfo, download-build and cancel.
 * Opt-in: {@code KOJI_SRC=/path/to/koji ./mvnw -pl copr-hub -Pkoji-harness verify}.
 */
@Tag("koji-harness")
@EnabledIfEnvironmentVariable(named = "KOJI_SRC", matches = ".+")
class RealKojiCliTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");

    @TempDir
    Path tmp;

    record Result(int code, String out) {
    }

    private Result koji(BuildHub hub, String token, String... args) throws IOException, InterruptedException {
        String harness = System.getenv().getOrDefault("KOJI_HARNESS", "../../shared/koji-harness");
        List<String> cmd = new ArrayList<>(List.of(Path.of(harness, "koji-cli").toAbsolutePath().normalize().toString(),
                "--server", hub.baseUrl() + "/kojihub", "--topurl", hub.baseUrl() + "/kojifiles"));
        if (token == null) {
            cmd.add("--noauth");
        } else {
            cmd.addAll(List.of("--authtype", "password", "--user", "alice", "--password", token));
        }
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "koji " + String.join(" ", args) + " hung");
        return new Result(p.exitValue(), out);
    }

    @Test
    void aPackagerBuildsWithTheRealKojiCli() throws Exception {
        try (BuildHub hub = BuildHub.start(PG.dataSource(), tmp.resolve("data"), "", 2)) {
            String token = hub.user("alice", false);
            hub.project("alice/hello", "fedora-40-" + BuildHub.arch());
            Result hello = koji(hub, token, "hello");
            assertEquals(0, hello.code(), hello.out());
            assertTrue(hello.out().contains("alice") && hello.out().contains("Authenticated via password"), hello.out());
            Result targets = koji(hub, null, "list-targets");
            assertTrue(targets.out().contains("alice/hello/fedora-40-" + BuildHub.arch()), targets.out());

            Path srpm = TinyPackages.srpm(tmp, "clihello", "1.0", 0);
            Result build = koji(hub, token, "build", "--wait", "alice/hello", srpm.toString());
            assertEquals(0, build.code(), build.out());
            // without a terminal the CLI would not wait on its own, hence --wait
            assertTrue(build.out().contains("completed successfully"), build.out());
            String nvr = "clihello-1.0-1.fc40";
            Result info = koji(hub, null, "buildinfo", nvr);
            assertEquals(0, info.code(), info.out());
            assertTrue(info.out().contains("State: COMPLETE") && info.out().contains(nvr + ".noarch.rpm"), info.out());
            Result download = koji(hub, null, "download-build", "--arch", "noarch", nvr);
            assertEquals(0, download.code(), download.out());
            assertTrue(Files.size(tmp.resolve(nvr + ".noarch.rpm")) > 0);
            int task = Integer.parseInt(build.out().replaceAll("(?s).*Created task: (\\d+).*", "$1"));
            Result logs = koji(hub, null, "watch-logs", Integer.toString(task + 1));
            assertTrue(logs.out().contains("copr-hub: building"), logs.out());
            Result taskinfo = koji(hub, null, "taskinfo", "-r", Integer.toString(task));
            assertTrue(taskinfo.out().contains("State: closed") && taskinfo.out().contains("buildArch"), taskinfo.out());

            Path slow = TinyPackages.srpm(tmp, "clislow", "1.0", 120);
            Result bg = koji(hub, token, "build", "--nowait", "alice/hello", slow.toString());
            int slowTask = Integer.parseInt(bg.out().replaceAll("(?s).*Created task: (\\d+).*", "$1"));
            Result cancel = koji(hub, token, "cancel", Integer.toString(slowTask));
            assertEquals(0, cancel.code(), cancel.out());
            Result after = koji(hub, null, "taskinfo", Integer.toString(slowTask));
            assertTrue(after.out().contains("State: canceled"), after.out());
        }
    }

    /** A git+file:// package repository with one tiny spec; returns its SCM URL pinned to the commit. */
    private String gitPackage(String name, List<String> buildRequires) throws IOException, InterruptedException {
        Path repo = tmp.resolve("git/rpms/" + name + ".git");
        Files.createDirectories(repo);
        Files.writeString(repo.resolve(name + ".spec"), TinyPackages.spec(name, "1.0", 0, buildRequires, List.of()));
        TinyPackages.git(repo, "init", "-q");
        TinyPackages.git(repo, "add", ".");
        TinyPackages.git(repo, "commit", "-q", "-m", name);
        return "git+file://" + repo + "?#" + TinyPackages.git(repo, "rev-parse", "HEAD");
    }

    @Test
    void aPackagerChainBuildsTwoLevelsWithTheRealKojiCli() throws Exception {
        try (BuildHub hub = BuildHub.start(PG.dataSource(), tmp.resolve("data"), "", 2)) {
            String token = hub.user("alice", false);
            hub.project("alice/chain", "fedora-40-" + BuildHub.arch());
            String dep = gitPackage("clichain-dep", List.of());
            String top = gitPackage("clichain-top", List.of("clichain-dep >= 1.0"));
            // the CLI checks getFullInheritance(build_tag) holds the dest tag, then chainBuild([[dep], [top]], target)
            Result chain = koji(hub, token, "chain-build", "--wait", "alice/chain", dep, ":", top);
            assertEquals(0, chain.code(), chain.out());
            assertTrue(chain.out().contains("completed successfully"), chain.out());
            int task = Integer.parseInt(chain.out().replaceAll("(?s).*Created task: (\\d+).*", "$1"));
            Result taskinfo = koji(hub, null, "taskinfo", "-r", Integer.toString(task));
            assertTrue(taskinfo.out().contains("Type: chainbuild") && taskinfo.out().contains("State: closed"), taskinfo.out());
            for (String nvr : List.of("clichain-dep-1.0-1.fc40", "clichain-top-1.0-1.fc40")) {
                Result info = koji(hub, null, "buildinfo", nvr);
                assertEquals(0, info.code(), info.out());
                assertTrue(info.out().contains("State: COMPLETE"), info.out());
            }
        }
    }

    /** A token made on the web's /api/ page works for the real CLI, which also builds from an SRPM URL; revoked, it stops. */
    @Test
    void aWebTokenAndAnSrpmUrlWorkWithTheRealKojiCli() throws Exception {
        Path www = java.nio.file.Files.createDirectories(tmp.resolve("www"));
        Path srpm = TinyPackages.srpm(tmp, "urlhello", "1.0", 0);
        java.nio.file.Files.copy(srpm, www.resolve(srpm.getFileName()));
        try (BuildHub hub = BuildHub.start(PG.dataSource(), tmp.resolve("data2"), "SourceURLAllowPrivate = yes\n", 2);
                org.fedorabuild.hub.testing.FileServer files = new org.fedorabuild.hub.testing.FileServer(www);
                org.fedorabuild.hub.testing.WebClient web = new org.fedorabuild.hub.testing.WebClient(hub.baseUrl())) {
            hub.user("alice", false);
            hub.hub.services.db.tx(() -> {
                hub.hub.services.accounts.passwords.set((Integer) hub.hub.services.users.byName("alice").orElseThrow().get("id"),
                        "alice web password");
                return null;
            });
            hub.project("alice/urls", "fedora-40-" + BuildHub.arch());
            assertEquals(303, web.signIn("alice", "alice web password").statusCode());
            String page = web.post("/api/", java.util.Map.of("csrf_token", web.formToken("/api/"), "action", "create", "name", "cli",
                    "days", "1")).body();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("id=\"token\" readonly value=\"(coprhub-[A-Za-z0-9]+)\"").matcher(page);
            assertTrue(m.find(), page);
            String token = m.group(1);
            Result hello = koji(hub, token, "hello");
            assertEquals(0, hello.code(), hello.out());
            Result build = koji(hub, token, "build", "--wait", "alice/urls", files.url(srpm.getFileName().toString()));
            assertEquals(0, build.code(), build.out());
            assertTrue(build.out().contains("completed successfully"), build.out());
            String id = page.replaceAll("(?s).*?name=\"id\" value=\"(\\d+)\".*", "$1");
            assertEquals(303, web.post("/api/", java.util.Map.of("csrf_token", web.formToken("/api/"), "action", "revoke", "id", id))
                    .statusCode());
            Result refused = koji(hub, token, "hello");
            assertTrue(refused.code() != 0, refused.out());
        }
    }
}
