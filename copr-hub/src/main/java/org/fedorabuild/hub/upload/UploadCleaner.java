package org.fedorabuild.hub.upload;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes abandoned uploads: files under {@code work/uploads} untouched for longer than
 * {@code UploadMaxAge} (an upload that was built from has been moved into its task already), then the
 * directories left empty. Runs periodically from the hub's job scheduler.
 */
public final class UploadCleaner {
    private static final Logger LOG = LoggerFactory.getLogger(UploadCleaner.class);

    private final Path uploadsDir;
    private final Duration maxAge;

    public UploadCleaner(Path workDir, Duration maxAge) {
        this.uploadsDir = workDir.resolve("uploads");
        this.maxAge = maxAge;
    }

    /** Returns how many files were removed. */
    public int sweep() throws IOException {
        if (!Files.isDirectory(uploadsDir)) {
            return 0;
        }
        Instant cutoff = Instant.now().minus(maxAge);
        AtomicInteger removed = new AtomicInteger();
        Files.walkFileTree(uploadsDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.lastModifiedTime().toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(file);
                    removed.incrementAndGet();
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (!dir.equals(uploadsDir)) {
                    try (var s = Files.list(dir)) {
                        if (s.findAny().isEmpty()) {
                            Files.deleteIfExists(dir);
                        }
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        if (removed.get() > 0) {
            LOG.info("Uploads - removed {} file(s) older than {} h", removed.get(), maxAge.toHours());
        }
        return removed.get();
    }
}
