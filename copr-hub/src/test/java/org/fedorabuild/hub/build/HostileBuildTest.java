package org.fedorabuild.hub.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.hub.testing.BuildHub;
import org.fedorabuild.hub.testing.TinyPackages;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's attacks by a packager through a build on the real local builder: a result whose header names a
 * path, a build log without end, internal build options, and a package the project blocked.
 */
class HostileBuildTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    static Path tmp;

    static BuildHub hub;
    static KojiClient alice;
    static final String CHROOT = "fedora-40-" + BuildHub.arch();

    @BeforeAll
    static void start() {
        hub = BuildHub.start(PG.dataSource(), tmp.resolve("data"), "MaxLogBytes = 8192\n", 2);
        String token = hub.user("alice", false);
        hub.project("alice/evil", CHROOT);
        alice = hub.login("alice", token);
    }

    @AfterAll
    static void stop() {
        alice.close();
        hub.close();
    }

    /** A real SRPM whose header name is patched (same length) to {@code evil}: rpm reads it without its digests. */
    private static Path craftedSrpm(String evil) throws Exception {
        String plain = "x" + "a".repeat(evil.length() - 1);
        Path srpm = TinyPackages.srpm(tmp.resolve("crafted"), plain, "1.0", 0);
        byte[] bytes = Files.readAllBytes(srpm);
        byte[] from = plain.getBytes(StandardCharsets.US_ASCII);
        byte[] to = evil.getBytes(StandardCharsets.US_ASCII);
        int replaced = 0;
        for (int i = 0; i + from.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, bytes, i, to.length);
                replaced++;
            }
        }
        assertTrue(replaced > 0);
        Path out = tmp.resolve("crafted.bin");
        Files.write(out, bytes);
        Process p = new ProcessBuilder("rpm", "-qp", "--nosignature", "--nodigest", "--qf", "%{NAME}", out.toString()).start();
        assertEquals(evil, new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim(), "rpm reads the patched name");
        return out;
    }

    @Test
    void aResultWhoseHeaderNameClimbsOutOfTheStorageRootIsRefused() throws Exception {
        Path crafted = craftedSrpm("x/../../../../../ESCAPED");
        // the spec leaves the crafted package among its results, and blocks the real SRPM's name with a directory
        String spec = TinyPackages.spec("climber", "1.0", 0, List.of(), List.of()).replace("Release: 1%{?dist}",
                "Release: 1%{?dist}\nSource1: crafted.bin").replace("%build\n", "%build\n"
                + "mkdir -p %{_topdir}/../results/%{name}-%{version}-%{release}.src.rpm\n"
                + "cp %{SOURCE1} %{_topdir}/../results/0-crafted.src.rpm\n");
        Path top = tmp.resolve("climb");
        Files.createDirectories(top.resolve("rpmbuild-climber/SOURCES"));
        Files.copy(crafted, top.resolve("rpmbuild-climber/SOURCES/crafted.bin"));
        Path srpm = TinyPackages.srpm(top, "climber", spec);
        int task = hub.build(alice, srpm, "alice/evil", Map.of());
        Map<?, ?> info = hub.await(alice, task, Duration.ofSeconds(120));
        Path data = tmp.resolve("data");
        Thread.sleep(500); // publication (if any) runs after the close
        try (Stream<Path> s = Files.list(data)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith("ESCAPED")), "nothing was created outside the storage root");
        }
        assertFalse(Files.exists(data.resolve("ESCAPED")));
        assertEquals(5L, ((Number) info.get("state")).longValue(), "the build failed");
        assertEquals(0L, hub.hub.services.db.scalar("SELECT count(*) FROM builds").orElseThrow(), "no build was recorded");
        String why = String.valueOf(hub.hub.services.db.scalar("SELECT result FROM tasks WHERE parent = ? AND method = 'buildArch'",
                task).orElseThrow());
        assertTrue(why.contains("invalid name 'x/../../../../../ESCAPED'"), why);
    }

    @Test
    void aBuildLogPastMaxLogBytesIsCutWithALineSayingSoAndTheBuildFails() throws Exception {
        String spec = TinyPackages.spec("chatty", "1.0", 0, List.of(), List.of()).replace("%build\n",
                "%build\nfor i in $(seq 1 2000); do echo \"line $i of a build log that never ends ...................\"; done\n");
        Path srpm = TinyPackages.srpm(tmp.resolve("chatty"), "chatty", spec);
        int task = hub.build(alice, srpm, "alice/evil", Map.of());
        Map<?, ?> info = hub.await(alice, task, Duration.ofSeconds(120));
        assertEquals(5L, ((Number) info.get("state")).longValue());
        int child = (Integer) hub.hub.services.db.scalar("SELECT id FROM tasks WHERE parent = ? AND method = 'buildArch'", task).orElseThrow();
        Path log = hub.hub.services.outputs.dir(child).resolve("build.log");
        String text = Files.readString(log);
        assertTrue(Files.size(log) < 8192 + 200, "log of " + Files.size(log) + " bytes");
        assertTrue(text.contains("build log exceeded 8192 bytes (MaxLogBytes)"), text.substring(Math.max(0, text.length() - 300)));
        String why = String.valueOf(hub.hub.services.db.scalar("SELECT result FROM tasks WHERE id = ?", child).orElseThrow());
        assertTrue(why.contains("MaxLogBytes"), why);
        assertEquals(0L, hub.hub.services.db.scalar("SELECT count(*) FROM builds b JOIN packages p ON p.id = b.package_id"
                + " WHERE p.name = 'chatty'").orElseThrow());
    }

    @Test
    void internalCoprOptionsInBuildOptsAreRefused() throws Exception {
        Path srpm = TinyPackages.srpm(tmp.resolve("opts"), "optsy", "1.0", 0);
        KojiFault f = assertThrows(KojiFault.class, () -> hub.build(alice, srpm, "alice/evil",
                Map.of("copr_extra_repos", List.of("file:///etc/"))));
        assertTrue(f.getMessage().contains("copr_extra_repos"), f.getMessage());
        assertEquals(0L, hub.hub.services.db.scalar("SELECT count(*) FROM tasks t WHERE t.request LIKE '%copr_extra_repos%'").orElseThrow());
    }

    @Test
    void aBlockedPackageIsNotBuilt() throws Exception {
        alice.callKw("packageListAdd", List.of("alice/evil", "blockme"), Map.of("owner", "alice", "block", true));
        Path srpm = TinyPackages.srpm(tmp.resolve("blocked"), "blockme", "1.0", 0);
        KojiFault f = assertThrows(KojiFault.class, () -> hub.build(alice, srpm, "alice/evil", Map.of()));
        assertTrue(f.getMessage().contains("package blockme is blocked in tag alice/evil"), f.getMessage());
        assertEquals(0L, hub.hub.services.db.scalar("SELECT count(*) FROM tasks WHERE request LIKE '%blockme%'").orElseThrow());
    }
}
