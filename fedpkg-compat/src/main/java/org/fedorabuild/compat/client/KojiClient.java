package org.fedorabuild.compat.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.multicall.MulticallEntry;
import org.fedorabuild.compat.session.SessionCredentials;
import org.fedorabuild.compat.wire.KojiCall;
import org.fedorabuild.compat.wire.KojiCodec;
import org.fedorabuild.compat.wire.WireFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Koji hub client that behaves on the wire like the modern koji CLI: {@code User-Agent: koji/1}, session
 * id, key and call number in {@code Koji-Session-*} headers, the call number bumped once per HTTP request and
 * reused by a retry, {@code sslLogin} POSTed to {@code <hub>/ssllogin}, transport errors retried only for
 * logged-in sessions (or when asked), faults never retried except AuthExpired (one re-login with
 * {@code renew}, then a replay) and, when enabled, ServerOffline. Calls of a logged-in client are serialized
 * because the hub rejects call numbers arriving out of order.
 */
public final class KojiClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KojiClient.class);

    private final ClientSettings settings;
    private final KojiCodec codec;
    private final HttpClient http;
    private final Object lock = new Object();
    private HubSession session;
    private KojiCall loginCall;
    private volatile String hubVersion;
    private volatile java.time.Instant lastResponseDate;

    /** The logged-in state: what the hub's login answered, and the next call number. */
    private static final class HubSession {
        final long id;
        final String key;
        long callnum;

        HubSession(long id, String key) {
            this.id = id;
            this.key = key;
        }
    }

    public KojiClient(ClientSettings settings) {
        this.settings = settings;
        this.codec = new KojiCodec(settings.limits());
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER);
        if (settings.tls() != null) {
            b.sslContext(settings.tls());
        }
        this.http = b.build();
    }

    public ClientSettings settings() {
        return settings;
    }

    public Object call(String method, Object... args) {
        return call(KojiCall.of(method, args));
    }

    public Object callKw(String method, List<Object> args, Map<String, Object> kwargs) {
        return call(new KojiCall(method, args, kwargs));
    }

    public Object call(KojiCall call) {
        try {
            return send(call, false);
        } catch (KojiFault.AuthExpired expired) {
            if (loginCall == null) {
                throw expired;
            }
            LOG.info("Session expired at {}; logging in again with renew", settings.server());
            relogin();
            return send(call, false);
        }
    }

    /** Password login; copr-hub takes an API token as the password. */
    public void login(String user, String password) {
        Map<String, Object> kw = new LinkedHashMap<>();
        kw.put("opts", null);
        doLogin(new KojiCall("login", List.of(user, password), kw));
    }

    /** TLS client-certificate login: the settings' SSLContext must carry the certificate. */
    public void sslLogin() {
        Map<String, Object> kw = new LinkedHashMap<>();
        kw.put("proxyuser", null);
        doLogin(new KojiCall("sslLogin", List.of(), kw));
    }

    private void doLogin(KojiCall call) {
        synchronized (lock) {
            if (session != null) {
                throw new IllegalStateException("already logged in as session " + session.id);
            }
            Object answer = send(call, false);
            session = sessionFrom(answer);
            loginCall = call;
        }
    }

    private void relogin() {
        synchronized (lock) {
            Map<String, Object> kw = new LinkedHashMap<>(loginCall.kwargs());
            kw.put("renew", Boolean.TRUE);
            // renewal is sent with the old session's headers, as the CLI does; the hub keeps the id
            Object answer = send(new KojiCall(loginCall.method(), loginCall.args(), kw), false);
            session = sessionFrom(answer);
        }
    }

    private static HubSession sessionFrom(Object answer) {
        if (!(answer instanceof Map<?, ?> sinfo) || !(sinfo.get("session-id") instanceof Number id)
                || !(sinfo.get("session-key") instanceof String key)) {
            throw new KojiFault.AuthError("login answer lacks session-id/session-key: " + answer);
        }
        if (!Boolean.TRUE.equals(sinfo.get("header-auth"))) {
            // Without header-auth the CLI falls back to query-string sessions; we only speak headers.
            LOG.warn("hub login answer lacks header-auth; sending session headers anyway");
        }
        return new HubSession(id.longValue(), key);
    }

    /** Closes the session on the hub ({@code logout(session_id=None)}); a no-op when not logged in. */
    public void logout() {
        synchronized (lock) {
            if (session == null) {
                return;
            }
            try {
                Map<String, Object> kw = new LinkedHashMap<>();
                kw.put("session_id", null);
                send(new KojiCall("logout", List.of(), kw), false);
            } finally {
                session = null;
                loginCall = null;
            }
        }
    }

    public boolean loggedIn() {
        synchronized (lock) {
            return session != null;
        }
    }

    /** The session id, or -1 when anonymous. */
    public long sessionId() {
        synchronized (lock) {
            return session == null ? -1 : session.id;
        }
    }

    /** The hub's version from its last {@code Koji-Version} header, else asked with {@code getKojiVersion}. */
    public String hubVersion() {
        if (hubVersion == null) {
            Object v = call("getKojiVersion");
            hubVersion = String.valueOf(v);
        }
        return hubVersion;
    }

    /**
     * The hub's clock as its last HTTP answer stated it (the {@code Date} header, one-second resolution), or
     * empty when no answer carried a readable one. Daemons that judge ages of hub timestamps use this rather
     * than their own clock.
     */
    public java.util.Optional<java.time.Instant> lastResponseDate() {
        return java.util.Optional.ofNullable(lastResponseDate);
    }

    private void noteDate(String value) {
        try {
            lastResponseDate = java.time.ZonedDateTime.parse(value.trim(),
                    java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            LOG.debug("unreadable Date header from {}: {}", settings.server(), value);
        }
    }

    /**
     * Sends calls as {@code multiCall} requests of at most {@code batch} calls each; one result per call, in
     * order. All calls run even when some fail (Koji's non-strict mode); {@link MulticallResult#get()} gives
     * the strict form.
     */
    public List<MulticallResult> multicall(List<KojiCall> calls, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        List<MulticallResult> results = new ArrayList<>(calls.size());
        for (int from = 0; from < calls.size(); from += batch) {
            List<KojiCall> part = calls.subList(from, Math.min(calls.size(), from + batch));
            List<Object> entries = new ArrayList<>(part.size());
            part.forEach(c -> entries.add(MulticallEntry.encode(c)));
            Object answer = call(KojiCall.of("multiCall", entries));
            if (!(answer instanceof List<?> list) || list.size() != part.size()) {
                throw new KojiConnectionException("multiCall answered " + describe(answer) + " for "
                        + part.size() + " calls", 1, null);
            }
            for (Object entry : list) {
                results.add(entryResult(entry));
            }
        }
        return results;
    }

    private static String describe(Object answer) {
        return answer instanceof List<?> l ? l.size() + " results" : String.valueOf(answer);
    }

    private static MulticallResult entryResult(Object entry) {
        if (entry instanceof List<?> one && one.size() == 1) {
            return new MulticallResult(one.get(0), null);
        }
        if (entry instanceof Map<?, ?> fault && fault.get("faultCode") instanceof Number code) {
            return new MulticallResult(null, KojiFault.fromWire(code.intValue(), String.valueOf(fault.get("faultString"))));
        }
        throw new KojiConnectionException("malformed multiCall entry: " + entry, 1, null);
    }

    /**
     * POSTs one raw upload chunk ({@code Content-Type: application/octet-stream}) with the session headers,
     * as the CLI's fast upload does; the hub answers an XML-RPC struct.
     */
    public Object postRaw(Map<String, String> query, byte[] body) {
        StringBuilder q = new StringBuilder();
        query.forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return exchange(URI.create(settings.server() + q.toString()), "application/octet-stream", body,
                "rawUpload", settings.callTimeout(), true);
    }

    private Object send(KojiCall call, boolean raw) {
        boolean login = call.method().equals("login") || call.method().equals("sslLogin");
        URI uri = call.method().equals("sslLogin") ? URI.create(settings.server().toString().replaceAll("/+$", "") + "/ssllogin") : settings.server();
        Duration timeout = login ? settings.loginTimeout() : settings.callTimeout();
        return exchange(uri, "text/xml", codec.encodeCall(call), call.method(), timeout, raw);
    }

    private Object exchange(URI uri, String contentType, byte[] body, String method, Duration timeout, boolean raw) {
        synchronized (lock) {
            if (session != null) {
                // The lock is held for the whole exchange (retries included): the hub refuses a call number
                // lower than one it has recorded, so a session's requests must reach it in callnum order.
                return exchange(uri, contentType, body, method, timeout, session, session.callnum++);
            }
        }
        if (raw) {
            throw new KojiFault.ActionNotAllowed("not logged in: uploads need a session");
        }
        return exchange(uri, contentType, body, method, timeout, null, null);
    }

    private Object exchange(URI uri, String contentType, byte[] body, String method, Duration timeout, HubSession s,
            Long callnum) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("User-Agent", settings.userAgent()).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (s != null) {
            rb.header(SessionCredentials.ID_HEADER, Long.toString(s.id))
              .header(SessionCredentials.KEY_HEADER, s.key)
              .header(SessionCredentials.CALLNUM_HEADER, Long.toString(callnum));
        }
        HttpRequest request = rb.build();
        boolean retryTransport = s != null || settings.anonRetry();
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                return roundTrip(request, timeout);
            } catch (KojiFault.ServerOffline offline) {
                if (!settings.offlineRetry() || attempt > settings.maxRetries()) {
                    throw offline;
                }
                LOG.info("Hub {} offline ({}), retrying {} in {}", settings.server(), offline.getMessage(), method,
                        settings.retryInterval());
                pause(settings.retryInterval());
            } catch (IOException e) {
                // A certificate problem will not go away by asking again (Koji never retries those either).
                boolean tlsRefusal = e instanceof javax.net.ssl.SSLHandshakeException
                        || e instanceof javax.net.ssl.SSLPeerUnverifiedException;
                if (!retryTransport || tlsRefusal || attempt > settings.maxRetries()) {
                    throw new KojiConnectionException("no answer from " + settings.server() + " to " + method + ": "
                            + describe(e), attempt, e);
                }
                LOG.info("Transport error on {} to {} (attempt {}): {}", method, settings.server(), attempt, e.toString());
                if (attempt > 1) {
                    pause(settings.retryInterval());
                }
            }
        }
    }

    private Object roundTrip(HttpRequest request, Duration timeout) throws IOException {
        long limit = settings.limits().maxBytes();
        HttpResponse.BodyHandler<byte[]> bounded = info -> {
            long length = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            // A declared length over the limit is refused before any of it is buffered.
            return length > limit ? HttpResponse.BodySubscribers.replacing(null) : HttpResponse.BodySubscribers.ofByteArray();
        };
        HttpResponse<byte[]> response;
        try {
            // The request timeout covers only the wait for headers; this bounds the whole exchange.
            response = http.sendAsync(request, bounded).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IOException("no complete answer within " + timeout.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause.toString(), cause);
        }
        response.headers().firstValue("Koji-Version").ifPresent(v -> hubVersion = v);
        response.headers().firstValue("Date").ifPresent(KojiClient.this::noteDate);
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " from " + request.uri());
        }
        if (response.body() == null) {
            throw new IOException("answer larger than the limit of " + limit + " bytes");
        }
        try {
            return codec.decodeResponse(new ByteArrayInputStream(response.body()));
        } catch (WireFormatException e) {
            throw new IOException("unreadable answer: " + e.getMessage(), e);
        }
    }

    /** Some JDK exceptions (a refused or timed-out connect) carry no message; their class name says it. */
    private static String describe(IOException e) {
        String m = e.getMessage();
        String name = e.getClass().getSimpleName();
        return m == null || m.isBlank() ? name : (e.getClass() == IOException.class ? m : name + ": " + m);
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KojiConnectionException("interrupted while waiting to retry", 1, e);
        }
    }

    @Override
    public void close() {
        try {
            logout();
        } catch (RuntimeException e) {
            LOG.debug("logout on close failed: {}", e.toString());
        }
    }
}
