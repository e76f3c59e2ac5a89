package org.fedorabuild.process;

import java.io.IOException;

/**
 * A command could not be started, overran its time limit (and was killed with its children), was interrupted, or
 * (from {@link Command#runChecked}) exited non-zero. The message names the command and ends with its last lines of
 * output; {@link #result()} holds what it printed, when it ran at all.
 */
public final class CommandException extends IOException {
    /** Why a command failed. */
    public enum Reason { START_FAILED, TIMED_OUT, INTERRUPTED, EXIT_STATUS }

    private final Reason reason;
    private final transient CommandResult result;

    CommandException(Reason reason, String message, CommandResult result, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.result = result;
    }

    public Reason reason() {
        return reason;
    }

    public boolean timedOut() {
        return reason == Reason.TIMED_OUT;
    }

    /** What the command printed before it failed; null if it never started. */
    public CommandResult result() {
        return result;
    }
}
