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

    private static final long MOD = 65521;

    /**
     * The Adler-32 of two byte runs one after the other, from each run's Adler-32 and the second's length.
     * With a = 1 + the sum of the bytes and b = the sum of the successive a values (both mod 65521): the
     * second run's a values all grow by the first's a - 1, so a = a1 + a2 - 1 and b = b1 + b2 + len2 * (a1 - 1).
     */
    public static long combine(long adler1, long adler2, long len2) {
        long a1 = adler1 & 0xffff;
        long b1 = (adler1 >>> 16) & 0xffff;
        long a2 = adler2 & 0xffff;
        long b2 = (adler2 >>> 16) & 0xffff;
        long a = Math.floorMod(a1 + a2 - 1, MOD);
        long b = Math.floorMod(b1 + b2 + (len2 % MOD) * Math.floorMod(a1 - 1, MOD), MOD);
        return (b << 16) | a;
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
