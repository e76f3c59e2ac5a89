package org.fedorabuild.compat.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** koji-api.md §2.2: how a request carries its session. */
class SessionCredentialsTest {
    private static SessionCredentials from(Map<String, String> headers, Map<String, String> query) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        return SessionCredentials.from(h::get, query);
    }

    @Test
    void modernHeaders() {
        SessionCredentials c = from(Map.of("Koji-Session-Id", "6", "Koji-Session-Key", "1-AiG86VoYd0TEZOuEo5d",
                "Koji-Session-Callnum", "2"), Map.of());
        assertEquals(new SessionCredentials(6, "1-AiG86VoYd0TEZOuEo5d", 2L), c);
    }

    @Test
    void anonymousIsNull() {
        assertNull(from(Map.of(), Map.of()));
        assertNull(from(Map.of("User-Agent", "koji/1"), Map.of("filename", "x")));
    }

    @Test
    void headersWinOverQuery() {
        SessionCredentials c = from(Map.of("Koji-Session-Id", "6", "Koji-Session-Key", "k6", "Koji-Session-Callnum", "3"),
                Map.of("session-id", "9", "session-key", "k9", "callnum", "99"));
        assertEquals(new SessionCredentials(6, "k6", 3L), c);
    }

    @Test
    void queryStringSessionsOfOldClients() {
        SessionCredentials c = from(Map.of(), Map.of("session-id", "9", "session-key", "k9", "callnum", "4"));
        assertEquals(new SessionCredentials(9, "k9", 4L), c);
        assertNull(from(Map.of(), Map.of("session-id", "9", "session-key", "k9")).callnum());
    }

    @Test
    void misnamedCallnumHeaderOfHubs131To134() {
        SessionCredentials c = from(Map.of("Koji-Session-Id", "6", "Koji-Session-Key", "k", "Koji-Callnum", "7"), Map.of());
        assertEquals(7L, c.callnum());
        SessionCredentials both = from(Map.of("Koji-Session-Id", "6", "Koji-Session-Key", "k", "Koji-Callnum", "7",
                "Koji-Session-Callnum", "8"), Map.of());
        assertEquals(8L, both.callnum(), "the proper header wins");
        assertNull(from(Map.of("Koji-Session-Id", "6", "Koji-Session-Key", "k"), Map.of()).callnum());
    }

    @Test
    void malformedValuesNameTheValue() {
        IllegalArgumentException id = assertThrows(IllegalArgumentException.class,
                () -> from(Map.of("Koji-Session-Id", "abc", "Koji-Session-Key", "k"), Map.of()));
        assertTrue(id.getMessage().contains("'abc'"), id.getMessage());
        IllegalArgumentException num = assertThrows(IllegalArgumentException.class,
                () -> from(Map.of("Koji-Session-Id", "1", "Koji-Session-Key", "k", "Koji-Session-Callnum", "x1"), Map.of()));
        assertTrue(num.getMessage().contains("'x1'"), num.getMessage());
        assertThrows(IllegalArgumentException.class, () -> from(Map.of("Koji-Session-Id", "1"), Map.of()),
                "an id without a key");
    }

    @Test
    void toStringHidesTheKey() {
        String s = new SessionCredentials(6, "1-secretkey", 2L).toString();
        assertFalse(s.contains("secretkey"), s);
        assertTrue(s.contains("6"), s);
    }
}
