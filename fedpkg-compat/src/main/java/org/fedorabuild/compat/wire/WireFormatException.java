package org.fedorabuild.compat.wire;

import java.io.IOException;

/** A body that is not acceptable Koji XML-RPC; {@link #reason()} says which rule it broke. */
public final class WireFormatException extends IOException {
    /** What was wrong with the body. */
    public enum Reason { EMPTY, TOO_LARGE, TOO_DEEP, DOCTYPE, MALFORMED }

    private final Reason reason;

    public WireFormatException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
