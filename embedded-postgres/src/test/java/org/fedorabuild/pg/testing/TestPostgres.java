package org.fedorabuild.pg.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.fedorabuild.pg.EmbeddedPostgres;
import org.fedorabuild.pg.Migrations;

/**
 * One embedded PostgreSQL per test JVM, shared by all test classes, each of which gets its own
 * database: starting a server costs about a second, creating a database a few milliseconds.
 *
 * <p>The server runs from the same code as the daemons' embedded default (fsync off), in a temp
 * directory, and is stopped and deleted by a shutdown hook when the JVM exits. Usually reached
 * through {@link PostgresExtension}; use this class directly outside JUnit's class lifecycle.
 */
public final class TestPostgres {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestPostgres() {}

    /** The JVM-wide server, started on first use. */
    public static synchronized EmbeddedPostgres shared() {
        if (server == null) {
            Path dir;
            try {
                dir = Files.createTempDirectory("embedded-pg-test-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temp directory for the test PostgreSQL", e);
            }
            EmbeddedPostgres started = EmbeddedPostgres.builder(dir).database("test").fsync(false).start();
            // One hook for both steps: separate hooks run concurrently and could delete a live data directory.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.stop();
                deleteRecursively(dir);
            }, "test-postgres-cleanup"));
            server = started;
        }
        return server;
    }

    /**
     * Creates an empty database on the shared server; its name starts with {@code label} (e.g. the
     * test class name, lower-cased and cut to fit) and ends with a per-JVM counter.
     */
    public static TestDatabase freshDatabase(String label) {
        String clean = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
        String name = "t_" + clean.substring(0, Math.min(clean.length(), 48)) + "_" + COUNTER.incrementAndGet();
        EmbeddedPostgres pg = shared();
        pg.createDatabase(name);
        return new TestDatabase(pg, name);
    }

    /** As {@link #freshDatabase(String)}, with the migrations of a classpath directory applied. */
    public static TestDatabase freshDatabase(String label, String migrationsDirectory) {
        TestDatabase db = freshDatabase(label);
        try {
            Migrations.fromClasspath(migrationsDirectory).apply(db.dataSource());
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort at JVM exit: a leftover temp directory is harmless.
        }
    }
}
