package org.fedorabuild.compat.wire;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Base64;

/**
 * An answer value that is the base64 text of {@code length} bytes of a file from {@code offset}, written on the
 * wire exactly as the equivalent {@link String} would be (Koji's {@code downloadTaskOutput} sends a base64
 * string), but read from the file block by block while the answer is written: a 16 MiB chunk never sits on the
 * heap as a 22 MiB string. The length is fixed when the value is made, so the answer's size is known before a
 * byte is sent; a file that shrinks meanwhile fails the answer (an aborted connection once bytes are out)
 * rather than sending other bytes than announced.
 */
public record FileBase64(Path file, long offset, int length) {
    /** Bytes read per block: a multiple of 3, so each block's base64 has no padding but the last. */
    static final int BLOCK = 3 * 16 * 1024;

    public FileBase64 {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must be >= 0, got " + offset + " and " + length);
        }
    }

    /** Characters (and UTF-8 bytes: base64 is ASCII and needs no XML escaping) of the text. */
    public long encodedLength() {
        return 4L * ((length + 2L) / 3);
    }

    /** Reads the bytes and hands their base64 to {@code out} in blocks of at most {@code 4 * BLOCK / 3} bytes. */
    void encode(AsciiSink out) throws IOException {
        byte[] raw = new byte[Math.min(BLOCK, Math.max(length, 3))];
        byte[] text = new byte[4 * raw.length / 3 + 4];
        Base64.Encoder base64 = Base64.getEncoder();
        try (FileChannel ch = FileChannel.open(file)) {
            long pos = offset;
            int left = length;
            while (left > 0) {
                int want = Math.min(left, raw.length);
                ByteBuffer buf = ByteBuffer.wrap(raw, 0, want);
                while (buf.hasRemaining()) {
                    if (ch.read(buf, pos + buf.position()) < 0) {
                        throw new EOFException(file + " ended before " + (offset + length) + " bytes (it shrank while being sent)");
                    }
                }
                pos += want;
                left -= want;
                out.put(text, 0, base64.encode(slice(raw, want), text));
            }
        }
    }

    private static byte[] slice(byte[] raw, int n) {
        return n == raw.length ? raw : java.util.Arrays.copyOf(raw, n);
    }

    /** The whole text as a String, for a handler that is not the project's writer. */
    String readAll() throws IOException {
        StringBuilder sb = new StringBuilder((int) encodedLength());
        encode((b, off, len) -> sb.append(new String(b, off, len, java.nio.charset.StandardCharsets.US_ASCII)));
        return sb.toString();
    }

    interface AsciiSink {
        void put(byte[] b, int off, int len) throws IOException;
    }
}
