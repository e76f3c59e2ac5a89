package org.fedorabuild.hub.coprapi;

/**
 * An answer {@code {"error": message}} with an HTTP status, the shape copr-cli prints as one line
 * ("Something went wrong: / Error: ..."; 403 as an authentication error, exit 7). Statuses follow Copr's
 * frontend: 400 bad request, 401 failed login, 403 refused, 404 missing, 409 conflicting state.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;

    ApiError(int status, String message) {
        super(message);
        this.status = status;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, message);
    }

    static ApiError forbidden(String message) {
        return new ApiError(403, message);
    }

    static ApiError conflict(String message) {
        return new ApiError(409, message);
    }
}
