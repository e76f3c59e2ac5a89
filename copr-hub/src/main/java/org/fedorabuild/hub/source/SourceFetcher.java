package org.fedorabuild.hub.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Fetches a build source (an SRPM or a spec file) from an http(s) URL under the hub's rules: only http and
 * https, no credentials in the URL, every address the host name resolves to checked by {@link AddressPolicy}
 * in the client's own resolver (so the checked address is the one connected to: no DNS-rebinding gap),
 * at most {@value #MAX_REDIRECTS} redirects each checked the same way, a size limit enforced while reading
 * and one deadline for the whole fetch. The file must be named {@code *.src.rpm} or {@code *.spec} and be
 * one: an RPM source package lead, or text.
 */
public final class SourceFetcher implements AutoCloseable {
    public static final int MAX_REDIRECTS = 5;
    static final long MAX_SPEC = 1024 * 1024;

    private final SourceUrlSettings settings;
    private final AddressPolicy policy;
    private final HttpClient client;

    public SourceFetcher(SourceUrlSettings settings) {
        this.settings = settings;
        this.policy = new AddressPolicy(settings.allowPrivate());
        SslContextFactory.Client tls = new SslContextFactory.Client(false);
        tls.setEndpointIdentificationAlgorithm("HTTPS");
        this.client = new HttpClient();
        client.setSslContextFactory(tls);
        client.setFollowRedirects(false);
        client.setConnectTimeout(Math.min(30_000, settings.timeout().toMillis()));
        client.setIdleTimeout(Math.min(60_000, settings.timeout().toMillis()));
        client.setUserAgentField(new org.eclipse.jetty.http.HttpField(org.eclipse.jetty.http.HttpHeader.USER_AGENT, "copr-hub"));
        client.setSocketAddressResolver(new CheckedResolver());
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client for source URLs", e);
        }
    }

    /** True for the sources this fetcher handles (http:// and https:// URLs). */
    public static boolean isUrl(String src) {
        return src != null && (src.regionMatches(true, 0, "http://", 0, 7) || src.regionMatches(true, 0, "https://", 0, 8));
    }

    /** The checked URI of {@code url}, or the reason it is refused (before any network access). */
    public static URI check(String url) throws SourceFetchException {
        URI u = checkAny(url);
        fileName(u);
        return u;
    }

    /** As {@link #check} for any file name (a spec's Source files): the address rules without the name rule. */
    static URI checkAny(String url) throws SourceFetchException {
        URI u;
        try {
            u = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new SourceFetchException("not a valid URL: " + url + " (" + e.getReason() + ")");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new SourceFetchException("refused " + url + ": only http:// and https:// URLs are fetched");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new SourceFetchException("refused " + url + ": the URL has no host name");
        }
        if (u.getRawUserInfo() != null) {
            throw new SourceFetchException("refused " + url + ": credentials in source URLs are not accepted");
        }
        return u;
    }

    /** The file name a source URL names: its last path segment, which must end in .src.rpm or .spec. */
    public static String fileName(URI u) throws SourceFetchException {
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        String last = URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
        if (!last.matches("[A-Za-z0-9][A-Za-z0-9._+~-]{0,200}") || !(last.endsWith(".src.rpm") || last.endsWith(".spec"))) {
            throw new SourceFetchException("refused " + u + ": expected a URL of an SRPM (…/NAME.src.rpm) or a spec file"
                    + " (…/NAME.spec), got the file name '" + last + "'");
        }
        return last;
    }

    private static String plainName(URI u) throws SourceFetchException {
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        String last = URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
        if (!last.matches("[A-Za-z0-9][A-Za-z0-9._+~-]{0,200}")) {
            throw new SourceFetchException("refused " + u + ": expected a plain file name as the URL's last path segment, got '"
                    + last + "'");
        }
        return last;
    }

    /**
     * Fetches {@code url} into {@code dir} (created if needed); returns the file, named after the URL's
     * last path segment. On any failure nothing is left in {@code dir}.
     */
    public Path fetch(String url, Path dir) throws SourceFetchException {
        return fetch(url, dir, false);
    }

    /**
     * A Source file a fetched spec names, under the same address, redirect, size and time rules; its name is
     * the URL's last path segment, which must be a plain file name.
     */
    public Path fetchSourceFile(String url, Path dir) throws SourceFetchException {
        return fetch(url, dir, true);
    }

    /**
     * A file of a build repository (its metadata, or a package for a buildroot) into {@code dest}, under the
     * same address, redirect and time rules, at most {@code max} bytes; returns its size. Nothing is left at
     * {@code dest} on failure.
     */
    public long fetchRepoFile(String url, Path dest, long max) throws SourceFetchException {
        boolean done = false;
        try {
            follow(url, checkAny(url), dest, max, true);
            done = true;
            return Files.size(dest);
        } catch (IOException e) {
            throw new SourceFetchException("fetching " + url + " failed: " + e.getMessage());
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(dest);
                } catch (IOException e) {
                    // swept with the build's temporary directory
                }
            }
        }
    }

    /** GETs {@code u} into {@code out}, following at most {@value #MAX_REDIRECTS} redirects, each target checked again. */
    private void follow(String url, URI u, Path out, long max, boolean anyName) throws SourceFetchException, IOException {
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        for (int hop = 0;; hop++) {
            String location = get(u, out, deadline, max);
            if (location == null) {
                return;
            }
            if (hop >= MAX_REDIRECTS) {
                throw new SourceFetchException("refused " + url + ": more than " + MAX_REDIRECTS + " redirects");
            }
            u = anyName ? checkAny(u.resolve(location).toString()) : check(u.resolve(location).toString());
        }
    }

    private Path fetch(String url, Path dir, boolean anyName) throws SourceFetchException {
        URI u = anyName ? checkAny(url) : check(url);
        String name = anyName ? plainName(u) : fileName(u);
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, ".fetch-", ".part");
            follow(url, u, tmp, settings.maxSize(), anyName);
            if (!anyName) {
                verify(tmp, name, url);
            }
            Path dest = dir.resolve(name);
            Files.move(tmp, dest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            return dest;
        } catch (IOException e) {
            throw new SourceFetchException("fetching " + url + " failed: " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // a leftover .part file is swept with the task directory
                }
            }
        }
    }

    /** One GET into {@code out}; returns the Location of a redirect, or null when the body was saved. */
    private String get(URI u, Path out, long deadline, long max) throws SourceFetchException, IOException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            throw new SourceFetchException("fetching " + u + " took longer than " + settings.timeout().toSeconds() + " s");
        }
        Request req = client.newRequest(u).timeout(left, TimeUnit.MILLISECONDS);
        InputStreamResponseListener listener = new InputStreamResponseListener();
        req.send(listener);
        Response resp;
        try {
            resp = listener.get(left, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            req.abort(e);
            throw new SourceFetchException("fetching " + u + " took longer than " + settings.timeout().toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new SourceFetchException(reason(u, e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceFetchException("fetching " + u + " was interrupted");
        }
        int status = resp.getStatus();
        try (InputStream in = listener.getInputStream()) {
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                String location = resp.getHeaders().get("Location");
                if (location == null) {
                    throw new SourceFetchException("fetching " + u + " failed: HTTP " + status + " without a Location");
                }
                return location;
            }
            if (status != 200) {
                throw new SourceFetchException("fetching " + u + " failed: HTTP " + status);
            }
            long declared = resp.getHeaders().getLongField("Content-Length");
            if (declared > max) {
                throw new SourceFetchException(tooBig(u, max));
            }
            long total = 0;
            byte[] buf = new byte[64 * 1024];
            try (OutputStream os = Files.newOutputStream(out)) {
                for (int n; (n = in.read(buf)) > 0;) {
                    total += n;
                    if (total > max) {
                        req.abort(new IOException("size limit"));
                        throw new SourceFetchException(tooBig(u, max));
                    }
                    if (System.nanoTime() > deadline) {
                        req.abort(new IOException("deadline"));
                        throw new SourceFetchException("fetching " + u + " took longer than " + settings.timeout().toSeconds() + " s");
                    }
                    os.write(buf, 0, n);
                }
            } catch (IOException e) {
                throw new SourceFetchException(reason(u, e.getCause() != null ? e.getCause() : e));
            }
            return null;
        }
    }

    private String tooBig(URI u, long max) {
        return "refused " + u + ": larger than the limit of " + max + " bytes"
                + (max == settings.maxSize() ? " ([hub] SourceURLMaxSize)" : "");
    }

    private String reason(URI u, Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RefusedAddress r) {
                return "refused " + u + ": " + r.getMessage();
            }
            if (c instanceof TimeoutException) {
                return "fetching " + u + " took longer than " + settings.timeout().toSeconds() + " s";
            }
        }
        if (t instanceof UnknownHostException) {
            return "fetching " + u + " failed: unknown host " + u.getHost();
        }
        return "fetching " + u + " failed: " + (t == null ? "unknown error" : t.getMessage() == null ? t.toString() : t.getMessage());
    }

    private static void verify(Path file, String name, String url) throws IOException, SourceFetchException {
        byte[] head = new byte[96];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (name.endsWith(".src.rpm")) {
            // The RPM lead: magic ed ab ee db, then major/minor, then the type (1 = source package).
            boolean rpm = n >= 8 && (head[0] & 0xff) == 0xed && (head[1] & 0xff) == 0xab && (head[2] & 0xff) == 0xee
                    && (head[3] & 0xff) == 0xdb;
            if (!rpm || head[6] != 0 || head[7] != 1) {
                throw new SourceFetchException("refused " + url + ": " + (rpm ? "an RPM, but a binary one, not a source package"
                        : "the file is not an RPM package"));
            }
        } else {
            if (Files.size(file) > MAX_SPEC) {
                throw new SourceFetchException("refused " + url + ": a spec file larger than " + MAX_SPEC + " bytes");
            }
            for (byte b : Files.readAllBytes(file)) {
                if (b == 0) {
                    throw new SourceFetchException("refused " + url + ": the file is not a text spec file");
                }
            }
        }
    }

    /** Resolves host names and refuses (with the reason) when any address is not allowed. */
    private final class CheckedResolver implements SocketAddressResolver {
        @Override
        public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
            try {
                String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
                List<InetSocketAddress> out = new ArrayList<>();
                for (InetAddress a : InetAddress.getAllByName(h)) {
                    var why = policy.refusal(a);
                    if (why.isPresent()) {
                        throw new RefusedAddress(host + " resolves to " + a.getHostAddress() + ", " + why.get()
                                + " (set [hub] SourceURLAllowPrivate = yes to allow such addresses)");
                    }
                    out.add(new InetSocketAddress(a, port));
                }
                promise.succeeded(out);
            } catch (UnknownHostException e) {
                promise.failed(e);
            } catch (RefusedAddress e) {
                promise.failed(e);
            }
        }
    }

    static final class RefusedAddress extends IOException {
        RefusedAddress(String message) {
            super(message);
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            // stopping an idle client only closes sockets
        }
    }
}
