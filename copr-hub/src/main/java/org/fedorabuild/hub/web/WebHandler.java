package org.fedorabuild.hub.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the pages: finds the route, attaches the signed-in user, runs the page and writes what it
 * answers with the security headers every page carries. Refusals ({@link HttpError}) become the error page
 * with their status; anything else is logged with its stack trace and answered as a plain 500 page.
 */
public final class WebHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(WebHandler.class);

    /**
     * Scripts only from this site (htmx), no inline script or style, no plugins, no framing. htmx's own
     * indicator style is switched off in the layout's htmx-config so nothing inline is needed.
     */
    public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private final Router router;
    private final Templates templates;
    private final SignIn signIn;

    public WebHandler(Router router, Templates templates, SignIn signIn) {
        this.router = router;
        this.templates = templates;
        this.signIn = signIn;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!router.owns(path)) {
            return false;
        }
        Optional<WebUser> user = Optional.empty();
        WebResponse answer;
        try {
            user = signIn.user(request);
            answer = dispatch(request, path, user);
        } catch (HttpError e) {
            answer = error(e.status(), e.getMessage());
        } catch (Exception | LinkageError e) {
            LOG.error("Web - {} {} failed", request.getMethod(), path, e);
            answer = error(500, "The hub could not answer this page; the error is in its log.");
        }
        write(request, response, callback, answer, new PageContext(path, user));
        return true;
    }

    private WebResponse dispatch(Request request, String path, Optional<WebUser> user) throws Exception {
        Router.Match m = router.find(path, request.getMethod());
        if (m == null) {
            throw HttpError.notFound("No page at " + path + ".");
        }
        if (!m.route().allows(request.getMethod())) {
            return error(405, "This page does not take " + request.getMethod() + ".")
                    .header("Allow", String.join(", ", m.route().methods()));
        }
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            signIn.checkForm(request);
        }
        if (m.route().trailingSlash() && !path.endsWith("/")) {
            String q = request.getHttpURI().getQuery();
            return WebResponse.redirect(path + "/" + (q == null ? "" : "?" + q)).status(301);
        }
        return m.route().handler.handle(new WebRequest(request, m.vars(), user));
    }

    private static WebResponse error(int status, String message) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("status", status);
        p.put("title", switch (status) {
            case 400 -> "Bad request";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            default -> "Server error";
        });
        p.put("message", message);
        return WebResponse.page("error.jte", p).status(status);
    }

    private void write(Request request, Response response, Callback callback, WebResponse answer, PageContext ctx) {
        byte[] body;
        String type = answer.contentType;
        try {
            body = switch (answer.kind) {
                case TEMPLATE -> render(answer, ctx);
                case TEXT -> answer.body.getBytes(StandardCharsets.UTF_8);
                case REDIRECT, FILE -> new byte[0];
            };
        } catch (RuntimeException e) {
            LOG.error("Web - rendering {} for {} failed", answer.template, ctx.path(), e);
            answer = error(500, "The hub could not render this page; the error is in its log.");
            body = render(answer, ctx);
            type = answer.contentType;
        }
        response.setStatus(answer.status);
        var h = response.getHeaders();
        h.put("Content-Security-Policy", CSP);
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "same-origin");
        h.put("X-Frame-Options", "DENY");
        h.put(HttpHeader.CACHE_CONTROL, "no-cache");
        answer.headers.forEach(h::put);
        if (type != null) {
            h.put(HttpHeader.CONTENT_TYPE, type);
        }
        boolean head = "HEAD".equals(request.getMethod());
        if (answer.kind == WebResponse.Kind.FILE) {
            h.put(HttpHeader.CONTENT_LENGTH, answer.fileLength);
            if (!head) {
                streamFile(request, response, callback, answer);
            } else {
                response.write(true, ByteBuffer.allocate(0), callback);
            }
            return;
        }
        h.put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
    }

    private static void streamFile(Request request, Response response, Callback callback, WebResponse answer) {
        try (var in = java.nio.file.Files.newInputStream(answer.file); var out = Response.asBufferedOutputStream(request, response)) {
            in.skipNBytes(answer.fileOffset);
            long left = answer.fileLength;
            byte[] buf = new byte[65536];
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                left -= n;
            }
        } catch (java.io.IOException e) {
            // the client went away or the file was pruned under us: nothing more can be sent
            callback.failed(e);
            return;
        }
        callback.succeeded();
    }

    private byte[] render(WebResponse answer, PageContext ctx) {
        Map<String, Object> params = new LinkedHashMap<>(answer.params);
        params.put("ctx", ctx);
        return templates.render(answer.template, params).getBytes(StandardCharsets.UTF_8);
    }
}
