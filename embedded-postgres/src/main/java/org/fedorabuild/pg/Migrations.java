package org.fedorabuild.pg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the SQL migrations of one classpath directory (e.g. {@code sql/copr-hub/001-initial.sql},
 * {@code 002-...sql}) in version order, recording each in {@code schema_migrations}.
 *
 * <p>Contract: each migration runs in its own transaction together with its row, so a failure
 * leaves the schema at the previous version. Starters running at once (two daemon instances, a
 * daemon and an admin CLI) are serialized by a session advisory lock. An applied file whose
 * checksum changed is an error: editing a released migration would leave databases that applied
 * the old text silently different from new ones; add a new migration instead.
 */
public final class Migrations {
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);
    /** Advisory lock key ("fbmigr" in ASCII): held by whoever is migrating this database. */
    static final long LOCK_KEY = 0x66626d696772L;

    private final String directory;
    private final List<Migration> migrations;

    /** A row of schema_migrations. */
    private record Applied(String name, String checksum) {}

    private Migrations(String directory, List<Migration> migrations) {
        this.directory = directory;
        this.migrations = migrations;
    }

    /** Reads the migrations of {@code directory} with the context class loader (or ours). */
    public static Migrations fromClasspath(String directory) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return fromClasspath(directory, cl != null ? cl : Migrations.class.getClassLoader());
    }

    /** Reads the {@code .sql} files of {@code directory}; other files (e.g. a README) are ignored. */
    public static Migrations fromClasspath(String directory, ClassLoader loader) {
        Map<Integer, Migration> byVersion = new TreeMap<>();
        for (ClasspathDirectory.Entry e : ClasspathDirectory.list(loader, directory).values()) {
            if (!e.name().endsWith(".sql")) {
                continue;
            }
            Migration m = Migration.parse(e.name(), e.content());
            Migration clash = byVersion.putIfAbsent(m.version(), m);
            if (clash != null) {
                throw new MigrationException("migrations " + clash.fileName() + " and " + m.fileName() + " in "
                        + directory + " share version " + m.version() + "; expected unique numeric prefixes");
            }
        }
        if (byVersion.isEmpty()) {
            throw new MigrationException("no migrations found in classpath directory " + directory
                    + "; expected files named like 001-initial.sql");
        }
        return new Migrations(directory, List.copyOf(byVersion.values()));
    }

    /** All migrations found, in version order. */
    public List<Migration> migrations() {
        return migrations;
    }

    /** Brings the database of {@code dataSource} up to date; returns the migrations applied now. */
    public List<Migration> apply(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return apply(c);
        } catch (SQLException e) {
            throw new MigrationException("cannot connect to migrate " + directory + ": " + e.getMessage(), e);
        }
    }

    /** As {@link #apply(DataSource)} on a connection the caller owns; leaves it in autocommit. */
    public List<Migration> apply(Connection c) {
        long t0 = System.nanoTime();
        try {
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
            }
            try {
                List<Migration> applied = applyLocked(c);
                log.info("{} - Schema is at version {}: applied {} migration(s) in {} ms", directory,
                        migrations.get(migrations.size() - 1).version(), applied.size(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                return applied;
            } finally {
                c.setAutoCommit(true);
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
                }
            }
        } catch (SQLException e) {
            throw new MigrationException("migrating " + directory + " failed: " + e.getMessage(), e);
        }
    }

    private List<Migration> applyLocked(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, name text NOT NULL,"
                    + " checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        }
        TreeMap<Integer, Applied> done = new TreeMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version, name, checksum FROM schema_migrations")) {
            while (rs.next()) {
                done.put(rs.getInt(1), new Applied(rs.getString(2), rs.getString(3)));
            }
        }
        verify(done);
        int newestApplied = done.isEmpty() ? Integer.MIN_VALUE : done.lastKey();
        List<Migration> applied = new ArrayList<>();
        for (Migration m : migrations) {
            if (done.containsKey(m.version())) {
                continue;
            }
            if (m.version() < newestApplied) {
                log.warn("{} - Applying {} after the newer version {}: it was added out of order", directory,
                        m.fileName(), newestApplied);
            }
            applyOne(c, m);
            applied.add(m);
        }
        return applied;
    }

    /** Collects every mismatch before failing, so one run shows the operator all of them. */
    private void verify(Map<Integer, Applied> done) {
        Map<Integer, Migration> known = new TreeMap<>();
        migrations.forEach(m -> known.put(m.version(), m));
        List<String> problems = new ArrayList<>();
        done.forEach((version, row) -> {
            Migration m = known.get(version);
            if (m == null) {
                log.warn("{} - Database has migration {} ({}) which this build does not ship: it is newer than"
                        + " this build or the file was removed", directory, version, row.name());
            } else if (!m.checksum().equals(row.checksum())) {
                problems.add(m.fileName() + " (version " + version + ") was changed after it was applied: checksum "
                        + m.checksum() + ", expected " + row.checksum() + " recorded when " + row.name() + " was applied");
            }
        });
        if (!problems.isEmpty()) {
            throw new MigrationException("applied migrations in " + directory + " do not match the database: "
                    + String.join("; ", problems) + "; restore the files and add a new migration for the change");
        }
    }

    private void applyOne(Connection c, Migration m) throws SQLException {
        long t0 = System.nanoTime();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement();
             PreparedStatement row = c.prepareStatement(
                     "INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)")) {
            st.execute(m.sql());
            row.setInt(1, m.version());
            row.setString(2, m.fileName());
            row.setString(3, m.checksum());
            row.executeUpdate();
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw new MigrationException("migration " + directory + "/" + m.fileName() + " failed and was rolled back: "
                    + e.getMessage(), e);
        }
        log.info("{} - Applied migration {} in {} ms", directory, m.fileName(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }
}
