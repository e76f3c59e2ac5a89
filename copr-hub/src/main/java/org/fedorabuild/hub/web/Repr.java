package org.fedorabuild.hub.web;

import java.util.List;
import java.util.Map;

/** Task requests and results as kojiweb shows them: Python's repr of the decoded XML-RPC values. */
public final class Repr {
    private Repr() {
    }

    public static String of(Object v) {
        StringBuilder sb = new StringBuilder();
        append(sb, v);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("None");
        } else if (v instanceof Boolean b) {
            sb.append(b ? "True" : "False");
        } else if (v instanceof String s) {
            sb.append('\'').append(s.replace("\\", "\\\\").replace("'", "\\'")).append('\'');
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (var e : m.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                append(sb, e.getKey());
                sb.append(": ");
                append(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                append(sb, l.get(i));
            }
            sb.append(']');
        } else if (v instanceof Object[] a) {
            append(sb, List.of(a));
        } else {
            sb.append(v);
        }
    }
}
