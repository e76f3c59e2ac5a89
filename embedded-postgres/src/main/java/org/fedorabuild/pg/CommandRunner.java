package org.fedorabuild.pg;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.fedorabuild.process.Command;
import org.fedorabuild.process.CommandException;
import org.fedorabuild.process.CommandResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the PostgreSQL binaries as the server user, through {@link Command}, with PostgreSQL's environment.
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
        try {
            CommandResult r = Command.of(full).directory(workDir).timeout(timeout)
                    // libpq/pg_ctl variables from the caller's shell (PGDATA, PGPORT, ...) must not redirect us.
                    .withoutEnv(k -> k.startsWith("PG"))
                    // English messages: they end up in exceptions and our tests match a few of them.
                    .env("LC_ALL", "C")
                    .run();
            return new Result(full, r.exitCode(), r.output());
        } catch (CommandException e) {
            if (e.reason() == CommandException.Reason.INTERRUPTED) {
                Thread.currentThread().interrupt();
            }
            throw new EmbeddedPostgresException(e.getMessage(), e);
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

    /** The last {@code lines} lines of {@code text}, indented for embedding in a message. */
    static String tail(String text, int lines) {
        return CommandResult.tail(text, lines);
    }
}
