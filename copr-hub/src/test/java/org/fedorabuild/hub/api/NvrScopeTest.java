package org.fedorabuild.hub.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.namespace.CoprName;
import org.fedorabuild.hub.namespace.Projects;
import org.fedorabuild.hub.task.TaskPayloads;
import org.fedorabuild.hub.testing.TestHub;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's shadowing and pre-emption: bob builds hello-1.0-1.fc40 first, alice then builds the same NVR in her
 * project. Neither buildinfo, download-build's URLs, cancelBuild nor fedpkg's already-built check
 * ({@code getBuild(nvr)} after login) may then answer with the other project's build.
 */
class NvrScopeTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    static Path data;

    static TestHub hub;
    static Map<String, String> tokens = new java.util.HashMap<>();
    static int bobBuild;
    static int aliceBuild;
    static int aliceTask;
    static int bobTask;
    static final String NVR = "hello-1.0-1.fc40";
    static final String FILE = "/hello/1.0/1.fc40/noarch/hello-1.0-1.fc40.noarch.rpm";

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start(PG.dataSource(), "DataDir = " + data + "\n");
        var s = hub.services;
        s.db.tx(() -> {
            for (String u : List.of("alice", "bob", "carol")) {
                tokens.put(u, s.tokens.create(s.users.create(u, Users.NORMAL), null));
            }
            return null;
        });
        bobBuild = build("bob/hello", NVR, 1, null);
        aliceBuild = build("alice/hello", NVR, 1, null);
        s.db.tx(() -> s.projects.create(CoprName.parse("carol/hello"), List.of("fedora-40-x86_64"), null));
        // two builds of one NVR still running, alice's older than bob's
        aliceTask = task("alice", "alice/hello");
        build("alice/hello", "hello-2.0-1.fc40", 0, aliceTask);
        bobTask = task("bob", "bob/hello");
        build("bob/hello", "hello-2.0-1.fc40", 0, bobTask);
    }

    private static int task(String owner, String project) {
        var s = hub.services;
        return s.db.tx(() -> s.tasks.create((Integer) s.users.byName(owner).orElseThrow().get("id"), "build", "noarch", 20,
                TaskPayloads.encodeRequest("build", List.of("x", project, Map.of()), Map.of()), null, null,
                s.projects.find(CoprName.parse(project)).orElseThrow().id()));
    }

    /** A build of {@code nvr} in the project (created when new), with its RPM file holding the project's name. */
    private static int build(String project, String nvr, int state, Integer task) throws Exception {
        var s = hub.services;
        String owner = project.substring(0, project.indexOf('/'));
        String[] p = BuildApi.parseNvr(nvr);
        int id = s.db.tx(() -> {
            Projects.Project pr = s.projects.find(CoprName.parse(project))
                    .orElseGet(() -> s.projects.create(CoprName.parse(project), List.of("fedora-40-x86_64"), null));
            int ownerId = (Integer) s.users.byName(owner).orElseThrow().get("id");
            s.db.update("INSERT INTO packages (name) VALUES (?) ON CONFLICT DO NOTHING", p[0]);
            int pkg = (Integer) s.db.scalar("SELECT id FROM packages WHERE name = ?", p[0]).orElseThrow();
            int b = s.db.insert("INSERT INTO builds (package_id, version, release, state, owner_id, project_id, task_id, start_time,"
                    + " completion_time) VALUES (?, ?, ?, ?, ?, ?, ?, now(), now()) RETURNING id", pkg, p[1], p[2], state, ownerId,
                    pr.id(), task);
            s.db.update("INSERT INTO rpms (build_id, name, version, release, arch, size, path) VALUES (?, ?, ?, ?, 'noarch', 10, ?)",
                    b, p[0], p[1], p[2], project + "/fedora-40-x86_64/" + b + "-hello/" + nvr + ".noarch.rpm");
            return b;
        });
        Path f = hub.services.results.storageRoot().resolve(project + "/fedora-40-x86_64/" + id + "-hello/" + nvr + ".noarch.rpm");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "rpm of " + project);
        return id;
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static KojiClient as(String user) {
        KojiClient k = hub.client();
        k.login(user, tokens.get(user));
        return k;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBareNvrHeldByTwoProjectsIsAFaultNamingBothQualifiedForms() {
        try (KojiClient anon = hub.client()) {
            KojiFault f = assertThrows(KojiFault.class, () -> anon.call("getBuild", NVR));
            assertTrue(f.getMessage().contains("alice/hello:" + NVR) && f.getMessage().contains("bob/hello:" + NVR), f.getMessage());
            Map<?, ?> bob = (Map<?, ?>) anon.call("getBuild", "bob/hello:" + NVR);
            assertEquals((long) bobBuild, ((Number) bob.get("id")).longValue());
            assertEquals("bob/hello", bob.get("volume_name"));
            Map<?, ?> alice = (Map<?, ?>) anon.call("getBuild", Map.of("name", "hello", "version", "1.0", "release", "1.fc40",
                    "copr_project", "alice/hello"));
            assertEquals((long) aliceBuild, ((Number) alice.get("id")).longValue());
        }
    }

    @Test
    void downloadPathsNameTheProjectAndTheBareOneRefusesToChoose() throws Exception {
        assertEquals(404, get("/kojifiles/packages" + FILE).statusCode());
        HttpResponse<String> bob = get("/kojifiles/vol/bob/hello/packages" + FILE);
        assertEquals(200, bob.statusCode());
        assertEquals("rpm of bob/hello", bob.body());
        assertEquals("rpm of alice/hello", get("/kojifiles/vol/alice/hello/packages" + FILE).body());
        assertEquals(404, get("/kojifiles/vol/carol/hello/packages" + FILE).statusCode());
    }

    @Test
    void fedpkgsAlreadyBuiltCheckSeesOnlyTheCallersProjects() {
        try (KojiClient carol = as("carol"); KojiClient bob = as("bob")) {
            // carol has not built hello: strangers' builds must not make fedpkg refuse hers as "already built"
            assertNull(carol.call("getBuild", NVR));
            Map<?, ?> own = (Map<?, ?>) bob.call("getBuild", NVR);
            assertEquals((long) bobBuild, ((Number) own.get("id")).longValue());
            assertEquals("bob/hello", own.get("copr_project"));
        }
    }

    @Test
    void cancelBuildByBareNvrCancelsTheCallersOwnBuild() {
        try (KojiClient alice = as("alice")) {
            assertEquals(Boolean.TRUE, alice.call("cancelBuild", "hello-2.0-1.fc40"));
        }
        assertEquals(3, hub.services.tasks.find(aliceTask).orElseThrow().get("state"));
        assertEquals(0, hub.services.tasks.find(bobTask).orElseThrow().get("state"));
    }
}
