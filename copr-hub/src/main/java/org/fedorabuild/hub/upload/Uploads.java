package org.fedorabuild.hub.upload;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault.ActionNotAllowed;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.compat.server.CallContext;
import org.fedorabuild.compat.server.KojiMethod;
import org.fedorabuild.compat.server.Param;
import org.fedorabuild.compat.upload.RawUploadReceiver;
import org.fedorabuild.compat.upload.UploadDigest;
import org.fedorabuild.compat.upload.UploadRequest;
import org.fedorabuild.compat.upload.UploadStore;
import org.fedorabuild.hub.auth.Access;
import org.fedorabuild.hub.auth.Caller;
import org.fedorabuild.hub.auth.Users;
import org.fedorabuild.hub.db.Db;

/**
 * The hub side of koji's uploads on compat's {@link UploadStore}. Each user uploads into a work area of
 * their own, {@code <data>/work/uploads/<user>/<filepath>/<name>}, so the work-relative path the CLI then
 * passes to {@code build()} ({@code cli-build/<time>.<random>/x.src.rpm}) is resolved in the caller's own
 * area and nobody can build, overwrite or even probe another user's upload. {@code tasks/…} paths are the
 * task output area of a self-checking-in builder, writable only by the host holding that OPEN task.
 * Paths with {@code ..}, absolute paths, hidden names and files over {@code UploadMaxSize} are refused
 * with a fault naming the problem.
 */
public final class Uploads implements RawUploadReceiver {
    private final Db db;
    private final Access access;
    private final Path workDir;
    private final long maxSize;

    public Uploads(Db db, Access access, Path workDir, long maxSize) {
        this.db = db;
        this.access = access;
        this.workDir = workDir.toAbsolutePath().normalize();
        this.maxSize = maxSize;
    }

    /** The upload area of one user. */
    public Path userRoot(String user) {
        return workDir.resolve("uploads").resolve(user);
    }

    private UploadStore store(Caller c, String filepath) {
        if (isTaskPath(filepath)) {
            requireTaskHost(c, filepath);
            return new UploadStore(workDir, maxSize);
        }
        return new UploadStore(userRoot(c.name()), maxSize);
    }

    private static boolean isTaskPath(String filepath) {
        String p = filepath.replace('\\', '/');
        return p.equals("tasks") || p.startsWith("tasks/");
    }

    /** tasks/N/ID/… is writable only by the host user that holds task ID OPEN. */
    private void requireTaskHost(Caller c, String filepath) {
        String[] parts = filepath.split("/");
        Integer taskId = null;
        if (parts.length >= 3 && parts[2].matches("\\d{1,9}") && parts[1].equals(String.valueOf(Integer.parseInt(parts[2]) % 10000))) {
            taskId = Integer.parseInt(parts[2]);
        }
        boolean owns = taskId != null && c.usertype() == Users.HOST && db.queryOne("SELECT 1 FROM tasks t JOIN hosts h"
                + " ON h.id = t.host_id WHERE t.id = ? AND t.state = 1 AND h.user_id = ?", taskId, c.userId()).isPresent();
        if (!owns) {
            throw new ActionNotAllowed("upload path '" + filepath + "' is reserved for the builder running that task");
        }
    }

    private long maxHeld = Long.MAX_VALUE;

    /** UserUploadBytes: what one user's upload area may hold. */
    public Uploads maxHeld(long bytes) {
        this.maxHeld = bytes;
        return this;
    }

    /** Refuses a chunk while the user's uploads already hold {@code UserUploadBytes}. */
    private void assertRoom(Caller c) throws IOException {
        Path root = userRoot(c.name());
        if (maxHeld == Long.MAX_VALUE || !Files.isDirectory(root)) {
            return;
        }
        long held;
        try (var files = Files.walk(root)) {
            held = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        if (held >= maxHeld) {
            throw new ActionNotAllowed("uploads of " + c.name() + " hold " + held + " bytes, the limit is " + maxHeld
                    + " (UserUploadBytes); build from them or let them expire");
        }
    }

    @Override
    public Map<String, Object> receive(CallContext context, UploadRequest request, InputStream body) throws IOException {
        Caller c = access.assertLogin(context);
        if (!isTaskPath(request.filePath())) {
            assertRoom(c);
        }
        return store(c, request.filePath()).receive(c.name(), request, body, isTaskPath(request.filePath()));
    }

    /** checkUpload: nil when absent, else {size, mtime} (+ sumlength, hexdigest with verify). */
    @KojiMethod(value = "checkUpload", readOnly = true)
    public Map<String, Object> checkUpload(CallContext ctx, @Param("path") String path, @Param("name") String name,
            @Param(value = "verify", optional = true) String verify, @Param(value = "tail", optional = true) Object tail,
            @Param(value = "volume", optional = true) String volume) throws IOException {
        Caller c = access.assertLogin(ctx);
        if (volume != null && !"DEFAULT".equals(volume)) {
            throw new GenericError("unknown volume '" + volume + "': this hub has only DEFAULT");
        }
        return store(c, path).check(path, name, verify, isTaskPath(path));
    }

    /**
     * The legacy upload ({@code use_fast_upload = False}): base64 chunks, then a final call with offset -1
     * and the whole file's size and checksum ({@code ["sha256", hex]}, else {@code md5sum}); a mismatch
     * deletes the file and is a fault.
     */
    @KojiMethod("uploadFile")
    public boolean uploadFile(CallContext ctx, @Param("path") String path, @Param("name") String name,
            @Param("size") long size, @Param("md5sum") String md5sum, @Param("offset") long offset,
            @Param("data") String data, @Param(value = "volume", optional = true) String volume,
            @Param(value = "checksum", optional = true) List<Object> checksum) throws IOException {
        Caller c = access.assertLogin(ctx);
        UploadStore store = store(c, path);
        boolean tasks = isTaskPath(path);
        Path file = store.resolve(path, name, tasks);
        if (offset != -1) {
            if (!tasks) {
                assertRoom(c);
            }
            byte[] bytes = Base64.getMimeDecoder().decode(data);
            store.receive(c.name(), new UploadRequest(name, path, null, offset, true, volume), new ByteArrayInputStream(bytes), tasks);
            return true;
        }
        if (!Files.isRegularFile(file)) {
            throw new GenericError("no upload " + name + " in " + path + " to verify");
        }
        UploadStore.sync(file);
        String algo = "md5";
        String expected = md5sum;
        if (checksum != null && checksum.size() == 2) {
            algo = String.valueOf(checksum.get(0));
            expected = String.valueOf(checksum.get(1));
        }
        long actualSize = Files.size(file);
        String actual = digest(file, algo);
        if (actualSize != size || !actual.equalsIgnoreCase(expected)) {
            Files.deleteIfExists(file);
            throw new GenericError("upload of " + name + " failed verification: expected " + size + " bytes with " + algo
                    + " " + expected + ", got " + actualSize + " bytes with " + actual + "; the file was removed");
        }
        return true;
    }

    private static String digest(Path file, String algo) throws IOException {
        String jca = switch (algo.toLowerCase()) {
            case "md5" -> "MD5";
            case "sha1" -> "SHA-1";
            case "sha256" -> "SHA-256";
            default -> throw new GenericError("unsupported checksum type '" + algo + "' (md5, sha1, sha256)");
        };
        return UploadDigest.hex(file, jca);
    }

    /**
     * The uploaded SRPM {@code build()} names, in the caller's own upload area.
     *
     * @throws GenericError when it is missing, not a {@code .src.rpm}, or the path is invalid
     */
    public Path uploadedSrpm(Caller c, String src) {
        int slash = src.lastIndexOf('/');
        String dir = slash < 0 ? "" : src.substring(0, slash);
        String name = src.substring(slash + 1);
        if (isTaskPath(dir)) {
            throw new GenericError("invalid source '" + src + "': not an upload");
        }
        Path file = new UploadStore(userRoot(c.name()), maxSize).resolve(dir, name, false);
        if (!name.endsWith(".src.rpm")) {
            throw new GenericError("invalid source '" + src + "': expected an uploaded .src.rpm or an SCM URL");
        }
        if (!Files.isRegularFile(file)) {
            throw new GenericError("no such upload: " + src + " (upload it first; uploads are per user and expire)");
        }
        try {
            UploadStore.sync(file); // chunks are not synced one by one; a build must not start from bytes a crash can lose
        } catch (IOException e) {
            throw new GenericError("cannot flush upload " + src + " to disk: " + e.getMessage());
        }
        return file;
    }
}
