package org.fedorabuild.hub.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.hub.testing.BuildHub;
import org.fedorabuild.hub.testing.LoopbackSshd;
import org.fedorabuild.hub.testing.TinyPackages;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.fedorabuild.process.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile package built by a real hub on the local builder and on a loopback SSH builder (both as root):
 * its %build probes its surroundings and every probe must be refused; fork bomb, disk filler, memory hog and
 * CPU burner each fail their build naming the limit, while a normal build beside them succeeds, the hub
 * keeps answering and nothing of the builds survives; a project with enable_net reaches the network.
 */
class HostileBuildTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    static Path tmp;
    static LoopbackSshd sshd;
    static BuildHub hub;
    static String admin;
    static final String CHROOT = "fedora-40-" + BuildHub.arch();

    /** An SSH login that is not root, as a fleet's builders have: it reaches the sandbox through sudo. */
    static final String LOGIN = "copr-login";

    @BeforeAll
    static void start() throws Exception {
        sshd = LoopbackSshd.start(tmp.resolve("sshd"));
        if (!Files.exists(Path.of("/home/" + LOGIN))) {
            Command.of("useradd", "--create-home", "--shell", "/bin/bash", LOGIN).timeout(Duration.ofSeconds(30))
                    .runChecked("useradd " + LOGIN);
        }
        // key login only: no password, but not a locked account (sshd without PAM refuses locked ones)
        Command.of("usermod", "--password", "*", LOGIN).timeout(Duration.ofSeconds(30)).runChecked("usermod " + LOGIN);
        // sshd reads a user's keys as that user: the test's own key file (in a root-only directory) is not readable
        Path keys = Path.of("/home/" + LOGIN + "/.ssh/authorized_keys");
        Files.createDirectories(keys.getParent());
        Files.copy(sshd.clientKey().resolveSibling("client_ed25519.pub"), keys, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Command.of("chown", "-R", LOGIN + ":", keys.getParent().toString()).timeout(Duration.ofSeconds(30)).runChecked("chown");
        // what an admin runs once on each builder (README: builder set-up), here for the non-root login
        Command.of(Sandbox.INSTALLED, "setup", "--slots", "8", "--login", LOGIN).timeout(Duration.ofMinutes(1))
                .runChecked("copr-hub-sandbox setup --login " + LOGIN);
        hub = BuildHub.start(PG.dataSource(), tmp.resolve("data"), "SSHKey = " + sshd.clientKey() + "\nSSHKnownHosts = "
                + sshd.knownHosts() + "\nSSHConnectTimeout = 5\nBuildBackend = rpmbuild\nBuildCPUTime = 5\nBuildMemory = 200\n"
                + "BuildDisk = 64\nBuildProcesses = 64\n", 2);
        admin = hub.user("admin", true);
        hub.project("admin/p", CHROOT);
        hub.project("admin/other", CHROOT);
        hub.hub.services.db.tx(() -> {
            hub.hub.services.hosts.setEnabled(hub.hub.services.hosts.add("ssh", List.of(BuildHub.arch()), 2.0,
                    sshd.user() + "@127.0.0.1:" + sshd.port()), false);
            hub.hub.services.hosts.setEnabled(hub.hub.services.hosts.add("sudo", List.of(BuildHub.arch()), 2.0,
                    LOGIN + "@127.0.0.1:" + sshd.port()), false);
            return null;
        });
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    /** %build of the probe package: one "PROBE name refused|LEAK" line per attempt. */
    static String probes() throws Exception {
        String pgData = (String) hub.hub.services.db.scalar("SHOW data_directory").orElseThrow();
        int pgPort = URI.create(PG.jdbcUrl().substring(5)).getPort();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("datadir", "ls " + hub.data);
        p.put("dbfiles", "ls " + pgData);
        p.put("otherresults", "ls " + hub.data + "/results/admin/other");
        p.put("sshkey", "cat " + sshd.clientKey());
        p.put("roothome", "ls /root");
        p.put("hubport", "exec 3<>/dev/tcp/127.0.0.1/" + hub.hub.server.port());
        p.put("pgport", "exec 3<>/dev/tcp/127.0.0.1/" + pgPort);
        p.put("sshport", "exec 3<>/dev/tcp/127.0.0.1/" + sshd.port());
        p.put("writeusr", "touch /usr/copr-probe");
        p.put("writeetc", "touch /etc/copr-probe");
        p.put("writedata", "touch " + hub.data + "/copr-probe");
        p.put("hostprocs", "test $(ls -d /proc/[0-9]* | wc -l) -gt 20");
        p.put("hostsockets", "ls /run/postgresql /var/run/postgresql");
        p.put("sudo", "sudo -n true");
        StringBuilder s = new StringBuilder("probe() { if bash -c \"$2\" >/dev/null 2>&1; then echo \"PROBE $1 LEAK\"; else echo \"PROBE $1 refused\"; fi; }\n");
        s.append("echo \"PROBE uid $(id -u) in $PWD\"\n");
        p.forEach((k, v) -> s.append("probe ").append(k).append(" '").append(v).append("'\n"));
        s.append("(setsid sleep 3001 >/dev/null 2>&1 &)\nnohup sleep 3002 >/dev/null 2>&1 &\necho PROBE done\n");
        return s.toString();
    }

    /** rpmbuild's /bin/sh may be dash, whose bomb gives up at the first failed fork; bash's keeps retrying. */
    static final String BOMB = "bash -c 'bomb() { bomb | bomb & }; bomb; while :; do sleep 30 & done'; sleep 20";

    static String spec(String name, String build) {
        return TinyPackages.spec(name, "1.0", 0, List.of(), List.of()).replace("%build\n", "%build\n" + build + "\n");
    }

    static String log(KojiClient k, int task) {
        List<?> ch = (List<?>) k.call("getTaskChildren", task);
        int child = ((Number) ((Map<?, ?>) ch.get(0)).get("id")).intValue();
        return new String(Base64.getDecoder().decode((String) k.call("downloadTaskOutput", child, "build.log")), StandardCharsets.UTF_8);
    }

    static String assertProbesRefused(KojiClient k, String where) throws Exception {
        int task = hub.build(k, TinyPackages.srpm(tmp.resolve(where), "probe-" + where, spec("probe-" + where, probes())), "admin/p", Map.of());
        assertEquals(2L, hub.await(k, task, Duration.ofMinutes(2)).get("state"), log(k, task));
        String log = log(k, task);
        Matcher uid = Pattern.compile("PROBE uid (\\d+) in (\\S+)").matcher(log);
        assertTrue(uid.find(), log);
        assertNotEquals("0", uid.group(1), "never root (nor the hub's or the SSH login's user, both root here)");
        assertEquals("/builddir/rpmbuild/BUILD", uid.group(2).replaceAll("/probe-.*", ""), "only its own directory: " + log);
        List<String> refused = new ArrayList<>();
        for (String line : log.split("\n")) {
            assertFalse(line.contains(" LEAK"), where + ": " + line + "\n" + log);
            if (line.startsWith("PROBE ") && line.endsWith(" refused")) {
                refused.add(line);
            }
        }
        assertEquals(14, refused.size(), log);
        assertTrue(log.contains("PROBE done"), log);
        assertFalse(Files.exists(Path.of("/usr/copr-probe")) || Files.exists(Path.of("/etc/copr-probe"))
                || Files.exists(hub.data.resolve("copr-probe")));
        assertNoProcess("sleep 3001");
        assertNoProcess("sleep 3002");
        return uid.group(1);
    }

    static void assertNoProcess(String commandLine) {
        assertTrue(ProcessHandle.allProcesses().noneMatch(h -> h.info().commandLine().orElse("").equals(commandLine)
                || String.join(" ", h.info().arguments().orElse(new String[0])).equals(commandLine.replaceFirst("^\\S+ ", ""))
                && h.info().command().orElse("").endsWith("/sleep")), commandLine + " survived its build");
    }

    /** Builds {@code build} as package {@code name}; expects it to fail naming {@code limit}; returns its log. */
    static int submit(KojiClient k, String name, String build) throws Exception {
        return hub.build(k, TinyPackages.srpm(tmp, name, spec(name, build)), "admin/p", Map.of());
    }

    static void assertStoppedBy(KojiClient k, int task, String limit) throws Exception {
        assertEquals(5L, hub.await(k, task, Duration.ofMinutes(2)).get("state"));
        KojiFault f = assertThrows(KojiFault.class, () -> k.call("getTaskResult", task));
        assertTrue(f.getMessage().contains("build exceeded its " + limit), f.getMessage());
        assertTrue(log(k, task).contains("copr-hub-sandbox: build stopped: "), log(k, task));
    }

    @Test
    void hostilePackagesAreContainedOnLocalAndSshBuilders() throws Exception {
        try (KojiClient k = hub.login("admin", admin)) {
            assertProbesRefused(k, "local");

            int bomb = submit(k, "forkbomb", BOMB);
            int normal = submit(k, "normal", "true");
            int disk = submit(k, "filler", "dd if=/dev/zero of=fill bs=1M count=200 || true; sleep 20");
            int memory = submit(k, "memhog", "python3 -c \"b = b'x' * (300 << 20); import time; time.sleep(20)\"");
            int cpu = submit(k, "burner", "exec bash -c 'while :; do :; done'");
            hub.project("admin/net", CHROOT);
            hub.hub.services.db.tx(() -> hub.hub.services.db.update("UPDATE projects SET enable_net = true WHERE name = 'net'"));
            int net = hub.build(k, TinyPackages.srpm(tmp, "netuser", spec("netuser", "bash -c 'exec 3<>/dev/tcp/127.0.0.1/"
                    + hub.hub.server.port() + "' && echo NET reached")), "admin/net", Map.of());
            assertStoppedBy(k, bomb, "process limit (64)");
            assertEquals(2L, hub.await(k, normal, Duration.ofMinutes(2)).get("state"), log(k, normal));
            assertStoppedBy(k, disk, "disk limit (64 MiB)");
            assertStoppedBy(k, memory, "memory limit (200 MiB)");
            assertStoppedBy(k, cpu, "CPU time limit (5 s)");
            assertEquals(2L, hub.await(k, net, Duration.ofMinutes(2)).get("state"), "enable_net lets the build connect: " + log(k, net));
            assertTrue(log(k, net).contains("network on"), log(k, net));
            assertEquals(200, hub.get("/health").statusCode(), "the hub keeps running");

            k.call("disableHost", "local");
            k.call("enableHost", "ssh");
            assertProbesRefused(k, "ssh");
            int sshBomb = submit(k, "forkbomb-ssh", BOMB);
            assertStoppedBy(k, sshBomb, "process limit (64)");
            assertEquals(200, hub.get("/health").statusCode(), "the hub keeps running");

            k.call("disableHost", "ssh");
            k.call("enableHost", "sudo");
            String uid = assertProbesRefused(k, "sudo");
            String loginUid = Command.of("id", "-u", LOGIN).timeout(Duration.ofSeconds(10)).runChecked("id").stdout().strip();
            assertNotEquals(loginUid, uid, "never as the SSH login");
            // by what these builds ran, not by user alone: other builds on this machine may use the slots meanwhile
            List<String> payloads = List.of("bomb", "dd if=/dev/zero", "b'x' * (300", "while :; do :; done");
            assertTrue(ProcessHandle.allProcesses().noneMatch(h -> h.info().user().orElse("").startsWith("copr-build-")
                    && payloads.stream().anyMatch(h.info().commandLine().orElse("")::contains)),
                    "no process of these builds is left");
        }
    }
}
