package org.fedorabuild.hub.repo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Read-only files over HTTP: {@code GET}/{@code HEAD} (with a single {@code Range: bytes=N-[M]}, as koji's
 * download helpers resume) of regular files, and a plain listing of directories. A request path
 * with a segment starting with a dot ({@code ..}, {@code .user}, staging directories) is 404, and the
 * real path of what is served must lie under the real root, so a symlink never leads outside it.
 * Paths the {@code resolver} does not map (it answers null) are 404 too.
 */
public final class FilesHandler extends Handler.Abstract {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private final String prefix;
    private final Function<String, Path> resolver;
    private final Path realRoot;

    /**
     * @param prefix   URL prefix, e.g. {@code /results/}
     * @param root     the directory everything served must lie in
     * @param resolver maps the path after the prefix to a file under {@code root}, or null
     */
    public FilesHandler(String prefix, Path root, Function<String, Path> resolver) {
        this.prefix = prefix;
        this.resolver = resolver;
        try {
            Files.createDirectories(root);
            this.realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalStateException("cannot use " + root + " for " + prefix + ": " + e, e);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (!path.startsWith(prefix) && !path.equals(prefix.substring(0, prefix.length() - 1))) {
            return false;
        }
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        String rel = path.length() > prefix.length() ? path.substring(prefix.length()) : "";
        Path file = null;
        if (rel.indexOf('\0') < 0 && rel.indexOf('\\') < 0 && Stream.of(rel.split("/")).noneMatch(s -> s.startsWith("."))) {
            file = resolver.apply(rel);
        }
        Path real = null;
        try {
            real = file == null || !Files.exists(file) ? null : file.toRealPath();
        } catch (IOException e) {
            real = null;
        }
        if (real == null || !real.startsWith(realRoot)) {
            Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            return true;
        }
        boolean head = "HEAD".equals(request.getMethod());
        if (Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
            if (!path.endsWith("/")) {
                Response.sendRedirect(request, response, callback, path + "/");
                return true;
            }
            byte[] body = listing(path, real).getBytes(StandardCharsets.UTF_8);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, head ? java.nio.ByteBuffer.allocate(0) : java.nio.ByteBuffer.wrap(body), callback);
            return true;
        }
        long size = Files.size(real);
        long from = 0;
        long to = size - 1;
        String range = request.getHeaders().get(HttpHeader.RANGE);
        Matcher m = range == null ? null : RANGE.matcher(range.trim());
        if (m != null && m.matches()) {
            from = Long.parseLong(m.group(1));
            if (!m.group(2).isEmpty()) {
                to = Math.min(to, Long.parseLong(m.group(2)));
            }
            if (from >= size || from > to) {
                response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes */" + size);
                Response.writeError(request, response, callback, HttpStatus.RANGE_NOT_SATISFIABLE_416);
                return true;
            }
            response.setStatus(HttpStatus.PARTIAL_CONTENT_206);
            response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes " + from + "-" + to + "/" + size);
        }
        response.getHeaders().put(HttpHeader.ACCEPT_RANGES, "bytes");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType(real.getFileName().toString()));
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, to - from + 1);
        if (head) {
            response.write(true, java.nio.ByteBuffer.allocate(0), callback);
            return true;
        }
        try (InputStream in = Files.newInputStream(real); OutputStream out = Content.asOutputStream(request, response)) {
            in.skipNBytes(from);
            long left = to - from + 1;
            byte[] buf = new byte[65536];
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }
        callback.succeeded();
        return true;
    }

    /** Jetty's blocking response stream. */
    private static final class Content {
        static OutputStream asOutputStream(Request request, Response response) {
            return Response.asBufferedOutputStream(request, response);
        }
    }

    private static String contentType(String name) {
        if (name.endsWith(".xml")) {
            return "application/xml";
        }
        if (name.endsWith(".rpm")) {
            return "application/x-rpm";
        }
        if (name.endsWith(".log") || name.endsWith(".repo") || name.endsWith(".txt")) {
            return "text/plain; charset=utf-8";
        }
        return "application/octet-stream";
    }

    private static String listing(String urlPath, Path dir) throws IOException {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html><head><title>Index of ").append(escape(urlPath))
                .append("</title></head><body><h1>Index of ").append(escape(urlPath)).append("</h1><ul>\n");
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
        for (Path p : entries) {
            String name = p.getFileName().toString() + (Files.isDirectory(p) ? "/" : "");
            sb.append("<li><a href=\"").append(escape(name)).append("\">").append(escape(name)).append("</a></li>\n");
        }
        return sb.append("</ul></body></html>\n").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
