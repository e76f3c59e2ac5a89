package org.fedorabuild.hub.web;

import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * One page request as a page sees it: the path's named parts, query and form parameters (each read
 * checked, a bad one is a 400 naming it), and the signed-in user the {@link SignIn} hook attached.
 */
public final class WebRequest {
    /** Longest parameter value a page accepts; longer ones are refused rather than searched or echoed. */
    public static final int MAX_VALUE = 1000;

    private final Request request;
    private final Map<String, String> pathParams;
    private final Optional<WebUser> user;
    private Fields query;
    private Fields form;

    WebRequest(Request request, Map<String, String> pathParams, Optional<WebUser> user) {
        this.request = request;
        this.pathParams = pathParams;
        this.user = user;
    }

    public Request jetty() {
        return request;
    }

    public String method() {
        return request.getMethod();
    }

    public String path() {
        return Request.getPathInContext(request);
    }

    public Optional<WebUser> user() {
        return user;
    }

    public PageContext context() {
        return new PageContext(path(), user);
    }

    /** A named part of the route's path, e.g. {@code owner} of {@code /coprs/{owner}/}. */
    public String path(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no path part " + name);
        }
        return v;
    }

    /** Whether the route that matched names this path part. */
    public boolean hasPath(String name) {
        return pathParams.containsKey(name);
    }

    /** A named path part that must be a positive number. */
    public int pathId(String name) {
        return id(name, path(name));
    }

    /** A query parameter, or empty when absent or blank. */
    public Optional<String> param(String name) {
        if (query == null) {
            query = Request.extractQueryParameters(request);
        }
        return checked(name, query.getValue(name));
    }

    /** This page's path and query with one parameter replaced (for pager links and filters). */
    public String withParam(String name, String value) {
        Fields q = new Fields(true);
        Request.extractQueryParameters(request).forEach(f -> {
            if (!f.getName().equals(name)) {
                q.add(f);
            }
        });
        q.put(name, value);
        StringBuilder sb = new StringBuilder(path());
        char sep = '?';
        for (Fields.Field f : q) {
            for (String v : f.getValues()) {
                sb.append(sep).append(enc(f.getName())).append('=').append(enc(v));
                sep = '&';
            }
        }
        return sb.toString();
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A required positive-number query parameter ({@code taskID=7}); missing or malformed is a 400. */
    public int requiredId(String name) {
        return id(name, param(name).orElseThrow(() -> HttpError.badRequest("missing parameter " + name + ": expected a number")));
    }

    /** An optional non-negative number, {@code dflt} when absent. */
    public long number(String name, long dflt) {
        Optional<String> v = param(name);
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.get());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw HttpError.badRequest("bad " + name + " '" + v.get() + "': expected a number 0 or greater");
    }

    /** A form field of a POSTed {@code application/x-www-form-urlencoded} body (empty when absent or blank). */
    public Optional<String> form(String name) {
        if (form == null) {
            try {
                form = FormFields.getFields(request);
            } catch (RuntimeException e) {
                throw HttpError.badRequest("unreadable form: " + e.getMessage());
            }
        }
        return checked(name, form.getValue(name));
    }

    private static Optional<String> checked(String name, String v) {
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        if (v.length() > MAX_VALUE || v.indexOf('\0') >= 0) {
            throw HttpError.badRequest("parameter " + name + " is too long or holds a NUL (at most " + MAX_VALUE + " characters)");
        }
        return Optional.of(v.strip());
    }

    private static int id(String name, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw HttpError.badRequest("bad " + name + " '" + v + "': expected a positive number");
    }
}
