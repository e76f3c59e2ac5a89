package org.fedorabuild.hub.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.compat.fault.KojiFault.ParameterError;
import org.fedorabuild.compat.wire.KojiTime;

/** Koji's argument conventions, shared by the API services. */
public final class Args {
    private Args() {
    }

    /**
     * Name-or-id: an int is an id, a string a name, a struct its {@code id} or {@code name}; anything
     * else is a ParameterError. Returns an Integer or a String.
     */
    static Object nameOrId(Object v, String what) {
        if (v instanceof Long l) {
            return l.intValue();
        }
        if (v instanceof Integer || v instanceof String) {
            return v;
        }
        if (v instanceof Map<?, ?> m) {
            if (m.get("id") != null) {
                return nameOrId(m.get("id"), what);
            }
            if (m.get("name") instanceof String s) {
                return s;
            }
        }
        throw new ParameterError("Invalid type for " + what + ": " + repr(v));
    }

    /** An int id (ints as longs off the wire); anything else is a ParameterError. */
    static int id(Object v, String what) {
        if (v instanceof Number n && !(v instanceof Double)) {
            return n.intValue();
        }
        throw new ParameterError("Invalid type for " + what + ": " + repr(v));
    }

    static Integer optionalId(Object v, String what) {
        return v == null ? null : id(v, what);
    }

    /** Python's repr of a scalar, as Koji's messages show ids and names. */
    static String repr(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return String.valueOf(v);
    }

    static boolean truthy(Object v) {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof List<?> l) {
            return !l.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    /** A time filter: a float epoch (what the CLI sends) or a time string. */
    static Instant time(Object v, String what) {
        if (v instanceof Number n) {
            return KojiTime.fromEpoch(n.doubleValue());
        }
        if (v instanceof String s) {
            try {
                return KojiTime.parse(s);
            } catch (RuntimeException e) {
                throw new GenericError("Invalid time for " + what + ": " + repr(v));
            }
        }
        throw new ParameterError("Invalid type for " + what + ": " + repr(v));
    }

    /** A shell glob as a LIKE pattern (a parameter value, never SQL text); escape char is backslash. */
    public static String globToLike(String glob) {
        StringBuilder sb = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> sb.append('%');
                case '?' -> sb.append('_');
                case '%', '_', '\\' -> sb.append('\\').append(c);
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    static String prefixLike(String prefix) {
        return likeLiteral(prefix) + "%";
    }

    /** A string LIKE matches only literally (its %, _ and backslash escaped). */
    public static String likeLiteral(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** Ints as longs off the wire, as Integers for JDBC. */
    static Integer[] intArray(Object v, String what) {
        List<?> list = v instanceof List<?> l ? l : List.of(v);
        Integer[] out = new Integer[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = id(list.get(i), what);
        }
        return out;
    }
}
