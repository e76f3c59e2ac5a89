package org.fedorabuild.compat.multicall;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault.ParameterError;
import org.fedorabuild.compat.wire.KojiCall;

/**
 * One call inside a {@code multiCall}: the struct {@code {methodName, params}}, with keyword arguments
 * {@code __starstar}-encoded in {@code params} exactly as in a top-level call.
 */
public final class MulticallEntry {
    private MulticallEntry() {
    }

    public static Map<String, Object> encode(KojiCall call) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("methodName", call.method());
        entry.put("params", new ArrayList<>(call.wireParams()));
        return entry;
    }

    public static KojiCall decode(Object raw) {
        if (!(raw instanceof Map<?, ?> map) || !(map.get("methodName") instanceof String name) || name.isBlank()) {
            throw new ParameterError("multicall entry must be a struct with a methodName string");
        }
        Object params = map.get("params");
        if (params != null && !(params instanceof List)) {
            throw new ParameterError("multicall entry params of " + name + " must be an array");
        }
        @SuppressWarnings("unchecked")
        List<Object> list = params == null ? List.of() : (List<Object>) params;
        return KojiCall.fromWire(name, list);
    }
}
