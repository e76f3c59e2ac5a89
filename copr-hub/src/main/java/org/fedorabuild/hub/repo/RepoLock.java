package org.fedorabuild.hub.repo;

import java.nio.file.Path;

/**
 * Serializes changes to one chroot repository across processes: the hub's {@link RepoPublisher} and a
 * {@code copr-hub prune} running beside it both hold it while they change the chroot's files or metadata,
 * so neither reads a directory the other is changing.
 */
public interface RepoLock {
    /** Work done while holding the lock. */
    @FunctionalInterface
    interface Locked {
        void run() throws java.io.IOException, InterruptedException;
    }

    void locked(Path chrootDir, Locked work) throws java.io.IOException, InterruptedException;

    /** No lock: a single process owns the tree (tests of the publisher alone). */
    RepoLock NONE = (dir, work) -> work.run();
}
