package org.fedorabuild.hub.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.fedorabuild.hub.testing.LoopbackSshd;
import org.fedorabuild.hub.testing.TinyPackages;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SSH builders: two real OpenSSH servers on loopback (own ports and host keys, the hub's key authorized,
 * their host keys in the hub's known_hosts), builds over sshj, and a builder killed mid-build: its task
 * stays OPEN on it until the watchdog (here: the test, as admin) frees it, then it is built elsewhere once.
 */
class SshBuildTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    static Path tmp;
    static LoopbackSshd sshA;
    static LoopbackSshd sshB;
    static BuildHub hub;
    static String admin;
    static final String CHROOT = "fedora-40-" + BuildHub.arch();

    @BeforeAll
    static void start() throws Exception {
        sshA = LoopbackSshd.start(tmp.resolve("ssh-a"));
        sshB = LoopbackSshd.start(tmp.resolve("ssh-b"));
        Files.copy(sshA.clientKey().resolveSibling("client_ed25519.pub"), tmp.resolve("ssh-b/authorized_keys"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path knownHosts = tmp.resolve("known_hosts");
        Files.writeString(knownHosts, Files.readString(sshA.knownHosts()) + Files.readString(sshB.knownHosts()));
        hub = BuildHub.start(PG.dataSource(), tmp.resolve("data"), "SSHKey = " + sshA.clientKey() + "\nSSHKnownHosts = "
                + knownHosts + "\nSSHConnectTimeout = 3\nBuildBackend = rpmbuild\n", 0);
        // every test's SSH builders share ~/copr-hub-builder/task-ID on this machine: keep our ids apart
        org.fedorabuild.hub.testing.LoopbackPool.distinctTaskIds(hub.hub.services.db);
        admin = hub.user("admin", true);
        hub.project("admin/p", CHROOT);
        hub.hub.services.db.tx(() -> {
            hub.hub.services.hosts.add("ssh-a", List.of(BuildHub.arch()), 2.0, sshA.user() + "@127.0.0.1:" + sshA.port());
            int b = hub.hub.services.hosts.add("ssh-b", List.of(BuildHub.arch()), 2.0, sshB.user() + "@127.0.0.1:" + sshB.port());
            hub.hub.services.hosts.setEnabled(b, false);
            return null;
        });
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
        for (LoopbackSshd s : new LoopbackSshd[] {sshA, sshB}) {
            if (s != null) {
                s.close();
            }
        }
    }

    private static Map<?, ?> host(KojiClient k, String name) {
        return (Map<?, ?>) k.call("getHost", name);
    }

    @Test
    void buildsOverSshAndBuilderKilledMidBuildLeavesItsTaskOpenForTheWatchdog() throws Exception {
        try (KojiClient k = hub.login("admin", admin)) {
            long end = System.currentTimeMillis() + 20_000;
            while (!Boolean.TRUE.equals(host(k, "ssh-a").get("ready")) && System.currentTimeMillis() < end) {
                Thread.sleep(100);
            }
            assertTrue(host(k, "ssh-a").get("update_ts") instanceof Double, "the hub checks its SSH builders in");

            int first = hub.build(k, TinyPackages.srpm(tmp, "tiny-ssh", "1.0", 0), "admin/p", Map.of());
            assertEquals(2L, hub.await(k, first, Duration.ofMinutes(2)).get("state"));
            assertTrue(hub.awaitInRepo("admin/p", CHROOT, "tiny-ssh-1.0-1.fc40.noarch").contains("tiny-ssh-1.0-1.fc40.noarch"));

            int task = hub.build(k, TinyPackages.srpm(tmp, "tiny-vanish", "1.0", 6), "admin/p", Map.of());
            int child = awaitRunning(k, task, "sleep 6");
            sshA.close(); // the builder machine dies: sshd and everything it runs
            long noticed = System.currentTimeMillis() + 30_000;
            while (!Boolean.FALSE.equals(host(k, "ssh-a").get("ready")) && System.currentTimeMillis() < noticed) {
                Thread.sleep(100);
            }
            Map<?, ?> dead = host(k, "ssh-a");
            assertEquals(Boolean.FALSE, dead.get("ready"), "the hub notices its builder is gone");
            Map<?, ?> c = (Map<?, ?>) k.call("getTaskInfo", child);
            assertEquals(1L, c.get("state"), "the hub never frees a task because its builder stopped answering");
            assertEquals(host(k, "ssh-a").get("id"), c.get("host_id"));
            Thread.sleep(1200);
            assertEquals(dead.get("update_ts"), host(k, "ssh-a").get("update_ts"), "update_ts stops advancing");

            k.call("enableHost", "ssh-b");
            k.call("freeTask", child); // what kojira-watchdog does for a silent host
            assertEquals(2L, hub.await(k, task, Duration.ofMinutes(2)).get("state"));
            assertEquals(host(k, "ssh-b").get("id"), ((Map<?, ?>) k.call("getTaskInfo", child)).get("host_id"));
            List<String> pkgs = hub.awaitInRepo("admin/p", CHROOT, "tiny-vanish-1.0-1.fc40.noarch");
            assertEquals(1, pkgs.stream().filter(p -> p.equals("tiny-vanish-1.0-1.fc40.noarch")).count(), pkgs.toString());
            assertEquals(1L, hub.hub.services.db.scalar("SELECT count(*) FROM builds b JOIN packages p ON p.id = b.package_id"
                    + " WHERE p.name = 'tiny-vanish'").orElseThrow());
        }
    }

    /** Waits until the task's buildArch child streams {@code marker} into its build.log; returns the child id. */
    static int awaitRunning(KojiClient k, int task, String marker) throws InterruptedException {
        long end = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < end) {
            List<?> ch = (List<?>) k.call("getTaskChildren", task);
            if (!ch.isEmpty()) {
                int child = ((Number) ((Map<?, ?>) ch.get(0)).get("id")).intValue();
                if (((List<?>) k.call("listTaskOutput", child)).contains("build.log") && new String(Base64.getDecoder().decode(
                        (String) k.call("downloadTaskOutput", child, "build.log")), StandardCharsets.UTF_8).contains(marker)) {
                    return child;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("task " + task + " never showed '" + marker + "' in its build log");
    }
}
