package org.fedorabuild.hub.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.fedorabuild.hub.builder.BuilderTransport;
import org.fedorabuild.hub.builder.Shell;

/**
 * The builder side of build isolation: {@code copr-hub-sandbox}, a root-owned script installed on every
 * builder by its set-up, which runs each build as a dedicated unprivileged user of a build slot inside a
 * bubblewrap sandbox with limits, then ends every process of that user and removes its directory. The hub
 * only composes the commands that call it (with {@code sudo -n} when the builder's login is not root) and
 * checks at every check-in that the installed copy is exactly this one.
 */
public final class Sandbox {
    /** Where the set-up installs the script on a builder. */
    public static final String INSTALLED = "/usr/local/libexec/copr-hub/copr-hub-sandbox";
    private static final String RESOURCE = "copr-hub-sandbox";
    /** Runs a command as root: directly for a root login, else through the sudo rule the set-up wrote. */
    private static final String AS_ROOT = "asroot() { if [ \"$(id -u)\" = 0 ]; then \"$@\"; else sudo -n \"$@\"; fi; }; ";

    private Sandbox() {
    }

    /** The script's text, as shipped in the hub's jar. */
    public static byte[] script() {
        try (InputStream in = Sandbox.class.getResourceAsStream(RESOURCE)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the " + RESOURCE + " resource", e);
        }
    }

    /** SHA-256 of {@link #script()}: what an up-to-date builder's installed copy hashes to. */
    public static String digest() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(script()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What {@link #digestCommand} prints when the login is not root and sudo does not let it run the script. */
    public static final String NO_SUDO = "no-sudo";

    /**
     * A check-in command printing on its own line the installed script's SHA-256 (nothing when absent), or
     * {@link #NO_SUDO} when a non-root login may not run it with {@code sudo -n}.
     */
    public static String digestCommand() {
        return "if [ \"$(id -u)\" = 0 ] || sudo -n -l " + INSTALLED + " >/dev/null 2>&1; then sha256sum " + INSTALLED
                + " 2>/dev/null | cut -d' ' -f1; else echo " + NO_SUDO + "; fi; true";
    }

    /**
     * The shell command that runs {@code command} sandboxed in a copy of the task directory {@code dir}
     * (relative to the transport's work root); {@code results/} comes back into {@code dir}.
     */
    public static String run(long taskId, String dir, boolean network, SandboxLimits limits, Duration wall, String command) {
        return run(taskId, dir, network, limits, wall, command, false);
    }

    /**
     * @param mock the command is mock's: it runs as the slot user under the same limits, confined by mock's own
     *     isolation instead of bubblewrap (mock's privileged helper cannot work inside it)
     */
    public static String run(long taskId, String dir, boolean network, SandboxLimits limits, Duration wall, String command,
            boolean mock) {
        return AS_ROOT + "asroot " + INSTALLED + (mock ? " run-mock " : " run ") + taskId + " " + Shell.quote(dir) + " " + (network ? 1 : 0) + " "
                + limits.cpuSeconds() + " " + limits.memoryBytes() + " " + limits.diskBytes() + " " + limits.processes() + " "
                + Math.max(1, wall.toSeconds()) + " " + Shell.quote(command);
    }

    /**
     * Ends every process of the build slot running in task directory {@code dir} (found by the slot's user,
     * never by a PID file the build could write).
     */
    public static String cancel(String dir) {
        return AS_ROOT + "asroot " + INSTALLED + " cancel " + Shell.quote(dir);
    }

    /**
     * The builder set-up over a transport whose login is root or may use sudo: creates {@code slots} build
     * users, installs the script, and lets the login run it with {@code sudo -n}.
     *
     * @return the set-up's output
     * @throws IOException naming the builder and the script's complaint when it failed
     */
    public static String install(BuilderTransport transport, int slots, Duration timeout) throws IOException {
        Path tmp = Files.createTempFile("copr-hub-sandbox", ".sh");
        try {
            Files.write(tmp, script());
            transport.put(tmp, "copr-hub-sandbox.setup");
        } finally {
            Files.deleteIfExists(tmp);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = transport.run(AS_ROOT + "asroot bash copr-hub-sandbox.setup setup --slots " + slots + " --login \"$(id -un)\";"
                + " rc=$?; rm -f copr-hub-sandbox.setup; exit $rc", out, timeout);
        String text = out.toString(StandardCharsets.UTF_8).strip();
        if (rc != 0) {
            throw new IOException("builder set-up on " + transport.describe() + " failed (exit " + rc + "): " + text);
        }
        return text;
    }
}
