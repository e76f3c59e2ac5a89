package org.fedorabuild.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.fedorabuild.pg.testing.TestDatabase;
import org.fedorabuild.pg.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
    @TempDir
    Path dir;

    @Test
    void externalUrlGetsANamedPool() throws Exception {
        try (TestDatabase target = TestPostgres.freshDatabase("database_external");
             Database db = Database.open(target.jdbcUrl(), target.user(), target.password(), dir, "unused",
                     PoolSettings.named("copr-hub-test").withMaximumPoolSize(2))) {
            assertTrue(db.embeddedServer().isEmpty());
            assertEquals(2, db.dataSource().getMaximumPoolSize());
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT current_database(), current_setting('application_name')")) {
                assertTrue(rs.next());
                assertEquals(target.name(), rs.getString(1));
                assertEquals("copr-hub-test", rs.getString(2), "operators see the pool in pg_stat_activity");
            }
        }
    }

    @Test
    void withoutUrlStartsTheEmbeddedDefaultAndStopsItOnClose() throws Exception {
        EmbeddedPostgres server;
        try (Database db = Database.open(" ", null, null, dir, "kojira", PoolSettings.named("kojira"))) {
            server = db.embeddedServer().orElseThrow();
            assertTrue(server.startedByThisInstance());
            assertEquals(2, db.migrate(Migrations.fromClasspath("sql/pg-test")).size());
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT current_database(), count(*) FROM widget")) {
                assertTrue(rs.next());
                assertEquals("kojira", rs.getString(1));
            }
        }
        assertFalse(server.isRunning());
    }

    @Test
    void badCredentialsFailNamingPoolAndUrl() throws Exception {
        EmbeddedPostgres shared = TestPostgres.shared();
        EmbeddedPostgresException e = assertThrows(EmbeddedPostgresException.class,
                () -> Database.createDataSource(shared.jdbcUrl(), shared.user(), "wrong", PoolSettings.named("bad")));
        assertTrue(e.getMessage().contains("pool bad to " + shared.jdbcUrl() + " as user postgres"), e.getMessage());
    }
}
