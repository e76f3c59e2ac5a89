package org.fedorabuild.hub.web;

/**
 * A request the pages refuse: answered as the error page with this status and message (never a stack
 * trace). The message is shown to the visitor, so it names the bad value and what was expected, and holds
 * nothing private.
 */
public final class HttpError extends RuntimeException {
    private final int status;

    public HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public static HttpError notFound(String message) {
        return new HttpError(404, message);
    }

    public static HttpError badRequest(String message) {
        return new HttpError(400, message);
    }

    public int status() {
        return status;
    }
}
