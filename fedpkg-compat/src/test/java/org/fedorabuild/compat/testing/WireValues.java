package org.fedorabuild.compat.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Map;

/** Assertions on the Java shape of decoded Koji values. */
public final class WireValues {
    private WireValues() {
    }

    /**
     * Every node of a decoded value is one of the types the codec promises: null (nil), Long (every integer
     * tag), Double, String, Boolean, List (arrays) or Map with String keys (structs); {@code *_time} members
     * are strings (never dateTime), {@code *_ts} members doubles.
     */
    public static void assertKojiTypes(String where, Object value) {
        if (value == null || value instanceof Long || value instanceof Double || value instanceof String
                || value instanceof Boolean) {
            return;
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                assertKojiTypes(where + "[" + i + "]", list.get(i));
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                assertTrue(e.getKey() instanceof String, where + ": struct key " + e.getKey() + " is not a String");
                String key = (String) e.getKey();
                Object v = e.getValue();
                if (key.endsWith("_time")) {
                    assertTrue(v == null || v instanceof String, where + "." + key + " should be a string, is " + v);
                }
                if (key.endsWith("_ts")) {
                    assertTrue(v == null || v instanceof Double, where + "." + key + " should be a double, is " + v);
                }
                assertKojiTypes(where + "." + key, v);
            }
            return;
        }
        fail(where + ": unexpected Java type " + value.getClass().getName() + " for " + value);
    }
}
