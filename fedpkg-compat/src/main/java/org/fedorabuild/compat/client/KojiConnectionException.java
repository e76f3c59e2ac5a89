package org.fedorabuild.compat.client;

/**
 * The hub could not be reached or did not answer with a readable XML-RPC body (after the retries the
 * client is configured for). Distinct from {@link org.fedorabuild.compat.fault.KojiFault}: a fault is an
 * answer, this is the absence of one.
 */
public final class KojiConnectionException extends RuntimeException {
    private final int attempts;

    public KojiConnectionException(String message, int attempts, Throwable cause) {
        super(message + (attempts > 1 ? " (after " + attempts + " attempts)" : ""), cause);
        this.attempts = attempts;
    }

    public int attempts() {
        return attempts;
    }
}
