package org.fedorabuild.hub.db;

import java.util.List;
import org.fedorabuild.hub.config.HubConfig;
import org.fedorabuild.pg.Database;
import org.fedorabuild.pg.EmbeddedPostgres;
import org.fedorabuild.pg.Migration;
import org.fedorabuild.pg.Migrations;
import org.fedorabuild.pg.PoolSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the hub's database as configured, external by JDBC URL or the embedded default under
 * {@code DataDir/pg} (reused when another copr-hub process already runs it), and brings its schema
 * up to date. The caller closes it: that stops an embedded server only if this process started it,
 * so the admin commands never stop the server of a running hub.
 */
public final class HubDatabase {
    private static final Logger LOG = LoggerFactory.getLogger(HubDatabase.class);
    public static final String MIGRATIONS = "sql/copr-hub";

    private HubDatabase() {
    }

    public static Database open(HubConfig config, String poolName, int poolSize) {
        PoolSettings pool = PoolSettings.named(poolName).withMaximumPoolSize(poolSize);
        Database database;
        if (config.embeddedDatabase()) {
            // Stopped by the caller's close (after Jetty), not by a JVM hook racing Jetty's shutdown.
            database = Database.embedded(EmbeddedPostgres.builder(config.pgDir()).database("coprhub").build(), pool);
        } else {
            database = Database.external(config.dbUrl(), config.dbUser(), config.dbPassword(), pool);
        }
        try {
            List<Migration> applied = database.migrate(Migrations.fromClasspath(MIGRATIONS));
            if (!applied.isEmpty()) {
                LOG.info("Database {} - applied {} migration(s): {}", database.jdbcUrl(), applied.size(),
                        applied.stream().map(Migration::fileName).toList());
            }
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }
}
