package org.fedorabuild.hub.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.hub.cli.CoprHubMain;
import org.fedorabuild.hub.testing.RepoReader;
import org.fedorabuild.hub.testing.TestHub;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention on a seeded history, real files, real createrepo_c and a real hub serving the results: the
 * policy keeps exactly what it says per package per chroot (a project override honoured, guarded builds
 * kept), --dry-run changes nothing, a prune interrupted after its database phase is finished by the next,
 * and the repository served at /results/OWNER/PROJECT/CHROOT/ lists exactly the kept RPMs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PruneTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    static Path tmp;
    static Hub hub;
    static History h;
    static Path config;
    static final String RETENTION = "[retention]\nkeep_builds = 2\nfailed_days = 30\nscratch_days = 7\nlogs = compress\n";
    static final Duration DAY = Duration.ofDays(1);
    static final Map<String, Integer> ids = new java.util.HashMap<>();

    @BeforeAll
    static void seed() throws Exception {
        // a hub without the dispatcher and chain driver, so the seeded running tasks and chains stay as seeded
        hub = new Hub(TestHub.start(PG.dataSource(), "DataDir = " + tmp.resolve("data") + "\n" + RETENTION));
        hub.hub.services.db.tx(() -> hub.hub.services.users.create("alice", org.fedorabuild.hub.auth.Users.NORMAL));
        config = Files.writeString(tmp.resolve("hub.conf"), "[hub]\nDBUser = " + PG.user() + "\nDBPass = " + PG.password()
                + "\nDataDir = " + tmp.resolve("data") + "\n" + RETENTION);
        h = new History(hub.hub.services, tmp);
        for (String p : List.of("alice/hello", "alice/keep3", "alice/guarded", "alice/chained")) {
            h.project(p);
        }
        // alice/hello: completion order differs from id and version order; the two most recently completed stay
        ids.put("hello-a1", h.build("alice/hello", "tiny-a", "1.1", DAY.multipliedBy(1), 2));
        ids.put("hello-a2", h.build("alice/hello", "tiny-a", "1.2", DAY.multipliedBy(4), 2));
        ids.put("hello-a3", h.build("alice/hello", "tiny-a", "1.3", DAY.multipliedBy(3), 2));
        ids.put("hello-a4", h.build("alice/hello", "tiny-a", "1.4", DAY.multipliedBy(2), 2));
        ids.put("hello-b1", h.build("alice/hello", "tiny-b", "2.1", DAY.multipliedBy(5), 2));
        ids.put("hello-b2", h.build("alice/hello", "tiny-b", "2.2", DAY.multipliedBy(6), 2));
        ids.put("failed-old", h.task("alice/hello", "tiny-f-1.0-1", 5, DAY.multipliedBy(40), false));
        ids.put("failed-new", h.task("alice/hello", "tiny-g-1.0-1", 5, DAY.multipliedBy(10), false));
        ids.put("scratch-old", h.task("alice/hello", "tiny-s-1.0-1", 2, DAY.multipliedBy(10), true));
        ids.put("scratch-new", h.task("alice/hello", "tiny-t-1.0-1", 2, DAY.multipliedBy(1), true));
        for (String p : List.of("alice/keep3", "alice/guarded", "alice/chained")) {
            for (int v = 1; v <= 4; v++) {
                // the oldest build of alice/guarded belongs to a build task still running
                int parentState = p.equals("alice/guarded") && v == 1 ? 1 : 2;
                ids.put(p + "-a" + v, h.build(p, "tiny-a", "1." + v, DAY.multipliedBy(5 - v), parentState));
            }
        }
        hub.hub.services.db.tx(() -> {
            hub.hub.services.retention.projects.set(hub.hub.services.projects.find(
                    org.fedorabuild.hub.namespace.CoprName.parse("alice/keep3")).orElseThrow().id(), "keep_builds", "3");
            return null;
        });
        activeChain("alice/chained");
        for (String p : List.of("alice/hello", "alice/keep3", "alice/guarded", "alice/chained")) {
            h.publish(p);
        }
    }

    /** A BUILDING chain in the project (migration 003's tables), which protects its builds. */
    static void activeChain(String project) {
        var s = hub.hub.services;
        s.db.tx(() -> {
            int projectId = s.projects.find(org.fedorabuild.hub.namespace.CoprName.parse(project)).orElseThrow().id();
            int owner = h.owner(project);
            int task = s.db.insert("INSERT INTO tasks (state, channel_id, owner, method, request, project_id) VALUES (1, 1, ?,"
                    + " 'chainbuild', '<x/>', ?) RETURNING id", owner, projectId);
            s.db.update("INSERT INTO chains (task_id, project_id, owner_id, target, build_tag, ordered, cycles, cycle_attempts, opts,"
                    + " state) VALUES (?, ?, ?, ?, ?, true, 'fail', 1, '', 'BUILDING')", task, projectId, owner, project, h.chrootTag(project));
            return null;
        });
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    /** The test hub with HTTP helpers. */
    record Hub(TestHub hub) {
        java.net.http.HttpResponse<byte[]> get(String path) throws Exception {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + hub.server.port() + path)).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        }

        List<String> repoPackages(String project, String chroot) throws Exception {
            return new RepoReader("http://127.0.0.1:" + hub.server.port()).packages(project, chroot);
        }

        void close() {
            hub.close();
        }
    }

    record Run(int code, List<String> out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CoprHubMain.newCommandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(code, out.toString().lines().toList(), err.toString());
    }

    /** "NVR PROJECT CHROOT" of each build line, sorted. */
    static TreeSet<String> removed(Run r, String verb) {
        TreeSet<String> s = new TreeSet<>();
        for (String l : r.out()) {
            if (l.startsWith(verb + " ")) {
                String[] f = l.substring(verb.length()).strip().split("\\s+");
                s.add(f[0] + " " + f[1] + " " + f[2]);
            }
        }
        return s;
    }

    static final TreeSet<String> EXPECTED = new TreeSet<>(List.of(
            "tiny-a-1.2-1.fc40 alice/hello fedora-40-x86_64",
            "tiny-a-1.3-1.fc40 alice/hello fedora-40-x86_64",
            "tiny-a-1.1-1.fc40 alice/keep3 fedora-40-x86_64",
            "tiny-a-1.2-1.fc40 alice/guarded fedora-40-x86_64",
            "tiny-f-1.0-1 alice/hello fedora-40-x86_64",
            "tiny-s-1.0-1 alice/hello fedora-40-x86_64"));

    int state(String key) {
        return (Integer) hub.hub.services.db.scalar("SELECT state FROM builds WHERE id = ?", ids.get(key)).orElseThrow();
    }

    Path buildDir(String key) {
        return hub.hub.services.results.storageRoot().resolve((String) hub.hub.services.db.scalar(
                "SELECT dir FROM build_results br JOIN builds b ON b.arch_task_id = br.task_id WHERE b.id = ?", ids.get(key)).orElseThrow());
    }

    @Test
    @Order(1)
    void dryRunListsExactlyWhatThePolicyRemovesAndChangesNothing() throws Exception {
        List<String> before = hub.repoPackages("alice/hello", History.CHROOT);
        Run r = cli("prune", "--dry-run", "--config", config.toString(), "--db-url", PG.jdbcUrl());
        assertEquals(0, r.code(), r.err());
        assertEquals(EXPECTED, removed(r, "would remove"), String.join("\n", r.out()));
        assertTrue(r.out().get(r.out().size() - 1).matches("total: 6 build\\(s\\), .* would be freed \\(dry run: nothing changed\\)"),
                r.out().toString());
        assertEquals(1, state("hello-a2"));
        assertTrue(Files.isDirectory(buildDir("hello-a2")));
        assertEquals(0L, hub.hub.services.db.scalar("SELECT count(*) FROM prune_journal").orElseThrow());
        assertEquals(before, hub.repoPackages("alice/hello", History.CHROOT));
        // the same options in another order
        Run again = cli("prune", "--db-url", PG.jdbcUrl(), "--dry-run", "--config", config.toString());
        assertEquals(EXPECTED, removed(again, "would remove"));
    }

    @Test
    @Order(2)
    void pruneInterruptedAfterItsDatabasePhaseIsFinishedByTheNext() throws Exception {
        Pruner pruner = hub.hub.services.retention.pruner;
        pruner.afterMark(() -> {
            throw new IllegalStateException("simulated crash after the database phase");
        });
        try {
            assertThrows(IllegalStateException.class, () -> hub.hub.services.retention.runOnce(false));
        } finally {
            pruner.afterMark(() -> { });
        }
        // marked: DELETED for Koji clients and untagged, but the files are still there and the journal pending
        assertEquals(2, state("hello-a2"));
        assertTrue(Files.isDirectory(buildDir("hello-a2")));
        assertEquals(6L, hub.hub.services.db.scalar("SELECT count(*) FROM prune_journal WHERE finish_time IS NULL").orElseThrow(),
                () -> hub.hub.services.db.query("SELECT * FROM prune_journal").toString());
        try (KojiClient k = hub.hub.client()) {
            assertEquals(2L, ((Map<?, ?>) k.call("getBuild", ids.get("hello-a2"))).get("state"), "buildinfo shows DELETED");
            List<?> tagged = (List<?>) k.call("listTagged", "alice/hello/" + History.CHROOT);
            assertFalse(tagged.stream().anyMatch(b -> ((Map<?, ?>) b).get("id").equals(ids.get("hello-a2"))), tagged.toString());
        }

        Run r = cli("prune", "--config", config.toString(), "--db-url", PG.jdbcUrl());
        assertEquals(0, r.code(), r.err());
        assertEquals(EXPECTED, removed(r, "removed"), String.join("\n", r.out()));
        assertEquals(0L, hub.hub.services.db.scalar("SELECT count(*) FROM prune_journal WHERE finish_time IS NULL").orElseThrow());

        // kept exactly what the policy says
        for (String k : List.of("hello-a1", "hello-a4", "hello-b1", "hello-b2", "alice/keep3-a2", "alice/keep3-a3", "alice/keep3-a4",
                "alice/guarded-a1", "alice/guarded-a3", "alice/guarded-a4", "alice/chained-a1", "alice/chained-a2")) {
            assertEquals(1, state(k), k);
            assertTrue(Files.isDirectory(buildDir(k)), k);
        }
        for (String k : List.of("hello-a2", "hello-a3", "alice/keep3-a1", "alice/guarded-a2")) {
            assertEquals(2, state(k), k);
            assertFalse(Files.exists(buildDir(k)), k);
        }
        // the repository lists exactly the kept RPMs, over HTTP, and pruned files are not served
        assertEquals(List.of("tiny-a-1.1-1.fc40.noarch", "tiny-a-1.1-1.fc40.src", "tiny-a-1.4-1.fc40.noarch", "tiny-a-1.4-1.fc40.src",
                "tiny-b-2.1-1.fc40.noarch", "tiny-b-2.1-1.fc40.src", "tiny-b-2.2-1.fc40.noarch", "tiny-b-2.2-1.fc40.src"),
                hub.repoPackages("alice/hello", History.CHROOT));
        assertEquals(List.of("tiny-a-1.2-1.fc40.noarch", "tiny-a-1.2-1.fc40.src", "tiny-a-1.3-1.fc40.noarch", "tiny-a-1.3-1.fc40.src",
                "tiny-a-1.4-1.fc40.noarch", "tiny-a-1.4-1.fc40.src"), hub.repoPackages("alice/keep3", History.CHROOT));
        String rel = hub.hub.services.results.storageRoot().relativize(buildDir("hello-a2")).toString();
        assertEquals(404, hub.get("/results/" + rel + "/tiny-a-1.2-1.fc40.noarch.rpm").statusCode());
        // (tiny-a-1.4-1.fc40 is in two projects: download-build's path names the project as its volume)
        assertEquals(200, hub.get("/kojifiles/vol/alice/hello/packages/tiny-a/1.4/1.fc40/noarch/tiny-a-1.4-1.fc40.noarch.rpm")
                .statusCode());
        // task outputs: RPMs gone, logs compressed; failed and scratch tasks inside their age limits untouched
        Path a2Task = hub.hub.services.outputs.dir((Integer) hub.hub.services.db.scalar("SELECT arch_task_id FROM builds WHERE id = ?",
                ids.get("hello-a2")).orElseThrow());
        assertTrue(Files.exists(a2Task.resolve("build.log.gz")) && !Files.exists(a2Task.resolve("build.log")));
        try (var files = Files.list(a2Task)) {
            assertFalse(files.anyMatch(f -> f.toString().endsWith(".rpm")));
        }
        assertTrue(Files.exists(hub.hub.services.outputs.dir(ids.get("failed-old")).resolve("build.log.gz")));
        assertTrue(Files.exists(hub.hub.services.outputs.dir(ids.get("failed-new")).resolve("build.log")));
        assertFalse(Files.exists(hub.hub.services.outputs.dir(ids.get("scratch-old")).resolve("tiny-s-1.0-1.noarch.rpm")));
        assertTrue(Files.exists(hub.hub.services.outputs.dir(ids.get("scratch-new")).resolve("tiny-t-1.0-1.noarch.rpm")));
        // a READY repo was recorded for wait-repo
        try (KojiClient k = hub.hub.client()) {
            assertEquals(1L, ((Map<?, ?>) k.call("getRepo", "alice/hello/" + History.CHROOT)).get("state"));
        }
    }

    @Test
    @Order(3)
    void aSecondPruneFindsNothing() {
        Run r = cli("prune", "--config", config.toString(), "--db-url", PG.jdbcUrl());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(), new ArrayList<>(removed(r, "removed")));
        assertTrue(r.out().get(r.out().size() - 1).startsWith("total: 0 build(s), 0 B freed"), r.out().toString());
    }

    @Test
    @Order(4)
    void projectSetShowAndMetrics() throws Exception {
        Run set = cli("project", "set", "alice/hello", "keep_builds=5", "logs=remove", "--config", config.toString(), "--db-url",
                PG.jdbcUrl());
        assertEquals(0, set.code(), set.err());
        Run bad = cli("project", "set", "--config", config.toString(), "alice/hello", "schedule=x", "--db-url", PG.jdbcUrl());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("unknown project retention key: schedule"), bad.err());
        Run show = cli("project", "show", "alice/hello", "--db-url", PG.jdbcUrl(), "--config", config.toString());
        assertEquals(0, show.code(), show.err());
        String text = String.join("\n", show.out());
        assertTrue(text.contains("keep_builds = 5 *") && text.contains("failed_days = 30\n") && text.contains("logs = remove *"), text);
        assertTrue(text.contains("fedora-40-x86_64: 4 complete, 2 deleted"), text);
        assertTrue(text.matches("(?s).*\\n  fedora-40-x86_64  [0-9.]+ KiB \\(\\d+ bytes\\)\\n  total  .*"), text);
        String metrics = new String(hub.get("/metrics").body());
        assertTrue(metrics.contains("copr_hub_project_disk_bytes{project=\"alice/hello\"}"), metrics);
        assertTrue(metrics.contains("copr_hub_pruned_builds_total{kind=\"build\"}"), metrics);
    }

    @Test
    @Order(5)
    void idleScaleupBuilderIsDisabledAndHandedToTheHookOnce() throws Exception {
        Path calls = tmp.resolve("hook-calls");
        Path hook = Files.writeString(tmp.resolve("hook.sh"), "#!/bin/sh\necho \"$1 $KOJI_HOST\" >> " + calls + "\n");
        hook.toFile().setExecutable(true);
        var cfg = org.fedorabuild.hub.config.HubConfigLoader.parse("t.conf", "[hub]\nDataDir = " + tmp.resolve("data")
                + "\n[retention]\nidle_builder_hours = 1\ndecommission_hook = " + hook + " {host}\n",
                org.fedorabuild.hub.config.HubConfigLoader.Overrides.NONE);
        var s = hub.hub.services;
        s.db.tx(() -> {
            for (String[] h : new String[][] {{"idle-1", "true", "3"}, {"fresh-1", "true", "0"}, {"busy-1", "true", "3"},
                    {"fixed-1", "false", "3"}}) {
                int user = s.db.insert("INSERT INTO users (name, usertype) VALUES (?, 1) RETURNING id", h[0]);
                int host = s.db.insert("INSERT INTO hosts (user_id, name, arches, scaleup, scaleup_time) VALUES (?, ?, 'x86_64', ?,"
                        + " now() - make_interval(hours => ?)) RETURNING id", user, h[0], Boolean.parseBoolean(h[1]), Integer.parseInt(h[2]));
                if (h[0].equals("busy-1")) {
                    s.db.insert("INSERT INTO tasks (state, channel_id, owner, method, request, host_id) VALUES (1, 1, ?, 'buildArch',"
                            + " '<x/>', ?) RETURNING id", user, host);
                }
            }
            return null;
        });
        ScaleupReaper reaper = new ScaleupReaper(s.db, cfg.retention());
        assertEquals(List.of("would retire builder idle-1"), reaper.run(true).stream().map(l -> l.replaceAll(" \\(.*", "")).toList());
        assertFalse(Files.exists(calls), "dry run calls nothing");
        List<String> lines = reaper.run(false);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("retired builder idle-1: ok: hook"), lines.toString());
        assertEquals(List.of(), reaper.run(false), "retired once");
        assertEquals(List.of("idle-1 idle-1"), Files.readAllLines(calls));
        var host = s.db.queryOne("SELECT enabled, comment FROM hosts WHERE name = 'idle-1'").orElseThrow();
        assertEquals(false, host.get("enabled"));
        assertTrue(((String) host.get("comment")).startsWith(ScaleupReaper.COMMENT), host.toString());
        assertEquals(3L, s.db.scalar("SELECT count(*) FROM hosts WHERE enabled AND name IN ('fresh-1', 'busy-1', 'fixed-1')").orElseThrow());
    }

    @Test
    @Order(6)
    void pruneProcessKilledAfterItsDatabasePhaseIsFinishedByTheNext() throws Exception {
        h.project("alice/killed");
        int old = h.build("alice/killed", "tiny-a", "1.1", DAY.multipliedBy(3), 2);
        h.build("alice/killed", "tiny-a", "1.2", DAY.multipliedBy(2), 2);
        h.build("alice/killed", "tiny-a", "1.3", DAY.multipliedBy(1), 2);
        h.publish("alice/killed");
        ids.put("killed-a1", old);
        // a real `copr-hub prune` process, halted (as kill -9 would) right after its database phase
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + "copr-hub.prune.haltAfterMark=true", "-cp", System.getProperty("java.class.path"),
                CoprHubMain.class.getName(), "prune", "--db-url", PG.jdbcUrl(), "--config", config.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(137, p.waitFor(), output);
        assertEquals(2, state("killed-a1"));
        assertTrue(Files.isDirectory(buildDir("killed-a1")), "files are removed only after the database phase");
        assertEquals(1L, hub.hub.services.db.scalar("SELECT count(*) FROM prune_journal WHERE finish_time IS NULL").orElseThrow());

        Run r = cli("prune", "--config", config.toString(), "--db-url", PG.jdbcUrl());
        assertEquals(new TreeSet<>(List.of("tiny-a-1.1-1.fc40 alice/killed fedora-40-x86_64")), removed(r, "removed"), r.out().toString());
        assertFalse(Files.exists(buildDir("killed-a1")));
        assertEquals(0L, hub.hub.services.db.scalar("SELECT count(*) FROM prune_journal WHERE finish_time IS NULL").orElseThrow());
        assertEquals(List.of("tiny-a-1.2-1.fc40.noarch", "tiny-a-1.2-1.fc40.src", "tiny-a-1.3-1.fc40.noarch", "tiny-a-1.3-1.fc40.src"),
                hub.repoPackages("alice/killed", History.CHROOT));
    }

    @Test
    @Order(7)
    void theScheduledJobRunsThePruneOnItsCronSchedule() throws Exception {
        var cfg = org.fedorabuild.hub.config.HubConfigLoader.parse("t.conf", "[hub]\nDataDir = " + tmp.resolve("data")
                + "\n" + RETENTION + "schedule = * * * * * ?\n", org.fedorabuild.hub.config.HubConfigLoader.Overrides.NONE);
        var s = hub.hub.services;
        Retention r = new Retention(s.db, cfg, s.outputs, s.publisher);
        try {
            r.start();
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!r.metrics.text().contains("copr_hub_prunes_total{outcome=\"ok\"} 1") && System.nanoTime() < end) {
                Thread.sleep(100);
            }
            assertTrue(r.metrics.text().contains("copr_hub_prunes_total{outcome=\"ok\"} 1"), r.metrics.text());
        } finally {
            r.close();
        }
    }
}
