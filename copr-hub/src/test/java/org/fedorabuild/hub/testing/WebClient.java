package org.fedorabuild.hub.testing;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A scripted visitor of the hub's pages (cookies kept, redirects not followed), for form and sign-in checks. */
public final class WebClient implements AutoCloseable {
    private static final Pattern TOKEN = Pattern.compile("name=\"csrf_token\" value=\"([^\"]+)\"");
    private final String base;
    private final HttpClient http;

    public WebClient(String base) {
        this.base = base;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, Map<String, String> fields) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The CSRF token in the forms of {@code path}. */
    public String formToken(String path) throws IOException, InterruptedException {
        String page = get(path).body();
        Matcher m = TOKEN.matcher(page);
        if (!m.find()) {
            throw new AssertionError("no form token on " + path + ": " + page);
        }
        return m.group(1);
    }

    public HttpResponse<String> signIn(String user, String password) throws IOException, InterruptedException {
        return signIn(user, password, "/coprs/");
    }

    public HttpResponse<String> signIn(String user, String password, String next) throws IOException, InterruptedException {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("csrf_token", formToken("/login"));
        f.put("username", user);
        f.put("password", password);
        f.put("next", next);
        return post("/login", f);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        // java.net.http.HttpClient of Java 17 has no close; its threads end with the JVM's daemon pool
    }
}
