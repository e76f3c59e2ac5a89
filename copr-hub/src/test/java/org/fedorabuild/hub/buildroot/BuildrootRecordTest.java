package org.fedorabuild.hub.buildroot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.hub.testing.BuildHub;
import org.fedorabuild.hub.testing.FileServer;
import org.fedorabuild.hub.testing.TinyPackages;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every buildArch leaves a buildroot record: a package whose BuildRequires only the project's earlier build
 * meets is built on the local builder; its buildroot names that package (installed, from the project
 * repository, linked to its RPM), its logs carry installed_pkgs.log and available_pkgs.log, and the Koji calls
 * behind {@code koji list-buildroot}, {@code koji rpminfo} and {@code koji taskinfo} answer it.
 */
class BuildrootRecordTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    static Path tmp;
    static BuildHub hub;
    static String admin;
    static final String CHROOT = "fedora-40-" + BuildHub.arch();

    @BeforeAll
    static void start() {
        // the build repositories here are served on loopback, which the hub refuses unless told otherwise
        hub = BuildHub.start(PG.dataSource(), tmp.resolve("data"), "BuildBackend = rpmbuild\nSourceURLAllowPrivate = yes\n", 2);
        admin = hub.user("admin", true);
        hub.project("admin/br", CHROOT);
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    static int child(KojiClient k, int task) {
        return ((Number) ((Map<?, ?>) ((List<?>) k.call("getTaskChildren", task)).get(0)).get("id")).intValue();
    }

    @Test
    void buildrootOfABuildNamesWhatItWasBuiltWith() throws Exception {
        try (KojiClient k = hub.login("admin", admin)) {
            int lib = hub.build(k, TinyPackages.srpm(tmp, "brlib", TinyPackages.spec("brlib", "2.5", 0, List.of(),
                    List.of("brlib-api = 2.5"))), "admin/br", Map.of());
            assertEquals(2L, hub.await(k, lib, Duration.ofMinutes(2)).get("state"));
            hub.awaitInRepo("admin/br", CHROOT, "brlib-2.5-1.fc40.noarch");
            // the project's package is really in the buildroot: its files, not only its rpm database entry
            int app = hub.build(k, TinyPackages.srpm(tmp, "brapp", TinyPackages.spec("brapp", "1.0", 0, List.of("brlib-api >= 2"),
                    List.of()).replace("%build\n", "%build\ngrep -x brlib /usr/share/brlib/hello.txt\n")), "admin/br", Map.of());
            assertEquals(2L, hub.await(k, app, Duration.ofMinutes(2)).get("state"), log(k, app));

            int child = child(k, app);
            Map<?, ?> result = (Map<?, ?>) k.call("getTaskResult", child);
            int brootId = ((Number) result.get("brootid")).intValue();
            assertTrue(brootId > 0, result.toString());
            List<?> outputs = (List<?>) k.call("listTaskOutput", child);
            assertTrue(outputs.contains("installed_pkgs.log") && outputs.contains("available_pkgs.log"), outputs.toString());
            String installed = new String(Base64.getDecoder().decode((String) k.call("downloadTaskOutput", child,
                    "installed_pkgs.log")), StandardCharsets.UTF_8);
            assertTrue(installed.startsWith("brlib-0:2.5-1.fc40.noarch "), installed);

            Map<?, ?> br = (Map<?, ?>) k.call("getBuildroot", brootId);
            assertEquals(3L, br.get("state"), "expired once the build ended: " + br);
            assertEquals((long) child, br.get("task_id"));
            assertEquals("local", br.get("host_name"));
            assertEquals("admin/br/" + CHROOT, br.get("tag_name"));
            assertEquals(0L, br.get("br_type"));
            assertTrue(br.get("create_event_time") instanceof String && br.get("create_ts") instanceof Double, br.toString());

            List<?> components = (List<?>) k.callKw("listRPMs", List.of(), Map.of("componentBuildrootID", brootId));
            assertEquals(1, components.size(), components.toString());
            Map<?, ?> c = (Map<?, ?>) components.get(0);
            assertEquals("brlib-2.5-1.fc40", c.get("nvr"));
            assertEquals("project", c.get("origin"));
            assertEquals("admin/br/" + CHROOT, c.get("repo"));
            Map<?, ?> libRpm = (Map<?, ?>) k.call("getRPM", "brlib-2.5-1.fc40.noarch");
            assertNotNull(libRpm);
            assertEquals(libRpm.get("id"), c.get("id"), "linked to the RPM the hub built");
            assertTrue(((Number) libRpm.get("buildroot_id")).intValue() > 0 && !libRpm.get("buildroot_id").equals((long) brootId));

            Map<?, ?> appRpm = (Map<?, ?>) k.call("getRPM", "brapp-1.0-1.fc40.noarch");
            assertEquals((long) brootId, appRpm.get("buildroot_id"), "koji rpminfo finds where it was built");
            List<?> built = (List<?>) k.callKw("listRPMs", List.of(), Map.of("buildrootID", brootId));
            assertEquals(2, built.size(), "the binary RPM and the SRPM: " + built);
            List<?> usedIn = (List<?>) k.callKw("listBuildroots", List.of(), Map.of("rpmID", libRpm.get("id")));
            assertEquals(List.of((long) brootId), usedIn.stream().map(b -> ((Map<?, ?>) b).get("id")).toList());
            List<?> ofTask = (List<?>) k.callKw("listBuildroots", List.of(), Map.of("taskID", child));
            assertEquals(1, ofTask.size());
            assertEquals(null, k.call("getBuildroot", 999999));
        }
    }

    /** A dnf repository of real RPMs served over HTTP by a local server, as a project's build repository. */
    @Test
    void buildRequiresMetOnlyByABuildRepoAreInstalledFromIt() throws Exception {
        // extlib requires extcore, which only the same repository has: both are installed, files and all
        Path srpm = TinyPackages.srpm(tmp, "extlib", TinyPackages.spec("extlib", "3.1", 0, List.of(), List.of("extlib-api = 3.1"))
                .replace("BuildArch: noarch\n", "BuildArch: noarch\nRequires: extcore >= 1\n"));
        Path core = TinyPackages.srpm(tmp, "extcore", TinyPackages.spec("extcore", "1.2", 0, List.of(), List.of()));
        try (FileServer http = new FileServer(TinyPackages.binaryRepo(tmp, tmp.resolve("extrepo"), srpm, core));
                KojiClient k = hub.login("admin", admin)) {
            String url = http.url("");
            hub.project("admin/ext", CHROOT);
            hub.hub.services.db.tx(() -> hub.hub.services.db.update("UPDATE projects SET extra_repos = ARRAY[?]"
                    + " WHERE name = 'ext'", url));
            int app = hub.build(k, TinyPackages.srpm(tmp, "extapp", TinyPackages.spec("extapp", "1.0", 0, List.of("extlib-api >= 3"),
                    List.of()).replace("%build\n", "%build\ngrep -x extlib /usr/share/extlib/hello.txt\n"
                            + "grep -x extcore /usr/share/extcore/hello.txt\n")), "admin/ext", Map.of());
            int child;
            assertEquals(2L, hub.await(k, app, Duration.ofMinutes(2)).get("state"), log(k, app));
            child = child(k, app);
            int brootId = ((Number) ((Map<?, ?>) k.call("getTaskResult", child)).get("brootid")).intValue();
            List<?> components = (List<?>) k.callKw("listRPMs", List.of(), Map.of("componentBuildrootID", brootId));
            assertEquals(List.of("extcore-1.2-1.fc40", "extlib-3.1-1.fc40"), components.stream()
                    .map(c -> ((Map<?, ?>) c).get("nvr")).sorted().toList(), components.toString());
            for (Object c : components) {
                assertEquals("build-repo", ((Map<?, ?>) c).get("origin"));
                assertEquals(url, ((Map<?, ?>) c).get("repo"));
            }
            assertTrue(log(k, app).contains("extcore >= 1 (required by extlib) from build repository " + url), log(k, app));
            assertFalse(Files.exists(Path.of("/usr/share/extlib")), "installed into the build's own root, not the builder's");
            String available = new String(Base64.getDecoder().decode((String) k.call("downloadTaskOutput", child,
                    "available_pkgs.log")), StandardCharsets.UTF_8);
            assertTrue(available.contains("extlib-0:3.1-1.fc40.noarch ") && available.contains(" build-repo"), available);
        }
    }

    /**
     * The chroot's extra packages (copr-cli edit-chroot --packages) are installed into the buildroot of a build
     * that does not require them: fetched from the build repository, recorded with that origin; one nobody
     * offers fails the build naming it.
     */
    @Test
    void extraPackagesOfTheChrootAreInstalledFromTheBuildRepo() throws Exception {
        Path srpm = TinyPackages.srpm(tmp, "xptool", TinyPackages.spec("xptool", "4.2", 0, List.of(), List.of()));
        FileServer http = new FileServer(TinyPackages.binaryRepo(tmp, tmp.resolve("xprepo"), srpm));
        String url = http.url("");
        var db = hub.hub.services.db;
        try (KojiClient k = hub.login("admin", admin)) {
            hub.project("admin/xp", CHROOT);
            db.tx(() -> db.update("UPDATE project_chroots SET extra_repos = ARRAY[?], extra_packages = ARRAY['xptool']"
                    + " WHERE project_id = (SELECT id FROM projects WHERE name = 'xp')", url));
            int app = hub.build(k, TinyPackages.srpm(tmp, "xpapp", TinyPackages.spec("xpapp", "1.0", 0, List.of(), List.of())),
                    "admin/xp", Map.of());
            assertEquals(2L, hub.await(k, app, Duration.ofMinutes(2)).get("state"), log(k, app));
            int brootId = ((Number) ((Map<?, ?>) k.call("getTaskResult", child(k, app))).get("brootid")).intValue();
            List<?> components = (List<?>) k.callKw("listRPMs", List.of(), Map.of("componentBuildrootID", brootId));
            assertEquals(1, components.size(), components.toString());
            Map<?, ?> c = (Map<?, ?>) components.get(0);
            assertEquals("xptool-4.2-1.fc40", c.get("nvr"));
            assertEquals("build-repo", c.get("origin"));
            assertEquals(url, c.get("repo"));

            db.tx(() -> db.update("UPDATE project_chroots SET extra_packages = ARRAY['xptool', 'xpmissing']"
                    + " WHERE project_id = (SELECT id FROM projects WHERE name = 'xp')"));
            int bad = hub.build(k, TinyPackages.srpm(tmp, "xpapp2", TinyPackages.spec("xpapp2", "1.0", 0, List.of(), List.of())),
                    "admin/xp", Map.of());
            assertEquals(5L, hub.await(k, bad, Duration.ofMinutes(2)).get("state"), "FAILED without its extra package");
            String log = log(k, bad);
            assertTrue(log.contains("extra package xpmissing of the chroot is neither on the builder nor in a build repository"), log);
        } finally {
            http.close();
        }
    }

    static String log(KojiClient k, int task) {
        List<?> ch = (List<?>) k.call("getTaskChildren", task);
        return ch.isEmpty() ? "" : new String(Base64.getDecoder().decode((String) k.call("downloadTaskOutput",
                ((Number) ((Map<?, ?>) ch.get(0)).get("id")).intValue(), "build.log")), StandardCharsets.UTF_8);
    }
}
