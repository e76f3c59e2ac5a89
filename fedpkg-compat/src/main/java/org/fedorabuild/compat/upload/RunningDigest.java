package org.fedorabuild.compat.upload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.UUID;

/**
 * The Adler-32 of an upload's first bytes, kept in an extended attribute of the file while in-order chunks
 * arrive, so that {@code checkUpload} answers without reading the whole file again.
 *
 * <p>The attribute holds a claim "bytes [0, length) have this Adler-32", plus the claim before the last chunk
 * (so a retried last chunk keeps it). A claim must never outlive the bytes it describes: it is shrunk to one
 * that still holds <em>before</em> any byte below its length is truncated or rewritten, and only extended
 * after a chunk that starts exactly at its end is written. Every writer holds the file's exclusive lock
 * ({@link UploadStore}), several hub processes on one storage root included, since the claim travels with
 * the file (its inode) and not with a process. A claim made before the machine's last boot is not trusted
 * (chunks are not fsynced one by one, so a crash may have lost bytes the claim covers); neither is one whose
 * length is not the file's size. In those cases, and where the file system keeps no user attributes, the
 * caller reads the file as before.
 */
final class RunningDigest {
    private static final String ATTR = "copr-hub.adler32";
    /** The Adler-32 of no bytes. */
    private static final Prefix NONE = new Prefix(0, 1);
    private static final String BOOT = bootId();

    /** Bytes [0, length) of the file have Adler-32 {@code adler}. */
    record Prefix(long length, long adler) {
    }

    private final Path file;
    private Prefix last;
    private Prefix previous;

    private RunningDigest(Path file, Prefix last, Prefix previous) {
        this.file = file;
        this.last = last;
        this.previous = previous;
    }

    /** The claim of a file this process holds the exclusive lock of (none when absent or unreadable). */
    static RunningDigest load(Path file) {
        String[] f = read(file);
        if (f == null || !BOOT.equals(f[0])) {
            return new RunningDigest(file, NONE, NONE); // an earlier boot's claim is never extended, and whole() ignores it
        }
        return new RunningDigest(file, new Prefix(Long.parseLong(f[3]), Long.parseLong(f[4])),
                new Prefix(Long.parseLong(f[1]), Long.parseLong(f[2])));
    }

    /**
     * Before bytes from {@code offset} on are truncated or written: keeps the claim only if it stops at or
     * before {@code offset}, else falls back to the previous one (a retried last chunk) or to none.
     *
     * @throws IOException when a claim that would become false can be neither rewritten nor removed
     */
    void beforeWriteAt(long offset) throws IOException {
        if (last.length() <= offset) {
            return;
        }
        last = previous.length() <= offset ? previous : NONE;
        previous = NONE;
        if (!store()) {
            try {
                view(file).delete(ATTR);
            } catch (IOException | RuntimeException e) {
                throw new IOException("cannot withdraw the running digest of " + file.getFileName() + ": " + e, e);
            }
        }
    }

    /** After {@code length} bytes with Adler-32 {@code adler} were written at {@code offset}. */
    void afterWrite(long offset, long length, long adler) {
        if (last.length() != offset) {
            return; // a gap the claim cannot bridge; checkUpload reads the file
        }
        previous = last;
        last = new Prefix(offset + length, UploadDigest.combine(last.adler(), adler, length));
        store();
    }

    /**
     * The whole file's Adler-32 as hex when a claim of this boot covers exactly {@code size} bytes, else null.
     * Read without the lock: the claim is read before and after the size and must not change in between.
     */
    static String whole(Path file, long size) {
        String[] before = read(file);
        if (before == null || !BOOT.equals(before[0]) || Long.parseLong(before[3]) != size) {
            return null;
        }
        try {
            if (Files.size(file) != size) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        String[] after = read(file);
        if (after == null || !String.join(" ", before).equals(String.join(" ", after))) {
            return null;
        }
        return String.format("%08x", Long.parseLong(before[4]));
    }

    private boolean store() {
        String value = BOOT + " " + previous.length() + " " + previous.adler() + " " + last.length() + " " + last.adler();
        try {
            UserDefinedFileAttributeView v = view(file);
            if (v == null) {
                return false;
            }
            v.write(ATTR, ByteBuffer.wrap(value.getBytes(StandardCharsets.US_ASCII)));
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // no user attributes here: checkUpload reads the file
        }
    }

    /** The claim's five fields (boot, previous length and Adler-32, length and Adler-32), or null. */
    private static String[] read(Path file) {
        try {
            UserDefinedFileAttributeView v = view(file);
            if (v == null) {
                return null;
            }
            ByteBuffer buf = ByteBuffer.allocate(128);
            v.read(ATTR, buf);
            String[] f = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).split(" ");
            if (f.length != 5) {
                return null;
            }
            for (int i = 1; i < 5; i++) {
                Long.parseLong(f[i]);
            }
            return f;
        } catch (FileSystemException e) {
            return null; // no such attribute (or none supported)
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static UserDefinedFileAttributeView view(Path file) {
        return Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
    }

    /** This boot of the machine; a random id (trusting no earlier claim) where the kernel does not say. */
    private static String bootId() {
        try {
            String id = Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).trim();
            if (id.matches("[0-9a-fA-F-]{16,64}")) {
                return id;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc not mounted
        }
        return UUID.randomUUID().toString();
    }
}
