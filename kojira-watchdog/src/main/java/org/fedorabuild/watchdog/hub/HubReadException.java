package org.fedorabuild.watchdog.hub;

/**
 * The hub could not be read fully and consistently in this cycle: it was unreachable (no answer within the
 * timeouts) or it answered partly (a fault in an entry, a missing or malformed value, tasks on unknown
 * hosts, no clock). Either way the cycle judges nothing.
 */
public final class HubReadException extends RuntimeException {
    /** Whether the hub was unreachable (an outage) or answered incompletely. */
    public enum Kind { UNREACHABLE, INCOMPLETE }

    private final Kind kind;

    public HubReadException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
