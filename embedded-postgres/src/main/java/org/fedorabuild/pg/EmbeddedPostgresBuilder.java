package org.fedorabuild.pg;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Options of an {@link EmbeddedPostgres}; obtained from {@link EmbeddedPostgres#builder(Path)}.
 * Every option has a default suitable for a daemon; tests usually only turn {@link #fsync} off.
 */
public final class EmbeddedPostgresBuilder {
    final Path baseDirectory;
    int port;
    String database = "coprhub";
    String superuser = "postgres";
    String serverUser = "postgres";
    Path binDirectory;
    boolean fsync = true;
    Duration commandTimeout = Duration.ofSeconds(60);
    boolean stopOnShutdown;

    EmbeddedPostgresBuilder(Path baseDirectory) {
        this.baseDirectory = Objects.requireNonNull(baseDirectory, "baseDirectory");
    }

    /** TCP port on 127.0.0.1; 0 (the default) picks a free one at each start. */
    public EmbeddedPostgresBuilder port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (pick a free one) or 1-65535, got " + port);
        }
        this.port = port;
        return this;
    }

    /** Application database created by start() if absent; default "coprhub". */
    public EmbeddedPostgresBuilder database(String database) {
        this.database = checkIdentifier("database name", database);
        return this;
    }

    /** Database superuser created by initdb; default "postgres". Fixed once the cluster exists. */
    public EmbeddedPostgresBuilder superuser(String superuser) {
        this.superuser = checkIdentifier("superuser name", superuser);
        return this;
    }

    /**
     * OS user that runs the server when the JVM runs as root (PostgreSQL refuses root); default
     * "postgres". It must exist. Ignored for a normal user, who runs the server itself.
     */
    public EmbeddedPostgresBuilder serverUser(String serverUser) {
        if (serverUser == null || !serverUser.matches("[a-z_][a-z0-9_.-]*\\$?")) {
            throw new IllegalArgumentException("server user must be an OS user name like 'postgres', got '" + serverUser + "'");
        }
        this.serverUser = serverUser;
        return this;
    }

    /** Directory with initdb, pg_ctl and postgres; default $PG_BIN, else the newest /usr/lib/postgresql/N/bin. */
    public EmbeddedPostgresBuilder binDirectory(Path binDirectory) {
        this.binDirectory = binDirectory;
        return this;
    }

    /**
     * Off trades durability for speed (initdb --no-sync, fsync and full_page_writes off): committed
     * data survives a server crash but not an OS crash or power loss. For tests only; default on.
     */
    public EmbeddedPostgresBuilder fsync(boolean fsync) {
        this.fsync = fsync;
        return this;
    }

    /** Bound on each external command and on the server becoming ready; default 60 s. */
    public EmbeddedPostgresBuilder commandTimeout(Duration commandTimeout) {
        if (commandTimeout == null || commandTimeout.isNegative() || commandTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("command timeout must be at least 1 s, got " + commandTimeout);
        }
        this.commandTimeout = commandTimeout;
        return this;
    }

    /** Stop the server from a JVM shutdown hook if this instance started it; default off. */
    public EmbeddedPostgresBuilder stopOnShutdown(boolean stopOnShutdown) {
        this.stopOnShutdown = stopOnShutdown;
        return this;
    }

    /** The configured, not yet started server. */
    public EmbeddedPostgres build() {
        return new EmbeddedPostgres(this);
    }

    /** Shorthand for {@code build().start()}. */
    public EmbeddedPostgres start() {
        return build().start();
    }

    /**
     * Names we quote into SQL ourselves, so only plain lower-case identifiers are accepted: they
     * need no escaping and mean the same quoted or not.
     */
    static String checkIdentifier(String what, String name) {
        if (name == null || !name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException(what + " must match [a-z_][a-z0-9_]* and have at most 63 characters, got '"
                    + name + "'");
        }
        return name;
    }
}
