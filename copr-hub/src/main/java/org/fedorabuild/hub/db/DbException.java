package org.fedorabuild.hub.db;

/** A database failure the caller cannot fix; the hub answers it as an internal error (fault 1). */
public final class DbException extends RuntimeException {
    public DbException(String message, Throwable cause) {
        super(message, cause);
    }
}
