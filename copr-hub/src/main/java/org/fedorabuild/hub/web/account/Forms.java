package org.fedorabuild.hub.web.account;

import java.net.URI;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import org.fedorabuild.hub.account.WebSessions;
import org.fedorabuild.hub.web.HttpError;
import org.fedorabuild.hub.web.WebRequest;
import org.fedorabuild.hub.web.WebResponse;

/**
 * Cookies and CSRF tokens of the hub's forms. A form's token is derived from a cookie only the browser
 * holds (HttpOnly): the session cookie once signed in, before that a random pre-session cookie. A POST is
 * accepted only with the token (form field {@value #FIELD}, query parameter of the same name for uploads,
 * or header {@code X-CSRF-Token}), and never when the browser says it comes from another site or origin.
 */
public final class Forms {
    public static final String FIELD = "csrf_token";
    public static final String PRE_COOKIE = "coprhub_csrf";

    /** The token for a page's forms, and the cookie to set first when the visitor has none yet. */
    public record Token(String value, String setCookie) {
        public WebResponse apply(WebResponse r) {
            return setCookie == null ? r : r.header("Set-Cookie", setCookie);
        }
    }

    private Forms() {
    }

    public static Token token(WebRequest req) {
        String secret = cookie(req.jetty(), WebSessions.COOKIE).filter(s -> req.user().isPresent())
                .or(() -> cookie(req.jetty(), PRE_COOKIE)).orElse(null);
        if (secret != null) {
            return new Token(WebSessions.csrfToken(secret), null);
        }
        String fresh = WebSessions.randomToken();
        return new Token(WebSessions.csrfToken(fresh), cookieHeader(req.jetty(), PRE_COOKIE, fresh, -1));
    }

    /** Refuses a POST that is not from this hub's own form in this browser (403, nothing done). */
    public static void check(Request request) {
        String site = request.getHeaders().get("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            throw new HttpError(403, "Form refused: it was sent from another site (" + site + ").");
        }
        String origin = request.getHeaders().get("Origin");
        if (origin != null && !origin.equals("null")) {
            String host = request.getHeaders().get("Host");
            String o;
            try {
                URI u = URI.create(origin);
                o = u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
            } catch (IllegalArgumentException e) {
                o = "";
            }
            if (host == null || !host.equalsIgnoreCase(o)) {
                throw new HttpError(403, "Form refused: it was sent from another origin.");
            }
        }
        String submitted = submittedToken(request);
        boolean ok = cookie(request, WebSessions.COOKIE).map(s -> WebSessions.csrfValid(s, submitted)).orElse(false)
                || cookie(request, PRE_COOKIE).map(s -> WebSessions.csrfValid(s, submitted)).orElse(false);
        if (!ok) {
            throw new HttpError(403, "Form refused: its security token is missing or stale. Reload the page and try again.");
        }
    }

    private static String submittedToken(Request request) {
        String h = request.getHeaders().get("X-CSRF-Token");
        if (h != null) {
            return h;
        }
        String q = Request.extractQueryParameters(request).getValue(FIELD);
        if (q != null) {
            return q;
        }
        String type = request.getHeaders().get("Content-Type");
        if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
            try {
                Fields f = FormFields.getFields(request);
                return f.getValue(FIELD);
            } catch (RuntimeException e) {
                throw HttpError.badRequest("unreadable form: " + e.getMessage());
            }
        }
        return null;
    }

    public static Optional<String> cookie(Request request, String name) {
        for (HttpCookie c : Request.getCookies(request)) {
            if (c.getName().equals(name)) {
                return Optional.of(c.getValue());
            }
        }
        return Optional.empty();
    }

    /** A Set-Cookie value: HttpOnly, SameSite=Lax, Secure under TLS; {@code maxAge} < 0 for a browser-session cookie. */
    public static String cookieHeader(Request request, String name, String value, long maxAge) {
        return name + "=" + value + "; Path=/; HttpOnly; SameSite=Lax" + (maxAge >= 0 ? "; Max-Age=" + maxAge : "")
                + (request.isSecure() ? "; Secure" : "");
    }

    /** Where to go after signing in: a local path only (never another site), else the project list. */
    public static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || next.length() > 500
                || next.chars().anyMatch(ch -> ch < 0x21 || ch == '\\')) {
            return "/coprs/";
        }
        return next;
    }

    /** The sign-in page, then back to this page. */
    public static WebResponse toLogin(WebRequest req) {
        String q = req.jetty().getHttpURI().getQuery();
        String here = req.path() + (q == null ? "" : "?" + q);
        return WebResponse.redirect("/login?next=" + java.net.URLEncoder.encode(safeNext(here), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The client's address, for throttling and logs. */
    public static String address(Request request) {
        return Request.getRemoteAddr(request);
    }
}
