package org.fedorabuild.compat.upload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Adler32;

/** Koji's upload checksum: Adler-32, written as 8 lowercase hex digits of the unsigned value. */
public final class UploadDigest {
    public static final String ADLER32 = "adler32";

    private UploadDigest() {
    }

    public static String hex(Adler32 adler) {
        return String.format("%08x", adler.getValue());
    }

    public static String of(byte[] data, int off, int len) {
        Adler32 a = new Adler32();
        a.update(data, off, len);
        return hex(a);
    }

    /** The hex digest of a file under a JCA algorithm name ({@code SHA-256}, {@code MD5}, ...). */
    public static String hex(Path file, String algorithm) throws IOException {
        java.security.MessageDigest md;
        try {
            md = java.security.MessageDigest.getInstance(algorithm);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unknown digest algorithm " + algorithm, e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    public static String of(Path file) throws IOException {
        Adler32 a = new Adler32();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                a.update(buf, 0, n);
            }
        }
        return hex(a);
    }
}
