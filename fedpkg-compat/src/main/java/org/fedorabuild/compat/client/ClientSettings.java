package org.fedorabuild.compat.client;

import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.fedorabuild.compat.wire.WireLimits;

/**
 * How a {@link KojiClient} talks to its hub. Defaults follow the koji CLI where it has one (30 retries 20 s
 * apart, anonymous calls not retried, 60 s for logins) except the call timeout: the CLI waits 12 hours,
 * a daemon should not.
 *
 * @param server the hub URL, e.g. {@code https://koji.example.org/kojihub}
 * @param tls null for the JDK defaults
 */
public record ClientSettings(URI server, SSLContext tls, Duration connectTimeout, Duration callTimeout,
        Duration loginTimeout, int maxRetries, Duration retryInterval, boolean anonRetry, boolean offlineRetry,
        WireLimits limits, String userAgent) {

    public ClientSettings {
        if (server == null || server.getScheme() == null || !server.getScheme().matches("https?")) {
            throw new IllegalArgumentException("hub URL must be http:// or https://, got " + server);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be 0 or more, got " + maxRetries);
        }
    }

    public static ClientSettings defaults(URI server) {
        return new ClientSettings(server, null, Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofSeconds(60),
                30, Duration.ofSeconds(20), false, false, WireLimits.RESPONSE, "koji/1");
    }

    public ClientSettings withTls(SSLContext ctx) {
        return new ClientSettings(server, ctx, connectTimeout, callTimeout, loginTimeout, maxRetries, retryInterval,
                anonRetry, offlineRetry, limits, userAgent);
    }

    public ClientSettings withTimeouts(Duration connect, Duration call) {
        return new ClientSettings(server, tls, connect, call, loginTimeout.compareTo(call) > 0 ? call : loginTimeout,
                maxRetries, retryInterval, anonRetry, offlineRetry, limits, userAgent);
    }

    /** Koji's {@code offline_retry}: a hub answering ServerOffline (its database down) is asked again. */
    public ClientSettings withOfflineRetry(boolean retry) {
        return new ClientSettings(server, tls, connectTimeout, callTimeout, loginTimeout, maxRetries, retryInterval,
                anonRetry, retry, limits, userAgent);
    }

    public ClientSettings withRetries(int max, Duration interval, boolean anonymousToo) {
        return new ClientSettings(server, tls, connectTimeout, callTimeout, loginTimeout, max, interval, anonymousToo,
                offlineRetry, limits, userAgent);
    }
}
