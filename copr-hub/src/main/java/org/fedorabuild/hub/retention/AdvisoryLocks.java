package org.fedorabuild.hub.retention;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.fedorabuild.hub.repo.RepoLock;

/**
 * PostgreSQL session advisory locks, each held on a connection of its own so it survives the commits of the
 * work it guards and is released by the server when the holder dies (a killed prune never leaves a lock).
 * Keys: class {@link #REPO} with {@code hashtext} of the chroot's path relative to the storage root (the
 * same in every process of one hub, whatever its working directory), class {@link #PRUNE} for the one prune
 * that may run at a time.
 */
public final class AdvisoryLocks implements RepoLock {
    static final int REPO = 0x636f7072;   // "copr"
    static final int PRUNE = 0x7072756e;  // "prun"
    public static final int POOLS = 0x706f6f6c;  // "pool": the one hub running the builder pools

    private final DataSource dataSource;
    private final Path storageRoot;

    public AdvisoryLocks(DataSource dataSource, Path storageRoot) {
        this.dataSource = dataSource;
        this.storageRoot = storageRoot.toAbsolutePath().normalize();
    }

    /** A held lock; closing it unlocks and returns the connection. */
    public static final class Held implements AutoCloseable {
        private final Connection c;
        private final int cls;
        private final String key;

        Held(Connection c, int cls, String key) {
            this.c = c;
            this.cls = cls;
            this.key = key;
        }

        @Override
        public void close() {
            try (c; PreparedStatement st = c.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))")) {
                st.setInt(1, cls);
                st.setString(2, key);
                st.execute();
            } catch (SQLException e) {
                // the connection's end releases it anyway
            }
        }

        /** Whether the lock's connection (and so the lock) is still there. */
        public boolean alive() {
            try (PreparedStatement st = c.prepareStatement("SELECT 1")) {
                st.setQueryTimeout(10);
                st.execute();
                return true;
            } catch (SQLException e) {
                return false;
            }
        }
    }

    /** Takes the lock (class, key) if free; empty when another session holds it. */
    public java.util.Optional<Held> tryAcquire(int cls, String key) throws IOException {
        Connection c = null;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(true);
            try (PreparedStatement st = c.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
                st.setInt(1, cls);
                st.setString(2, key);
                try (var rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return java.util.Optional.of(new Held(c, cls, key));
                    }
                }
            }
            c.close();
            return java.util.Optional.empty();
        } catch (SQLException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new IOException("cannot try advisory lock " + key + ": " + e.getMessage(), e);
        }
    }

    /** Waits for the lock (class, key). */
    public Held acquire(int cls, String key) throws IOException {
        Connection c = null;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(true);
            try (PreparedStatement st = c.prepareStatement("SELECT pg_advisory_lock(?, hashtext(?))")) {
                st.setInt(1, cls);
                st.setString(2, key);
                st.execute();
            }
            return new Held(c, cls, key);
        } catch (SQLException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new IOException("cannot take advisory lock " + key + ": " + e.getMessage(), e);
        }
    }

    public Held prune() throws IOException {
        return acquire(PRUNE, "prune");
    }

    String repoKey(Path chrootDir) {
        Path abs = chrootDir.toAbsolutePath().normalize();
        return "repo:" + (abs.startsWith(storageRoot) ? storageRoot.relativize(abs).toString() : abs.toString());
    }

    @Override
    public void locked(Path chrootDir, Locked work) throws IOException, InterruptedException {
        try (Held h = acquire(REPO, repoKey(chrootDir))) {
            work.run();
        }
    }
}
