package org.fedorabuild.hub.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.fedorabuild.hub.config.HubConfig;

/**
 * The hub's files are its own: results reach others over HTTP, never from disk. The data directory is
 * {@code 0711} (the embedded PostgreSQL, which may run as another user, must reach {@code DataDir/pg}); the
 * work area (uploads, task outputs), the local builder's area and the results are {@code 0700}, and secrets
 * are written {@code 0600} from their creation on.
 */
public final class DataDirs {
    private DataDirs() {
    }

    public static void secure(HubConfig config) {
        try {
            dir(config.dataDir(), "rwx--x--x");
            dir(config.workDir(), "rwx------");
            dir(config.dataDir().resolve("builder"), "rwx------");
            dir(config.builds().storageRoot(), "rwx------");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the data directory " + config.dataDir() + ": " + e.getMessage(), e);
        }
    }

    private static void dir(Path dir, String mode) throws IOException {
        if (dir == null) {
            return;
        }
        Files.createDirectories(dir);
        // the file system's answer, not the file store's: finding a store reads /proc/self/mounts, which has no
        // entry for the root of a chroot that is not itself a mount point
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
        }
    }

    /** Writes a secret into a new file only this user can read (an existing file is replaced, not reused). */
    public static void writeSecret(Path file, String secret) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                    java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)));
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot create " + tmp + " exclusively", e);
        }
        Files.writeString(tmp, secret + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
