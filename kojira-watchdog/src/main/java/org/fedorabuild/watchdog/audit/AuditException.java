package org.fedorabuild.watchdog.audit;

/** The watchdog's database failed; a cycle that cannot record what it does must not act. */
public final class AuditException extends RuntimeException {
    public AuditException(String message, Throwable cause) {
        super(message, cause);
    }
}
