package org.fedorabuild.compat.state;

/** A task's state as Koji numbers it ({@code koji.TASK_STATES}); {@link #code} is the wire and database value. */
public enum TaskState {
    FREE(0),
    OPEN(1),
    CLOSED(2),
    CANCELED(3),
    ASSIGNED(4),
    FAILED(5);

    public final int code;

    TaskState(int code) {
        this.code = code;
    }

    /** The state with this code; an unknown code is an error naming it. */
    public static TaskState of(int code) {
        TaskState[] all = values();
        if (code < 0 || code >= all.length) {
            throw new IllegalArgumentException("unknown task state " + code + " (Koji's are 0.." + (all.length - 1) + ")");
        }
        return all[code];
    }

    /** The state's name for messages, or {@code STATE<n>} for a code Koji does not define. */
    public static String nameOf(int code) {
        return code >= 0 && code < values().length ? values()[code].name() : "STATE" + code;
    }

    /** The largest code, for CHECK constraints ({@code state BETWEEN 0 AND max}). */
    public static int maxCode() {
        return values().length - 1;
    }
}
