/**
 * A private PostgreSQL for the daemons (copr-hub, kojira-watchdog) and their tests.
 *
 * <ul>
 *   <li>{@link org.fedorabuild.pg.EmbeddedPostgres}: runs the system's PostgreSQL binaries on a data
 *       directory, as root (through runuser, as an unprivileged user) or as a normal user; reuses a
 *       server another process started on the same directory.</li>
 *   <li>{@link org.fedorabuild.pg.Migrations}: applies {@code NNN-name.sql} files of a classpath
 *       directory once each, recorded in {@code schema_migrations}.</li>
 *   <li>{@link org.fedorabuild.pg.Database}: the HikariCP pool on a configured JDBC URL or, by
 *       default, on the embedded server.</li>
 * </ul>
 *
 * A daemon's startup, typically:
 * <pre>
 *   Database db = Database.open(cfg.jdbcUrl(), cfg.user(), cfg.password(), cfg.dataDir(), "coprhub",
 *           PoolSettings.named("copr-hub").withMaximumPoolSize(cfg.dbPoolSize()));
 *   db.migrate(Migrations.fromClasspath("sql/copr-hub"));
 * </pre>
 * Tests use {@code org.fedorabuild.pg.testing.PostgresExtension} from this module's test-jar.
 */
package org.fedorabuild.pg;
