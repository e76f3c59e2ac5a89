package org.fedorabuild.compat.state;

/** A repo's state as Koji numbers it ({@code koji.REPO_STATES}); {@link #code} is the wire and database value. */
public enum RepoState {
    INIT(0),
    READY(1),
    EXPIRED(2),
    DELETED(3),
    PROBLEM(4);

    public final int code;

    RepoState(int code) {
        this.code = code;
    }

    /** The state with this code; an unknown code is an error naming it. */
    public static RepoState of(int code) {
        RepoState[] all = values();
        if (code < 0 || code >= all.length) {
            throw new IllegalArgumentException("unknown repo state " + code + " (Koji's are 0.." + (all.length - 1) + ")");
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
