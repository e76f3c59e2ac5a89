package org.fedorabuild.watchdog.hub;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.fedorabuild.compat.client.ClientSettings;
import org.fedorabuild.compat.client.ClientTls;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.client.MulticallResult;
import org.fedorabuild.compat.wire.KojiCall;
import org.fedorabuild.watchdog.config.WatchdogConfig;

/**
 * One logged-in conversation with the hub (a cycle opens one and closes it), counting its HTTP requests.
 * Timeouts and retries are the config's, bounded so that an unreachable or stalled hub ends a cycle in well
 * under two minutes instead of the koji CLI's ten minutes of retries.
 */
public final class HubSession implements AutoCloseable {
    private final KojiClient client;
    private final int batch;
    private final AtomicInteger requests = new AtomicInteger();

    private HubSession(KojiClient client, int batch) {
        this.client = client;
        this.batch = batch;
    }

    public static ClientSettings settings(WatchdogConfig.Hub hub) {
        ClientSettings s = ClientSettings.defaults(hub.server())
                .withTimeouts(hub.connectTimeout(), hub.callTimeout())
                .withRetries(hub.retries(), Duration.ofSeconds(5), false);
        if ("https".equals(hub.server().getScheme()) && (hub.cert() != null || hub.serverca() != null)) {
            SSLContext ctx = ClientTls.context("ssl".equals(hub.authtype()) ? hub.cert() : null, hub.serverca());
            s = s.withTls(ctx);
        }
        return s;
    }

    /** Connects and logs in as the config says (no request at all for noauth). */
    public static HubSession open(WatchdogConfig.Hub hub) {
        KojiClient client = new KojiClient(settings(hub));
        HubSession session = new HubSession(client, hub.multicallBatch());
        switch (hub.authtype()) {
            case "ssl" -> {
                session.requests.incrementAndGet();
                client.sslLogin();
            }
            case "password" -> {
                session.requests.incrementAndGet();
                client.login(hub.user(), hub.password());
            }
            default -> { }
        }
        return session;
    }

    public Object call(String method, Object... args) {
        requests.incrementAndGet();
        return client.call(method, args);
    }

    public Object call(KojiCall call) {
        requests.incrementAndGet();
        return client.call(call);
    }

    public List<MulticallResult> multicall(List<KojiCall> calls) {
        return multicall(calls, batch);
    }

    public List<MulticallResult> multicall(List<KojiCall> calls, int batchSize) {
        if (calls.isEmpty()) {
            return List.of();
        }
        requests.addAndGet((calls.size() + batchSize - 1) / batchSize);
        return client.multicall(calls, batchSize);
    }

    /** The hub's clock as its last answer's {@code Date} header gave it. */
    public Optional<Instant> hubDate() {
        return client.lastResponseDate();
    }

    public int requests() {
        return requests.get();
    }

    public boolean loggedIn() {
        return client.loggedIn();
    }

    public KojiClient client() {
        return client;
    }

    @Override
    public void close() {
        if (client.loggedIn()) {
            requests.incrementAndGet();
        }
        client.close();
    }
}
