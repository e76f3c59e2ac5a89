package org.fedorabuild.hub.retention;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * File operations of a prune, each idempotent so a prune killed halfway can simply run them again: a
 * results directory is deleted (absent is fine), a task's RPMs are deleted and its logs gzipped (through a
 * hidden temporary file renamed into place, the original deleted only after) or deleted.
 */
public final class StorageFiles {
    private StorageFiles() {
    }

    /** Bytes under {@code p} (0 when absent). */
    public static long size(Path p) {
        if (!Files.exists(p)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            return walk.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    static boolean isLog(Path f) {
        return f.getFileName().toString().endsWith(".log");
    }

    /** Bytes a prune of the task's outputs frees: its RPMs, and its logs when they are removed. */
    public static long taskBytes(Path taskDir, LogAction logs) throws IOException {
        long n = 0;
        for (Path f : files(taskDir)) {
            String name = f.getFileName().toString();
            if (name.endsWith(".rpm") || (logs == LogAction.REMOVE && (isLog(f) || name.endsWith(".log.gz")))) {
                n += Files.size(f);
            }
        }
        return n;
    }

    /** Removes the task's RPMs and treats its logs as {@code logs} says; other files stay. */
    public static void pruneTaskOutputs(Path taskDir, LogAction logs) throws IOException {
        for (Path f : files(taskDir)) {
            String name = f.getFileName().toString();
            if (name.endsWith(".rpm") || (name.startsWith(".") && name.endsWith(".gz.part"))) {
                Files.deleteIfExists(f);
            } else if (isLog(f) || name.endsWith(".log.gz")) {
                if (logs == LogAction.REMOVE) {
                    Files.deleteIfExists(f);
                } else if (logs == LogAction.COMPRESS && isLog(f)) {
                    gzip(f);
                }
            }
        }
        if (logs == LogAction.REMOVE && Files.isDirectory(taskDir) && files(taskDir).isEmpty()) {
            try (Stream<Path> s = Files.list(taskDir)) {
                if (s.findAny().isEmpty()) {
                    Files.deleteIfExists(taskDir);
                }
            }
        }
    }

    private static void gzip(Path log) throws IOException {
        Path gz = log.resolveSibling(log.getFileName() + ".gz");
        Path part = log.resolveSibling("." + log.getFileName() + ".gz.part");
        try (InputStream in = Files.newInputStream(log); OutputStream out = new GZIPOutputStream(Files.newOutputStream(part))) {
            in.transferTo(out);
        }
        Files.move(part, gz, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(log);
    }

    /**
     * Permissions of the storage: the results (served over HTTP, never read from disk by others) and the work
     * area (uploads, task outputs, the local builder) private to the hub user (0700); see DataDirs.
     */
    public static void secure(Path storageRoot, Path workDir) throws IOException {
        Files.createDirectories(storageRoot);
        Files.createDirectories(workDir);
        try {
            Files.setPosixFilePermissions(storageRoot, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwx------"));
            Path uploads = workDir.resolve("uploads");
            if (Files.isDirectory(uploads)) {
                Files.setPosixFilePermissions(uploads, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to set
        }
    }
}
