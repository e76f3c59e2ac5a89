package org.fedorabuild.process;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local command, run to completion with its output drained concurrently ({@link OutputDrain}) and a time limit
 * after which it and every process it started are killed. Never a shell unless the caller asks for one
 * ({@code Command.of("bash", "-c", script)}); stdin is /dev/null unless {@link #input} says otherwise.
 */
public final class Command {
    private static final Logger log = LoggerFactory.getLogger(Command.class);
    /** How long the output may stay open after the command exited (a background grandchild holding the pipe). */
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(5);

    private final List<String> argv;
    private Path directory;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Predicate<String> dropEnv = name -> false;
    private Duration timeout = Duration.ofMinutes(1);
    private Path input;
    private OutputStream sink;
    private int outputLimit = 1 << 20;

    private Command(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command line");
        }
        this.argv = List.copyOf(argv);
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv));
    }

    public static Command of(List<String> argv) {
        return new Command(argv);
    }

    public List<String> argv() {
        return argv;
    }

    public Command directory(Path dir) {
        this.directory = dir;
        return this;
    }

    public Command env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Removes inherited environment variables whose names match (before {@link #env} values are added). */
    public Command withoutEnv(Predicate<String> names) {
        this.dropEnv = names;
        return this;
    }

    /** The limit on the whole run; when it passes the process tree is killed. Default one minute. */
    public Command timeout(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("command timeout must be positive, got " + limit);
        }
        this.timeout = limit;
        return this;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Feeds this file to stdin instead of /dev/null. */
    public Command input(Path file) {
        this.input = file;
        return this;
    }

    /** Also copies stdout and stderr, as they arrive, to {@code sink} (a build log). */
    public Command streamTo(OutputStream sink) {
        this.sink = sink;
        return this;
    }

    /** How many bytes of each of stdout and stderr the result keeps (the end, when there is more). Default 1 MiB. */
    public Command outputLimit(int bytes) {
        this.outputLimit = bytes;
        return this;
    }

    /** Runs to completion whatever the exit code; throws if it cannot start, overruns or is interrupted. */
    public CommandResult run() throws CommandException {
        String line = String.join(" ", argv);
        log.debug("Running `{}` (limit {} s)", line, timeout.toSeconds());
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectInput(input == null ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                        : ProcessBuilder.Redirect.from(input.toFile()));
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        pb.environment().keySet().removeIf(dropEnv);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new CommandException(CommandException.Reason.START_FAILED,
                    "cannot run `" + line + "`: " + e.getMessage(), null, e);
        }
        OutputDrain drain = OutputDrain.start(argv.get(0), p.getInputStream(), p.getErrorStream(), sink, outputLimit);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(p);
                drain.await(DRAIN_GRACE);
                drain.close();
                CommandResult partial = result(drain, -1);
                throw new CommandException(CommandException.Reason.TIMED_OUT, "`" + line + "` did not finish within "
                        + seconds(timeout) + " and was killed with its child processes" + partial.lastOutput(), partial, null);
            }
            if (!drain.await(DRAIN_GRACE)) {
                log.warn("`{}` exited but a process it left behind still holds its output open; not waiting for it", line);
                drain.close();
            }
            return result(drain, p.exitValue());
        } catch (InterruptedException e) {
            killTree(p);
            drain.close();
            Thread.currentThread().interrupt();
            throw new CommandException(CommandException.Reason.INTERRUPTED, "interrupted while running `" + line
                    + "`; it was killed", result(drain, -1), e);
        }
    }

    /** Like {@link #run}, but a non-zero exit is an error too; {@code what} says what was being done. */
    public CommandResult runChecked(String what) throws CommandException {
        CommandResult r = run();
        if (!r.ok()) {
            throw new CommandException(CommandException.Reason.EXIT_STATUS, what + " failed: " + r.describe(), r, null);
        }
        return r;
    }

    private CommandResult result(OutputDrain drain, int exit) {
        return new CommandResult(argv, exit, drain.stdout(), drain.stderr(), drain.output(), drain.truncated());
    }

    /** Kills the command and every process below it: the tree is listed first, since orphans lose their parent link. */
    static void killTree(Process p) {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        p.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        // A child that forked between the snapshot and the kills: a second pass catches those still reachable.
        tree.stream().filter(ProcessHandle::isAlive).flatMap(ProcessHandle::descendants)
                .forEach(ProcessHandle::destroyForcibly);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
