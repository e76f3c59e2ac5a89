package org.fedorabuild.pg;

/**
 * A failure to prepare, start, reach or stop the embedded server, or to migrate its schema.
 *
 * <p>Unchecked because callers (daemon startup, test setup) cannot recover in place: the message is
 * written for the operator and carries the command, its exit code and the last lines of its output
 * or of the server log, so it is usually enough to act on without reading the full log.
 */
public class EmbeddedPostgresException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EmbeddedPostgresException(String message) {
        super(message);
    }

    public EmbeddedPostgresException(String message, Throwable cause) {
        super(message, cause);
    }
}
