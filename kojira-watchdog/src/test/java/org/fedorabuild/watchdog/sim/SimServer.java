package org.fedorabuild.watchdog.sim;

import java.net.URI;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.server.CallContext;
import org.fedorabuild.compat.server.CallInterceptor;
import org.fedorabuild.compat.server.KojiDispatcher;
import org.fedorabuild.compat.server.KojiHubHandler;
import org.fedorabuild.compat.server.MethodRegistry;
import org.fedorabuild.compat.wire.KojiCall;
import org.fedorabuild.compat.wire.KojiCodec;
import org.fedorabuild.compat.wire.WireLimits;

/**
 * The simulated hub on the wire, and the failures a test can inflict on it. Jetty serves {@code /kojihub}
 * (and {@code /kojihub/ssllogin}) through compat's {@link KojiHubHandler} on loopback HTTP and, when asked,
 * on an HTTPS connector that wants (not needs) a client certificate, as copr-hub and Koji's mod_ssl setup
 * do. Failures: down (connectors stopped: connection refused), hung (requests accepted, never answered until
 * released), or one method faulting everywhere, multicall entries included. It also counts requests and
 * calls, so a test can wait for a client's next round instead of sleeping.
 */
final class SimServer {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final SimState state;
    private final SessionApi sessions;
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private volatile String faultMethod;
    private volatile CountDownLatch hang;
    /** Requests that arrived while hanging (tests wait on it instead of sleeping). */
    final java.util.concurrent.atomic.AtomicInteger hungRequests = new java.util.concurrent.atomic.AtomicInteger();
    private Server server;
    private ServerConnector http;
    private ServerConnector https;

    SimServer(SimState state) {
        this.state = state;
        this.sessions = new SessionApi(state);
    }

    /** Starts on loopback ports chosen by the system; {@code tls} null: plain HTTP only. */
    void start(SSLContext tls) throws Exception {
        MethodRegistry registry = new MethodRegistry().register(sessions).register(new ReadApi(state))
                .register(new AdminApi(state)).register(new HostApi(state));
        KojiDispatcher dispatcher = new KojiDispatcher(registry, this::intercept);
        KojiHubHandler kojiHandler = new KojiHubHandler("/kojihub", SimulatedKojiHub.VERSION,
                new KojiCodec(WireLimits.REQUEST), dispatcher, null);
        Handler.Wrapper clocked = new Handler.Wrapper(kojiHandler) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                CountDownLatch h = hang;
                if (h != null) {
                    hungRequests.incrementAndGet();
                    h.await();
                }
                // The hub's clock, as Koji's web server would state it.
                response.getHeaders().put("Date", HTTP_DATE.format(state.clock.now()));
                return super.handle(request, response, callback);
            }
        };
        server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        config.setSendDateHeader(false);
        config.setSendServerVersion(false);
        http = loopback(new ServerConnector(server, new HttpConnectionFactory(config)));
        if (tls != null) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(tls);
            ssl.setWantClientAuth(true);
            HttpConfiguration secure = new HttpConfiguration(config);
            SecureRequestCustomizer customizer = new SecureRequestCustomizer();
            customizer.setSniHostCheck(false); // reached as 127.0.0.1; the certificate names it in its SAN
            secure.addCustomizer(customizer);
            https = loopback(new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(secure)));
        }
        server.setHandler(clocked);
        server.start();
        // Pin the chosen ports, so that a connector stopped by goDown() comes back on the same one.
        for (ServerConnector c : connectors()) {
            c.setPort(c.getLocalPort());
        }
    }

    private ServerConnector loopback(ServerConnector c) {
        c.setHost("127.0.0.1");
        c.setPort(0);
        server.addConnector(c);
        return c;
    }

    private List<ServerConnector> connectors() {
        return https == null ? List.of(http) : List.of(http, https);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + http.getPort() + "/kojihub");
    }

    URI tlsUri() {
        if (https == null) {
            throw new IllegalStateException("the simulated hub was started without TLS");
        }
        return URI.create("https://127.0.0.1:" + https.getPort() + "/kojihub");
    }

    private Object intercept(CallContext ctx, KojiCall call, CallInterceptor.Stage stage,
            CallInterceptor.Invocation next) throws Exception {
        if (call.method().equals(faultMethod)) {
            throw new KojiFault.GenericError("simulated failure of " + call.method());
        }
        calls.computeIfAbsent(call.method(), m -> new AtomicInteger()).incrementAndGet();
        if (stage == CallInterceptor.Stage.REQUEST) {
            requests.incrementAndGet();
            sessions.authenticate(ctx);
        }
        return next.proceed();
    }

    int requests() {
        return requests.get();
    }

    int calls(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    void faultOn(String method) {
        this.faultMethod = method;
    }

    void goDown() throws Exception {
        for (ServerConnector c : connectors()) {
            c.stop();
        }
    }

    void comeBack() throws Exception {
        for (ServerConnector c : connectors()) {
            c.start();
        }
    }

    void hangRequests() {
        hang = new CountDownLatch(1);
    }

    void release() {
        CountDownLatch h = hang;
        hang = null;
        if (h != null) {
            h.countDown();
        }
    }

    void stop() throws Exception {
        release();
        if (server != null) {
            server.stop();
        }
    }
}
