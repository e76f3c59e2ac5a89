package org.fedorabuild.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Reads a command's stdout and stderr on two threads of their own from the moment it starts, so it can never
 * block on a full pipe, keeps the end of each (bounded) for the caller and for error messages, and copies both
 * to an optional live sink (a build log) as they arrive. Used by {@link Command} and, for SSH sessions, directly.
 */
public final class OutputDrain implements AutoCloseable {
    private final Tail stdout;
    private final Tail stderr;
    private final Tail combined;
    private final OutputStream sink;
    private final InputStream[] streams;
    private final Thread[] threads;
    private volatile boolean sinkBroken;

    /**
     * Starts draining. {@code err} may be null (stderr merged into {@code out} or absent); {@code sink} may be null.
     * {@code limit} bounds what is kept of each stream, in bytes.
     */
    public static OutputDrain start(String name, InputStream out, InputStream err, OutputStream sink, int limit) {
        return new OutputDrain(name, out, err, sink, limit);
    }

    private OutputDrain(String name, InputStream out, InputStream err, OutputStream sink, int limit) {
        this.stdout = new Tail(limit);
        this.stderr = new Tail(limit);
        this.combined = new Tail(Math.min(limit, 64 * 1024));
        this.sink = sink;
        this.streams = err == null ? new InputStream[] {out} : new InputStream[] {out, err};
        this.threads = new Thread[streams.length];
        for (int i = 0; i < streams.length; i++) {
            Tail own = i == 0 ? stdout : stderr;
            InputStream in = streams[i];
            threads[i] = new Thread(() -> pump(in, own), name + (i == 0 ? "-stdout" : "-stderr"));
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    private void pump(InputStream in, Tail own) {
        byte[] chunk = new byte[8192];
        try (in) {
            for (int n; (n = in.read(chunk)) >= 0; ) {
                if (n == 0) {
                    continue;
                }
                own.write(chunk, n);
                combined.write(chunk, n);
                copyToSink(chunk, n);
            }
        } catch (IOException e) {
            // The stream was closed under us (command killed, channel gone): keep what arrived.
        }
    }

    private void copyToSink(byte[] chunk, int n) {
        if (sink == null || sinkBroken) {
            return;
        }
        try {
            synchronized (sink) {
                sink.write(chunk, 0, n);
                sink.flush();
            }
        } catch (IOException e) {
            // A closed log must not stop the draining, or the command would block on its pipe.
            sinkBroken = true;
        }
    }

    /** Waits until both streams reached their end; false if {@code max} passed first. */
    public boolean await(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(t, left);
            }
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** Closes the streams, which ends the threads even if a stray grandchild still holds the pipes open. */
    @Override
    public void close() {
        for (InputStream in : streams) {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing more to read either way
            }
        }
    }

    public String stdout() {
        return stdout.text();
    }

    public String stderr() {
        return stderr.text();
    }

    /** stdout and stderr as they arrived (the last 64 KiB), for messages. */
    public String output() {
        return combined.text();
    }

    /** True if either stream printed more than the limit, so only its end was kept. */
    public boolean truncated() {
        return stdout.truncated() || stderr.truncated();
    }

    /** The last {@code limit} bytes written, in a buffer that never grows past twice that. */
    private static final class Tail {
        private final int limit;
        private byte[] buf = new byte[1024];
        private int size;
        private boolean truncated;

        Tail(int limit) {
            this.limit = Math.max(1, limit);
        }

        synchronized void write(byte[] chunk, int n) {
            if (size + n > 2 * limit) {
                int keep = Math.min(size, limit);
                System.arraycopy(buf, size - keep, buf, 0, keep);
                size = keep;
                truncated = true;
            }
            if (size + n > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(size + n, Math.min(buf.length * 2, 2 * limit + n)));
            }
            System.arraycopy(chunk, 0, buf, size, n);
            size += n;
        }

        synchronized String text() {
            int from = Math.max(0, size - limit);
            String s = new String(buf, from, size - from, StandardCharsets.UTF_8);
            return (truncated || from > 0) && !s.isEmpty() && s.charAt(0) == '\uFFFD' ? s.substring(1) : s;
        }

        synchronized boolean truncated() {
            return truncated || size > limit;
        }
    }
}
