package org.fedorabuild.compat.session;

import java.util.Map;
import java.util.function.Function;

/**
 * The session a request claims. Koji ≥ 1.31 clients send {@code Koji-Session-Id}, {@code -Key} and
 * {@code -Callnum} headers; older ones (and hubs 1.31–1.34 reading the misnamed {@code Koji-Callnum}) used
 * the query string {@code session-id, session-key, callnum}. Headers win, as on the real hub.
 *
 * @param callnum null when the client sent none
 */
public record SessionCredentials(long sessionId, String sessionKey, Long callnum) {
    public static final String ID_HEADER = "Koji-Session-Id";
    public static final String KEY_HEADER = "Koji-Session-Key";
    public static final String CALLNUM_HEADER = "Koji-Session-Callnum";
    private static final String OLD_CALLNUM_HEADER = "Koji-Callnum";

    @Override
    public String toString() {
        // The key is a secret: never in logs.
        return "session " + sessionId + (callnum == null ? "" : " callnum " + callnum);
    }

    /**
     * Reads the credentials of a request, or null for an anonymous one.
     *
     * @throws IllegalArgumentException naming the malformed value
     */
    public static SessionCredentials from(Function<String, String> header, Map<String, String> query) {
        String id = header.apply(ID_HEADER);
        String key = header.apply(KEY_HEADER);
        String callnum = header.apply(CALLNUM_HEADER);
        if (callnum == null) {
            callnum = header.apply(OLD_CALLNUM_HEADER);
        }
        if (id == null && key == null) {
            id = query.get("session-id");
            key = query.get("session-key");
            callnum = query.get("callnum");
        }
        if (id == null && key == null) {
            return null;
        }
        if (id == null || key == null) {
            throw new IllegalArgumentException("session id and key must be sent together");
        }
        return new SessionCredentials(parse("session id", id), key, callnum == null ? null : parse("callnum", callnum));
    }

    private static long parse(String what, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid " + what + ": '" + text + "', expected an integer");
        }
    }
}
