package org.fedorabuild.compat.upload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Adler32;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.fault.KojiFault.GenericError;

/**
 * The client side of koji's fast upload, as {@code ClientSession.fastUpload} does it: raw chunks of
 * {@code blockSize} bytes (one request even for an empty file), each answer checked for size and Adler-32,
 * then {@code checkUpload} to confirm the whole file's size and digest on the hub.
 */
public final class FastUpload {
    public static final int DEFAULT_BLOCK_SIZE = 1024 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the hub holds after a verified upload. */
    public record Result(String serverDir, String name, long size, String hexdigest) {
        /** The work-relative path {@code build()} takes as its source. */
        public String serverPath() {
            return serverDir.isEmpty() ? name : serverDir + "/" + name;
        }
    }

    private FastUpload() {
    }

    /** A fresh directory name as the CLI makes them: {@code cli-build/<time>.<8 letters>}. */
    public static String uniqueDir(String prefix) {
        StringBuilder letters = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            letters.append((char) ((RANDOM.nextBoolean() ? 'a' : 'A') + RANDOM.nextInt(26)));
        }
        return prefix + "/" + System.currentTimeMillis() / 1000.0 + "." + letters;
    }

    public static Result upload(KojiClient client, Path file, String serverDir, String name, int blockSize)
            throws IOException {
        Adler32 whole = new Adler32();
        long offset = 0;
        byte[] buf = new byte[blockSize];
        try (InputStream in = Files.newInputStream(file)) {
            while (true) {
                int n = in.readNBytes(buf, 0, blockSize);
                if (n == 0 && offset > 0) {
                    break;
                }
                byte[] chunk = n == blockSize ? buf : java.util.Arrays.copyOf(buf, n);
                Map<String, String> query = new LinkedHashMap<>();
                query.put("filename", name);
                query.put("filepath", serverDir);
                query.put("fileverify", UploadDigest.ADLER32);
                query.put("offset", Long.toString(offset));
                query.put("overwrite", "1");
                Object reply = client.postRaw(query, chunk);
                String digest = UploadDigest.of(chunk, 0, n);
                if (!(reply instanceof Map<?, ?> r) || !(r.get("size") instanceof Number size) || size.longValue() != n
                        || !digest.equals(r.get("hexdigest"))) {
                    throw new GenericError("upload of " + name + " at offset " + offset + " failed verification: sent "
                            + n + " bytes with adler32 " + digest + ", hub answered " + reply);
                }
                whole.update(chunk, 0, n);
                offset += n;
                if (n == 0) {
                    break; // an empty file still takes one request
                }
            }
        }
        String digest = UploadDigest.hex(whole);
        Object info = client.call("checkUpload", serverDir, name, UploadDigest.ADLER32);
        if (!(info instanceof Map<?, ?> m) || !(m.get("size") instanceof Number size) || size.longValue() != offset
                || !digest.equals(m.get("hexdigest"))) {
            throw new GenericError("upload of " + name + " incomplete on the hub: expected " + offset
                    + " bytes with adler32 " + digest + ", checkUpload answered " + info);
        }
        return new Result(serverDir, name, offset, digest);
    }
}
