package org.fedorabuild.pg.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import org.fedorabuild.pg.Database;
import org.fedorabuild.pg.EmbeddedPostgres;
import org.fedorabuild.pg.PoolSettings;

/**
 * A database of its own on the shared test server; {@link #close()} drops it. The pool is small
 * (4) because many test classes' pools may be open at once against one server.
 */
public final class TestDatabase implements AutoCloseable {
    private final EmbeddedPostgres server;
    private final String name;
    private HikariDataSource dataSource;

    TestDatabase(EmbeddedPostgres server, String name) {
        this.server = server;
        this.name = name;
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    public String user() {
        return server.user();
    }

    public String password() {
        return server.password();
    }

    public EmbeddedPostgres server() {
        return server;
    }

    /** A pooled DataSource on this database, created on first use and closed with it. */
    public synchronized HikariDataSource dataSource() {
        if (dataSource == null) {
            dataSource = Database.createDataSource(jdbcUrl(), user(), password(),
                    new PoolSettings(name, 4, Duration.ofSeconds(10)));
        }
        return dataSource;
    }

    /** A new unpooled connection; the caller closes it. */
    public Connection connect() throws SQLException {
        return server.connect(name);
    }

    @Override
    public synchronized void close() {
        if (dataSource != null) {
            dataSource.close();
            dataSource = null;
        }
        server.dropDatabase(name);
    }
}
