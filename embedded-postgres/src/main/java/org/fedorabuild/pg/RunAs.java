package org.fedorabuild.pg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.fedorabuild.process.Command;
import org.fedorabuild.process.CommandException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who the PostgreSQL processes run as, and what the files must look like for that user.
 *
 * <p>PostgreSQL refuses to run as root ("initdb: cannot be run as root"). A daemon running as a
 * normal user runs the binaries directly; a daemon running as root (as in CI and in containers) runs
 * them through {@code runuser -u USER --} (or {@code setpriv} where runuser is missing), and must
 * hand the data directory and password file to that user and make every parent directory
 * traversable, because the unprivileged user cannot reach e.g. a 0700 JUnit temp dir otherwise.
 */
final class RunAs {
    private static final Logger log = LoggerFactory.getLogger(RunAs.class);

    private final boolean root;
    private final String user;             // null when not root: the current user runs everything
    private final UserPrincipal principal; // null when not root
    private final List<String> prefix;

    private RunAs(boolean root, String user, UserPrincipal principal, List<String> prefix) {
        this.root = root;
        this.user = user;
        this.principal = principal;
        this.prefix = prefix;
    }

    /** Decides for the current JVM; {@code serverUser} is only used when the JVM runs as uid 0. */
    static RunAs forCurrentProcess(String serverUser) {
        if (currentUid() != 0) {
            return new RunAs(false, null, null, List.of());
        }
        UserPrincipal principal;
        try {
            principal = Path.of("/").getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(serverUser);
        } catch (UserPrincipalNotFoundException e) {
            throw new EmbeddedPostgresException("OS user '" + serverUser + "' does not exist: running as root,"
                    + " the embedded PostgreSQL server must run as an unprivileged user that owns its data"
                    + " directory; create it (e.g. useradd --system " + serverUser + ") or configure another"
                    + " user (EmbeddedPostgresBuilder.serverUser)", e);
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot look up OS user '" + serverUser + "': " + e.getMessage(), e);
        }
        return new RunAs(true, serverUser, principal, launcher(serverUser));
    }

    private static List<String> launcher(String serverUser) {
        for (String runuser : List.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser")) {
            if (Files.isExecutable(Path.of(runuser))) {
                return List.of(runuser, "-u", serverUser, "--");
            }
        }
        for (String setpriv : List.of("/usr/bin/setpriv", "/bin/setpriv")) {
            if (Files.isExecutable(Path.of(setpriv))) {
                // --init-groups needs the user name in --reuid to find the supplementary groups.
                return List.of(setpriv, "--reuid=" + serverUser, "--regid=" + primaryGroup(serverUser),
                        "--init-groups", "--");
            }
        }
        throw new EmbeddedPostgresException("running as root but neither runuser nor setpriv was found"
                + " (looked in /usr/sbin, /sbin, /usr/bin, /bin); install util-linux or run as a normal user");
    }

    boolean isRoot() {
        return root;
    }

    /** The OS user the server runs as: the configured one under root, else the current user. */
    String serverUser() {
        return root ? user : System.getProperty("user.name");
    }

    /** {@code command} prefixed so that it runs as the server user. */
    List<String> wrap(List<String> command) {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(command);
        return full;
    }

    /** Gives {@code path} to the server user; a no-op when not root (we already own what we create). */
    void handOver(Path path) throws IOException {
        if (root) {
            Files.setOwner(path, principal);
        }
    }

    /**
     * Makes {@code dir} and all its ancestors traversable by the server user. Only needed under root:
     * a normal user already reaches its own directories. Adds o+x (not o+r: listing stays private)
     * where the server user is not the owner, and says so, since it changes permissions the operator
     * may have chosen.
     */
    void makeTraversable(Path dir) throws IOException {
        if (!root) {
            return;
        }
        for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            Set<PosixFilePermission> perms = new HashSet<>(Files.getPosixFilePermissions(p));
            if (perms.contains(PosixFilePermission.OTHERS_EXECUTE) || Files.getOwner(p).equals(principal)) {
                continue;
            }
            perms.add(PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(p, perms);
            log.info("Made {} traversable by others (chmod o+x) so that user {} can reach the PostgreSQL data directory",
                    p, user);
        }
    }

    private static long currentUid() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid();
        } catch (LinkageError e) {
            // A trimmed runtime without the jdk.security.auth module: ask the OS instead.
            return Long.parseLong(query(List.of("id", "-u")));
        }
    }

    private static String primaryGroup(String serverUser) {
        return query(List.of("id", "-g", serverUser));
    }

    private static String query(List<String> command) {
        try {
            return Command.of(command).timeout(Duration.ofSeconds(10)).runChecked("looking up the server user")
                    .stdout().trim();
        } catch (CommandException e) {
            throw new EmbeddedPostgresException(e.getMessage(), e);
        }
    }
}
