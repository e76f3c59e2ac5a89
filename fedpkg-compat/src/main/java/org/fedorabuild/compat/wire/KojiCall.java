package org.fedorabuild.compat.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One XML-RPC call in Koji's form: positional arguments plus keyword arguments, which travel as a trailing
 * struct carrying {@code __starstar: true} (only when there is at least one keyword argument; a keyword
 * whose value is None still counts).
 */
public record KojiCall(String method, List<Object> args, Map<String, Object> kwargs) {
    public static final String STARSTAR = "__starstar";

    public KojiCall {
        if (method == null || method.isEmpty()) {
            throw new IllegalArgumentException("method name must not be empty");
        }
        args = Collections.unmodifiableList(new ArrayList<>(args));
        kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
    }

    public static KojiCall of(String method, Object... args) {
        return new KojiCall(method, Arrays.asList(args), Map.of());
    }

    /** The parameter list as it goes on the wire. */
    public List<Object> wireParams() {
        if (kwargs.isEmpty()) {
            return args;
        }
        List<Object> params = new ArrayList<>(args);
        Map<String, Object> kw = new LinkedHashMap<>(kwargs);
        kw.put(STARSTAR, Boolean.TRUE);
        params.add(kw);
        return params;
    }

    /** Splits wire parameters: a trailing struct with a truthy {@code __starstar} holds the keywords. */
    public static KojiCall fromWire(String method, List<Object> params) {
        if (!params.isEmpty() && params.get(params.size() - 1) instanceof Map<?, ?> last
                && truthy(last.get(STARSTAR))) {
            Map<String, Object> kw = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : last.entrySet()) {
                if (!STARSTAR.equals(e.getKey())) {
                    kw.put(String.valueOf(e.getKey()), e.getValue());
                }
            }
            return new KojiCall(method, params.subList(0, params.size() - 1), kw);
        }
        return new KojiCall(method, params, Map.of());
    }

    private static boolean truthy(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.longValue() != 0;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        return v != null;
    }
}
