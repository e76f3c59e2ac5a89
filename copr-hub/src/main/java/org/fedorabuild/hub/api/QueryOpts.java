package org.fedorabuild.hub.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.compat.fault.KojiFault.ParameterError;

/**
 * Koji's {@code queryOpts}: {@code order} (comma list, '-' for descending), {@code offset},
 * {@code limit}, {@code countOnly}. Order terms map through a whitelist to SQL expressions, so no
 * caller text reaches the SQL.
 */
record QueryOpts(String order, Integer offset, Integer limit, boolean countOnly) {
    static final QueryOpts NONE = new QueryOpts(null, null, null, false);

    static QueryOpts from(Object raw) {
        if (raw == null) {
            return NONE;
        }
        if (!(raw instanceof Map<?, ?> m)) {
            throw new ParameterError("queryOpts must be a struct, got " + Args.repr(raw));
        }
        return new QueryOpts(m.get("order") == null ? null : String.valueOf(m.get("order")),
                m.get("offset") == null ? null : Args.id(m.get("offset"), "offset"),
                m.get("limit") == null ? null : Args.id(m.get("limit"), "limit"),
                Args.truthy(m.get("countOnly")));
    }

    /** ORDER BY … LIMIT … OFFSET … for {@code allowed} (Koji field → SQL expression). */
    String tail(Map<String, String> allowed, String defaultOrder) {
        StringBuilder sb = new StringBuilder();
        List<String> terms = new ArrayList<>();
        if (order != null && !order.isBlank()) {
            for (String term : order.split(",")) {
                String t = term.strip();
                boolean desc = t.startsWith("-");
                String field = desc ? t.substring(1) : t;
                String expr = allowed.get(field);
                if (expr == null) {
                    throw new GenericError("Invalid order term: " + t);
                }
                terms.add(expr + (desc ? " DESC" : ""));
            }
        }
        terms.add(defaultOrder);
        sb.append(" ORDER BY ").append(String.join(", ", terms));
        if (limit != null) {
            sb.append(" LIMIT ").append(Math.max(0, limit));
        }
        if (offset != null) {
            sb.append(" OFFSET ").append(Math.max(0, offset));
        }
        return sb.toString();
    }
}
