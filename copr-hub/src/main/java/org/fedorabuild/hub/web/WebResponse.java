package org.fedorabuild.hub.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a page answers: a template rendered with its parameters (a full page or an htmx fragment; the
 * template decides whether it uses the layout), a redirect, or plain text. Build one with the static
 * factories; {@link #status} and {@link #header} adjust it.
 */
public final class WebResponse {
    enum Kind { TEMPLATE, REDIRECT, TEXT, FILE }

    final Kind kind;
    final String template;
    final Map<String, Object> params;
    final String body;
    final String contentType;
    java.nio.file.Path file;
    long fileOffset;
    long fileLength;
    int status = 200;
    final Map<String, String> headers = new LinkedHashMap<>();

    private WebResponse(Kind kind, String template, Map<String, Object> params, String body, String contentType) {
        this.kind = kind;
        this.template = template;
        this.params = params;
        this.body = body;
        this.contentType = contentType;
    }

    /**
     * The template {@code name} (e.g. {@code "copr/project.jte"}) with {@code params}; the router adds
     * {@code ctx} ({@link PageContext}), so every page template declares {@code @param PageContext ctx}.
     */
    public static WebResponse page(String name, Map<String, Object> params) {
        return new WebResponse(Kind.TEMPLATE, name, new LinkedHashMap<>(params), null, "text/html; charset=utf-8");
    }

    /** A 303 to a local path (after a form POST, or to the canonical URL of a page). */
    public static WebResponse redirect(String location) {
        if (!location.startsWith("/") || location.startsWith("//")) {
            throw new IllegalArgumentException("redirects stay on this site: " + location);
        }
        WebResponse r = new WebResponse(Kind.REDIRECT, null, Map.of(), null, null);
        r.status = 303;
        r.headers.put("Location", location);
        return r;
    }

    /** Plain text (a log, a raw file): shown as text by every browser, never as HTML. */
    public static WebResponse text(String body) {
        return new WebResponse(Kind.TEXT, null, Map.of(), body, "text/plain; charset=utf-8");
    }

    /**
     * Bytes of a file from {@code offset}, at most {@code max}, streamed (a log may be larger than memory);
     * an offset past the end gives an empty body.
     */
    public static WebResponse file(java.nio.file.Path file, long offset, long max, String contentType) throws java.io.IOException {
        WebResponse r = new WebResponse(Kind.FILE, null, Map.of(), null, contentType);
        long size = java.nio.file.Files.size(file);
        r.file = file;
        r.fileOffset = Math.min(offset, size);
        r.fileLength = Math.min(max, size - r.fileOffset);
        return r;
    }

    public WebResponse status(int code) {
        this.status = code;
        return this;
    }

    public WebResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }
}
