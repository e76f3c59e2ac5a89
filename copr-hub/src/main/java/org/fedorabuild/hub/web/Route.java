package org.fedorabuild.hub.web;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A path pattern such as {@code /coprs/{owner}/{project}/build/{id}/}: literal segments, and named ones
 * matching one non-empty segment. A pattern ending in '/' also matches the path without it (the router
 * redirects that to the canonical form).
 */
public final class Route {
    private final Set<String> methods;
    private final String pattern;
    private final String[] segments;
    private final boolean trailingSlash;
    final PageHandler handler;

    /** A page: reads the request, answers a response or throws {@link HttpError}. */
    @FunctionalInterface
    public interface PageHandler {
        WebResponse handle(WebRequest request) throws Exception;
    }

    Route(Set<String> methods, String pattern, PageHandler handler) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("route pattern must start with '/': " + pattern);
        }
        this.methods = methods;
        this.pattern = pattern;
        this.trailingSlash = pattern.endsWith("/") && pattern.length() > 1;
        String body = trailingSlash ? pattern.substring(1, pattern.length() - 1) : pattern.substring(1);
        this.segments = body.isEmpty() ? new String[0] : body.split("/");
        this.handler = handler;
    }

    boolean allows(String method) {
        return methods.contains(method) || ("HEAD".equals(method) && methods.contains("GET"));
    }

    Set<String> methods() {
        return methods;
    }

    boolean trailingSlash() {
        return trailingSlash;
    }

    /** The named segments when {@code path} matches (without its trailing slash), else null. */
    Map<String, String> match(String path) {
        String body = path.endsWith("/") && path.length() > 1 ? path.substring(1, path.length() - 1) : path.substring(1);
        String[] parts = body.isEmpty() ? new String[0] : body.split("/", -1);
        if (parts.length != segments.length) {
            return null;
        }
        Map<String, String> vars = new HashMap<>();
        for (int i = 0; i < parts.length; i++) {
            String s = segments[i];
            if (s.startsWith("{")) {
                if (parts[i].isEmpty()) {
                    return null;
                }
                vars.put(s.substring(1, s.length() - 1), parts[i]);
            } else if (!s.equals(parts[i])) {
                return null;
            }
        }
        return vars;
    }

    @Override
    public String toString() {
        return methods + " " + pattern;
    }
}
