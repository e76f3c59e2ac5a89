package org.fedorabuild.watchdog.drain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.fedorabuild.watchdog.config.ConfigLoader;
import org.fedorabuild.watchdog.config.WatchdogConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decommission over a real loopback OpenSSH server started by the test (own host key, key-only login), with
 * the host key verified against known_hosts: the right entry stops the "builder daemon", a wrong one fails.
 */
class DecommissionSshTest {
    @TempDir
    static Path dir;
    private static Process sshd;
    private static int port;

    @BeforeAll
    static void startSshd() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/sshd")), "needs /usr/sbin/sshd (Debian openssh-server)");
        Files.createDirectories(Path.of("/run/sshd"));
        keygen("host_key");
        keygen("client_key");
        keygen("other_key");
        Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
        Files.setPosixFilePermissions(dir.resolve("authorized_keys"), PosixFilePermissions.fromString("rw-------"));
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String user = System.getProperty("user.name");
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_key"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"), "PidFile " + dir.resolve("sshd.pid"),
                "PasswordAuthentication no", "KbdInteractiveAuthentication no", "PubkeyAuthentication yes",
                "PermitRootLogin prohibit-password", "UsePAM no", "StrictModes no", "AllowUsers " + user, ""));
        sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("sshd did not start: " + Files.readString(dir.resolve("sshd.log")));
    }

    @AfterAll
    static void stopSshd() {
        if (sshd != null) {
            sshd.destroy();
        }
    }

    private static void keygen(String name) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve(name).toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0, "ssh-keygen failed");
    }

    private static Path knownHosts(String keyFile) throws IOException {
        String[] pub = Files.readString(dir.resolve(keyFile + ".pub")).trim().split("\\s+");
        Path kh = dir.resolve("known_hosts-" + keyFile);
        Files.writeString(kh, "[127.0.0.1]:" + port + " " + pub[0] + " " + pub[1] + "\n");
        return kh;
    }

    private WatchdogConfig.Drain cfg(Path knownHosts, Path marker) {
        return ConfigLoader.parse("t", "[kojira-watchdog]\nserver = http://127.0.0.1:1/kojihub\n"
                + "ssh_key = " + dir.resolve("client_key") + "\nssh_known_hosts = " + knownHosts + "\n"
                + "ssh_user = " + System.getProperty("user.name") + "\nssh_port = " + port + "\nssh_host = 127.0.0.1\n"
                + "builder_stop_command = touch " + marker + "-{host}\ndecommission_timeout = 20s\n").drain();
    }

    @Test
    void stopsTheBuilderOverSshWithAVerifiedHostKey() throws Exception {
        Path marker = dir.resolve("kojid-stopped");
        Decommissioner.Result r = new Decommissioner(cfg(knownHosts("host_key"), marker)).decommission("builder7");
        assertTrue(r.ok(), r.detail() + "\n" + Files.readString(dir.resolve("sshd.log")));
        assertTrue(Files.exists(Path.of(marker + "-builder7")), "the stop command ran on the builder");
    }

    @Test
    void wrongKnownHostsEntryFailsTheDecommission() throws Exception {
        Path marker = dir.resolve("never");
        Decommissioner.Result r = new Decommissioner(cfg(knownHosts("other_key"), marker)).decommission("builder8");
        assertFalse(r.ok());
        assertTrue(r.detail().contains("verify") || r.detail().contains("host key"), r.detail());
        assertFalse(Files.exists(Path.of(marker + "-builder8")), "nothing ran on an unverified host");
        assertTrue(Duration.ofSeconds(1).toMillis() > 0);
    }
}
