package org.fedorabuild.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real servers in a JUnit temp directory (0700 under /tmp, which the library must open up under root).
 * The lifecycle tests share one data directory, in order, to pay for initdb once; each also passes alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedPostgresTest {
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @TempDir
    static Path dir;
    private final List<EmbeddedPostgres> servers = new ArrayList<>();

    /** Stops every server a test made, also when the test failed half-way. */
    @AfterEach
    void stopAll() {
        servers.forEach(EmbeddedPostgres::stop);
        // Whatever is still running on the directory (a test failed between start and handle): force it down.
        EmbeddedPostgres.builder(dir.resolve("data")).build().stop(true);
    }

    private EmbeddedPostgres server(String database) {
        EmbeddedPostgres pg = EmbeddedPostgres.builder(dir.resolve("data")).database(database).fsync(false).build();
        servers.add(pg);
        return pg;
    }

    @Test
    @Order(1)
    void startsReusesAndStops() throws Exception {
        EmbeddedPostgres first = server("app").start();
        assertTrue(first.startedByThisInstance());
        assertTrue(first.isRunning());
        assertEquals("jdbc:postgresql://127.0.0.1:" + first.port() + "/app", first.jdbcUrl());
        assertEquals("app", scalar(first, "SELECT current_database()"));
        assertEquals("127.0.0.1", scalar(first, "SHOW listen_addresses"));
        assertEquals(first.dataDirectory().toString(), scalar(first, "SHOW unix_socket_directories"));

        // The password is required and private to the owner.
        SQLException denied = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(first.jdbcUrl(), first.user(), "wrong").close());
        assertEquals("28P01", denied.getSQLState(), denied.getMessage());
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("data/embedded-pg.password"))));
        if (ROOT) {
            assertEquals("postgres", Files.getOwner(first.dataDirectory()).getName());
        }

        // A second object on the same directory (the admin CLI case) attaches instead of starting.
        EmbeddedPostgres second = server("app").start();
        assertFalse(second.startedByThisInstance());
        assertEquals(first.port(), second.port());
        assertEquals(first.password(), second.password());
        assertEquals("app", scalar(second, "SELECT current_database()"));
        second.stop();
        assertTrue(first.isRunning(), "stop() of the reusing instance must leave the server running");
        assertEquals("1", scalar(first, "SELECT 1"));

        int port = first.port();
        first.stop();
        assertFalse(first.isRunning());
        assertThrows(SQLException.class,
                () -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/app?connectTimeout=2",
                        "postgres", "x").close());
        assertThrows(IllegalStateException.class, first::port);
    }

    @Test
    @Order(2)
    void restartsAfterThePostmasterWasKilled() throws Exception {
        EmbeddedPostgres first = server("app").start();
        try (Connection c = first.connect("app"); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS survivor; CREATE TABLE survivor (v text); INSERT INTO survivor VALUES ('committed before kill -9')");
        }
        long pid = Long.parseLong(Files.readAllLines(first.dataDirectory().resolve("postmaster.pid")).get(0).strip());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        assertTrue(postmaster.destroyForcibly(), "SIGKILL to postmaster " + pid);
        postmaster.onExit().get(10, TimeUnit.SECONDS);
        assertFalse(first.isRunning());
        assertTrue(Files.exists(first.dataDirectory().resolve("postmaster.pid")), "kill -9 leaves a stale pid file");

        EmbeddedPostgres second = server("app").start();
        assertTrue(second.startedByThisInstance(), "a dead server is not reused");
        assertEquals("committed before kill -9", scalar(second, "SELECT v FROM survivor"));
        assertTrue(Files.readString(second.logFile()).contains("automatic recovery in progress"));
        second.stop();
        assertFalse(second.isRunning());
    }

    @Test
    @Order(3)
    void failedStartNamesCommandExitCodeAndServerLog() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            EmbeddedPostgres pg = EmbeddedPostgres.builder(dir.resolve("data")).port(port).fsync(false).build();
            servers.add(pg);
            EmbeddedPostgresException e = assertThrows(EmbeddedPostgresException.class, pg::start);
            String m = e.getMessage();
            assertTrue(m.contains("port " + port) && m.contains("bin/postgres -D ") && m.contains("exited with code 1")
                    && m.contains("Address already in use") && m.contains("embedded-pg.log"), m);
            assertFalse(pg.isRunning());
        }
    }

    @Test
    void explainsAMissingServerUser() {
        assumeTrue(ROOT, "the server user only matters under root");
        EmbeddedPostgres pg = EmbeddedPostgres.builder(dir.resolve("other")).serverUser("no_such_pg_user").build();
        EmbeddedPostgresException e = assertThrows(EmbeddedPostgresException.class, pg::start);
        assertTrue(e.getMessage().contains("'no_such_pg_user' does not exist"), e.getMessage());
    }

    @Test
    void explainsMissingBinaries() {
        EmbeddedPostgres pg = EmbeddedPostgres.builder(dir.resolve("other")).binDirectory(Path.of("/nonexistent/pg/bin")).build();
        EmbeddedPostgresException e = assertThrows(EmbeddedPostgresException.class, pg::start);
        assertTrue(e.getMessage().contains("/nonexistent/pg/bin") && e.getMessage().contains("initdb"), e.getMessage());
    }

    @Test
    void rejectsBadOptionsNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmbeddedPostgres.builder(dir).database("Robert'); DROP"));
        assertTrue(e.getMessage().contains("Robert'); DROP"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EmbeddedPostgres.builder(dir).port(70000));
    }

    private static String scalar(EmbeddedPostgres pg, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }
}
