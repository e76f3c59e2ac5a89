package org.fedorabuild.pg.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The helper as other modules use it: one migrated database for the class, shared by its tests. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresExtensionTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/pg-test");

    @Test
    @Order(1)
    void databaseIsMigratedAndOwnedByThisClass() throws Exception {
        assertTrue(PG.database().name().startsWith("t_postgresextensiontest_"), PG.database().name());
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO widget (name) VALUES ('from test 1')");
        }
    }

    @Test
    @Order(2)
    void laterTestsOfTheClassSeeTheSameDatabase() throws Exception {
        try (Connection c = PG.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM widget")) {
            assertTrue(rs.next());
            assertEquals(2, rs.getInt(1), "seed row from 002 plus the row of test 1");
        }
    }
}
