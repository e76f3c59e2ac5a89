package org.fedorabuild.pg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private PostgreSQL server under a base directory, run from the system's PostgreSQL binaries.
 *
 * <p>{@link #start()} is idempotent across processes: when a server already runs on the directory
 * (a daemon started it), it is reused through the state file that daemon wrote, and {@link #stop()}
 * leaves it running. This is how an admin CLI reaches the database of a running daemon. The server
 * listens on 127.0.0.1 only and requires the generated superuser password for TCP connections.
 *
 * <p>Thread-safe; the file layout is described in {@code ServerFiles}.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);

    private final EmbeddedPostgresBuilder config;
    private final ServerFiles files;

    // Set by start(), cleared by stop(); guarded by this.
    private boolean active;
    private ServerControl.Endpoint endpoint;
    private Thread shutdownHook;

    EmbeddedPostgres(EmbeddedPostgresBuilder config) {
        this.config = config;
        this.files = new ServerFiles(config.baseDirectory);
    }

    /** Configures a server whose files live under {@code baseDirectory} (created if absent). */
    public static EmbeddedPostgresBuilder builder(Path baseDirectory) {
        return new EmbeddedPostgresBuilder(baseDirectory);
    }

    /**
     * Starts the server, or attaches to the one already running on this directory, and creates
     * the application database if absent. Returns this; a second call is a no-op.
     */
    public synchronized EmbeddedPostgres start() {
        if (active) {
            return this;
        }
        long t0 = System.nanoTime();
        log.info("{} - Starting...", files.base);
        try {
            endpoint = new ServerControl(config, files).startOrAttach();
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot prepare " + files.base + " for PostgreSQL: " + e, e);
        }
        active = true;
        try {
            createDatabase(config.database);
        } catch (RuntimeException e) {
            stop(); // do not leave a server behind that the caller never gets a handle to stop
            throw e;
        }
        if (config.stopOnShutdown && endpoint.startedHere()) {
            shutdownHook = new Thread(this::stop, "embedded-postgres-stop");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        log.info("{} - Start completed: {} server on 127.0.0.1:{}, database superuser {} ({} ms).", files.base,
                endpoint.startedHere() ? "started" : "reused running", endpoint.port(), endpoint.superuser(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return this;
    }

    /** Stops the server if this instance started it; a reused server is left to its owner. */
    public void stop() {
        stop(false);
    }

    /**
     * Stops the server with {@code pg_ctl stop -m fast} and waits for it. With {@code force}, also
     * stops a server this instance did not start (e.g. an admin's "stop database" command): one it
     * reused, or one another process started after ours crashed.
     */
    public synchronized void stop(boolean force) {
        boolean startedHere = endpoint != null && endpoint.startedHere();
        try {
            if (!startedHere && !force) {
                if (active) {
                    log.info("{} - Leaving PostgreSQL on port {} running: another process started it", files.base,
                            endpoint.port());
                }
                return;
            }
            boolean stopped = new ServerControl(config, files).stop(startedHere ? endpoint.pid() : -1, force);
            if (startedHere && !endpoint.launcher().waitFor(config.commandTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} - Server launcher pid {} still running after pg_ctl stop", files.base,
                        endpoint.launcher().pid());
            }
            if (stopped) {
                log.info("{} - Shutdown completed.", files.base);
            } else if (startedHere) {
                log.warn("{} - The server this instance started was no longer running (crashed or stopped by"
                        + " someone else); see {}", files.base, files.logFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + files.base + " to stop PostgreSQL", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            active = false;
            endpoint = null;
            removeShutdownHook();
        }
    }

    /**
     * The caller stops the server itself, last, when it exits: a daemon whose own shutdown finishes a cycle or
     * commits must not have the database stopped under it by this class's exit hook, which the JVM runs at the same
     * time as the daemon's.
     */
    public synchronized EmbeddedPostgres leaveStopToCaller() {
        removeShutdownHook();
        return this;
    }

    /** Same as {@link #stop()}: stops only what this instance started. */
    @Override
    public void close() {
        stop();
    }

    private void removeShutdownHook() {
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down: the hook runs or has run; nothing to undo.
            }
        }
        shutdownHook = null;
    }

    /** Creates {@code name} unless it exists; safe against a concurrent creator. */
    public void createDatabase(String name) {
        EmbeddedPostgresBuilder.checkIdentifier("database name", name);
        try (Connection c = connect("postgres")) {
            var st = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?");
            st.setString(1, name);
            if (st.executeQuery().next()) {
                return;
            }
            c.createStatement().execute("CREATE DATABASE \"" + name + "\"");
            log.info("{} - Created database {}", files.base, name);
        } catch (SQLException e) {
            // 42P04 duplicate_database; 23505 when a concurrent CREATE won the race on pg_database.
            if (!"42P04".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                throw new EmbeddedPostgresException("cannot create database " + name + " on " + jdbcUrl(name) + ": " + e, e);
            }
        }
    }

    /** Drops {@code name} if it exists, disconnecting its sessions (tests drop their databases). */
    public void dropDatabase(String name) {
        EmbeddedPostgresBuilder.checkIdentifier("database name", name);
        try (Connection c = connect("postgres")) {
            c.createStatement().execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        } catch (SQLException e) {
            throw new EmbeddedPostgresException("cannot drop database " + name + " on " + jdbcUrl(name) + ": " + e, e);
        }
    }

    /** A plain JDBC connection as the superuser, for administration; applications use a pool. */
    public Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user());
        p.setProperty("password", password());
        p.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(jdbcUrl(database), p);
    }

    /** Whether a server (ours or another process's) currently runs on the data directory. */
    public boolean isRunning() {
        return files.readPidFile().map(pid -> ProcessHandle.of(pid.pid()).map(ProcessHandle::isAlive).orElse(false)
                && !ServerFiles.isZombie(pid.pid())).orElse(false);
    }

    /** True if this instance launched the server (so {@link #stop()} stops it), false if it reused one. */
    public synchronized boolean startedByThisInstance() {
        return endpoint != null && endpoint.startedHere();
    }

    public String jdbcUrl() {
        return jdbcUrl(config.database);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    public synchronized int port() {
        requireActive();
        return endpoint.port();
    }

    public synchronized String user() {
        requireActive();
        return endpoint.superuser();
    }

    public synchronized String password() {
        requireActive();
        return endpoint.password();
    }

    /** The application database created by {@link #start()}. */
    public String database() {
        return config.database;
    }

    public Path baseDirectory() {
        return files.base;
    }

    public Path dataDirectory() {
        return files.pgdata;
    }

    /** Where the server writes its log (stdout and stderr of the postmaster). */
    public Path logFile() {
        return files.logFile;
    }

    private void requireActive() {
        if (!active) {
            throw new IllegalStateException("embedded PostgreSQL on " + files.base + " is not started; call start() first");
        }
    }

    @Override
    public String toString() {
        return "EmbeddedPostgres[" + files.base + (active ? ", port " + endpoint.port() : ", not started") + "]";
    }
}
