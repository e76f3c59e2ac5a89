package org.fedorabuild.compat.testing;

import java.net.URI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.fedorabuild.compat.server.KojiDispatcher;
import org.fedorabuild.compat.server.KojiHubHandler;
import org.fedorabuild.compat.wire.KojiCodec;
import org.fedorabuild.compat.wire.WireLimits;

/** A Jetty 12 server on 127.0.0.1 and an ephemeral port, serving one handler; closed after the test. */
public final class TestHub implements AutoCloseable {
    public static final String KOJI_VERSION = "1.35.3";
    public static final String BASE_PATH = "/kojihub";

    private final Server server;
    private final ServerConnector connector;

    public TestHub(Handler handler) throws Exception {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(handler);
        server.start();
    }

    /** The hub handler as a daemon would mount it: {@code /kojihub}, Koji-Version 1.35.3, request limits. */
    public static KojiHubHandler hubHandler(KojiDispatcher dispatcher) {
        return new KojiHubHandler(BASE_PATH, KOJI_VERSION, new KojiCodec(WireLimits.REQUEST), dispatcher, null);
    }

    public static TestHub start(KojiDispatcher dispatcher) throws Exception {
        return new TestHub(hubHandler(dispatcher));
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://127.0.0.1:PORT/kojihub}. */
    public URI hubUri() {
        return uri(BASE_PATH);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the test hub", e);
        }
    }
}
