package org.fedorabuild.hub.builder;

import java.io.IOException;

/**
 * The builder could not be reached, or the connection broke while a command ran: whatever was running
 * there is in an unknown state. The hub then leaves the task OPEN on that host (the watchdog frees it once
 * the host stays silent), instead of calling the build failed.
 */
public final class BuilderUnreachableException extends IOException {
    public BuilderUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
