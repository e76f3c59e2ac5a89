package org.fedorabuild.pg;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A daemon's connection pool, and the embedded server behind it when there is no external one.
 *
 * <p>Daemons take their database either from a configured JDBC URL or, by default, from an
 * {@link EmbeddedPostgres} under their data directory; {@link #open} makes that choice in one place.
 * {@link #close()} closes the pool, then stops the embedded server if this process started it.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final EmbeddedPostgres server; // null for an external database

    private Database(HikariDataSource dataSource, EmbeddedPostgres server) {
        this.dataSource = dataSource;
        this.server = server;
    }

    /** A pool on any PostgreSQL; connects once now, so a wrong URL or password fails here. */
    public static HikariDataSource createDataSource(String jdbcUrl, String user, String password, PoolSettings pool) {
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName(pool.poolName());
        cfg.setJdbcUrl(jdbcUrl);
        cfg.setUsername(user);
        cfg.setPassword(password);
        cfg.setMaximumPoolSize(pool.maximumPoolSize());
        cfg.setConnectionTimeout(pool.connectionTimeout().toMillis());
        cfg.addDataSourceProperty("ApplicationName", pool.poolName());
        try {
            return new HikariDataSource(cfg);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new EmbeddedPostgresException("cannot open connection pool " + pool.poolName() + " to " + jdbcUrl
                    + " as user " + user + ": " + cause.getMessage(), e);
        }
    }

    /** An external database given by URL and credentials. */
    public static Database external(String jdbcUrl, String user, String password, PoolSettings pool) {
        return new Database(createDataSource(jdbcUrl, user, password, pool), null);
    }

    /** Starts (or reuses) {@code server} and pools connections to its application database. */
    public static Database embedded(EmbeddedPostgres server, PoolSettings pool) {
        server.start();
        try {
            return new Database(createDataSource(server.jdbcUrl(), server.user(), server.password(), pool), server);
        } catch (RuntimeException e) {
            server.stop();
            throw e;
        }
    }

    /**
     * The daemon default: {@code jdbcUrl} when given (non-blank), else an embedded server under
     * {@code dataDirectory} with database {@code database}, stopped at JVM exit if started here.
     */
    public static Database open(String jdbcUrl, String user, String password, Path dataDirectory, String database,
                                PoolSettings pool) {
        if (jdbcUrl != null && !jdbcUrl.isBlank()) {
            return external(jdbcUrl, user, password, pool);
        }
        return embedded(EmbeddedPostgres.builder(dataDirectory).database(database).stopOnShutdown(true).build(), pool);
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    /** The embedded server, or empty for an external database. */
    public Optional<EmbeddedPostgres> embeddedServer() {
        return Optional.ofNullable(server);
    }

    public String jdbcUrl() {
        return dataSource.getJdbcUrl();
    }

    /** Applies {@code migrations} through this pool; returns those applied now. */
    public List<Migration> migrate(Migrations migrations) {
        return migrations.apply(dataSource);
    }

    @Override
    public void close() {
        try {
            dataSource.close();
        } finally {
            if (server != null) {
                server.stop();
            }
        }
    }
}
