package org.fedorabuild.hub.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the hub itself reads a package's header (rpm's queries, createrepo_c): bubblewrap with every namespace
 * unshared (no network), a user namespace's unprivileged ids, all capabilities dropped, the system read-only and
 * nothing else but the one package, read-only at {@code /pkg/NAME} (or the directories a command reads and
 * writes). The hub's data directory, database and keys are not in it, so a package crafted against rpm's parser
 * finds nothing to read or change.
 */
public final class HeaderSandbox {
    private static final List<String> SYSTEM = List.of("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc");
    private static final List<String> SECRETS = List.of("/etc/copr-hub", "/etc/kojira-watchdog", "/etc/ssh", "/etc/sudoers.d",
            "/etc/ssl/private", "/etc/pki/tls/private");

    private HeaderSandbox() {
    }

    /** {@code command} (which names the package as {@link #inside}) wrapped to run sandboxed. */
    public static List<String> wrap(Path pkg, List<String> command) {
        List<String> argv = base();
        argv.addAll(List.of("--ro-bind", pkg.toAbsolutePath().toString(), inside(pkg), "--"));
        argv.addAll(command);
        return argv;
    }

    /**
     * {@code command} sandboxed the same way with directories instead of one package, each at its own path:
     * {@code readOnly} ones (packages to read), then {@code writable} ones (where it writes its output).
     */
    public static List<String> wrapDirs(List<Path> readOnly, List<Path> writable, List<String> command) {
        List<String> argv = base();
        for (Path d : readOnly) {
            argv.addAll(List.of("--ro-bind", d.toAbsolutePath().toString(), d.toAbsolutePath().toString()));
        }
        for (Path d : writable) {
            argv.addAll(List.of("--bind", d.toAbsolutePath().toString(), d.toAbsolutePath().toString()));
        }
        argv.add("--");
        argv.addAll(command);
        return argv;
    }

    private static List<String> base() {
        List<String> argv = new ArrayList<>(List.of("bwrap", "--unshare-all", "--unshare-user", "--uid", "65534", "--gid",
                "65534", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--proc", "/proc", "--dev", "/dev",
                "--tmpfs", "/tmp"));
        for (String d : SYSTEM) {
            Path p = Path.of("/" + d);
            if (Files.isSymbolicLink(p)) {
                try {
                    argv.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), p.toString()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            } else if (Files.isDirectory(p)) {
                argv.addAll(List.of("--ro-bind", p.toString(), p.toString()));
            }
        }
        for (String s : SECRETS) {
            if (Files.isDirectory(Path.of(s))) {
                argv.addAll(List.of("--tmpfs", s));
            }
        }
        return argv;
    }

    /** The package's path inside the sandbox. */
    public static String inside(Path pkg) {
        return "/pkg/" + pkg.getFileName();
    }
}
