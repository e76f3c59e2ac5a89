package org.fedorabuild.hub.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A byte range of a log, cut so that it never splits a UTF-8 character (the next read starts where this one
 * ended), decoded with replacement characters for bytes that are not UTF-8. Used for the live tail and for
 * the in-page view of finished logs.
 */
public record LogChunk(String text, long from, long next, long size) {
    /** Largest piece one request returns; the live tail asks again at once when more is there. */
    public static final int MAX = 256 * 1024;

    /** Bytes [{@code from}, {@code from + max}) of {@code file} (from clamped to the file size). */
    public static LogChunk read(Path file, long from, int max) throws IOException {
        if (!Files.isRegularFile(file)) {
            return new LogChunk("", 0, 0, 0);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long start = Math.min(Math.max(0, from), size);
            int len = (int) Math.min(max, size - start);
            ByteBuffer buf = ByteBuffer.allocate(len);
            while (buf.hasRemaining() && ch.read(buf, start + buf.position()) > 0) {
                // read until the range is in
            }
            byte[] b = buf.array();
            int n = buf.position();
            if (start + n < size) {
                n = completeUtf8(b, n);
            }
            return new LogChunk(new String(b, 0, n, StandardCharsets.UTF_8), start, start + n, size);
        }
    }

    /** The last {@code max} bytes of the file, starting at a line when one starts in the first 4 KiB. */
    public static LogChunk tail(Path file, int max) throws IOException {
        long size = Files.isRegularFile(file) ? Files.size(file) : 0;
        if (size <= max) {
            return read(file, 0, max);
        }
        LogChunk c = read(file, size - max, max);
        int nl = c.text.indexOf('\n');
        if (nl >= 0 && nl < 4096) {
            long skip = c.text.substring(0, nl + 1).getBytes(StandardCharsets.UTF_8).length;
            return new LogChunk(c.text.substring(nl + 1), c.from + skip, c.next, c.size);
        }
        return c;
    }

    /** True when bytes before {@code from} are not shown. */
    public boolean cutAtStart() {
        return from > 0;
    }

    /** Drops a trailing incomplete UTF-8 sequence so the next chunk starts with it. */
    private static int completeUtf8(byte[] b, int n) {
        for (int back = 1; back <= 3 && back <= n; back++) {
            int c = b[n - back] & 0xff;
            if ((c & 0xc0) == 0x80) {
                continue; // continuation byte: look further back for the lead
            }
            int need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
            return need > back ? n - back : n;
        }
        return n;
    }
}
