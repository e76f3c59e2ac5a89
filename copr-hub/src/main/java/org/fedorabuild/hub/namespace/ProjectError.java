package org.fedorabuild.hub.namespace;

/**
 * A refused self-service request, with the kind of refusal each front end maps to its own answer: the web
 * pages to 400/403/404/409 pages, Copr's API v3 to {@code {"error": ...}} with the same status, the admin
 * CLI to one line on stderr. The message names the bad value and what was expected; front ends show it as is.
 */
public final class ProjectError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** HTTP-like kinds: {@link #status()} is the status both HTTP front ends answer with. */
    public enum Kind {
        INVALID(400), FORBIDDEN(403), NOT_FOUND(404), CONFLICT(409);

        private final int status;

        Kind(int status) {
            this.status = status;
        }
    }

    private final Kind kind;

    public ProjectError(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public static ProjectError invalid(String message) {
        return new ProjectError(Kind.INVALID, message);
    }

    public static ProjectError forbidden(String message) {
        return new ProjectError(Kind.FORBIDDEN, message);
    }

    public static ProjectError notFound(String message) {
        return new ProjectError(Kind.NOT_FOUND, message);
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return kind.status;
    }
}
