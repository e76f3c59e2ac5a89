package org.fedorabuild.watchdog.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedorabuild.watchdog.config.ConfigLoader;
import org.fedorabuild.watchdog.drain.Decommissioner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool scripts of copr-hub's tests (cmd_new: a loopback OpenSSH builder; cmd_delete: stop it) serve the
 * watchdog unchanged: the scale signal starts a builder with them, and a decommission (SSH step with the
 * host key the script registered, then the hook) deletes it, both through the POOL/NAME/ARCH/ADDRESS contract.
 */
class PoolScriptContractTest {
    private static final Path SCRIPTS = Path.of("../copr-hub/src/test/resources/pool").toAbsolutePath().normalize();
    @TempDir
    Path tmp;
    private Long sshdPid;

    @AfterEach
    void stop() {
        if (sshdPid != null) {
            ProcessHandle.of(sshdPid).ifPresent(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            });
        }
    }

    @Test
    void scaleCommandStartsAndDecommissionHookDeletesWithTheSamePoolScripts() throws Exception {
        Path key = tmp.resolve("id_ed25519");
        Process k = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()).redirectErrorStream(true).start();
        assertTrue(k.waitFor(30, TimeUnit.SECONDS) && k.exitValue() == 0, "ssh-keygen");
        Path knownHosts = tmp.resolve("known_hosts");
        Files.writeString(knownHosts, "");
        ScaleCommand scale = new ScaleCommand("koji", "env BASE=" + tmp + " CLIENT_PUB=" + key + ".pub KNOWN_HOSTS=" + knownHosts
                + " bash " + SCRIPTS.resolve("loopback-new.sh"), java.time.Duration.ofMinutes(10), java.time.Duration.ofSeconds(60));
        Instant now = Instant.ofEpochSecond(1_800_000_000L);
        List<String> started = scale.act(List.of(new ScaleSignal.Row("default", "x86_64", 3, 1.0),
                new ScaleSignal.Row("default", "noarch", 9, 1.0), new ScaleSignal.Row("default", "aarch64", 1, 2.0)), now);
        assertEquals(1, started.size(), started.toString());
        String name = "koji-x86_64-1800000000";
        sshdPid = Long.parseLong(Files.readString(tmp.resolve(name).resolve("sshd.pid")).strip());
        assertTrue(started.get(0).startsWith("started " + name + " (x86_64): "), started.toString());
        String address = started.get(0).replaceAll(".*: ", "");
        int port = Integer.parseInt(address.replaceAll(".*:", ""));
        try (Socket s = new Socket("127.0.0.1", port)) {
            assertTrue(s.isConnected());
        }
        assertEquals(List.of(), scale.act(List.of(new ScaleSignal.Row("default", "x86_64", 3, 0.0)), now.plusSeconds(60)),
                "one start per arch per scale_cooldown");

        var cfg = ConfigLoader.parse("t", "[kojira-watchdog]\nserver = http://127.0.0.1:1/kojihub\nssh_key = " + key
                + "\nssh_known_hosts = " + knownHosts + "\nssh_user = " + address.replaceAll("@.*", "") + "\nssh_port = " + port
                + "\nssh_host = 127.0.0.1\nbuilder_stop_command = true\ndecommission_hook = env BASE=" + tmp + " bash "
                + SCRIPTS.resolve("loopback-delete.sh") + "\ndecommission_timeout = 30s\n").drain();
        Decommissioner.Result r = new Decommissioner(cfg).decommission(name, "x86_64 noarch");
        assertTrue(r.ok(), r.detail());
        assertTrue(r.detail().contains("deleted builder " + name), r.detail());
        assertEquals(1, Files.readAllLines(tmp.resolve("deleted")).size());
        assertEquals(address.replaceAll("@.*", "") + "@127.0.0.1:" + port, Files.readAllLines(tmp.resolve("deleted")).get(0),
                "the hook got ADDRESS");
        long end = System.nanoTime() + 10_000_000_000L;
        boolean closed = false;
        while (!closed && System.nanoTime() < end) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                Thread.sleep(100);
            } catch (java.io.IOException e) {
                closed = true;
            }
        }
        assertTrue(closed, "the builder's sshd is gone");
    }
}
