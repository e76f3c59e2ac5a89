package org.fedorabuild.compat.upload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Adler32;
import org.fedorabuild.compat.fault.KojiFault.ActionNotAllowed;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.compat.fault.KojiFault.LockError;

/**
 * The hub side of koji's fast upload: chunks written into {@code <root>/<filepath>/<name>} at the offset the
 * client names. Overwrite mode truncates at the offset first, so a retried chunk is idempotent; a
 * {@code .user} file records who owns each upload directory so nobody writes into another user's upload;
 * a chunk that would make the file larger than the limit is refused and undone.
 *
 * <p>Chunks are not fsynced one by one (nor does Koji's hub): {@code checkUpload}, which the client calls once
 * all chunks are in and before it uses the file, syncs it, and so does {@link #sync} before a build takes an
 * upload. While chunks arrive in order a {@link RunningDigest} keeps the whole file's Adler-32, so
 * {@code checkUpload} need not read the file again.
 */
public final class UploadStore {
    private static final String OWNER_FILE = ".user";

    private final Path root;
    private final long maxFileBytes;

    public UploadStore(Path root, long maxFileBytes) {
        this.root = root.toAbsolutePath().normalize();
        this.maxFileBytes = maxFileBytes;
    }

    public Path root() {
        return root;
    }

    /** The file an upload of {@code name} into {@code filepath} lands in (after the path checks). */
    public Path resolve(String filepath, String name, boolean mayWriteTasks) {
        String dir = UploadPaths.checkDirectory(filepath, mayWriteTasks);
        Path file = root.resolve(dir).resolve(UploadPaths.checkName(name)).normalize();
        if (!file.startsWith(root)) {
            throw new GenericError("invalid upload path '" + filepath + "'");
        }
        return file;
    }

    public Map<String, Object> receive(String owner, UploadRequest req, InputStream body, boolean mayWriteTasks)
            throws IOException {
        if (req.volume() != null) {
            throw new GenericError("unknown volume '" + req.volume() + "': this hub has only DEFAULT");
        }
        Path file = resolve(req.filePath(), req.fileName(), mayWriteTasks);
        Files.createDirectories(file.getParent());
        claim(file.getParent(), owner);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = tryLock(ch, file);
            try {
                return write(ch, file, req, body);
            } finally {
                lock.release();
            }
        }
    }

    private static FileLock tryLock(FileChannel ch, Path file) throws IOException {
        try {
            FileLock lock = ch.tryLock();
            if (lock != null) {
                return lock;
            }
        } catch (OverlappingFileLockException e) {
            // held by another request of this JVM
        }
        throw new LockError("upload of " + file.getFileName() + " is in progress in another request");
    }

    private Map<String, Object> write(FileChannel ch, Path file, UploadRequest req, InputStream body) throws IOException {
        long size = ch.size();
        long offset = req.offset();
        RunningDigest running = RunningDigest.load(file);
        if (offset == -1) {
            offset = size;
        } else if (req.overwrite()) {
            if (offset > size) {
                throw new GenericError("upload offset " + offset + " is past the end of " + file.getFileName()
                        + " (" + size + " bytes)");
            }
        } else if (offset == 0 && size > 0) {
            throw new GenericError("upload path exists: " + root.relativize(file) + " (use overwrite)");
        } else if (offset != size) {
            throw new GenericError("upload offset " + offset + " does not match the size of " + file.getFileName()
                    + " (" + size + " bytes)");
        }
        running.beforeWriteAt(offset);
        if (offset < size) {
            ch.truncate(offset); // overwrite mode: a retried chunk replaces what was there
        }
        Adler32 adler = new Adler32();
        long written = 0;
        byte[] buf = new byte[65536];
        for (int n; (n = body.read(buf)) > 0; ) {
            if (offset + written + n > maxFileBytes) {
                ch.truncate(offset);
                throw new GenericError("upload of " + file.getFileName() + " exceeds the limit of " + maxFileBytes
                        + " bytes");
            }
            adler.update(buf, 0, n);
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
            while (bb.hasRemaining()) {
                written += ch.write(bb, offset + written);
            }
        }
        running.afterWrite(offset, written, adler.getValue());
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("size", written);
        reply.put("fileverify", UploadDigest.ADLER32);
        reply.put("offset", req.offset());
        reply.put("hexdigest", UploadDigest.hex(adler));
        return reply;
    }

    /**
     * {@code checkUpload}: null when absent, else {@code {size, mtime}} plus the digest when asked. The client
     * calls it once all chunks are in and before it uses the file, so this is where the upload is made durable.
     */
    public Map<String, Object> check(String filepath, String name, String verify, boolean mayWriteTasks)
            throws IOException {
        Path file = resolve(filepath, name, mayWriteTasks);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        sync(file);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("size", Files.size(file));
        info.put("mtime", Files.getLastModifiedTime(file).toMillis() / 1000.0);
        if (verify != null) {
            if (!UploadDigest.ADLER32.equals(verify)) {
                throw new GenericError("unsupported verify '" + verify + "', expected adler32");
            }
            info.put("sumlength", Files.size(file));
            String running = RunningDigest.whole(file, Files.size(file));
            info.put("hexdigest", running != null ? running : digestOnce(file));
        }
        return info;
    }

    /** Finished uploads by path, size and modification time: checkUpload hashes each one once. */
    private static final Map<String, String> DIGESTS = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > 4096;
                }
            });

    private static String digestOnce(Path file) throws IOException {
        String key = file + "\0" + Files.size(file) + "\0" + Files.getLastModifiedTime(file).toMillis() + "\0"
                + Files.getLastModifiedTime(file).to(java.util.concurrent.TimeUnit.NANOSECONDS);
        String hex = DIGESTS.get(key);
        if (hex == null) {
            hex = UploadDigest.of(file);
            DIGESTS.put(key, hex);
        }
        return hex;
    }

    /** Flushes an upload's bytes to disk (chunks are not synced one by one), before it is used. */
    public static void sync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(false);
        }
    }

    private static void claim(Path dir, String owner) throws IOException {
        Path marker = dir.resolve(OWNER_FILE);
        String existing;
        try {
            existing = Files.readString(marker, StandardCharsets.UTF_8).trim();
        } catch (java.nio.file.NoSuchFileException absent) {
            try {
                Files.writeString(marker, owner, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
                return;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                existing = Files.readString(marker, StandardCharsets.UTF_8).trim(); // another request created it
            }
        }
        if (!existing.equals(owner)) {
            throw new ActionNotAllowed("upload directory " + dir.getFileName() + " belongs to another user");
        }
    }

    /** The owner recorded for an upload directory, or null. */
    public String ownerOf(Path dir) throws IOException {
        Path marker = dir.resolve(OWNER_FILE);
        return Files.isRegularFile(marker) ? Files.readString(marker, StandardCharsets.UTF_8).trim() : null;
    }
}
