package org.fedorabuild.hub.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server on a loopback port for tests: its own host key, one authorized client key, key login
 * only, SFTP enabled. Stopped by {@link #close()}.
 */
public final class LoopbackSshd implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process process;

    private LoopbackSshd(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    public static LoopbackSshd start(Path dir) throws IOException, InterruptedException {
        TestSandbox.setUp();
        Files.createDirectories(dir);
        Files.createDirectories(Path.of("/run/sshd"));
        keygen(dir.resolve("host_ed25519"));
        keygen(dir.resolve("client_ed25519"));
        Files.copy(dir.resolve("client_ed25519.pub"), dir.resolve("authorized_keys"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String sftp = Files.exists(Path.of("/usr/lib/openssh/sftp-server")) ? "/usr/lib/openssh/sftp-server" : "internal-sftp";
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_ed25519"),
                "PidFile " + dir.resolve("sshd.pid"), "AuthorizedKeysFile " + dir.resolve("authorized_keys") + " .ssh/authorized_keys",
                "PasswordAuthentication no", "KbdInteractiveAuthentication no", "PermitRootLogin prohibit-password",
                "StrictModes no", "UsePAM no", "Subsystem sftp " + sftp, "LogLevel ERROR", ""));
        Process p = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException e) {
                if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                    p.destroyForcibly();
                    throw new IOException("sshd did not start: " + Files.readString(dir.resolve("sshd.log")));
                }
                Thread.sleep(50);
            }
        }
        String hostKey = Files.readString(dir.resolve("host_ed25519.pub")).trim().split("\\s+", 3)[0] + " "
                + Files.readString(dir.resolve("host_ed25519.pub")).trim().split("\\s+", 3)[1];
        Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + hostKey + "\n");
        return new LoopbackSshd(dir, port, p);
    }

    private static void keygen(Path key) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", key.toString()))
                .redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ssh-keygen failed: " + new String(p.getInputStream().readAllBytes()));
        }
    }

    public int port() {
        return port;
    }

    public String user() {
        return System.getProperty("user.name");
    }

    public Path clientKey() {
        return dir.resolve("client_ed25519");
    }

    public Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    /** A known_hosts file naming this port with some other key, for the refusal tests. */
    public Path wrongKnownHosts() throws IOException, InterruptedException {
        Path other = dir.resolve("other_ed25519");
        if (!Files.exists(other)) {
            keygen(other);
        }
        String[] k = Files.readString(dir.resolve("other_ed25519.pub")).trim().split("\\s+");
        Path file = dir.resolve("wrong_known_hosts");
        Files.writeString(file, "[127.0.0.1]:" + port + " " + k[0] + " " + k[1] + "\n");
        return file;
    }

    /**
     * Kills the server and everything it runs, as a crashing machine would, except shells still in a login
     * hook of the test user's ~/.bashrc (pyenv's rehash takes a lock file there; killed mid-way it would leave
     * the lock and hang every later SSH login on this machine).
     */
    @Override
    public void close() {
        // Stop the listener first: while its sessions are being killed it would otherwise accept the hub's next
        // host check and look alive again. A stopped sshd keeps its children, so they stay its descendants.
        try {
            new ProcessBuilder("kill", "-STOP", String.valueOf(process.pid())).start().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (IOException e) {
            // then only the kills below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // A process may fork between listing and killing (rpmbuild starting its next scriptlet): kill until none is
        // left, so a "dead" builder never finishes a build behind the test's back.
        for (int round = 0; round < 20; round++) {
            java.util.List<ProcessHandle> left = process.descendants()
                    .filter(p -> !p.info().commandLine().orElse("").contains("pyenv")).toList();
            if (left.isEmpty()) {
                break;
            }
            left.forEach(ProcessHandle::destroyForcibly);
            left.forEach(p -> p.onExit().completeOnTimeout(p, 1, java.util.concurrent.TimeUnit.SECONDS).join());
        }
        process.destroyForcibly();
    }
}
