package org.fedorabuild.pg;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files of one embedded server under its base directory:
 * <pre>
 *   BASE/pgdata/                  PostgreSQL data directory, also the unix socket directory
 *   BASE/embedded-pg.properties   state: port, superuser, password file (read by reusing processes)
 *   BASE/embedded-pg.password     generated superuser password, mode 0600, owned by the server user
 *   BASE/embedded-pg.log          server output (stdout and stderr of the postmaster)
 *   BASE/embedded-pg.lock         serializes start/stop between processes
 * </pre>
 */
final class ServerFiles {
    /** Same-JVM callers must queue on a monitor: a second FileLock in one JVM throws instead of waiting. */
    private static final ConcurrentHashMap<Path, Object> MONITORS = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();

    final Path base;
    final Path pgdata;
    final Path stateFile;
    final Path passwordFile;
    final Path logFile;
    private final Path lockFile;

    /** What the process that started the server recorded; see {@link #writeState}. */
    record State(int port, String superuser, Path passwordFile) {}

    /** The lines of postmaster.pid we use (PostgreSQL documents the layout in pidfile.h). */
    record PidFile(long pid, int port, String status) {
        boolean ready() {
            return "ready".equals(status);
        }
    }

    ServerFiles(Path base) {
        this.base = base.toAbsolutePath().normalize();
        this.pgdata = this.base.resolve("pgdata");
        this.stateFile = this.base.resolve("embedded-pg.properties");
        this.passwordFile = this.base.resolve("embedded-pg.password");
        this.logFile = this.base.resolve("embedded-pg.log");
        this.lockFile = this.base.resolve("embedded-pg.lock");
    }

    boolean initialized() {
        return Files.exists(pgdata.resolve("PG_VERSION"));
    }

    /** A step that may fail on the file system. */
    interface IoAction<T> {
        T run() throws IOException;
    }

    /** Runs {@code action} holding this base directory's lock against this and other processes. */
    <T> T locked(IoAction<T> action) throws IOException {
        synchronized (MONITORS.computeIfAbsent(base, k -> new Object())) {
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = ch.lock();
                try {
                    return action.run();
                } finally {
                    lock.release();
                }
            }
        }
    }

    /** Writes a fresh random password, readable by its owner only, and gives it to the server user. */
    String createPassword(RunAs runAs) throws IOException {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Files.deleteIfExists(passwordFile);
        Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
        runAs.handOver(passwordFile); // initdb --pwfile reads it as the server user
        return password;
    }

    String readPassword(Path file) {
        try {
            String password = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (password.isEmpty()) {
                throw new EmbeddedPostgresException("password file " + file + " is empty; expected the superuser"
                        + " password generated at initdb time");
            }
            return password;
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot read password file " + file + " (" + e
                    + "); it is created with the data directory " + pgdata + " and needed to connect", e);
        }
    }

    /** Replaces the state file atomically, so a reader never sees half of it. */
    void writeState(State state) throws IOException {
        Properties p = new Properties();
        p.setProperty("port", Integer.toString(state.port()));
        p.setProperty("user", state.superuser());
        p.setProperty("passwordFile", state.passwordFile().toString());
        p.setProperty("dataDirectory", pgdata.toString());
        Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "Written by org.fedorabuild.pg.EmbeddedPostgres; other processes read it to reuse the server");
        }
        Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    Optional<State> readState() {
        if (!Files.exists(stateFile)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(stateFile, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot read state file " + stateFile + ": " + e, e);
        }
        String port = p.getProperty("port", "");
        String user = p.getProperty("user", "");
        String pw = p.getProperty("passwordFile", "");
        if (!port.matches("\\d{1,5}") || user.isEmpty() || pw.isEmpty()) {
            throw new EmbeddedPostgresException("state file " + stateFile + " is incomplete: expected port,"
                    + " user and passwordFile, got port='" + port + "' user='" + user + "' passwordFile='" + pw + "'");
        }
        return Optional.of(new State(Integer.parseInt(port), user, Path.of(pw)));
    }

    /** Parses postmaster.pid, or empty if absent or still being written by a starting server. */
    Optional<PidFile> readPidFile() {
        List<String> lines;
        try {
            lines = Files.readAllLines(pgdata.resolve("postmaster.pid"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (lines.size() < 4) {
            return Optional.empty();
        }
        try {
            String status = lines.size() >= 8 ? lines.get(7).strip() : "";
            return Optional.of(new PidFile(Long.parseLong(lines.get(0).strip()),
                    Integer.parseInt(lines.get(3).strip()), status));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * True if {@code pid} died but was never reaped. Where PID 1 reaps no orphans (some containers),
     * a crashed postmaster started by another, gone, process stays a zombie: pg_ctl and PostgreSQL then
     * believe it alive and refuse to start, which needs a clearer message than theirs.
     */
    static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Format: "pid (comm) S ..."; comm may contain spaces and parentheses, so look after the last ')'.
            return stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
