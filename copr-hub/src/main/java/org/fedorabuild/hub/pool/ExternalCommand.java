package org.fedorabuild.hub.pool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one pool command ({@code cmd_new}, {@code cmd_delete}, {@code cmd_check}, the watchdog's hooks use the
 * same contract) through {@code /bin/sh -c}: the builder's data only in the environment ({@code POOL},
 * {@code NAME}, {@code ARCH}, {@code ADDRESS}), stdin closed, stdout and stderr merged and drained as they
 * come (the last 64 KiB kept), killed with its children after the timeout. A command may leave a daemon
 * running (a cmd_new starting a VM agent): once the command itself has exited, its output is read for at
 * most a second more, so a child holding the pipe open never hangs the hub.
 */
public final class ExternalCommand {
    private static final int KEEP = 64 * 1024;

    /** How it ended: {@code exit} -1 when it timed out. */
    public record Result(int exit, String output, boolean timedOut) {
        public boolean ok() {
            return exit == 0 && !timedOut;
        }

        /** The last non-blank output line ({@code cmd_new}'s address), or "". */
        public String lastLine() {
            String[] lines = output.strip().split("\n");
            return lines[lines.length - 1].strip();
        }

        /** For logs and error columns: exit status and the output's tail. */
        public String describe(String command, Duration timeout) {
            String tail = output.strip();
            tail = tail.length() > 300 ? "…" + tail.substring(tail.length() - 300) : tail;
            return (timedOut ? "'" + command + "' did not finish within " + timeout.toSeconds() + " s"
                    : "'" + command + "' exited " + exit) + (tail.isEmpty() ? "" : ": " + tail.replace('\n', ' '));
        }
    }

    private ExternalCommand() {
    }

    public static Result run(String command, Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c", command)).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        Tail tail = new Tail(p.getInputStream());
        Thread drain = new Thread(tail, "pool-command-output");
        drain.setDaemon(true);
        drain.start();
        boolean done;
        try {
            done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill(p);
            throw e;
        }
        if (!done) {
            kill(p);
        }
        drain.join(1000);
        return new Result(done ? p.exitValue() : -1, tail.text(), !done);
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** Reads a stream to its end, keeping the last {@link #KEEP} bytes. */
    private static final class Tail implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        Tail(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (kept) {
                        kept.write(buf, 0, n);
                        if (kept.size() > 2 * KEEP) {
                            byte[] all = kept.toByteArray();
                            kept.reset();
                            kept.write(all, all.length - KEEP, KEEP);
                        }
                    }
                }
            } catch (IOException e) {
                // the process is gone; what was read is kept
            }
        }

        String text() {
            synchronized (kept) {
                byte[] all = kept.toByteArray();
                int from = Math.max(0, all.length - KEEP);
                return new String(all, from, all.length - from, StandardCharsets.UTF_8);
            }
        }
    }
}
