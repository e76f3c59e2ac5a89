package org.fedorabuild.hub.builder;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A build log that stops growing at {@code MaxLogBytes}: past it one line says so and the rest of the output
 * is drained but dropped (the build keeps its pipe flowing and ends on its own); the task then fails.
 */
final class CappedLog extends FilterOutputStream {
    private final long max;
    private long written;
    private boolean cut;

    CappedLog(OutputStream out, long max) {
        super(out);
        this.max = max;
    }

    boolean cut() {
        return cut;
    }

    String reason() {
        return "build log exceeded " + max + " bytes (MaxLogBytes); it was cut there and the build fails";
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (cut) {
            return;
        }
        long room = max - written;
        if (len <= room) {
            out.write(b, off, len);
            written += len;
            return;
        }
        out.write(b, off, (int) room);
        written = max;
        cut = true;
        out.write(("\n\ncopr-hub: " + reason() + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
