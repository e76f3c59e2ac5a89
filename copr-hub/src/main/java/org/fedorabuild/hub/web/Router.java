package org.fedorabuild.hub.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The pages' routes, registered by each page set ({@link PageSet}). The router answers only under the
 * prefixes it {@link #owns}; inside them an unknown path is a 404 page, except paths another handler
 * serves ({@link #leave}), which fall through to the next handler in Jetty's sequence.
 */
public final class Router {
    private final List<Route> routes = new ArrayList<>();
    private final List<String> prefixes = new ArrayList<>();
    private final List<Predicate<String>> left = new ArrayList<>();

    /** A group of pages that registers its routes. */
    @FunctionalInterface
    public interface PageSet {
        void register(Router router);
    }

    /** Claims {@code prefix} (e.g. {@code /coprs/}; exactly {@code /} for the root page only). */
    public Router own(String prefix) {
        prefixes.add(prefix);
        return this;
    }

    /** Paths under an owned prefix that belong to another handler (they are never answered here). */
    public Router leave(Predicate<String> path) {
        left.add(path);
        return this;
    }

    public Router get(String pattern, Route.PageHandler page) {
        routes.add(new Route(Set.of("GET"), pattern, page));
        return this;
    }

    public Router post(String pattern, Route.PageHandler page) {
        routes.add(new Route(Set.of("POST"), pattern, page));
        return this;
    }

    public Router route(Set<String> methods, String pattern, Route.PageHandler page) {
        routes.add(new Route(methods, pattern, page));
        return this;
    }

    boolean owns(String path) {
        for (String p : prefixes) {
            if (p.equals("/") ? path.equals("/") : path.startsWith(p) || path.equals(p.substring(0, p.length() - 1))) {
                return !left.stream().anyMatch(l -> l.test(path));
            }
        }
        return false;
    }

    /** The first route whose pattern matches, with its path parts; or null. Methods are checked by the caller. */
    Match find(String path, String method) {
        Match any = null;
        for (Route r : routes) {
            Map<String, String> vars = r.match(path);
            if (vars != null) {
                Match m = new Match(r, vars);
                if (r.allows(method)) {
                    return m;
                }
                if (any == null) {
                    any = m;
                }
            }
        }
        return any;
    }

    record Match(Route route, Map<String, String> vars) {
    }
}
