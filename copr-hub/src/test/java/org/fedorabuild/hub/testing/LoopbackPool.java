package org.fedorabuild.hub.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A builder pool of real OpenSSH servers on loopback for tests: {@code cmd_new} (src/test/resources/pool)
 * starts one with its own port and host key and prints {@code USER@127.0.0.1:PORT}; {@code cmd_delete} stops
 * it; {@code cmd_check} probes its port. Holds the hub's SSH key and known_hosts.
 */
public final class LoopbackPool implements AutoCloseable {
    public final Path base;
    public final Path key;
    public final Path knownHosts;
    private static final Path SCRIPTS = Path.of("src/test/resources/pool").toAbsolutePath();

    private LoopbackPool(Path base) {
        this.base = base;
        this.key = base.resolve("hub_ed25519");
        this.knownHosts = base.resolve("known_hosts");
    }

    public static LoopbackPool create(Path base) throws IOException, InterruptedException {
        Files.createDirectories(base);
        LoopbackPool p = new LoopbackPool(base);
        Process k = new ProcessBuilder(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "hub", "-f", p.key.toString()))
                .redirectErrorStream(true).start();
        if (!k.waitFor(30, TimeUnit.SECONDS) || k.exitValue() != 0) {
            throw new IOException("ssh-keygen failed: " + new String(k.getInputStream().readAllBytes()));
        }
        Files.writeString(p.knownHosts, "");
        return p;
    }

    /** [hub] lines for this pool's SSH key and known_hosts. */
    public String hubIni() {
        return "SSHKey = " + key + "\nSSHKnownHosts = " + knownHosts + "\nSSHConnectTimeout = 10\nBuildBackend = rpmbuild\n";
    }

    /**
     * A {@code [pool NAME]} section; {@code trustOnStart}: the script does not register the host key;
     * {@code fails}: the first so many cmd_new fail; {@code extra}: more key lines.
     */
    public String section(String name, boolean trustOnStart, int fails, String extra) {
        String env = "BASE=" + base + " CLIENT_PUB=" + key + ".pub" + (trustOnStart ? "" : " KNOWN_HOSTS=" + knownHosts)
                + (fails > 0 ? " FAILS=" + fails : "");
        return "[pool " + name + "]\ncmd_new = " + env + " bash " + SCRIPTS.resolve("loopback-new.sh") + "\ncmd_delete = BASE=" + base
                + " bash " + SCRIPTS.resolve("loopback-delete.sh") + "\narches = " + BuildHub.arch() + "\n"
                + (trustOnStart ? "host_key = trust-on-start\n" : "") + extra;
    }

    public String checkCommand() {
        return "cmd_check = bash " + SCRIPTS.resolve("loopback-check.sh") + "\n";
    }

    /**
     * Builders of every test on this machine share the user's ~/copr-hub-builder/task-ID directories, and each
     * test database numbers tasks from 1: ids far from the others' keep two tests' task 4 apart.
     */
    public static void distinctTaskIds(org.fedorabuild.hub.db.Db db) {
        db.query("SELECT setval('tasks_id_seq', ?)", 1_000_000L + new java.util.Random().nextInt(1_000_000_000));
    }

    /** Addresses cmd_delete was run for, in order. */
    public List<String> deleted() throws IOException {
        Path f = base.resolve("deleted");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    /** The builder machine dies: its sshd and everything running under it, killed at once. */
    public void kill(String builder) throws IOException {
        long pid = Long.parseLong(Files.readString(base.resolve(builder).resolve("sshd.pid")).strip());
        ProcessHandle.of(pid).ifPresent(LoopbackPool::killTree);
    }

    private static void killTree(ProcessHandle p) {
        // not shells in a login hook of ~/.bashrc (pyenv's rehash lock: see LoopbackSshd.close)
        p.descendants().filter(d -> !d.info().commandLine().orElse("").contains("pyenv")).forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** Stops every builder still running (a test that failed half-way must not leave servers behind). */
    @Override
    public void close() throws IOException {
        try (var dirs = Files.list(base)) {
            for (Path d : dirs.toList()) {
                Path pid = d.resolve("sshd.pid");
                if (Files.isRegularFile(pid)) {
                    ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(LoopbackPool::killTree);
                }
            }
        }
    }
}
