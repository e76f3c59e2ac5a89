package org.fedorabuild.pg;

/**
 * A migration set that cannot be read, does not match what the database recorded, or fails to
 * apply. The daemon must not start on such a schema: the message names the file and the problem.
 */
public class MigrationException extends EmbeddedPostgresException {
    private static final long serialVersionUID = 1L;

    public MigrationException(String message) {
        super(message);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
