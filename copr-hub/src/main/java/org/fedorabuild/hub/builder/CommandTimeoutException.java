package org.fedorabuild.hub.builder;

import java.io.IOException;
import java.time.Duration;

/** A builder command ran past its time limit and was killed. */
public final class CommandTimeoutException extends IOException {
    public CommandTimeoutException(String what, Duration limit) {
        super(what + " ran longer than " + limit.toSeconds() + " s and was killed");
    }
}
