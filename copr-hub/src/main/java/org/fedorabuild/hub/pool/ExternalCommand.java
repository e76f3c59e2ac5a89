package org.fedorabuild.hub.pool;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.fedorabuild.process.Command;
import org.fedorabuild.process.CommandException;
import org.fedorabuild.process.CommandResult;

/**
 * Runs one pool command ({@code cmd_new}, {@code cmd_delete}, {@code cmd_check}) through the project's process
 * runner ({@link Command}: output drained as it comes, the process tree killed at the timeout) as
 * {@code /bin/sh -c COMMAND}, the builder's data only in the environment ({@code POOL}, {@code NAME},
 * {@code ARCH}, {@code ADDRESS}), never pasted into the command text. A command may leave a daemon running
 * (a cmd_new starting an agent): the runner stops waiting for its output shortly after the command exits.
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
        Command c = Command.of("/bin/sh", "-c", command).timeout(timeout).outputLimit(KEEP);
        env.forEach(c::env);
        try {
            CommandResult r = c.run();
            return new Result(r.exitCode(), r.output(), false);
        } catch (CommandException e) {
            if (e.reason() == CommandException.Reason.TIMED_OUT) {
                return new Result(-1, e.result() == null ? "" : e.result().output(), true);
            }
            if (e.reason() == CommandException.Reason.INTERRUPTED) {
                throw new InterruptedException(e.getMessage());
            }
            throw e;
        }
    }
}
