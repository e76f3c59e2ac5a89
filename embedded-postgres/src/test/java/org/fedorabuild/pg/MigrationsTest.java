package org.fedorabuild.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.fedorabuild.pg.testing.TestDatabase;
import org.fedorabuild.pg.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migrations against fresh databases on the shared test server. */
class MigrationsTest {
    @TempDir
    Path tmp;
    private TestDatabase db;

    @BeforeEach
    void freshDatabase() {
        db = TestPostgres.freshDatabase("migrations");
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    @Test
    void appliesInOrderOnceAndRecordsChecksums() throws Exception {
        Migrations m = Migrations.fromClasspath("sql/pg-test");
        assertEquals(List.of(1, 2), m.migrations().stream().map(Migration::version).toList());

        assertEquals(2, m.apply(db.dataSource()).size());
        assertEquals(0, m.apply(db.dataSource()).size(), "second run applies nothing");

        assertEquals("seed|added by 002|1", query("SELECT name || '|' || note || '|' || widget_count() FROM widget"));
        assertEquals("1:001-initial.sql:" + m.migrations().get(0).checksum() + ",2:002-widget-note.sql:"
                        + m.migrations().get(1).checksum(),
                query("SELECT string_agg(version || ':' || name || ':' || checksum, ',' ORDER BY version)"
                        + " FROM schema_migrations"));
    }

    @Test
    void failedMigrationIsRolledBackWithItsRow() throws Exception {
        write("001-a.sql", "CREATE TABLE a (x int);");
        write("002-b.sql", "BEGIN;\nCREATE TABLE b (x int);\nSELECT no_such_column FROM a;\nCOMMIT;\n");
        MigrationException e = assertThrows(MigrationException.class, () -> fromTmp().apply(db.dataSource()));
        assertTrue(e.getMessage().contains("002-b.sql") && e.getMessage().contains("no_such_column"), e.getMessage());
        assertEquals("1", query("SELECT string_agg(version::text, ',') FROM schema_migrations"));
        assertEquals("0", query("SELECT count(*) FROM pg_tables WHERE tablename = 'b'"));
    }

    @Test
    void changedAppliedFileIsAnError() throws Exception {
        write("001-a.sql", "CREATE TABLE a (x int);");
        fromTmp().apply(db.dataSource());
        write("001-a.sql", "CREATE TABLE a (x bigint);");
        MigrationException e = assertThrows(MigrationException.class, () -> fromTmp().apply(db.dataSource()));
        assertTrue(e.getMessage().contains("001-a.sql (version 1) was changed after it was applied"), e.getMessage());
    }

    @Test
    void concurrentStartersApplyEachMigrationOnce() throws Exception {
        // The sleep keeps the first starter inside the lock while the second arrives.
        write("001-slow.sql", "CREATE TABLE slow (x int); SELECT pg_sleep(0.3);");
        write("002-next.sql", "INSERT INTO slow VALUES (2);");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<Integer> starter = () -> fromTmp().apply(db.dataSource()).size();
            List<Future<Integer>> runs = List.of(pool.submit(starter), pool.submit(starter));
            int total = 0;
            for (Future<Integer> f : runs) {
                total += f.get();
            }
            assertEquals(2, total, "each migration applied by exactly one starter");
        } finally {
            pool.shutdownNow();
        }
        assertEquals("1", query("SELECT count(*) FROM slow"));
    }

    @Test
    void listsJarsWithAndWithoutDirectoryEntries() throws Exception {
        for (boolean dirEntries : new boolean[] {true, false}) {
            Path jar = tmp.resolve("m-" + dirEntries + ".jar");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                if (dirEntries) {
                    out.putNextEntry(new JarEntry("sql/"));
                    out.putNextEntry(new JarEntry("sql/jarred/"));
                }
                entry(out, "sql/jarred/10-ten.sql", "SELECT 10;");
                entry(out, "sql/jarred/2-two.sql", "SELECT 2;");
                entry(out, "sql/jarred/1-one.sql", "SELECT 1;");
                entry(out, "sql/jarred/sub/3-nested.sql", "SELECT 3;");
                entry(out, "sql/other/4-elsewhere.sql", "SELECT 4;");
            }
            try (URLClassLoader cl = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
                // Without directory entries the loader has no URL for "sql/jarred": the jar is found by the fallback.
                assertEquals(List.of(1, 2, 10), Migrations.fromClasspath("sql/jarred", cl).migrations()
                        .stream().map(Migration::version).toList(), "numeric order, subdirectories skipped");
            }
        }
    }

    @Test
    void rejectsBadFileNamesAndDuplicateVersions() throws Exception {
        write("1-ok.sql", "SELECT 1;");
        write("two.sql", "SELECT 2;");
        MigrationException e = assertThrows(MigrationException.class, this::fromTmp);
        assertTrue(e.getMessage().contains("'two.sql'"), e.getMessage());
        Files.delete(tmp.resolve("sql/t/two.sql"));
        write("001-dup.sql", "SELECT 1;");
        e = assertThrows(MigrationException.class, this::fromTmp);
        assertTrue(e.getMessage().contains("share version 1"), e.getMessage());
    }

    @Test
    void unbalancedTransactionLinesAreAnError() {
        MigrationException e = assertThrows(MigrationException.class,
                () -> Migration.parse("005-x.sql", "BEGIN;\nSELECT 1;\n".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("005-x.sql starts with BEGIN on line 1"), e.getMessage());
    }

    private Migrations fromTmp() throws IOException {
        // A fresh loader each time, so that changed files are read again (no JDK resource caching).
        return Migrations.fromClasspath("sql/t", new URLClassLoader(new URL[] {tmp.toUri().toURL()}, null));
    }

    private void write(String name, String sql) throws IOException {
        Files.createDirectories(tmp.resolve("sql/t"));
        Files.writeString(tmp.resolve("sql/t").resolve(name), sql);
    }

    private static void entry(JarOutputStream out, String name, String content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }

    private String query(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return String.join("\n", rows);
        }
    }
}
