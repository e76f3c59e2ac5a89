package org.fedorabuild.hub.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.hub.cli.CoprHubMain;
import org.fedorabuild.hub.namespace.CoprName;
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
 * {@code copr-hub project delete} and {@code coprDeleteProject} on seeded builds with real files, a real
 * repository and a real hub serving them: the dry run changes nothing, a non-admin is refused, a deletion
 * removes the files (404 over HTTP), marks the builds DELETED, hides tags and targets, cancels the
 * project's tasks and makes build() name the deleted project; an active chain needs --force; a deletion
 * interrupted after its database phase is finished by the next prune; the name can be created again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProjectDeleteTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    static Path tmp;
    static PruneTest.Hub hub;
    static History h;
    static Path config;
    static String aliceToken;
    static String bobToken;
    static int goneBuild;
    static int openTask;
    static final Duration DAY = Duration.ofDays(1);
    static final String CHROOT = History.CHROOT;

    @BeforeAll
    static void seed() throws Exception {
        hub = new PruneTest.Hub(TestHub.start(PG.dataSource(), "DataDir = " + tmp.resolve("data") + "\n"));
        hub.hub().services.db.tx(() -> hub.hub().services.users.create("alice", org.fedorabuild.hub.auth.Users.NORMAL));
        config = Files.writeString(tmp.resolve("hub.conf"), "[hub]\nDBUser = " + PG.user() + "\nDBPass = " + PG.password()
                + "\nDataDir = " + tmp.resolve("data") + "\n");
        assertEquals(0, cli("user", "add", "bob").code());
        aliceToken = lastWord(cli("token", "new", "alice"));
        bobToken = lastWord(cli("token", "new", "bob"));
        h = new History(hub.hub().services, tmp);
        for (String p : List.of("alice/gone", "alice/keep", "alice/chained", "alice/crash")) {
            h.project(p);
            h.build(p, "tiny-a", "1.1", DAY.multipliedBy(2), 2);
        }
        goneBuild = h.build("alice/gone", "tiny-a", "1.2", DAY, 2);
        h.build("alice/crash", "tiny-a", "1.2", DAY, 2);
        openTask = h.task("alice/gone", "tiny-q-1.0-1", 1, Duration.ZERO, false); // a running buildArch under an OPEN build
        activeChain("alice/chained");
        for (String p : List.of("alice/gone", "alice/keep", "alice/chained", "alice/crash")) {
            h.publish(p);
        }
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    /** A BUILDING chain in the project (as PruneTest seeds one). */
    static void activeChain(String project) {
        var s = hub.hub().services;
        s.db.tx(() -> {
            int projectId = s.projects.find(CoprName.parse(project)).orElseThrow().id();
            int owner = h.owner(project);
            int task = s.db.insert("INSERT INTO tasks (state, channel_id, owner, method, request, project_id) VALUES (1, 1, ?,"
                    + " 'chainbuild', '<x/>', ?) RETURNING id", owner, projectId);
            s.db.update("INSERT INTO chains (task_id, project_id, owner_id, target, build_tag, ordered, cycles, cycle_attempts, opts,"
                    + " state) VALUES (?, ?, ?, ?, ?, true, 'fail', 1, '', 'BUILDING')", task, projectId, owner, project, h.chrootTag(project));
            return null;
        });
    }

    record Run(int code, List<String> out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--config", config.toString(), "--db-url", PG.jdbcUrl())).toArray(String[]::new);
        int code = CoprHubMain.newCommandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(all);
        return new Run(code, out.toString().lines().toList(), err.toString());
    }

    static String lastWord(Run r) {
        assertEquals(0, r.code(), r.err());
        String[] w = r.out().get(r.out().size() - 1).split("\\s+");
        return w[w.length - 1];
    }

    static KojiClient login(String user, String token) throws Exception {
        KojiClient k = hub.hub().client();
        k.login(user, token);
        return k;
    }

    Path projectDir(String p) {
        return hub.hub().services.results.storageRoot().resolve(p);
    }

    int buildState(int id) {
        return (Integer) hub.hub().services.db.scalar("SELECT state FROM builds WHERE id = ?", id).orElseThrow();
    }

    static List<String> targetNames(KojiClient k) throws Exception {
        return ((List<?>) k.call("getBuildTargets", (Object) null)).stream().map(t -> (String) ((Map<?, ?>) t).get("name")).toList();
    }

    @Test
    @Order(1)
    void withoutYesPrintsWhatWouldGoAndChangesNothing() throws Exception {
        Run r = cli("project", "delete", "alice/gone");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().get(0).matches("would delete alice/gone: 2 build\\(s\\), chroots fedora-40-x86_64, [0-9.]+ KiB \\(\\d+ bytes\\)"),
                r.out().toString());
        assertTrue(r.err().contains("nothing deleted: add --yes"), r.err());
        assertTrue(Files.isDirectory(projectDir("alice/gone").resolve(CHROOT)));
        assertEquals(1, buildState(goneBuild));
        assertEquals(0L, hub.hub().services.db.scalar("SELECT count(*) FROM prune_journal").orElseThrow());
        assertEquals(200, hub.get("/results/alice/gone/" + CHROOT + "/repodata/repomd.xml").statusCode());
        assertEquals(1, cli("project", "delete", "alice/nope", "--yes").code());
    }

    @Test
    @Order(2)
    void aNonAdminCannotDeleteThroughTheHubCall() throws Exception {
        try (KojiClient bob = login("bob", bobToken)) {
            Exception e = assertThrows(Exception.class, () -> bob.call("coprDeleteProject", "alice/gone"));
            assertTrue(e.getMessage().contains("admin permission required in project alice/gone"), e.getMessage());
        }
        try (KojiClient anon = hub.hub().client()) {
            assertThrows(Exception.class, () -> anon.call("coprDeleteProject", "alice/gone"));
        }
        assertEquals(1, buildState(goneBuild));
        assertTrue(Files.isDirectory(projectDir("alice/gone")));
    }

    @Test
    @Order(3)
    void deleteRemovesFilesBuildsTagsTargetsAndTasks() throws Exception {
        String rpm = (String) hub.hub().services.db.scalar("SELECT path FROM rpms WHERE build_id = ? AND arch = 'noarch'", goneBuild)
                .orElseThrow();
        assertEquals(200, hub.get("/results/" + rpm).statusCode());
        Files.writeString(projectDir("alice/gone").resolve("alice-gone.repo"), "[copr:alice:gone]\n"); // as a publication writes it
        assertEquals(200, hub.get("/results/alice/gone/alice-gone.repo").statusCode());
        Run r = cli("project", "delete", "alice/gone", "--yes");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().get(0).startsWith("deleted alice/gone: 2 build(s), chroots fedora-40-x86_64, "), r.out().toString());
        assertTrue(r.out().get(0).endsWith("2 task(s) canceled"), r.out().toString());
        assertFalse(Files.exists(projectDir("alice/gone")));
        assertEquals(404, hub.get("/results/" + rpm).statusCode());
        assertEquals(404, hub.get("/results/alice/gone/" + CHROOT + "/repodata/repomd.xml").statusCode());
        assertEquals(404, hub.get("/results/alice/gone/alice-gone.repo").statusCode());
        assertEquals(200, hub.get("/results/alice/keep/" + CHROOT + "/repodata/repomd.xml").statusCode(), "other projects stay");
        var db = hub.hub().services.db;
        assertEquals(3, (Integer) db.scalar("SELECT state FROM tasks WHERE id = ?", openTask).orElseThrow(), "running task canceled");
        assertEquals(0L, db.scalar("SELECT count(*) FROM prune_journal WHERE finish_time IS NULL").orElseThrow());
        try (KojiClient k = login("alice", aliceToken)) {
            assertEquals(2L, ((Map<?, ?>) k.call("getBuild", goneBuild)).get("state"), "DELETED");
            List<String> targets = targetNames(k);
            assertFalse(targets.stream().anyMatch(t -> t.startsWith("alice/gone")), targets.toString());
            assertTrue(targets.contains("alice/keep/" + CHROOT), targets.toString());
            assertNull(k.call("getTag", "alice/gone"));
            List<?> tags = (List<?>) k.call("listTags");
            assertFalse(tags.stream().anyMatch(t -> ((String) ((Map<?, ?>) t).get("name")).contains("alice/gone")), tags.toString());
            assertEquals(List.of(), k.call("getBuildTargets", "alice/gone/" + CHROOT));
            Exception e = assertThrows(Exception.class, () -> k.call("build", "cli-build/x/tiny-a-1.3-1.src.rpm", "alice/gone/" + CHROOT));
            assertTrue(e.getMessage().contains("project alice/gone was deleted"), e.getMessage());
            List<?> tagged = (List<?>) k.call("listTagged", "alice/keep");
            assertEquals(1, tagged.size(), tagged.toString());
        }
        assertEquals(1, cli("project", "delete", "alice/gone", "--yes").code(), "gone already");
    }

    @Test
    @Order(4)
    void anActiveChainNeedsForce() throws Exception {
        Run r = cli("project", "delete", "alice/chained", "--yes");
        assertEquals(1, r.code(), r.out().toString());
        assertTrue(r.err().contains("has an active chain") && r.err().contains("--force"), r.err());
        assertTrue(Files.isDirectory(projectDir("alice/chained")));
        Run forced = cli("project", "delete", "alice/chained", "--yes", "--force");
        assertEquals(0, forced.code(), forced.err());
        assertTrue(forced.out().get(0).contains("canceled"), forced.out().toString());
        assertEquals("CANCELED", hub.hub().services.db.scalar("SELECT state FROM chains").orElseThrow());
        assertFalse(Files.exists(projectDir("alice/chained")));
    }

    @Test
    @Order(5)
    void aDeletionInterruptedAfterItsDatabasePhaseIsFinishedByTheNextPrune() throws Exception {
        var s = hub.hub().services;
        ProjectDeletion d = new ProjectDeletion(s.db, s.results.storageRoot(), s.outputs, s.retention.locks);
        d.afterMark(() -> {
            throw new IllegalStateException("simulated crash after the database phase");
        });
        assertThrows(IllegalStateException.class, () -> d.delete(CoprName.parse("alice/crash"), false));
        assertTrue(Files.isDirectory(projectDir("alice/crash").resolve(CHROOT)), "files go only after the database phase");
        assertEquals(1L, s.db.scalar("SELECT count(*) FROM prune_journal WHERE kind = 'project' AND finish_time IS NULL").orElseThrow());
        assertEquals(0L, s.db.scalar("SELECT count(*) FROM builds b JOIN projects p ON p.id = b.project_id WHERE p.name LIKE 'crash%'"
                + " AND b.state <> 2").orElseThrow());
        try (KojiClient k = hub.hub().client()) {
            assertFalse(targetNames(k).stream().anyMatch(t -> t.startsWith("alice/crash")));
        }
        Run r = cli("prune");
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(projectDir("alice/crash")));
        assertEquals(0L, s.db.scalar("SELECT count(*) FROM prune_journal WHERE finish_time IS NULL").orElseThrow());
        assertEquals(404, hub.get("/results/alice/crash/" + CHROOT + "/repodata/repomd.xml").statusCode());
    }

    @Test
    @Order(6)
    void theNameCanBeCreatedAgainAndDeletedThroughTheHubCall() throws Exception {
        Run c = cli("project", "create", "alice/gone", "--chroot", CHROOT);
        assertEquals(0, c.code(), c.err());
        try (KojiClient k = login("alice", aliceToken)) {
            assertTrue(targetNames(k).contains("alice/gone/" + CHROOT));
            assertEquals("alice/gone", ((Map<?, ?>) k.call("getTag", "alice/gone")).get("name"));
            assertEquals(2L, ((Map<?, ?>) k.call("getBuild", goneBuild)).get("state"), "the old project's builds stay DELETED");
            h.build("alice/gone", "tiny-a", "1.1", DAY, 2);
            h.publish("alice/gone");
            assertEquals(200, hub.get("/results/alice/gone/" + CHROOT + "/repodata/repomd.xml").statusCode());
            Map<?, ?> res = (Map<?, ?>) k.call("coprDeleteProject", "alice/gone");
            assertEquals("alice/gone", res.get("project"));
            assertEquals(1L, ((Number) res.get("builds")).longValue());
            assertFalse(targetNames(k).stream().anyMatch(t -> t.startsWith("alice/gone")));
        }
        assertFalse(Files.exists(projectDir("alice/gone")));
        assertEquals(2L, hub.hub().services.db.scalar("SELECT count(*) FROM projects WHERE name LIKE 'gone~deleted~%'").orElseThrow());
    }
}
