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

    /**
     * As {@link #from(Object)}, with the anonymous caps: a list call without a login gets {@code AnonListDefault}
     * rows when it names no limit and at most {@code AnonListMax} (counts are not capped).
     */
    static QueryOpts from(Object raw, org.fedorabuild.compat.server.CallContext ctx) {
        QueryOpts q = from(raw);
        var limits = ctx.attachment(org.fedorabuild.hub.config.Limits.class).orElse(null);
        if (limits == null || q.countOnly() || org.fedorabuild.hub.auth.Caller.of(ctx).loggedIn()) {
            return q;
        }
        int limit = q.limit() == null ? limits.anonListDefault() : Math.min(q.limit(), limits.anonListMax());
        return new QueryOpts(q.order(), q.offset(), limit, false);
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
