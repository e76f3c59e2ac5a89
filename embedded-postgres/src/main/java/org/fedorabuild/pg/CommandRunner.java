package org.fedorabuild.pg;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the PostgreSQL binaries as the server user, with captured output and a time bound.
 *
 * <p>Every failure message names the command, the exit code and the last lines of the output,
 * because an operator reading a daemon's startup error has nothing else at hand.
 */
final class CommandRunner {
    private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);
    static final int TAIL_LINES = 20;

    /** What a finished command printed (stdout and stderr interleaved) and how it exited. */
    record Result(List<String> command, int exitCode, String output) {
        String describe() {
            return "`" + String.join(" ", command) + "` exited with code " + exitCode + "; last output:\n"
                    + tail(output, TAIL_LINES);
        }
    }

    private final RunAs runAs;
    private final Path workDir;
    private final Duration timeout;

    CommandRunner(RunAs runAs, Path workDir, Duration timeout) {
        this.runAs = runAs;
        this.workDir = workDir;
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    /** {@code command} as it is really run, e.g. behind runuser; for messages. */
    String describe(List<String> command) {
        return String.join(" ", runAs.wrap(command));
    }

    /** Runs to completion whatever the exit code; throws only if it cannot run or overruns. */
    Result run(List<String> command) {
        List<String> full = runAs.wrap(command);
        if (log.isDebugEnabled()) {
            log.debug("Running {}", String.join(" ", full));
        }
        Process p;
        try {
            p = builder(full).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot run `" + String.join(" ", full) + "`: " + e.getMessage(), e);
        }
        OutputCollector output = new OutputCollector(p.getInputStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                throw new EmbeddedPostgresException("`" + String.join(" ", full) + "` did not finish within "
                        + timeout.toSeconds() + " s and was killed; last output:\n" + tail(output.text(), TAIL_LINES));
            }
            // The pipe closes when the command exits: only a stray grandchild could hold it open longer.
            output.join(Duration.ofSeconds(5));
            return new Result(full, p.exitValue(), output.text());
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new EmbeddedPostgresException("interrupted while running `" + String.join(" ", full) + "`", e);
        }
    }

    /** Like {@link #run} but a non-zero exit is an error; {@code what} says what was being done. */
    Result runChecked(String what, List<String> command) {
        Result r = run(command);
        if (r.exitCode() != 0) {
            throw new EmbeddedPostgresException(what + " failed: " + r.describe());
        }
        return r;
    }

    /**
     * Starts a long-running process (the postmaster) with stdin from /dev/null and stdout/stderr
     * appended to {@code logFile}. The JVM opens the log, so it need not be writable by the server
     * user. The process stays our child (or runuser's), so it is reaped when it dies even where PID 1
     * reaps nothing: a zombie postmaster would keep its pid "alive" and block the next start.
     */
    Process startBackground(List<String> command, Path logFile) {
        List<String> full = runAs.wrap(command);
        log.debug("Starting {}", String.join(" ", full));
        try {
            return builder(full)
                    .redirectInput(new File("/dev/null"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot run `" + String.join(" ", full) + "`: " + e.getMessage(), e);
        }
    }

    private ProcessBuilder builder(List<String> full) {
        ProcessBuilder pb = new ProcessBuilder(full).directory(workDir.toFile());
        Map<String, String> env = pb.environment();
        // libpq/pg_ctl variables from the caller's shell (PGDATA, PGPORT, ...) must not redirect us.
        env.keySet().removeIf(k -> k.startsWith("PG"));
        // English messages: they end up in exceptions and our tests match a few of them.
        env.put("LC_ALL", "C");
        return pb;
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /**
     * Drains a command's output on its own thread, so a chatty command cannot block on a full pipe,
     * and keeps what arrived so far readable for the message of a command that overran.
     */
    private static final class OutputCollector {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final Thread thread;

        OutputCollector(InputStream in) {
            thread = new Thread(() -> drain(in), "embedded-pg-command-output");
            thread.setDaemon(true);
            thread.start();
        }

        private void drain(InputStream in) {
            byte[] chunk = new byte[8192];
            try (in) {
                for (int n; (n = in.read(chunk)) > 0; ) {
                    synchronized (buffer) {
                        buffer.write(chunk, 0, n);
                    }
                }
            } catch (IOException e) {
                // The process was killed or closed the pipe: keep what we have.
            }
        }

        void join(Duration max) throws InterruptedException {
            thread.join(max.toMillis());
        }

        String text() {
            synchronized (buffer) {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }
    }

    /** The last {@code lines} lines of {@code text}, indented for embedding in a message. */
    static String tail(String text, int lines) {
        String[] all = text.strip().split("\n");
        return "    " + String.join("\n    ", Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length));
    }
}
