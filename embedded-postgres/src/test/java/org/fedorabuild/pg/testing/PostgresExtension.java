package org.fedorabuild.pg.testing;

import java.sql.Connection;
import java.sql.SQLException;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class its own database on the JVM-wide {@link TestPostgres} server, created before
 * the class's tests (with the migrations applied, if a directory is given) and dropped after them.
 * Register it on a static field, so that it lives for the class:
 * <pre>
 *   &#64;RegisterExtension
 *   static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
 *   ... PG.dataSource().getConnection() ...
 * </pre>
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {
    private final String migrationsDirectory; // null: empty database
    private TestDatabase database;

    private PostgresExtension(String migrationsDirectory) {
        this.migrationsDirectory = migrationsDirectory;
    }

    /** An empty database per test class. */
    public static PostgresExtension emptyDatabase() {
        return new PostgresExtension(null);
    }

    /** A database per test class with the migrations of a classpath directory (e.g. "sql/copr-hub") applied. */
    public static PostgresExtension withMigrations(String migrationsDirectory) {
        return new PostgresExtension(migrationsDirectory);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        String label = context.getRequiredTestClass().getSimpleName();
        database = migrationsDirectory == null ? TestPostgres.freshDatabase(label)
                : TestPostgres.freshDatabase(label, migrationsDirectory);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (database != null) {
            database.close();
            database = null;
        }
    }

    public TestDatabase database() {
        if (database == null) {
            throw new IllegalStateException("PostgresExtension has no database: register it with @RegisterExtension"
                    + " on a static field (beforeAll never ran for an instance field)");
        }
        return database;
    }

    public HikariDataSource dataSource() {
        return database().dataSource();
    }

    public String jdbcUrl() {
        return database().jdbcUrl();
    }

    public String user() {
        return database().user();
    }

    public String password() {
        return database().password();
    }

    public Connection connect() throws SQLException {
        return database().connect();
    }
}
