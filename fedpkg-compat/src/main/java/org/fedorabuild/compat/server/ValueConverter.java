package org.fedorabuild.compat.server;

import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault.ParameterError;

/** Turns a decoded XML-RPC value into the Java type a hub method declares, refusing what Python would not take. */
final class ValueConverter {
    private ValueConverter() {
    }

    static Object convert(String function, String param, Object value, Class<?> type) {
        if (value == null) {
            if (type.isPrimitive()) {
                throw bad(function, param, type, null);
            }
            return null;
        }
        if (type == Object.class || type.isInstance(value)) {
            return value;
        }
        if (type == long.class || type == Long.class) {
            return integral(function, param, value, type);
        }
        if (type == int.class || type == Integer.class) {
            long v = integral(function, param, value, type);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new ParameterError("argument '" + param + "' of " + function + "() out of range: " + v);
            }
            return (int) v;
        }
        if (type == double.class || type == Double.class) {
            if (value instanceof Number n && !(value instanceof Boolean)) {
                return n.doubleValue();
            }
            throw bad(function, param, type, value);
        }
        if (type == boolean.class || type == Boolean.class) {
            // Koji tests these arguments for truth, so 0/1 from old clients count.
            if (value instanceof Boolean b) {
                return b;
            }
            if (value instanceof Number n) {
                return n.longValue() != 0;
            }
            throw bad(function, param, type, value);
        }
        throw bad(function, param, type, value);
    }

    private static long integral(String function, String param, Object value, Class<?> type) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            return ((Number) value).longValue();
        }
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            return d.longValue();
        }
        if (value instanceof String s && s.matches("[+-]?\\d{1,18}")) {
            return Long.parseLong(s);
        }
        throw bad(function, param, type, value);
    }

    private static ParameterError bad(String function, String param, Class<?> type, Object value) {
        return new ParameterError("invalid type for argument '" + param + "' of " + function + "(): expected "
                + pythonType(type) + ", got " + pythonTypeOf(value));
    }

    static String pythonTypeOf(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof Long || value instanceof Integer) {
            return "int";
        }
        if (value instanceof Double) {
            return "float";
        }
        if (value instanceof String) {
            return "str";
        }
        if (value instanceof List) {
            return "list";
        }
        if (value instanceof Map) {
            return "dict";
        }
        if (value instanceof byte[]) {
            return "bytes";
        }
        return value.getClass().getSimpleName();
    }

    private static String pythonType(Class<?> type) {
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
            return "int";
        }
        if (type == double.class || type == Double.class) {
            return "float";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "bool";
        }
        if (type == String.class) {
            return "str";
        }
        if (List.class.isAssignableFrom(type)) {
            return "list";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "dict";
        }
        return type.getSimpleName();
    }
}
